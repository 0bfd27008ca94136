"""Execute a lab notebook headlessly, cached by everything its outputs depend on.

The cache key covers the notebook's bytes, the source of every `snippets/` module it
imports (followed transitively through the modules' own imports), the installed
library versions and the kernel settings below. Editing `snippets/nets/mlp.py`
re-executes exactly the notebooks that import it.

    key, modules = cache_key(Path("docs/labs/he-2015.ipynb"), Path("snippets"))
    nb = execute(Path("docs/labs/he-2015.ipynb"), Path("snippets"), "docs/labs/he-2015.ipynb")
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from sitebuild import cache, imports
from sitebuild.config import time_limit_s

KEY_VERSION = "notebook-exec-2"
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


def code_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [_python_source(c.source) for c in nb.cells if c.cell_type == "code"]


def cache_key(nb_path: Path, root: Path) -> tuple[str, list[Path]]:
    """(sha256 hex key, imported snippet files) for executing `nb_path` with `root` on the path."""
    data = nb_path.read_bytes()
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    modules = imports.local_modules(code_sources(nb), root)
    return cache.key(KEY_VERSION, repr(KERNEL_SETUP), repr(sorted(KERNEL_ENV)), data, *modules), modules


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
            timeout=time_limit_s(),
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
                if isinstance(exc, CellTimeoutError):
                    exc = f"still running after {time_limit_s():g} s, the time limit per cell (set DOCS_TIME_LIMIT_S to change it)"
                cell = nb.cells[i] if i >= 0 else None
                at = (
                    f"cell {i} (id {cell.id!r}, first line {_first_line(cell.source)!r})"
                    if cell
                    else "kernel start"
                )
                tail = stderr_path.read_text(errors="replace")[-800:] if stderr_path.exists() else ""
                raise NotebookError(f"{where}: {at}: {exc if isinstance(exc, str) else f'{type(exc).__name__}: {exc}'}\n{tail}") from None
    _refuse_error_outputs(nb, where)


def _refuse_error_outputs(nb: nbformat.NotebookNode, where: str) -> None:
    """An error shown without failing the cell (e.g. a figure that could not be drawn: IPython
    prints the formatter's exception and goes on) would publish a page with a traceback."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                raise NotebookError(
                    f"{where}: cell {index} (id {cell.id!r}, first line {_first_line(cell.source)!r}) "
                    f"shows an error although it ran: {output.get('ename')}: {output.get('evalue')}")


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
    reader's download is named like the lab. It is written with a checksum and used only
    while it matches (sitebuild/cache.py).
    """
    key, modules = cache_key(nb_path, root)
    out = cache_path(nb_path, key, cache_dir, src_uri)
    if cache.is_valid(out):
        return out, modules, key, False
    nb = execute(nb_path, root, where)
    cache.write(out, dumps(nb))
    return out, modules, key, True


def cache_path(nb_path: Path, key: str, cache_dir: Path, src_uri: str) -> Path:
    """Where the executed copy of `nb_path` under `key` lives."""
    return cache_dir / f"{nb_path.stem}-{key[:16]}" / src_uri


def is_cached(nb_path: Path, root: Path, cache_dir: Path, src_uri: str) -> bool:
    return cache.is_valid(cache_path(nb_path, cache_key(nb_path, root)[0], cache_dir, src_uri))


def prune(cache_dir: Path, keep: set[Path]) -> None:
    """Remove cache entries of these notebooks' stems that this build did not use."""
    keep_entries = {p for k in keep for p in k.parents if p.parent == cache_dir}
    stems = {e.name.rsplit("-", 1)[0] for e in keep_entries}
    for entry in cache_dir.glob("*-*"):
        if entry.is_dir() and entry not in keep_entries and entry.name.rsplit("-", 1)[0] in stems:
            shutil.rmtree(entry, ignore_errors=True)


if __name__ == "__main__":
    # Used by hooks/notebooks.py to execute a notebook into the cache in the background:
    #   python -m sitebuild.notebook_exec NOTEBOOK SNIPPETS_DIR CACHE_DIR SRC_URI
    notebook, snippets_dir, cache_folder, uri = sys.argv[1:5]
    try:
        load_or_execute(Path(notebook), Path(snippets_dir), Path(cache_folder), f"docs/{uri}", uri)
    except NotebookError as exc:
        sys.exit(str(exc))
