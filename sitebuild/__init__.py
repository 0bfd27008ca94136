"""The site's build machinery, independent of MkDocs: Markdown and files in, Markdown/HTML and files out.

One page flows one way:

    page Markdown --directives--> snippet requests --results (cache | pool -> runner)--> records
    records --directives.expand--> Markdown --(MkDocs, pymdownx)--> HTML --mathml--> MathML pages
    lab notebooks --notebook_exec (cache)--> executed copies --notebook_html--> lean pages

`hooks/` holds the thin MkDocs adapters that call into this package.
"""

import os

# The pool runs one job per core (sitebuild/pool.py), so BLAS threads inside a job only
# contend: without this a cold build took 52 s instead of 35 s on 2 cores. Set before NumPy
# loads (importing sitebuild is the hooks' first step); a value the caller set wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
