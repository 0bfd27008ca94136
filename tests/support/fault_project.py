"""A scratch copy of the project to break on purpose (tests/faults/test_faults.py, benchmarks/edit_loop.py).

The copy holds what a build of the real tree sees: every file git knows about or would
add (tracked, plus untracked files that .gitignore does not exclude), and the warm
snippet cache. It never holds .venv/ (the copy runs this interpreter) or site/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
EPOCH = "1700000000"


SKIP_DIRS = {".venv", ".cache", ".git", "__pycache__", ".pytest_cache", "node_modules", "test-artifacts"}


def project_files(root: Path = PROJECT) -> list[str]:
    """Files git knows about or would add; in a tree without git (a copy), every file but SKIP_DIRS."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, capture_output=True,
    )
    if listed.returncode == 0 and (root / ".git").exists():
        names = set(listed.stdout.decode().split("\0"))
    else:
        names = {p.relative_to(root).as_posix() for p in root.rglob("*")}
    return sorted(
        rel for rel in names
        if rel and (root / rel).is_file() and not SKIP_DIRS & set(rel.split("/")[:-1]) and rel.split("/")[0] != "site"
    )


def make_copy(dest: Path, with_cache: bool = True, source: Path = PROJECT, cache: Path | None = None) -> Path:
    """Copy the project's files (mtimes kept) and, if asked, a warm cache (default: its .cache/)."""
    dest.mkdir(parents=True, exist_ok=True)
    for rel in project_files(source):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, target)
    cache = cache or source / ".cache"
    if with_cache and cache.is_dir():
        shutil.copytree(
            cache, dest / ".cache", dirs_exist_ok=True, symlinks=True,
            ignore=lambda d, names: [n for n in names if n.startswith("site-")],
        )
    return dest


def clone_copy(source: Path, dest: Path) -> Path:
    """A second copy made from a first one (whose cache is already warm)."""
    def ignore(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == source  # only the top-level site/ is a build; tests/site/ is tests
        return [n for n in names if n == "__pycache__" or (top and (n == "site" or n.startswith("site-")))]

    shutil.copytree(source, dest, symlinks=True, ignore=ignore)
    return dest


def build_env(copy: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(copy),  # the copy's own sitebuild/, not the editable install's
        DOCS_CACHE_DIR=str(copy / ".cache"),
        SOURCE_DATE_EPOCH=EPOCH,
        NO_MKDOCS_2_WARNING="1",
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run(command: list[str], copy: Path, timeout: float = 600, **env: str) -> tuple[int, str]:
    """Run ``command`` in ``copy``; (exit code, stdout and stderr together)."""
    process = subprocess.Popen(
        command, cwd=copy, env=build_env(copy, **env), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return -9, output + f"\n[killed after {timeout} s]"
    return process.returncode, output


def build(copy: Path, site_dir: Path | None = None, timeout: float = 600) -> tuple[int, str]:
    """The strict build (as `make build` runs it) of ``copy``."""
    site_dir = site_dir or copy / ".cache" / "fault-site"
    return run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)], copy, timeout)


def pytest_in(copy: Path, *args: str, timeout: float = 600) -> tuple[int, str]:
    """The copy's own tests (its pyproject: the copy and snippets/ on the path, warnings as errors)."""
    return run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header", *args], copy, timeout)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


@contextlib.contextmanager
def edited(copy: Path, rel: str, change):
    """Apply ``change(text) -> text`` to ``copy/rel`` for the duration of the block, then restore it."""
    path = copy / rel
    original = path.read_bytes()
    changed = change(original.decode("utf-8"))
    if changed == original.decode("utf-8"):
        raise AssertionError(f"the fault did not change {rel}")
    path.write_text(changed, encoding="utf-8")
    try:
        yield path
    finally:
        path.write_bytes(original)


@contextlib.contextmanager
def replaced_line(copy: Path, rel: str, pattern: str, replacement: str):
    """Replace the first line matching regex ``pattern``; yields the 1-based line number."""
    lines = (copy / rel).read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if re.search(pattern, line):
            break
    else:
        raise AssertionError(f"{rel}: no line matches {pattern!r}")

    def change(text: str) -> str:
        new = text.split("\n")
        new[number - 1] = re.sub(pattern, replacement, new[number - 1], count=1)
        return "\n".join(new)

    with edited(copy, rel, change):
        yield number
