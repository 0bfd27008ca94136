"""Run the real strict build as a subprocess, the way `make build` does."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pages import DOCS, PROJECT, SNIPPETS

EPOCH = "1700000000"

# config.stash[BACKGROUND]: test module name -> the work it started after collection
BACKGROUND = pytest.StashKey[dict]()


def build_command(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]


def start_build(site_dir: Path, cache_dir: Path, project: Path = PROJECT, hash_seed: int = 0) -> subprocess.Popen:
    """A strict build with its own cache directory (so it runs every snippet itself)."""
    env = dict(os.environ, DOCS_CACHE_DIR=str(cache_dir), NO_MKDOCS_2_WARNING="1",
               SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", EPOCH),  # `make test`: the last commit
               PYTHONHASHSEED=str(hash_seed))
    return subprocess.Popen(
        build_command(site_dir), cwd=project, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def tree_digest(*roots: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for root in roots for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    }


class ColdBuilds:
    """Two strict cold builds of the working tree, side by side, each with its own empty cache.

    The session starts them once, in the background, as soon as tests are collected; the
    site checks, the browser tests and the fault suite's warm cache all use them.
    """

    def __init__(self, root: Path, handoff: Path | None = None):
        self.sites = [root / f"site{i}" for i in (1, 2)]
        self.caches = [root / f"cache{i}" for i in (1, 2)]
        self.sources_before = tree_digest(DOCS, SNIPPETS)
        # Different hash seeds: a snippet whose output follows set or dict-of-hash order differs.
        self._processes = [start_build(site, cache, hash_seed=seed)
                           for seed, site, cache in zip((1, 2), self.sites, self.caches)]
        self._results: list[tuple[int, str]] | None = None
        self._waiting = threading.Lock()  # the fault suite's thread waits too
        self._handoff = threading.Thread(target=self._hand_off, args=(handoff,), daemon=True) if handoff else None
        if self._handoff is not None:
            self._handoff.start()

    def _hand_off(self, folder: Path) -> None:
        """As soon as the builds end, give the first site to another pytest process (the browser
        tests, tools/run_tests.py): a copy of it and a status file, written last."""
        self.wait()
        if self.finished_ok():
            shutil.copytree(self.sites[0], folder / "site", symlinks=False)
            status = "ok"
        else:
            status = "the session's cold builds failed:\n" + "\n".join(out[-3000:] for _, out in self._results)
        (folder / "status.tmp").write_text(status, encoding="utf-8")
        (folder / "status.tmp").replace(folder / HANDOFF_STATUS)

    def wait(self) -> dict:
        with self._waiting:
            if self._results is None:
                self._results = [finish(p) for p in self._processes]
        return {"sites": self.sites, "caches": self.caches, "results": self._results,
                "sources_before": self.sources_before}

    def finished_ok(self) -> bool:
        return self._results is not None and all(code == 0 for code, _ in self._results)

    def stop(self) -> None:
        for process in self._processes:
            if process.poll() is None:
                process.kill()
        if self._handoff is not None:
            self._handoff.join(timeout=300)  # a copy in progress ends before the sites are removed
        with self._waiting:  # a thread inside wait() reaps them itself
            for process in self._processes:
                if process.returncode is None:
                    process.communicate()


HANDOFF_STATUS = "status"


def handed_site(folder: Path, timeout_s: float = 1200) -> Path:
    """The site another pytest process built and handed off in ``folder`` (see ColdBuilds)."""
    status = folder / HANDOFF_STATUS
    deadline = time.monotonic() + timeout_s
    while not status.is_file():
        if time.monotonic() > deadline:
            pytest.fail(f"no built site was handed off in {folder} within {timeout_s:g} s")
        time.sleep(0.5)
    text = status.read_text(encoding="utf-8")
    if text != "ok":
        pytest.fail(text)
    return folder / "site"


def snippet_records(cache_dir: Path) -> dict[str, dict]:
    """snippet -> its cached record (what the build published), from one build's cache."""
    records = {}
    for entry in sorted((cache_dir / "snippets").glob("*.json")):
        record = json.loads(entry.read_text(encoding="utf-8"))
        record.pop("reads", None)  # where the build ran (paths, variables), not what it showed
        records[record["snippet"]] = record
    return records


def snippet_records_differ(first: Path, second: Path) -> list[str]:
    """The snippets whose output, values, data or figure differ between two builds' caches."""
    a, b = snippet_records(first), snippet_records(second)
    return sorted(s for s in a.keys() | b.keys() if a.get(s) != b.get(s))
