"""Run one snippet the way both the build and the tests do.

A snippet is a plain script under ``snippets/``. It runs as ``__main__`` with
``snippets/`` on ``sys.path`` (so it may import the shared ``nets`` package),
with warnings turned into errors and its printed output captured. Its
module-level names are its results.
"""

from __future__ import annotations

import ast
import contextlib
import io
import runpy
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path


PROJECT_DIR = Path(__file__).resolve().parent.parent
SNIPPETS_DIR = PROJECT_DIR / "snippets"
HOOKS_DIR = Path(__file__).resolve().parent


class SnippetError(Exception):
    """A snippet is missing or failed; the message starts with ``path:line:``."""


@dataclass
class SnippetResult:
    path: str
    stdout: str
    namespace: dict


def snippet_path(rel_path: str) -> Path:
    """The file for ``rel_path`` (relative to snippets/), or a SnippetError."""
    path = (SNIPPETS_DIR / rel_path).resolve()
    if SNIPPETS_DIR not in path.parents or path.suffix != ".py":
        raise SnippetError(f"snippets/{rel_path}: not a .py file inside snippets/")
    if not path.is_file():
        raise SnippetError(f"snippets/{rel_path}: no such snippet")
    return path


def local_imports(path: Path) -> list[Path]:
    """Files under snippets/ that ``path`` imports, directly or through each other."""
    seen: dict[Path, None] = {}
    pending = [path]
    while pending:
        tree = ast.parse(pending.pop().read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                for found in _module_files(name):
                    if found not in seen and found != path:
                        seen[found] = None
                        pending.append(found)
    return sorted(seen)


def _module_files(dotted: str) -> list[Path]:
    parts = dotted.split(".")
    found = []
    for depth in range(1, len(parts) + 1):
        base = SNIPPETS_DIR.joinpath(*parts[:depth])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                found.append(candidate)
    return found


def _forget_snippet_modules() -> None:
    """Drop cached imports of snippets/ modules so an edited module is re-read."""
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None) or ""
        if origin.startswith(str(SNIPPETS_DIR)):
            del sys.modules[name]


def _failing_line(exc: BaseException, path: Path) -> str:
    """``snippets/x.py:12`` for the innermost frame inside snippets/."""
    where = f"snippets/{path.relative_to(SNIPPETS_DIR).as_posix()}"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        frame_path = Path(frame.filename).resolve()
        if SNIPPETS_DIR in frame_path.parents:
            where = f"snippets/{frame_path.relative_to(SNIPPETS_DIR).as_posix()}:{frame.lineno}"
            break
    if isinstance(exc, SyntaxError) and exc.lineno:
        where = f"snippets/{path.relative_to(SNIPPETS_DIR).as_posix()}:{exc.lineno}"
    return where


def is_figure_snippet(path: Path | str) -> bool:
    return Path(path).name.startswith("plot_")


def _theme_for(path: Path):
    """Figure snippets draw under the site's figure theme; others need no matplotlib."""
    if not is_figure_snippet(path):
        return contextlib.nullcontext()
    return figures_module().figure_theme()


def figures_module():
    """hooks/figures.py, imported only when a figure is drawn (matplotlib takes ~0.5 s).

    MkDocs puts hooks/ on sys.path only while it loads a hook, so make sure it is there.
    """
    if str(HOOKS_DIR) not in sys.path:
        sys.path.append(str(HOOKS_DIR))
    import figures

    return figures


@contextlib.contextmanager
def _shifted_seeds(shift: int):
    """Make ``np.random.default_rng(s)`` draw from another stream for every integer seed s.

    Tests use it to check that a snippet's claim holds for other seeds than the page's:
    seed s becomes the stream ``[s, shift]``, so two equal seeds in a snippet stay equal
    (a shared draw stays shared) and different ones stay independent.
    """
    if not shift:
        yield
        return
    import numpy as np

    page_default_rng = np.random.default_rng

    def default_rng(seed=None):
        if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seed = [int(seed), shift]
        return page_default_rng(seed)

    np.random.default_rng = default_rng
    try:
        yield
    finally:
        np.random.default_rng = page_default_rng


def run_snippet(rel_path: str, seed_shift: int = 0) -> SnippetResult:
    """Run ``snippets/<rel_path>`` fresh and return what it printed and defined.

    ``seed_shift`` (tests only) replaces every integer seed by another one; see _shifted_seeds.
    """
    path = snippet_path(rel_path)
    stdout = io.StringIO()
    _forget_snippet_modules()
    sys.path.insert(0, str(SNIPPETS_DIR))
    try:
        with (contextlib.redirect_stdout(stdout), warnings.catch_warnings(), _theme_for(path),
              _shifted_seeds(seed_shift)):
            warnings.simplefilter("error")
            namespace = runpy.run_path(str(path), run_name="__main__")
    except Exception as exc:
        where = _failing_line(exc, path)
        raise SnippetError(f"{where}: {type(exc).__name__}: {exc}") from exc
    finally:
        sys.path.remove(str(SNIPPETS_DIR))
    return SnippetResult(rel_path, stdout.getvalue(), namespace)
