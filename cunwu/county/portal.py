"""The county portal: the site at the root of `site/`, over every village site.

Pages (the nav holds exactly these sections):
总览 index · 公开及时性 timeliness · 财务汇总 finance · 决策事项 decisions ·
民主评议 evaluations · 正在公示 notices · 本季抽查 inspection · 公开数据 data/index.

The figures come from `rollup` (pure computations). This module picks what each
page shows and fills its template in `templates/`; the templates escape every
value they print, so nothing here writes Markdown or HTML by hand. Values that
belong to one village are escaped with that village's public numbers (`c`,
`vcell`), because one page mixes every village. Open data is `opendata`, the
portal's CSS is `theme/assets/cunwu-portal.css`.

Links into the village sites (`<slug>/index.html` …) are outside MkDocs'
knowledge, so they are raw HTML anchors made relative to the page's depth.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from ..records.check import PORTAL_NAMES
from ..records.load import County, Doc, Village, page_id
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES, SIX_STEPS
from ..records.money import ZERO, amount_text
from ..site import charts
from ..site.config import Site, copy_guide, write_site_config
from ..site.markup import cell, html_text, phone_tables, plain
from ..site.search import write_search_sites
from ..site.templating import render
from .books import portal_books
from .compose import RollupError, rollup_published
from .datasets import DATASETS
from .inspection import BASE_WEIGHT, RECENCY, WEIGHT_FACTORS, sample_size
from .opendata import write_open_data
from .paper import render_county_paper
from .rollup import ROLE_GROUPS, Rollup, VillageSummary, compute
from .timeliness import AREAS, Cell

# `cunwu rollup` and the tests have always found these here.
__all__ = ["PAGES", "PORTAL_CSS", "PortalRenderer", "RollupError", "render_portal", "rollup_published",
           "write_open_data"]

# (nav title, page file): the portal's sections, in nav order.
PAGES = (("总览", "index.md"), ("公开及时性", "timeliness.md"), ("财务汇总", "finance.md"),
         ("决策事项", "decisions.md"), ("民主评议", "evaluations.md"), ("正在公示", "notices.md"),
         ("本季抽查", "inspection.md"), ("公开数据", "data/index.md"))
# Served from theme/assets (the theme is every site's custom_dir); only the portal loads it.
PORTAL_CSS = "assets/cunwu-portal.css"

assert {Path(p).parts[0].removesuffix(".md") for _, p in PAGES} <= PORTAL_NAMES

Row = dict[str, Any]


def rel_prefix(page: str) -> str:
    """'../' once per folder between a page and the portal root."""
    return "../" * (len(Path(page).parts) - 1)


def decimal_text(value: Fraction) -> str:
    """2, 0.5: a weight factor as the inspection page writes it."""
    return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")


def head_last(rows: list[Row]) -> list[Row]:
    """Tree tables list the whole area first; pages show it last, as the total."""
    return rows[1:] + rows[:1]


class PortalRenderer:
    def __init__(self, rollup: Rollup, docs: Path) -> None:
        self.r, self.docs = rollup, docs
        self.allowed = {s.slug: s.village.public_numbers for s in rollup.villages}
        self.info = {s.slug: s for s in rollup.villages}
        self.by_name: dict[tuple[str, str], str] = {}
        for s in rollup.villages:
            self.by_name.setdefault((s.township, s.name), s.slug)

    # ------------------------------------------------------------ what templates call
    def c(self, slug: str, value: Any) -> Markup:
        """A value of one village, escaped and masked with that village's public numbers."""
        return cell(value, self.allowed.get(slug, frozenset()))

    def name(self, slug: str) -> Markup:
        return self.c(slug, self.info[slug].name)

    def slug_of(self, row: Row) -> str | None:
        """The village a table row names by township and village name."""
        return self.by_name.get((row["乡镇"], row["村"]))

    def vcell(self, row: Row, column: str) -> Markup:
        """A column of a table row, escaped as a value of the row's village."""
        return self.c(self.slug_of(row) or "", row[column])

    def tip(self, c: Cell) -> Markup:
        """The hover text of a timeliness cell (an HTML attribute): deadline, posting, note."""
        title = f"截止 {c.due}" + (f"，公布 {c.posted}" if c.posted else "") + (f"；{c.note}" if c.note else "")
        return html_text(title, self.allowed.get(c.slug, frozenset()))

    def write(self, page: str, template: str, **values: Any) -> None:
        """Fill `template` for `page`. County-level text is masked with no public numbers."""
        text = render("cunwu.county", template, allowed=frozenset(), prefix=rel_prefix(page), page_id=page_id,
                      c=self.c, name=self.name, slug_of=self.slug_of, vcell=self.vcell, tip=self.tip, **values)
        path = self.docs / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(phone_tables(text), encoding="utf-8")

    def groups(self, records_of: Callable[[Village], list[Doc[Any]]]) -> list[tuple[VillageSummary, list[Doc[Any]]]]:
        """(village, its records) for every village that has any, in portal order."""
        return [(s, docs) for s in self.r.villages if (docs := records_of(s.village))]

    # ------------------------------------------------------------ all pages
    def render(self) -> list[dict[str, str]]:
        self.docs.mkdir(parents=True, exist_ok=True)
        self.overview()
        self.search()
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
        r = self.r
        towns = []
        for town in r.townships:
            villages = r.in_township(town)
            if villages:
                towns.append({"name": town, "villages": villages,
                              "population": sum(s.population or 0 for s in villages),
                              "income": sum((s.income for s in villages), ZERO),
                              "expense": sum((s.expense for s in villages), ZERO),
                              "decisions": sum(s.decisions for s in villages),
                              "open_notices": sum(s.open_notices for s in villages)})
        everyone = r.tally(s.slug for s in r.villages)
        defective_by: dict[str, set[str]] = defaultdict(set)
        for d in r.defects:
            defective_by[d.slug].add(d.doc_id)
        ranking = []
        for s in r.villages:
            t = r.tally([s.slug])
            counts = {"迟报": t.late, "缺报": t.missing, "未审": t.unreviewed, "程序问题": len(defective_by[s.slug])}
            if sum(counts.values()):
                ranking.append((s.slug, counts, sum(counts.values())))
        ranking.sort(key=lambda x: (-x[2], x[0]))
        problems = {"late": everyone.late, "missing": everyone.missing, "unreviewed": everyone.unreviewed,
                    "defective": len({(d.slug, d.doc_id) for d in r.defects})}
        self.write("index.md", "overview.md.j2", problems=problems, ranking=ranking,
                   township_of={s.slug: s.township for s in r.villages}, county=r.name, year=r.year, as_of=r.as_of, quarter=r.quarter,
                   townships=len(towns), villages=r.villages,
                   population=sum(s.population or 0 for s in r.villages),
                   income=sum((s.income for s in r.villages), ZERO),
                   expense=sum((s.expense for s in r.villages), ZERO),
                   decisions=sum(s.decisions for s in r.villages),
                   decisions_year=sum(s.decisions_year for s in r.villages),
                   open_notices=sum(s.open_notices for s in r.villages),
                   tally=r.tally(s.slug for s in r.villages), picks=r.inspection.get(r.quarter, []),
                   towns=towns, areas=head_last(r.dicts("area-totals")))

    # ------------------------------------------------------------ 公开及时性
    def timeliness(self) -> None:
        r = self.r
        totals = [x for x in r.dicts("timeliness-totals") if x["层级"] != "村" and x["类别"] == "合计"]
        village_rates = [(s.slug, [r.tally([s.slug], a) for a in AREAS], r.tally([s.slug])) for s in r.villages]
        years = sorted({c.period.start.year for c in r.cells} | {c.period.end.year for c in r.cells}, reverse=True)
        self.write("timeliness.md", "timeliness.md.j2", days=r.policy.on_time_days, as_of=r.as_of,
                   totals=head_last(totals), village_rates=village_rates,
                   years=[{"year": year, "towns": self.year_matrices(year)} for year in years])

    def year_matrices(self, year: int) -> list[tuple[str, list[tuple[str, list[Any], list[Any]]]]]:
        """Per township, per village: twelve finance cells and five ordinary/evaluation
        cells of one year. A village that discloses finances by quarter shows its
        result in the quarter's last month and "季" in the other two."""
        r = self.r
        by_key = {(c.slug, c.area, c.period.label): c for c in r.cells}
        towns = []
        for town in r.townships:
            villages = r.in_township(town)
            if not villages:
                continue
            rows = []
            for s in villages:
                quarterly = s.village.profile is not None and s.village.profile.record.cadence.finance == "按季"
                months: list[Cell | str | None] = []
                for mon in range(1, 13):
                    if quarterly:
                        q = by_key.get((s.slug, "财务", f"{year}Q{(mon - 1) // 3 + 1}"))
                        months.append(q if mon % 3 == 0 else "季" if q else None)
                    else:
                        months.append(by_key.get((s.slug, "财务", f"{year}-{mon:02d}")))
                quarters = ([by_key.get((s.slug, "村务", f"{year}Q{q}")) for q in range(1, 5)]
                            + [by_key.get((s.slug, "评议", str(year)))])
                rows.append((s.slug, months, quarters))
            towns.append((town, rows))
        return towns

    # ------------------------------------------------------------ 财务汇总
    def finance(self) -> None:
        r, year = self.r, str(self.r.year)
        monthly = r.dicts("finance-monthly")
        by_year: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for row in monthly:
            if row["层级"] == "县":
                by_year[row["月份"][:4]][0] += row["收入"]
                by_year[row["月份"][:4]][1] += row["支出"]
        # Charts are SVG files beside the pages, drawn by cunwu.site.charts.
        (self.docs / "charts").mkdir(parents=True, exist_ok=True)
        scopes = [("县", r.name, "全县")] + [("乡镇", t, t) for t in r.townships if r.in_township(t)]
        areas = []
        for n, (level, name, label) in enumerate(scopes):
            rows = [row for row in monthly if row["层级"] == level and row["名称"] == name
                    and row["月份"].startswith(year + "-")]
            svg = f"finance-{n}-{year}.svg"
            (self.docs / "charts" / svg).write_text(charts.grouped_bars(
                f"{label}{year}年逐月收支（元）", [f"{int(x['月份'][5:])}月" for x in rows],
                [("收入", charts.INCOME_COLOR, [x["收入"] for x in rows]),
                 ("支出", charts.EXPENSE_COLOR, [x["支出"] for x in rows])]), encoding="utf-8")
            areas.append({"label": label, "svg": svg, "rows": rows})
        # categories: county and townships side by side
        amount = {(row["名称"], row["层级"], row["收支"], row["科目"]): row["金额"]
                  for row in r.dicts("finance-categories") if row["年度"] == r.year}
        categories = [[direction, c, *(amount_text(amount.get((name, level, direction, c), ZERO))
                                       for level, name, _ in scopes)]
                      for direction, names in (("收入", INCOME_CATEGORIES), ("支出", EXPENSE_CATEGORIES))
                      for c in names]
        spend = sorted(((c, amount.get((r.name, "县", "支出", c), ZERO)) for c in EXPENSE_CATEGORIES),
                       key=lambda t: -t[1])
        (self.docs / "charts" / f"expense-{year}.svg").write_text(
            charts.horizontal_bars(f"全县{year}年支出构成（元）", [x for x in spend if x[1]]), encoding="utf-8")
        # subsidies: per village, township subtotals
        subsidy = [x for x in r.dicts("subsidy-income") if x["日期"].year == r.year]
        per_village: dict[tuple[str, str], list[Any]] = {}
        for x in subsidy:
            slot = per_village.setdefault((x["乡镇"], x["村"]), [x, 0, ZERO])
            slot[1] += 1
            slot[2] += x["金额"]
        subsidy_towns = []
        for town in r.townships:
            mine = [v for (t, _), v in per_village.items() if t == town]
            if mine:
                subsidy_towns.append({"name": town, "villages": mine, "count": sum(v[1] for v in mine),
                                      "total": sum((v[2] for v in mine), ZERO)})
        relief = [x for x in r.dicts("relief-notices") if x["开始日期"].year == r.year]
        self.write("finance.md", "finance.md.j2", year=year, areas=areas,
                   years=[(y, i, e) for y, (i, e) in sorted(by_year.items(), reverse=True)],
                   category_head=["收支", "科目", *(label for _, _, label in scopes)], categories=categories,
                   top=r.dicts("top-expenses"), subsidy=subsidy_towns, subsidy_count=len(subsidy),
                   subsidy_total=sum((x["金额"] for x in subsidy), ZERO), relief=list(reversed(relief)),
                   books=portal_books(r.dicts, r.year))

    # ------------------------------------------------------------ 决策事项
    def decisions(self) -> None:
        r = self.r
        county = [x for x in r.dicts("decision-categories") if x["层级"] == "县"]
        in_progress: dict[str, int] = defaultdict(int)
        for p in r.in_progress:
            in_progress[p.slug] += 1
        defects_by: dict[str, set[str]] = defaultdict(set)
        for d in r.defects:
            defects_by[d.slug].add(d.doc_id)
        villages = [{"slug": s.slug, "count": len(s.village.decisions),
                     "amount": sum((d.record.amount for d in s.village.decisions), ZERO),
                     "defective": len(defects_by[s.slug]), "in_progress": in_progress[s.slug]} for s in r.villages]
        self.write("decisions.md", "decisions.md.j2", categories=county, six_steps=SIX_STEPS,
                   totals={"count": sum(x["事项数"] for x in county), "amount": sum((x["金额"] for x in county), ZERO),
                           "defective": sum(x["程序问题事项"] for x in county)},
                   villages=villages, defects=r.defects, defective=len({(d.slug, d.doc_id) for d in r.defects}),
                   in_progress=sorted(r.in_progress, key=lambda p: -(p.days or 0)),
                   groups=self.groups(lambda v: sorted(v.decisions, key=lambda d: d.id, reverse=True)))

    # ------------------------------------------------------------ 民主评议
    def evaluations(self) -> None:
        r = self.r
        totals = r.dicts("evaluation-totals")
        by_village: dict[tuple[str, str, int], dict[str, Row]] = defaultdict(dict)
        for x in totals:
            if x["层级"] == "村":
                by_village[(x["上级"], x["名称"], x["年度"])][x["职务类别"]] = x
        years = []
        for year in sorted({x["年度"] for x in totals}, reverse=True):
            this = [x for x in totals if x["年度"] == year]
            years.append({
                "year": year,
                "villages": [(s.slug, by_village.get((s.township, s.name, year), {})) for s in r.villages],
                "roles": [x for x in this if x["层级"] == "县" and x["职务类别"] != "全部"],
                "areas": head_last([x for x in this if x["职务类别"] == "全部" and x["层级"] != "村"])})
        incompetent = r.dicts("incompetent")
        self.write("evaluations.md", "evaluations.md.j2", years=years, role_groups=ROLE_GROUPS,
                   incompetent=incompetent, twice=[x for x in incompetent if x["连续两年不称职"] == "是"])

    # ------------------------------------------------------------ 正在公示
    def notices(self) -> None:
        r = self.r
        self.write("notices.md", "notices.md.j2", as_of=r.as_of, open_notices=r.open_notices,
                   groups=self.groups(lambda v: sorted(v.notices, key=lambda d: (d.record.start, d.id),
                                                       reverse=True)))

    # ------------------------------------------------------------ 本季抽查
    def inspection(self) -> None:
        r = self.r
        share = r.policy.inspection_share
        share_pct = f"{Decimal(share.numerator) * 100 / Decimal(share.denominator):.1f}".removesuffix(".0")
        exact = Decimal(share.numerator) * len(r.villages) / Decimal(share.denominator)
        self.write("inspection.md", "inspection.md.j2", quarter=r.quarter, code=r.code, share_pct=share_pct,
                   villages=len(r.villages), exact=f"{exact:.2f}", size=sample_size(len(r.villages), share),
                   picks=r.inspection.get(r.quarter, []), township={s.slug: s.township for s in r.villages},
                   base=decimal_text(BASE_WEIGHT),
                   factors=[{"factor": decimal_text(f.factor), "counts": f.counts, "cap": f.cap, "unit": f.unit}
                            for f in WEIGHT_FACTORS],
                   recency=RECENCY,
                   history=[(q, ps) for q, ps in sorted(r.inspection.items(), reverse=True) if q != r.quarter],
                   candidates=self.candidates())

    def candidates(self) -> list[dict[str, Any]]:
        """Every village this quarter: its weight, the reasons for it, when it was
        last inspected, and whether it was drawn; drawn first, then by weight."""
        r = self.r
        drawn = {p.slug for p in r.inspection.get(r.quarter, [])}
        last: dict[str, Any] = {}
        for q, picks in sorted(r.inspection.items()):
            if q < r.quarter:
                for p in picks:
                    last[p.slug] = q
        rows = [{"slug": p.slug, "weight": p.weight, "reasons": p.reasons, "last": last.get(p.slug),
                 "drawn": p.slug in drawn} for p in r.candidates]
        return sorted(rows, key=lambda x: (not x["drawn"], -x["weight"], x["slug"]))

    # ------------------------------------------------------------ 公开数据
    def search(self) -> None:
        """全县搜索: the search box over every village's own index (merged in the
        browser) and, where search cannot run, each village's list of records."""
        townships: dict[str, list[VillageSummary]] = {}
        for s in self.r.villages:
            townships.setdefault(s.township, []).append(s)
        self.write("search.md", "search.md.j2", townships=list(townships.items()))
        write_search_sites(self.docs, [(s.slug, plain(s.name, self.allowed.get(s.slug, frozenset())),
                                        plain(s.township, frozenset())) for s in self.r.villages])

    def data_index(self) -> None:
        self.write("data/index.md", "data.md.j2", datasets=DATASETS)


# ================================================================ the portal site


def render_portal(project: Path, county: County, as_of: date, out_dir: Path, site_dir: Path) -> Path:
    """Render the portal into out_dir (docs/ + mkdocs.yml); returns the config path."""
    docs = out_dir / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    rollup = compute(county, as_of)
    nav = PortalRenderer(rollup, docs).render()
    copy_guide(project, docs)
    write_open_data(docs, rollup.tables, rollup.name, rollup.code, "县", as_of)
    render_county_paper(docs, county, as_of)   # the county feed; changes after posting on the overview
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
