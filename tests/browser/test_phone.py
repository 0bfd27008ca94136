"""A reader on a phone (390 px), light and dark: nothing in the article is cut off, and the
exercise questions show without a click while their solutions stay folded.

Each page is opened once per colour scheme (the `phone` fixture below); both tests read
what that one load saw.
"""

from __future__ import annotations

import re

import pytest
from browser_pages import markdown_text, page_ids, url_path
from browser_view import PHONE, SOURCES, phone_probe

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
EXERCISE = re.compile(r'^[!?]{3}\+? question "(Exercise \d+)', re.M)
EXERCISE_PAGES = [s for s in SOURCES if EXERCISE.search(markdown_text(s))]

EXERCISES = """() => [...document.querySelectorAll('article :is(.admonition-title, summary)')]
  .filter(title => /^Exercise \\d+/.test(title.textContent.trim()))
  .map(title => {
    const box = title.parentElement;
    const question = [...box.children].find(el => el !== title && el.tagName === 'P');
    const solution = [...box.querySelectorAll('details')]
      .find(d => /^Solution/.test(d.querySelector('summary').textContent.trim()));
    const body = solution && [...solution.children].find(el => el.tagName !== 'SUMMARY');
    return {title: title.textContent.trim().match(/^Exercise \\d+/)[0],
            question: question ? question.checkVisibility() : false,
            question_px: question ? parseFloat(getComputedStyle(question).fontSize) : 0,
            body_px: parseFloat(getComputedStyle(document.querySelector('article .md-typeset, article')
              .querySelector(':scope > p') || document.body).fontSize),
            solution: body ? body.checkVisibility() : null};
  })"""

# Every element inside the article must lie within the article's margin box (at 390 px that is
# the screen: Material lets code blocks and tables bleed into the article's side margins on
# phones), or sit in a scroll box that shows it: overflow-x auto or scroll, focusable from the
# keyboard (tabindex) with an accessible name, and an edge affordance, i.e. a gradient drawn as
# its background or mask (the scroll-shadow of docs/assets/site.css). Overflow hidden or clip
# is never enough: that is a cut-off equation. Run after every <details> is opened (a reader
# opens the solutions), and two animation frames later, so size observers have run.
# 1 px of slack absorbs sub-pixel rounding of the boxes.
CUT_OFF = """async () => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const article = document.querySelector('article');
  const box = article.getBoundingClientRect(), style = getComputedStyle(article);
  const left = box.left - parseFloat(style.marginLeft), right = box.right + parseFloat(style.marginRight);
  const name = el => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipper = el => {
    for (let up = el.parentElement; up && up !== article.parentElement; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible' && up.scrollWidth > up.clientWidth + 1) return up;
    }
    return null;
  };
  const why = scroller => {
    const s = getComputedStyle(scroller), lacks = [];
    if (!['auto', 'scroll'].includes(s.overflowX)) lacks.push(`overflow-x is ${s.overflowX}`);
    if (!scroller.hasAttribute('tabindex') || scroller.tabIndex < 0) lacks.push('not focusable');
    if (!(scroller.getAttribute('aria-label') || scroller.getAttribute('aria-labelledby'))) lacks.push('no name');
    if (!/gradient/.test(`${s.backgroundImage} ${s.maskImage || s.webkitMaskImage || ''}`)) lacks.push('no edge affordance');
    return lacks;
  };
  const found = [], boxes = new Set();
  for (const el of article.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.left >= left - 1 && r.right <= right + 1)) continue;
    const scroller = clipper(el);
    const lacks = scroller && scroller !== article ? why(scroller) : ['no scroll box'];
    if (lacks.length) found.push(`${name(el)} (${Math.round(r.width)} px) in ${scroller ? name(scroller) : 'the page'}: ${lacks.join(', ')}`);
    else boxes.add(scroller);
  }
  if (boxes.size) [...boxes][0].setAttribute('data-phone-probe', '');
  return {width: Math.round(right - left), found: [...new Set(found)], boxes: boxes.size};
}"""

# Keyboard scrolling is animated (smooth scrolling): wait for it to start, up to 2 s.
SCROLLED = """box => new Promise(done => {
  const start = performance.now();
  const look = () => box.scrollLeft > 0 || performance.now() - start > 2000
    ? done(box.scrollLeft) : requestAnimationFrame(look);
  look();
})"""


@phone_probe("phone", changes_page=True)
def _phone(page) -> dict:
    """Exercises before and after a click on each solution; what sticks out of the article with
    every <details> open; and how far the first scroll box moved when focused and sent ArrowRight."""
    before = page.evaluate(EXERCISES)
    for summary in page.locator("article details > summary", has_text=re.compile(r"^\s*Solution")).all():
        if summary.is_visible():  # a folded question hides its solution's summary too
            summary.click()
    after = page.evaluate(EXERCISES)
    cut_off = page.evaluate(CUT_OFF)
    scrolled = None
    if cut_off["boxes"]:  # the first scroll box, focused, scrolls with the arrow key
        probe = page.locator("[data-phone-probe]")
        probe.focus()
        page.keyboard.press("ArrowRight")
        scrolled = probe.evaluate(SCROLLED)
    return {"before": before, "after": after, "cut_off": cut_off, "scrolled": scrolled}


@pytest.fixture(scope="session")
def phone(views) -> dict:
    """(url path, scheme) -> what _phone saw in the views fixture's 390 px page load."""
    return {(url_path(s), scheme): views[url_path(s), scheme, PHONE]["probes"]["phone"]
            for s in SOURCES for scheme in SCHEMES}


@pytest.mark.parametrize("source", SOURCES, ids=page_ids())
def test_nothing_in_the_article_is_cut_off_at_phone_width(phone, source):
    for scheme in SCHEMES:
        cut_off = phone[url_path(source), scheme]["cut_off"]
        assert not cut_off["found"], (f"{scheme}, article {cut_off['width']} px wide, elements past its edge that no "
                                      f"usable scroll box holds:\n" + "\n".join(cut_off["found"][:12]))
        scrolled = phone[url_path(source), scheme]["scrolled"]
        assert scrolled is None or scrolled > 0, f"{scheme}: a focused scroll box did not scroll with ArrowRight"


@pytest.mark.parametrize("source", EXERCISE_PAGES, ids=[url_path(s) for s in EXERCISE_PAGES])
def test_exercise_questions_show_without_a_click_and_solutions_after_one(phone, source):
    titles = EXERCISE.findall(markdown_text(source))
    for scheme in SCHEMES:
        before, after = phone[url_path(source), scheme]["before"], phone[url_path(source), scheme]["after"]
        assert [e["title"] for e in before] == titles, f"{scheme}: exercise titles on the page"
        hidden = [e["title"] for e in before if not e["question"]]
        assert not hidden, f"{scheme}: the question of {hidden} needs a click to be seen"
        shown = [e["title"] for e in before if e["solution"] is not False]
        assert not shown, f"{scheme}: the solution of {shown} is open (or missing) before a click"
        unopened = [e["title"] for e in after if e["solution"] is not True]
        assert not unopened, f"{scheme}: clicking 'Solution' did not show the solution of {unopened}"
        # An exercise is main text, not an aside: its question is set at the body text's size
        # (Material's admonition size, 0.64rem, is 12.8 px on a phone against 16 px).
        small = [(e["title"], e["question_px"], e["body_px"]) for e in before if e["question_px"] < e["body_px"]]
        assert not small, f"{scheme}: exercise questions smaller than the body text: {small}"
