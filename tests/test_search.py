"""Search over the built demo county in a real Chromium at 360 px: Pagefind,
loaded only when opened, with the cunwu search box (theme/assets/cunwu-search.js).

Each query names a page that must be among the first three results; the same
set runs again with Intl.Segmenter removed, as in Chromium-86-era WeChat
browsers. The portal's county-wide search finds a village's record, and where
search cannot run the header control is a link to the records list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cunwu.site import search
from cunwu.site.stamps import SEARCH_SOURCE

VILLAGE = "helong/"

# (query, what kind of query, a page that must be in the first three results)
QUERIES = [
    ("修路", "synonym: no record says 修路", "decisions/2024-03-8cf65b.html"),
    ("道路硬化", "project words", "decisions/2024-03-8cf65b.html"),
    ("便民桥", "project words", "decisions/2025-09-4e891d.html"),
    ("饮水", "project word, group of 自来水", "decisions/2025-09-2b0a73.html"),
    ("小微权力清单", "a rule's name", "rules/5eb81d.html"),
    ("换届选举", "notice words", "notices/2026-02-bb2139.html"),
    ("经济责任审计", "notice words", "notices/2025-12-2bc2e0.html"),
    ("收益分配", "decision words", "decisions/2026-04-c9959f.html"),
    ("低保", "two characters; newest quarter first", "notices/2026-10-d733cd.html"),
    ("最低生活保障", "synonym of 低保", "notices/2026-10-d733cd.html"),
    ("出租", "two characters", "notices/2026-10-7957b2.html"),
    ("光伏", "two characters, every month: a recent one", "finance/2026-10.html"),
    ("记-005", "voucher number: the newest month", "finance/2026-10.html"),
    ("黄凤英", "cadre name: the evaluation", "evaluations/2025.html"),
    ("2026年10月", "a month", "finance/2026-10.html"),
    ("组", "single common character: titles only", "notices/2025-11-ff3fcb.html"),
]


def _open_search(page, url: str):
    page.goto(url, wait_until="networkidle")
    page.locator("a[data-cw-search]").click()
    page.locator(".cw-search[data-state=ready]").wait_for(timeout=20_000)


def _ask(page, query: str) -> list[str]:
    box = page.locator(".cw-search__input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_timeout(50)
    page.locator(".cw-search[data-state=done]").wait_for(timeout=20_000)
    return page.locator(".cw-result__link").evaluate_all("els => els.map(e => e.href)")


def _check_queries(page, base: str) -> None:
    _open_search(page, base + VILLAGE + "index.html")
    misses = []
    for query, kind, expected in QUERIES:
        hrefs = _ask(page, query)
        top = [urlsplit(h).path for h in hrefs[:3]]
        if not any(p.endswith(VILLAGE + expected) for p in top):
            misses.append((query, kind, expected, top))
    assert misses == []


@pytest.fixture
def county(demo_site, serve_dir) -> str:
    return serve_dir(demo_site.resolve())


def test_queries_find_their_record(county, phone_page):
    _check_queries(phone_page, county)


def test_queries_without_intl_segmenter(county, phone_page):
    phone_page.add_init_script("delete Intl.Segmenter")
    _check_queries(phone_page, county)
    assert phone_page.evaluate("typeof Intl.Segmenter") == "undefined"


def test_result_shows_title_village_month_and_own_words(county, phone_page, screenshot):
    page = phone_page
    _open_search(page, county + VILLAGE + "finance/2026-10.html")
    _ask(page, "修路")
    first = page.locator(".cw-result").first
    assert first.locator(".cw-result__title").inner_text()
    meta = first.locator(".cw-result__meta").inner_text()
    assert "荷垅村" in meta and "月" in meta
    snippets = " ".join(page.locator(".cw-result__snippet").all_inner_texts())
    assert page.locator(".cw-result__snippet mark").count() > 0
    # the synonym table is applied to the query, never shown as the record's text
    assert "水泥路" not in snippets and "通组路 路面" not in snippets
    # readable and tappable at 360 px
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cw-search__input')).fontSize)") >= 18
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cw-result__snippet')).fontSize)") >= 18
    for selector in (".cw-search__input", ".cw-search__go", ".cw-search__close", ".cw-result__link"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["height"] >= 44, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "results", full_page=False)
    # the opened page marks the searched words
    first.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("mark.cw-hit").count() > 0


def test_first_visit_downloads_no_search(county, phone_page):
    page = phone_page
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(county + VILLAGE + "index.html", wait_until="networkidle")
    page.goto(county + VILLAGE + "finance/2026-10.html", wait_until="networkidle")
    assert urls
    assert not [u for u in urls if "pagefind" in u or "cunwu-search" in u or "/search/" in u]


def test_village_searches_itself_and_can_widen_to_the_county(county, phone_page):
    """A village's own index holds only its records; 全县各村 opens the portal's
    county-wide search with the same query."""
    page = phone_page
    _open_search(page, county + VILLAGE + "index.html")
    own = _ask(page, "光伏")
    assert own and all(urlsplit(h).path.startswith("/" + VILLAGE) for h in own)
    page.locator(".cw-search__scope select").select_option("county")
    page.wait_for_url("**/search.html?q=*")
    assert urlsplit(page.url).path == "/search.html"
    page.locator(".cw-search[data-state=done]").wait_for(timeout=20_000)
    assert page.locator(".cw-search__input").input_value() == "光伏"
    wide = page.locator(".cw-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any(not urlsplit(h).path.startswith("/" + VILLAGE) for h in wide), wide


def test_portal_searches_the_villages_with_a_filter(county, demo_site, phone_page, screenshot):
    page = phone_page
    _open_search(page, county + "index.html")
    hrefs = _ask(page, "低保")
    villages = {urlsplit(h).path.split("/")[1] for h in hrefs}
    assert len(villages) >= 2, hrefs          # records of several villages
    assert all("/notices/" in urlsplit(h).path or "/finance/" in urlsplit(h).path for h in hrefs[:3])
    sites = json.loads((Path(demo_site) / "search-sites.json").read_text(encoding="utf-8"))
    helong = next(s for s in sites if s["path"] == VILLAGE)
    page.locator(".cw-search__filter select").nth(0).select_option(helong["township"])
    page.locator(".cw-search__filter select").nth(1).select_option(helong["village"])
    page.locator(".cw-search[data-state=done]").wait_for(timeout=20_000)
    hrefs = _ask(page, "低保")
    assert hrefs and all(urlsplit(h).path.startswith("/" + VILLAGE) for h in hrefs)
    assert any(urlsplit(h).path.endswith("notices/2026-10-d733cd.html") for h in hrefs[:3])
    screenshot(page, "portal", full_page=False)


def test_without_javascript_the_control_is_a_link_to_the_records_list(browser, county):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(county + VILLAGE + "finance/2026-10.html")
        link = page.locator("a[data-cw-search]")
        assert link.inner_text().strip() == "搜索"
        box = link.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
        link.click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/" + VILLAGE + "search.html"
        text = page.locator("article").inner_text()
        for heading in ("财务公开", "村务决策", "公示公告", "2026年"):
            assert heading in text
        assert page.locator("a[href='finance/2026-10.html']").count() == 1
    finally:
        context.close()


def test_from_disk_the_control_opens_the_records_list(demo_site, phone_page):
    page = phone_page
    page.goto((Path(demo_site).resolve() / VILLAGE / "index.html").as_uri())
    page.locator("a[data-cw-search]").click()
    page.wait_for_load_state()
    assert page.url.endswith(VILLAGE + "search.html")
    assert page.locator(".cw-search").count() == 0


def test_search_in_elderly_mode_is_large(county, phone_page):
    """长辈模式 (html.cw-big): the search box and its results at least 22 px,
    every control and result at least 60 px tall, nothing wider than 360 px."""
    page = phone_page
    page.goto(county + VILLAGE + "index.html#cw-big", wait_until="networkidle")
    assert page.evaluate("document.documentElement.classList.contains('cw-big')")
    page.locator("a[data-cw-search]").click()
    page.locator(".cw-search[data-state=ready]").wait_for(timeout=20_000)
    _ask(page, "低保")
    for selector in (".cw-search__input", ".cw-search__go", ".cw-search__close", ".cw-result__snippet",
                     ".cw-result__title", ".cw-search__scope select"):
        size = page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")
        assert size >= 22, (selector, size)
    for selector in (".cw-search__input", ".cw-search__go", ".cw-search__close", ".cw-result__link",
                     ".cw-search__more", ".cw-search__index", ".cw-search__scope select"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["height"] >= 60, (selector, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _bundle(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_searchable_parts_make_the_same_index_as_whole_pages(demo_site, tmp_path):
    """The build gives Pagefind only each record page's searchable part (kept in
    SEARCH_SOURCE); the bundle is byte for byte the one the published pages
    themselves make, for a village and for the county."""
    published = demo_site.resolve()
    village = tmp_path / "helong"
    shutil.copytree(published / "helong", village)       # published: pages only, no search source
    shutil.rmtree(village / search.BUNDLE)
    search._index(village, village / search.BUNDLE, None)   # Pagefind over the whole pages
    assert _bundle(village / search.BUNDLE) == _bundle(published / "helong" / search.BUNDLE)
    assert search.write_search_source(village) > 100
    parts = (village / SEARCH_SOURCE / "finance" / "2026-10.html").read_text(encoding="utf-8")
    assert parts.count("data-pagefind-body") == 1 and "md-header" not in parts

    county = tmp_path / "county"
    shutil.copytree(published, county)
    slugs = [p.parent.name for p in county.glob("*/pagefind")]
    assert len(slugs) == 6
    search.index_county(county, {slug: county / slug for slug in slugs})   # no search source: whole pages
    assert _bundle(county / search.BUNDLE) == _bundle(published / search.BUNDLE)
