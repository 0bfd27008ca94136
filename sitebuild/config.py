"""Where things are, and the limits every snippet and notebook cell runs under."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SNIPPETS_DIR = PROJECT_DIR / "snippets"
DOCS_DIR = PROJECT_DIR / "docs"
INCLUDES_DIR = DOCS_DIR / "includes"  # HTML fragments pages pull in with --8<--


def time_limit_s() -> float:
    """Seconds one snippet, or one notebook cell, may run: DOCS_TIME_LIMIT_S, default 600.

    Generous on purpose: the slowest snippet takes well under a minute on two idle cores,
    and a loaded CI machine can be several times slower."""
    raw = os.environ.get("DOCS_TIME_LIMIT_S", "600")
    try:
        limit = float(raw)
    except ValueError:
        raise ValueError(f"DOCS_TIME_LIMIT_S must be a number of seconds, not {raw!r}") from None
    if limit <= 0:
        raise ValueError(f"DOCS_TIME_LIMIT_S must be positive, not {raw!r}")
    return limit


def cache_root() -> Path:
    """The build cache: DOCS_CACHE_DIR, default .cache/ in the project."""
    return Path(os.environ.get("DOCS_CACHE_DIR", PROJECT_DIR / ".cache"))
