"""Execute a lab notebook headlessly, cached by everything its outputs depend on.

The cache key covers the notebook's bytes, the source of every `snippets/` module it
imports (followed transitively through the modules' own imports), the installed
library versions and the kernel settings below. Editing `snippets/nets/mlp.py`
re-executes exactly the notebooks that import it.

    key, modules = cache_key(Path("docs/labs/he-2015.ipynb"), Path("snippets"))
    nb = execute(Path("docs/labs/he-2015.ipynb"), Path("snippets"), "docs/labs/he-2015.ipynb")
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

KEY_VERSION = "notebook-exec-1"
TIMEOUT_S = 120
# Kernel setup, run before the first cell: warnings are errors (as for snippets) except
# two that the kernel's own machinery raises: a DeprecationWarning matplotlib-inline
# triggers inside traitlets, and ipykernel's PendingDeprecationWarning about its own
# do_shutdown (as an error, the kernel never answers the shutdown request and every run
# waits ~2.5 s for it). Inline PNGs carry no "Software" (matplotlib version) metadata;
# matplotlib's PNG writer adds no date, so the PNG bytes depend only on the figure.
KERNEL_SETUP = (
    "import warnings; warnings.simplefilter('error'); warnings.filterwarnings('ignore', "
    "'.*is deprecated in traitlets', DeprecationWarning); warnings.filterwarnings('ignore', "
    "'For consistency across implementations', PendingDeprecationWarning); del warnings",
    "get_ipython().run_line_magic('config', \"InlineBackend.print_figure_kwargs = "
    "{'bbox_inches': 'tight', 'metadata': {'Software': None}}\")",
)
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLCONFIGDIR": ""}  # MPLCONFIGDIR: filled per run
CELL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class NotebookError(Exception):
    """A notebook that is malformed or whose cell raised; the message names the file."""


# ---------------------------------------------------------------- imports and key


def _python_source(cell_source: str) -> str:
    """Cell source as plain Python (IPython magics become get_ipython() calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def imported_names(source: str, package: str | None = None) -> set[str]:
    """Dotted module names `source` may import (`from a import b` gives a and a.b)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()  # the cell will fail when it runs; its bytes are in the key anyway
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package:
                    continue
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            if module:
                names.add(module)
                names.update(f"{module}.{a.name}" for a in node.names if a.name != "*")
    return names


def resolve(name: str, root: Path) -> list[tuple[Path, str]]:
    """Files under `root` that importing `name` executes, with each one's package name."""
    parts = name.split(".")
    found = []
    for i in range(1, len(parts) + 1):
        base = root.joinpath(*parts[:i])
        if (base / "__init__.py").is_file():
            found.append((base / "__init__.py", ".".join(parts[:i])))
        elif base.with_suffix(".py").is_file():
            found.append((base.with_suffix(".py"), ".".join(parts[: i - 1])))
            break  # a module: further parts are attributes
        elif not base.is_dir():  # not a namespace package either: not ours
            break
    return found


def snippet_modules(code_sources: list[str], root: Path) -> list[Path]:
    """Every file under `root` that running `code_sources` imports, transitively; sorted."""
    seen: dict[Path, str] = {}
    todo = [(name, None) for src in code_sources for name in imported_names(src)]
    while todo:
        name, _ = todo.pop()
        for path, package in resolve(name, root):
            if path in seen:
                continue
            seen[path] = package
            for sub in imported_names(path.read_text(encoding="utf-8"), package):
                todo.append((sub, package))
    return sorted(seen)


@functools.lru_cache(maxsize=1)
def library_versions() -> str:
    dists = {f"{d.metadata['Name'].lower()}=={d.version}" for d in importlib.metadata.distributions()}
    return f"python {sys.version}\n" + "\n".join(sorted(dists))


def code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [_python_source(c.source) for c in nb.cells if c.cell_type == "code"]


def cache_key(nb_path: Path, root: Path) -> tuple[str, list[Path]]:
    """(sha256 hex key, imported snippet files) for executing `nb_path` with `root` on the path."""
    data = nb_path.read_bytes()
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    modules = snippet_modules(code_sources(nb), root)
    h = hashlib.sha256()
    for part in (KEY_VERSION, repr(KERNEL_SETUP), repr(sorted(KERNEL_ENV)), library_versions()):
        h.update(part.encode() + b"\0")
    h.update(data + b"\0")
    for path in modules:
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest(), modules


# ---------------------------------------------------------------- source checks


def check_source(nb: nbformat.NotebookNode, where: str) -> None:
    """Stored notebooks: no outputs, no execution counts, fixed readable unique cell ids."""
    ids = set()
    for index, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if not cid or not CELL_ID.match(cid):
            raise NotebookError(
                f"{where}: cell {index} needs a fixed, readable id (lowercase words joined by "
                f"'-', e.g. 'train-he'), not {cid!r}"
            )
        if cid in ids:
            raise NotebookError(f"{where}: cell {index} repeats the id {cid!r}")
        ids.add(cid)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            raise NotebookError(
                f"{where}: cell {index} (id {cid!r}) is stored with outputs; clear them "
                "(Jupyter: Edit > Clear Outputs of All Cells) and save again"
            )


# ---------------------------------------------------------------- execution


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _cell_error_message(where: str, index: int, cell, exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    detail = ""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            # the line of the cell that raised: IPython marks it with "---->"
            for line in ANSI.sub("", "\n".join(output.get("traceback", []))).splitlines():
                if line.lstrip().startswith("---->"):
                    detail = f"; raised at {line.strip()}"
                    break
            break
    return (
        f"{where}: cell {index} (id {cell.get('id')!r}, first line "
        f"{_first_line(cell.source)!r}) raised {ename}: {evalue}{detail}"
    )


def execute(nb_path: Path, root: Path, where: str) -> nbformat.NotebookNode:
    """Run every cell of `nb_path` in a fresh kernel with `root` on sys.path.

    Runs in an empty temporary working directory (a notebook must not depend on the
    current directory or write into the repository). Raises NotebookError naming the
    notebook, the cell index, id and first line when a cell raises.
    """
    nb = nbformat.read(nb_path, as_version=4)
    check_source(nb, where)
    _run(nb, root, where)
    _normalise(nb)
    return nb


def probe(nb_path: Path, root: Path, where: str, expressions: dict[str, str]) -> dict:
    """Run the notebook plus one extra cell and return `expressions` evaluated after it.

    For tests: they check the lab's claims on the very variables the notebook computed.
    Arrays come back as (nested) lists.
    """
    nb = nbformat.read(nb_path, as_version=4)
    check_source(nb, where)
    items = ", ".join(f"{name!r}: ({expr})" for name, expr in expressions.items())
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\n"
        f"print(_json.dumps({{{items}}}, default=lambda o: o.tolist()))", id="test-probe"))
    _run(nb, root, where)
    outputs = nb.cells[-1].outputs
    return json.loads("".join(o.get("text", "") for o in outputs if o.output_type == "stream"))


def _run(nb: nbformat.NotebookNode, root: Path, where: str) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    current = {"index": -1}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    with tempfile.TemporaryDirectory(prefix="nb-exec-") as tmp:
        env = dict(os.environ)
        env.update(KERNEL_ENV)
        env["MPLCONFIGDIR"] = str(Path(tmp, ".mpl"))
        env["PYTHONPATH"] = os.pathsep.join(
            [str(root.resolve())] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        )
        env.pop("MPLBACKEND", None)  # the kernel's inline backend draws the figures
        stderr_path = Path(tmp, "kernel-stderr.txt")
        client = NotebookClient(
            nb,
            timeout=TIMEOUT_S,
            kernel_name="python3",
            allow_errors=False,
            record_timing=False,
            resources={"metadata": {"path": tmp}},
            extra_arguments=[f"--IPKernelApp.exec_lines={line}" for line in KERNEL_SETUP],
            on_cell_start=on_cell_start,
        )
        with stderr_path.open("w") as stderr:
            try:
                client.execute(env=env, stderr=stderr)
            except CellExecutionError as exc:
                i = current["index"]
                raise NotebookError(_cell_error_message(where, i, nb.cells[i], exc)) from None
            except (CellTimeoutError, DeadKernelError, RuntimeError) as exc:
                i = current["index"]
                cell = nb.cells[i] if i >= 0 else None
                at = (
                    f"cell {i} (id {cell.id!r}, first line {_first_line(cell.source)!r})"
                    if cell
                    else "kernel start"
                )
                tail = stderr_path.read_text(errors="replace")[-800:] if stderr_path.exists() else ""
                raise NotebookError(f"{where}: {at}: {type(exc).__name__}: {exc}\n{tail}") from None


def _normalise(nb: nbformat.NotebookNode) -> None:
    """Drop what may vary between runs (timings, widget state)."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)


def dumps(nb: nbformat.NotebookNode) -> bytes:
    """Stable bytes for an executed notebook (sorted keys, as Jupyter writes them)."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def load_or_execute(nb_path: Path, root: Path, cache_dir: Path, where: str, src_uri: str):
    """(path of the executed notebook, imported modules, key, ran?) using `cache_dir`.

    The executed copy is `cache_dir/<stem>-<key[:16]>/<src_uri>`: it keeps the source's
    path below docs/, so that mkdocs-jupyter's `include` patterns still match it and a
    reader's download is named like the lab.
    """
    key, modules = cache_key(nb_path, root)
    entry, out = cache_paths(nb_path, key, cache_dir, src_uri)
    if out.is_file():
        return out, modules, key, False
    nb = execute(nb_path, root, where)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(dumps(nb))
    (entry / "key.json").write_text(
        json.dumps({"key": key, "notebook": where,
                    "modules": [p.relative_to(root).as_posix() for p in modules]}, indent=1)
    )
    os.replace(tmp, out)  # atomic: a concurrent build sees the whole file or none
    return out, modules, key, True


def cache_paths(nb_path: Path, key: str, cache_dir: Path, src_uri: str) -> tuple[Path, Path]:
    """(cache entry folder, executed notebook path) of `nb_path` under `key`."""
    entry = cache_dir / f"{nb_path.stem}-{key[:16]}"
    return entry, entry / src_uri


def is_cached(nb_path: Path, root: Path, cache_dir: Path, src_uri: str) -> bool:
    return cache_paths(nb_path, cache_key(nb_path, root)[0], cache_dir, src_uri)[1].is_file()


def prune(cache_dir: Path, keep: set[Path]) -> None:
    """Remove cache entries of these notebooks' stems that this build did not use."""
    keep_entries = {p for k in keep for p in k.parents if p.parent == cache_dir}
    stems = {e.name.rsplit("-", 1)[0] for e in keep_entries}
    for entry in cache_dir.glob("*-*"):
        if entry.is_dir() and entry not in keep_entries and entry.name.rsplit("-", 1)[0] in stems:
            shutil.rmtree(entry, ignore_errors=True)


if __name__ == "__main__":
    # Used by hooks/notebooks.py to execute a notebook into the cache in the background:
    #   python hooks/notebook_exec.py NOTEBOOK SNIPPETS_DIR CACHE_DIR SRC_URI
    notebook, snippets_dir, cache_folder, uri = sys.argv[1:5]
    load_or_execute(Path(notebook), Path(snippets_dir), Path(cache_folder), f"docs/{uri}", uri)
