"""Swap a freshly built site in as ``site/`` atomically: ``site`` is a symlink, flipped by a rename.

    python -m sitebuild.publish .cache/site-next site

The new build moves to ``.cache/sites/<n>``; a temporary link to it is renamed over
``site`` (rename is atomic), so ``site/`` is at every instant either the old site or the
new one, whole, even if the process is killed in between. Older builds are then removed.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path


def publish(built: Path, site: Path) -> Path:
    store = site.parent / ".cache" / "sites"
    store.mkdir(parents=True, exist_ok=True)
    target = store / f"{time.time_ns()}"
    os.replace(built, target)
    if site.is_dir() and not site.is_symlink():  # a site/ from before symlinks: once, not atomic
        os.replace(site, store / "previous-directory")
    link = site.with_name(f".{site.name}.next")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, site.parent))
    os.replace(link, site)
    for old in store.iterdir():
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target


if __name__ == "__main__":
    built_dir, site_dir = map(Path, sys.argv[1:3])
    if not (built_dir / "index.html").is_file():
        sys.exit(f"{built_dir}: no built site to publish")
    publish(built_dir, site_dir)
