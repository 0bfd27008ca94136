"""Each code block's line count on its element, so its placeholder is as tall as the block.

The site's CSS skips drawing code blocks until they near the screen (content-visibility:
auto). Until a block is drawn, the browser lays it out at its placeholder height
(contain-intrinsic-size). A fixed placeholder put text after a tall block in the wrong
place: a jump to a heading or a find-in-page match landed short of it, and the block grew
under the reader's eyes. ``--lines`` lets the CSS compute the block's real height.
"""

from __future__ import annotations

import re

# Python-Markdown's highlighted blocks: <div class="highlight"> (or "language-x highlight").
_BLOCK = re.compile(r'<div class="((?:[\w-]+ )*highlight(?: [\w-]+)*)">')
_CODE = re.compile(r"<code[^>]*>(.*?)</code>", re.S)


def with_line_counts(html: str) -> str:
    """``html`` with style="--lines: N" on every highlighted block (N lines of code)."""

    def sized(match: re.Match) -> str:
        code = _CODE.search(html, match.end())
        if code is None:
            return match[0]
        text = code[1]
        lines = text.count("\n") + (not text.endswith("\n"))
        return f'<div class="{match[1]}" style="--lines: {lines}">'

    return _BLOCK.sub(sized, html)
