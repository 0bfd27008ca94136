"""Snippet results kept on disk, keyed by everything that can change them.

The key hashes the snippet's source, the source of every snippets/ module it
imports (transitively), this runner and the figure theme, and the library
versions. A rebuild with nothing changed runs no snippet; editing one snippet
re-runs it and only the snippets that import it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import tempfile
from pathlib import Path

import snippet_runner
from snippet_runner import SnippetError, is_figure_snippet, run_snippet

CACHE_ROOT = Path(os.environ.get("DOCS_CACHE_DIR", snippet_runner.PROJECT_DIR / ".cache"))
CACHE_DIR = CACHE_ROOT / "snippets"
# Snippets multiply small matrices and run one per core: BLAS threads would only contend.
# Set before NumPy loads (only when a snippet runs); labs executed in subprocesses inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
FORMAT_VERSION = "2"
PARTIAL_SUFFIX = ".json.partial"


def cache_key(rel_path: str, data_names: frozenset[str] = frozenset()) -> str:
    path = snippet_runner.snippet_path(rel_path)
    digest = hashlib.sha256()
    for part in (*_versions(), ",".join(sorted(data_names))):
        digest.update(part.encode() + b"\0")
    for source in [path, *snippet_runner.local_imports(path), *_machinery()]:
        digest.update(source.relative_to(snippet_runner.PROJECT_DIR).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def _versions() -> tuple[str, ...]:
    libraries = [importlib.metadata.version(name) for name in ("numpy", "matplotlib")]
    return (FORMAT_VERSION, platform.python_version(), *libraries)


def _machinery() -> list[Path]:
    hooks = snippet_runner.HOOKS_DIR
    return [hooks / "snippet_runner.py", hooks / "figures.py", Path(__file__)]


def is_cached(key: str) -> bool:
    return (CACHE_DIR / f"{key}.json").is_file()


def load_or_run(
    rel_path: str, data_names: frozenset[str] = frozenset(), key: str | None = None
) -> tuple[dict, bool]:
    """(result record, whether it came from the cache) for one snippet.

    ``data_names`` are the containers pages embed with ``{{ data: }}``; only those are
    kept, so the cache does not fill with every array a snippet happens to define.
    ``key`` is ``cache_key(rel_path, data_names)`` when the caller already has it.
    """
    key = key or cache_key(rel_path, data_names)
    entry = CACHE_DIR / f"{key}.json"
    if entry.is_file():
        return json.loads(entry.read_text(encoding="utf-8")), True
    record = run_to_record(rel_path, data_names)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", dir=CACHE_DIR, suffix=PARTIAL_SUFFIX, delete=False, encoding="utf-8"
    ) as tmp:
        json.dump(record, tmp)
    os.replace(tmp.name, entry)
    return record, False


def prune(keep: set[str]) -> None:
    """Delete cache entries no snippet of this build uses, and leftovers of interrupted writes."""
    if CACHE_DIR.is_dir():
        for entry in CACHE_DIR.iterdir():
            if entry.name.endswith(PARTIAL_SUFFIX) or entry.stem not in keep:
                entry.unlink()


def run_to_record(rel_path: str, data_names: frozenset[str] = frozenset()) -> dict:
    """Run a snippet and keep what pages may show: output, values, data, figure."""
    result = run_snippet(rel_path)
    values, data = exported(result.namespace, data_names)
    record = {"stdout": result.stdout, "values": values, "data": data, "figure": None}
    if is_figure_snippet(rel_path):
        figures = snippet_runner.figures_module()
        fig = result.namespace.get("fig")
        try:
            light, dark, (width, height) = figures.render_svgs(fig)
        except figures.FigureError as exc:
            raise SnippetError(f"snippets/{rel_path}: figure: {exc}") from exc
        record["figure"] = {"light": light, "dark": dark, "width": width, "height": height}
    return record


def exported(namespace: dict, data_names: frozenset[str] = frozenset()) -> tuple[dict, dict]:
    """Module-level scalars (quotable in prose) and the requested JSON-able containers (data)."""
    values, data = {}, {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        scalar = _scalar(value)
        if scalar is not None:
            values[name] = scalar
        elif name in data_names and isinstance(value, (dict, list, tuple)):
            try:
                data[name] = json.loads(json.dumps(value, default=_json_default, allow_nan=False))
            except (TypeError, ValueError):
                pass
    return values, data


def _scalar(value):
    import numpy as np  # loaded by the snippets themselves; a no-change build never needs it

    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    return None


def _json_default(value):
    import numpy as np

    if isinstance(value, np.ndarray) and value.size <= 100_000:
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)
