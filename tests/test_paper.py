"""Paper and web in step: the board sheets of the demo county, their QR codes
decoded from the published SVG files in Chromium, the PDF Chromium prints of a
sheet (village and period on every page, A4 portrait and A3 landscape), the
board photo loaded only when tapped, the poster, and a county without
site_url (no codes, and the sheet says why)."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from cunwu.records.check import check_path
from cunwu.site.pages import render_village
from cunwu.site.postings import village_postings

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
DEMO_AS_OF = date(2026, 11, 21)
PERIOD = "2026-10"


def site_url() -> str:
    config = yaml.safe_load((ROOT / "villages" / "county.yml").read_text("utf-8"))
    return str(config["site_url"]).rstrip("/")


class Sheet(HTMLParser):
    """The columns of a built board sheet: column → [(data-page, qr src, open_only)]."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: dict[str, list[tuple[str, str, bool]]] = {}
        self.column = ""
        self.village_qr = ""
        self.photo = ""
        self.item: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "section" and "cw-sheet-col" in cls:
            self.column = a["data-column"] or ""
            self.columns[self.column] = []
        elif tag == "li" and "cw-sheet-item" in cls:
            self.item = [a["data-page"], "", "cw-sheet-item--open" in cls]
            self.columns[self.column].append(self.item)  # type: ignore[arg-type]
        elif tag == "img" and "cw-qr" in cls:
            if self.item is not None:
                self.item[1] = a["src"]
            elif a.get("data-qr-for") == "index.html":
                self.village_qr = a["src"] or ""
        elif tag == "img" and a.get("loading") == "lazy":
            self.photo = a["src"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.item = None


def decode_svg(page, url: str) -> str:
    """Open a QR code's SVG file in Chromium, screenshot it and decode it."""
    import zxingcpp
    from PIL import Image

    page.set_content(f'<body style="margin:0;background:#fff"><img id="qr" src="{url}"></body>')
    page.wait_for_function("document.getElementById('qr').complete")
    png = page.locator("#qr").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found, f"no QR code decoded from {url}"
    return found[0].text


def test_board_sheet_has_every_posting_in_its_column_with_a_decodable_code(demo_site, browser, serve_dir):
    county, _ = check_path(ROOT / "villages")
    base = site_url()
    served = serve_dir(demo_site)
    page = browser.new_page()
    checked = 0
    for village in county.villages:
        posted = [p for p in village_postings(village, DEMO_AS_OF) if p.day.strftime("%Y-%m") == PERIOD]
        sheet_file = demo_site / village.slug / "board" / f"{PERIOD}.html"
        html = sheet_file.read_text("utf-8")
        sheet = Sheet()
        sheet.feed(html)
        assert list(sheet.columns) == ["党务", "村务", "财务", "政务"]
        assert f"{village.name}村务公开栏" in html and "2026年10月" in html
        for p in posted:
            items = [i for i in sheet.columns[p.column] if i[0] == p.page and not i[2]]
            assert items, f"{village.slug}: {p.title} ({p.page}) not in column {p.column}"
        # each item's code, decoded, is the address of its page on the county's site
        for column, items in sheet.columns.items():
            for page_rel, qr, _ in items:
                assert qr, f"{village.slug} {column} {page_rel}: no QR code"
                assert decode_svg(page, f"{served}{village.slug}/board/{qr}") == f"{base}/{village.slug}/{page_rel}"
                checked += 1
        assert decode_svg(page, f"{served}{village.slug}/board/{sheet.village_qr}") == f"{base}/{village.slug}/index.html"
        # the finance summary of the accounts posted that month
        for p in posted:
            if p.kind == "finance":
                assert f"财务收支公开：{int(p.record.month[:4])}年{int(p.record.month[5:])}月" in html
    page.close()
    assert checked >= 12


def test_board_photo_is_loaded_only_when_tapped(demo_site, browser, serve_dir):
    photos = sorted((ROOT / "villages").glob(f"*/board/{PERIOD}.jpg"))
    assert photos, "the demo county has board photos"
    slug = photos[0].parent.parent.name
    served = serve_dir(demo_site)
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{served}{slug}/board/{PERIOD}.html")
    page.wait_for_load_state("networkidle")
    assert not any(u.endswith(f"{PERIOD}.jpg") for u in requested)
    with page.expect_request(lambda r: r.url.endswith(f"/{slug}/board/{PERIOD}.jpg")):
        page.click("details.cw-sheet-photo summary")
    page.wait_for_function("document.querySelector('details.cw-sheet-photo img').naturalWidth > 0")
    page.close()
    # the county's matrix marks the month with a photo, and not the months without
    matrix = (demo_site / "timeliness.html").read_text("utf-8")
    assert 'data-photo="有"' in matrix and 'data-photo="无"' in matrix and "📷" in matrix


@pytest.mark.parametrize("fragment,size", [("", (595, 842)), ("#a3", (1191, 842))])
def test_printed_sheet_names_village_and_period_on_every_page(demo_site, browser, serve_dir, fragment, size):
    from pypdf import PdfReader

    county, _ = check_path(ROOT / "villages")
    # the village with the most postings that month: more than one printed page
    village = max(county.villages, key=lambda v: len([p for p in village_postings(v, DEMO_AS_OF)
                                                         if p.day.strftime("%Y-%m") == PERIOD]))
    served = serve_dir(demo_site)
    page = browser.new_page()
    page.goto(f"{served}{village.slug}/board/{PERIOD}.html{fragment}")
    page.wait_for_load_state("networkidle")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    page.close()
    assert len(pdf.pages) >= 1
    for number, pdf_page in enumerate(pdf.pages, 1):
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert (round(width), round(height)) == size, (number, width, height)
        # the village's code and the period in digits: CJK text comes out of a PDF
        # with radicals for some characters (⻘ for 青), digits do not
        text = re.sub(r"\s+", "", pdf_page.extract_text())
        code = village.profile.record.code if village.profile else ""
        assert code and code in text and PERIOD in text, f"page {number}: {text[:200]}"
        if number == 1:
            assert "村务公开栏" in unicodedata.normalize("NFKC", text)


def test_poster_has_the_village_code(demo_site, browser, serve_dir):
    county, _ = check_path(ROOT / "villages")
    village = county.villages[0]
    html = (demo_site / village.slug / "poster.html").read_text("utf-8")
    assert "扫一扫" in html and "长辈模式" in html
    src = re.search(r'<img class="cw-qr cw-poster-qr" src="([^"]+)"', html)
    assert src
    page = browser.new_page()
    assert decode_svg(page, f"{serve_dir(demo_site)}{village.slug}/{src.group(1)}") == \
        f"{site_url()}/{village.slug}/index.html"
    page.close()
    home = (demo_site / village.slug / "index.html").read_text("utf-8")
    assert 'href="board/index.html"' in home and 'href="poster.html"' in home


def test_without_site_url_the_sheet_says_so_and_prints_no_codes(tmp_path: Path):
    county_dir = tmp_path / "county"
    shutil.copytree(GOOD, county_dir)
    county, report = check_path(county_dir)
    assert not report.errors
    village = county.villages[0]
    assert village.site_url == ""
    out = tmp_path / "render"
    render_village(ROOT, village, date(2024, 12, 31), out, tmp_path / "site")
    sheets = sorted((out / "docs" / "board").glob("20*.md"))
    assert sheets
    for sheet in sheets:
        text = sheet.read_text("utf-8")
        assert "site_url" in text and "不印二维码" in text
        assert "cw-qr" not in text
    assert not (out / "docs" / "board" / "qr").exists()
    assert "暂时没有二维码" in (out / "docs" / "poster.md").read_text("utf-8")
    # the March 2024 sheet holds what went up that month, in its columns
    march = (out / "docs" / "board" / "2024-03.md").read_text("utf-8")
    sheet = Sheet()
    sheet.feed(march)
    pages = {p for items in sheet.columns.values() for p, _, _ in items}
    assert "finance/2024-02.html" in pages
    assert any(p.startswith("decisions/") for p in pages)


def test_sheet_values_are_masked_and_escaped(tmp_path: Path):
    county_dir = tmp_path / "county"
    shutil.copytree(GOOD, county_dir)
    notice = county_dir / "qingshi" / "notices" / "2024-04-低保公示.md"
    text = notice.read_text("utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)
    assert title
    notice.write_text(text.replace(title.group(0), 'title: "<script>alert(1)</script> 低保 13812345678"'), "utf-8")
    county, _ = check_path(county_dir)
    out = tmp_path / "render"
    render_village(ROOT, county.villages[0], date(2024, 12, 31), out, tmp_path / "site")
    april = (out / "docs" / "board" / "2024-04.md").read_text("utf-8")
    assert "<script>" not in april and "&lt;script&gt;" in april
    assert "13812345678" not in april
