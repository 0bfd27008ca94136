"""Which files under snippets/ a piece of Python imports, directly or through each other.

One walker for snippets and notebooks: `import a.b`, `from a import b` (b may be a
module) and relative imports (`from .act import relu` inside a package) are all followed,
so every module a result depends on is part of its cache key.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from sitebuild.config import SNIPPETS_DIR


@functools.cache  # keyed by the text itself: a build parses each shared module once, not per snippet
def imported_names(source: str, package: str | None = None) -> frozenset[str]:
    """Dotted module names ``source`` may import (`from a import b` gives a and a.b).

    ``package`` is the package the source belongs to, for relative imports.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()  # it fails when it runs; its bytes are in the key anyway
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package:
                    continue  # a script has no package: the import fails when it runs
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            if module:
                names.add(module)
                names.update(f"{module}.{a.name}" for a in node.names if a.name != "*")
    return frozenset(names)


def resolve(name: str, root: Path) -> list[tuple[Path, str]]:
    """Files under ``root`` that importing ``name`` executes, with each one's package name."""
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


def _walk(sources: list[str], root: Path, exclude: Path | None = None) -> tuple[dict[Path, frozenset[str]], set[str]]:
    """(every file under ``root`` that running ``sources`` imports, transitively -> the names
    that file imports; the names ``sources`` import themselves)."""
    top = set().union(*(imported_names(source) for source in sources))
    found: dict[Path, set[str]] = {}
    todo = list(top)
    while todo:
        for path, package in resolve(todo.pop(), root):
            if path in found or path == exclude:
                continue
            found[path] = imported_names(path.read_text(encoding="utf-8"), package)
            todo.extend(found[path])
    return found, top


def local_modules(sources: list[str], root: Path, exclude: Path | None = None) -> list[Path]:
    """Every file under ``root`` that running ``sources`` imports, transitively; sorted."""
    return sorted(_walk(sources, root, exclude)[0])


def snippet_imports(path: Path) -> list[Path]:
    """The snippets/ modules the snippet at ``path`` imports (not the snippet itself)."""
    return local_modules([path.read_text(encoding="utf-8")], SNIPPETS_DIR, exclude=path)


def all_imported_names(path: Path) -> set[str]:
    """Every dotted name the snippet at ``path`` and the snippets/ modules it uses import."""
    modules, names = _walk([path.read_text(encoding="utf-8")], SNIPPETS_DIR, exclude=path)
    return names.union(*modules.values())
