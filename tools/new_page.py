"""Scaffold a new page that builds and passes its tests as it is: `make page SLUG=my-topic`.

Writes docs/<slug>.md (front matter, a snippet shown with its output and one value, a
figure), snippets/<slug_snake>/{scale_by_depth.py, plot_scale_by_depth.py},
tests/pages/test_<slug_snake>.py (the claim against a closed form, under several seeds), and
adds the page to the nav in mkdocs.yml. Then edit all four to say what your page says.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

PAGE = '''---
description: {title} — a starting point written by tools/new_page.py; replace this sentence with the page's one-line summary.
---

# {title}

One random weight scale, applied layer after layer, multiplies the size of a signal
by the same factor each time:

```python title="scale_by_depth.py"
--8<-- "{snake}/scale_by_depth.py"
```

{{{{ output: {snake}/scale_by_depth.py }}}}

After {{{{ value: {snake}/scale_by_depth.py:DEPTH }}}} layers the measured size is
{{{{ value: {snake}/scale_by_depth.py:measured | sci:3 }}}}.

{{{{ figure: {snake}/plot_scale_by_depth.py
   alt: Log-scale line plot of signal size against depth, one straight falling line.
   caption: A constant factor per layer is a straight line on a log scale. }}}}

??? example "The figure's code"
    ```python title="plot_scale_by_depth.py"
    --8<-- "{snake}/plot_scale_by_depth.py"
    ```
'''

SNIPPET = '''import numpy as np

DEPTH, WIDTH = 20, 512
rng = np.random.default_rng(0)
x = rng.standard_normal(WIDTH)
sizes = [np.sqrt(np.mean(x**2))]
for _ in range(DEPTH):
    W = rng.standard_normal((WIDTH, WIDTH)) * np.sqrt(0.5 / WIDTH)  # Var(w) = 0.5/n
    x = W @ x
    sizes.append(np.sqrt(np.mean(x**2)))
measured = sizes[-1] / sizes[0]
print(f"RMS after {{DEPTH}} layers: {{measured:.3e}}  (theory 0.5^(L/2) = {{0.5 ** (DEPTH / 2):.3e}})")
'''

PLOT = '''import matplotlib.pyplot as plt

from {snake}.scale_by_depth import sizes

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(range(len(sizes)), sizes, marker="o", label="measured RMS")
ax.set_yscale("log")
ax.set_xlabel("layer")
ax.set_ylabel("RMS of the signal (log scale)")
ax.legend()
'''

TEST = '''"""Tests for docs/{slug}.md: each claim against theory that is not the snippet's own code."""

import numpy as np
import pytest
from snippet_runs import run_snippet


@pytest.mark.parametrize("shift", range(4))
def test_scale_by_depth_halves_the_second_moment_per_layer(shift):
    ns = run_snippet("{snake}/scale_by_depth.py", seed_shift=shift).namespace
    # E[x'^2] = n Var(w) E[x^2] = 0.5 E[x^2] per layer, so RMS ratio = 0.5^(L/2). Each layer's
    # ratio of squared norms has relative variance 2/n (chi-square, n = 512), so the log of the
    # RMS ratio after L = 20 layers has sd sqrt(L * 2/n) / 2 = 0.07: 5 sd is a band of e^(+-0.35).
    theory = 0.5 ** (ns["DEPTH"] / 2)
    assert abs(np.log(ns["measured"] / theory)) < 5 * np.sqrt(ns["DEPTH"] * 2 / ns["WIDTH"]) / 2
'''


def main(slug: str) -> None:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        sys.exit(f"SLUG must be kebab-case (lowercase words joined by '-'), not {slug!r}")
    snake = slug.replace("-", "_")
    title = slug.replace("-", " ").capitalize()
    files = {
        PROJECT / "docs" / f"{slug}.md": PAGE.format(title=title, snake=snake),
        PROJECT / "snippets" / snake / "scale_by_depth.py": SNIPPET.format(),
        PROJECT / "snippets" / snake / "plot_scale_by_depth.py": PLOT.format(snake=snake),
        PROJECT / "tests" / "pages" / f"test_{snake}.py": TEST.format(slug=slug, snake=snake),
    }
    existing = [str(p.relative_to(PROJECT)) for p in files if p.exists()]
    if existing:
        sys.exit(f"not overwriting {', '.join(existing)}")
    config = PROJECT / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "\n  - Labs:\n" not in text:
        sys.exit("mkdocs.yml: no '  - Labs:' entry in nav to insert the page before")
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    config.write_text(text.replace("\n  - Labs:\n", f"\n  - {title}: {slug}.md\n  - Labs:\n", 1), encoding="utf-8")
    print("\n".join(["created:", *(f"  {p.relative_to(PROJECT)}" for p in files),
                     f"  nav entry '{title}: {slug}.md' in mkdocs.yml (move it to its part)",
                     "next: edit them, then `make check`"]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/new_page.py SLUG   (or: make page SLUG=my-topic)")
    main(sys.argv[1])
