"""The county portal: the site at the root of `site/`, over every village site.

Pages (the nav holds exactly these sections):
总览 index · 公开及时性 timeliness · 财务汇总 finance · 决策事项 decisions ·
民主评议 evaluations · 正在公示 notices · 本季抽查 inspection · 公开数据 data/index.

The figures come from `cunwu.rollup` (pure computations); this module only
writes Markdown pages, SVG charts, the open data (CSV + JSON per table and a
Frictionless `datapackage.json`) and the portal's mkdocs.yml. It also reads
published data back for `cunwu rollup`, which composes counties into a city.

Links into the village sites (`<slug>/index.html` …) are outside MkDocs'
knowledge, so they are raw HTML anchors made relative to the page's depth.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..records.check import PORTAL_NAMES
from ..records.load import County, page_id
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from ..records.money import ZERO
from ..site import charts
from ..site.config import Site, write_site_config
from ..site.dates import zh_date, zh_month
from ..site.markup import attr, cell, table
from ..site.opendata import write_dataset
from ..site.pages import money
from .rollup import AREAS, DATASETS, ROLE_GROUPS, Cell, Rollup, Tables, combine, compute, parse_value, sample_size

# (nav title, page file): the portal's sections, in nav order.
PAGES = (("总览", "index.md"), ("公开及时性", "timeliness.md"), ("财务汇总", "finance.md"),
         ("决策事项", "decisions.md"), ("民主评议", "evaluations.md"), ("正在公示", "notices.md"),
         ("本季抽查", "inspection.md"), ("公开数据", "data/index.md"))
PORTAL_CSS = "assets/cunwu-portal.css"

assert {Path(p).parts[0].removesuffix(".md") for _, p in PAGES} <= PORTAL_NAMES


def rel_prefix(page: str) -> str:
    """'../' once per folder between a page and the portal root."""
    return "../" * (len(Path(page).parts) - 1)


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def num(value: Any) -> str:
    return "—" if value is None else str(value)


class PortalRenderer:
    def __init__(self, rollup: Rollup, docs: Path) -> None:
        self.r, self.docs = rollup, docs
        self.allowed = {s.slug: s.village.public_numbers for s in rollup.villages}
        self.info = {s.slug: s for s in rollup.villages}
        self.by_name: dict[tuple[str, str], object] = {}
        for s in rollup.villages:
            self.by_name.setdefault((s.township, s.name), s)

    # ------------------------------------------------------------ helpers
    def write(self, rel: str, lines: list[str], searched: bool = True) -> None:
        head = [] if searched else ["---", "search:", "  exclude: true", "---", ""]
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(head + lines) + "\n", encoding="utf-8")

    def c(self, slug: str, value: Any) -> str:
        return cell(value, self.allowed.get(slug, frozenset()))

    def a(self, page: str, target: str, text: str) -> str:
        """A link from a portal page to a path under the portal root (a village site).
        `text` must already be escaped (cell())."""
        return f'<a href="{attr(rel_prefix(page) + target)}">{text}</a>'

    def village(self, page: str, slug: str, target: str = "index.html", text: str | None = None) -> str:
        return self.a(page, f"{slug}/{target}", text if text is not None else self.c(slug, self.info[slug].name))

    def records_by_village(self, page: str, folder: str, records_of, detail) -> list[str]:
        """One folded list per village of its decisions or notices, each linking to
        the record's page on the village site, followed by `detail(doc)`."""
        out: list[str] = []
        for s in self.r.villages:
            docs = records_of(s.village)
            if not docs:
                continue
            out += ['<details class="cw-village-list" markdown>',
                    f"<summary>{cell(s.township)} · {self.c(s.slug, s.name)}（{len(docs)} 件）</summary>", ""]
            out += [f"- {self.village(page, s.slug, f'{folder}/{page_id(d.id)}.html', self.c(s.slug, d.record.title))}"
                    f"{detail(d)}" for d in docs]
            out += ["", "</details>", ""]
        return out

    def status(self, cell_: Cell | None, text: str | None = None) -> str:
        if cell_ is None:
            return ""
        title = f"截止 {cell_.due}" + (f"，公布 {cell_.posted}" if cell_.posted else "") + (
            f"；{cell_.note}" if cell_.note else "")
        return (f'<span class="cw-tl cw-tl--{cell_.status}" title="{attr(title)}">'
                f"{text or cell_.symbol}</span>")

    # ------------------------------------------------------------ all pages
    def render(self) -> list:
        self.docs.mkdir(parents=True, exist_ok=True)
        self.overview()
        self.timeliness()
        self.finance()
        self.decisions()
        self.evaluations()
        self.notices()
        self.inspection()
        self.data_index()
        return [{title: page} for title, page in PAGES]

    # ------------------------------------------------------------ 总览
    def overview(self) -> None:
        r, page = self.r, "index.md"
        slugs = [s.slug for s in r.villages]
        tally = r.tally(slugs)
        out = ["---", "hide:", "  - navigation", "  - toc", "---", "", f"# {cell(r.name)}村务公开", "",
               f'<p class="cw-lead">{len([t for t in r.townships if r.in_township(t)])} 个乡镇 · '
               f"{len(r.villages)} 个村 · 户籍人口 {sum(s.population or 0 for s in r.villages):,} 人 · "
               f"数据截至 {zh_date(r.as_of)}</p>", "",
               "点村名进入该村的村务公开栏；点月份直接看该村最新一期收支明细。金额单位：元。", "",
               '<div class="cw-latest" markdown>', "",
               f"- 全县{r.year}年收入 **{money(sum((s.income for s in r.villages), Decimal('0.00')))}** 元，"
               f"支出 **{money(sum((s.expense for s in r.villages), Decimal('0.00')))}** 元",
               f"- 决策事项 {sum(s.decisions for s in r.villages)} 件，其中{r.year}年 "
               f"{sum(s.decisions_year for s in r.villages)} 件",
               f"- [正在公示](notices.md) {sum(s.open_notices for s in r.villages)} 件",
               f"- [按时公开率](timeliness.md) {pct(tally.rate)}（已到期 {tally.due} 期）",
               f"- [{r.quarter.zh}抽查](inspection.md)："
               + ("、".join(self.village(page, p.slug) for p in r.inspection.get(r.quarter, [])) or "—"),
               "", "</div>", ""]
        head = ["村", "人口", f"{r.year}年收入", f"{r.year}年支出", "决策", "公示中", "最近公开", "最新财务"]
        for town in r.townships:
            villages = r.in_township(town)
            if not villages:
                continue
            rows = []
            for s in villages:
                latest = (self.village(page, s.slug, f"finance/{s.latest_month}.html", zh_month(s.latest_month))
                          if s.latest_month else "—")
                rows.append([f"**{self.village(page, s.slug)}**", num(s.population), money(s.income),
                             money(s.expense), s.decisions, s.open_notices,
                             s.last_posted.isoformat() if s.last_posted else "—", latest])
            rows.append([f"{cell(town)}合计", sum(s.population or 0 for s in villages),
                         money(sum((s.income for s in villages), ZERO)),
                         money(sum((s.expense for s in villages), ZERO)),
                         sum(s.decisions for s in villages), sum(s.open_notices for s in villages), "", ""])
            out += [f"## {cell(town)}（{len(villages)} 个村）", "", table(head, rows, "lrrrrrll")]
        totals = [row for row in r.rows("area-totals")]
        out += ["## 各乡镇与全县合计", "",
                table(["范围", "村数", "户数", "人口", f"{r.year}年收入", f"{r.year}年支出", "决策", "本年决策", "公示中"],
                      [[cell(row[1]), *row[3:6], money(row[6]), money(row[7]), *row[8:11]]
                       for row in totals[1:] + totals[:1]], "lrrrrrrrr"),
                "下载：[各村概况 CSV](data/villages.csv) · [各级汇总 CSV](data/area-totals.csv) · "
                "[全部公开数据](data/index.md)", ""]
        self.write(page, out)

    # ------------------------------------------------------------ 公开及时性
    def timeliness(self) -> None:
        r, page = self.r, "timeliness.md"
        days = r.policy.on_time_days
        out = ["# 公开及时性", "",
               f"依照《村民委员会组织法》第三十条：财务按月公开（申报按季公开的村按季），一般村务至少每季度公开一次，"
               f"民主评议每年一次。期间结束后 **{days} 天内**公布为按时（截止日期 = 期间最后一天 + {days} 天）；"
               f"还没到截止日期的不算缺报。统计截至 {zh_date(r.as_of)}。", "",
               '<div class="cw-legend" markdown>', "",
               "**图例：** "
               '<span class="cw-tl cw-tl--on_time">✓</span> 按时公开 · '
               '<span class="cw-tl cw-tl--late">迟N天</span> 超过截止日期 N 天才公开 · '
               '<span class="cw-tl cw-tl--missing">✗缺</span> 已过截止日期仍未公开 · '
               '<span class="cw-tl cw-tl--unreviewed">未审</span> 财务公开前没有民主理财小组/村务监督委员会审核'
               "（评议：不是村务监督委员会主持） · "
               '<span class="cw-tl cw-tl--pending">·</span> 未到截止日期 · '
               '<span class="cw-tl cw-tl--na">季</span> 按季公开的村，结果记在季末月份', "", "</div>", ""]
        rows = []
        for row in r.rows("timeliness-totals"):
            level, name, parent, area, due, on_time, late, missing, unreviewed, rate = row
            if level == "村" or area != "合计":
                continue
            rows.append([f"**{cell(name)}**" if level == "县" else cell(name), due, on_time, late, missing,
                         unreviewed, pct(rate)])
        out += ["## 汇总", "", table(["范围", "应公开", "按时", "迟报", "缺报", "未审", "按时率"],
                                    rows[1:] + rows[:1], "lrrrrrr")]
        village_rows = []
        for s in r.villages:
            t = {a: r.tally([s.slug], a) for a in AREAS}
            total = r.tally([s.slug])
            village_rows.append([self.village(page, s.slug), *(pct(t[a].rate) for a in AREAS), pct(total.rate),
                                 total.late, total.missing, total.unreviewed])
        out += ["### 各村按时率", "",
                table(["村", "财务", "村务", "评议", "合计", "迟报", "缺报", "未审"], village_rows, "lrrrrrrr")]
        years = sorted({c.period.start.year for c in r.cells} | {c.period.end.year for c in r.cells}, reverse=True)
        for i, year in enumerate(years):
            body = self.year_matrices(page, year)
            if i == 0:
                out += [f"## {year}年", ""] + body
            else:
                out += ["<details class=\"cw-year\" markdown>", f"<summary>{year}年</summary>", ""] + body + [
                    "</details>", ""]
        out += ["每个格子的截止日期、公布日期和说明见 [公开及时性明细 CSV](data/timeliness.csv)"
                "（[JSON](data/timeliness.json)）。", ""]
        self.write(page, out, searched=False)

    def year_matrices(self, page: str, year: int) -> list[str]:
        r = self.r
        by_key = {(c.slug, c.area, c.period.label): c for c in r.cells}
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        month_head = ["村"] + [f"{int(m[5:])}月" for m in months]
        quarter_head = ["村", "一季", "二季", "三季", "四季", "评议"]
        fin_rows, ord_rows = [], []
        for town in r.townships:
            villages = r.in_township(town)
            if not villages:
                continue
            fin_rows.append([f"**{cell(town)}**"] + [""] * 12)
            ord_rows.append([f"**{cell(town)}**"] + [""] * 5)
            for s in villages:
                quarterly = s.village.profile is not None and s.village.profile.record.cadence.finance == "按季"
                row = [self.village(page, s.slug)]
                for m in months:
                    mon = int(m[5:])
                    if quarterly:
                        q = by_key.get((s.slug, "财务", f"{year}Q{(mon - 1) // 3 + 1}"))
                        if mon % 3 == 0:
                            row.append(self.status(q))
                        else:
                            row.append('<span class="cw-tl cw-tl--na">季</span>' if q else "")
                    else:
                        row.append(self.status(by_key.get((s.slug, "财务", m))))
                fin_rows.append(row)
                ord_rows.append([self.village(page, s.slug)]
                                + [self.status(by_key.get((s.slug, "村务", f"{year}Q{q}"))) for q in range(1, 5)]
                                + [self.status(by_key.get((s.slug, "评议", str(year))))])
        return ["### 财务公开（按月）", "", '<div class="cw-matrix" markdown>', "",
                table(month_head, fin_rows, "l" + "c" * 12), "</div>", "",
                "### 村务公开（按季）与民主评议（按年）", "", '<div class="cw-matrix" markdown>', "",
                table(quarter_head, ord_rows, "lccccc"), "</div>", ""]

    # ------------------------------------------------------------ 财务汇总
    def finance(self) -> None:
        r, page, year = self.r, "finance.md", str(self.r.year)
        monthly = r.dicts("finance-monthly")
        cats = r.dicts("finance-categories")
        county = [row for row in monthly if row["层级"] == "县"]
        out = ["# 财务汇总", "",
               "全县各村集体收支按乡镇和全县汇总，数据来自各村每月公布的收支明细。金额单位：元。", ""]
        by_year: dict[str, list] = defaultdict(lambda: [ZERO, ZERO])
        for row in county:
            by_year[row["月份"][:4]][0] += row["收入"]
            by_year[row["月份"][:4]][1] += row["支出"]
        out += ["## 历年收支（全县）", "",
                table(["年度", "收入", "支出", "收支相抵"],
                      [[y, money(i), money(e), money(i - e)] for y, (i, e) in sorted(by_year.items(), reverse=True)],
                      "lrrr")]
        areas = [("县", r.name, "全县")] + [("乡镇", t, t) for t in r.townships if r.in_township(t)]
        for n, (level, name, label) in enumerate(areas):
            rows = [row for row in monthly if row["层级"] == level and row["名称"] == name
                    and row["月份"].startswith(year + "-")]
            svg = f"finance-{n}-{year}.svg"
            (self.docs / "charts").mkdir(parents=True, exist_ok=True)
            (self.docs / "charts" / svg).write_text(charts.grouped_bars(
                f"{label}{year}年逐月收支（元）", [f"{int(x['月份'][5:])}月" for x in rows],
                [("收入", charts.INCOME_COLOR, [x["收入"] for x in rows]),
                 ("支出", charts.EXPENSE_COLOR, [x["支出"] for x in rows])]), encoding="utf-8")
            out += [f"## {cell(label)}{year}年逐月收支", "", f"![{cell(label)}{year}年逐月收入与支出柱状图](charts/{svg})", "",
                    table(["月份", "收入", "支出"], [[zh_month(x["月份"]), money(x["收入"]), money(x["支出"])]
                                                 for x in rows], "lrr") if rows else f"{year}年暂无收支记录。\n"]
        # categories: county and townships side by side
        labels = [label for _, _, label in areas]
        amount = {(row["名称"], row["层级"], row["收支"], row["科目"]): row["金额"] for row in cats if row["年度"] == r.year}
        cat_rows = []
        for direction, categories in (("收入", INCOME_CATEGORIES), ("支出", EXPENSE_CATEGORIES)):
            for c in categories:
                values = [amount.get((name, level, direction, c), ZERO)
                          for level, name, _ in areas]
                cat_rows.append([direction, c, *(money(v) for v in values)])
        spend = sorted(((c, amount.get((r.name, "县", "支出", c), ZERO)) for c in EXPENSE_CATEGORIES),
                       key=lambda t: -t[1])
        (self.docs / "charts" / f"expense-{year}.svg").write_text(
            charts.horizontal_bars(f"全县{year}年支出构成（元）", [x for x in spend if x[1]]), encoding="utf-8")
        out += [f"## {year}年按科目收支", "", f"![全县{year}年支出构成条形图](charts/expense-{year}.svg)", "",
                table(["收支", "科目", *[cell(x) for x in labels]], cat_rows, "ll" + "r" * len(labels))]
        # largest expenditures
        top = r.dicts("top-expenses")
        out += [f"## {year}年最大的 {len(top)} 笔支出", "",
                table(["排名", "金额", "支出（村 · 日期 · 科目）"],
                      [[x["排名"], money(x["金额"]),
                        f"{cell(x['摘要'])}<br><small>{self.village_by_name(page, x)} · "
                        f"{x['日期'].month}月{x['日期'].day}日 · {cell(x['科目'])}</small>"] for x in top], "rrl")
                if top else f"{year}年暂无支出记录。\n"]
        # subsidies and relief
        subsidy = [x for x in r.dicts("subsidy-income") if x["日期"].year == r.year]
        per_village: dict[tuple[str, str], list] = {}
        for x in subsidy:
            slot = per_village.setdefault((x["乡镇"], x["村"]), [x, 0, ZERO])
            slot[1] += 1
            slot[2] += x["金额"]
        out += ["## 补助与救助资金", "", f"### {year}年补助收入", "",
                "各村收到的上级补助（科目“补助收入”），逐笔明细见 [补助收入 CSV](data/subsidy-income.csv)。", ""]
        if subsidy:
            rows = []
            for town in r.townships:
                mine = [v for (t, _), v in per_village.items() if t == town]
                if not mine:
                    continue
                rows += [[self.village_by_name(page, x), n, money(total)] for x, n, total in mine]
                rows.append([f"{cell(town)}合计", sum(v[1] for v in mine),
                             money(sum((v[2] for v in mine), ZERO))])
            rows.append(["**全县**", len(subsidy), f"**{money(sum((x['金额'] for x in subsidy), Decimal('0.00')))}**"])
            out.append(table(["村", "笔数", "金额"], rows, "lrr"))
        else:
            out += [f"{year}年暂无补助收入。", ""]
        relief = [x for x in r.dicts("relief-notices") if x["开始日期"].year == r.year]
        out += [f"### {year}年政务公示名单", "",
                "政务栏目中附名单的公示（低保、特困、临时救助、各类补贴等）：名单行数，以及能识别出金额列时的合计。"
                "历年名单见 [政务公示名单 CSV](data/relief-notices.csv)。", ""]
        if relief:
            out += [table(["公示（村 · 开始日期）", "行数", "金额合计"],
                          [[f"{self.a(page, x['网页'], cell(x['标题']))}<br><small>{self.village_by_name(page, x)} · "
                            f"{x['开始日期'].month}月{x['开始日期'].day}日</small>", x["名单行数"],
                            f"{money(x['金额合计'])}<br><small>{cell(x['金额列'])}</small>" if x["金额合计"] is not None
                            else "—"] for x in reversed(relief)], "lrr")]
        else:
            out += [f"{year}年暂无附名单的政务公示。", ""]
        out += ["下载：[逐月收支](data/finance-monthly.csv) · [按科目收支](data/finance-categories.csv) · "
                "[最大的支出](data/top-expenses.csv) · [补助收入](data/subsidy-income.csv) · "
                "[政务公示名单](data/relief-notices.csv)（均为 CSV，另有同名 JSON）", ""]
        self.write(page, out, searched=False)

    def village_by_name(self, page: str, row: dict) -> str:
        """A village link for a table row that names its township and village."""
        s = self.by_name.get((row["乡镇"], row["村"]))
        return self.village(page, s.slug) if s else cell(row["村"])

    # ------------------------------------------------------------ 决策事项
    def decisions(self) -> None:
        r, page = self.r, "decisions.md"
        cats = r.dicts("decision-categories")
        county = [x for x in cats if x["层级"] == "县"]
        out = ["# 决策事项", "",
               "村级重大事项须经“四议两公开”：党支部提议 → 两委会商议 → 党员大会审议 → 村民代表会议或村民会议决议 → "
               "决议公开 → 实施结果公开（《村民委员会组织法》第二十四条所列事项必须经村民会议或村民代表会议讨论决定）。"
               "金额单位：元。", "",
               "## 按类别（全县）", "",
               table(["类别", "事项数", "涉及金额", "有程序问题"],
                     [[cell(x["类别"]), x["事项数"], money(x["金额"]), x["程序问题事项"]] for x in county]
                     + [["**合计**", sum(x["事项数"] for x in county),
                         money(sum((x["金额"] for x in county), ZERO)),
                         sum(x["程序问题事项"] for x in county)]], "lrrr")]
        in_progress = defaultdict(int)
        for x in r.in_progress:
            in_progress[x.slug] += 1
        defects_by = defaultdict(set)
        for x in r.defects:
            defects_by[x.slug].add(x.doc_id)
        rows = []
        for s in r.villages:
            ds = s.village.decisions
            rows.append([self.village(page, s.slug), len(ds), money(sum((d.record.amount for d in ds), ZERO)),
                         len(defects_by[s.slug]), in_progress[s.slug]])
        out += ["## 各村", "", table(["村", "事项数", "涉及金额", "有程序问题", "尚未公开实施结果"], rows, "lrrrr")]
        out += [f"## 程序问题（{len({(x.slug, x.doc_id) for x in r.defects})} 件事项）", "",
                "由生成网站时的自动检查得出。属于“错误”的问题会阻止网站发布，所以这里列出的通常是“提醒”："
                "非第二十四条事项缺少的步骤、已完成但未公开实施结果的事项等。", ""]
        if r.defects:
            out.append(table(["事项（村）", "问题"],
                             [[self.village(page, x.slug, f"decisions/{page_id(x.doc_id)}.html", self.c(x.slug, x.title))
                               + f"<br><small>{self.village(page, x.slug)}</small>",
                               f"**{x.severity_zh}**：{self.c(x.slug, x.reason)}"] for x in r.defects], "ll"))
        else:
            out += ["没有发现程序问题。", ""]
        out += [f"## 尚未公开实施结果（{len(r.in_progress)} 件）", "",
                "已作出决议、还在实施或尚未实施的事项；实施完毕后应公开实施结果。", ""]
        if r.in_progress:
            out.append(table(["事项（村 · 实施情况）", "决议日期", "已过天数"],
                             [[self.village(page, x.slug, f"decisions/{page_id(x.doc_id)}.html",
                                            self.c(x.slug, x.title))
                               + f"<br><small>{self.village(page, x.slug)} · {x.status}</small>",
                               x.resolved.isoformat() if x.resolved else "—", num(x.days)]
                              for x in sorted(r.in_progress, key=lambda x: -(x.days or 0))], "lrr"))
        else:
            out += ["没有。", ""]
        out += ["## 全部决策事项", "", "按村列出，点开查看。事项名称可用上方搜索框搜索。", ""]
        out += self.records_by_village(
            page, "decisions", lambda v: sorted(v.decisions, key=lambda d: d.id, reverse=True),
            lambda d: f"（{d.id[:7]}，{cell(d.record.category)}，{d.record.status}）")
        out += ["下载：[决策事项](data/decisions.csv) · [按类别](data/decision-categories.csv) · "
                "[程序问题](data/decision-defects.csv) · [尚未公开实施结果](data/decisions-in-progress.csv)", ""]
        self.write(page, out)

    # ------------------------------------------------------------ 民主评议
    def evaluations(self) -> None:
        r, page = self.r, "evaluations.md"
        totals = r.dicts("evaluation-totals")
        years = sorted({x["年度"] for x in totals}, reverse=True)
        by_village: dict[tuple, dict] = defaultdict(dict)
        for x in totals:
            if x["层级"] == "村":
                by_village[(x["上级"], x["名称"], x["年度"])][x["职务类别"]] = x
        out = ["# 民主评议", "",
               "村务监督委员会每年主持村民对村干部的民主评议（《村民委员会组织法》第三十三条）。"
               "满意率 =（满意 + 基本满意）÷ 参评人数。", ""]
        if not years:
            out += ["还没有民主评议记录。", ""]
        for i, year in enumerate(years):
            rows = []
            for s in r.villages:
                mine = by_village.get((s.township, s.name, year), {})
                if not mine:
                    rows.append([self.village(page, s.slug), "未评议", "", "", "", ""])
                    continue
                link = self.village(page, s.slug, f"evaluations/{year}.html", pct(mine["全部"]["满意率"]))
                rows.append([self.village(page, s.slug), link,
                             *(pct(mine[g]["满意率"]) if g in mine else "—" for g in ROLE_GROUPS)])
            area_rows = [[cell(x["名称"]) if x["层级"] != "县" else f"**{cell(x['名称'])}**", x["参评人次"],
                          pct(x["满意率"])] for x in totals
                         if x["年度"] == year and x["职务类别"] == "全部" and x["层级"] != "村"]
            role_rows = [[x["职务类别"], x["参评人次"], x["满意及基本满意"], x["不满意"], pct(x["满意率"])]
                         for x in totals if x["年度"] == year and x["层级"] == "县" and x["职务类别"] != "全部"]
            body = ["### 各村满意率", "",
                    table(["村", "全部", *ROLE_GROUPS], rows, "lrrrrr"),
                    "### 按职务类别（全县）", "",
                    table(["职务类别", "参评人次", "满意及基本满意", "不满意", "满意率"], role_rows, "lrrrr"),
                    "### 各乡镇", "", table(["范围", "参评人次", "满意率"], area_rows[1:] + area_rows[:1], "lrr")]
            if i == 0:
                out += [f"## {year}年度", ""] + body
            else:
                out += ['<details class="cw-year" markdown>', f"<summary>{year}年度</summary>", ""] + body + [
                    "</details>", ""]
        incompetent = r.dicts("incompetent")
        out += ["## 评为不称职的村干部", ""]
        if incompetent:
            out.append(table(["姓名（村 · 职务）", "年度", "满意率", "连续两年"],
                             [[f"{cell(x['姓名'])}<br><small>{self.village_by_name(page, x)} · {cell(x['职务'])}</small>",
                               x["年度"], pct(x["满意率"]), x["连续两年不称职"]] for x in incompetent], "lrrl"))
        else:
            out += ["没有村干部被评为不称职。", ""]
        twice = [x for x in incompetent if x["连续两年不称职"] == "是"]
        out += ["## 连续两年不称职", "",
                "依照第三十三条，连续两次被评议为不称职的，其职务终止，应报乡镇处理。", ""]
        if twice:
            out.append(table(["村", "姓名", "职务", "年度"],
                             [[self.village_by_name(page, x), cell(x["姓名"]), cell(x["职务"]),
                               f"{x['年度'] - 1}、{x['年度']}"] for x in twice], "lllr"))
        else:
            out += ["没有。", ""]
        out += ["下载：[评议结果](data/evaluations.csv) · [满意率汇总](data/evaluation-totals.csv) · "
                "[不称职名单](data/incompetent.csv)", ""]
        self.write(page, out, searched=False)

    # ------------------------------------------------------------ 正在公示
    def notices(self) -> None:
        r, page = self.r, "notices.md"
        out = ["# 正在公示", "",
               f"{zh_date(r.as_of)}正在公示期内的公示，按结束日期先后排列，快结束的在前。对公示有异议的，"
               "请在结束日期前按公示上写的方式反映。", ""]
        if r.open_notices:
            out.append(table(["公示（村 · 栏目 · 公示期）", "截止"],
                             [[self.village(page, n.slug, f"notices/{page_id(n.doc_id)}.html", self.c(n.slug, n.title))
                               + f"<br><small>{self.village(page, n.slug)} · {n.column} · "
                                 f"{n.start.month}月{n.start.day}日至{n.end.month}月{n.end.day}日</small>",
                               ("今天截止" if n.days_left == 0 else f"还剩 {n.days_left} 天")
                               + f"<br><small>{n.end}</small>"] for n in r.open_notices], "ll"))
        else:
            out += ["目前没有正在公示的事项。", ""]
        out += ["## 全部公示目录", "", "按村列出，点开查看。公示标题可用上方搜索框搜索。", ""]
        out += self.records_by_village(
            page, "notices", lambda v: sorted(v.notices, key=lambda d: (d.record.start, d.id), reverse=True),
            lambda d: f"（{d.record.column}，{d.record.start} 至 {d.record.end}）")
        out += ["下载：[正在公示 CSV](data/open-notices.csv) · [JSON](data/open-notices.json)", ""]
        self.write(page, out)

    # ------------------------------------------------------------ 本季抽查
    def inspection(self) -> None:
        r, page = self.r, "inspection.md"
        share = r.policy.inspection_share
        picks = r.inspection.get(r.quarter, [])
        n = sample_size(len(r.villages), share)
        share_pct = f"{Decimal(share.numerator) * 100 / Decimal(share.denominator):.1f}".removesuffix(".0")
        exact = Decimal(share.numerator) * len(r.villages) / Decimal(share.denominator)
        out = ["# 本季抽查", "",
               f"县里每季度至少抽查 {share_pct}% 的村（向上取整），检查村务公开和民主管理情况。", "",
               f"## {r.quarter.zh}：{len(picks)} 个村", "",
               f"全县 {len(r.villages)} 个村 × {share_pct}% = {exact:.2f}，向上取整为 {n} 个。", ""]
        if picks:
            out.append(table(["村（乡镇）", "抽中理由"],
                             [[f"{self.village(page, p.slug)}<br><small>{cell(self.info[p.slug].township)}</small>",
                               "；".join(cell(x) for x in p.reasons)] for p in picks], "ll"))
        out += ["## 怎样抽取", "",
                f"- **可复现：**每个村的随机数由“县代码 {cell(r.code)} + 季度 + 村文件夹名”经 SHA-256 算出，"
                "同样的记录、同一季度，任何人重算都得到同样的名单；换一个季度，名单随之改变。",
                "- **有问题的村更容易被抽中：**权重 = 1 + 2 × 近四个季度有程序问题的决策件数（最多算 3 件）"
                "+ 0.5 × 近四个季度迟报、缺报、未审的期数（最多算 8 期）。",
                "- **刚抽查过的村少抽：**上季度抽过的权重 × 1/4，两个季度前 × 1/2，三个季度前 × 3/4。",
                "- **只看季度开始前的情况：**每季度的名单只用该季度开始前一天已经公开的记录计算，"
                "所以往季的名单不会因为后来补录的记录而改变；往季名单从有记录的第一个季度起逐季重算，不需要另存。",
                "- 按权重不放回地抽取（Efraimidis–Spirakis 方法）。", ""]
        history = [(q, ps) for q, ps in sorted(r.inspection.items(), reverse=True) if q != r.quarter]
        if history:
            out += ["## 往季抽查名单", "",
                    table(["季度", "抽查的村"],
                          [[q.zh, "、".join(self.village(page, p.slug) for p in ps)] for q, ps in history], "ll")]
        out += ["下载：[历季抽查名单 CSV](data/inspection.csv) · [JSON](data/inspection.json)", ""]
        self.write(page, out, searched=False)

    # ------------------------------------------------------------ 公开数据
    def data_index(self) -> None:
        out = ["# 公开数据", "",
               "本页所有汇总表都可下载：CSV（带 BOM 的 UTF-8，可直接用 Excel、WPS 打开）和 JSON（金额写成文字，"
               "保证分毫不差）。[datapackage.json](../datapackage.json) 按 Frictionless Data Package 标准说明每个表的"
               "字段和类型。金额单位：元。", "",
               table(["数据", "说明", "下载"],
                     [[cell(ds.title), cell(ds.description), f"[CSV]({ds.name}.csv) · [JSON]({ds.name}.json)"]
                      for ds in DATASETS]),
               "## 汇总到市、省", "",
               "表分三种：逐条的表（各村概况、明细、名单）直接合并；带“层级 / 名称 / 上级”的汇总表逐级相加；"
               "“最大的支出”合并后重新排名。市里可用同一个程序把各县公开的数据汇总起来：", "",
               "```", "cunwu rollup 市汇总目录 县甲网站目录 县乙网站目录 --name 某某市 --level 市", "```", ""]
        self.write("data/index.md", out, searched=False)


# ================================================================ open data


def datapackage(name: str, title: str, created: date, folder: str = "data") -> dict:
    """A Frictionless (Tabular) Data Package describing every dataset's CSV."""
    resources = []
    for ds in DATASETS:
        resources.append({
            "name": ds.name, "title": ds.title, "description": ds.description,
            "path": f"{folder}/{ds.name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": [{"name": c.name, "type": c.type, **({"description": c.description}
                                                                       if c.description else {})}
                                  for c in ds.cols],
                       "missingValues": [""]}})
    return {"profile": "tabular-data-package", "name": name, "title": title,
            "created": datetime(created.year, created.month, created.day, tzinfo=UTC)
            .strftime("%Y-%m-%dT%H:%M:%SZ"),
            "resources": resources}


def package_name(code: str) -> str:
    safe = "".join(ch for ch in code.lower() if ch.isascii() and (ch.isalnum() or ch in "-_."))
    return f"cunwu-{safe}" if safe else "cunwu-rollup"


def write_open_data(root: Path, tables: Tables, name: str, code: str, level: str, as_of: date) -> None:
    """data/<table>.csv + .json under root, and root/datapackage.json."""
    for ds in DATASETS:
        write_dataset(root / "data", ds.name, ds.columns, tables.get(ds.name, []),
                      area=name, level=level, as_of=as_of, title=ds.title)
    package = datapackage(package_name(code), f"{name}村务公开汇总数据", as_of)
    (root / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")


class RollupError(Exception):
    """Published data that cannot be combined; the message is Chinese."""


def data_folder(path: Path) -> Path:
    """The folder holding the dataset files of a published portal (or of a rollup)."""
    if (path / "data").is_dir() and ((path / "datapackage.json").is_file()
                                     or (path / "data" / f"{DATASETS[0].name}.json").is_file()):
        return path / "data"
    return path


def read_published(path: Path) -> tuple[Tables, date | None]:
    """Read every dataset's JSON from a published portal or data folder."""
    folder = data_folder(path)
    tables: Tables = {}
    as_of = None
    for ds in DATASETS:
        file = folder / f"{ds.name}.json"
        if not file.is_file():
            raise RollupError(f"{file}：找不到数据文件。请给出县门户网站目录（含 datapackage.json）或其中的 data 目录。")
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RollupError(f"{file}：无法读取（{exc}）。") from None
        if not isinstance(payload, dict) or payload.get("columns") != ds.columns:
            raise RollupError(f"{file}：表头与本程序的“{ds.title}”不一致，可能是用不同版本的 cunwu 生成的。"
                              f"应为：{'、'.join(ds.columns)}。")
        try:
            tables[ds.name] = [[parse_value(c, row.get(c.name)) for c in ds.cols] for row in payload["rows"]]
        except (ValueError, TypeError, AttributeError) as exc:
            raise RollupError(f"{file}：数据有误（{exc}）。") from None
        if payload.get("as_of"):
            try:
                day = date.fromisoformat(str(payload["as_of"]))
                as_of = day if as_of is None else max(as_of, day)
            except ValueError:
                pass
    return tables, as_of


def rollup_published(out: Path, inputs: list[Path], name: str, level: str) -> Tables:
    """`cunwu rollup`: combine published county (or city) data into one area."""
    parts, days = [], []
    for path in inputs:
        tables, as_of = read_published(path)
        parts.append(tables)
        if as_of:
            days.append(as_of)
    combined = combine(parts, name, level)
    out.mkdir(parents=True, exist_ok=True)
    write_open_data(out, combined, name, name, level, max(days) if days else date.today())
    return combined


# ================================================================ the portal site

PORTAL_STYLE = """\
/* County portal only: the timeliness matrix and lists. Loaded after cunwu.css. */
.md-typeset .cw-tl { white-space: nowrap; font-weight: 700; }
.md-typeset .cw-tl--on_time { color: #2e7d32; }
.md-typeset .cw-tl--late { color: #bf360c; }
.md-typeset .cw-tl--missing { color: #fff; background: #c62828; padding: 0 .25em; border-radius: .2em; }
.md-typeset .cw-tl--unreviewed { color: #6a1b9a; }
.md-typeset .cw-tl--pending, .md-typeset .cw-tl--na { color: #9e9e9e; font-weight: 400; }
.md-typeset .cw-legend { font-size: .75rem; line-height: 1.9; }
/* A wide matrix scrolls inside its own box (Material's .md-typeset__scrollwrap, or the
   inline-block table itself without JS); the village column stays put. */
.md-typeset .cw-matrix table:not([class]) th, .md-typeset .cw-matrix table:not([class]) td {
  padding: .5em .5em; min-width: 2.6em; }
.md-typeset .cw-matrix table:not([class]) th:first-child,
.md-typeset .cw-matrix table:not([class]) td:first-child {
  position: sticky; left: 0; z-index: 1; text-align: left; white-space: nowrap;
  background: var(--md-default-bg-color); }
.md-typeset details.cw-year > summary, .md-typeset details.cw-village-list > summary {
  font-size: .85rem; font-weight: 700; min-height: 2.2rem; }
"""


def render_portal(project: Path, county: County, as_of: date, out_dir: Path, site_dir: Path) -> Path:
    """Render the portal into out_dir (docs/ + mkdocs.yml); returns the config path."""
    docs = out_dir / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    rollup = compute(county, as_of)
    nav = PortalRenderer(rollup, docs).render()
    write_open_data(docs, rollup.tables, rollup.name, rollup.code, "县", as_of)
    (docs / PORTAL_CSS).parent.mkdir(parents=True, exist_ok=True)
    (docs / PORTAL_CSS).write_text(PORTAL_STYLE, encoding="utf-8")
    config = write_site_config(project, out_dir, Site(rollup.name, nav, docs), site_dir, as_of,
                               description=f"{rollup.name}各村村务公开汇总：公开及时性、财务、决策、评议、公示、抽查")
    _add_css(config, PORTAL_CSS)
    return config


def _add_css(config: Path, css: str) -> None:
    text = config.read_text(encoding="utf-8")
    head, _, body = text.partition("\n")
    data = yaml.safe_load(body)
    extra = list(data.get("extra_css") or [])
    if css not in extra:
        extra.append(css)
    data["extra_css"] = extra
    config.write_text(head + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
