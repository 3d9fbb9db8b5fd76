"""The publishing boundary, tried as an attacker would: a county whose clerk
put hostile text in every field that reaches a page (tests/boundary_corpus.py),
built with the real `cunwu build` and opened in Chromium.

What must hold on every page of the village and of the county portal: no
dialog fires, the Content-Security-Policy reports no violation (our own pages
never trigger one), nothing is requested outside the site, no element carries
an event handler, every link is http(s), mailto:, tel: or the site's own, and
each hostile value is shown as the characters the clerk typed — in the body,
in <title>, in <meta name="description">, in search results. Open data keeps
the exact values in JSON and neutralises formulas in CSV.

Attachments are published as downloads only: a refused or dangerous file is
absent from the built site, however it got into the list.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from boundary_corpus import (
    COUNTY_NAME,
    GOOD_URLS,
    HOSTILE_URLS,
    MARK,
    PAYLOAD_FILE,
    PAYLOADS,
    PDF,
    TOWNSHIP,
    VILLAGE,
    VILLAGE_NAME,
    hostile,
    write_county,
)

from cunwu.site.markup import clerk_href, clerk_html, front_matter_value, material_text, safe_url

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2024-12-31"

# Fields whose value is Markdown (rendered and sanitised by nh3, not shown
# literally): their marker is followed by the sanitised body.
BODY_TAGS = ("dbody", "rtext", "creport", "nbody")

OBSERVE = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));
"""

# Everything on the page that could run or leave the site.
AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
      if (/^\\s*(javascript|data|vbscript):/i.test(a.value) && a.name !== 'content') bad.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const ok = ['http:', 'https:', 'mailto:', 'tel:'].includes(a.protocol)
      && (a.origin === location.origin || a.protocol !== 'http:' || a.hostname === 'example.org');
    if (!ok) bad.push('link ' + a.getAttribute('href'));
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.src && new URL(s.src).origin !== location.origin) bad.push('script ' + s.src);
    if (!s.src && s.type !== 'application/json' && /alert/.test(s.textContent)) bad.push('inline ' + s.textContent);
  }
  // The site's own search form submits to its own page, never elsewhere.
  for (const f of document.querySelectorAll('form.cw-search__form, form.md-search__form')) {
    if (f.getAttribute('action') && new URL(f.action, location.href).origin !== location.origin)
      bad.push('form action ' + f.action);
  }
  for (const tag of ['iframe', 'object', 'embed', 'form:not(.md-search__form):not(.cw-search__form)', 'svg script', 'base']) {
    for (const el of document.querySelectorAll(tag)) bad.push(tag + ' ' + el.outerHTML.slice(0, 80));
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The hostile county, checked and built with the real command line."""
    tmp = tmp_path_factory.mktemp("boundary")
    villages = write_county(tmp)
    check = subprocess.run([sys.executable, "-m", "cunwu", "check", str(villages)],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr
    proc = subprocess.run([sys.executable, "-m", "cunwu", "build", str(villages), "--site", str(tmp / "site"),
                           "--work", str(tmp / "build"), "--as-of", AS_OF, "--project", str(ROOT), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp / "site"


def _pages(site: Path) -> list[str]:
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    return [p for p in pages if not p.startswith("guide/")] + ["guide/index.html"]


def _record_dialogs(page) -> list[str]:
    """Every alert/confirm/prompt the page opens, dismissed and kept."""
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _literal_fields(text: str) -> list[str]:
    """Markers of the text fields on a page, each checked to be followed by
    the whole hostile value as typed."""
    found = []
    for m in re.finditer(rf"{MARK}([a-z_]+\d*)", text):
        tag = m.group(1)
        if tag.startswith(BODY_TAGS) or tag.startswith("rversion"):
            continue
        value = hostile(tag)
        assert text[m.start():m.start() + len(value)] == value, (tag, text[m.start():m.start() + len(value) + 40])
        found.append(tag)
    return found


def test_every_page_of_the_village_and_portal_shows_payloads_as_text(hostile_site, serve_dir, phone_page):
    base = serve_dir(hostile_site)
    dialogs = _record_dialogs(phone_page)
    outside: list[str] = []

    def only_the_site(route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    phone_page.context.route("**/*", only_the_site)
    phone_page.add_init_script(OBSERVE)
    shown: set[str] = set()
    pages = _pages(hostile_site)
    kinds = {re.sub(r"[^/]+\.html$", "", p) for p in pages}
    assert {f"{VILLAGE}/", f"{VILLAGE}/finance/", f"{VILLAGE}/decisions/", f"{VILLAGE}/rules/",
            f"{VILLAGE}/evaluations/", f"{VILLAGE}/notices/", f"{VILLAGE}/data/", "", "data/"} <= kinds
    for path in pages:
        phone_page.goto(base + path)
        phone_page.wait_for_load_state("load")
        where = f"{path}: "
        assert phone_page.evaluate("window.__violations") == [], where
        assert phone_page.evaluate(AUDIT) == [], where
        title = phone_page.title()
        description = phone_page.locator("meta[name=description]").get_attribute("content")
        footer = phone_page.locator(".md-copyright").inner_text()
        if path.startswith(f"{VILLAGE}/"):
            # The site name, its description and the copyright as typed.
            assert title.endswith(f"{VILLAGE_NAME}村务公开"), where + title
            assert description == f"{TOWNSHIP}{VILLAGE_NAME}村务公开：财务、决策、制度、评议、公示", where
            assert footer.startswith(f"{VILLAGE_NAME} · 数据截至"), where + footer
        else:
            assert title.endswith(f"{COUNTY_NAME}村务公开"), where + title
            assert description is not None and description.startswith(COUNTY_NAME), where
            assert footer.startswith(f"{COUNTY_NAME} · 数据截至"), where + footer
        header = phone_page.locator(".md-header__topic").first.inner_text()
        assert VILLAGE_NAME in header or COUNTY_NAME in header, where + header
        # A record page's title is the record's title, with the payloads as typed.
        if re.search(r"/(decisions|notices|rules)/(?!index)", path):
            assert title.startswith(f"{MARK}") and title.split(" - ")[0].endswith(PAYLOADS[-1]), where + title
            assert "</title><script>alert(1)</script>" in title
            assert phone_page.locator(".md-header__topic").nth(1).inner_text().strip() == title.split(" - ")[0]
        text = phone_page.locator("body").inner_text()
        shown.update(_literal_fields(text))
        # A phone card shows a table's first column as the card's title, without
        # its header: the header is still in the page, as text.
        shown.update(_literal_fields(phone_page.evaluate(
            "Array.from(document.querySelectorAll('th')).map(th => th.textContent).join('\\n')")))
        if path.startswith(f"{VILLAGE}/") and path != f"{VILLAGE}/404.html":
            assert VILLAGE_NAME in text, where
    assert dialogs == [] and outside == []
    # Every text field of the corpus was found somewhere, whole.
    expected = {"office", "phone", "hours", "tphone", "reviewby", "voucher0", "summary0", "counterparty0",
                "handled_by0", "reviewed_by0", "approved_by0", "dtitle0", "dtitle1", "dnote00", "doc0", "doc12",
                "rtitle0", "rtitle1", "pname000", "pstep000", "pbasis000", "presp000", "chair2024", "cname20240",
                "crole20240", "ntitle0", "ntitle1", "nobj0", "ncol00", "ncell00", "party_branchname0",
                "party_branchrole0", "supervision_committeename0"}
    assert expected <= shown, sorted(expected - shown)


def test_hostile_document_links_are_text_and_good_ones_links(hostile_site, serve_dir, phone_page):
    base = serve_dir(hostile_site)
    decision = sorted((hostile_site / VILLAGE / "decisions").glob("2024-03-*.html"))[0]
    phone_page.goto(base + str(decision.relative_to(hostile_site)))
    items = phone_page.locator("h2:has-text('相关文件') + ul > li")
    assert items.count() == len(HOSTILE_URLS) + len(GOOD_URLS)
    for i, url in enumerate(HOSTILE_URLS):
        item = items.nth(i)
        assert item.locator("a").count() == 0, url
        shown = " ".join(url.split()).replace("\x01", "")
        assert item.inner_text().replace("\x01", "").endswith(f"（{shown}）"), (url, item.inner_text())
    for i, url in enumerate(GOOD_URLS):
        assert items.nth(len(HOSTILE_URLS) + i).locator("a").get_attribute("href") == url
    # In the clerk's body every hostile link and image lost its target.
    body = phone_page.locator(".cw-text").first
    assert body.locator("a[href]").count() == 0
    # Images only from the site: the two from another host or data: lost their source.
    sources = [body.locator("img").nth(i).get_attribute("src") for i in range(body.locator("img").count())]
    assert sources.count(None) == 2 and set(sources) == {None, "x"}
    assert "{{7*7}} {% raw %}" in body.inner_text()


def test_search_results_show_payloads_as_text(hostile_site, serve_dir, phone_page):
    """Pagefind's results (titles and snippets of hostile records) are shown as
    text: no dialog, no policy violation, no markup from the records."""
    base = serve_dir(hostile_site)
    dialogs = _record_dialogs(phone_page)
    phone_page.add_init_script(OBSERVE)
    phone_page.goto(f"{base}{VILLAGE}/index.html", wait_until="networkidle")
    phone_page.locator("a[data-cw-search]").click()
    phone_page.locator(".cw-search[data-state=ready]").wait_for(timeout=20_000)
    seen = 0
    for query in (f"{MARK}dtitle0", f"{MARK}ntitle0", f"{MARK}summary0", "onerror"):
        box = phone_page.locator(".cw-search__input")
        box.fill(query)
        box.press("Enter")
        phone_page.wait_for_timeout(50)
        phone_page.locator(".cw-search[data-state=done]").wait_for(timeout=20_000)
        results = phone_page.locator(".cw-search").inner_text()
        if phone_page.locator(".cw-result__link").count():
            seen += 1
            assert "<script" not in phone_page.locator(".cw-result__link").first.evaluate("e => e.innerHTML"), query
        assert "alert(1)" not in results or "</title><script>alert(1)</script>" in results or "onerror" in results, query
        assert phone_page.evaluate(AUDIT) == [], query
    assert seen >= 2   # the hostile records are found
    assert dialogs == [] and phone_page.evaluate("window.__violations") == []
    # The index holds the records' text as text (Pagefind reads the built pages'
    # text nodes); the search box puts it into text nodes, never into markup.
    blob = b"".join(gzip.decompress(p.read_bytes())
                    for p in (hostile_site / VILLAGE / "pagefind" / "fragment").glob("*"))
    assert "</title><script>alert(1)</script>" in blob.decode("utf-8", errors="replace")
    search_js = (hostile_site / VILLAGE / "assets" / "cunwu-search.js").read_text(encoding="utf-8")
    assert "createTextNode" in search_js and ".innerHTML=" not in search_js.replace(".innerHTML=\"\"", "")


def test_open_data_is_exact_in_json_and_inert_in_csv(hostile_site):
    data = hostile_site / VILLAGE / "data"
    entries = json.loads((data / "ledger-entries.json").read_text(encoding="utf-8"))
    assert entries["village"] == VILLAGE_NAME
    assert entries["rows"][0]["摘要"] == hostile("summary0")
    notice_csv = next(data.glob("notice-*.csv"))
    rows = list(csv.reader(notice_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == hostile("ncol00") and rows[1][0] == hostile("ncell00")
    assert rows[-1] == ["'=HYPERLINK(\"http://x\";\"点此查看\")", "'@SUM(1+1)", "'+1+1", "'-2+3+cmd|' /C calc'!A0"]
    notice_json = json.loads(notice_csv.with_suffix(".json").read_text(encoding="utf-8"))
    assert list(notice_json["rows"][-1].values()) == ["=HYPERLINK(\"http://x\";\"点此查看\")", "@SUM(1+1)", "+1+1",
                                                      "-2+3+cmd|' /C calc'!A0"]
    for path in data.glob("*.csv"):
        for row in csv.reader(path.read_text(encoding="utf-8-sig").splitlines()):
            for value in row:
                assert not value or value[0] not in "=+@\t\r" or re.fullmatch(r"-?[0-9.]+", value), (path, value)


def test_attachments_are_downloads_and_the_payload_file_name_is_one(hostile_site, serve_dir, phone_page):
    files = hostile_site / VILLAGE / "files"
    assert sorted(p.name for p in files.iterdir()) == sorted([PAYLOAD_FILE.split("/", 1)[1], "minutes.pdf"])
    assert (files / "minutes.pdf").read_bytes() == PDF
    # Served as a PDF, not as a page.
    base = serve_dir(hostile_site)
    response = phone_page.request.get(f"{base}{VILLAGE}/files/minutes.pdf")
    assert response.headers["content-type"] == "application/pdf"


# ------------------------------------------------------------ attachments at the render stage


@dataclass(frozen=True)
class _Attachment:
    path: str
    source: Path
    accepted: bool = True


def test_only_accepted_download_types_are_copied_and_never_through_a_link(tmp_path):
    """Whatever the list says, a page type, a link or a file outside the
    village is not copied; then MkDocs builds no page under files/."""
    from cunwu.site.pages.attachments import publish_attachments

    village = tmp_path / "v"
    (village / "files" / "sub").mkdir(parents=True)
    (village / "images").mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    plain = {"files/会议记录.pdf": PDF, "files/sub/名单.csv": b"a,b\n", "images/照片.png": b"\x89PNG\r\n\x1a\n"}
    dangerous = {"files/page.md": b"# <script>alert(1)</script>", "files/x.html": b"<script>alert(1)</script>",
                 "images/x.svg": b"<svg onload=alert(1)>", "files/x.pdf.md": b"# x", "files/refused.pdf": PDF}
    for rel, data in {**plain, **dangerous}.items():
        (village / rel).write_bytes(data)
    os.symlink(outside, village / "files" / "passwd.txt")
    os.symlink(tmp_path, village / "files" / "linked")
    listed = [_Attachment(rel, village / rel) for rel in [*plain, *dangerous] if rel != "files/refused.pdf"]
    listed += [_Attachment("files/refused.pdf", village / "files/refused.pdf", accepted=False),
               _Attachment("files/passwd.txt", village / "files/passwd.txt"),
               _Attachment("files/linked/secret.txt", village / "files/linked/secret.txt"),
               _Attachment("files/../../secret.txt", outside), _Attachment("/etc/passwd.txt", Path("/etc/passwd"))]
    docs = tmp_path / "docs"
    copied = publish_attachments(listed, village, docs)
    assert sorted(map(str, copied)) == sorted(plain)
    assert sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file()) == sorted(plain)
    for rel, data in plain.items():
        assert (docs / rel).read_bytes() == data and not (docs / rel).is_symlink()


def _refused_files(folder: Path) -> None:
    files = folder / "files"
    (files / "note.md").write_text("# 说明 <script>alert(1)</script>", encoding="utf-8")
    (files / "x.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (files / "fake.pdf").write_text("<html><script>alert(1)</script>", encoding="utf-8")
    (folder / "images").mkdir()
    (folder / "images" / "x.svg").write_text("<svg onload=alert(1)>", encoding="utf-8")
    (folder / "images" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    os.symlink("/etc/passwd", files / "passwd.txt")


def test_refused_attachments_are_named_by_check_and_stop_the_build(tmp_path):
    villages = write_county(tmp_path)
    _refused_files(villages / VILLAGE)
    check = subprocess.run([sys.executable, "-m", "cunwu", "check", str(villages)],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    for name, words in [("note.md", "不能发布"), ("x.html", "网页文件会在网站上运行"), ("fake.pdf", "不是PDF"),
                        ("x.svg", "SVG 图片里可以藏有脚本"), ("passwd.txt", "快捷方式（符号链接）")]:
        line = next((x for x in check.stdout.splitlines() if f"“{name}”" in x), "")
        assert words in line, (name, check.stdout)
    build = subprocess.run([sys.executable, "-m", "cunwu", "build", str(villages), "--site", str(tmp_path / "site"),
                            "--work", str(tmp_path / "build"), "--as-of", AS_OF, "--project", str(ROOT), "--quiet"],
                           capture_output=True, text=True, cwd=ROOT)
    assert build.returncode != 0 and "Traceback" not in build.stderr and not (tmp_path / "site").exists()


def test_a_refused_file_is_absent_from_the_built_site(tmp_path):
    """The render stage given the village with refused files (as the loader
    lists them), plus a list that wrongly accepts a .md, an .html, an .svg and
    a link: the built site has none of them, and no page under files/."""
    from cunwu.records.diagnostics import Report
    from cunwu.records.load import load_county
    from cunwu.site.engine import build_site
    from cunwu.site.pages import render_village
    from cunwu.site.pages.attachments import publish_attachments

    villages = write_county(tmp_path)
    folder = villages / VILLAGE
    _refused_files(folder)
    report = Report()
    county = load_county(villages, report)
    assert report.errors   # what check would say; the render stage must not rely on it
    village = next(v for v in county.villages if v.slug == VILLAGE)
    out = tmp_path / "render"
    built = tmp_path / "built"
    config = render_village(ROOT, village, date.fromisoformat(AS_OF), out, built)
    expected = sorted(["files/minutes.pdf", PAYLOAD_FILE, "images/ok.png"])
    assert sorted(str(p.relative_to(out / "docs")) for top in ("files", "images")
                  for p in (out / "docs" / top).rglob("*")) == expected
    # Whether a .pdf is a PDF is the loader's judgement (by content); the render
    # stage refuses what no list may publish: page types, links, other folders.
    wrongly = [_Attachment(str(p.relative_to(folder)), p) for top in ("files", "images")
               for p in sorted((folder / top).iterdir()) if p.name != "fake.pdf"]
    publish_attachments(wrongly, folder, out / "docs")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    build_site(config, built, VILLAGE)
    published = sorted(str(p.relative_to(built)) for top in ("files", "images") for p in (built / top).rglob("*"))
    assert published == expected
    assert not list(built.rglob("note*")) and not list(built.rglob("x.html")) and not list(built.rglob("x.svg"))
    assert "files/" not in (built / "sitemap.xml").read_text(encoding="utf-8")


# ------------------------------------------------------------ the functions at the boundary


@pytest.mark.parametrize("url", HOSTILE_URLS + ("data:image/png;base64,AAAA", "https://", "http:/x", "java\nscript:x",
                                                "&#106;&#97;vascript:alert(1)", "&amp;#x6a;avascript:alert(1)",
                                                "%6A%61vascript:alert(1)", "https://x\u202e/y", "/files/a.pdf"))
def test_hostile_urls_are_refused(url):
    assert not safe_url(url)
    assert clerk_href(url) is None
    assert "href" not in clerk_html(f'[a]({url}) <a href="{url}">b</a>')


@pytest.mark.parametrize("url", GOOD_URLS + ("files/a.pdf", "#top", "https://example.org/a?b=1&c=2"))
def test_good_urls_stay_links(url):
    assert safe_url(url)
    assert clerk_href(url) is not None


def test_material_values_are_escaped_once_masked_and_one_line():
    assert material_text('荷垅村</title><script>"x"&\'') == "荷垅村&lt;/title&gt;&lt;script&gt;&quot;x&quot;&amp;&#x27;"
    assert material_text("a\n\tb\x1b]0;x\x07 c\u202e") == "a b]0;x c"
    assert "13812345678" not in material_text("电话 13812345678")
    assert material_text("电话 13812345678", frozenset({"13812345678"})) == "电话 13812345678"
    assert str(front_matter_value("a: b\n- c #d")) == '"a: b - c #d"'
