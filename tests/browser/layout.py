"""What the browser tests measure beyond axe-core: reflow at 320 px (WCAG 1.4.10),
the text-spacing override (1.4.12), the focus indicator's contrast (2.4.13, 1.4.11),
the focused control in view (2.4.11) and target sizes (2.5.8)."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
# Gitignored: people look at these after a run; nothing compares them.
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 720}
PHONE = {"width": 375, "height": 812}

_axe = Axe()


def axe_problems(page) -> list[str]:
    """axe-core's violations on the page as it stands, plus a page without one h1."""
    results = _axe.run(page)
    problems = [
        f"axe {v['id']} ({v['impact']}): "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]
    h1s = page.locator("h1").count()
    if h1s != 1:
        problems.append(f"{h1s} h1 elements, not one")
    return problems


def horizontal_scroll(page) -> str | None:
    """Why the page scrolls sideways at this width, or None when it does not."""
    return page.evaluate(
        """() => {
          const scroller = document.scrollingElement;
          if (scroller.scrollWidth <= window.innerWidth) return null;
          // Name the widest culprits so the message says what to fix.
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.closest('.portal-table-scroll'))
            .slice(-3)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
          return `scrollWidth ${scroller.scrollWidth} > ${window.innerWidth}: ${wide.join(', ')}`;
        }"""
    )


# The WCAG 1.4.12 override (the W3C's text-spacing bookmarklet), applied as a
# constructed style sheet: the portal's CSP refuses <style> elements, rightly.
TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
    * { line-height: 1.5 !important; letter-spacing: 0.12em !important;
        word-spacing: 0.16em !important; }
    p { margin-bottom: 2em !important; }
  `);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return getComputedStyle(document.body).letterSpacing;
}"""


def text_spacing_problems(page) -> list[str]:
    """With the text-spacing override, nothing scrolls sideways and no link,
    button or field is pushed off the screen."""
    spacing = page.evaluate(TEXT_SPACING)
    assert spacing not in ("normal", "0px"), "the text-spacing override did not apply"
    problems = []
    if scroll := horizontal_scroll(page):
        problems.append(f"text spacing: {scroll}")
    off = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
          .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
          .filter(e => !e.closest('.portal-table-scroll, .ds_skip-links'))
          .filter(e => { const r = e.getBoundingClientRect();
                         return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
          .map(e => (e.innerText || e.name || e.id || e.tagName).trim().slice(0, 40))"""
    )
    if off:
        problems.append(f"text spacing pushes off-screen: {off[:5]}")
    return problems


def check_page(page, path: str, *, screenshot: str | None = None) -> list[str]:
    """Open the page at 1280 px and check it as check_here does."""
    page.set_viewport_size(WIDE)
    page.goto(path)
    return check_here(page, screenshot=screenshot)


def check_here(page, *, screenshot: str | None = None) -> list[str]:
    """Everything the page as it stands must pass: axe-core and no sideways scroll
    at 1280 px and at 320 px (the same page reflowed, not loaded again, so a form's
    error state stays), then the text-spacing override at 1280 px. Leaves the page
    at 1280 px with the override on."""
    problems = []
    page.set_viewport_size(WIDE)
    problems += axe_problems(page)
    if scroll := horizontal_scroll(page):
        problems.append(f"1280 px: {scroll}")
    if screenshot:
        save_screenshot(page, f"{screenshot}-1280")
    page.set_viewport_size(NARROW)
    problems += [f"320 px: {p}" for p in axe_problems(page)]
    if scroll := horizontal_scroll(page):
        problems.append(f"320 px: {scroll}")
    if screenshot:
        page.set_viewport_size(PHONE)
        save_screenshot(page, f"{screenshot}-375")
    page.set_viewport_size(WIDE)
    problems += text_spacing_problems(page)
    return problems


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# For the focused element: how far its focus indicator contrasts with what was
# there before (the element unfocused, or what is behind it), whether it is in
# view and not covered, and its size as a target.
FOCUS_REPORT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (x, y) => {
    const a = lum(x), b = lum(y);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const behind = (node) => {
    const layers = [];
    for (let n = node.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let colour = {r: 255, g: 255, b: 255, a: 1};
    for (const c of layers.reverse()) colour = blend(c, colour);
    return colour;
  };
  // A design-system checkbox or radio draws its box (and focus) on its label.
  let target = el, pseudo = null;
  if (el.matches('.ds_checkbox__input, .ds_radio__input')) {
    target = document.querySelector(`label[for="${el.id}"]`) || el;
    pseudo = '::before';
  }
  const read = () => {
    const cs = getComputedStyle(target, pseudo);
    return {
      outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1
        ? parse(cs.outlineColor) : null,
      outlineWidth: cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) : 0,
      shadows: [...cs.boxShadow.matchAll(/rgba?\\([^)]+\\)/g)].map(m => parse(m[0])),
      shadowText: cs.boxShadow,
      drops: [...cs.filter.matchAll(/drop-shadow\\((rgba?\\([^)]+\\))/g)].map(m => parse(m[1])),
      filterText: cs.filter,
      background: parse(cs.backgroundColor),
      border: parse(cs.borderTopColor), borderWidth: parseFloat(cs.borderTopWidth),
    };
  };
  const focused = read();
  el.blur();
  const resting = read();
  el.focus({preventScroll: true});
  const back = behind(target);
  const restingBg = resting.background && resting.background.a > 0
    ? blend(resting.background, back) : back;
  const scores = [];
  if (focused.outline && focused.outlineWidth >= 2
      && (!resting.outline || resting.outlineWidth < focused.outlineWidth
          || ratio(blend(resting.outline, back), blend(focused.outline, back)) > 1.1)) {
    scores.push(Math.max(ratio(blend(focused.outline, back), back),
                         ratio(blend(focused.outline, back), restingBg)));
  }
  if (focused.shadowText !== resting.shadowText) {
    for (const s of focused.shadows) {
      if (s) scores.push(Math.max(ratio(blend(s, back), back), ratio(blend(s, restingBg), restingBg)));
    }
  }
  if (focused.filterText !== resting.filterText) {
    for (const s of focused.drops) if (s) scores.push(ratio(blend(s, back), back));
  }
  if (focused.background && resting.background
      && JSON.stringify(focused.background) !== JSON.stringify(resting.background)) {
    scores.push(ratio(blend(focused.background, back), restingBg));
  }
  if (focused.border && focused.borderWidth >= 2
      && (focused.borderWidth > resting.borderWidth
          || JSON.stringify(focused.border) !== JSON.stringify(resting.border))) {
    scores.push(ratio(blend(focused.border, back), back));
  }
  const rect = target.getBoundingClientRect();
  const cx = Math.min(Math.max(rect.left + rect.width / 2, 0), window.innerWidth - 1);
  const cy = Math.min(Math.max(rect.top + Math.min(rect.height, 20) / 2, 0), window.innerHeight - 1);
  const hit = document.elementFromPoint(cx, cy);
  const visible = rect.bottom > 0 && rect.top < window.innerHeight
    && rect.right > 0 && rect.left < window.innerWidth;
  const uncovered = !!hit && (target.contains(hit) || hit.contains(target) || el.contains(hit)
    || (hit.tagName === 'LABEL' && hit.htmlFor === el.id));
  const inlineLink = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && el.parentElement && el.parentElement.innerText.trim().length > el.innerText.trim().length;
  return {
    name: (el.innerText || el.getAttribute('aria-label') || el.name || el.id || el.tagName)
      .trim().replace(/\\s+/g, ' ').slice(0, 50),
    tag: el.tagName.toLowerCase(),
    contrast: scores.length ? Math.max(...scores) : 0,
    inView: visible && uncovered,
    width: rect.width, height: rect.height,
    inlineLink,
  };
}"""


SCROLL_SETTLED = """() => new Promise(resolve => {
  let last = -1, still = 0, frames = 0;
  const tick = () => {
    const y = window.scrollY + window.scrollX * 100000;
    still = y === last ? still + 1 : 0;
    last = y;
    if (still >= 3 || ++frames > 90) resolve(); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def tab_through(page, *, limit: int = 200) -> list[dict]:
    """Press Tab until the focus leaves the page or comes round again; a report
    on each element the keyboard reached, in order."""
    reports, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        # The design system scrolls smoothly: measure where the scroll ends.
        page.evaluate(SCROLL_SETTLED)
        report = page.evaluate(FOCUS_REPORT)
        if report is None:
            break
        key = page.evaluate(
            "() => { const e = document.activeElement;"
            " if (!e.dataset.portalTabbed) e.dataset.portalTabbed = String(Math.random());"
            " return e.dataset.portalTabbed; }"
        )
        if key in seen:
            break
        seen.add(key)
        reports.append(report)
    return reports


def focus_problems(reports: list[dict]) -> list[str]:
    problems = []
    for r in reports:
        if r["contrast"] < 3:
            problems.append(
                f"focus on {r['tag']} {r['name']!r}: contrast {r['contrast']:.2f}:1"
            )
        if not r["inView"]:
            problems.append(
                f"focus on {r['tag']} {r['name']!r}: out of view or covered"
            )
        if not r["inlineLink"] and min(r["width"], r["height"]) < 24:
            problems.append(
                f"target {r['tag']} {r['name']!r}: {r['width']:.0f}x{r['height']:.0f} px"
            )
    return problems
