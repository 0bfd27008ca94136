"""MkDocs hook: TeX to MathML at build time, and the math font subset (sitebuild/mathml.py)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from sitebuild import mathml

_used: set[str] = set()  # characters the formulas of this build use


def on_pre_build(config) -> None:
    _used.clear()


def on_page_content(content: str, page, config, files) -> str:
    try:
        return mathml.render_math(content, f"docs/{page.file.src_uri}")
    except mathml.MathError as exc:
        raise PluginError(str(exc)) from None


def on_post_page(output: str, page, config) -> str:
    """Every page's finished MathML, whoever rendered it (pages, labs), feeds the font subset."""
    _used.update(mathml.characters_in_page(output))
    return output


def on_post_build(config) -> None:
    destination = Path(config["site_dir"]) / mathml.FONT_IN_SITE
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(mathml.math_font(_used))
