"""Find and expand the page directives that show snippet results.

    {{ output: page/snippet.py }}                  what the snippet printed
    {{ value: page/snippet.py:name | .3g }}        one module-level value, formatted
    {{ figure: page/plot_x.py
       alt: what the figure shows
       caption: what to take from it }}
    {{ data: page/snippet.py:name }}               a JSON file in the site, linked from a hidden element

Directives inside code (fenced blocks, inline code) and HTML comments are left alone,
so a page can show the syntax. This module knows nothing about MkDocs.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import posixpath
import re
from dataclasses import dataclass, field

from sitebuild import phone

PATTERN = re.compile(r"\{\{\s*(?P<kind>[A-Za-z_]+)\s*(?P<colon>:?)(?P<body>.*?)\}\}", re.S)
KINDS = ("output", "value", "figure", "data")
VALUE_FLAGS = ("nonfinite",)  # {{ value: x.py:name | .3g | nonfinite }} may show inf or nan
# Where a directive is text to show, not to expand: fenced code, inline code, HTML comments.
VERBATIM = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=indent)(?P=fence)[ \t]*$"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)"
    r"|<!--.*?-->",
    re.M | re.S,
)
LEFTOVER = re.compile(r"\{\{.*?\}\}", re.S)
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class DirectiveError(Exception):
    """Bad directive; the message starts with ``page.md:line:``."""


@dataclass
class Directive:
    kind: str
    snippet: str
    line: int
    name: str = ""
    spec: str = ""
    flags: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    span: tuple[int, int] = (0, 0)


def parse(markdown: str, page: str, first_line: int = 1) -> list[Directive]:
    """Every directive in ``markdown``; ``page`` and ``first_line`` locate errors."""
    found = []
    verbatim = [m.span() for m in VERBATIM.finditer(markdown)]
    for match in PATTERN.finditer(markdown):
        if any(start <= match.start() < end for start, end in verbatim):
            continue
        line = first_line + markdown.count("\n", 0, match.start())
        where = f"{page}:{line}"
        kind, body = match["kind"], match["body"].strip()
        if kind.lower() not in KINDS and not match["colon"]:
            continue  # not meant as a directive (e.g. TeX braces); a leftover check sees the HTML
        if kind not in KINDS:
            raise DirectiveError(f"{where}: unknown directive '{kind}' (use one of {', '.join(KINDS)}, "
                                 "in lower case)")
        if not match["colon"]:
            raise DirectiveError(f"{where}: '{kind}' needs a colon: {{{{ {kind}: ... }}}}")
        directive = _parse_body(kind, body, where)
        directive.line, directive.span = line, match.span()
        found.append(directive)
    return found


def _parse_body(kind: str, body: str, where: str) -> Directive:
    if kind == "output":
        return Directive(kind, _snippet_name(body, where), 0)
    if kind in ("value", "data"):
        target, *rest = (part.strip() for part in body.split("|"))
        snippet, _, name = target.rpartition(":")
        if not name.isidentifier():
            raise DirectiveError(f"{where}: {kind} needs 'page/snippet.py:name', got '{body}'")
        spec, flags = (rest[0] if rest else ""), tuple(rest[1:])
        unknown = [f for f in flags if f not in VALUE_FLAGS]
        if unknown or (flags and kind == "data"):
            raise DirectiveError(f"{where}: unknown option {unknown or flags} (a value may add | nonfinite)")
        return Directive(kind, _snippet_name(snippet, where), 0, name=name, spec=spec, flags=flags)
    first, *rest = body.splitlines()
    options, key = {}, None
    for raw in rest:
        head, sep, tail = raw.strip().partition(":")
        if sep and head in ("alt", "caption"):
            key, options[head] = head, tail.strip()
        elif key and raw.strip():
            options[key] += " " + raw.strip()
        elif raw.strip():
            raise DirectiveError(f"{where}: figure line '{raw.strip()}' is not 'alt:' or 'caption:'")
    for required in ("alt", "caption"):
        if not options.get(required):
            raise DirectiveError(f"{where}: figure needs a non-empty '{required}:'")
    snippet = _snippet_name(first, where)
    if not posixpath.basename(snippet).startswith("plot_"):
        raise DirectiveError(f"{where}: figures come from plot_*.py snippets, not '{snippet}'")
    return Directive(kind, snippet, 0, options=options)


def _snippet_name(text: str, where: str) -> str:
    name = text.strip()
    if not re.fullmatch(r"[\w./-]+\.py", name) or name.startswith("/") or ".." in name:
        raise DirectiveError(f"{where}: expected a snippet path like 'page/name.py', got '{name}'")
    return name


def figure_uri(snippet: str, variant: str) -> str:
    """Where the build puts a figure, relative to the site root."""
    return f"figures/{snippet.removesuffix('.py')}-{variant}.svg"


def expand(markdown: str, directives: list[Directive], records: dict, page_uri: str) -> str:
    """Replace each directive with the markdown that shows its snippet's result."""
    pieces, end = [], 0
    for directive in directives:
        record = records[directive.snippet]
        pieces.append(markdown[end : directive.span[0]])
        rendered = _render(directive, record, f"docs/{page_uri}:{directive.line}", page_uri)
        pieces.append(_indent_like(markdown, directive.span[0], rendered))
        end = directive.span[1]
    pieces.append(markdown[end:])
    return "".join(pieces)


def _indent_like(markdown: str, start: int, rendered: str) -> str:
    """Indent continuation lines like the directive's own line, so blocks nest in `???` blocks."""
    line_start = markdown.rfind("\n", 0, start) + 1
    prefix = markdown[line_start:start]
    if prefix.strip():
        return rendered
    return rendered.replace("\n", "\n" + prefix)


def _render(directive: Directive, record: dict, where: str, page_uri: str) -> str:
    if directive.kind == "output":
        return _output_block(record["stdout"], where, directive.snippet)
    if directive.kind == "value":
        return _value(directive, record, where)
    if directive.kind == "data":
        return _data(directive, record, where, page_uri)
    return _figure(directive, record, page_uri)


def _output_block(stdout: str, where: str, snippet: str) -> str:
    if not stdout.strip():
        raise DirectiveError(f"{where}: snippets/{snippet} printed nothing to show")
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", stdout)), default=0))
    return f'{fence}text title="Output"\n{stdout.rstrip()}\n{fence}'


def _value(directive: Directive, record: dict, where: str) -> str:
    values = record["values"]
    if directive.name not in values:
        known = ", ".join(sorted(values)) or "none"
        raise DirectiveError(
            f"{where}: snippets/{directive.snippet} has no scalar named '{directive.name}' "
            f"(it exports: {known})"
        )
    value = values[directive.name]
    if isinstance(value, bool):
        raise DirectiveError(f"{where}: '{directive.name}' is a bool; prose needs words, so export a "
                             "str from the snippet (e.g. 'yes'/'no') instead")
    if isinstance(value, float) and not math.isfinite(value) and "nonfinite" not in directive.flags:
        raise DirectiveError(f"{where}: '{directive.name}' is {value} (add '| nonfinite' if the page "
                             "means to show a non-finite number)")
    try:
        text = format_value(value, directive.spec)
    except (ValueError, TypeError) as exc:
        raise DirectiveError(f"{where}: cannot format '{directive.name}' with '{directive.spec}': {exc}") from None
    return html.escape(text, quote=False) if isinstance(value, str) else text


def _data(directive: Directive, record: dict, where: str, page_uri: str) -> str:
    uri, _ = data_file(directive, record, where)
    href = posixpath.relpath(uri, posixpath.dirname(page_uri) or ".")
    # Only a link: the JSON is a file of its own, which the page's script fetches when the
    # reader nears the explorer (a visit that never scrolls there downloads none of it).
    # The link is Markdown so MkDocs makes it relative to the page and checks the file exists.
    element_id = "data-" + re.sub(r"[^\w-]", "-", f"{directive.snippet.removesuffix('.py')}-{directive.name}")
    return (f'<div hidden class="page-data" data-search-exclude id="{html.escape(element_id)}" markdown="span">'
            f"[{directive.name} (JSON)]({href})</div>")


def data_file(directive: Directive, record: dict, where: str) -> tuple[str, bytes]:
    """Where the build puts a ``{{ data: }}`` container (relative to the site root) and its bytes.
    The name carries a hash of the content, so a browser may cache it for good."""
    data = record["data"]
    if directive.name not in data:
        known = ", ".join(sorted(data)) or "none"
        raise DirectiveError(
            f"{where}: snippets/{directive.snippet} has no JSON-able list or dict named "
            f"'{directive.name}' (it exports: {known})"
        )
    content = json.dumps(data[directive.name], separators=(",", ":"), allow_nan=False).encode()
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"data/{directive.snippet.removesuffix('.py')}-{directive.name}.{digest}.json", content


def leftover(html_text: str) -> str | None:
    """A `{{ ... }}` left in rendered HTML outside code and comments (a directive that was
    not expanded), or None."""
    visible = re.sub(r"<(pre|code|annotation)\b.*?</\1>|<!--.*?-->", "", html_text, flags=re.S)
    match = LEFTOVER.search(visible)
    return match[0][:120] if match else None


def format_value(value, spec: str) -> str:
    """Python format spec, or ``sci:N`` (1.92 × 10⁵) and ``tex:N`` (1.92 \\times 10^{5})."""
    style, _, digits = spec.partition(":")
    if style in ("sci", "tex") and digits.isdigit():
        if not math.isfinite(value) or value == 0:
            return format(value, "g")
        mantissa, exponent = f"{value:.{int(digits) - 1}e}".split("e")
        exponent = str(int(exponent))
        if style == "sci":
            return f"{mantissa} × 10{exponent.translate(SUPERSCRIPT)}"
        return f"{mantissa} \\times 10^{{{exponent}}}"
    return format(value, spec)


def _figure(directive: Directive, record: dict, page_uri: str) -> str:
    figure = record["figure"]
    width, height = round(figure["width"]), round(figure["height"])
    alt = directive.options["alt"].replace("[", "(").replace("]", ")")
    # The SVG holds a phone rendition behind the view #phone (sitebuild/figures.py); a
    # <picture> shows it on small screens.
    phone_size = phone.view_size_px(figure.get("light", ""))
    images = []
    for variant in ("light", "dark"):
        src = posixpath.relpath(figure_uri(directive.snippet, variant), posixpath.dirname(page_uri) or ".")
        image = f'![{alt}]({src}#only-{variant}){{ width="{width}" height="{height}" loading="lazy" }}'
        if phone_size:
            # srcset is not rewritten by MkDocs as the image's src is: relative to the page's URL
            srcset = posixpath.relpath(figure_uri(directive.snippet, variant), _page_url_dir(page_uri))
            size = f'width="{phone_size[0]}" height="{phone_size[1]}"'
            image = (f'<picture><source media="{phone.PHONE_MEDIA}" srcset="{srcset}#{phone.PHONE_VIEW}" {size}>'
                     f"{image}</picture>")
        images.append(image)
    return (
        '<figure class="snippet-figure" markdown="span">\n'
        + "\n".join(images)
        + f"\n<figcaption markdown>{directive.options['caption']}</figcaption>\n</figure>"
    )


def _page_url_dir(page_uri: str) -> str:
    """The folder a page is served from with MkDocs' use_directory_urls (this site's setting):
    a/b.md -> a/b, a/index.md -> a."""
    stem = posixpath.splitext(page_uri)[0]
    if posixpath.basename(stem) in ("index", "README"):
        return posixpath.dirname(stem) or "."
    return stem
