"""The demo county's village sites in Debian's Chromium at a phone's size:
the board, finances in two taps, Chinese search, no request leaving the site."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pytest
import yaml
from conftest import ROOT

DEMO = ROOT / "villages"


def first_village_with(word: str) -> str:
    """The slug of a demo village with a decision whose title holds `word`."""
    for folder in sorted(DEMO.iterdir()):
        for path in sorted((folder / "decisions").glob("*.md")) if folder.is_dir() else []:
            front = path.read_text(encoding="utf-8").split("---")[1]
            if word in yaml.safe_load(front)["title"]:
                return folder.name
    pytest.fail(f"no demo decision mentions {word}")


def latest_month(slug: str) -> str:
    return sorted(p.stem for p in (DEMO / slug / "ledgers").glob("*.yml"))[-1]


def watch_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def assert_all_local(urls: list[str]) -> None:
    outside = [u for u in urls if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")]
    assert not outside, f"requests left the site: {outside}"


def test_home_shows_the_board(demo_site, serve_dir, phone_page, screenshot):
    slug = sorted(p.name for p in DEMO.iterdir() if p.is_dir())[0]
    requests = watch_requests(phone_page)
    base = serve_dir(demo_site)
    phone_page.goto(f"{base}{slug}/index.html")
    for column in ("党务公开", "村务公开", "财务公开", "政务公开"):
        assert phone_page.get_by_role("heading", name=column, exact=True).is_visible()
    assert phone_page.get_by_role("heading", name="咨询与投诉").count() == 1
    # Readable at 360 px: large text, no sideways scrolling of the page itself.
    size = phone_page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    assert size >= 16
    assert phone_page.evaluate("document.scrollingElement.scrollWidth") <= 360
    screenshot(phone_page, "home")
    assert_all_local(requests)


def test_latest_ledger_month_in_two_taps(demo_site, serve_dir, phone_page, screenshot):
    slug = sorted(p.name for p in DEMO.iterdir() if p.is_dir())[0]
    month = latest_month(slug)
    requests = watch_requests(phone_page)
    phone_page.goto(f"{serve_dir(demo_site)}{slug}/index.html")
    phone_page.get_by_role("link", name="财务公开", exact=True).first.tap()           # tap 1: the section
    phone_page.wait_for_url(re.compile(r"/finance/index\.html$"))
    year, mon = month.split("-")
    phone_page.get_by_role("link", name=f"{year}年{int(mon)}月收支明细").first.tap()  # tap 2: the month
    phone_page.wait_for_url(re.compile(rf"/finance/{month}\.html$"))
    assert phone_page.get_by_role("heading", level=1).inner_text() == f"{year}年{int(mon)}月收支明细"
    assert phone_page.get_by_text("账目核对无误").is_visible()
    screenshot(phone_page, "ledger-month")
    assert_all_local(requests)


@pytest.mark.parametrize("query, page_kind, must_contain", [
    ("道路", "decisions", "道路"),
    ("修路", "decisions", "路"),
    ("低保", "notices", "低保"),
])
def test_chinese_search_lands_on_the_record(demo_site, serve_dir, phone_page, screenshot,
                                            query, page_kind, must_contain):
    slug = first_village_with("道路") if query != "低保" else sorted(p.name for p in DEMO.iterdir() if p.is_dir())[0]
    requests = watch_requests(phone_page)
    phone_page.goto(f"{serve_dir(demo_site)}{slug}/index.html")
    phone_page.locator("a[data-cw-search]").tap()
    phone_page.locator(".cw-search[data-state=ready]").wait_for(timeout=20_000)
    box = phone_page.locator(".cw-search__input")
    box.fill(query)
    results = phone_page.locator(".cw-result__link")
    results.first.wait_for(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(min(results.count(), 5))]
    assert any(f"/{page_kind}/" in h for h in hrefs), hrefs
    target = next(i for i, h in enumerate(hrefs) if f"/{page_kind}/" in h)
    screenshot(phone_page, f"search-{query}", full_page=False)
    results.nth(target).tap()
    phone_page.wait_for_url(re.compile(rf"/{page_kind}/"))
    assert must_contain in phone_page.locator("article").inner_text()
    assert_all_local(requests)


def test_voucher_number_finds_its_month(demo_site, serve_dir, phone_page):
    slug = sorted(p.name for p in DEMO.iterdir() if p.is_dir())[0]
    month = latest_month(slug)
    ledger = yaml.safe_load((DEMO / slug / "ledgers" / f"{month}.yml").read_text(encoding="utf-8"))
    voucher = str(ledger["entries"][-1]["voucher"])
    phone_page.goto(f"{serve_dir(demo_site)}{slug}/index.html")
    phone_page.locator("a[data-cw-search]").tap()
    phone_page.locator(".cw-search[data-state=ready]").wait_for(timeout=20_000)
    phone_page.locator(".cw-search__input").fill(voucher)
    results = phone_page.locator(".cw-result__link")
    results.first.wait_for(timeout=15_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("/finance/" in h for h in hrefs), hrefs


def test_notice_status_follows_the_readers_date(demo_site, serve_dir, browser):
    """The printed status is the build day's; the script re-marks it by the reader's day,
    and without script the build day's text stays."""
    slug = sorted(p.name for p in DEMO.iterdir() if p.is_dir())[0]
    notices = sorted((DEMO / slug / "notices").glob("*.md"))
    front = yaml.safe_load(notices[0].read_text(encoding="utf-8").split("---")[1])
    start, end = front["start"], front["end"]
    base = serve_dir(demo_site)

    def status_on(day: date | None, script: bool = True) -> str:
        context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=script)
        page = context.new_page()
        if day is not None:
            page.clock.set_fixed_time(f"{day.isoformat()}T10:00:00+08:00")
        page.goto(f"{base}{slug}/notices/index.html")
        badge = page.locator(f".notice-status[data-start='{start}'][data-end='{end}']").first
        text = badge.inner_text()
        context.close()
        return text

    assert status_on(start) == "公示中"
    assert status_on(end) == "公示中"
    assert status_on(date(end.year + 1, 1, 1)) == "已结束"
    assert status_on(date(start.year - 1, 1, 1)) == "未开始"
    assert status_on(None, script=False) == "已结束"   # built as of 2026-11-21, long after
