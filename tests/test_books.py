"""财务公开 beyond the cash journal: every figure of the new pages' open data equals
sums computed here independently from the YAML files (read with PyYAML, not
cunwu's loader), and the planted lapses are reported by check and rollup."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from cunwu.county.rollup import compute
from cunwu.records.check import check_path
from cunwu.site.pages import render_village

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "villages"
INCOME = ("经营收入", "承包收入", "补助收入", "投资收益", "其他收入")


class Text(yaml.SafeLoader):
    pass


for _tag in ("float", "int", "timestamp", "bool", "null"):
    Text.add_constructor(f"tag:yaml.org,2002:{_tag}", lambda loader, node: loader.construct_scalar(node))


def load(path: Path) -> dict:
    return yaml.load(path.read_text("utf-8"), Loader=Text)


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    county, report = check_path(DEMO)
    out = tmp_path_factory.mktemp("books")
    for v in county.villages:
        render_village(ROOT, v, date(2026, 11, 21), out / v.slug, out / "site")
    return county, report, out


def entries(slug: str) -> list[dict]:
    return [e for p in sorted((DEMO / slug / "ledgers").glob("*.yml")) for e in load(p)["entries"]]


@pytest.mark.parametrize("slug", sorted(p.name for p in DEMO.iterdir() if (p / "village.yml").is_file()))
def test_figures_equal_independent_sums(demo, slug):
    _, _, out = demo
    data = out / slug / "docs" / "data"
    all_entries = entries(slug)
    # rent received against each contract = the ledger income naming it
    received: dict[str, Decimal] = defaultdict(Decimal)
    for e in all_entries:
        if e.get("contract") and e["category"] in INCOME:
            received[e["contract"]] += Decimal(e["amount"])
    for row in rows(data / "contracts.csv"):
        assert Decimal(row["已收"]) == received[row["合同编号"]], row
        contract = load(next((DEMO / slug / "contracts").glob(f"{row['合同编号']}.yml")))
        due = sum((Decimal(i["amount"]) for i in contract["schedule"] if i["due"] <= "2026-10-31"), Decimal())
        assert Decimal(row["应收"]) == due
    # plan against actual, per account, from the year's entries
    for plan_file in sorted((DEMO / slug / "plans").glob("*.yml")):
        year = plan_file.stem
        actual: dict[str, Decimal] = defaultdict(Decimal)
        for p in sorted((DEMO / slug / "ledgers").glob(f"{year}-*.yml")):
            for e in load(p)["entries"]:
                if not e.get("debt") and e.get("tag") != "收益分配":
                    actual[e["category"]] += Decimal(e["amount"])
        plan = load(plan_file)
        for row in rows(data / f"plan-{year}.csv"):
            planned = Decimal((plan["income"] if row["方向"] == "收入" else plan["expense"]).get(row["科目"], "0"))
            assert Decimal(row["预算"]) == planned and Decimal(row["实际"]) == actual[row["科目"]], row
            assert Decimal(row["差额"]) == actual[row["科目"]] - planned
    # debts: year-end totals and the movement found in the ledger
    for row in rows(data / "debts.csv"):
        year = load(DEMO / slug / "debts" / f"{row['年度']}.yml")
        item = next(i for i in year["items"] if i["id"] == row["编号"])
        assert Decimal(row["年末余额"]) == Decimal(item["closing"])
        moved = sum((Decimal(e["amount"]) for p in (DEMO / slug / "ledgers").glob(f"{row['年度']}-*.yml")
                     for e in load(p)["entries"] if e.get("debt") == row["编号"]), Decimal())
        assert Decimal(row["账内增加"] or 0) + Decimal(row["账内减少"] or 0) == moved
    # 一事一议 per project: received and paid from the tagged entries
    if (data / "special.csv").exists():
        tagged = [e for e in all_entries if e.get("tag") == "一事一议"]
        # the special disclosures (收益分配 has its own page, distribution-YYYY)
        special = [e for e in all_entries if e.get("tag") in ("一事一议", "征地补偿")]
        assert len(rows(data / "special.csv")) == len(special)
        assert sum(Decimal(r["金额"]) for r in rows(data / "special.csv") if r["专项"] == "征地补偿") == \
            sum((Decimal(e["amount"]) for e in special if e["tag"] == "征地补偿"), Decimal())
        assert sum(Decimal(r["金额"]) for r in rows(data / "special.csv") if r["专项"] == "一事一议") == \
            sum((Decimal(e["amount"]) for e in tagged), Decimal())


def test_planted_lapses_reported(demo):
    county, report, _ = demo
    found = {(Path(d.file).parts[-3], d.rule) for d in report.items}
    assert ("shitian", "contract.rent-overdue") in found
    assert ("helong", "contract.expired-in-use") in found
    assert ("tailing", "plan.overrun") in found
    assert not report.errors
    rollup = compute(county, date(2026, 11, 21))
    lapses = {(r["村"], r["问题"]) for r in rollup.dicts("contract-lapses")}
    assert {("石田村", "逾期欠租"), ("荷垅村", "到期仍在用")} <= lapses
    debts = rollup.dicts("village-debts")
    for v in county.villages:
        for doc in v.debts:
            row = next(r for r in debts if r["村"] == v.name and r["年度"] == doc.record.year)
            expect = sum((Decimal(i["closing"]) for i in load(doc.path)["items"] if i["kind"] != "应收款"), Decimal())
            assert row["年末债务"] == expect
