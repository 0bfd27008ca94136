"""Run the snippets a build needs, on every core, loading cached results where they exist.

A cold build runs about fifty snippets; one process per core roughly halves its time.
Worker processes are forked after NumPy is imported, so they share it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import snippet_cache
from snippet_runner import SnippetError


def _load_or_run(snippet: str, data_names: frozenset[str], key: str):
    try:
        return snippet_cache.load_or_run(snippet, data_names, key)
    except SnippetError as exc:
        return exc


def load_or_run_all(
    requests: dict[str, frozenset[str]], keys: dict[str, str] | None = None
) -> dict[str, object]:
    """snippet -> (record, from cache?) or the SnippetError it raised.

    ``requests`` maps each snippet to the data names pages embed; ``keys`` holds their
    cache keys when the caller has computed them already.
    """
    keys = keys or {s: snippet_cache.cache_key(s, names) for s, names in requests.items()}
    to_run = [s for s in sorted(requests) if not snippet_cache.is_cached(keys[s])]
    outcomes = {s: _load_or_run(s, names, keys[s]) for s, names in requests.items() if s not in to_run}
    workers = min(len(to_run), os.cpu_count() or 1)
    if workers < 2:
        outcomes.update((s, _load_or_run(s, requests[s], keys[s])) for s in to_run)
        return outcomes
    import numpy  # noqa: F401 - imported once, before the fork, for every worker

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {s: pool.submit(_load_or_run, s, requests[s], keys[s]) for s in to_run}
        outcomes.update((s, future.result()) for s, future in futures.items())
    return outcomes
