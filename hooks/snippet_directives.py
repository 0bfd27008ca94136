"""MkDocs hook: snippet results on the pages (the work is in sitebuild/).

on_files          check every page's directives and --8<-- includes, get each snippet's
                  record (cache or a fresh run), add figures, {{ data: }} JSON and each page's
                  notebook as generated files;
on_page_markdown  replace the directives with outputs, values, figures and data; link the notebook;
on_post_page      fail on any {{ ... }} left in a page (outside code and comments);
on_post_build     drop cache entries this build did not use.
Any problem aborts the build with a message naming the page or snippet, and line.
"""

from __future__ import annotations

import logging
import posixpath
import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import meta

from sitebuild import directives, includes, page_notebooks, results
from sitebuild.runner import SnippetError

log = logging.getLogger("mkdocs.hooks.snippets")


class _Build:
    """What one build learnt in on_files and later events use."""

    def __init__(self):
        self.records: dict[str, dict] = {}
        self.page_directives: dict[str, list[directives.Directive]] = {}
        self.keys: dict[str, str] = {}
        self.notebooks: set[str] = set()  # pages that have a notebook


_build = _Build()


def on_files(files: Files, config) -> Files:
    global _build
    _build = build = _Build()
    for file in files.documentation_pages():
        if file.src_uri.endswith(".md"):
            build.page_directives[file.src_uri] = _parse_page(file)
    first_uses = {}
    for uri, found in sorted(build.page_directives.items()):
        for directive in found:
            first_uses.setdefault(directive.snippet, f"docs/{uri}:{directive.line}")
    requests = {s: _data_names(build, s) for s in first_uses}
    try:
        for snippet, names in requests.items():
            build.keys[snippet] = results.cache_key(snippet, names)
    except SnippetError as exc:
        raise PluginError(f"Snippet failed: {exc}\n  (used at {first_uses[snippet]})") from None
    ran = 0
    for snippet, outcome in sorted(results.load_or_run_all(requests, build.keys).items()):
        if isinstance(outcome, Exception):
            raise PluginError(f"Snippet failed: {outcome}\n  (used at {first_uses[snippet]})")
        build.records[snippet], cached = outcome
        ran += not cached
    log.info("snippets: %d run, %d from cache", ran, len(build.records) - ran)
    for snippet, record in sorted(build.records.items()):
        if record["figure"]:
            for variant in ("light", "dark"):
                uri = directives.figure_uri(snippet, variant)
                files.append(File.generated(config, uri, content=record["figure"][variant]))
    for page, found in sorted(build.page_directives.items()):
        for directive in (d for d in found if d.kind == "data"):
            try:
                uri, content = directives.data_file(directive, build.records[directive.snippet],
                                                    f"docs/{page}:{directive.line}")
            except directives.DirectiveError as exc:
                raise PluginError(str(exc)) from None
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=content))
    for file in files.documentation_pages():
        markdown, _ = meta.get_data(file.content_string)
        if file.src_uri.endswith(".md") and page_notebooks.page_snippets(markdown):
            try:
                content = page_notebooks.build(markdown, file.src_uri, build.records, config["site_url"] or "/")
            except directives.DirectiveError:
                continue  # a bad value directive: on_page_markdown reports it, with the page's line
            files.append(File.generated(config, page_notebooks.notebook_uri(file.src_uri), content=content))
            build.notebooks.add(file.src_uri)
    return files


def _data_names(build: _Build, snippet: str) -> frozenset[str]:
    """The containers of ``snippet`` that pages embed with ``{{ data: }}``."""
    return frozenset(d.name for found in build.page_directives.values() for d in found
                     if d.kind == "data" and d.snippet == snippet)


def _parse_page(file: File) -> list[directives.Directive]:
    source, page = file.content_string, f"docs/{file.src_uri}"
    try:
        includes.check(source, page)
        return directives.parse(source, page)
    except (directives.DirectiveError, includes.IncludeError) as exc:
        raise PluginError(str(exc)) from None


def on_page_markdown(markdown: str, page, config, files) -> str:
    uri = page.file.src_uri
    if not _build.page_directives.get(uri):
        return _with_notebook_link(markdown, uri, config)
    source = page.file.content_string
    start = source.find(markdown)
    first_line = 1 + source.count("\n", 0, start) if start >= 0 else 1
    try:
        found = directives.parse(markdown, f"docs/{uri}", first_line)
        for directive in found:
            if directive.kind == "figure" and not _build.records[directive.snippet]["figure"]:
                raise directives.DirectiveError(
                    f"docs/{uri}:{directive.line}: snippets/{directive.snippet} made no figure")
        return _with_notebook_link(directives.expand(markdown, found, _build.records, uri), uri, config)
    except directives.DirectiveError as exc:
        raise PluginError(str(exc)) from None


def _with_notebook_link(markdown: str, uri: str, config) -> str:
    """A download link under the page's title (MkDocs makes it relative and checks it), and
    an "Open in Colab" one when the repository is on GitHub."""
    if uri not in _build.notebooks:
        return markdown
    target = posixpath.relpath(page_notebooks.notebook_uri(uri), posixpath.dirname(uri) or ".")
    link = (f'[Download this page as a Jupyter notebook]({target}){{ .page-notebook download }}: '
            "its prose, code and outputs in order; it runs on its own.")
    colab = page_notebooks.colab_url(config["repo_url"], uri)
    link += f" [Open it in Colab]({colab}).\n\n" if colab else "\n\n"
    title = re.search(r"^# .+\n", markdown, re.M)
    at = title.end() if title else 0
    return markdown[:at] + "\n" + link + markdown[at:]


def on_post_page(output: str, page, config) -> str:
    left = directives.leftover(output)
    if left:
        raise PluginError(f"docs/{page.file.src_uri}: '{left}' was left on the page unexpanded "
                          "(a misspelt directive? directives are {{ output: }}, {{ value: }}, "
                          "{{ figure: }}, {{ data: }})")
    return output


def on_post_build(config) -> None:
    results.prune(set(_build.keys.values()))
