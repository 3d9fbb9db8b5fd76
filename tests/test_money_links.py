"""Follow the money and problems in plain sight, on the built demo county.

Sums are recomputed here from the clerk's YAML files (PyYAML, Decimal), not
from cunwu's own code, and compared with what the pages show."""

from __future__ import annotations

import html as htmllib
import re
from decimal import Decimal
from pathlib import Path

import yaml
from conftest import ROOT

from cunwu.records.check import check_path

DEMO = ROOT / "villages"
VILLAGE = "guangfeng"
INCOME = {"经营收入", "承包收入", "补助收入", "投资收益", "其他收入"}
AMOUNT = re.compile(r'<span class="cw-amt[^"]*" data-amount>([-0-9,]+\.\d\d)</span>')


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def ledgers(slug: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((DEMO / slug / "ledgers").glob("*.yml"))]


def decision_pages(site: Path, slug: str) -> dict[str, Path]:
    """Decision file stem → its built page (found by the page's own title)."""
    out = {}
    for md in (DEMO / slug / "decisions").glob("*.md"):
        title = yaml.safe_load(md.read_text(encoding="utf-8").split("---")[1])["title"]
        for page in (site / slug / "decisions").glob(f"{md.stem[:7]}-*.html"):
            if "<h1" in (text := page.read_text(encoding="utf-8")) and f">{htmllib.escape(title)}</h1>" in text:
                out[md.stem] = page
    return out


def test_decision_pages_list_the_entries_that_paid_them_with_the_right_sums(demo_site):
    checked = 0
    for slug in sorted(p.name for p in DEMO.iterdir() if (p / "village.yml").is_file()):
        paid: dict[str, list[tuple[str, dict]]] = {}
        for ledger in ledgers(slug):
            for e in ledger.get("entries") or []:
                if e.get("decision"):
                    paid.setdefault(str(e["decision"]), []).append((ledger["month"], e))
        pages = decision_pages(demo_site, slug)
        for stem, entries in paid.items():
            text = pages[stem].read_text(encoding="utf-8")
            section = text.split('>资金去向</h2>')[1].split("</table>")[0]
            total = sum((-Decimal(str(e["amount"])) if e["category"] in INCOME else Decimal(str(e["amount"]))
                         for _, e in entries), Decimal("0"))
            shown = [money(x) for x in AMOUNT.findall(section)]
            # per row: the amount and the running total; the last running total is the sum
            assert len(shown) == 2 * len(entries), (slug, stem)
            assert shown[-1] == total, (slug, stem, shown[-1], total)
            running = Decimal("0")
            for k in range(len(entries)):
                running += shown[2 * k]
                assert shown[2 * k + 1] == running
            # the check line under the table states the same total
            assert f"累计已付 <span class=\"cw-amt\" data-amount>{total:,.2f}</span>" in text, (slug, stem)
            for month, e in entries:       # each row links its month, and the month links back
                assert f'href="../finance/{month}.html"' in section
                month_page = (demo_site / slug / "finance" / f"{month}.html").read_text(encoding="utf-8")
                assert f'href="../decisions/{pages[stem].name}"' in month_page, (slug, month, stem)
                assert e["voucher"] in section
            checked += 1
    assert checked >= 5


def test_decision_pages_link_the_notices_that_published_them(demo_site):
    linked = 0
    for page in sorted((demo_site / VILLAGE / "decisions").glob("*.html")):
        for target in re.findall(r'<a href="\.\./notices/([^"]+\.html)">查看公示：', page.read_text(encoding="utf-8")):
            notice = (demo_site / VILLAGE / "notices" / target).read_text(encoding="utf-8")
            assert "决议" in notice or "结果" in notice
            linked += 1
    assert linked >= 5


def test_months_link_previous_next_and_year(demo_site):
    months = [ledger["month"] for ledger in ledgers(VILLAGE)]
    for k, month in enumerate(months):
        text = (demo_site / VILLAGE / "finance" / f"{month}.html").read_text(encoding="utf-8")
        nav = text.split('class="cw-prevnext"')[1].split("</p>")[0]
        targets = re.findall(r'href="([^"]+)\.html"', nav)
        expected = ([months[k - 1]] if k else []) + [month[:4]] + ([months[k + 1]] if k + 1 < len(months) else [])
        assert targets == expected, (month, targets)


def test_problems_are_shown_on_record_pages_and_in_lists(demo_site):
    v = demo_site / VILLAGE
    pages = decision_pages(demo_site, VILLAGE)
    skipped = pages["2025-12-六组排水沟疏浚一事一议"].read_text(encoding="utf-8")
    assert 'class="cw-problems"' in skipped and "决策程序缺少步骤" in skipped and "第二十四条" in skipped
    assert re.search(r'cw-missing"><span class="cw-timeline__date">没有记录</span> <strong[^>]*>党员大会审议', skipped)
    index = (v / "decisions" / "index.html").read_text(encoding="utf-8")
    item = index.split(pages["2025-12-六组排水沟疏浚一事一议"].name)[1].split("</li>")[0]
    assert "决策程序缺少步骤" in item
    evaluation = (v / "evaluations" / "2025.html").read_text(encoding="utf-8")
    assert "被评议的干部自己主持评议" in evaluation and "评议不是由村务监督委员会主持" in evaluation
    assert "第三十三条" in evaluation
    assert "被评议的干部自己主持评议" in (v / "evaluations" / "index.html").read_text(encoding="utf-8")
    assert "被评议的干部" not in (v / "evaluations" / "2024.html").read_text(encoding="utf-8")
    late = (v / "finance" / "2026-01.html").read_text(encoding="utf-8")
    assert "公布晚了" in late and "第三十条" in late
    assert "公布晚了" in (v / "finance" / "index.html").read_text(encoding="utf-8")
    assert "公布晚了" not in (v / "finance" / "2026-02.html").read_text(encoding="utf-8")
    unreviewed = (demo_site / "helong" / "finance" / "2025-11.html").read_text(encoding="utf-8")
    assert "本月账目公布前没有记录审核" in unreviewed


def test_evaluation_chair_warnings_on_the_demo():
    _, report = check_path(DEMO)
    chair = sorted((d.file.split("villages/")[-1], d.rule) for d in report.warnings
                   if d.rule.startswith("evaluation.chair"))
    assert chair == [("guangfeng/evaluations/2025.yml", "evaluation.chair-evaluated"),
                     ("guangfeng/evaluations/2025.yml", "evaluation.chair-not-supervisor")]
    assert not [d for d in report.items if d.rule in ("ledger.decision-unknown", "decision.amount-mismatch")]


def test_portal_first_screen_counts_match_the_open_data(demo_site):
    import csv

    with open(demo_site / "data" / "timeliness.csv", encoding="utf-8-sig") as f:
        statuses = [row["状态"] for row in csv.DictReader(f)]
    with open(demo_site / "data" / "decision-defects.csv", encoding="utf-8-sig") as f:
        defective = {(row["村"], row["编号"]) for row in csv.DictReader(f)}
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    box = home.split("需要关注")[1].split("</div>")[0]
    assert f'<a href="timeliness.html#villages">迟报 {statuses.count("迟报")} 期</a>' in box
    assert f'<a href="timeliness.html#villages">缺报 {statuses.count("缺报")} 期</a>' in box
    assert f'<a href="timeliness.html#villages">未审 {statuses.count("未审")} 期</a>' in box
    assert f'<a href="decisions.html#defects">程序问题 {len(defective)} 件</a>' in box
    assert statuses.count("迟报") and len(defective)
    # most problems first: 光峰村 has a late month, an unreviewed evaluation and a defective decision
    ranking = re.findall(r'<li><a href="([a-z]+)/index.html">', box)
    assert ranking[0] == VILLAGE
    assert 'id="defects"' in (demo_site / "decisions.html").read_text(encoding="utf-8")
    assert 'id="villages"' in (demo_site / "timeliness.html").read_text(encoding="utf-8")
    inspection = (demo_site / "inspection.html").read_text(encoding="utf-8")
    table = inspection.split('>各村本季权重</h2>')[1].split("</table>")[0]
    for slug in sorted(p.name for p in DEMO.iterdir() if (p / "village.yml").is_file()):
        assert f'href="{slug}/index.html"' in table, slug
    assert "★本季抽中" in table and ("此前未抽查" in table or "季度" in table)


def test_every_link_of_the_built_county_leads_to_a_page(demo_site):
    """Every relative link, stylesheet, script and image of every built page (portal
    and villages) names a file that was published: a 决策 link on a debts page
    that points beside itself instead of into decisions/ is a dead end on a phone."""
    from urllib.parse import unquote, urlsplit

    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8")
    site = demo_site.resolve()
    dead: list[str] = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 1000
    for page in pages:
        if "pagefind" in page.parts or (page.name == "404.html" and page.parent != site):
            continue   # a village's 404 page serves only where that village is hosted at its own root
        root = etree.fromstring(page.read_bytes(), parser)
        for element in root.iter("a", "link", "script", "img", "source"):
            target = element.get("href") or element.get("src")
            if not target:
                continue
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:
                continue   # another site, mailto:, tel:, or a place on this page
            # a 404 page names the site's files from its root: it is served at any address
            base = site if parts.path.startswith("/") else page.parent
            resolved = (base / unquote(parts.path).lstrip("/")).resolve()
            if not resolved.is_relative_to(site) or not resolved.exists():
                dead.append(f"{page.relative_to(site)} → {target}")
    assert not dead, f"{len(dead)} dead links, e.g. {dead[:8]}"
