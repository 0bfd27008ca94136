"""MkDocs hook: executed, lean, self-contained lab notebooks (docs/labs/*.ipynb).

on_config        mark math while nbconvert renders; key mkdocs-jupyter's HTML cache on this
                 machinery; start executing uncached notebooks in the background, with the
                 kernel profile that draws figures as themed SVG (sitebuild/notebook_figures.py);
on_files         take each executed notebook from the cache (or execute it here, which names
                 the failing cell), point mkdocs-jupyter at it, add its modules, a zip and its
                 figures' light and dark SVG files;
on_page_content  the lean page (sitebuild/notebook_html.py);
on_post_build    write the one trimmed notebook stylesheet, put nbconvert back.
The work is in sitebuild/notebook_exec.py, notebook_figures.py, notebook_html.py and notebook_css.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from sitebuild import cache, notebook_css, notebook_exec, notebook_figures, notebook_html, pool
from sitebuild.config import PROJECT_DIR, SNIPPETS_DIR

log = logging.getLogger("mkdocs.hooks.notebooks")


class _Build:
    def __init__(self):
        self.labs: dict[str, notebook_html.Lab] = {}
        self.css_sources: dict[str, str] = {}
        self.classes: set[str] = set()
        self.background: list[tuple[str, subprocess.Popen]] = []
        self.math = contextlib.ExitStack()
        self.kernel: notebook_figures.Kernel | None = None


_build = _Build()


def on_config(config):
    global _build
    _finish(_build)
    _build = _Build()
    _build.math.enter_context(notebook_html.marked_math())
    _use_render_cache(config)
    _build.kernel = notebook_figures.Kernel(cache.folder("notebooks"))
    _start_background_execution(config)
    return config


def _use_render_cache(config) -> None:
    """Point mkdocs-jupyter's HTML cache at a folder keyed by this machinery and the libraries.

    Its own key covers the (executed) notebook and its options, but not the math marking
    nor the library versions; the folder name does. Older folders are removed.
    """
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None or not jupyter.config.get("cache"):
        return
    root = cache.folder("mkdocs-jupyter")
    folder = root / cache.key(Path(notebook_html.__file__), Path(__file__))[:16]
    if root.is_dir():
        for old in root.iterdir():
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    jupyter.config["cache_dir"] = str(folder)


def _notebooks(config) -> list[tuple[Path, str]]:
    docs = Path(config.docs_dir)
    return [(p, p.relative_to(docs).as_posix()) for p in sorted(docs.rglob("*.ipynb"))
            if ".ipynb_checkpoints" not in p.parts]


def _start_background_execution(config) -> None:
    """Execute uncached notebooks in other processes while the snippets run (it halves a
    cold build on two cores). on_files then finds them in the cache; if one failed, on_files
    executes it again in this process, which reports the failing cell. The background
    processes die with the build (PR_SET_PDEATHSIG), their kernels with them."""
    for nb_path, src_uri in _notebooks(config):
        try:
            if notebook_exec.is_cached(nb_path, SNIPPETS_DIR, _build.kernel.cache_dir, src_uri):
                continue
        except Exception:  # noqa: BLE001 - on_files reports a malformed notebook properly
            continue
        command = [sys.executable, "-m", "sitebuild.notebook_exec", str(nb_path), str(SNIPPETS_DIR),
                   str(_build.kernel.cache_dir), src_uri]
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=dict(os.environ, **_build.kernel.env),
                                   stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, preexec_fn=pool.die_with_parent)
        _build.background.append((src_uri, process))


def _wait_for_background_execution() -> int:
    """How many notebooks the background processes executed; failures are logged (on_files
    then executes them here, which raises with the cell)."""
    executed = 0
    for src_uri, process in _build.background:
        _, stderr = process.communicate()
        if process.returncode == 0:
            executed += 1
        else:
            log.info("docs/%s: background execution failed; executing it again here:\n%s",
                     src_uri, stderr.strip()[-2000:])
    _build.background.clear()
    return executed


def on_files(files: Files, config) -> Files:
    kernel = _build.kernel
    ran = _wait_for_background_execution()
    for file in list(files):
        if not file.src_uri.endswith(".ipynb") or file.generated_by:  # pages' notebooks are files
            continue
        where = f"docs/{file.src_uri}"
        if not file.dest_uri.endswith(".html"):
            raise PluginError(f"{where}: not a page; list hooks/notebooks.py after mkdocs-jupyter")
        try:
            with kernel.environment():
                executed, modules, _key, did_run = notebook_exec.load_or_execute(
                    Path(file.abs_src_path), SNIPPETS_DIR, kernel.cache_dir, where, file.src_uri)
            nb = nbformat.read(executed, as_version=4)
            figures = notebook_figures.collect(nb, executed.stem, where)
        except notebook_exec.NotebookError as exc:
            raise PluginError(str(exc)) from None
        ran += did_run
        # mkdocs-jupyter renders (and, with include_source, copies) page.file.abs_src_path
        file.abs_src_path = str(executed)
        lab = notebook_html.Lab(
            src_uri=file.src_uri, executed=executed, modules=modules,
            module_uris=[p.relative_to(SNIPPETS_DIR).as_posix() for p in modules],
            nb=nb, dest_dir=posixpath.dirname(file.dest_uri), figures=figures)
        _build.labs[file.src_uri] = lab
        for path, rel in zip(modules, lab.module_uris):
            files.append(File.generated(config, f"{lab.dest_dir}/{rel}", content=path.read_bytes()))
        files.append(File.generated(config, f"{lab.dest_dir}/{executed.stem}.zip",
                                    content=notebook_html.bundle(lab)))
        for figure in figures:
            files.append(File.generated(config, figure.uri, content=figure.light))
            files.append(File.generated(config, figure.dark_uri, content=figure.dark))
    if _build.labs:
        log.info("notebooks: %d executed, %d from cache", ran, len(_build.labs) - ran)
    return files


def on_page_content(content: str, page, config, files) -> str:
    lab = _build.labs.get(page.file.src_uri)
    if lab is None:
        return content
    try:
        return notebook_html.lean_page(content, lab, lambda uri: get_relative_url(uri, page.url),
                                       _build.css_sources, _build.classes)
    except notebook_exec.NotebookError as exc:
        raise PluginError(str(exc)) from None


def on_post_build(config) -> None:
    if _build.labs:
        notebook_exec.prune(_build.kernel.cache_dir, {lab.executed for lab in _build.labs.values()})
        css = notebook_css.trim_cached("\n".join(_build.css_sources.values()), _build.classes)
        out = Path(config.site_dir) / notebook_html.CSS_URI
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(css + notebook_html.OVERRIDES, encoding="utf-8")
    _finish(_build)


def on_build_error(error) -> None:
    _finish(_build)


def _finish(build: _Build) -> None:
    """No notebook left running, nbconvert's renderer as it was."""
    for _, process in build.background:
        process.kill()
        process.wait()
    build.background.clear()
    build.math.close()
