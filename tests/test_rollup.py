"""County rollups (cunwu.rollup) on small real county trees written here:
totals against sums computed independently from the YAML, the timeliness
matrix, decision defects, the inspection sample, composition to a city, and
the county.reserved-name check."""

from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from cunwu.county.rollup import (
    DATASET,
    DATASETS,
    Inspection,
    combine,
    compute,
    decision_defects,
    inspection_sample,
    parse_quarter,
    percent,
    period_of,
    quarter,
    sample_size,
    timeliness,
)
from cunwu.records.check import check_path
from cunwu.records.diagnostics import Report
from cunwu.records.load import load_county
from cunwu.records.models import Policy

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
AS_OF = date(2024, 6, 20)


# ---------------------------------------------------------------- fixture trees

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_village(villages: Path, slug: str, name: str, code: str, township: str = "青山镇") -> Path:
    """A copy of the fixture village qingshi under another name, code and township."""
    folder = villages / slug
    shutil.copytree(GOOD / "qingshi", folder)
    profile = folder / "village.yml"
    _edit(profile, "name: 青石村", f"name: {name}")
    _edit(profile, '"430124105201"', f'"{code}"')
    _edit(profile, "township: 青山镇", f"township: {township}")
    return folder


def make_county(tmp: Path, extra: int = 0) -> Path:
    """A county of four villages that pass `cunwu check` (warnings only), each with
    something for the rollups to find, plus `extra` plain copies:

    - qingshi 青石村 (青山镇): the fixture as it is: every month on time.
    - dongpo 东坡村 (青山镇): January posted 10 days late, February missing.
    - nanxi 南溪村 (石门乡): declares 按季 finance disclosure.
    - beishan 北山村 (石门乡): March posted without a review; a decision (not
      Art. 24) that skipped the party members' meeting; a 2024 evaluation chaired
      by someone outside the supervision committee.
    """
    villages = tmp / "villages"
    villages.mkdir(parents=True)
    shutil.copy(GOOD / "county.yml", villages / "county.yml")
    shutil.copytree(GOOD / "qingshi", villages / "qingshi")
    dongpo = add_village(villages, "dongpo", "东坡村", "430124105202")
    _edit(dongpo / "ledgers" / "2024-01.yml", "posted: 2024-02-05", "posted: 2024-02-20")
    (dongpo / "ledgers" / "2024-02.yml").unlink()
    nanxi = add_village(villages, "nanxi", "南溪村", "430124105203", "石门乡")
    _edit(nanxi / "village.yml", "finance: 按月", "finance: 按季")
    beishan = add_village(villages, "beishan", "北山村", "430124105204", "石门乡")
    _edit(beishan / "ledgers" / "2024-03.yml", "review:\n  by: [赵秀英]\n  date: 2024-04-02\n", "")
    _edit(beishan / "decisions" / "2024-05-修订村规民约.md",
          "  - step: 党员大会审议\n    date: 2024-05-12\n    meeting: {members: 46, present: 40, for: 40}\n", "")
    _edit(beishan / "evaluations" / "2024.yml", "chaired_by: 赵秀英", "chaired_by: 王建国")
    for i in range(extra):
        add_village(villages, f"extra{i:02d}", f"第{i}村", f"4301241060{i:02d}",
                    "青山镇" if i % 2 else "石门乡")
    return villages


@pytest.fixture(scope="module")
def county_dir(tmp_path_factory) -> Path:
    return make_county(tmp_path_factory.mktemp("rollup"))


@pytest.fixture(scope="module")
def county(county_dir):
    county, report = check_path(county_dir)
    assert not report.errors, [d.format() for d in report.errors]
    return county


@pytest.fixture(scope="module")
def rollup(county):
    return compute(county, AS_OF)


# ---------------------------------------------------------------- independent sums


def yaml_sums(villages: Path) -> dict:
    """Income/expense per (area, month) and per (area, year, category), computed
    straight from the YAML files: area is a village slug, a township or 'county'."""
    monthly = defaultdict(lambda: [Decimal("0"), Decimal("0")])
    by_category = defaultdict(Decimal)
    incomes = {"经营收入", "承包收入", "补助收入", "投资收益", "其他收入"}
    for folder in sorted(p for p in villages.iterdir() if p.is_dir()):
        profile = yaml.safe_load((folder / "village.yml").read_text(encoding="utf-8"))
        for path in sorted((folder / "ledgers").glob("*.yml")):
            ledger = yaml.safe_load(path.read_text(encoding="utf-8"))
            month = str(ledger["month"])
            for entry in ledger.get("entries") or []:
                amount = Decimal(str(entry["amount"]))
                side = 0 if entry["category"] in incomes else 1
                for area in (folder.name, profile["township"], "county"):
                    monthly[(area, month)][side] += amount
                    by_category[(area, month[:4], entry["category"])] += amount
    return {"monthly": monthly, "category": by_category}


def test_county_and_township_totals_equal_the_sums_of_the_village_records(county_dir, rollup):
    sums = yaml_sums(county_dir)
    names = {"县": "county"}
    checked = 0
    for row in rollup.dicts("finance-monthly"):
        area = "county" if row["层级"] == "县" else row["名称"]
        if row["层级"] == "村":
            area = next(s.slug for s in rollup.villages if s.name == row["名称"])
        income, expense = sums["monthly"][(area, row["月份"])]
        assert (row["收入"], row["支出"]) == (income, expense), row
        checked += 1
    # every (area, month) with entries appears
    assert checked == len({k for k in sums["monthly"]})
    for row in rollup.dicts("finance-categories"):
        if row["层级"] == "村":
            continue
        area = names.get(row["层级"], row["名称"])
        assert row["金额"] == sums["category"].get((area, str(row["年度"]), row["科目"]), Decimal("0")), row
    totals = {(r["层级"], r["名称"]): r for r in rollup.dicts("area-totals")}
    year = str(AS_OF.year)
    for area, key in (("county", ("县", "青山县")), ("青山镇", ("乡镇", "青山镇")), ("石门乡", ("乡镇", "石门乡"))):
        income = sum((v[0] for (a, m), v in sums["monthly"].items() if a == area and m.startswith(year)), Decimal(0))
        expense = sum((v[1] for (a, m), v in sums["monthly"].items() if a == area and m.startswith(year)), Decimal(0))
        assert (totals[key]["本年收入"], totals[key]["本年支出"]) == (income, expense)
    # populations and village counts
    pops = defaultdict(int)
    for folder in (p for p in county_dir.iterdir() if p.is_dir()):
        profile = yaml.safe_load((folder / "village.yml").read_text(encoding="utf-8"))
        pops[profile["township"]] += profile["population"]
    assert totals[("县", "青山县")]["人口"] == sum(pops.values())
    assert totals[("乡镇", "石门乡")]["人口"] == pops["石门乡"]
    assert totals[("乡镇", "青山镇")]["村数"] == 2


def test_top_expenses_are_the_largest_entries_of_the_year(county_dir, rollup):
    amounts = []
    for path in county_dir.glob("*/ledgers/*.yml"):
        for e in yaml.safe_load(path.read_text(encoding="utf-8")).get("entries") or []:
            if e["category"] in ("经营支出", "管理费用", "公益支出", "其他支出") and str(e["date"]).startswith("2024"):
                amounts.append(Decimal(str(e["amount"])))
    top = rollup.dicts("top-expenses")
    assert [x["金额"] for x in top] == sorted(amounts, reverse=True)[:20]
    assert [x["排名"] for x in top] == list(range(1, len(top) + 1))


def test_relief_notice_list_is_counted_and_its_money_column_summed(rollup):
    relief = [x for x in rollup.dicts("relief-notices") if x["村"] == "青石村"]
    assert len(relief) == 1
    assert relief[0]["名单行数"] == 2 and relief[0]["金额列"] == "月保障金（元）"
    assert relief[0]["金额合计"] == Decimal("1180.00")
    assert relief[0]["网页"].startswith("qingshi/notices/2024-04-") and relief[0]["网页"].endswith(".html")


# ---------------------------------------------------------------- timeliness


def cells_of(cells, slug, area):
    return {c.period.label: c for c in cells if c.slug == slug and c.area == area}


def test_timeliness_marks_late_missing_unreviewed_and_on_time(rollup):
    dongpo = cells_of(rollup.cells, "dongpo", "财务")
    assert dongpo["2024-01"].status == "late" and dongpo["2024-01"].days_late == 10
    assert dongpo["2024-01"].symbol == "迟10天"
    assert dongpo["2024-02"].status == "missing" and dongpo["2024-02"].symbol == "✗缺"
    assert dongpo["2024-03"].status == "on_time" and dongpo["2024-03"].symbol == "✓"
    # April and May have ended and their deadlines (May 10, June 10) passed: missing;
    # June has not ended on 2024-06-20, so it is not in the matrix at all.
    assert dongpo["2024-04"].status == dongpo["2024-05"].status == "missing"
    assert "2024-06" not in dongpo
    beishan = cells_of(rollup.cells, "beishan", "财务")
    assert beishan["2024-03"].status == "unreviewed" and beishan["2024-03"].symbol == "未审"
    qingshi = cells_of(rollup.cells, "qingshi", "财务")
    assert [qingshi[m].status for m in ("2024-01", "2024-02", "2024-03")] == ["on_time"] * 3


def test_periods_not_yet_due_are_not_missing(county):
    # 2024-02-08: January is over but its deadline (Feb 10) has not passed. dongpo
    # posts on Feb 20, which is after this as_of, so January is pending, not missing.
    cells = timeliness(county, date(2024, 2, 8))
    jan = cells_of(cells, "dongpo", "财务")["2024-01"]
    assert jan.status == "pending" and jan.symbol == "·" and not jan.is_due
    assert cells_of(cells, "qingshi", "财务")["2024-01"].status == "on_time"    # posted Feb 5
    # on Feb 11 the deadline has passed and nothing was posted yet
    assert cells_of(timeliness(county, date(2024, 2, 11)), "dongpo", "财务")["2024-01"].status == "missing"


def test_quarterly_cadence_and_on_time_days_from_policy(county):
    cells = cells_of(timeliness(county, AS_OF), "nanxi", "财务")
    assert set(cells) == {"2024Q1"}          # Q2 has not ended on 2024-06-20
    q1 = cells["2024Q1"]
    assert q1.status == "on_time" and q1.posted == date(2024, 4, 3) and q1.due == date(2024, 4, 10)
    # a stricter policy: 3 days → March (posted Apr 3) is on the edge, January (Feb 5) late
    strict = timeliness(county, AS_OF, Policy(on_time_days=3))
    qingshi = cells_of(strict, "qingshi", "财务")
    assert qingshi["2024-03"].status == "on_time"
    assert qingshi["2024-01"].status == "late" and qingshi["2024-01"].days_late == 2


def test_ordinary_items_and_evaluations(rollup):
    ordinary = cells_of(rollup.cells, "qingshi", "村务")
    assert ordinary["2024Q1"].status == "on_time"            # 修建村道 resolved 03-15, posted 03-16
    evaluation = cells_of(rollup.cells, "beishan", "评议")
    assert evaluation["2023"].status == "late" and evaluation["2023"].days_late == 2   # posted 2024-01-12
    assert "2024" not in evaluation                          # not over yet
    later = compute(rollup.county, date(2025, 2, 1))
    assert cells_of(later.cells, "beishan", "评议")["2024"].status == "unreviewed"   # chaired by 王建国
    assert cells_of(later.cells, "qingshi", "评议")["2024"].symbol == "迟5天"


def test_timeliness_totals_per_township_and_county(rollup):
    rows = {(r["层级"], r["名称"], r["类别"]): r for r in rollup.dicts("timeliness-totals")}
    due = [c for c in rollup.cells if c.is_due]
    county = rows[("县", "青山县", "合计")]
    assert county["应公开"] == len(due)
    assert county["按时"] == sum(c.status == "on_time" for c in due)
    assert county["迟报"] == sum(c.status == "late" for c in due)
    assert county["缺报"] == sum(c.status == "missing" for c in due)
    assert county["未审"] == sum(c.status == "unreviewed" for c in due)
    assert county["按时率"] == percent(county["按时"], county["应公开"])
    town = [c for c in due if c.slug in ("nanxi", "beishan") and c.area == "财务"]
    assert rows[("乡镇", "石门乡", "财务")]["应公开"] == len(town)
    assert rows[("乡镇", "石门乡", "财务")]["未审"] == 1


# ---------------------------------------------------------------- decisions


def write_decision(folder: Path, name: str, front: str) -> None:
    (folder / "decisions").mkdir(parents=True, exist_ok=True)
    (folder / "decisions" / name).write_text(f"---\n{front}---\n正文。\n", encoding="utf-8")


BAD_DECISIONS = {
    # Art. 24 category without the party members' meeting and the posting: error
    "2024-03-缺步骤.md": """title: 出租村集体仓库
category: 集体财产处置
amount: 5000.00
status: 已完成
steps:
  - {step: 党支部提议, date: 2024-03-01}
  - {step: 两委会商议, date: 2024-03-02}
  - step: 村民代表会议决议
    date: 2024-03-05
    meeting: {members: 30, present: 25, for: 20}
  - {step: 实施结果公开, date: 2024-04-01}
""",
    # representatives' meeting without quorum, and no majority
    "2024-04-人数不够.md": """title: 调整误工补贴
category: 村干部误工补贴
status: 未实施
steps:
  - {step: 党支部提议, date: 2024-04-01}
  - {step: 两委会商议, date: 2024-04-02}
  - {step: 党员大会审议, date: 2024-04-03}
  - step: 村民代表会议决议
    date: 2024-04-05
    meeting: {members: 30, present: 12, for: 5}
  - {step: 决议公开, date: 2024-04-06}
""",
    # steps out of order
    "2024-05-顺序颠倒.md": """title: 修水渠
category: 其他
status: 实施中
steps:
  - {step: 两委会商议, date: 2024-05-02}
  - {step: 党支部提议, date: 2024-05-03}
  - {step: 党员大会审议, date: 2024-05-04}
  - step: 村民代表会议决议
    date: 2024-05-05
    meeting: {members: 30, present: 25, for: 20}
  - {step: 决议公开, date: 2024-05-06}
""",
}


def test_decision_defects_reuse_the_checker_on_input_with_errors(tmp_path):
    villages = make_county(tmp_path)
    for name, front in BAD_DECISIONS.items():
        write_decision(villages / "qingshi", name, front)
    county, report = check_path(villages)
    assert report.errors                                          # `cunwu build` would refuse this
    docs = {d.id: d for d in next(v for v in county.villages if v.slug == "qingshi").decisions}
    policy = county.policy
    missing = decision_defects(docs["2024-03-缺步骤"], policy, "qingshi")
    assert [(d.rule, d.severity) for d in missing] == [("decision.step-missing", "error")]
    assert "党员大会审议" in missing[0].reason and "决议公开" in missing[0].reason
    assert not missing[0].reason.endswith("请补上这些步骤及日期。")     # the clerk's instruction is dropped
    quorum = {d.rule for d in decision_defects(docs["2024-04-人数不够"], policy)}
    assert quorum == {"decision.quorum", "decision.majority"}
    order = decision_defects(docs["2024-05-顺序颠倒"], policy)
    assert {d.rule for d in order} == {"decision.step-order"}
    assert decision_defects(docs["2024-03-修建村道"], policy) == []
    # the same rules as `cunwu check` reports for those files, and nothing else
    checked = {(Path(d.file).name, d.rule) for d in report.items if d.rule.startswith("decision.")
               and "qingshi" in d.file}
    found = {(doc_id + ".md", d.rule) for doc_id, doc in docs.items() for d in decision_defects(doc, policy)}
    assert found == checked
    # and the rollup lists them (pure: works although check has errors)
    r = compute(county, AS_OF)
    listed = {(x.slug, x.doc_id, x.rule) for x in r.defects}
    assert ("qingshi", "2024-04-人数不够", "decision.quorum") in listed
    assert ("beishan", "2024-05-修订村规民约", "decision.step-missing") in listed   # a warning: published
    in_progress = {x.doc_id for x in r.in_progress}
    assert in_progress == {"2024-04-人数不够", "2024-05-顺序颠倒"}


def test_published_fixture_lists_warning_defects(rollup):
    defects = rollup.dicts("decision-defects")
    assert [(x["村"], x["严重程度"], x["规则"]) for x in defects] == [("北山村", "提醒", "decision.step-missing")]
    assert "党员大会审议" in defects[0]["问题"]
    by_cat = {(r["层级"], r["名称"], r["类别"]): r for r in rollup.dicts("decision-categories")}
    assert by_cat[("县", "青山县", "公益事业兴办")]["事项数"] == 4
    assert by_cat[("县", "青山县", "公益事业兴办")]["金额"] == Decimal("1520000.00")
    assert by_cat[("乡镇", "石门乡", "村规民约修订")]["程序问题事项"] == 1


# ---------------------------------------------------------------- evaluations, notices


def test_evaluations_incompetent_and_consecutive(tmp_path):
    villages = make_county(tmp_path)
    path23 = villages / "dongpo" / "evaluations" / "2023.yml"
    _edit(path23, "verdict: 基本称职", "verdict: 不称职")
    path24 = villages / "dongpo" / "evaluations" / "2024.yml"
    text = path24.read_text(encoding="utf-8")
    head, tail = text.split("  - name: 李红梅")
    path24.write_text(head + "  - name: 李红梅" + tail.replace("verdict: 称职", "verdict: 不称职"), encoding="utf-8")
    county = load_county(villages, Report())
    r = compute(county, date(2025, 6, 1))
    incompetent = r.dicts("incompetent")
    assert [(x["村"], x["年度"], x["姓名"], x["连续两年不称职"]) for x in incompetent] == [
        ("东坡村", 2023, "李红梅", "否"), ("东坡村", 2024, "李红梅", "是")]
    rates = {(x["层级"], x["名称"], x["年度"], x["职务类别"]): x for x in r.dicts("evaluation-totals")}
    village = rates[("村", "东坡村", 2024, "全部")]
    assert (village["参评人次"], village["满意及基本满意"]) == (100, 96)
    assert village["满意率"] == Decimal("96.0")
    assert rates[("县", "青山县", 2024, "委员")]["参评人次"] == 4 * 50


def test_open_notices_soonest_end_first(rollup):
    later = compute(rollup.county, date(2024, 7, 1))
    opened = later.dicts("open-notices")
    assert {x["村"] for x in opened} == {"青石村", "东坡村", "南溪村", "北山村"}
    assert all(x["开始日期"] <= date(2024, 7, 1) <= x["结束日期"] for x in opened)
    assert [x["结束日期"] for x in opened] == sorted(x["结束日期"] for x in opened)
    assert opened[0]["剩余天数"] == 4 and opened[0]["网页"].endswith(".html")
    assert rollup.dicts("open-notices") == []        # none on 2024-06-20


# ---------------------------------------------------------------- inspection


@pytest.fixture(scope="module")
def big_county(tmp_path_factory):
    villages = make_county(tmp_path_factory.mktemp("big"), extra=16)
    county = load_county(villages, Report())
    assert len(county.villages) == 20
    return villages, county


def test_inspection_sample_is_reproducible_and_covers_the_share(big_county):
    villages, county = big_county
    q = quarter(2024, 3)
    first = [p.slug for p in inspection_sample(county, q)]
    again = [p.slug for p in inspection_sample(load_county(villages, Report()), q)]
    assert first == again
    county.villages.reverse()                          # folder order does not matter
    assert [p.slug for p in inspection_sample(county, q)] == first
    assert len(first) == sample_size(20, Fraction(15, 100)) == 3
    assert len(first) >= Fraction(15, 100) * len(county.villages)       # the county's 15% share at least
    assert len(set(first)) == len(first)
    wide = inspection_sample(county, q, Policy(inspection_share=Fraction(1, 3)))
    assert len(wide) == 7                              # 20/3 = 6.67, rounded up
    assert sample_size(6, Fraction(15, 100)) == 1 and sample_size(7, Fraction(15, 100)) == 2


def test_inspection_sample_changes_with_the_quarter(big_county):
    _, county = big_county
    samples = {q: tuple(p.slug for p in inspection_sample(county, parse_quarter(q)))
               for q in ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2")}
    assert len(set(samples.values())) >= 4, samples
    assert samples["2024Q1"] != samples["2024Q2"]


def test_inspection_history_is_stable_and_weights_follow_problems(big_county):
    _, county = big_county
    now = compute(county, date(2024, 8, 1))
    later = compute(county, date(2025, 3, 1))
    q3 = quarter(2024, 3)
    assert now.quarter == q3 and later.quarter == quarter(2025, 1)
    assert [p.slug for p in later.inspection[q3]] == [p.slug for p in now.inspection[q3]]
    assert min(later.inspection) == quarter(2024, 1)          # from the first record quarter
    # weights as of the day before 2024Q3: dongpo (late + missing months) and beishan
    # (a defective decision, an unreviewed month) weigh more than a clean copy.
    inspection = Inspection(county)
    ranked = {p.slug: p for p in inspection.candidates(q3)}
    inspected = {p.slug: k for k, qq in ((1, quarter(2024, 2)), (2, quarter(2024, 1)))
                 for p in inspection.sample(qq)}
    assert ranked["beishan"].defects == 1 and ranked["dongpo"].lapses >= 2
    assert any("决策程序存在问题" in r for r in ranked["beishan"].reasons)
    clean = ranked["extra00"]
    assert clean.lapses == ranked["qingshi"].lapses       # copies share April/May gaps
    base = Decimal(1) + Decimal(clean.lapses) / 2
    for slug, pick in ranked.items():
        if slug in inspected:
            assert pick.last_inspected is not None and "降低权重" in "；".join(pick.reasons)
            assert pick.weight < 1 + 2 * pick.defects + Decimal(min(pick.lapses, 8)) / 2
    if "dongpo" not in inspected and "extra00" not in inspected:
        assert ranked["dongpo"].weight > ranked["extra00"].weight == base.quantize(Decimal("0.01"))


# ---------------------------------------------------------------- composition


def test_combine_sums_tree_tables_and_concatenates_the_rest(rollup, tmp_path):
    other_dir = make_county(tmp_path)
    _edit(other_dir / "county.yml", "name: 青山县", "name: 白水县")
    _edit(other_dir / "county.yml", '"430124"', '"430125"')
    other = compute(load_county(other_dir, Report()), AS_OF)
    city = combine([rollup.tables, other.tables], "某某市", "市")
    totals = {(r[0], r[1]): r for r in city["area-totals"]}
    a, b, c = totals[("县", "青山县")], totals[("县", "白水县")], totals[("市", "某某市")]
    cols = DATASET["area-totals"].columns
    assert a[cols.index("上级")] == b[cols.index("上级")] == "某某市" and c[cols.index("上级")] == ""
    for name in ("村数", "人口", "本年收入", "本年支出", "决策事项"):
        i = cols.index(name)
        assert c[i] == a[i] + b[i]
    rate_cols = DATASET["timeliness-totals"].columns
    top = [r for r in city["timeliness-totals"] if r[0] == "市" and r[3] == "合计"][0]
    assert top[rate_cols.index("按时率")] == percent(top[rate_cols.index("按时")], top[rate_cols.index("应公开")])
    assert len(city["villages"]) == 8 and len(city["decisions"]) == 16
    assert len(city["top-expenses"]) == 20 and [r[0] for r in city["top-expenses"]] == list(range(1, 21))
    # and a province over cities: the same code, one level up
    province = combine([city], "某某省", "省")
    assert [r[:3] for r in province["area-totals"] if r[0] in ("省", "市")] == [
        ["省", "某某省", ""], ["市", "某某市", "某某省"]]
    for ds in DATASETS:                                       # every row has every column
        assert all(len(row) == len(ds.cols) for row in province[ds.name]), ds.name


def test_every_table_row_matches_its_dataset(rollup):
    for ds in DATASETS:
        for row in rollup.tables[ds.name]:
            assert len(row) == len(ds.cols), ds.name
            for col, value in zip(ds.cols, row, strict=True):
                if value is None:
                    continue
                expected = {"integer": int, "number": Decimal, "date": date, "string": str}[col.type]
                assert isinstance(value, expected) and not isinstance(value, bool), (ds.name, col.name, value)


# ---------------------------------------------------------------- whole-county checks


def test_village_folder_named_like_a_portal_page_is_refused(tmp_path):
    villages = make_county(tmp_path)
    shutil.move(villages / "nanxi", villages / "data")
    shutil.move(villages / "beishan", villages / "timeliness")
    shutil.move(villages / "dongpo", villages / "assets")          # the theme's folder in every site
    _, report = check_path(villages)
    reserved = sorted(Path(d.file).name for d in report.errors if d.rule == "county.reserved-name")
    assert reserved == ["assets", "data", "timeliness"]
    assert all("冲突" in d.message for d in report.errors if d.rule == "county.reserved-name")


def test_period_helpers():
    assert period_of("quarter", date(2024, 5, 31)) == quarter(2024, 2)
    assert quarter(2024, 4).next() == quarter(2025, 1) and quarter(2025, 1).previous() == quarter(2024, 4)
    assert quarter(2026, 4).zh == "2026年第4季度" and quarter(2026, 4).label == "2026Q4"
    with pytest.raises(ValueError):
        parse_quarter("2026-4")
