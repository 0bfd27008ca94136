"""MkDocs hook: run the snippets pages refer to and put their results on the pages.

on_files   parse every page's directives, run (or load from cache) each snippet
           they name, and add its figures to the build as generated files;
on_page_markdown   replace the directives with output blocks, values and figures.
Any problem aborts the build with a message naming the page or snippet line.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import directives
import snippet_cache
import snippet_pool
from snippet_runner import SnippetError

log = logging.getLogger("mkdocs.hooks.snippets")

_records: dict[str, dict] = {}
_page_directives: dict[str, list[directives.Directive]] = {}
_used_keys: set[str] = set()


def on_files(files: Files, config) -> Files:
    _records.clear()
    _page_directives.clear()
    _used_keys.clear()
    for file in files.documentation_pages():
        if file.src_uri.endswith(".md"):
            _page_directives[file.src_uri] = _parse_page(file)
    first_uses = _first_uses()
    requests = {snippet: _data_names(snippet) for snippet in first_uses}
    keys = {}
    for snippet, names in requests.items():
        try:
            keys[snippet] = snippet_cache.cache_key(snippet, names)
        except SnippetError as exc:
            raise PluginError(f"Snippet failed: {exc}\n  (used at {first_uses[snippet]})") from exc
    _used_keys.update(keys.values())
    ran = 0
    for snippet, outcome in sorted(snippet_pool.load_or_run_all(requests, keys).items()):
        if isinstance(outcome, SnippetError):
            raise PluginError(f"Snippet failed: {outcome}\n  (used at {first_uses[snippet]})")
        _records[snippet], cached = outcome
        ran += not cached
    log.info("snippets: %d run, %d from cache", ran, len(_records) - ran)
    for snippet, record in sorted(_records.items()):
        if record["figure"]:
            for variant in ("light", "dark"):
                uri = directives.figure_uri(snippet, variant)
                files.append(File.generated(config, uri, content=record["figure"][variant]))
    return files


def _data_names(snippet: str) -> frozenset[str]:
    """The containers of ``snippet`` that pages embed with ``{{ data: }}``."""
    return frozenset(
        d.name for found in _page_directives.values() for d in found if d.kind == "data" and d.snippet == snippet
    )


def _first_uses() -> dict[str, str]:
    """Each snippet a page names, with the first page:line that names it."""
    uses: dict[str, str] = {}
    for uri, found in sorted(_page_directives.items()):
        for directive in found:
            uses.setdefault(directive.snippet, f"docs/{uri}:{directive.line}")
    return uses


def _parse_page(file: File) -> list[directives.Directive]:
    source = file.content_string
    try:
        found = directives.parse(source, f"docs/{file.src_uri}")
    except directives.DirectiveError as exc:
        raise PluginError(str(exc)) from exc
    return found


def on_page_markdown(markdown: str, page, config, files) -> str:
    uri = page.file.src_uri
    if not _page_directives.get(uri):
        return markdown
    source = page.file.content_string
    start = source.find(markdown)
    first_line = 1 + source.count("\n", 0, start) if start >= 0 else 1
    try:
        found = directives.parse(markdown, f"docs/{uri}", first_line)
        for directive in found:
            if directive.kind == "figure" and not _records[directive.snippet]["figure"]:
                raise directives.DirectiveError(
                    f"docs/{uri}:{directive.line}: snippets/{directive.snippet} made no figure"
                )
        return directives.expand(markdown, found, _records, uri)
    except directives.DirectiveError as exc:
        raise PluginError(str(exc)) from exc


def on_post_build(config) -> None:
    snippet_cache.prune(_used_keys)
