"""What a snippet contributes to the pages, from the cache or from a fresh run.

A record holds what pages may show: the printed output, the module-level scalars
(values), the containers pages embed (data), the figure as light and dark SVG, and what
the run read (files and environment variables). Records are cached under a key of the
snippet, every snippets/ module it imports, this machinery and the library versions;
a cached record is used only while the files and variables it read are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from sitebuild import cache, frameworks, imports, pool
from sitebuild.config import PROJECT_DIR, time_limit_s
from sitebuild.runner import SnippetError, is_figure_snippet, run_snippet, snippet_path

log = logging.getLogger("mkdocs.sitebuild.results")
MACHINERY = [Path(__file__).parent / name for name in ("runner.py", "results.py", "figures.py", "cache.py", "frameworks.py")]
FORMAT = "record-3"


def cache_key(rel_path: str, data_names: frozenset[str] = frozenset()) -> str:
    path = snippet_path(rel_path)
    return cache.key(FORMAT, ",".join(sorted(data_names)), path, *imports.snippet_imports(path), *MACHINERY)


def entry_path(key: str) -> Path:
    return cache.folder("snippets") / f"{key}.json"


def record_for(rel_path: str, data_names: frozenset[str] = frozenset()) -> dict:
    """Run a snippet and keep what pages may show: output, values, data, figure, reads."""
    result = run_snippet(rel_path)
    loop_only = loop_variables(snippet_path(rel_path).read_text(encoding="utf-8"))
    values, data = exported({k: v for k, v in result.namespace.items() if k not in loop_only}, data_names)
    record = {"snippet": rel_path, "stdout": result.stdout, "values": values, "data": data,
              "figure": None, "reads": _fingerprint(result.reads)}
    if is_figure_snippet(rel_path):
        from sitebuild import figures

        if "fig" not in result.namespace:
            raise SnippetError(f"snippets/{rel_path}: a plot_*.py snippet must leave its figure in "
                               "a module-level variable named `fig` (no such name is defined)")
        try:
            light, dark, (width, height) = figures.render_svgs(result.namespace["fig"])
        except figures.FigureError as exc:
            raise SnippetError(f"snippets/{rel_path}: figure: {exc}") from exc
        record["figure"] = {"light": light, "dark": dark, "width": width, "height": height}
    return record


def _fingerprint(reads: dict) -> dict:
    """Files read -> sha256 of their bytes now; environment variables read -> their values."""
    files = {}
    for name in reads.get("files", []):
        path = Path(name) if Path(name).is_absolute() else PROJECT_DIR / name
        files[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return {"files": files, "env": reads.get("env", {})}


def stale_reads(record: dict) -> list[str]:
    """What the snippet read that has changed since the record was made (empty: still valid)."""
    changed = [f"environment variable {name}" for name, value in record["reads"]["env"].items()
               if os.environ.get(name) != value]
    now = _fingerprint({"files": list(record["reads"]["files"])})["files"]
    changed += [f"file {name}" for name, digest in record["reads"]["files"].items() if now[name] != digest]
    return changed


def load(key: str) -> dict | None:
    """The cached record for ``key`` if it is intact and what it read is unchanged."""
    path = entry_path(key)
    data = cache.read(path)
    if data is None:
        return None
    try:
        record = json.loads(data)
        changed = stale_reads(record)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("cache entry %s is not a valid record (%s): ignored, rebuilt", path.name, exc)
        cache.remove(path)
        return None
    if changed:
        log.info("snippets/%s: re-run, it read %s, which changed", record["snippet"], ", ".join(changed))
        return None
    return record


def store(key: str, record: dict) -> None:
    cache.write(entry_path(key), json.dumps(record, sort_keys=True).encode())


def load_or_run_all(requests: dict[str, frozenset[str]], keys: dict[str, str]) -> dict[str, tuple]:
    """snippet -> (record, from cache?) or the SnippetError it raised.

    ``requests`` maps each snippet to the data names pages embed; ``keys`` its cache key.
    Snippets not in the cache run in forked children, one per core (see pool.py).
    """
    outcomes: dict[str, object] = {}
    for snippet in requests:
        record = load(keys[snippet])
        if record is not None:
            outcomes[snippet] = (record, True)
    to_run = {s: (lambda s=s: record_for(s, requests[s])) for s in requests if s not in outcomes}
    if to_run:
        import numpy  # noqa: F401 - imported once, before the forks, for every child

        frameworks.preload(sorted({f for s in to_run for f in frameworks.used_by(
            imports.all_imported_names(snippet_path(s)))}))  # torch, JAX: seconds each, once

        if any(is_figure_snippet(s) for s in to_run):
            from sitebuild import figures  # noqa: F401 - matplotlib too (~0.5 s once, not per figure)

        for snippet, result in pool.run(to_run, time_limit_s()).items():
            if isinstance(result, dict):
                store(keys[snippet], result)
                outcomes[snippet] = (result, False)
            elif isinstance(result, SnippetError):
                outcomes[snippet] = result
            else:
                outcomes[snippet] = SnippetError(f"snippets/{snippet}: {type(result).__name__}: {result}")
    return outcomes


def prune(keep_keys: set[str]) -> None:
    cache.prune(cache.folder("snippets"), {entry_path(k) for k in keep_keys})


def loop_variables(source: str) -> set[str]:
    """Names a module binds only as loop or `with` targets (never by assignment): throwaways,
    not results, so they are neither quotable nor listed when a page misspells a value."""
    import ast

    targets, assigned = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.For, ast.comprehension)):
            targets.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets.update(n.id for n in ast.walk(node.optional_vars) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                assigned.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return targets - assigned


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
    import numpy as np

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
