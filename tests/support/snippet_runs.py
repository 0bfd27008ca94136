"""run_snippet for the page tests: each (snippet, seed shift) runs once per test session.

Many tests read the same snippet's results; the snippets do not change during a session,
so the first run's result is shared. Its arrays are made read-only, so a test that would
change them in place (and so another test's input) fails loudly instead.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from sitebuild.runner import SnippetResult
from sitebuild.runner import run_snippet as run_fresh


@cache
def run_snippet(rel_path: str, seed_shift: int = 0) -> SnippetResult:
    result = run_fresh(rel_path, seed_shift)
    for value in result.namespace.values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return result
