"""Trim the JupyterLab stylesheet mkdocs-jupyter inlines into every notebook page.

nbconvert's lab CSS is ~570 KB per page. `trim(css, used_classes)` keeps only the
rules whose selectors can match the classes that actually occur on the site's notebook
pages, and only the `--jp-*` custom properties those rules use (transitively).
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from sitebuild import cache

CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
PSEUDO_FUNCTION = re.compile(r":(?:not|is|where|has)\(")
VAR_REF = re.compile(r"var\(\s*(--[\w-]+)")


def used_classes(html: str) -> set[str]:
    return {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list on top-level commas (not those inside :not(a, b))."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _strip_pseudo_functions(selector: str) -> str:
    """Remove the arguments of :not()/:is()/:where()/:has(), which need not be present."""
    out, i = [], 0
    while True:
        m = PSEUDO_FUNCTION.search(selector, i)
        if not m:
            out.append(selector[i:])
            return "".join(out)
        out.append(selector[i : m.start()])
        depth, j = 1, m.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        i = j


def _selector_can_match(selector: str, classes: set[str]) -> bool:
    return set(CLASS.findall(_strip_pseudo_functions(selector))) <= classes


def _declarations(content) -> list[tuple[str, str, bool]]:
    decls = []
    for d in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if d.type == "declaration":
            decls.append((d.name, tinycss2.serialize(d.value).strip(), d.important))
    return decls


def _filter_rules(rules, classes: set[str]) -> list:
    """[(selector or at-rule head, declarations or nested list)] matching `classes`."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [
                s
                for s in _split_selectors(tinycss2.serialize(rule.prelude))
                if _selector_can_match(s, classes)
            ]
            if selectors:
                kept.append((",".join(selectors), _declarations(rule.content)))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media":
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            nested = _filter_rules(inner, classes)
            if nested:
                kept.append(("@media " + tinycss2.serialize(rule.prelude).strip(), nested))
        elif rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes"):
            head = f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}"
            kept.append((head, tinycss2.serialize(rule.content)))
    return kept


def _walk_decls(kept):
    for head, body in kept:
        if isinstance(body, list) and body and isinstance(body[0], tuple) and len(body[0]) == 3:
            yield from body
        elif isinstance(body, list):
            yield from _walk_decls(body)


def _used_vars(kept) -> set[str]:
    definitions: dict[str, list[str]] = {}
    used: set[str] = set()
    for name, value, _ in _walk_decls(kept):
        if name.startswith("--"):
            definitions.setdefault(name, []).append(value)
        else:
            used.update(VAR_REF.findall(value))
    todo = list(used)
    while todo:
        for value in definitions.get(todo.pop(), []):
            for ref in VAR_REF.findall(value):
                if ref not in used:
                    used.add(ref)
                    todo.append(ref)
    return used


def _serialize(kept, used_vars: set[str]) -> list[str]:
    out = []
    for head, body in kept:
        if isinstance(body, str):  # keyframes, kept verbatim
            out.append(f"{head}{{{body.strip()}}}")
        elif head.startswith("@media"):
            inner = _serialize(body, used_vars)
            if inner:
                out.append(f"{head}{{{''.join(inner)}}}")
        else:
            decls = [
                f"{n}:{v}{' !important' if imp else ''}"
                for n, v, imp in body
                if not n.startswith("--") or n in used_vars
            ]
            if decls:
                out.append(f"{head}{{{';'.join(decls)}}}")
    return out


def trim(css: str, classes: set[str]) -> str:
    """The rules of `css` that can apply to elements carrying only `classes`."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    kept = _filter_rules(rules, classes)
    serialized = _serialize(kept, _used_vars(kept))
    text = "\n".join(serialized)
    # keyframes nobody animates with
    for head in [h for h, b in kept if isinstance(b, str)]:
        name = head.split()[-1]
        if not re.search(rf"animation[\w-]*:[^;}}]*\b{re.escape(name)}\b", text):
            text = "\n".join(line for line in text.split("\n") if not line.startswith(head + "{"))
    return text + "\n"


def trim_cached(css: str, classes: set[str]) -> str:
    """trim(), kept in the cache by a key of its inputs (parsing the CSS takes ~2 s)."""
    folder = cache.folder("notebook-css")
    entry = folder / f"{cache.key(Path(__file__), css, ' '.join(sorted(classes)))}.css"
    data = cache.read(entry)
    if data is None:
        data = trim(css, classes).encode("utf-8")
        cache.write(entry, data)
    cache.prune(folder, {entry})
    return data.decode("utf-8")
