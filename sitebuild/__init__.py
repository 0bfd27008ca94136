"""The site's build machinery, independent of MkDocs: Markdown and files in, Markdown/HTML and files out.

One page flows one way:

    page Markdown --directives--> snippet requests --results (cache | pool -> runner)--> records
    records --directives.expand--> Markdown --(MkDocs, pymdownx)--> HTML --mathml--> MathML pages
    lab notebooks --notebook_exec (cache)--> executed copies --notebook_html--> lean pages

`hooks/` holds the thin MkDocs adapters that call into this package.
"""
