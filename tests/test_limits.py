"""Clerk text that would hurt the build is refused by `cunwu check` with file:line
and a Chinese message; text at the limits builds. Negative amounts and control
characters: the check, the importer and the terminal say the right thing.
Timing is measured by scripts/bench_limits.py, never asserted here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from cunwu.records.checks.text import MAX_BRACKETS, MAX_DEPTH, depth

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "fixtures" / "good"
DECISION = "qingshi/decisions/2024-07-测试.md"
FRONT = (GOOD / "qingshi" / "decisions" / "2024-03-修建村道.md").read_text(encoding="utf-8").split("---\n")[1]
HEAD = "---\n" + FRONT + "---\n"
BODY_LINE = HEAD.count("\n") + 1


def county(tmp_path: Path, body: str | None = None) -> Path:
    root = tmp_path / "county"
    shutil.copytree(GOOD, root)
    if body is not None:
        (root / DECISION).write_text(HEAD + body, encoding="utf-8")
    return root


def cunwu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "cunwu", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd, timeout=600)


def build(root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return cunwu("build", str(root), "--site", str(tmp_path / "site"), "--work", str(tmp_path / "build"),
                 "--as-of", "2024-09-01", "--project", str(REPO), "-j", "1", "--quiet")


def test_depth_counts_markers_and_indentation():
    assert depth("正文") == 0 and depth("- 一") == 1 and depth("    - 二") == 3
    assert depth("> > - 引用里的列表") == 4 and depth("- " * 600 + "x") > 600
    assert depth("2024. 年") == 1 and depth("      缩进的文字") == 0


def test_the_quadratic_bracket_body_is_refused_by_check_and_never_built(tmp_path):
    root = county(tmp_path, "[" * 12000 + "](" * 6000 + "\n")
    proc = cunwu("check", str(root))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stdout.splitlines()
    assert f"{DECISION}:{BODY_LINE}: error text.brackets:" in line and "方括号" in line
    proc = build(root, tmp_path)
    assert proc.returncode == 1 and "未发布" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "build" / "render" / "qingshi").exists()   # never rendered


def test_lists_nested_600_deep_are_refused_by_check_build_and_serve(tmp_path):
    root = county(tmp_path, "正文。\n\n" + "".join("  " * i + "- 项\n" for i in range(40)) + "- " * 600 + "项\n")
    proc = cunwu("check", str(root))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stdout.splitlines()
    # the first line deeper than the limit: two spaces a level, plus its marker
    assert f"{DECISION}:{BODY_LINE + 2 + MAX_DEPTH}: error text.nesting:" in line and "嵌套" in line
    proc = build(root, tmp_path)
    assert proc.returncode == 1 and "RecursionError" not in proc.stderr and "Traceback" not in proc.stderr
    # the preview refuses to start instead of crashing in the engine
    proc = cunwu("serve", "qingshi", "--villages", str(root), "--project", str(REPO), "--as-of", "2024-09-01")
    assert proc.returncode == 1 and "无法预览" in proc.stderr and "Traceback" not in proc.stderr
    assert "text.nesting" in proc.stdout


def test_a_body_over_the_size_limit_and_a_long_field_are_refused(tmp_path):
    root = county(tmp_path, "村道修建情况说明。\n" * 12000)
    rule = root / "qingshi" / "rules" / "村规民约.yml"
    rule.write_text(rule.read_text(encoding="utf-8").replace(
        "      第三条 不得在村道上晾晒粮食。\n", "      第三条 不得在村道上晾晒粮食。\n" + "      很长的条文。\n" * 9000),
        encoding="utf-8")
    proc = cunwu("check", str(root), "--format", "json")
    assert proc.returncode == 1
    found = {(d["file"].split("county/")[-1], d["rule"]) for d in json.loads(proc.stdout)["diagnostics"]}
    assert found == {(DECISION, "text.too-long"), ("qingshi/rules/村规民约.yml", "text.too-long")}


def test_text_at_the_limits_passes_check_and_builds(tmp_path):
    """Many blocks of MAX_BRACKETS unclosed brackets, lists MAX_DEPTH deep: accepted and built."""
    block = "[链接 " * MAX_BRACKETS
    nested = "".join("  " * i + f"- 第{i + 1}层\n" for i in range(MAX_DEPTH))
    root = county(tmp_path, "\n\n".join([block] * 20) + "\n\n" + nested)
    proc = cunwu("check", str(root))
    assert proc.returncode == 0, proc.stdout
    proc = build(root, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert any("第16层" in p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "qingshi" / "decisions").glob("*.html"))


# ---------------------------------------------------------------- negative amounts


def test_negative_amount_check_and_import_say_how_to_record_a_reversal(tmp_path):
    root = county(tmp_path)
    ledger = root / "qingshi" / "ledgers" / "2024-03.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("amount: 7200.00", "amount: -7200.00"),
                      encoding="utf-8")
    proc = cunwu("check", str(root))
    assert proc.returncode == 1
    negative = [line for line in proc.stdout.splitlines() if "ledger.amount-negative" in line]
    assert len(negative) == 1 and "ledgers/2024-03.yml:21:" in negative[0]
    assert "方向相反的正数" in negative[0] and "冲销 记-005" in negative[0]

    sheet = tmp_path / "明细.xlsx"
    book = Workbook()
    book.active.append(["日期", "凭证号", "摘要", "科目", "收入", "支出"])
    book.active.append(["2024-04-03", "记-001", "退回多付材料款", "管理费用", None, -200])
    book.save(sheet)
    proc = cunwu("import", "ledger", str(sheet), "qingshi", "--month", "2024-04", "--villages", str(root),
                 "--opening", "161450.50")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "方向相反的正数" in proc.stderr and "冲销 记-005" in proc.stderr
    template = (REPO / "cunwu" / "clerk" / "templates" / "ledger.yml").read_text(encoding="utf-8")
    guide = (REPO / "content" / "guide" / "records.md").read_text(encoding="utf-8")
    for text in (template, guide):
        assert "方向相反的正数" in text and "冲销 记-005" in text


# ---------------------------------------------------------------- the terminal


def test_control_characters_from_records_are_escaped_on_the_terminal_and_exact_in_json(tmp_path):
    root = county(tmp_path)
    ledger = root / "qingshi" / "ledgers" / "2024-03.yml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        "category: 补助收入", 'category: "补助\\e]0;被改的标题\\a\\u202e款"'), encoding="utf-8")
    proc = cunwu("check", str(root))
    assert proc.returncode == 1
    [line] = [x for x in proc.stdout.splitlines() if "schema.category" in x]
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout and "\u202e" not in proc.stdout
    assert "补助\\x1b]0;被改的标题\\x07\\u202e款" in line
    proc = cunwu("check", str(root), "--format", "json")
    [d] = [d for d in json.loads(proc.stdout)["diagnostics"] if d["rule"] == "schema.category"]
    assert "补助\x1b]0;被改的标题\x07\u202e款" in d["message"]
    assert "\x1b" not in proc.stdout   # JSON escapes it as \u001b
