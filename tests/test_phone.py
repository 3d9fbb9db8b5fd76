"""The board in a villager's hand: every page kind of a village site and of the
county portal at 360x740 (device scale 2, zh-CN) in Debian's Chromium.

For each page, in the normal size and in 长辈模式 (large text):
- the document does not scroll sideways;
- every element holding an amount (`data-amount`, marked by
  cunwu.site.markup.phone_tables and the templates) lies fully inside the viewport;
- every visible link and button is at least 44x44 px (60x60 in 长辈模式);
- body text is at least 18 px with line height at least 1.3 (22 px and headings
  of 30 px in 长辈模式);
- axe-core reports no violation of impact serious or critical.
A screenshot of each (viewport, both modes) goes to tests/artifacts/phone/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ARTIFACTS

VILLAGE = "guangfeng"      # the demo village with planted problems (late month, skipped step, self-chaired evaluation)
SHOTS = ARTIFACTS / "phone"

# Measured in the page: document width, amounts outside the viewport, small
# targets, and the text sizes of the body and the headings.
PROBE = """(min) => {
  const vw = document.documentElement.clientWidth;
  const out = {vw, scrollWidth: document.documentElement.scrollWidth, amounts: 0, amountsOut: [], small: [],
               body: [], headings: []};
  for (const el of document.querySelectorAll('[data-amount]')) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    out.amounts++;
    if (r.left < -0.5 || r.right > vw + 0.5)
      out.amountsOut.push([el.textContent, Math.round(r.left), Math.round(r.right)]);
  }
  for (const el of document.querySelectorAll('a[href], button, summary, label.md-header__button')) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || r.right <= 0 || r.left >= vw) continue;
    if (el.closest('[hidden]')) continue;
    if (r.width < min - 0.5 || r.height < min - 0.5)
      out.small.push([el.className || el.tagName, (el.textContent || '').trim().slice(0, 16),
                      Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]);
  }
  for (const el of document.querySelectorAll('.md-typeset p, .md-typeset li, .md-typeset td')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !(el.textContent || '').trim()) continue;
    const cs = getComputedStyle(el);
    out.body.push([parseFloat(cs.fontSize), parseFloat(cs.lineHeight) / parseFloat(cs.fontSize)]);
  }
  for (const el of document.querySelectorAll('.md-typeset h1, .md-typeset h2, .md-typeset h3'))
    out.headings.push(parseFloat(getComputedStyle(el).fontSize));
  return out;
}"""


def _first(site: Path, pattern: str, must: str = "") -> str:
    for path in sorted(site.glob(pattern)):
        if path.name != "index.html" and (not must or must in path.read_text(encoding="utf-8")):
            return str(path.relative_to(site))
    raise AssertionError(f"no page {pattern} with {must!r}")


def page_kinds(site: Path) -> dict[str, str]:
    """One page of every kind: a village's sections and records, and the portal's pages."""
    v = VILLAGE
    return {
        "village-home": f"{v}/index.html",
        "village-help": f"{v}/help.html",
        "finance-index": f"{v}/finance/index.html",
        "finance-year": _first(site, f"{v}/finance/20??.html"),
        "finance-month": f"{v}/finance/2026-01.html",
        "decisions-index": f"{v}/decisions/index.html",
        "decision": _first(site, f"{v}/decisions/*.html", "资金去向</h2>\n<p>收支明细中注明"),
        "rules-index": f"{v}/rules/index.html",
        "rule": _first(site, f"{v}/rules/*.html"),
        "evaluations-index": f"{v}/evaluations/index.html",
        "evaluation": f"{v}/evaluations/2025.html",
        "notices-index": f"{v}/notices/index.html",
        "notice-list": _first(site, f"{v}/notices/*.html", "<table"),
        "data-index": f"{v}/data/index.html",
        "village-search": f"{v}/search.html",
        "portal-home": "index.html",
        "portal-timeliness": "timeliness.html",
        "portal-finance": "finance.html",
        "portal-decisions": "decisions.html",
        "portal-evaluations": "evaluations.html",
        "portal-notices": "notices.html",
        "portal-inspection": "inspection.html",
        "portal-data": "data/index.html",
        "portal-guide": "guide/index.html",
    }


KINDS = ["village-home", "village-help", "finance-index", "finance-year", "finance-month", "decisions-index",
         "decision", "rules-index", "rule", "evaluations-index", "evaluation", "notices-index", "notice-list",
         "data-index", "village-search", "portal-home", "portal-timeliness", "portal-finance", "portal-decisions",
         "portal-evaluations", "portal-notices", "portal-inspection", "portal-data", "portal-guide"]


@pytest.fixture(scope="module")
def site_url(demo_site):
    """The demo county served over HTTP for the whole module."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from conftest import _QuietHandler

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(demo_site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:4]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("big", [False, True], ids=["normal", "big"])
@pytest.mark.parametrize("kind", KINDS)
def test_page_fits_a_phone(demo_site, site_url, phone_page, kind, big):
    path = page_kinds(demo_site)[kind]
    page = phone_page
    page.goto(site_url + path + ("#cw-big" if big else ""))
    page.wait_for_load_state("load")
    if big:
        assert page.evaluate("document.documentElement.classList.contains('cw-big')")
    m = page.evaluate(PROBE, 60 if big else 44)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{kind}-{'big' if big else 'normal'}.png"))
    assert m["scrollWidth"] <= m["vw"] == 360, f"{path}: document {m['scrollWidth']} px wide"
    assert not m["amountsOut"], f"{path}: amounts outside the screen {m['amountsOut']}"
    assert not m["small"], f"{path}: targets under {60 if big else 44} px {m['small']}"
    least = 22 if big else 18
    assert m["body"], path
    assert min(size for size, _ in m["body"]) >= least, f"{path}: text {sorted(m['body'])[:3]}"
    assert min(lh for _, lh in m["body"]) >= 1.3, path
    if big and m["headings"]:
        assert min(m["headings"]) >= 30, f"{path}: headings {m['headings']}"
    assert not serious_violations(page), f"{path}: {serious_violations(page)}"


def test_money_pages_mark_their_amounts(demo_site):
    """The pages that hold money mark every amount (the checks above measure them)."""
    kinds = page_kinds(demo_site)
    for kind in ("finance-month", "finance-year", "decision", "portal-home", "portal-finance", "portal-decisions"):
        html = (demo_site / kinds[kind]).read_text(encoding="utf-8")
        assert html.count("data-amount") >= 3, kind


def test_large_text_is_a_plain_link_and_persists(demo_site, site_url, browser):
    """Without JavaScript the switch (a link to #cw-big) enlarges the page it is on;
    with it the choice stays on the next page until 标准字号 is chosen."""
    size = "parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"
    month = f"{site_url}{VILLAGE}/finance/2026-01.html"
    no_js = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                locale="zh-CN", java_script_enabled=False)
    try:
        page = no_js.new_page()
        page.goto(month)
        assert page.evaluate(size) == 18
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.click("a.cw-big-on")
        assert page.url.endswith("#cw-big")
        assert page.evaluate(size) >= 22
        assert page.is_visible("a.cw-big-off") and not page.is_visible("a.cw-big-on")
        for kind in ("notice-list", "portal-timeliness", "finance-month"):
            page.goto(site_url + page_kinds(demo_site)[kind])
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, kind
    finally:
        no_js.close()
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(month)
        page.click("a.cw-big-on")
        # The script applies the choice on the hash change that follows the click.
        page.wait_for_function(f"{size} >= 22", timeout=5_000)
        with page.expect_navigation():
            page.click(".cw-prevnext a >> nth=0")
        assert page.url.endswith("/2025-12.html")
        assert "#cw-big" not in page.url
        assert page.evaluate(size) >= 22, "the choice did not follow to the next page"
        page.click("a.cw-big-off")
        page.wait_for_function(f"{size} == 18", timeout=5_000)
        page.goto(f"{site_url}{VILLAGE}/index.html")
        assert page.evaluate(size) == 18
    finally:
        context.close()


def test_every_page_offers_the_switch_and_help(demo_site):
    for path in [demo_site / p for p in page_kinds(demo_site).values()]:
        html = path.read_text(encoding="utf-8")
        assert 'href="#cw-big"' in html and 'id="cw-big"' in html, path
        assert re.search(r'<a href="[^"]*(help\.html|index\.html)">(怎么看公开栏|村干部使用说明)</a>', html), path


def test_tabs_take_at_most_two_rows(demo_site, site_url, phone_page):
    for kind in ("village-home", "portal-home"):
        phone_page.goto(site_url + page_kinds(demo_site)[kind])
        tops = phone_page.evaluate("[...document.querySelectorAll('.md-tabs__item')]"
                                   ".map(e => Math.round(e.getBoundingClientRect().top))")
        assert tops and len(set(tops)) <= 2, (kind, sorted(set(tops)))


def test_contact_numbers_are_tel_links_and_amounts_are_not(demo_site):
    home = (demo_site / VILLAGE / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="tel:[0-9+]{5,}">', home)
    month = (demo_site / page_kinds(demo_site)["finance-month"]).read_text(encoding="utf-8")
    assert "tel:" not in month


def test_print_names_village_section_and_date_and_hides_navigation(demo_site, site_url, phone_page):
    page = phone_page
    page.goto(f"{site_url}{VILLAGE}/finance/2026-01.html")
    page.emulate_media(media="print")
    head = page.inner_text(".cw-print-head")
    assert "光峰村" in head and "财务公开" in head and re.search(r"打印日期 \d{4}-\d{2}-\d{2}", head)
    for selector in (".md-tabs", ".md-header", ".cw-bar", "a[href$='.csv']", "a[href$='.json']", ".cw-prevnext"):
        for el in page.query_selector_all(selector):
            assert not el.is_visible(), selector


def test_chart_text_is_at_least_12px_and_colours_keep_their_meaning(demo_site, site_url, phone_page):
    """Charts are SVG images: their smallest text times the shown width over the
    drawn width is what the reader sees. A category has one colour everywhere."""
    from cunwu.site.charts import COLORS

    for path in (f"{VILLAGE}/finance/{page_kinds(demo_site)['finance-year'].split('/')[-1]}",
                 f"{VILLAGE}/evaluations/2025.html", "finance.html"):
        phone_page.goto(site_url + path)
        for src, shown in phone_page.evaluate("[...document.querySelectorAll('img[src$=\".svg\"]')]"
                                              ".map(i => [i.src, i.getBoundingClientRect().width])"):
            svg = (demo_site / path).parent.joinpath(src.rsplit("/", 1)[-1]) if "/charts/" not in src \
                else demo_site / "charts" / src.rsplit("/", 1)[-1]
            text = svg.read_text(encoding="utf-8")
            drawn = float(re.search(r"viewBox='0 0 (\d+)", text).group(1))
            smallest = min(float(x) for x in re.findall(r"font-size='([\d.]+)'", text))
            assert smallest * shown / drawn >= 12, (svg.name, smallest, shown, drawn)
            for colour, label in re.findall(r"<rect [^>]*fill='(#[0-9a-f]{6})'/><text [^>]*>([^<]+)</text>", text):
                if label in COLORS:
                    assert COLORS[label] == colour, (svg.name, label, colour)
