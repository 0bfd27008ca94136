"""PyTorch and JAX in snippets: imported once before the forks, seeds shifted, state restored.

The site's framework tabs are snippets like any other; this module holds what is special
about the two frameworks they import:

- ``preload``: the build imports a framework once, in the parent, before it forks the
  children that run snippets (importing torch takes seconds; a forked child gets it for
  free). Importing is fork-safe for both: JAX only starts threads when its backend first
  runs, and torch is limited to one thread per child (the children already use every core).
- ``shifted_seeds``: tests re-run a snippet under other seeds; ``torch.manual_seed(s)`` and
  ``jax.random.key(s)`` / ``PRNGKey(s)`` then draw from the stream of ``[s, shift]``, as
  ``np.random.default_rng(s)`` does (equal seeds stay equal, different ones independent).
- ``restored_state``: torch's global generator and default dtype and JAX's 64-bit flag are
  process-wide; a snippet that changes them must not change the next one's results.
"""

from __future__ import annotations

import contextlib
import sys

FRAMEWORKS = ("torch", "jax")


def used_by(module_names: set[str]) -> list[str]:
    """The frameworks among dotted import names (``torch.nn`` counts as torch)."""
    return [f for f in FRAMEWORKS if any(name == f or name.startswith(f + ".") for name in module_names)]


def preload(frameworks: list[str]) -> None:
    """Import ``frameworks`` in this process, so that forked children start with them."""
    for name in frameworks:
        __import__(name)
    if "torch" in frameworks:
        import torch

        torch.set_num_threads(1)  # one per child: the pool runs one child per core


def _stream(seed: int, shift: int) -> int:
    import numpy as np

    return int(np.random.SeedSequence([seed, shift]).generate_state(1, np.uint32)[0])


@contextlib.contextmanager
def shifted_seeds(shift: int):
    """While active, integer seeds given to torch and JAX select the stream ``[seed, shift]``."""
    patches = []
    if shift and "torch" in sys.modules:
        torch = sys.modules["torch"]
        manual_seed = torch.manual_seed
        patches.append((torch, "manual_seed", lambda seed: manual_seed(_stream(int(seed), shift))))
    if shift and "jax" in sys.modules:
        import jax

        for name in ("key", "PRNGKey"):
            make = getattr(jax.random, name)
            patches.append((jax.random, name, lambda seed, *a, _make=make, **k: _make(_stream(int(seed), shift), *a, **k)))
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, patched in patches:
        setattr(owner, name, patched)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


@contextlib.contextmanager
def restored_state():
    """Put back torch's global random state and default dtype, and JAX's 64-bit flag."""
    torch, jax = sys.modules.get("torch"), sys.modules.get("jax")
    torch_state = (torch.get_rng_state(), torch.get_default_dtype()) if torch else None
    x64 = jax.config.jax_enable_x64 if jax else None
    try:
        yield
    finally:
        if torch_state is not None:
            torch.set_rng_state(torch_state[0])
            torch.set_default_dtype(torch_state[1])
        if x64 is not None:
            jax.config.update("jax_enable_x64", x64)
