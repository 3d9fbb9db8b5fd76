"""The law's remaining rules, the clean side: what the law allows passes
without a word (the violations are cases under tests/bad/, one a rule), and
the thresholds come from county.yml's policy."""

from __future__ import annotations

import shutil
from pathlib import Path

from cunwu.records.check import check_path

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
NEW_RULES = ("roster.", "meeting.headcount", "cadence.", "ledger.review-required", "board.")


def county_with(tmp_path: Path, women: int, listed: int = 35, relatives: str = "", policy: str = "") -> Path:
    root = tmp_path / "county"
    shutil.copytree(GOOD, root)
    profile = root / "qingshi" / "village.yml"
    text = profile.read_text("utf-8")
    if relatives:
        text = text.replace("    - name: 李红梅\n      role: 村委会委员\n      term: [2021-01-15, 2026-01-14]\n",
                            "    - name: 李红梅\n      role: 村委会委员\n      term: [2021-01-15, 2026-01-14]\n"
                            f"      relatives:\n        - {relatives}\n")
    text += "  representatives:\n" + "".join(
        f"    - {{name: 代表{i:02d}, gender: {'女' if i < women else '男'}}}\n" for i in range(listed))
    profile.write_text(text, "utf-8")
    if policy:
        config = root / "county.yml"
        config.write_text(config.read_text("utf-8") + policy, "utf-8")
    return root


def findings(root: Path) -> list[str]:
    _, report = check_path(root)
    return [d.format() for d in report.items if d.rule.startswith(NEW_RULES)]


def test_a_lawful_village_passes(tmp_path: Path):
    # 12 of 35 women (over a third), relatives declared who sit on no committee,
    # meetings counted against the registered 35 representatives and 1,690 adults,
    # accounts posted within ten days, something posted every quarter
    root = county_with(tmp_path, women=12, relatives="{name: 李建华, relation: 配偶}")
    assert findings(root) == []


def test_women_share_is_the_countys_threshold(tmp_path: Path):
    root = county_with(tmp_path, women=10)          # 10/35 = 29%
    assert [f for f in findings(root) if "representatives-women" in f]
    (tmp_path / "county").rename(tmp_path / "old")
    root = county_with(tmp_path, women=10, policy="  women_representatives: 1/4\n")
    assert findings(root) == []


def test_relation_names_the_article_and_both_people(tmp_path: Path):
    root = county_with(tmp_path, women=12, relatives="{name: 赵秀英, relation: 兄弟姐妹}")
    found = findings(root)
    assert len(found) == 1 and "roster.relative-conflict" in found[0]
    assert "赵秀英" in found[0] and "李红梅" in found[0] and "第三十二条" in found[0]


def test_unreviewed_months_are_warnings_unless_the_county_says_error(tmp_path: Path):
    root = county_with(tmp_path, women=12)
    ledger = root / "qingshi" / "ledgers" / "2024-03.yml"
    text = ledger.read_text("utf-8")
    start = text.index("review:")
    end = text.index("entries:")
    ledger.write_text(text[:start] + text[end:], "utf-8")
    _, report = check_path(root)
    assert not report.errors
    config = root / "county.yml"
    config.write_text(config.read_text("utf-8") + "  unreviewed_finance: 错误\n", "utf-8")
    _, report = check_path(root)
    assert [d.rule for d in report.errors] == ["ledger.review-required"]
