"""MkDocs hook: each code block's line count on its element (sitebuild/code_blocks.py)."""

from __future__ import annotations

from sitebuild import code_blocks


def on_page_content(content: str, page, config, files) -> str:
    return code_blocks.with_line_counts(content)
