"""Build figures: cold build, no-change rebuild, all snippets in one process, page weights.

    .venv/bin/python benchmarks/build.py

Targets (2-core machine): cold build <= 30 s; no-change rebuild <= 15 % of cold;
Part 2's snippets and the two labs, run one after the other, <= 30 s. Also each page's
snippet time (Part 3's experiments are meant to take seconds) and each page's weight.
Prints figures; asserts nothing (timings are not tests).
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT / "tests" / "support")]

from pages import body, markdown_pages  # noqa: E402

from sitebuild import directives, notebook_exec, notebook_figures, results  # noqa: E402
from sitebuild.runner import run_snippet  # noqa: E402


def timed_build(site: Path, cache: Path) -> float:
    env = dict(os.environ, DOCS_CACHE_DIR=str(cache), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=PROJECT, env=env, capture_output=True, text=True,
    )
    if done.returncode:
        sys.exit(f"the build failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return time.perf_counter() - start


PART_2 = ("one-neuron.md", "initialisation-variants.md", "deep-nets.md", "exercises.md", "cheat-sheet.md")


LABS = sorted((PROJECT / "docs" / "labs").glob("*.ipynb"))


def snippet_names(page_names: tuple[str, ...] = ()) -> list[str]:
    """The snippets that every page (or the pages named) uses."""
    pages = [p for p in markdown_pages() if not page_names or p.name in page_names]
    return sorted({d.snippet for page in pages for d in directives.parse(body(page), str(page))})


def snippets_in_one_process(page_names: tuple[str, ...] = ()) -> tuple[int, float]:
    """(count, seconds) to run the snippets of every page (or of the pages named) in turn."""
    names = snippet_names(page_names)
    start = time.perf_counter()
    for name in names:
        run_snippet(name)
        close_figures()
    return len(names), time.perf_counter() - start


def close_figures() -> None:
    """The build renders each figure in a child that ends; in one process they pile up."""
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def snippet_seconds_by_page() -> dict[str, float]:
    """page -> seconds to run its snippets in this process, one after the other (frameworks
    imported first, as the build does before it forks; a snippet on two pages counts on both)."""
    from sitebuild import frameworks, imports
    from sitebuild.runner import snippet_path

    pages = {page.name: snippet_names((page.name,)) for page in markdown_pages()}
    used = {f for names in pages.values() for n in names
            for f in frameworks.used_by(imports.all_imported_names(snippet_path(n)))}
    frameworks.preload(sorted(used))
    seconds = {}
    for name in sorted({n for names in pages.values() for n in names}):
        start = time.perf_counter()
        run_snippet(name)
        seconds[name] = time.perf_counter() - start
        close_figures()
    return {page: sum(seconds[n] for n in names) for page, names in pages.items() if names}


def part_2_and_labs_together(cache: Path) -> float:
    """Seconds for Part 2's snippets and the labs, uncached, run as the build runs them:
    the snippets on every core (sitebuild/pool.py) while the labs execute in their own
    processes (hooks/notebooks.py)."""
    os.environ["DOCS_CACHE_DIR"] = str(cache)
    names = snippet_names(PART_2)
    kernel = notebook_figures.Kernel(cache / "notebooks")  # the build's kernel profile (SVG figures)
    start = time.perf_counter()
    running = [
        subprocess.Popen([sys.executable, "-m", "sitebuild.notebook_exec", str(lab), str(PROJECT / "snippets"),
                          str(kernel.cache_dir), f"labs/{lab.name}"], cwd=PROJECT, env=os.environ | kernel.env)
        for lab in LABS
    ]
    requests = {name: frozenset() for name in names}
    outcomes = results.load_or_run_all(requests, {name: results.cache_key(name) for name in names})
    failed = [code for code in (p.wait() for p in running) if code]
    failed += [o for o in outcomes.values() if isinstance(o, Exception)]
    if failed:
        sys.exit(f"Part 2 or a lab failed: {failed}")
    return time.perf_counter() - start


def labs_in_turn() -> tuple[int, float]:
    """(count, seconds) to execute every lab notebook, one after the other, uncached."""
    with tempfile.TemporaryDirectory() as scratch:
        kernel = notebook_figures.Kernel(Path(scratch))  # the build's kernel profile (SVG figures)
        start = time.perf_counter()
        with kernel.environment():
            for lab in LABS:
                notebook_exec.execute(lab, PROJECT / "snippets", lab.name)
        return len(LABS), time.perf_counter() - start


RESOURCE = re.compile(r'<(?:script|img|source)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"[^>]*>')


def page_weight(site: Path, page: Path) -> tuple[int, int, int]:
    """(requests, raw bytes, gzip bytes) for a page and the local files it loads."""
    html = page.read_text(encoding="utf-8")
    base = "/" + page.relative_to(site).as_posix()
    files = {page}
    for match in RESOURCE.finditer(html):
        tag, url = match[0], match[1] or match[2]
        if url.startswith("data:"):  # inline, already counted in the page's bytes
            continue
        if match[2] and not re.search(r'rel="(stylesheet|icon|preload|modulepreload)"', tag):
            continue
        path = urlparse(urljoin(base, url)).path.lstrip("/")
        if (site / path).is_file():
            files.add(site / path)
    if "<math" in html:
        files.add(site / "assets" / "fonts" / "math.woff2")
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 9, mtime=0)) for f in files)
    return len(files), raw, packed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold = timed_build(tmp / "site", tmp / "cache")
        print(f"cold build (empty cache)      {cold:7.2f} s   target <= 30 s", flush=True)
        warm = statistics.median(timed_build(tmp / "site", tmp / "cache") for _ in range(3))
        print(f"no-change rebuild (median of 3) {warm:5.2f} s   {warm / cold:6.1%} of cold, target <= 15 %", flush=True)
        # Forks first: once a JAX snippet has run in this process, forking it could deadlock.
        together = part_2_and_labs_together(tmp / "part-2-cache")
        count, snippet_seconds = snippets_in_one_process()
        part2, part2_seconds = snippets_in_one_process(PART_2)
        labs, lab_seconds = labs_in_turn()
        print(f"{count} snippets in one process  {snippet_seconds:7.2f} s")
        print(f"Part 2: {part2} snippets + {labs} labs, in turn {part2_seconds + lab_seconds:7.2f} s   "
              f"({part2_seconds:.1f} + {lab_seconds:.1f})")
        print(f"Part 2 + labs as the build runs them (all cores) {together:7.2f} s   target <= 30 s")
        print()
        print(f"{'page':44} {'its snippets, s':>15}   (one process, in turn)")
        for page, seconds in sorted(snippet_seconds_by_page().items()):
            print(f"{page:44} {seconds:15.2f}")
        print()
        print(f"{'page':44} {'requests':>8} {'raw KB':>8} {'gzip KB':>8}")
        site = tmp / "site"
        for page in sorted(site.rglob("index.html")):
            requests, raw, packed = page_weight(site, page)
            name = page.parent.relative_to(site).as_posix() + "/"
            print(f"{name:44} {requests:8d} {raw / 1024:8.1f} {packed / 1024:8.1f}")


if __name__ == "__main__":
    main()
