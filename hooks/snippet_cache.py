"""Snippet results kept on disk, keyed by everything that can change them.

The key hashes the snippet's source, the source of every snippets/ module it
imports (transitively), this runner and the figure theme, and the library
versions. A rebuild with nothing changed runs no snippet; editing one snippet
re-runs it and only the snippets that import it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

import matplotlib
import numpy as np

import figures
import snippet_runner
from snippet_runner import SnippetError, is_figure_snippet, run_snippet

CACHE_ROOT = Path(os.environ.get("DOCS_CACHE_DIR", snippet_runner.PROJECT_DIR / ".cache"))
CACHE_DIR = CACHE_ROOT / "snippets"
HOOKS_DIR = Path(__file__).resolve().parent
FORMAT_VERSION = "1"


def cache_key(rel_path: str) -> str:
    path = snippet_runner.snippet_path(rel_path)
    digest = hashlib.sha256()
    for part in (FORMAT_VERSION, platform.python_version(), np.__version__, matplotlib.__version__):
        digest.update(part.encode() + b"\0")
    for source in [path, *snippet_runner.local_imports(path), *_machinery()]:
        digest.update(source.relative_to(snippet_runner.PROJECT_DIR).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


def _machinery() -> list[Path]:
    return [HOOKS_DIR / "snippet_runner.py", HOOKS_DIR / "figures.py", Path(__file__)]


def load_or_run(rel_path: str) -> tuple[dict, bool]:
    """(result record, whether it came from the cache) for one snippet."""
    key = cache_key(rel_path)
    entry = CACHE_DIR / f"{key}.json"
    if entry.is_file():
        return json.loads(entry.read_text(encoding="utf-8")), True
    record = run_to_record(rel_path)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=CACHE_DIR, delete=False, encoding="utf-8") as tmp:
        json.dump(record, tmp)
    os.replace(tmp.name, entry)
    return record, False


def prune(keep: set[str]) -> None:
    """Delete cache entries no snippet of this build uses."""
    if CACHE_DIR.is_dir():
        for entry in CACHE_DIR.glob("*.json"):
            if entry.stem not in keep:
                entry.unlink()


def run_to_record(rel_path: str) -> dict:
    """Run a snippet and keep what pages may show: output, values, data, figure."""
    result = run_snippet(rel_path)
    values, data = exported(result.namespace)
    record = {"stdout": result.stdout, "values": values, "data": data, "figure": None}
    if is_figure_snippet(rel_path):
        fig = result.namespace.get("fig")
        try:
            light, dark, (width, height) = figures.render_svgs(fig)
        except figures.FigureError as exc:
            raise SnippetError(f"snippets/{rel_path}: figure: {exc}") from exc
        record["figure"] = {"light": light, "dark": dark, "width": width, "height": height}
    return record


def exported(namespace: dict) -> tuple[dict, dict]:
    """Module-level scalars (quotable in prose) and JSON-able containers (data)."""
    values, data = {}, {}
    for name, value in namespace.items():
        if name.startswith("_"):
            continue
        scalar = _scalar(value)
        if scalar is not None:
            values[name] = scalar
        elif isinstance(value, (dict, list, tuple)):
            try:
                data[name] = json.loads(json.dumps(value, default=_json_default, allow_nan=False))
            except (TypeError, ValueError):
                pass
    return values, data


def _scalar(value):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    return None


def _json_default(value):
    if isinstance(value, np.ndarray) and value.size <= 100_000:
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)
