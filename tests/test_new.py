"""`cunwu new <kind> <village>`: every kind writes a ready-to-fill file in the right
place; unfilled it fails `cunwu check` at the empty lines, filled it passes; an
existing file is never overwritten."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from clerk_helpers import (
    GOOD,
    REPO,
    VILLAGE_VALUES,
    check_clean,
    created,
    cunwu,
    empty_keys,
    error_lines,
    fill,
    keys,
)

TEMPLATES = REPO / "cunwu" / "clerk" / "templates"


@pytest.fixture
def county(tmp_path) -> Path:
    """A copy of the good fixture county laid out as villages/ in a working folder."""
    shutil.copytree(GOOD, tmp_path / "villages")
    return tmp_path


@pytest.fixture
def empty_county(tmp_path) -> Path:
    (tmp_path / "villages").mkdir()
    shutil.copy(GOOD / "county.yml", tmp_path / "villages" / "county.yml")
    return tmp_path


def check_errors(cwd: Path, path: Path) -> list[tuple[int, str]]:
    proc = cunwu("check", "villages", cwd=cwd)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return error_lines(proc.stdout, path.relative_to(cwd).as_posix())


def front(text: str) -> str:
    return text.split("---\n")[1] if text.startswith("---") else text


def assert_keys_from_template(text: str, template: str) -> None:
    """A generated file uses only keys that its annotated template documents."""
    made = keys(yaml.safe_load(front(text)))
    documented = keys(yaml.safe_load(front((TEMPLATES / template).read_text(encoding="utf-8"))))
    # the template shows powers and households only in comments
    documented |= {("versions", "powers"), ("versions", "powers", "name"), ("versions", "powers", "basis"),
                   ("versions", "powers", "responsible"), ("versions", "powers", "steps")}
    assert made <= documented, made - documented


# ---------------------------------------------------------------- village


def test_new_village_unfilled_fails_filled_passes(empty_county):
    cwd = empty_county
    proc = cunwu("new", "village", "qingshi", "--name", "青石村", "--township", "青山镇", cwd=cwd)
    path = created(proc, cwd)
    assert path == cwd / "villages" / "qingshi" / "village.yml"
    text = path.read_text(encoding="utf-8")
    assert "name: 青石村" in text and "township: 青山镇" in text
    assert "# 户数" in text                       # Chinese comments from the template
    # unfilled: each empty required value is an error on its own line
    errors = check_errors(cwd, path)
    lines = text.splitlines()
    for line_no, rule in errors:
        assert rule.startswith("schema."), rule
        assert re.match(r"\s*(- )?[a-z_]+:\s*(#|$)", lines[line_no - 1]), lines[line_no - 1]
    assert {lines[n - 1].split(":")[0].strip() for n, _ in errors} >= {"code", "households", "population",
                                                                       "representatives", "phone"}
    path.write_text(fill(text, VILLAGE_VALUES), encoding="utf-8")
    assert_keys_from_template(path.read_text(encoding="utf-8"), "village.yml")
    check_clean(cwd)


def test_new_village_refuses_bad_slug_and_unknown_township(empty_county):
    proc = cunwu("new", "village", "青石", cwd=empty_county)
    assert proc.returncode == 2 and "拼音" in proc.stderr
    proc = cunwu("new", "village", "qingshi", "--township", "白云乡", cwd=empty_county)
    assert proc.returncode == 2 and "乡镇名单" in proc.stderr
    assert not (empty_county / "villages" / "qingshi").exists()


# ---------------------------------------------------------------- ledger


def closing_of(path: Path) -> Decimal:
    return Decimal(str(yaml.safe_load(path.read_text(encoding="utf-8"))["closing_balance"]))


def test_new_ledger_carries_previous_closing(county):
    cwd = county
    march = closing_of(cwd / "villages/qingshi/ledgers/2024-03.yml")
    path = created(cunwu("new", "ledger", "qingshi", "--month", "2024-04", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/ledgers/2024-04.yml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["month"] == "2024-04"
    assert Decimal(str(data["opening_balance"])) == march
    assert Decimal(str(data["closing_balance"])) == march     # no entries yet
    assert data["entries"] == []
    assert "2024-03.yml" in text                                # says where the opening came from
    assert empty_keys(text) == ["posted", "review", "date"]
    filled = fill(text, {"posted": "2024-05-05", "date": "2024-05-03"}).replace("by: []", "by: [赵秀英]")
    path.write_text(filled, encoding="utf-8")
    assert_keys_from_template(filled, "ledger.yml")
    check_clean(cwd)


def test_new_ledger_example_entries_pass_once_uncommented(county):
    """The commented example is valid: uncomment it, fix the closing, and the file passes."""
    cwd = county
    path = created(cunwu("new", "ledger", "青石村", "--month", "2024-04", cwd=cwd), cwd)
    text = path.read_text(encoding="utf-8")
    opening = Decimal(str(yaml.safe_load(text)["opening_balance"]))
    lines = []
    for line in text.splitlines():
        if re.match(r"# {3}(- | {2})[a-z_]+: ", line):      # the commented example entries
            line = line[2:]
        lines.append(line)
    text = "\n".join(lines) + "\n"
    text = text.replace("entries: []", "entries:")
    closing = opening + Decimal("12000.00") - Decimal("7200.00")
    text = re.sub(r"closing_balance: [\d.]+", f"closing_balance: {closing}", text)
    text = fill(text, {"posted": "2024-05-05", "date": "2024-05-03"}).replace("by: []", "by: [赵秀英]")
    path.write_text(text, encoding="utf-8")
    data = yaml.safe_load(text)
    assert len(data["entries"]) == 2 and data["entries"][0]["date"] == date(2024, 4, 6)
    check_clean(cwd)


@pytest.mark.parametrize("today, month", [("2024-06-30", "2024-05"), ("2025-01-01", "2024-12")])
def test_new_ledger_defaults_to_last_month(county, today, month):
    path = created(cunwu("new", "ledger", "qingshi", cwd=county, today=today), county)
    assert path == county / "villages" / "qingshi" / "ledgers" / f"{month}.yml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["month"] == month


def test_new_ledger_without_history_asks_for_opening(tmp_path):
    from clerk_helpers import make_minimal_county
    make_minimal_county(tmp_path)
    path = created(cunwu("new", "ledger", "qingshi", "--month", "2024-01", cwd=tmp_path), tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "找不到上月" in text
    assert "opening_balance" in empty_keys(text) and "closing_balance" in empty_keys(text)
    text = fill(text, {"opening_balance": "1000.00", "closing_balance": "1000.00", "posted": "2024-02-05",
                       "date": "2024-02-03"}).replace("by: []", "by: [赵清水]")
    path.write_text(text, encoding="utf-8")
    check_clean(tmp_path)
    # --opening fills it
    path2 = created(cunwu("new", "ledger", "qingshi", "--month", "2023-12", "--opening", "800", cwd=tmp_path),
                    tmp_path)
    assert yaml.safe_load(path2.read_text(encoding="utf-8"))["opening_balance"] == 800.0


# ---------------------------------------------------------------- decision


def test_new_decision(county):
    cwd = county
    proc = cunwu("new", "decision", "qingshi", "--title", "修建 村西 水渠", "--month", "2024-07", cwd=cwd)
    path = created(proc, cwd)
    assert path == cwd / "villages/qingshi/decisions/2024-07-修建村西水渠.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "title: 修建 村西 水渠" in text
    assert check_errors(cwd, path)                   # unfilled: errors
    text = fill(text, {
        "category": "公益事业兴办",
        "date": ["2024-07-01", "2024-07-03", "2024-07-06", "2024-07-10", "2024-07-11"],
        "members": ["7", "46", "35"], "present": ["7", "40", "30"], "for": ["7", "38", "28"],
        "against": ["0", "1", "1"], "abstain": ["0", "1", "1"],
    })
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "decision.md")
    check_clean(cwd)


def test_new_decision_needs_title(county):
    proc = cunwu("new", "decision", "qingshi", cwd=county)
    assert proc.returncode == 2 and "--title" in proc.stderr
    assert not list((county / "villages/qingshi/decisions").glob("*2026*"))


# ---------------------------------------------------------------- rules


def test_new_rule_text(county):
    cwd = county
    path = created(cunwu("new", "rule", "qingshi", "--title", "村民自治章程", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/rules/村民自治章程.yml"
    text = path.read_text(encoding="utf-8")
    assert "kind: 村民自治章程" in text
    text = fill(text, {"version": "2024年版", "adopted": "2024-05-10", "filed": "2024-05-20",
                       "posted": "2024-05-12"})
    text = re.sub(r"(?m)^    decision:.*\n", "", text)
    text = re.sub(r"(?m)^(    text: \|).*$", r"\1\n      第一条 本村村民享有平等的权利。", text)
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "rule.yml")
    check_clean(cwd)


def test_new_rule_powers(county):
    cwd = county
    path = created(cunwu("new", "rule", "qingshi", "--title", "财务审批权力清单", "--kind", "小微权力清单",
                         cwd=cwd), cwd)
    text = path.read_text(encoding="utf-8")
    assert "powers:" in text and "text:" not in text
    text = fill(text, {"version": "2024年版", "adopted": "2024-05-10", "decision": "2024-05-修订村规民约",
                       "filed": "2024-05-20", "posted": "2024-05-12", "name": "村级财务支出审批",
                       "basis": "《村民委员会组织法》第二十四条", "responsible": "村委会主任"})
    text = text.replace("steps: []", "steps: [经办人报账, 村务监督委员会审核, 村委会主任审批]")
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "rule.yml")
    check_clean(cwd)


def test_new_rule_never_overwrites_an_existing_rule(county):
    path = county / "villages/qingshi/rules/村规民约.yml"
    before = path.read_bytes()
    proc = cunwu("new", "rule", "qingshi", "--title", "村规民约", cwd=county)
    assert proc.returncode == 1
    assert "不会覆盖" in proc.stderr and "新增一个版本" in proc.stderr
    assert path.read_bytes() == before


# ---------------------------------------------------------------- evaluation


def test_new_evaluation_lists_the_roster(county):
    cwd = county
    path = created(cunwu("new", "evaluation", "qingshi", "--year", "2025", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/evaluations/2025.yml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["year"] == 2025 and data["chaired_by"] == "赵秀英"
    assert [(c["name"], c["role"]) for c in data["cadres"]] == [("王建国", "党支部书记、村委会主任"),
                                                                ("李红梅", "村委会委员")]
    text = fill(text, {"date": "2026-01-10", "posted": "2026-01-12", "participants": "50",
                       "satisfied": ["44", "40"], "basic": ["5", "8"], "unsatisfied": ["1", "2"],
                       "verdict": "称职", "stipend": ["42000.00", "30000.00"]})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "evaluation.yml")
    check_clean(cwd)


def test_new_evaluation_defaults_to_last_year(county):
    path = created(cunwu("new", "evaluation", "qingshi", cwd=county, today="2026-01-05"), county)
    assert path == county / "villages" / "qingshi" / "evaluations" / "2025.yml"


# ---------------------------------------------------------------- notice


def test_new_notice(county):
    cwd = county
    path = created(cunwu("new", "notice", "青石村", "--title", "2024年第三季度低保公示", "--column", "政务",
                         "--month", "2024-07", cwd=cwd), cwd)
    assert path == cwd / "villages/qingshi/notices/2024-07-2024年第三季度低保公示.md"
    text = path.read_text(encoding="utf-8")
    assert "column: 政务" in text
    assert "0731-84561234" in text             # the village's public phone in the objections line
    text = fill(text, {"start": "2024-07-08", "end": "2024-07-15", "posted": "2024-07-08"})
    path.write_text(text, encoding="utf-8")
    assert_keys_from_template(text, "notice.md")
    check_clean(cwd)


# ---------------------------------------------------------------- never overwrite


@pytest.mark.parametrize("args", [
    ("village", "qingshi"),
    ("ledger", "qingshi", "--month", "2024-03"),
    ("decision", "qingshi", "--title", "修建村道", "--month", "2024-03"),
    ("rule", "qingshi", "--title", "小微权力清单"),
    ("evaluation", "qingshi", "--year", "2024"),
    ("notice", "qingshi", "--title", "低保公示", "--month", "2024-04"),
])
def test_new_never_overwrites(county, args):
    before = {p: p.read_bytes() for p in (county / "villages").rglob("*") if p.is_file()}
    proc = cunwu("new", *args, cwd=county)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "已经" in proc.stderr and "不会覆盖" in proc.stderr
    after = {p: p.read_bytes() for p in (county / "villages").rglob("*") if p.is_file()}
    assert after == before


def test_new_unknown_village_and_stray_option(county):
    proc = cunwu("new", "ledger", "baiyun", cwd=county)
    assert proc.returncode == 2 and "找不到村“baiyun”" in proc.stderr and "qingshi（青石村）" in proc.stderr
    proc = cunwu("new", "ledger", "qingshi", "--year", "2024", cwd=county)
    assert proc.returncode == 2 and "--year" in proc.stderr
    proc = cunwu("new", "ledger", "qingshi", "--month", "2024-13", cwd=county)
    assert proc.returncode == 2 and "月份" in proc.stderr


# ---------------------------------------------------------------- the guide


def test_guide_shows_the_current_templates():
    """The clerk's guide quotes each annotated template verbatim: a changed template must be
    changed in the guide too."""
    guide = (REPO / "content" / "guide" / "records.md").read_text(encoding="utf-8")
    for name in ("village.yml", "ledger.yml", "decision.md", "rule.yml", "evaluation.yml", "notice.md"):
        template = (TEMPLATES / name).read_text(encoding="utf-8").rstrip("\n")
        as_code = "\n".join("    " + line if line.strip() else "" for line in template.splitlines())
        assert as_code in guide, f"content/guide/records.md does not quote cunwu/clerk/templates/{name}"
