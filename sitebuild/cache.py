"""The build's one on-disk cache: keys, library versions, verified atomic entries, pruning.

Every entry is a file written atomically (temporary file + rename) with a sidecar
``<name>.sha256`` holding the checksum of its bytes. A read checks the checksum; an entry
that is missing its checksum, truncated or edited is reported and treated as a miss, so
a damaged cache costs a re-run, never a wrong page or a build that jams.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import sys
import tempfile
from pathlib import Path

from sitebuild.config import PROJECT_DIR, cache_root

log = logging.getLogger("mkdocs.sitebuild.cache")
CHECKSUM_SUFFIX = ".sha256"
PARTIAL_SUFFIX = ".partial"


def folder(kind: str) -> Path:
    """The cache folder for one kind of entry (snippets, notebooks, math-font, ...)."""
    return cache_root() / kind


@functools.cache
def library_versions() -> str:
    """Python and every installed distribution, one per line: part of every key."""
    dists = {f"{d.metadata['Name'].lower()}=={d.version}" for d in importlib.metadata.distributions()}
    return f"python {sys.version}\n" + "\n".join(sorted(dists))


def key(*parts: str | bytes | Path) -> str:
    """sha256 over the parts; a Path contributes its project-relative name and its bytes."""
    digest = hashlib.sha256(library_versions().encode() + b"\0")
    for part in parts:
        if isinstance(part, Path):
            name = part.relative_to(PROJECT_DIR).as_posix() if part.is_relative_to(PROJECT_DIR) else str(part)
            digest.update(name.encode() + b"\0" + part.read_bytes())
        else:
            digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _checksum(path: Path) -> Path:
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, then its checksum (a crash in between is a miss)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, content in ((path, data), (_checksum(path), hashlib.sha256(data).hexdigest().encode())):
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=PARTIAL_SUFFIX, delete=False) as tmp:
            tmp.write(content)
        os.replace(tmp.name, target)


def read(path: Path) -> bytes | None:
    """The entry's bytes if it exists and matches its checksum; otherwise None (a miss)."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    checksum = _checksum(path)
    expected = checksum.read_text(encoding="ascii").strip() if checksum.is_file() else ""
    if hashlib.sha256(data).hexdigest() != expected:
        log.info("cache entry %s does not match its checksum (damaged or edited): ignored, rebuilt",
                    path.relative_to(cache_root()) if path.is_relative_to(cache_root()) else path)
        remove(path)
        return None
    return data


def is_valid(path: Path) -> bool:
    return read(path) is not None


def remove(path: Path) -> None:
    for target in (path, _checksum(path)):
        target.unlink(missing_ok=True)


def prune(directory: Path, keep: set[Path], pattern: str = "*") -> None:
    """Delete entries in ``directory`` matching ``pattern`` that are not in ``keep``, and partial writes."""
    if not directory.is_dir():
        return
    keep = keep | {_checksum(p) for p in keep}
    for entry in directory.glob(pattern):
        if entry.is_file() and (entry.name.endswith(PARTIAL_SUFFIX) or entry not in keep):
            entry.unlink(missing_ok=True)
