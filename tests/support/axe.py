"""axe-core's accessibility check of an open page: its serious and critical violations."""

from __future__ import annotations

from pages import PROJECT

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"

# axe-core findings left on purpose: rule id -> (the only elements it may flag, why).
# Empty: the two theme findings (unnamed search dialog, unfocusable notebook code cells)
# are fixed in overrides/partials/search.html and hooks/notebooks.py. Keep it minimal.
AXE_ALLOWED: dict[str, tuple[str, str]] = {}

AXE_RUN = """async (allowed) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const excused = (id, node) => allowed[id] && node.target.length === 1
    && document.querySelector(node.target[0])?.matches(allowed[id]);
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter(n => !excused(v.id, n))
      .map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))
  })).filter(v => v.nodes.length).map(v => ({...v, nodes: v.nodes.slice(0, 12)}));
}"""


def axe_source() -> str:
    if not AXE.is_file():
        raise FileNotFoundError(f"axe-core is missing ({AXE.relative_to(PROJECT)}): run `npm ci` in the project root")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page, source: str) -> list[dict]:
    """Run axe-core (``source``, from axe_source()) on ``page`` as it is now."""
    page.add_script_tag(content=source)
    return page.evaluate(AXE_RUN, {rule: selector for rule, (selector, _) in AXE_ALLOWED.items()})
