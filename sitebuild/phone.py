"""How a figure's phone rendition is found and chosen (no matplotlib here: the pages' markup needs it).

A figure SVG (sitebuild/figures.py stack) holds its phone layout behind the view #phone;
below Material's own small-screen breakpoint, 44.9375em (719 px), a <picture> shows that view.
"""

from __future__ import annotations

import re

PHONE_VIEW = "phone"
PHONE_MEDIA = "(max-width: 44.9375em)"


def view_size_px(svg: str, view: str = PHONE_VIEW) -> tuple[int, int] | None:
    """CSS px size of a named view of a stacked SVG (its viewBox is in pt), or None."""
    match = re.search(rf'<view id="{view}" viewBox="0 [\d.]+ ([\d.]+) ([\d.]+)"', svg)
    return (round(float(match[1]) * 4 / 3), round(float(match[2]) * 4 / 3)) if match else None
