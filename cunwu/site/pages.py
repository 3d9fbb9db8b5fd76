"""Render stage: one village's records → an ordinary Markdown site on disk.

The output is a docs folder (pages, CSV/JSON, SVG charts) and that site's
mkdocs.yml derived from the project's base one. Nothing is generated inside
MkDocs, so any MkDocs-compatible engine can build it and it can be diffed.
"""

from __future__ import annotations

import difflib
import re
import shutil
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ..records.load import Doc, Village, page_id
from ..records.models import BOARD_COLUMNS as COLUMNS
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, Decision, Ledger, Notice, Rule
from ..records.money import ZERO, amount_text
from . import charts
from .config import Site, copy_shared_content, write_site_config
from .dates import zh_date, zh_month
from .markup import attr, cell, html_block, link, plain, table
from .opendata import write_dataset
from .templating import render

COLUMN_CLASS = {"党务": "party", "村务": "affairs", "财务": "finance", "政务": "government"}
RECENT_DAYS = 92   # "lately" on the board: about one quarter


money = amount_text


# Words villagers type for the same thing. A page mentioning any word of a group
# gets the whole group as search tags (indexed, not shown), so 修路 finds a
# decision titled 通组道路硬化 and the month that paid for it.
SEARCH_GROUPS = (
    ("修路", "道路", "公路", "水泥路", "村道", "通组路", "路面", "硬化"),
    ("低保", "最低生活保障", "低保户", "救助"),
    ("饮水", "自来水", "水管", "管网", "安全饮水"),
    ("水利", "灌溉", "水渠", "渠道", "沟渠", "山塘", "排水沟"),
    ("路灯", "亮化", "照明"),
    ("补贴", "补助", "误工补贴", "工资", "报酬"),
    ("承包", "发包", "出租", "租金", "流转"),
    ("卫生", "保洁", "垃圾", "环境整治"),
)


def search_tags(*texts: str) -> list[str]:
    joined = " ".join(texts)
    tags: list[str] = []
    for group in SEARCH_GROUPS:
        if any(word in joined for word in group):
            tags += [w for w in group if w not in tags]
    return tags


def front_matter(tags: list[str], hide: tuple[str, ...] = ()) -> list[str]:
    """YAML front matter lines for Material: search tags and hidden parts."""
    lines = []
    if tags:
        lines += ["tags:"] + [f"  - {t}" for t in tags]
    if hide:
        lines += ["hide:"] + [f"  - {h}" for h in hide]
    return ["---", *lines, "---", ""] if lines else []


def unsearched(markdown_text: str) -> str:
    """Wrap repeated boilerplate (summaries by category, sign-off tables, download
    links) so Material leaves it out of the search index a phone downloads."""
    return f'<div data-search-exclude markdown>\n\n{markdown_text}\n\n</div>\n'


def notice_state(notice: Notice, as_of: date) -> tuple[str, str]:
    """(label, css modifier) of a notice at a date."""
    if as_of < notice.start:
        return "未开始", "pending"
    if as_of <= notice.end:
        return "公示中", "open"
    return "已结束", "closed"


def notice_status_html(notice: Notice, as_of: date) -> str:
    """The status as printed at build time; cunwu.js re-reads the dates on the reader's day."""
    label, mod = notice_state(notice, as_of)
    return (f'<span class="notice-status cw-badge cw-badge--{mod}" data-start="{notice.start}" '
            f'data-end="{notice.end}">{label}</span>')


class VillageRenderer:
    def __init__(self, village: Village, as_of: date, out_dir: Path) -> None:
        self.v, self.as_of = village, as_of
        self.docs = out_dir / "docs"
        self.profile = village.profile.record if village.profile else None
        self.allowed = village.public_numbers
        self.decision_pages = {d.id: page_id(d.id) for d in village.decisions}
        self.notice_pages = {d.id: page_id(d.id) for d in village.notices}
        self.rule_pages = {d.id: page_id(d.id) for d in village.rules}

    # ------------------------------------------------------------ helpers
    def write(self, rel: str, text: str) -> None:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def c(self, value) -> str:
        return cell(value, self.allowed)

    def block(self, text: str, css: str = "cw-text") -> str:
        return html_block(text, self.allowed, css)

    # ------------------------------------------------------------ all pages
    def render(self) -> Site:
        if self.docs.exists():
            shutil.rmtree(self.docs)
        self.docs.mkdir(parents=True)
        self.render_finance()
        self.render_decisions()
        self.render_rules()
        self.render_evaluations()
        self.render_notices()
        self.render_data_index()
        self.render_home()
        nav = [{"公开栏": "index.md"}, {"财务公开": "finance/index.md"}, {"村务决策": "decisions/index.md"},
               {"制度规章": "rules/index.md"}, {"民主评议": "evaluations/index.md"},
               {"公示公告": "notices/index.md"}, {"公开数据": "data/index.md"}]
        return Site(self.v.name, nav, self.docs)

    # ------------------------------------------------------------ home: the board
    def render_home(self) -> None:
        v, p, as_of = self.v, self.profile, self.as_of
        recent = as_of - timedelta(days=RECENT_DAYS)
        items: dict[str, list[tuple[date, str]]] = defaultdict(list)   # column → (date, markdown line)
        for doc in v.notices:
            n = doc.record
            link = f"[{self.c(n.title)}](notices/{self.notice_pages[doc.id]}.md)"
            state = notice_status_html(n, as_of)
            if n.end >= as_of or n.posted >= recent:
                items[n.column].append((n.posted, f"{state} {link}（{n.start} 至 {n.end}）"))
        for doc in v.decisions:
            d = doc.record
            for step in d.steps:
                if step.step in ("决议公开", "实施结果公开") and recent <= step.date <= as_of:
                    link = f"[{self.c(d.title)}](decisions/{self.decision_pages[doc.id]}.md)"
                    items["村务"].append((step.date, f"{step.step}：{link}（{step.date}）"))
        for doc in v.evaluations:
            e = doc.record
            if recent <= e.posted <= as_of:
                items["村务"].append((e.posted, f"[{e.year}年度村干部民主评议结果](evaluations/{e.year}.md)（{e.posted}）"))
        for doc in v.rules:
            r = doc.record
            cur = r.current
            if recent <= cur.posted <= as_of:
                items["村务"].append((cur.posted, f"[{self.c(r.title)}（{self.c(cur.version)}）](rules/{self.rule_pages[doc.id]}.md)"))
        latest = v.ledgers[-1].record if v.ledgers else None
        if p is not None:
            members = p.roster.party_branch
            if members:
                items["党务"].append((date.min, "党支部：" + "，".join(f"{self.c(m.role)} {self.c(m.name)}" for m in members)))

        out = front_matter([], hide=("navigation", "toc")) + [
            # Plain HTML: the county portal is outside this site, MkDocs cannot check the link.
            '<p class="cw-back"><a href="../index.html">← 全县各村村务公开</a></p>', "",
            f"# {self.c(v.name)}村务公开栏", ""]
        if p is not None:
            out += [f'<p class="cw-lead">{attr(p.township)} · {attr(p.name)} · {p.households} 户 {p.population} 人 · '
                    f"数据截至 {zh_date(as_of)}</p>", ""]
        if latest is not None:
            out += ['<div class="cw-latest" markdown>', "",
                    f"**最新财务公开：**[{zh_month(latest.month)}收支明细](finance/{latest.month}.md) —— "
                    f"收入 {money(latest.income)} 元，支出 {money(latest.expense)} 元，"
                    f"期末余额 {money(latest.closing_balance)} 元", "", "</div>", ""]
        out.append('<div class="cw-board" markdown>')
        out.append("")
        for column in COLUMNS:
            out += [f'<section class="cw-column cw-column--{COLUMN_CLASS[column]}" markdown>', "",
                    f"## {column}公开", ""]
            lines = [line for _, line in sorted(items[column], key=lambda t: t[0], reverse=True)]
            if column == "财务" and latest is not None:
                lines.insert(0, f"[{zh_month(latest.month)}收支明细](finance/{latest.month}.md)，"
                                f"[全部月份与年度汇总](finance/index.md)")
            if not lines:
                lines = ["本期暂无新公开事项。"]
            out += [f"- {line}" for line in lines[:8]]
            out += ["", "</section>", ""]
        out += ["</div>", ""]
        if p is not None:
            out += self.profile_section()
        self.write("index.md", "\n".join(out))

    def profile_section(self) -> list[str]:
        p = self.profile
        out = ["## 村情简介", "",
               table(["项目", "内容"], [["所属乡镇", self.c(p.township)], ["区划代码", self.c(p.code)],
                                     ["户数", p.households], ["户籍人口", p.population],
                                     ["村民代表", f"{p.representatives} 人"],
                                     ["财务公开周期", self.c(p.cadence.finance)]]),
               "## 班子成员", ""]
        for title, members in (("党支部委员会", p.roster.party_branch), ("村民委员会", p.roster.village_committee),
                               ("村务监督委员会", p.roster.supervision_committee)):
            if not members:
                continue
            rows = [[self.c(m.name), self.c(m.role),
                     f"{m.term[0]} 至 {m.term[1]}" if m.term else "—"] for m in members]
            out += [f"### {title}", "", table(["姓名", "职务", "任期"], rows)]
        ct = p.contact
        out += ["## 咨询与投诉", "",
                "对公开内容有疑问，可以向村务监督委员会或村委会询问；村里不按时公开或公开不真实的，"
                "可以向乡镇人民政府或县级人民政府及其有关部门反映（《村民委员会组织法》第三十一条）。", "",
                table(["方式", "内容"], [r for r in [["地点", self.c(ct.office)], ["电话", self.c(ct.phone)],
                                                   ["时间", self.c(ct.hours)],
                                                   ["乡镇电话", self.c(ct.township_phone)]] if r[1]])]
        return out

    # ------------------------------------------------------------ finance
    def render_finance(self) -> None:
        ledgers = [d.record for d in self.v.ledgers]
        by_year: dict[str, list[Ledger]] = defaultdict(list)
        for ledger in ledgers:
            by_year[ledger.month[:4]].append(ledger)
        all_rows = []
        for ledger in ledgers:
            self.render_month(ledger)
            all_rows += self.entry_rows(ledger)
        for year, months in by_year.items():
            self.render_year(year, months)
        summary = [[l.month, l.opening_balance, l.income, l.expense, l.closing_balance, l.posted,
                    l.review.date if l.review else None] for l in ledgers]
        write_dataset(self.docs / "data", "ledger-months",
                      ["月份", "期初余额", "收入", "支出", "期末余额", "公布日期", "审核日期"], summary,
                      village=self.v.name)
        write_dataset(self.docs / "data", "ledger-entries", ENTRY_COLUMNS, all_rows, village=self.v.name)
        out = ["# 财务公开", "",
               "按月公布村集体收支明细，经民主理财小组（村务监督委员会）审核后公开。金额单位：元。", ""]
        if ledgers:
            latest = ledgers[-1]
            out += [f"**最新：**[{zh_month(latest.month)}收支明细]({latest.month}.md)", ""]
        for year in sorted(by_year, reverse=True):
            months = by_year[year]
            income = sum((m.income for m in months), ZERO)
            expense = sum((m.expense for m in months), ZERO)
            out += [f"## [{year}年]({year}.md)", "",
                    f"收入 {money(income)}，支出 {money(expense)}，年末（最近）余额 {money(months[-1].closing_balance)}。", "",
                    " · ".join(f"[{int(m.month[5:])}月]({m.month}.md)" for m in months), ""]
        out += ["全部数据下载：[月度汇总 CSV](../data/ledger-months.csv) · [JSON](../data/ledger-months.json) · "
                "[收支明细 CSV](../data/ledger-entries.csv) · [JSON](../data/ledger-entries.json)", ""]
        self.write("finance/index.md", "\n".join(out))

    def entry_rows(self, ledger: Ledger) -> list[list]:
        """Rows for the open data files: text masked, not escaped (CSV is not Markdown)."""
        def t(value: str) -> str:
            return plain(value, self.allowed)
        return [[ledger.month, e.date, t(e.voucher), t(e.summary), e.category, "收入" if e.is_income else "支出",
                 t(e.counterparty), e.amount, t(e.handled_by), t(e.reviewed_by), t(e.approved_by)]
                for e in ledger.entries]

    def render_month(self, ledger: Ledger) -> None:
        month = ledger.month
        write_dataset(self.docs / "data", f"ledger-{month}", ENTRY_COLUMNS, self.entry_rows(ledger),
                      village=self.v.name)
        ok = ledger.computed_closing == ledger.closing_balance
        tags = search_tags(*(e.summary for e in ledger.entries))
        out = front_matter(tags) + [f"# {zh_month(month)}收支明细", "",
               table(["项目", "金额（元）"],
                     [["期初余额", money(ledger.opening_balance)], ["本月收入", money(ledger.income)],
                      ["本月支出", money(ledger.expense)], ["期末余额", money(ledger.closing_balance)]], "lr")]
        if ok:
            out += ['<p class="cw-check cw-check--ok">✓ 账目核对无误：期初 + 收入 − 支出 = 期末</p>', ""]
        else:
            out += [f'<p class="cw-check cw-check--error">✗ 本月账目不平：期初 + 收入 − 支出 = '
                    f"{money(ledger.computed_closing)} 元，与公布的期末余额 {money(ledger.closing_balance)} 元"
                    f"相差 {money(ledger.closing_balance - ledger.computed_closing)} 元。</p>", ""]
        if ledger.review:
            out += [f'<p class="cw-review">审核：{attr("、".join(ledger.review.by))}（民主理财小组 / 村务监督委员会），'
                    f"{zh_date(ledger.review.date)}；公布日期：{zh_date(ledger.posted)}</p>", ""]
        else:
            out += [f'<p class="cw-review cw-check--error">本月收支未记录审核。公布日期：{zh_date(ledger.posted)}</p>', ""]
        out += ["## 收支明细", ""]
        # Four narrow columns so that a 360 px screen shows the amounts without scrolling.
        out.append(table(["日期 凭证号", "摘要（科目）", "收入", "支出"],
                         # "<br> " not "<br>": the search index drops tags, and the
                         # space keeps 8日 and 记-005 from becoming one word.
                         [[f"{e.date.month}月{e.date.day}日<br> {self.c(e.voucher)}",
                           f"{self.c(e.summary)}<br> <small>{self.c(e.category)}</small>",
                           money(e.amount) if e.is_income else "", "" if e.is_income else money(e.amount)]
                          for e in ledger.entries], "llrr"))
        out += ["", "## 按科目汇总", "", unsearched(self.category_table([ledger])),
                "## 经手与审批", "",
                unsearched(table(["凭证号", "对方", "经手人", "审核人", "审批人"],
                                 [[self.c(e.voucher), self.c(e.counterparty), self.c(e.handled_by),
                                   self.c(e.reviewed_by), self.c(e.approved_by)] for e in ledger.entries])),
                unsearched(f"下载本月明细：[CSV](../data/ledger-{month}.csv) · [JSON](../data/ledger-{month}.json) · "
                           f"[{month[:4]}年汇总]({month[:4]}.md)")]
        self.write(f"finance/{month}.md", "\n".join(out))

    @staticmethod
    def category_totals(ledgers: list[Ledger]) -> dict[str, Decimal]:
        totals = {c: ZERO for c in INCOME_CATEGORIES + EXPENSE_CATEGORIES}
        for ledger in ledgers:
            for e in ledger.entries:
                totals[e.category] += e.amount
        return totals

    def category_table(self, ledgers: list[Ledger]) -> str:
        totals = self.category_totals(ledgers)
        rows = [["收入", c, money(totals[c])] for c in INCOME_CATEGORIES if totals[c]]
        rows += [["支出", c, money(totals[c])] for c in EXPENSE_CATEGORIES if totals[c]]
        return table(["方向", "科目", "金额"], rows, "llr")

    def render_year(self, year: str, months: list[Ledger]) -> None:
        income = sum((m.income for m in months), ZERO)
        expense = sum((m.expense for m in months), ZERO)
        labels = [f"{int(m.month[5:])}月" for m in months]
        (self.docs / "finance").mkdir(parents=True, exist_ok=True)
        (self.docs / "finance" / f"{year}-monthly.svg").write_text(charts.grouped_bars(
            f"{year}年逐月收支（元）", labels,
            [("收入", charts.INCOME_COLOR, [m.income for m in months]),
             ("支出", charts.EXPENSE_COLOR, [m.expense for m in months])]), encoding="utf-8")
        totals = self.category_totals(months)
        spend = sorted(((c, totals[c]) for c in EXPENSE_CATEGORIES if totals[c]), key=lambda t: -t[1])
        (self.docs / "finance" / f"{year}-expense.svg").write_text(
            charts.horizontal_bars(f"{year}年支出构成（元）", spend), encoding="utf-8")
        rows = [[f"[{int(m.month[5:])}月]({m.month}.md)"
                 + ("" if m.computed_closing == m.closing_balance else " ✗不平"),
                 money(m.income), money(m.expense), money(m.closing_balance)] for m in months]
        write_dataset(self.docs / "data", f"ledger-{year}",
                      ["月份", "期初余额", "收入", "支出", "期末余额", "公布日期"],
                      [[m.month, m.opening_balance, m.income, m.expense, m.closing_balance, m.posted]
                       for m in months], village=self.v.name, year=year)
        out = [f"# {year}年财务收支", "",
               f"全年收入 **{money(income)}** 元，支出 **{money(expense)}** 元，"
               f"收支相抵 {money(income - expense)} 元。", "",
               f"![{year}年逐月收入与支出柱状图]({year}-monthly.svg)", "",
               "## 逐月收支", "",
               unsearched(table(["月份", "收入", "支出", "期末余额"], rows, "lrrr")),
               "## 按科目汇总", "",
               f"![{year}年支出构成条形图]({year}-expense.svg)", "",
               unsearched(self.category_table(months)),
               unsearched(f"下载：[{year}年逐月汇总 CSV](../data/ledger-{year}.csv) · "
                          f"[JSON](../data/ledger-{year}.json)")]
        self.write(f"finance/{year}.md", "\n".join(out))

    # ------------------------------------------------------------ decisions
    def render_decisions(self) -> None:
        docs = sorted(self.v.decisions, key=lambda d: d.id, reverse=True)
        rows_data = []
        by_year: dict[str, list[Doc[Decision]]] = defaultdict(list)
        for doc in docs:
            self.render_decision(doc)
            d = doc.record
            by_year[doc.id[:4]].append(doc)
            rows_data.append([doc.id, d.title, d.category, d.amount, d.status,
                              d.resolution.date if d.resolution else None, d.posted])
        out = ["# 村务决策", "",
               "村级重大事项按“四议两公开”决策：党支部提议 → 两委会商议 → 党员大会审议 → "
               "村民代表会议或村民会议决议 → 决议公开 → 实施结果公开。", ""]
        for year in sorted(by_year, reverse=True):
            # A list, not a table: long titles stay readable at 360 px.
            out += [f"## {year}年", ""]
            out += [f"- [{self.c(doc.record.title)}]({self.decision_pages[doc.id]}.md)  \n"
                    f"  {self.c(doc.record.category)} · {money(doc.record.amount)} 元 · {doc.record.status}"
                    for doc in by_year[year]]
            out.append("")
        categories: dict[str, int] = defaultdict(int)
        for doc in docs:
            categories[doc.record.category] += 1
        if categories:
            out += ["## 按类别", "", table(["类别", "事项数"], [[k, n] for k, n in sorted(categories.items())], "lr")]
        write_dataset(self.docs / "data", "decisions",
                      ["编号", "事项", "类别", "金额", "实施情况", "决议日期", "决议公开日期"], rows_data,
                      village=self.v.name)
        out += ["下载：[决策事项 CSV](../data/decisions.csv) · [JSON](../data/decisions.json)", ""]
        self.write("decisions/index.md", "\n".join(out))

    def render_decision(self, doc: Doc[Decision]) -> None:
        d = doc.record
        out = front_matter(search_tags(d.title, d.category, doc.src.body)) + [f"# {self.c(d.title)}", "",
               table(["类别", "涉及金额（元）", "实施情况"], [[self.c(d.category), money(d.amount), d.status]], "lrl"),
               "## 决策过程", "", '<ol class="cw-timeline">']
        for step in d.steps:
            detail = ""
            m = step.meeting
            if m is not None:
                detail = f"应到 {m.members} 人，实到 {m.present} 人"
                if m.votes_for is not None:
                    detail += f"；赞成 {m.votes_for}，反对 {m.against or 0}，弃权 {m.abstain or 0}"
                if m.households is not None and m.households_present is not None:
                    detail += f"；户代表 {m.households_present}/{m.households} 户"
            note = f"<br>{attr(step.note)}" if step.note else ""
            out.append(f'<li class="cw-timeline__step"><span class="cw-timeline__date">{step.date}</span> '
                       f'<strong class="cw-timeline__name">{step.step}</strong>'
                       f'{"<br>" + detail if detail else ""}{note}</li>')
        out += ["</ol>", ""]
        if d.documents:
            out += ["## 相关文件", ""]
            out += [document_link(x.title, x.url, self.allowed) for x in d.documents]
            out.append("")
        if doc.src.body.strip():
            out += ["## 事项说明", "", self.block(doc.src.body)]
        out += ["[返回村务决策](index.md)", ""]
        self.write(f"decisions/{self.decision_pages[doc.id]}.md", "\n".join(out))

    # ------------------------------------------------------------ rules
    def render_rules(self) -> None:
        out = ["# 制度规章", "", "村规民约、村民自治章程和小微权力清单。每次修订都保留历史版本。", ""]
        for doc in sorted(self.v.rules, key=lambda d: d.record.kind):
            r = doc.record
            cur = r.current
            out.append(f"- [{self.c(r.title)}]({self.rule_pages[doc.id]}.md) —— {r.kind}，现行 {self.c(cur.version)}，"
                       f"{zh_date(cur.adopted)}通过")
            self.render_rule(doc)
        self.write("rules/index.md", "\n".join(out) + "\n")

    def render_rule(self, doc: Doc[Rule]) -> None:
        r = doc.record
        versions = sorted(r.versions, key=lambda v: v.adopted)
        cur = versions[-1]
        out = [f"# {self.c(r.title)}", "",
               f"现行版本：**{self.c(cur.version)}**，{zh_date(cur.adopted)}通过，"
               f"{'报乡镇备案于 ' + zh_date(cur.filed) if cur.filed else '尚未记录乡镇备案'}。", ""]
        out += self.version_body(cur)
        out += ["## 历次版本", "",
                table(["版本", "通过日期", "决策事项", "备案日期", "公布日期"],
                      [[self.c(v.version), v.adopted, self.decision_link(v.decision, "../decisions/"),
                        v.filed or "—", v.posted] for v in reversed(versions)])]
        for older, newer in zip(versions, versions[1:]):
            out += [f"### {self.c(newer.version)} 相对 {self.c(older.version)} 的修改", ""]
            out += self.version_diff(older, newer)
        for v in reversed(versions[:-1]):
            out += [f"### {self.c(v.version)} 全文", ""]
            out += self.version_body(v)
        out += ["[返回制度规章](index.md)", ""]
        self.write(f"rules/{self.rule_pages[doc.id]}.md", "\n".join(out))

    def decision_link(self, decision_id: str | None, prefix: str) -> str:
        if not decision_id:
            return "—"
        if decision_id in self.decision_pages:
            return f"[{self.c(decision_id)}]({prefix}{self.decision_pages[decision_id]}.md)"
        return self.c(decision_id)

    def version_body(self, version) -> list[str]:
        if version.powers:
            out = []
            for i, power in enumerate(version.powers, 1):
                out += [f"#### {i}. {self.c(power.name)}", ""]
                if power.basis or power.responsible:
                    out += [" · ".join(x for x in (f"依据：{self.c(power.basis)}" if power.basis else "",
                                                   f"责任人：{self.c(power.responsible)}" if power.responsible else "")
                                       if x), ""]
                out.append('<ol class="cw-flow">')
                out += [f'<li class="cw-flow__step">{attr(step)}</li>' for step in power.steps]
                out += ["</ol>", ""]
            return out
        return [self.block(version.text or "")]

    def version_diff(self, older, newer) -> list[str]:
        def lines(v) -> list[str]:
            if v.powers:
                return [f"{p.name}：{' → '.join(p.steps)}" for p in v.powers]
            return [line.strip() for line in (v.text or "").splitlines() if line.strip()]
        a, b = lines(older), lines(newer)
        rows = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            label = {"replace": "修改", "delete": "删去", "insert": "新增"}[tag]
            rows.append([label, "<br>".join(self.c(x) for x in a[i1:i2]) or "—",
                         "<br>".join(self.c(x) for x in b[j1:j2]) or "—"])
        if not rows:
            return ["内容无变化。", ""]
        return [table(["变化", "原条文", "新条文"], rows)]

    # ------------------------------------------------------------ evaluations
    def render_evaluations(self) -> None:
        out = ["# 民主评议", "", "村务监督委员会每年主持村民对村干部的民主评议（《村民委员会组织法》第三十三条）。", ""]
        data = []
        for doc in reversed(self.v.evaluations):
            e = doc.record
            out.append(f"- [{e.year}年度评议结果]({e.year}.md) —— {zh_date(e.date)}评议，{zh_date(e.posted)}公布")
            (self.docs / "evaluations").mkdir(parents=True, exist_ok=True)
            (self.docs / "evaluations" / f"{e.year}.svg").write_text(charts.stacked_votes(
                f"{e.year}年度民主评议票数",
                [(c.name, c.votes.satisfied, c.votes.basic, c.votes.unsatisfied) for c in e.cadres]),
                encoding="utf-8")
            rows = []
            for c in e.cadres:
                data.append([e.year, c.name, c.role, c.participants, c.votes.satisfied, c.votes.basic,
                             c.votes.unsatisfied, c.verdict, c.stipend])
                rows.append([self.c(c.name), c.votes.satisfied, c.votes.basic, c.votes.unsatisfied,
                             f"**{c.verdict}**" if c.verdict == "不称职" else c.verdict])
            # Five narrow columns for the phone; role, rate and stipend follow per cadre.
            page = [f"# {e.year}年度村干部民主评议", "",
                    f"评议日期：{zh_date(e.date)}；主持：{self.c(e.chaired_by)}；公布日期：{zh_date(e.posted)}。", "",
                    f"![{e.year}年度各村干部满意、基本满意、不满意票数]({e.year}.svg)", "",
                    table(["姓名", "满意", "基本满意", "不满意", "结果"], rows, "lrrrl"),
                    "## 各人评议情况与述职报告", ""]
            for c in e.cadres:
                rate = (Decimal(c.votes.satisfied + c.votes.basic) * 100 / c.participants) if c.participants else ZERO
                stipend = f"；全年误工补贴 {money(c.stipend)} 元" if c.stipend is not None else ""
                page += [f"### {self.c(c.name)}（{self.c(c.role)}）", "",
                         f"参评 {c.participants} 人，满意率 {rate:.1f}%（满意 + 基本满意 ÷ 参评人数），"
                         f"评议结果：**{c.verdict}**{stipend}。", "",
                         self.block(c.report or "（未提交述职报告）")]
            page += ["[返回民主评议](index.md)", ""]
            self.write(f"evaluations/{e.year}.md", "\n".join(page))
        write_dataset(self.docs / "data", "evaluations",
                      ["年度", "姓名", "职务", "参评人数", "满意", "基本满意", "不满意", "评议结果", "全年误工补贴"],
                      data, village=self.v.name)
        out += ["", "下载：[评议结果 CSV](../data/evaluations.csv) · [JSON](../data/evaluations.json)", ""]
        self.write("evaluations/index.md", "\n".join(out))

    # ------------------------------------------------------------ notices
    def render_notices(self) -> None:
        docs = sorted(self.v.notices, key=lambda d: (d.record.start, d.id), reverse=True)
        open_now = [d for d in docs if notice_state(d.record, self.as_of)[1] != "closed"]
        out = ["# 公示公告", "", f"公示状态按 {zh_date(self.as_of)} 计；打开网页时会按当天日期自动更新。", ""]
        if open_now:
            out += ["## 正在公示", ""]
            out += [self.notice_line(d) for d in open_now] + [""]
        for column in COLUMNS:
            these = [d for d in docs if d.record.column == column]
            if these:
                out += [f"## {column}公开", ""] + [self.notice_line(d) for d in these] + [""]
        write_dataset(self.docs / "data", "notices", ["编号", "标题", "栏目", "开始日期", "结束日期", "公布日期"],
                      [[d.id, d.record.title, d.record.column, d.record.start, d.record.end, d.record.posted]
                       for d in docs], village=self.v.name)
        out += ["下载：[公示目录 CSV](../data/notices.csv) · [JSON](../data/notices.json)", ""]
        for doc in docs:
            self.render_notice(doc)
        self.write("notices/index.md", "\n".join(out))

    def notice_line(self, doc: Doc[Notice]) -> str:
        n = doc.record
        return (f"- {notice_status_html(n, self.as_of)} [{self.c(n.title)}]({self.notice_pages[doc.id]}.md)"
                f"（{n.start} 至 {n.end}）")

    def render_notice(self, doc: Doc[Notice]) -> None:
        n = doc.record
        pid = self.notice_pages[doc.id]
        out = front_matter(search_tags(n.title, doc.src.body)) + [f"# {self.c(n.title)}", "",
               f'<p class="cw-period">公示期：{zh_date(n.start)} 至 {zh_date(n.end)} {notice_status_html(n, self.as_of)}</p>',
               "", f"栏目：{n.column}公开 · 公布日期：{zh_date(n.posted)}", ""]
        if doc.src.body.strip():
            out.append(self.block(doc.src.body))
        if n.table:
            cols = [self.c(x) for x in n.table.columns]
            rows = [[self.c(x) for x in row] for row in n.table.rows]
            out += ["## 名单", "", table(cols, rows),
                    f"共 {len(rows)} 条。下载：[CSV](../data/notice-{pid}.csv) · [JSON](../data/notice-{pid}.json)", ""]
            write_dataset(self.docs / "data", f"notice-{pid}", n.table.columns,
                          [[plain(x, self.allowed) for x in row] for row in n.table.rows],
                          village=self.v.name, title=n.title, start=n.start, end=n.end)
        out += ['<div class="cw-objection" markdown>', "", f"**异议反映：**{self.c(n.objections)}", "", "</div>", "",
                "[返回公示公告](index.md)", ""]
        self.write(f"notices/{pid}.md", "\n".join(out))

    # ------------------------------------------------------------ open data
    def render_data_index(self) -> None:
        files = sorted(p.stem for p in (self.docs / "data").glob("*.csv"))
        names = {"ledger-months": "月度收支汇总", "ledger-entries": "全部收支明细", "decisions": "村务决策事项",
                 "evaluations": "民主评议结果", "notices": "公示目录"}
        rows = []
        for stem in files:
            if stem in names:
                label = names[stem]
            elif stem.startswith("ledger-") and len(stem) == 11:
                label = f"{stem[7:]}年逐月汇总"
            elif stem.startswith("ledger-"):
                label = f"{zh_month(stem[7:])}收支明细"
            else:
                label = "公示名单 " + stem[7:]
            rows.append([label, link("CSV", f"{stem}.csv"), link("JSON", f"{stem}.json")])
        self.write("data/index.md", render("cunwu.site", "data_index.md.j2", rows=rows, allowed=self.allowed))


def document_link(title: str, url: str, allowed: frozenset[str]) -> str:
    """A list item linking a document; only web or site-relative addresses become links."""
    url = url.strip()
    if re.match(r"^(https?://|[^:]+$)", url) and not re.search(r"[\s()<>\"']", url):
        return f"- [{cell(title, allowed)}]({url})"
    return f"- {cell(title, allowed)}（{cell(url, allowed)}）"


ENTRY_COLUMNS = ["月份", "日期", "凭证号", "摘要", "科目", "收支", "对方", "金额", "经手人", "审核人", "审批人"]


def render_village(project: Path, village: Village, as_of: date, out_dir: Path, site_dir: Path) -> Path:
    """Render one village into out_dir (docs/ + mkdocs.yml); returns the config path."""
    site = VillageRenderer(village, as_of, out_dir).render()
    copy_shared_content(project, site.docs, site.nav)
    for attachments in ("files", "images"):   # documents a record links to, e.g. files/会议记录.pdf
        if (village.dir / attachments).is_dir():
            shutil.copytree(village.dir / attachments, site.docs / attachments, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".*"))
    profile = village.profile.record if village.profile else None
    description = f"{profile.township}{profile.name}村务公开：财务、决策、制度、评议、公示" if profile else ""
    return write_site_config(project, out_dir, site, site_dir, as_of, description)
