"""The author's edit loop, timed on a scratch copy of the project (the real tree is never edited).

    .venv/bin/python benchmarks/edit_loop.py            # builds and the test suite
    .venv/bin/python benchmarks/edit_loop.py --no-tests # builds only
    .venv/bin/python benchmarks/edit_loop.py --profile  # and where a no-change rebuild spends its time

Prints: cold build (empty .cache/), no-change rebuild, rebuild after editing one markdown
page, after editing one snippet and after editing the shared snippets/nets/mlp.py (with the
hook's "snippets: N run, M from cache" and "notebooks: ..." lines), then the test suite
with and without the browser tests. Targets on the 2-core machine: no-change <= 15 % of
cold, one-snippet edit <= 25 % of cold, tests without the browser <= 90 s.
Figures, not tests: it asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT / "tests" / "support")]

from fault_project import build, build_env, edited, make_copy, pytest_in, timed  # noqa: E402

from sitebuild import directives  # noqa: E402

TARGETS = {"no-change": 0.15, "one snippet": 0.25}
TEST_TARGET_S = 90


def counts(output: str) -> str:
    """The hook's own account of what it re-ran."""
    lines = re.findall(r"(?:snippets|notebooks): [^\n]*", output)
    return "; ".join(lines) or "no hook counts in the output"


def timed_build(copy: Path, label: str, cold: float | None = None) -> float:
    (code, output), seconds = timed(build, copy)
    if code:
        sys.exit(f"{label}: the build failed:\n{output[-3000:]}")
    ratio = f"{seconds / cold:6.1%} of cold" if cold else " " * 14
    target = TARGETS.get(label)
    verdict = "" if target is None else f"  target <= {target:.0%}: {'ok' if seconds / cold <= target else 'MISSED'}"
    print(f"{label:<26} {seconds:7.2f} s  {ratio}{verdict}   [{counts(output)}]", flush=True)
    return seconds


def edit_targets(copy: Path) -> tuple[str, str]:
    """The first page with a {{ output: }} and the snippet it shows (not a shared module)."""
    for page in sorted((copy / "docs").rglob("*.md")):
        for d in directives.parse(page.read_text(encoding="utf-8"), str(page)):
            if d.kind == "output" and not d.snippet.startswith("nets/"):
                return page.relative_to(copy).as_posix(), f"snippets/{d.snippet}"
    sys.exit("no page shows a snippet's output")


def profile_rebuild(copy: Path) -> None:
    """cProfile one no-change rebuild in this process (same work as the subprocess, minus start-up)."""
    import os

    os.chdir(copy)
    os.environ.update(build_env(copy))
    from mkdocs.__main__ import cli

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        cli(["build", "--strict", "--quiet", "--site-dir", str(copy / ".cache" / "profile-site")], standalone_mode=False)
    finally:
        profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"(plugins|hooks|sitebuild|commands/build|material|mkdocs_jupyter|search|config/base)", 30)
    print(text.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tests", action="store_true", help="skip the test-suite timings")
    parser.add_argument("--profile", action="store_true", help="profile a no-change rebuild")
    parser.add_argument("--tests-only", action="store_true", help="skip the build timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="edit-loop-") as tmp:
        copy = make_copy(Path(tmp) / "project", with_cache=False)
        (copy / "node_modules").symlink_to(PROJECT / "node_modules")  # axe-core for the browser tests
        print(f"scratch copy: {copy} (no .cache/)", flush=True)
        if not args.tests_only:
            build_loop(copy, args.profile)
        if not args.no_tests:
            test_suite(copy)


def build_loop(copy: Path, profile: bool) -> None:
    cold = timed_build(copy, "cold build")
    timed_build(copy, "no-change", cold)
    page, snippet = edit_targets(copy)
    with edited(copy, page, lambda t: t.rstrip("\n") + "\n\nOne more sentence from the edit loop.\n"):
        timed_build(copy, "one markdown page", cold)
    print(f"{'':<26} (edited {page})")
    with edited(copy, snippet, lambda t: t.rstrip("\n") + "\nedited_by_the_loop = 1\n"):
        timed_build(copy, "one snippet", cold)
    print(f"{'':<26} (edited {snippet})")
    timed_build(copy, "restored (cache pruned)", cold)
    with edited(copy, "snippets/nets/mlp.py", lambda t: t.rstrip("\n") + "\nEDITED_BY_THE_LOOP = 1\n"):
        timed_build(copy, "shared nets/mlp.py", cold)
    if profile:
        timed_build(copy, "warm again", cold)
        profile_rebuild(copy)


def test_suite(copy: Path) -> None:
    """Cold, like CI: the copy's .cache/ is whatever the build loop left (empty with --tests-only)."""
    for label, selection in (("tests, no browser", ["-m", "not browser"]), ("browser tests only", ["-m", "browser"])):
        (code, output), seconds = timed(pytest_in, copy, *selection, "--durations=8", timeout=3600)
        summary = re.findall(r"^=*\s*(\d+ (?:passed|failed|deselected|error)\S*.*? in [\d.]+s.*?)\s*=*$", output, re.M)
        target = f"  target <= {TEST_TARGET_S} s: {'ok' if seconds <= TEST_TARGET_S else 'MISSED'}" if "no" in label else ""
        print(f"{label:<26} {seconds:7.2f} s  exit {code}  [{summary[-1] if summary else 'no summary'}]{target}")
        for line in re.findall(r"^(?:\d+\.\d+s (?:setup|call|teardown) .*|(?:FAILED|ERROR) .*)$", output, re.M):
            print("    " + line)


if __name__ == "__main__":
    main()
