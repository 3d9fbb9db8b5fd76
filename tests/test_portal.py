"""The county portal end to end: `cunwu build` of a small county (real MkDocs
Material builds), its pages, links, search index and open data (validated with
the frictionless library), `cunwu rollup` to a city, and a real Chromium at
phone size going from the portal to a village's latest finance month."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from test_rollup import _edit, make_county, yaml_sums

from cunwu.county.portal import PAGES, write_open_data
from cunwu.county.rollup import DATASETS, compute
from cunwu.records.diagnostics import Report
from cunwu.records.load import load_county

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2024-07-01"          # the 党费收缴 notices (06-28 … 07-05) are open
SECTIONS = ["总览", "公开及时性", "财务汇总", "决策事项", "民主评议", "正在公示", "本季抽查", "公开数据"]


def cunwu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cunwu", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("portal")
    villages = make_county(tmp)
    proc = cunwu("build", str(villages), "--site", str(tmp / "site"), "--work", str(tmp / "build"),
                 "--as-of", AS_OF, "--project", str(ROOT), "-j", "2", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return tmp


def portal_pages(site: Path) -> list[Path]:
    # 404.html is MkDocs' own, with root-absolute links by design
    return sorted(p for p in site.glob("*.html") if p.name != "404.html") + [site / "data" / "index.html"]


def test_portal_has_every_section_in_its_nav_and_nothing_else(built):
    site = built / "site"
    config = yaml.safe_load((built / "build" / "render" / "_county" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert [next(iter(entry)) for entry in config["nav"]] == SECTIONS
    assert [title for title, _ in PAGES] == SECTIONS
    index = (site / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', index)
    assert tabs == SECTIONS
    for page in ("index", "timeliness", "finance", "decisions", "evaluations", "notices", "inspection"):
        assert (site / f"{page}.html").is_file(), page
    assert (site / "data" / "index.html").is_file() and (site / "datapackage.json").is_file()
    for slug in ("qingshi", "dongpo", "nanxi", "beishan"):
        assert (site / slug / "index.html").is_file()
    for word in ("青山镇", "石门乡", "青石村", "东坡村", "南溪村", "北山村"):
        assert word in index


def test_portal_pages_show_the_rollups(built):
    site = built / "site"
    timeliness = (site / "timeliness.html").read_text(encoding="utf-8")
    assert "迟10天" in timeliness and "✗缺" in timeliness and "未审" in timeliness and "cw-matrix" in timeliness
    decisions = (site / "decisions.html").read_text(encoding="utf-8")
    assert "缺少“四议两公开”步骤：党员大会审议" in decisions        # beishan's warning reaches the portal
    notices = (site / "notices.html").read_text(encoding="utf-8")
    assert notices.count("2024年上半年党费收缴情况") >= 4 and "还剩 4 天" in notices
    inspection = (site / "inspection.html").read_text(encoding="utf-8")
    assert "2024年第3季度" in inspection and "抽中理由" in inspection
    finance = (site / "finance.html").read_text(encoding="utf-8")
    assert "最大的" in finance and "补助收入" in finance and "月保障金（元）" in finance
    assert (site / "charts" / "finance-0-2024.svg").is_file()
    evaluations = (site / "evaluations.html").read_text(encoding="utf-8")
    assert "2023年度" in evaluations and "满意率" in evaluations


def test_every_link_from_every_portal_page_resolves(built):
    """Links into the village sites are written relative to each page's depth
    (data/index.html is one folder down) and must land on a built file."""
    site = built / "site"
    into_villages = 0
    for page in portal_pages(site):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"]+)"', html):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("#"):
                assert not parts.scheme.startswith("http"), (page.name, href)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if href.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (page.relative_to(site), href)
            assert site.resolve() in target.parents or target.parent == site.resolve()
            if any(part in ("qingshi", "dongpo", "nanxi", "beishan") for part in Path(parts.path).parts):
                into_villages += 1
    assert into_villages > 40


def test_portal_search_is_one_index_of_every_villages_records(built):
    """The portal's Pagefind index (made at publish) holds the villages' records,
    each with its village as a filter, and none of the portal's own pages."""
    from cunwu.site.pagefind_canon import read_payload

    site = built / "site"
    fragments = [json.loads(read_payload(p)) for p in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))]
    urls = {f["url"] for f in fragments}
    villages = {u.strip("/").split("/")[0] for u in urls}
    assert villages == {"qingshi", "dongpo", "nanxi", "beishan"}, villages
    assert all(u.strip("/").split("/")[1] in ("finance", "decisions", "rules", "evaluations", "notices")
               for u in urls), urls
    assert all(f["filters"].get("村") for f in fragments)
    text = json.dumps(fragments, ensure_ascii=False).replace("\u200b", "")
    for word in ("北山村", "修建村东组通组水泥路", "修订村规民约", "2024年第二季度农村低保对象公示",
                 "收取村东鱼塘承包费"):
        assert word in text, word


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                      # BOM for Excel
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_published_totals_equal_the_sums_of_the_village_yaml(built):
    sums = yaml_sums(built / "villages")
    rows = read_csv(built / "site" / "data" / "finance-monthly.csv")
    seen = 0
    for row in rows:
        if row["层级"] == "村":
            continue
        area = "county" if row["层级"] == "县" else row["名称"]
        income, expense = sums["monthly"][(area, row["月份"])]
        assert (Decimal(row["收入"]), Decimal(row["支出"])) == (income, expense), row
        seen += 1
    assert seen == len({k for k in sums["monthly"] if k[0] in ("county", "青山镇", "石门乡")})
    payload = json.loads((built / "site" / "data" / "area-totals.json").read_text(encoding="utf-8"))
    county = next(r for r in payload["rows"] if r["层级"] == "县")
    assert isinstance(county["本年收入"], str)                  # money as text in JSON
    assert Decimal(county["本年收入"]) == sum((v[0] for (a, m), v in sums["monthly"].items()
                                              if a == "county" and m.startswith("2024")), Decimal(0))


def test_datapackage_validates_with_frictionless(built):
    frictionless = pytest.importorskip("frictionless")
    package = json.loads((built / "site" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == [ds.name for ds in DATASETS]
    report = frictionless.validate(str(built / "site" / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:20]
    # every CSV is described, with every column
    for resource, ds in zip(package["resources"], DATASETS, strict=True):
        header = next(csv.reader((built / "site" / resource["path"]).read_text(encoding="utf-8-sig").splitlines()))
        assert header == [f["name"] for f in resource["schema"]["fields"]] == ds.columns


def test_cunwu_rollup_combines_counties_into_a_city(built, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    other = make_county(tmp_path / "b")
    _edit(other / "county.yml", "name: 青山县", "name: 白水县")
    _edit(other / "county.yml", '"430124"', '"430125"')
    for profile in other.glob("*/village.yml"):   # another county's villages have codes of their own
        _edit(profile, 'code: "430124', 'code: "430125')
    rollup = compute(load_county(other, Report()), date.fromisoformat(AS_OF))
    write_open_data(tmp_path / "b-site", rollup.tables, rollup.name, rollup.code, "县", rollup.as_of)
    city = tmp_path / "city"
    proc = cunwu("rollup", str(city), str(built / "site"), str(tmp_path / "b-site" / "data"),
                 "--name", "某某市", "--level", "市")
    assert proc.returncode == 0, proc.stderr
    totals = {(r["层级"], r["名称"]): r for r in read_csv(city / "data" / "area-totals.csv")}
    a, b, c = totals[("县", "青山县")], totals[("县", "白水县")], totals[("市", "某某市")]
    assert a["上级"] == b["上级"] == "某某市" and c["上级"] == ""
    for col in ("村数", "人口", "本年收入", "本年支出"):
        assert Decimal(c[col]) == Decimal(a[col]) + Decimal(b[col])
    assert len(read_csv(city / "data" / "villages.csv")) == 8
    report = frictionless.validate(str(city / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:20]
    # the city's output is itself an input one level up
    province = tmp_path / "province"
    assert cunwu("rollup", str(province), str(city), "--name", "某某省", "--level", "省").returncode == 0
    top = [r for r in read_csv(province / "data" / "area-totals.csv") if r["层级"] in ("省", "市")]
    assert [(r["层级"], r["上级"]) for r in top] == [("省", ""), ("市", "某某省")]
    # the same county twice, or a city with a county inside it, would count villages twice
    twice = cunwu("rollup", str(tmp_path / "twice"), str(built / "site"), str(built / "site"),
                  "--name", "某某市", "--level", "市")
    assert twice.returncode == 1 and "给了两次" in twice.stderr and "青山县" in twice.stderr, twice.stderr
    assert "Traceback" not in twice.stderr and not (tmp_path / "twice").exists()
    overlap = cunwu("rollup", str(tmp_path / "overlap"), str(city), str(built / "site"),
                    "--name", "某某省", "--level", "省")
    assert overlap.returncode == 1 and "同时出现在" in overlap.stderr, overlap.stderr
    # a folder without data is refused in Chinese, without a traceback
    bad = cunwu("rollup", str(tmp_path / "x"), str(tmp_path))
    assert bad.returncode == 1 and "找不到数据文件" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- Chromium at phone size
# (browser, phone_page, serve_dir and screenshot come from tests/conftest.py)


def local_only(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return requests


# Every click the page receives, recorded by the browser itself (capture phase, so
# before any handler can stop it) in sessionStorage, which lives as long as the tab
# and so survives the navigations the clicks cause.
RECORD_CLICKS = """
document.addEventListener('click', (event) => {
  const link = event.target.closest('a');
  const log = JSON.parse(sessionStorage.getItem('cw-clicks') || '[]');
  log.push({page: location.pathname, href: link ? link.href : null});
  sessionStorage.setItem('cw-clicks', JSON.stringify(log));
}, true);
"""


def clicks(page) -> list[dict]:
    """The clicks the browser has seen in this tab, oldest first: {page, href}."""
    return page.evaluate("JSON.parse(sessionStorage.getItem('cw-clicks') || '[]')")


def tap_and_land(page, link, url_re: str, heading: str) -> str:
    """Tap `link` like a finger and wait until the page it points to is shown:
    the URL ends as expected, it is the link's own target, and its heading reads
    `heading`. Returns the link's target."""
    link.scroll_into_view_if_needed()
    target = link.evaluate("a => a.href")
    link.tap()
    page.wait_for_url(re.compile(url_re))
    assert page.url == target, (page.url, target)
    page.locator("h1").first.wait_for()
    assert heading in page.locator("h1").first.inner_text(), (page.url, page.locator("h1").first.inner_text())
    return target


def test_phone_reaches_a_villages_latest_finance_month_in_three_taps(built, phone_page, serve_dir, screenshot):
    page, base = phone_page, serve_dir(built / "site")
    requests = local_only(page)
    page.add_init_script(RECORD_CLICKS)
    page.goto(base + "index.html")
    screenshot(page, "portal")
    assert clicks(page) == []

    # tap 1: the village in the overview
    village = tap_and_land(page, page.locator("article a", has_text="东坡村").first,
                           r"/dongpo/index\.html$", "东坡村")
    # tap 2: its latest finance month
    month = tap_and_land(page, page.locator(".cw-latest a", has_text="2024年3月").first,
                         r"/dongpo/finance/2024-03\.html$", "2024年3月收支明细")
    screenshot(page, "finance-month", full_page=False)
    seen = clicks(page)
    assert seen == [{"page": urlsplit(base + "index.html").path, "href": village},
                    {"page": urlsplit(village).path, "href": month}], seen
    assert len(seen) <= 3

    # the overview's 最新财务 column is a one-tap shortcut to the same kind of page
    page.goto(base + "index.html")
    page.evaluate("sessionStorage.removeItem('cw-clicks')")
    row = page.locator("article tr", has=page.get_by_role("link", name="南溪村", exact=True)).first
    target = tap_and_land(page, row.get_by_role("link", name="2024年3月", exact=True),
                          r"/nanxi/finance/2024-03\.html$", "2024年3月收支明细")
    assert clicks(page) == [{"page": urlsplit(base + "index.html").path, "href": target}]
    assert "南溪村" in page.title()          # the month of the village on that row, not another's
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]


def test_phone_timeliness_matrix_is_a_phone_form(built, phone_page, serve_dir, screenshot):
    """At 360 px the village × month matrix is not a sideways scroll: each village
    becomes a row of month chips, every one of them on screen."""
    page, base = phone_page, serve_dir(built / "site")
    requests = local_only(page)
    page.goto(base + "timeliness.html")
    screenshot(page)
    boxes = page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('.cw-matrix *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && el.children.length === 0 && el.textContent.trim())
                out.push({text: el.textContent.trim(), left: r.left, right: r.right + window.scrollX});
        }
        return {page: document.documentElement.scrollWidth, view: window.innerWidth, cells: out};
    }""")
    assert boxes["page"] <= boxes["view"], boxes["page"]          # the page itself does not scroll sideways
    assert len(boxes["cells"]) > 12                               # villages and their months are shown
    outside = [c for c in boxes["cells"] if c["left"] < -0.5 or c["right"] > boxes["view"] + 0.5]
    assert outside == [], outside[:5]
    legend = page.locator(".cw-legend").inner_text()
    for symbol in ("✓", "迟N天", "✗缺", "未审"):
        assert symbol in legend
    assert all(url.startswith(base) for url in requests)


# ---------------------------------------------------------------- the demo county


def test_demo_county_portal_shows_every_section(demo_site):
    """villages/ built as of 2026-11-21 (conftest's demo_site): every section page
    of the portal at site/ has its content, and every dataset is published."""
    pages = {title: (demo_site / page.replace(".md", ".html")).read_text(encoding="utf-8") for title, page in PAGES}
    for title, html in pages.items():
        assert "<h1" in html and title in html, title
    villages = sorted(p.name for p in (ROOT / "villages").iterdir() if (p / "village.yml").is_file())
    for slug in villages:
        assert f'href="{slug}/index.html"' in pages["总览"], slug
        assert (demo_site / slug / "index.html").is_file()
    assert "2026年第4季度" in pages["本季抽查"] and "抽中理由" in pages["本季抽查"]
    assert "2026年" in pages["公开及时性"] and "cw-matrix" in pages["公开及时性"]
    assert "最大的 20 笔支出" in pages["财务汇总"] and 'src="charts/finance-0-2026.svg"' in pages["财务汇总"]
    assert (demo_site / "charts" / "finance-0-2026.svg").is_file()
    assert "还剩" in pages["正在公示"]
    for ds in DATASETS:
        assert (demo_site / "data" / f"{ds.name}.csv").is_file() and (demo_site / "data" / f"{ds.name}.json").is_file()
    assert json.loads((demo_site / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def test_demo_county_portal_shows_its_planted_lapses(demo_site):
    """The demo is generated with --imperfections: a few ledger months posted late, one
    without its review, a decision short of a step, an evaluation not chaired by the
    supervision committee. Read from the YAML here, each shows on the portal as what it
    is: late by its days past the deadline, 未审, a 提醒 under 程序问题."""
    villages = ROOT / "villages"
    county = yaml.safe_load((villages / "county.yml").read_text(encoding="utf-8"))
    on_time = int(county["policy"]["on_time_days"])
    late, unreviewed = [], []
    for path in sorted(villages.glob("*/ledgers/*.yml")):
        ledger = yaml.safe_load(path.read_text(encoding="utf-8"))
        year, month = map(int, ledger["month"].split("-"))
        due = date(year + month // 12, month % 12 + 1, 1) + timedelta(days=on_time - 1)
        if ledger["posted"] > due:
            late.append((path.parent.parent.name, ledger["posted"], (ledger["posted"] - due).days))
        if "review" not in ledger:
            unreviewed.append((path.parent.parent.name, ledger["posted"]))
    assert late and unreviewed, "the demo has no planted lapses: regenerate it with --imperfections"
    timeliness = (demo_site / "timeliness.html").read_text(encoding="utf-8")
    for slug, posted, days in late:
        assert re.search(rf'class="cw-tl cw-tl--late" title="截止 [-\d]+，公布 {posted}">迟{days}天</span>',
                         timeliness), (slug, posted, days)
    for slug, posted in unreviewed:
        assert re.search(rf'class="cw-tl cw-tl--unreviewed" title="截止 [-\d]+，公布 {posted}；公开前未记录',
                         timeliness), (slug, posted)
    chairs = []
    for path in sorted(villages.glob("*/evaluations/*.yml")):
        evaluation = yaml.safe_load(path.read_text(encoding="utf-8"))
        roster = yaml.safe_load((path.parent.parent / "village.yml").read_text(encoding="utf-8"))["roster"]
        if evaluation["chaired_by"] not in {m["name"] for m in roster["supervision_committee"]}:
            chairs.append(evaluation["posted"])
    assert chairs
    for posted in chairs:
        assert f"公布 {posted}；评议未由村务监督委员会主持" in timeliness, posted
    short = []
    for path in sorted(villages.glob("*/decisions/*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if len(front["steps"]) < 6:            # the generator writes all six steps
            short.append(front["title"])
    assert short
    article = (demo_site / "decisions.html").read_text(encoding="utf-8").split("<article", 1)[1]
    section = article.split("程序问题（", 1)[1].split("尚未公开实施结果（", 1)[0]
    for title in short:
        assert title in section and "<strong>提醒</strong>：缺少“四议两公开”步骤：党员大会审议" in section, title
