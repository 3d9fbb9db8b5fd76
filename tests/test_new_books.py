"""`cunwu new` for the records of 财务公开 beyond the cash journal (assets register,
contract, debts year, plan year, distribution year, audit): each writes a
ready-to-fill file in its folder; unfilled it fails `cunwu check` at the empty
lines, filled it passes; an existing file is never overwritten; each annotated
template is itself a valid record and is quoted by the clerk's guide."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from clerk_helpers import GOOD, REPO, check_clean, created, cunwu, error_lines, fill, keys, make_minimal_county

TEMPLATES = REPO / "cunwu" / "clerk" / "templates"
BOOK_TEMPLATES = {"assets.yml": "assets/资产台账.yml", "contract.yml": "contracts/HT2024-01.yml",
                  "debts.yml": "debts/2024.yml", "plan.yml": "plans/2024.yml",
                  "distribution.yml": "distributions/2024.yml", "audit.yml": "audits/2025-02-王建国离任审计.yml"}


@pytest.fixture
def county(tmp_path) -> Path:
    shutil.copytree(GOOD, tmp_path / "villages")
    return tmp_path


def unfilled_errors(cwd: Path, path: Path) -> list[tuple[int, str]]:
    """(line, rule) of the errors `cunwu check` reports in `path`; each must sit on an empty value."""
    proc = cunwu("check", "villages/qingshi", cwd=cwd)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = error_lines(proc.stdout, path.relative_to(cwd).as_posix())
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, rule in found:
        assert rule.startswith("schema."), (number, rule)
        assert re.match(r"\s*(- )?[^\s:#]+:\s*(#|$)", lines[number - 1]), lines[number - 1]
    return found


def assert_keys_from_template(text: str, template: str) -> None:
    """A generated file uses only keys its annotated template documents."""
    made = keys(yaml.safe_load(text))
    documented = keys(yaml.safe_load((TEMPLATES / template).read_text(encoding="utf-8")))
    assert made <= documented, made - documented


def fill_chinese(text: str, values: dict[str, str]) -> str:
    """Fill `  经营收入:` style keys (the plan's accounts)."""
    def one(m: re.Match) -> str:
        return f"{m.group(1)}{m.group(2)}: {values[m.group(2)]}" if m.group(2) in values else m.group(0)
    return re.sub(r"(?m)^(\s+)([^\s#:a-z]+):[ \t]*(?:#.*)?$", one, text)


def every_line_commented(text: str, first_only: bool = False) -> None:
    """Every field line of a `cunwu new` file carries its Chinese comment (in a
    template, the first line of each field: a second list item repeats the keys)."""
    seen: set[str] = set()
    for line in text.splitlines():
        m = re.match(r"\s*(?:- )?([a-z_]+|[\u4e00-\u9fff]+):", line)
        if m and not (first_only and m.group(1) in seen):
            assert re.search(r"#\s*\S*[\u4e00-\u9fff]", line), line
        if m:
            seen.add(m.group(1))


# ---------------------------------------------------------------- each kind, unfilled then filled


def test_new_assets(county):
    cwd = county
    path = created(cunwu("new", "assets", "qingshi", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/assets/资产台账.yml"
    text = path.read_text(encoding="utf-8")
    every_line_commented(text)
    errors = unfilled_errors(cwd, path)
    assert {text.splitlines()[n - 1].split(":")[0].strip(" -") for n, _ in errors} >= {
        "as_of", "posted", "code", "name", "category", "acquired", "original_value"}
    text = fill(text, {"as_of": "2024-03-31", "posted": "2024-04-05", "code": "ZC-001", "name": "村部综合服务楼",
                       "category": "房屋及建筑物", "location": "村部", "acquired": "2012-06-01",
                       "original_value": "594000.00", "depreciation": "225720.00"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "assets.yml")
    check_clean(cwd)


def test_new_contract(county):
    cwd = county
    path = created(cunwu("new", "contract", "青石村", "--code", "HT2024-07", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/contracts/HT2024-07.yml"
    text = path.read_text(encoding="utf-8")
    assert "code: HT2024-07" in text
    every_line_commented(text)
    assert unfilled_errors(cwd, path)
    text = fill(text, {"title": "村东鱼塘承包合同", "name": "村东鱼塘", "kind": "水面", "area": "23.50",
                       "counterparty": "李春生", "counterparty_kind": "个人", "start": "2024-01-01",
                       "end": "2026-12-31", "rent": "12000.00", "due": "2024-12-31", "amount": "12000.00",
                       "decision": "2024-03-修建村道", "tendering": "公开竞价"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "contract.yml")
    out = check_clean(cwd)
    assert "contract." not in out, out      # decision named, nothing due yet


def test_new_contract_default_code_is_the_next_free_one(county):
    first = created(cunwu("new", "contract", "qingshi", cwd=county, today="2025-06-15"), county)
    second = created(cunwu("new", "contract", "qingshi", cwd=county, today="2025-06-15"), county)
    assert (first.name, second.name) == ("HT2025-01.yml", "HT2025-02.yml")
    proc = cunwu("new", "contract", "qingshi", "--code", "../HT", cwd=county)
    assert proc.returncode == 2 and "合同编号" in proc.stderr


def test_new_debts_carries_last_years_closing(county):
    cwd = county
    path = created(cunwu("new", "debts", "qingshi", "--year", "2024", cwd=cwd), cwd)
    text = path.read_text(encoding="utf-8")
    assert "items: []" in text
    every_line_commented(text)
    assert unfilled_errors(cwd, path)
    # the clerk writes last year's items (no ledger of 2023, so nothing to tie)
    first = path.parent / "2023.yml"
    first.write_text(
        "year: 2023\nposted: 2024-01-20\nitems:\n"
        "  - id: ZW-01\n    kind: 长期借款\n    counterparty: 青山镇农村信用合作社\n    incurred: 2022-04-10\n"
        "    opening: 100000.00\n    decrease: 20000.00\n    closing: 80000.00\n    due: 2027-04-09\n"
        "    note: 修建村道垫资\n"
        "  - id: ZQ-01\n    kind: 应收款\n    counterparty: 青山镇经管站\n    incurred: 2023-06-15\n"
        "    opening: 0.00\n    increase: 3200.00\n    decrease: 3200.00\n    closing: 0.00\n", encoding="utf-8")
    path.unlink()
    path = created(cunwu("new", "debts", "qingshi", "--year", "2024", cwd=cwd), cwd)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert [(i["id"], i["opening"], i["closing"]) for i in data["items"]] == [("ZW-01", 80000.0, 80000.0)]
    assert "debts/2023.yml" in text
    text = fill(text, {"posted": "2025-01-20"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "debts.yml")
    check_clean(cwd)


def test_new_plan(county):
    cwd = county
    path = created(cunwu("new", "plan", "qingshi", "--year", "2024", cwd=cwd), cwd)
    text = path.read_text(encoding="utf-8")
    every_line_commented(text)
    assert "税金及附加" in text
    assert len(unfilled_errors(cwd, path)) >= 12
    text = fill(text, {"decision": "2024-03-修建村道", "posted": "2024-01-20"})
    text = fill_chinese(text, {"经营收入": "30000.00", "承包收入": "120000.00", "补助收入": "400000.00",
                               "投资收益": "30000.00", "其他收入": "5000.00", "经营支出": "5000.00",
                               "税金及附加": "1000.00", "管理费用": "220000.00", "公益支出": "600000.00",
                               "其他支出": "5000.00"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "plan.yml")
    check_clean(cwd)


@pytest.mark.parametrize("today, year", [("2026-03-01", 2026)])
def test_new_plan_defaults_to_this_year(county, today, year):
    path = created(cunwu("new", "plan", "qingshi", cwd=county, today=today), county)
    assert path.name == f"{year}.yml"


def test_new_distribution(county):
    cwd = county
    path = created(cunwu("new", "distribution", "qingshi", "--year", "2024", cwd=cwd), cwd)
    text = path.read_text(encoding="utf-8")
    every_line_commented(text)
    assert "units: 612" in text                     # the village's households
    assert unfilled_errors(cwd, path)
    text = fill(text, {"decision": "2024-03-修建村道", "posted": "2025-03-10", "reserve": "0.00",
                       "welfare": "0.00", "members": "61200.00", "per_unit": "100.00"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "distribution.yml")
    check_clean(cwd)       # not paid yet: a warning only


def test_new_audit_lists_the_cadres(county):
    cwd = county
    path = created(cunwu("new", "audit", "qingshi", "--title", "王建国离任审计", "--month", "2025-02", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/audits/2025-02-王建国离任审计.yml"
    text = path.read_text(encoding="utf-8")
    every_line_commented(text)
    assert "王建国" in text.split("cadre:")[1].splitlines()[0]
    assert unfilled_errors(cwd, path)
    text = fill(text, {"kind": "离任经济责任审计", "cadre": "王建国", "role": "村委会主任",
                       "period": "[2021-01-15, 2024-12-31]", "auditor": "青山镇农村经营管理站",
                       "date": "2025-02-20", "posted": "2025-02-25", "conclusion": "财务收支基本真实。"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "audit.yml")
    check_clean(cwd)


def test_new_audit_needs_a_title(county):
    proc = cunwu("new", "audit", "qingshi", cwd=county)
    assert proc.returncode == 2 and "--title" in proc.stderr
    proc = cunwu("new", "plan", "qingshi", "--title", "预算", cwd=county)
    assert proc.returncode == 2 and "--title" in proc.stderr


# ---------------------------------------------------------------- never overwrite


@pytest.mark.parametrize("args", [
    ("assets", "qingshi"),
    ("contract", "qingshi", "--code", "HT2024-01"),
    ("debts", "qingshi", "--year", "2024"),
    ("plan", "qingshi", "--year", "2024"),
    ("distribution", "qingshi", "--year", "2024"),
    ("audit", "qingshi", "--title", "王建国离任审计", "--month", "2025-02"),
])
def test_new_never_overwrites(county, args):
    first = created(cunwu("new", *args, cwd=county), county)
    first.write_text(first.read_text(encoding="utf-8") + "# 已经填写过的内容\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (county / "villages").rglob("*") if p.is_file()}
    proc = cunwu("new", *args, cwd=county)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "已经存在" in proc.stderr and "不会覆盖" in proc.stderr
    assert {p: p.read_bytes() for p in (county / "villages").rglob("*") if p.is_file()} == before


# ---------------------------------------------------------------- the templates


def test_each_template_is_a_valid_record(tmp_path):
    """The annotated templates, placed as a clerk would, pass the check (a village
    without ledgers, so nothing ties them to entries)."""
    villages = make_minimal_county(tmp_path)
    village = villages / "qingshi"
    (village / "decisions").mkdir()
    shutil.copy(GOOD / "qingshi/decisions/2024-03-修建村道.md", village / "decisions")
    # the decision the register's disposal names (its content does not matter here)
    shutil.copy(GOOD / "qingshi/decisions/2024-03-修建村道.md", village / "decisions/2024-10-处置旧电脑.md")
    for template, rel in BOOK_TEMPLATES.items():
        (village / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(TEMPLATES / template, village / rel)
        every_line_commented("\n".join(line for line in (TEMPLATES / template).read_text("utf-8").splitlines()
                                       if not line.lstrip().startswith("#")), first_only=True)
    check_clean(tmp_path)


def test_guide_quotes_the_book_templates():
    guide = (REPO / "content" / "guide" / "records.md").read_text(encoding="utf-8")
    for name in BOOK_TEMPLATES:
        template = (TEMPLATES / name).read_text(encoding="utf-8").rstrip("\n")
        as_code = "\n".join("    " + line if line.strip() else "" for line in template.splitlines())
        assert as_code in guide, f"content/guide/records.md does not quote cunwu/clerk/templates/{name}"
        assert f"cunwu new {Path(name).stem}" in guide
