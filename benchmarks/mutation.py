"""Mutation testing of snippets/ against the claim tests, with cosmic-ray, on a scratch copy.

    .venv/bin/python benchmarks/mutation.py --sample 30            # 30 mutants per page
    .venv/bin/python benchmarks/mutation.py --pages gradients,nets  # every mutant of two pages
    .venv/bin/python benchmarks/mutation.py --sample 30 --all-operators --jobs 1

For each snippets/<page>/ folder, cosmic-ray plants one small bug at a time in the page's
snippets (a number +-1, one arithmetic or comparison operator for another, a unary minus
dropped, a loop that never runs, True for False ...) and runs only that page's claim tests,
tests/pages/test_<page>.py, with `-x -m "not build and not browser"` and a per-mutant timeout.
The shared snippets/nets/ package is run against tests/pages/test_nets_mlp.py, then the two
pages built on it (deep_nets, gradient_descent). A mutant the tests do not notice
"survives"; each survivor is printed (file:line, operator, the line before and after) for a
person to judge: equivalent (nothing observable changes) or a gap in the tests.

Prints per page: mutants (generated / after the operator filter / run), killed, timeouts
(counted as killed, as cosmic-ray does), survived, incompetent (mutant could not run), wall
time; then the overall score = killed / (killed + survived). Target: >= 90 % of
non-equivalent mutants killed (subtract the survivors you judge equivalent by hand).

* Nothing in the real tree is touched: every page runs in its own copy (tests/support/fault_project.py).
* Tests that already fail on the unmutated copy are reported and deselected for that page
  (otherwise every mutant would count as "killed").
* --sample N draws N mutants per page with a fixed seed over a sorted list of mutation
  sites: the same sources give the same sample.
* By default, replacements that only make float arithmetic raise TypeError (an operator
  swapped for a bitwise one: <<, >>, &, |, ^, unary ~ or `not` for minus) and `==`/`<`
  swapped for `is`/`is not` are left out: they inflate the score without testing a claim.
  --all-operators keeps them.
* --jobs pages run at once (default 2, the machine's cores); each runs its mutants in turn.
* Speed: this file is also a pytest plugin (-p mutation), loaded into each mutant's test
  run. It finds the mutated snippet (snippets/ against the pristine copy) and the snippets
  that import it, and keeps the page's tests whose code names one of them: the test
  function, its decorators and fixtures, and every module-level name they use, followed
  transitively (helpers, caches, constants, imports). If no test names it, all run.
  --no-select runs the page's whole test files for every mutant (slower, same tests
  first); --confirm re-runs each survivor that way, so a selection miss cannot make one.

Figures, not tests: it exits 0 whatever the score.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT / "tests" / "support")]

from fault_project import make_copy  # noqa: E402

TARGET = 0.90
SAMPLE_SEED = "deep-init mutation sample v1"
MARKERS = "not build and not browser"
# The shared package: its own tests first (-x stops at the first failure), then its users.
EXTRA_TESTS = {
    "nets": ["tests/pages/test_nets_mlp.py", "tests/pages/test_deep_nets.py", "tests/pages/test_gradient_descent.py"],
}
TRIVIAL_OPERATORS = re.compile(
    r"ReplaceBinaryOperator_\w+_(BitAnd|BitOr|BitXor|LShift|RShift)$"
    r"|ReplaceUnaryOperator_USub_(Invert|Not)$"
    r"|ReplaceComparisonOperator_\w+_(Is|IsNot)$"
)


# ---------------------------------------------------------------- the pytest plugin
# Loaded into every mutant's test run as `-p mutation`, with MUTATION_PRISTINE set to the
# unmutated copy. It never edits a test; it only chooses and orders the page's tests.


def mutated_stems(root: Path, pristine: Path) -> set[str]:
    """Stems of the snippet(s) that differ from the pristine copy and of those importing them."""
    snippets = (root / "snippets").resolve()
    changed = {
        path.resolve() for path in snippets.rglob("*.py")
        if not (pristine / "snippets" / path.relative_to(snippets)).is_file()
        or (pristine / "snippets" / path.relative_to(snippets)).read_bytes() != path.read_bytes()
    }
    if not changed:
        return set()
    from snippet_runner import local_imports  # hooks/ is on the tests' pythonpath

    stems = {path.stem for path in changed}
    for path in snippets.rglob("*.py"):
        if changed & {Path(found).resolve() for found in local_imports(path)}:
            stems.add(path.stem)
    return stems


_DEFINITIONS: dict[str, tuple[list[str], dict[str, list[ast.AST]]]] = {}


def _definitions(source_file: str) -> tuple[list[str], dict[str, list[ast.AST]]]:
    """A test module's lines and, per module-level name, the statements that bind it."""
    if source_file not in _DEFINITIONS:
        source = Path(source_file).read_text(encoding="utf-8")
        found: dict[str, list[ast.AST]] = {}
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [(a.asname or a.name).split(".")[0] for a in node.names]
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            else:
                continue
            for name in names:
                found.setdefault(name, []).append(node)
        _DEFINITIONS[source_file] = source.splitlines(), found
    return _DEFINITIONS[source_file]


def reachable_code(item) -> str:
    """The code a test item can reach in its module: itself, its fixtures, what they use."""
    module = getattr(item, "module", None)
    source_file = getattr(module, "__file__", None)
    if not source_file:
        return item.nodeid
    lines, definitions = _definitions(source_file)
    cls = getattr(item, "cls", None)
    pending = [getattr(item, "originalname", None) or item.name,
               *getattr(item, "fixturenames", [])]
    if cls is not None:
        pending.append(cls.__name__)
    seen: set[str] = set()
    parts = [item.nodeid]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in definitions.get(name, []):
            for part in [node, *getattr(node, "decorator_list", [])]:
                parts += lines[part.lineno - 1:part.end_lineno]
                pending += [n.id for n in ast.walk(part) if isinstance(n, ast.Name)]
                pending += [n.arg for n in ast.walk(part) if isinstance(n, ast.arg)]
    return "\n".join(parts)


def pytest_collection_modifyitems(session, config, items) -> None:
    pristine = os.environ.get("MUTATION_PRISTINE")
    if not pristine:
        return
    stems = mutated_stems(Path(config.rootpath), Path(pristine))
    if not stems:
        return
    naming = [item for item in items if any(stem in code for code in [reachable_code(item)]
                                             for stem in stems)]
    if not naming:
        return
    others = [item for item in items if item not in naming]
    if os.environ.get("MUTATION_SELECT") == "1":
        config.hook.pytest_deselected(items=others)
        items[:] = naming
    else:
        items[:] = naming + others



@dataclass
class Survivor:
    path: str
    line: int
    operator: str  # cosmic-ray's full name, core/...
    occurrence: int
    change: str
    confirmed: str = ""  # outcome against the whole test files, with --confirm

    def __str__(self) -> str:
        short = self.operator.split("/")[-1]
        again = f"  [whole files: {self.confirmed}]" if self.confirmed else ""
        return f"{self.path}:{self.line}  {short}#{self.occurrence}  {self.change}{again}"


@dataclass
class Page:
    name: str
    tests: list[str]
    copy: Path
    deselected: list[str] = field(default_factory=list)
    baseline_s: float = 0.0
    timeout_s: float = 0.0
    generated: int = 0
    eligible: int = 0
    sampled: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[Survivor] = field(default_factory=list)
    exec_s: float = 0.0
    problem: str = ""


def cosmic_ray() -> str:
    here = Path(sys.executable).parent / "cosmic-ray"
    found = str(here) if here.exists() else shutil.which("cosmic-ray")
    if not found:
        sys.exit("cosmic-ray is not installed in this environment (pip install cosmic-ray==8.7.0)")
    return found


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    e.pop("PYTHONPATH", None)
    e.update(MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
    e.update(extra)
    return e


def page_command(page: Page, stop_first: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider", "-rf",
           "-m", MARKERS]
    if stop_first:
        cmd += ["-x", "-p", "mutation"]
    for node in page.deselected:
        cmd += ["--deselect", node]
    return cmd + page.tests


def baseline(page: Page, timeout_factor: float) -> None:
    """Run the page's tests on the unmutated copy; deselect what already fails; set the timeout."""
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(page_command(page, stop_first=False), cwd=page.copy, env=env(),
                              capture_output=True, text=True, check=False)
        page.baseline_s = time.perf_counter() - start
        if done.returncode == 0:
            break
        failed = re.findall(r"^(?:FAILED|ERROR) (\S+?)(?: - .*)?$", done.stdout, re.MULTILINE)
        failed = [f for f in failed if "::" in f and f not in page.deselected]
        if not failed:
            page.problem = f"baseline fails (exit {done.returncode}):\n{done.stdout[-1500:]}"
            return
        page.deselected += failed
    else:
        page.problem = "baseline still fails after deselecting its failing tests"
        return
    page.timeout_s = max(30.0, timeout_factor * page.baseline_s + 10.0)


def site(item) -> tuple:
    """A mutant's place, to sort by: file, position, operator, occurrence."""
    m = item.mutations[0]
    return (str(m.module_path), tuple(m.start_pos), tuple(m.end_pos), m.operator_name, m.occurrence)


def init_session(page: Page, work: Path, sample: int | None, all_operators: bool) -> Path:
    """cosmic-ray init, then mark the mutants outside the filter or the sample as skipped."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    config, session = work / f"{page.name}.toml", work / f"{page.name}.sqlite"
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "snippets/{page.name}"\n'
        f"timeout = {page.timeout_s:.0f}\n"
        "excluded-modules = []\n"
        f"test-command = {shlex.join(page_command(page))!r}\n"
        "\n[cosmic-ray.distributor]\n"
        'name = "local"\n',
        encoding="utf-8",
    )
    subprocess.run([cosmic_ray(), "init", str(config), str(session)], cwd=page.copy, env=env(),
                   check=True, capture_output=True)
    with use_db(str(session), WorkDB.Mode.open) as db:
        items = sorted(db.work_items, key=site)
        page.generated = len(items)
        eligible = [w for w in items if all_operators
                    or not TRIVIAL_OPERATORS.search(w.mutations[0].operator_name.split("/")[-1])]
        page.eligible = len(eligible)
        chosen = eligible
        if sample is not None and sample < len(eligible):
            chosen = random.Random(f"{SAMPLE_SEED}:{page.name}").sample(eligible, sample)
        page.sampled = len(chosen)
        keep = {w.job_id for w in chosen}
        skipped = [w.job_id for w in items if w.job_id not in keep]
        if skipped:
            not_run = WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                 output="not in this run's sample or operator set")
            db.set_multiple_results(skipped, not_run)
    return config


def changed_lines(diff: str | None) -> str:
    """'old' -> 'new' from the unified diff cosmic-ray stores with each result."""
    if not diff:
        return "(no diff recorded)"
    lines = diff.splitlines()
    old = [line[1:].strip() for line in lines if line[:1] == "-" and line[:3] != "---"]
    new = [line[1:].strip() for line in lines if line[:1] == "+" and line[:3] != "+++"]
    return f"{' / '.join(old)}  ->  {' / '.join(new)}"


def plugin_env(page: Page, work: Path, select: bool) -> dict[str, str]:
    return env(PYTHONPATH=str(page.copy / "benchmarks"), MUTATION_PRISTINE=str(work / "base"),
               MUTATION_SELECT="1" if select else "0")


def execute(page: Page, config: Path, work: Path, select: bool) -> None:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    session = config.with_suffix(".sqlite")
    start = time.perf_counter()
    done = subprocess.run([cosmic_ray(), "exec", str(config), str(session)], cwd=page.copy,
                          env=plugin_env(page, work, select), capture_output=True, text=True,
                          check=False)
    page.exec_s = time.perf_counter() - start
    if done.returncode:
        page.problem = f"cosmic-ray exec exited {done.returncode}: {done.stderr[-1500:]}"
    counts = dict.fromkeys(("killed", "timeout", "survived", "incompetent", "pending"), 0)
    with use_db(str(session), WorkDB.Mode.open) as db:
        results = dict(db.results)
        for item in db.work_items:
            result = results.get(item.job_id)
            if result is None:
                counts["pending"] += 1
                continue
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            mutation = item.mutations[0]
            if result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
                page.survivors.append(Survivor(str(mutation.module_path), mutation.start_pos[0],
                                               mutation.operator_name, mutation.occurrence,
                                               changed_lines(result.diff)))
            elif (result.test_outcome == TestOutcome.KILLED
                  and result.worker_outcome == WorkerOutcome.NORMAL):
                timed_out = (result.output or "").strip() == "timeout"
                counts["timeout" if timed_out else "killed"] += 1
            else:
                counts["incompetent"] += 1
    page.counts = counts
    page.survivors.sort(key=lambda s: (s.path, s.line, s.operator, s.occurrence))


def confirm(page: Page, work: Path) -> None:
    """Re-run each survivor against the page's whole test files (no selection)."""
    command = shlex.join(page_command(page))
    for survivor in page.survivors:
        try:
            done = subprocess.run(
                [cosmic_ray(), "mutate-and-test", survivor.path, survivor.operator,
                 str(survivor.occurrence), command],
                cwd=page.copy, env=plugin_env(page, work, select=False), capture_output=True,
                text=True, timeout=page.timeout_s, check=False)
            outcome = json.loads(done.stdout or "{}").get("test_outcome") or "no result"
        except subprocess.TimeoutExpired:
            outcome = "killed (timeout)"
        finally:  # a killed worker may leave the mutant in place
            shutil.copy2(work / "base" / survivor.path, page.copy / survivor.path)
        survivor.confirmed = str(outcome).lower()
    missed = [s for s in page.survivors if s.confirmed.startswith("killed")]
    for survivor in missed:  # the selection left out the test that kills it
        print(f"  {page.name}: selection miss, killed by the whole files: {survivor}", flush=True)
        page.survivors.remove(survivor)
    page.counts["survived"] -= len(missed)
    page.counts["killed"] += len(missed)


def score(killed: int, survived: int) -> str:
    return f"{killed / (killed + survived):6.1%}" if killed + survived else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="comma-separated snippets/ folders (default: all)")
    parser.add_argument("--sample", type=int, help="mutants per page, fixed-seed (default: all)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="pages at once")
    parser.add_argument("--timeout-factor", type=float, default=3.0,
                        help="per-mutant timeout = max(30 s, factor x baseline + 10 s)")
    parser.add_argument("--all-operators", action="store_true",
                        help="keep the trivially-killed operators")
    parser.add_argument("--no-select", action="store_true",
                        help="run the page's whole test files for every mutant")
    parser.add_argument("--confirm", action="store_true",
                        help="re-run each survivor against the page's whole test files")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies and sessions")
    args = parser.parse_args()

    folders = sorted(p.name for p in (PROJECT / "snippets").iterdir()
                     if p.is_dir() and any(p.glob("*.py")))
    names = args.pages.split(",") if args.pages else folders
    unknown = sorted(set(names) - set(folders))
    if unknown:
        sys.exit(f"no snippets/ folder named: {', '.join(unknown)} (have: {', '.join(folders)})")

    work = Path(tempfile.mkdtemp(prefix="deep-init-mutation-"))
    base = make_copy(work / "base", with_cache=False)
    pages: list[Page] = []
    for name in names:
        tests = EXTRA_TESTS.get(name, [f"tests/pages/test_{name}.py"])
        if not all((base / t).is_file() for t in tests):
            print(f"{name}: skipped, no {' '.join(t for t in tests if not (base / t).is_file())}")
            continue
        copy = shutil.copytree(base, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        pages.append(Page(name, tests, Path(copy)))

    select = "tests naming the mutated snippet" if not args.no_select else "whole test files"
    print(f"cosmic-ray over snippets/ on a scratch copy ({work}); pytest -x -m {MARKERS!r}, "
          f"{select}; sample {args.sample or 'all'} per page; {args.jobs} page(s) at once",
          flush=True)
    started = time.perf_counter()

    def run(page: Page) -> Page:
        baseline(page, args.timeout_factor)
        if page.deselected:
            print(f"  {page.name}: already failing before any mutation, deselected: "
                  f"{' '.join(page.deselected)}", flush=True)
        if page.problem:
            print(f"  {page.name}: skipped: {page.problem}", flush=True)
            return page
        config = init_session(page, work, args.sample, args.all_operators)
        execute(page, config, work, select=not args.no_select)
        if args.confirm:
            confirm(page, work)
        print(f"  done {page.name}: {page.sampled} mutants in {page.exec_s / 60:.1f} min "
              f"(tests alone {page.baseline_s:.0f} s), {page.counts['survived']} survived",
              flush=True)
        return page

    # Longest first, by the size of the test files (their run time is not known yet).
    pages.sort(key=lambda p: sum((p.copy / t).stat().st_size for t in p.tests), reverse=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        runnable = [p for p in pool.map(run, pages) if not p.problem or p.counts]
    runnable.sort(key=lambda p: p.name)

    columns = ("page", "base s", "timeout s", "mutants", "killed", "timeouts", "survived",
               "incomp.", "minutes", "score")
    row = "{:<24}{:>7}{:>10}{:>17}{:>7}{:>9}{:>9}{:>8}{:>8}{:>8}"
    print("\n" + row.format(*columns))
    print(row.format("", "", "", "gen/filtered/run", *[""] * 6))
    total = dict.fromkeys(("killed", "timeout", "survived", "incompetent"), 0)
    for page in runnable:
        c = page.counts
        for k in total:
            total[k] += c[k]
        mutants = f"{page.generated}/{page.eligible}/{page.sampled}"
        note = f"  ({c['pending']} not run) {page.problem}" if c["pending"] or page.problem else ""
        print(row.format(page.name, f"{page.baseline_s:.1f}", f"{page.timeout_s:.0f}", mutants,
                         c["killed"], c["timeout"], c["survived"], c["incompetent"],
                         f"{page.exec_s / 60:.1f}",
                         score(c["killed"] + c["timeout"], c["survived"])) + note)
    killed = total["killed"] + total["timeout"]
    minutes = (time.perf_counter() - started) / 60
    print(row.format("all (wall clock)", "", "", sum(p.sampled for p in runnable),
                     total["killed"], total["timeout"], total["survived"], total["incompetent"],
                     f"{minutes:.1f}", score(killed, total["survived"])))
    print(f"\nscore {score(killed, total['survived']).strip()} of mutants killed (timeouts count "
          f"as killed); target >= {TARGET:.0%} of the non-equivalent ones: judge each survivor.")

    survivors = [s for p in runnable for s in p.survivors]
    print(f"\nsurvivors ({len(survivors)}): file:line  operator#occurrence  before -> after"
          "  (replay one: cosmic-ray apply <file> core/<operator> <occurrence>)")
    for s in survivors:
        print(f"  {s}")

    if args.keep:
        print(f"\nscratch copies and cosmic-ray sessions kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
