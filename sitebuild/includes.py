"""Check a page's `--8<--` includes before pymdownx.snippets reads them.

An include must name a file that exists in snippets/ or docs/includes/ and resolves
inside that folder (a symlink may not reach out of it: its target would be published),
and a named section must be marked in the file. Errors name the page and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitebuild.config import INCLUDES_DIR, SNIPPETS_DIR

INCLUDE = re.compile(r'^[ \t]*-+8<-+[ \t]+"(?P<target>[^"]+)"[ \t]*$', re.M)
BASES = (SNIPPETS_DIR, INCLUDES_DIR)


class IncludeError(Exception):
    """A bad include; the message starts with ``page.md:line:``."""


def targets(markdown: str) -> list[tuple[int, str]]:
    """(line, target) for every single-line include in ``markdown``."""
    return [(1 + markdown.count("\n", 0, m.start()), m["target"]) for m in INCLUDE.finditer(markdown)]


def included_file(target: str, where: str) -> Path:
    """The file an include names, checked; ``where`` (page:line) locates errors."""
    name, _, section = target.partition(":")
    for base in BASES:
        candidate = base / name
        if candidate.is_file() or candidate.is_symlink():
            resolved = candidate.resolve()
            if base.resolve() not in resolved.parents:
                raise IncludeError(f'{where}: --8<-- "{target}" resolves outside {base.name}/ '
                                   f"(to {resolved}); includes must stay inside the project's folders")
            if not resolved.is_file():
                raise IncludeError(f'{where}: --8<-- "{target}": {candidate.name} is a broken link')
            if section:
                _check_section(resolved, section, target, where)
            return resolved
    raise IncludeError(f'{where}: --8<-- "{target}": no such file in snippets/ or docs/includes/')


def _check_section(path: Path, section: str, target: str, where: str) -> None:
    text = path.read_text(encoding="utf-8")
    for edge in ("start", "end"):
        if not re.search(rf"--8<--\s*\[{edge}:{re.escape(section)}\]", text):
            raise IncludeError(f'{where}: --8<-- "{target}": the file has no '
                               f"'--8<-- [{edge}:{section}]' marker")


def check(markdown: str, page: str) -> list[Path]:
    """The files ``markdown`` includes, each checked; ``page`` names it in errors."""
    return [included_file(target, f"{page}:{line}") for line, target in targets(markdown)]
