"""Screenshots for the clerk's guide (content/guide/), taken from the real demo
county site in Debian's Chromium at a phone's size.

The test never writes to the repository: it saves fresh screenshots to
tests/artifacts/guide/ (git-ignored) and compares them with the committed ones
in content/guide/img/, which the guide pages reference. A committed picture
must exist and have the fresh one's pixel size (the guide's Markdown may state
width and height); when the pictures differ, the test warns with the paths. To
refresh the guide after a change to the theme, the renderer or the demo records:

    python -m pytest tests/test_guide_screenshots.py
    cp tests/artifacts/guide/*.png content/guide/img/

and commit the images with the change. The test also checks that every image a
guide page references exists and that the built village sites carry the guide
with its images.

Pictures are viewport-only (what a phone shows without scrolling), 360 px wide
at a device scale factor of 1 so that each stays small (they are copied into
every village's site); the readers' clock is fixed to the demo's as-of day so
that notice statuses read as they did on that day.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import pytest
from conftest import ARTIFACTS, DEMO_AS_OF, PHONE_VIEWPORT, ROOT
from test_village_e2e import DEMO, assert_all_local, first_village_with, latest_month, watch_requests

GUIDE = ROOT / "content" / "guide"
IMG = GUIDE / "img"                    # committed: read, never written
FRESH = ARTIFACTS / "guide"            # this run's screenshots
MAX_BYTES = 150_000
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)")

# name → (what it shows, the guide page that explains it)
SHOTS = {
    "village-home.png": ("村务公开栏首页", "preview.md"),
    "finance-section.png": ("财务公开栏目", "preview.md"),
    "ledger-month.png": ("一个月的收支明细", "records.md"),
    "search.png": ("搜索“道路”", "preview.md"),
    "notice-status.png": ("公示及公示期状态", "records.md"),
    "county-timeliness.png": ("县级汇总网站的公开及时性", "records.md"),
}


def first_village() -> str:
    return sorted(p.name for p in DEMO.iterdir() if p.is_dir())[0]


@pytest.fixture
def guide_page(browser):
    """A phone page like conftest's phone_page, but at device scale 1 (small PNGs)
    and with the clock fixed to the demo's as-of day."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=1, is_mobile=True,
                                  has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.clock.set_fixed_time(f"{DEMO_AS_OF}T10:00:00+08:00")
    try:
        yield page
    finally:
        context.close()


def save(page, name: str) -> Path:
    """A viewport screenshot into tests/artifacts/guide/<name>."""
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(200)          # let the header settle after a scroll
    data = page.screenshot(full_page=False, animations="disabled", caret="hide")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) < MAX_BYTES, f"{name}: {len(data)} bytes"
    FRESH.mkdir(parents=True, exist_ok=True)
    path = FRESH / name
    path.write_bytes(data)
    return path


def digests(folder: Path) -> dict[str, tuple[str, int]]:
    """Content and modification time of each file: a rewrite with the same bytes shows too."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.glob("*")) if p.is_file()}


def scroll_to(page, locator) -> None:
    """Bring an element just below the sticky header (Material's header is 48 px)."""
    locator.first.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 56)")


def test_take_the_guide_screenshots(demo_site, serve_dir, guide_page):
    page, slug = guide_page, first_village()
    committed_before = digests(IMG)
    requests = watch_requests(page)
    base = serve_dir(demo_site)

    # 1. the village home: the board with its four columns
    page.goto(f"{base}{slug}/index.html")
    assert page.get_by_role("heading", name="党务公开", exact=True).is_visible()
    save(page, "village-home.png")

    # 2. the 财务公开 section, reached from the home as a villager would
    page.get_by_role("link", name="财务公开", exact=True).first.tap()
    page.wait_for_url(re.compile(r"/finance/index\.html$"))
    assert page.get_by_role("heading", level=1).inner_text() == "财务公开"
    save(page, "finance-section.png")

    # 3. one month's ledger: totals and the supervision committee's review
    month = latest_month(slug)
    year, mon = month.split("-")
    page.get_by_role("link", name=f"{year}年{int(mon)}月收支明细").first.tap()
    page.wait_for_url(re.compile(rf"/finance/{month}\.html$"))
    assert page.locator(".cw-review").first.is_visible()
    save(page, "ledger-month.png")

    # 4. search: 道路 typed, results listed
    page.goto(f"{base}{first_village_with('道路')}/index.html")
    page.locator("a[data-cw-search]").tap()
    page.locator(".cw-search[data-state=ready]").wait_for(timeout=15_000)
    page.locator(".cw-search__input").fill("道路")
    page.locator(".cw-search__input").press("Enter")
    results = page.locator(".cw-result__link")
    results.first.wait_for(timeout=15_000)
    assert "道路" in results.first.inner_text()
    page.wait_for_timeout(300)
    save(page, "search.png")

    # 5. a notice open on the as-of day, with its 公示期 and status
    page.goto(f"{base}{slug}/notices/index.html")
    open_items = page.locator("article li", has=page.locator(".notice-status", has_text="公示中"))
    open_items.first.wait_for()
    titles = [open_items.nth(i).locator("a").first.inner_text() for i in range(open_items.count())]
    # a 公示 with its list (e.g. relief recipients) shows most of what the guide explains
    title = next((t for t in titles if t.endswith("对象公示")), next((t for t in titles if "公示" in t), titles[0]))
    page.get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url(re.compile(r"/notices/(?!index)[^/]+\.html$"))
    status = page.locator(".notice-status").first
    assert status.inner_text() == "公示中"
    save(page, "notice-status.png")

    # 6. the county portal's 公开及时性: this year's monthly finance matrix
    page.goto(f"{base}timeliness.html")
    scroll_to(page, page.get_by_role("heading", level=2, name=re.compile(r"^\d{4}年$")))   # the latest year
    assert page.locator(".cw-tl--late").count() > 0, "the demo has no late month: regenerate it with --imperfections"
    save(page, "county-timeliness.png")

    assert_all_local(requests)
    differ = []
    for name in SHOTS:
        fresh, committed = FRESH / name, IMG / name
        assert fresh.is_file(), name
        assert committed.is_file(), f"{committed} missing: copy it from {fresh}"
        assert png_size(committed.read_bytes()) == png_size(fresh.read_bytes()), \
            f"{committed} is not the size of a phone screenshot now: copy it from {fresh}"
        if committed.read_bytes() != fresh.read_bytes():
            differ.append(name)
    if differ:
        warnings.warn(f"guide screenshots differ from this run's ({', '.join(differ)}): "
                      f"review {FRESH} and copy them to {IMG} if the change is wanted", stacklevel=1)
    assert digests(IMG) == committed_before, "the test wrote to the committed guide images"


def guide_images() -> list[tuple[str, str, str]]:
    """(page, alt text, target) of every image in the guide's Markdown pages."""
    out = []
    for md in sorted(GUIDE.glob("*.md")):
        for alt, target in IMAGE_RE.findall(md.read_text(encoding="utf-8")):
            out.append((md.name, alt, target))
    return out


def test_every_guide_image_exists_and_is_described_in_chinese():
    images = guide_images()
    assert {Path(t).name for _, _, t in images} >= set(SHOTS), "a screenshot is not used by any guide page"
    for page, alt, target in images:
        assert not re.match(r"[a-z]+:|/", target), f"{page}: {target} must be a relative path inside the site"
        assert (GUIDE / target).is_file(), f"{page} references {target}, which does not exist"
        assert re.search(r"[\u4e00-\u9fff]", alt), f"{page}: image {target} needs Chinese alt text"
    for name, (_, page) in SHOTS.items():
        assert any(p == page and Path(t).name == name for p, _, t in images), f"{name} is not shown on {page}"


def test_built_guide_pages_show_their_images(demo_site):
    """The guide is published once, in the county portal (guide/), and on no village site."""
    slug = first_village()
    assert not (demo_site / slug / "guide").exists()
    assert (demo_site / slug / "help.html").is_file()
    for page, alt, target in guide_images():
        html = (demo_site / "guide" / page.replace(".md", ".html")).read_text(encoding="utf-8")
        tags = [tag for tag in re.findall(r"<img\b[^>]*>", html) if f'src="{target}"' in tag and f'alt="{alt}"' in tag]
        assert tags, (page, target)
        image = demo_site / "guide" / target
        assert image.is_file(), target
        size = png_size(image.read_bytes())
        for tag in tags:      # width/height written in the Markdown reserve the picture's space: they must be its own
            for attr, value in zip(("width", "height"), size, strict=True):
                found = re.search(rf'\b{attr}="(\d+)"', tag)
                assert found is None or int(found.group(1)) == value, (page, target, tag, size)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
