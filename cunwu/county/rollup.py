"""County rollups: pure computations over every village's records.

`compute(county, as_of)` turns a loaded County into a `Rollup`: the overview,
the disclosure-timeliness matrix (`timeliness`), finances by area, decision
defects (`decisions`), evaluations, the notices open now and the quarter's
inspection sample (`inspection`), plus every table of the portal as rows
(`Rollup.tables`, described by `datasets.DATASETS`). Nothing here reads or
writes files; `portal` renders the pages, `opendata` writes the tables.

Money is Decimal throughout; the only floats are the random keys of the
inspection draw.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..records.load import County, Village, page_id
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, Policy
from ..records.money import CENT, ZERO
from ..site.markup import plain
from .books import contract_lapse_rows, debt_rows, receipt_rows
from .datasets import DATASET, DATASETS, Tables, combine, parse_value, tree_rows
from .decisions import Defect, InProgress, decision_defects
from .facts import (
    county_code,
    county_name,
    decision_date,
    last_posting,
    ordered_townships,
    ordered_villages,
    percent,
    township_of,
)
from .inspection import Inspection, Pick, inspection_sample, sample_size
from .periods import Period, parse_quarter, period_of, quarter
from .timeliness import AREAS, STATUS_ZH, Cell, Tally, timeliness

# Names other modules and the tests have always imported from here.
__all__ = ["AREAS", "DATASET", "DATASETS", "ROLE_GROUPS", "Cell", "Inspection", "OpenNotice", "Rollup", "Tables",
           "VillageSummary", "build_tables", "combine", "compute", "decision_defects", "inspection_sample",
           "parse_quarter", "parse_value", "percent", "period_of", "quarter", "role_group", "sample_size",
           "timeliness"]

# ================================================================ evaluations

ROLE_GROUPS = ("党支部书记", "村委会主任", "委员", "其他")


def role_group(role: str) -> str:
    if "书记" in role:
        return "党支部书记"
    if "主任" in role:
        return "村委会主任"
    if "委员" in role:
        return "委员"
    return "其他"


# ================================================================ the rollup


@dataclass
class VillageSummary:
    village: Village
    township: str
    code: str
    households: int | None
    population: int | None
    income: Decimal
    expense: Decimal
    decisions: int
    decisions_year: int
    open_notices: int
    last_posted: date | None
    latest_month: str | None

    @property
    def slug(self) -> str:
        return self.village.slug

    @property
    def name(self) -> str:
        return self.village.name


@dataclass
class OpenNotice:
    slug: str
    doc_id: str
    title: str
    column: str
    start: date
    end: date
    days_left: int


@dataclass
class Rollup:
    county: County
    name: str
    code: str
    as_of: date
    year: int
    policy: Policy
    townships: list[str]
    villages: list[VillageSummary]
    cells: list[Cell]
    defects: list[Defect]
    in_progress: list[InProgress]
    open_notices: list[OpenNotice]
    quarter: Period
    inspection: dict[Period, list[Pick]]
    tables: Tables = field(default_factory=dict)
    # Every village with its weight and reasons for the current quarter, in draw order.
    candidates: list[Pick] = field(default_factory=list)
    _cells_by_slug: dict | None = field(default=None, repr=False)

    def village(self, slug: str) -> VillageSummary:
        return next(v for v in self.villages if v.slug == slug)

    def tally(self, slugs: Iterable[str], area: str | None = None) -> Tally:
        if self._cells_by_slug is None:
            self._cells_by_slug = defaultdict(list)
            for c in self.cells:
                self._cells_by_slug[c.slug].append(c)
        t = Tally()
        for slug in set(slugs):
            for c in self._cells_by_slug.get(slug, ()):
                if area is None or c.area == area:
                    t.add(c)
        return t

    def in_township(self, township: str) -> list[VillageSummary]:
        return [v for v in self.villages if v.township == township]

    def rows(self, name: str) -> list[list]:
        return self.tables[name]

    def dicts(self, name: str) -> list[dict]:
        cols = DATASET[name].columns
        return [dict(zip(cols, r, strict=True)) for r in self.tables[name]]


def compute(county: County, as_of: date, policy: Policy | None = None) -> Rollup:
    """All rollups of a county at a date."""
    policy = policy or county.policy
    name, year = county_name(county), as_of.year
    villages = ordered_villages(county)
    summaries = []
    for v in villages:
        p = v.profile.record if v.profile else None
        this_year = [d.record for d in v.ledgers if d.record.month.startswith(f"{year}-")]
        published = [d.record.month for d in v.ledgers if d.record.posted <= as_of]
        summaries.append(VillageSummary(
            v, township_of(v), p.code if p else "", p.households if p else None, p.population if p else None,
            sum((m.income for m in this_year), ZERO), sum((m.expense for m in this_year), ZERO),
            len(v.decisions), sum(1 for d in v.decisions if (decision_date(d) or date.min).year == year),
            sum(1 for d in v.notices if d.record.start <= as_of <= d.record.end),
            last_posting(v, as_of), max(published) if published else None))
    defects_by_doc = {(v.slug, d.id): decision_defects(d, policy, v.slug) for v in villages for d in v.decisions}
    defects = [x for v in villages for d in sorted(v.decisions, key=lambda d: d.id)
               for x in defects_by_doc[(v.slug, d.id)]]
    in_progress = []
    for v in villages:
        for d in sorted(v.decisions, key=lambda d: d.id):
            rec = d.record
            if rec.status != "已完成" and rec.step("实施结果公开") is None:
                day = decision_date(d)
                in_progress.append(InProgress(v.slug, d.id, rec.title, rec.status, day,
                                              (as_of - day).days if day else None))
    open_notices = sorted(
        (OpenNotice(v.slug, d.id, d.record.title, d.record.column, d.record.start, d.record.end,
                    (d.record.end - as_of).days)
         for v in villages for d in v.notices if d.record.start <= as_of <= d.record.end),
        key=lambda n: (n.end, n.start, n.slug, n.doc_id))
    current = period_of("quarter", as_of)
    draw = Inspection(county, policy, defects_by_doc)
    inspection = draw.history(current)
    rollup = Rollup(county, name, county_code(county), as_of, year, policy, ordered_townships(county),
                    summaries, timeliness(county, as_of, policy), defects, in_progress, open_notices,
                    current, inspection, candidates=draw.candidates(current))
    rollup.tables = build_tables(rollup, defects_by_doc)
    return rollup


# ================================================================ tables of a county


def build_tables(r: Rollup, defects_by_doc: dict) -> Tables:

    t: Tables = {}
    county = r.name
    info = {s.slug: s for s in r.villages}

    def where(slug: str) -> list:
        s = info[slug]
        return [county, s.township, s.name]

    def groups(measures_of) -> list:
        return [(town, [(s.name, measures_of(s)) for s in r.in_township(town)])
                for town in r.townships if r.in_township(town)]

    def masked(slug: str, text: Any) -> str:
        return plain(text, info[slug].village.public_numbers)

    # -- overview
    t["villages"] = [[*where(s.slug), s.code, s.slug, s.households, s.population, r.year, s.income, s.expense,
                      s.decisions, s.decisions_year, s.open_notices, s.latest_month or "", s.last_posted]
                     for s in r.villages]
    t["area-totals"] = tree_rows(DATASET["area-totals"], ("县", county), [
        (town, [("", {(): [1, s.households, s.population, s.income, s.expense, s.decisions, s.decisions_year,
                           s.open_notices]}) for s in r.in_township(town)])
        for town in r.townships if r.in_township(town)])
    t["area-totals"] = [row for row in t["area-totals"] if row[0] != "村"]   # villages: see `villages`
    # -- timeliness
    t["timeliness"] = [[*where(c.slug), c.area, c.period.label, c.period.start, c.period.end, c.due, c.posted,
                        STATUS_ZH[c.status], c.days_late if c.status in ("late", "unreviewed") else None,
                        "" if c.reviewed is None else "是" if c.reviewed else "否", c.note] for c in r.cells]

    def tl_measures(s: VillageSummary) -> dict:
        out = {}
        for area in AREAS + ("合计",):
            tally = r.tally([s.slug], None if area == "合计" else area)
            if tally.due or area == "合计":
                out[(area,)] = [tally.due, tally.on_time, tally.late, tally.missing, tally.unreviewed]
        return out
    t["timeliness-totals"] = tree_rows(DATASET["timeliness-totals"], ("县", county), groups(tl_measures))
    # -- finances
    months = sorted({d.record.month for s in r.villages for d in s.village.ledgers})

    def monthly(s: VillageSummary) -> dict:
        by = {d.record.month: d.record for d in s.village.ledgers}
        return {(m,): [by[m].income, by[m].expense] for m in months if m in by}
    t["finance-monthly"] = tree_rows(DATASET["finance-monthly"], ("县", county), groups(monthly))

    def categories(s: VillageSummary) -> dict:
        acc: dict = {}
        years = sorted({int(d.record.month[:4]) for d in s.village.ledgers})
        for y in years:
            for c in INCOME_CATEGORIES + EXPENSE_CATEGORIES:
                acc[(y, "收入" if c in INCOME_CATEGORIES else "支出", c)] = [ZERO]
        for d in s.village.ledgers:
            for e in d.record.entries:
                acc[(int(d.record.month[:4]), "收入" if e.is_income else "支出", e.category)][0] += e.amount
        return acc
    t["finance-categories"] = tree_rows(DATASET["finance-categories"], ("县", county), groups(categories))
    expenses = [(e.amount, e.date, s.slug, e) for s in r.villages for d in s.village.ledgers
                for e in d.record.entries if not e.is_income and e.date.year == r.year]
    expenses.sort(key=lambda x: (-x[0], x[1], x[2], x[3].voucher))
    t["top-expenses"] = [[i, *where(slug), e.date, masked(slug, e.voucher), masked(slug, e.summary), e.category,
                          e.amount] for i, (_, _, slug, e) in enumerate(expenses[:20], 1)]
    t["subsidy-income"] = [[*where(s.slug), e.date, masked(s.slug, e.voucher), masked(s.slug, e.summary),
                            masked(s.slug, e.counterparty), e.amount]
                           for s in r.villages for d in s.village.ledgers for e in d.record.entries
                           if e.category == "补助收入"]
    relief = []
    for s in r.villages:
        for d in sorted(s.village.notices, key=lambda d: (d.record.start, d.id)):
            n = d.record
            if n.column != "政务" or n.table is None:
                continue
            col, total = money_column(n.table.columns, n.table.rows)
            relief.append([*where(s.slug), masked(s.slug, n.title), n.start, n.end, len(n.table.rows), col or "",
                           total, f"{s.slug}/notices/{page_id(d.id)}.html"])
    t["relief-notices"] = relief
    # -- decisions
    rows = []
    for s in r.villages:
        for decision in sorted(s.village.decisions, key=lambda doc: doc.id):
            rec = decision.record
            rows.append([*where(s.slug), decision.id, masked(s.slug, rec.title), rec.category, rec.amount, rec.status,
                         rec.resolution.date if rec.resolution else None, rec.posted,
                         len(defects_by_doc.get((s.slug, decision.id), [])),
                         f"{s.slug}/decisions/{page_id(decision.id)}.html"])
    t["decisions"] = rows

    def decision_measures(s: VillageSummary) -> dict:
        acc: dict = {}
        for d in s.village.decisions:
            slot = acc.setdefault((d.record.category,), [0, ZERO, 0])
            slot[0] += 1
            slot[1] += d.record.amount
            slot[2] += 1 if defects_by_doc.get((s.slug, d.id)) else 0
        return dict(sorted(acc.items()))
    t["decision-categories"] = tree_rows(DATASET["decision-categories"], ("县", county), groups(decision_measures))
    t["decision-defects"] = [[*where(x.slug), x.doc_id, masked(x.slug, x.title), x.category, x.severity_zh, x.rule,
                              masked(x.slug, x.reason)] for x in r.defects]
    t["decisions-in-progress"] = [[*where(x.slug), x.doc_id, masked(x.slug, x.title), x.status, x.resolved, x.days]
                                  for x in r.in_progress]
    # -- evaluations
    ev_rows, incompetent = [], []
    for s in r.villages:
        verdicts = {(ev.record.year, c.name): c.verdict for ev in s.village.evaluations for c in ev.record.cadres}
        for ev in s.village.evaluations:
            e = ev.record
            for c in e.cadres:
                rate = percent(c.votes.satisfied + c.votes.basic, c.participants)
                ev_rows.append([*where(s.slug), e.year, c.name, c.role, role_group(c.role), c.participants,
                                c.votes.satisfied, c.votes.basic, c.votes.unsatisfied, rate, c.verdict])
                if c.verdict == "不称职":
                    twice = verdicts.get((e.year - 1, c.name)) == "不称职"
                    incompetent.append([*where(s.slug), e.year, c.name, c.role, rate, "是" if twice else "否"])
    t["evaluations"] = ev_rows
    t["incompetent"] = incompetent

    def evaluation_measures(s: VillageSummary) -> dict:
        acc: dict = {}
        for d in s.village.evaluations:
            for c in d.record.cadres:
                for group in (role_group(c.role), "全部"):
                    slot = acc.setdefault((d.record.year, group), [0, 0, 0])
                    slot[0] += c.participants
                    slot[1] += c.votes.satisfied + c.votes.basic
                    slot[2] += c.votes.unsatisfied
        order = {g: i for i, g in enumerate(("全部",) + ROLE_GROUPS)}
        return dict(sorted(acc.items(), key=lambda kv: (-kv[0][0], order[kv[0][1]])))
    t["evaluation-totals"] = tree_rows(DATASET["evaluation-totals"], ("县", county), groups(evaluation_measures))
    # -- notices open now
    notice_pages = {(s.slug, d.id): page_id(d.id) for s in r.villages for d in s.village.notices}
    t["open-notices"] = [[*where(n.slug), masked(n.slug, n.title), n.column, n.start, n.end, n.days_left,
                          f"{n.slug}/notices/{notice_pages[(n.slug, n.doc_id)]}.html"] for n in r.open_notices]
    # -- 财务公开 beyond the cash journal: debts, contract lapses, missing vouchers
    villages = [s.village for s in r.villages]
    t["village-debts"] = debt_rows(villages, where)
    t["contract-lapses"] = contract_lapse_rows(villages, r.policy, where, masked)
    t["receipts-missing"] = receipt_rows(villages, r.policy, where)
    # -- inspection, every quarter from the first record quarter
    t["inspection"] = [[county, q.label, info[p.slug].township, info[p.slug].name, info[p.slug].code, p.weight,
                        p.defects, p.lapses, "；".join(p.reasons)]
                       for q, picks in sorted(r.inspection.items(), reverse=True) for p in picks]
    return t


_MONEY_HEADER = re.compile(r"元|金额|资金|补助|补贴|保障金|救助|发放")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def money_column(columns: list[str], rows: list[list]) -> tuple[str | None, Decimal | None]:
    """The first column of a list that reads as money (its header names money and
    every filled cell is a number), and its total; (None, None) when there is none."""
    for i, header in enumerate(columns):
        if not _MONEY_HEADER.search(header):
            continue
        values = [str(row[i]).strip().replace(",", "") for row in rows
                  if i < len(row) and row[i] is not None and str(row[i]).strip()]
        if values and all(_NUMBER.fullmatch(v) for v in values):
            return header, sum((Decimal(v) for v in values), ZERO).quantize(CENT)
    return None, None
