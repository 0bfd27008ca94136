"""Run the real strict build as a subprocess, the way `make build` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pages import PROJECT

EPOCH = "1700000000"


def build_command(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]


def start_build(site_dir: Path, cache_dir: Path, project: Path = PROJECT) -> subprocess.Popen:
    """A strict build with its own cache directory (so it runs every snippet itself)."""
    env = dict(os.environ, DOCS_CACHE_DIR=str(cache_dir), SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    return subprocess.Popen(
        build_command(site_dir), cwd=project, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output
