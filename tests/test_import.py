"""`cunwu import ledger`: every sample spreadsheet in tests/import_samples/ becomes the
ledger its rows describe (entries, totals and balances computed here from the
samples' own description in make_samples.py), bad rows are reported by row number
and nothing is written, --force keeps a backup, and the result passes `cunwu check`."""

from __future__ import annotations

import shutil
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from clerk_helpers import GOOD, REPO, cunwu

from cunwu.clerk.importer import CellError, decode_csv, map_category, parse_amount, parse_cell_date
from cunwu.records.diagnostics import Report
from cunwu.records.load import validate
from cunwu.records.models import INCOME_CATEGORIES, Ledger
from cunwu.records.source import load_source

SAMPLES_DIR = REPO / "tests" / "import_samples"
sys.path.insert(0, str(SAMPLES_DIR))
import make_samples  # noqa: E402  (the samples' description)

GOOD_SAMPLES = [s for s in make_samples.SAMPLES if s is not make_samples.BAD_ROWS]


@pytest.fixture
def village(tmp_path) -> Path:
    """A working folder with villages/county.yml and villages/qingshi/village.yml, no ledgers."""
    (tmp_path / "villages" / "qingshi").mkdir(parents=True)
    shutil.copy(GOOD / "county.yml", tmp_path / "villages" / "county.yml")
    shutil.copy(GOOD / "qingshi" / "village.yml", tmp_path / "villages" / "qingshi" / "village.yml")
    return tmp_path


def read_ledger(path: Path) -> Ledger:
    report = Report()
    doc = validate(load_source(path), Ledger, report)
    assert doc is not None, [d.format() for d in report.items]
    return doc.record


def write_previous(cwd: Path, month: str, closing: Decimal) -> None:
    """A hand-written ledger for the month before, ending with `closing`."""
    year, mon = map(int, month.split("-"))
    prev = f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"
    (cwd / "villages/qingshi/ledgers").mkdir(parents=True, exist_ok=True)
    (cwd / f"villages/qingshi/ledgers/{prev}.yml").write_text(
        f"month: {prev}\nopening_balance: {closing}\nclosing_balance: {closing}\nposted: {month}-02\n"
        f"review:\n  by: [赵秀英]\n  date: {month}-01\nentries: []\n", encoding="utf-8")


def import_args(sample, *extra: str) -> list[str]:
    month = sample["month"]
    year, mon = map(int, month.split("-"))
    after = f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"
    args = ["import", "ledger", str(SAMPLES_DIR / sample["file"]), "qingshi", "--month", month,
            "--posted", f"{after}-05", "--review-by", "赵秀英,陈德明", "--review-date", f"{after}-03"]
    if sample.get("mapping"):
        args += ["--mapping", str(SAMPLES_DIR / sample["mapping"])]
    return args + list(extra)


@pytest.mark.parametrize("sample", GOOD_SAMPLES, ids=[s["file"] for s in GOOD_SAMPLES])
def test_import_sample(village, sample):
    cwd = village
    if not sample["opening_in_sheet"]:
        write_previous(cwd, sample["month"], sample["opening"])
    proc = cunwu(*import_args(sample), cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = cwd / "villages/qingshi/ledgers" / f"{sample['month']}.yml"
    assert f"已写入 villages/qingshi/ledgers/{sample['month']}.yml" in proc.stdout
    code_only = sum(1 for e in sample["entries"] if str(e["subject"]).isdigit())
    assert (f"其中 {code_only} 笔只有科目编号" in proc.stdout) == bool(code_only), proc.stdout
    ledger = read_ledger(path)

    # expected, from the description of the sample
    expected = []
    for e in sample["entries"]:
        expected.append({"date": make_samples.entry_date(sample, e), "voucher": e["voucher_out"],
                         "summary": e["summary"], "category": e["category"], "amount": e["amount"],
                         "counterparty": e["counterparty"], "handled_by": e["handled_by"],
                         "reviewed_by": e["reviewed_by"], "approved_by": e["approved_by"]})
    got = [{k: getattr(x, k) for k in expected[0]} for x in ledger.entries]
    assert got == expected
    income = sum((e["amount"] for e in sample["entries"] if e["category"] in INCOME_CATEGORIES), Decimal(0))
    expense = sum((e["amount"] for e in sample["entries"] if e["category"] not in INCOME_CATEGORIES), Decimal(0))
    assert ledger.month == sample["month"]
    assert ledger.opening_balance == sample["opening"]
    assert ledger.income == income and ledger.expense == expense
    assert ledger.closing_balance == sample["opening"] + income - expense == sample["closing"]
    assert ledger.review is not None and ledger.review.by == ["赵秀英", "陈德明"]
    # and the village passes the checker as a whole
    check = cunwu("check", "villages", cwd=cwd)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "检查通过" in proc.stdout


def test_months_chain(village):
    """Importing the samples month after month: each opening equals the last closing."""
    cwd = village
    for sample in GOOD_SAMPLES:
        proc = cunwu(*import_args(sample), cwd=cwd)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    ledgers = [read_ledger(cwd / "villages/qingshi/ledgers" / f"{s['month']}.yml") for s in GOOD_SAMPLES]
    for before, after in zip(ledgers, ledgers[1:], strict=False):
        assert after.opening_balance == before.closing_balance
    proc = cunwu("check", "villages", cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_gbk_csv_keeps_the_chinese_text(village):
    sample = make_samples.GBK_CSV
    raw = (SAMPLES_DIR / sample["file"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")                      # really GBK
    proc = cunwu(*import_args(sample), cwd=village)
    assert proc.returncode == 0, proc.stderr
    assert "编码 GBK" in proc.stdout
    text = (village / "villages/qingshi/ledgers/2024-03.yml").read_text(encoding="utf-8")
    assert "summary: 村东组水泥路工程款（首期）" in text
    assert "category: 补助收入" in text and "表中科目：财政补助" in text


def test_text_that_needs_quoting_reads_back_exactly(village):
    sample = make_samples.UTF8_BOM_CSV
    write_previous(village, sample["month"], sample["opening"])
    assert cunwu(*import_args(sample), cwd=village).returncode == 0
    ledger = read_ledger(village / "villages/qingshi/ledgers/2024-04.yml")
    assert ledger.entries[0].summary == "支付村部维修费: 材料 #2"
    assert ledger.entries[0].counterparty == "[一组]施工队"
    assert ledger.entries[2].counterparty == "null"


def test_bad_rows_are_reported_and_nothing_written(village):
    sample = make_samples.BAD_ROWS
    proc = cunwu(*import_args(sample), cwd=village)
    assert proc.returncode == 1
    for row, rule, words in sample["bad"]:
        line = next((x for x in proc.stderr.splitlines() if f"bad_rows.xlsx:{row}: error {rule}:" in x), None)
        assert line is not None, (row, rule, proc.stderr)
        assert f"第 {row} 行" in line and words in line
    reported = {int(x.split(":")[1]) for x in proc.stderr.splitlines() if "bad_rows.xlsx:" in x and " error " in x}
    assert reported == {row for row, _, _ in sample["bad"]}
    assert "没有写入任何文件" in proc.stderr
    ledgers = village / "villages/qingshi/ledgers"
    assert not ledgers.exists() or not any(ledgers.iterdir())
    assert not (village / "villages/qingshi/.backup").exists()


def test_allow_errors_writes_the_good_rows_and_lists_the_skipped(village):
    sample = make_samples.BAD_ROWS
    proc = cunwu(*import_args(sample, "--allow-errors"), cwd=village)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = "、".join(str(row) for row, _, _ in sample["bad"])
    assert f"第 {rows} 行" in proc.stdout
    ledger = read_ledger(village / "villages/qingshi/ledgers/2024-06.yml")
    assert [e.summary for e in ledger.entries] == [e["summary"] for e in sample["entries"]]
    assert ledger.opening_balance == sample["opening"] and ledger.closing_balance == sample["closing"]


def test_existing_month_needs_force_and_keeps_a_backup(village):
    sample = make_samples.STANDARD
    assert cunwu(*import_args(sample), cwd=village).returncode == 0
    path = village / "villages/qingshi/ledgers/2024-01.yml"
    edited = path.read_text(encoding="utf-8") + "# 文书手工加的一行\n"
    path.write_text(edited, encoding="utf-8")

    proc = cunwu(*import_args(sample), cwd=village)
    assert proc.returncode == 1 and "已经存在" in proc.stderr and "--force" in proc.stderr
    assert path.read_text(encoding="utf-8") == edited

    proc = cunwu(*import_args(sample, "--force"), cwd=village)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    backups = list((village / "villages/qingshi/.backup").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith("2024-01.yml.bak-")
    assert backups[0].read_text(encoding="utf-8") == edited
    assert "文书手工加的一行" not in path.read_text(encoding="utf-8")
    assert f"已备份为 villages/qingshi/.backup/{backups[0].name}" in proc.stdout
    # the backup folder is hidden from the loader: no warning about an unexpected file
    check = cunwu("check", "villages", cwd=village)
    assert check.returncode == 0 and "file.unexpected" not in check.stdout, check.stdout
    assert not [p for p in path.parent.iterdir() if p.name != "2024-01.yml"]   # no temp files left


def test_opening_from_previous_month_or_option(village):
    sample = make_samples.UTF8_BOM_CSV           # has no opening row
    proc = cunwu(*import_args(sample), cwd=village)
    assert proc.returncode == 1 and "--opening" in proc.stderr and "期初余额" in proc.stderr
    proc = cunwu(*import_args(sample, "--opening", "1,000.50"), cwd=village)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert read_ledger(village / "villages/qingshi/ledgers/2024-04.yml").opening_balance == Decimal("1000.50")


def test_wrong_month_is_refused_row_by_row(village):
    sample = make_samples.STANDARD
    args = import_args(sample)
    args[args.index("--month") + 1] = "2024-02"
    proc = cunwu(*args, cwd=village)
    assert proc.returncode == 1
    assert proc.stderr.count("不在 2024-02 月内") == len(sample["entries"])
    assert "import.title-month" in proc.stderr


def test_unreadable_files_are_explained(village, tmp_path):
    old = tmp_path / "账.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    proc = cunwu("import", "ledger", str(old), "qingshi", "--month", "2024-01", cwd=village)
    assert proc.returncode == 2 and "另存为" in proc.stderr
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    proc = cunwu("import", "ledger", str(broken), "qingshi", "--month", "2024-01", cwd=village)
    assert proc.returncode == 1 and "无法打开表格" in proc.stderr
    proc = cunwu("import", "ledger", str(tmp_path / "无.csv"), "qingshi", "--month", "2024-01", cwd=village)
    assert proc.returncode == 2 and "找不到表格文件" in proc.stderr
    garbage = tmp_path / "乱码.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    proc = cunwu("import", "ledger", str(garbage), "qingshi", "--month", "2024-01", cwd=village)
    assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr and "错误" in proc.stderr
    notes = tmp_path / "notes.csv"
    notes.write_text("会议记录,内容\n一,二\n", encoding="utf-8")
    proc = cunwu("import", "ledger", str(notes), "qingshi", "--month", "2024-01", cwd=village)
    assert proc.returncode == 1 and "找不到表头" in proc.stderr and "--mapping" in proc.stderr


def test_mapping_file_mistakes_are_explained(village, tmp_path):
    bad = tmp_path / "map.yml"
    bad.write_text("columns:\n  riqi: 记录时间\n", encoding="utf-8")
    sample = make_samples.CUSTOM
    args = import_args(sample)
    args[args.index("--mapping") + 1] = str(bad)
    proc = cunwu(*args, cwd=village)
    assert proc.returncode == 2 and "riqi" in proc.stderr and "map.yml:2" in proc.stderr
    bad.write_text("columns:\n  date: 发生日期\ncategories:\n  卫生: 卫生支出\n", encoding="utf-8")
    proc = cunwu(*args, cwd=village)
    assert proc.returncode == 2 and "不是标准科目" in proc.stderr
    bad.write_text("columns:\n  date: 发生日期\n", encoding="utf-8")
    proc = cunwu(*args, cwd=village)
    assert proc.returncode == 2 and "发生日期" in proc.stderr and "找不到" in proc.stderr


def test_two_level_header_and_amount_direction_layout(village, tmp_path):
    """金额 over 收入|支出 in two header rows; and a layout with one 金额 column + 收支 column."""
    sheet = tmp_path / "两行表头.csv"
    sheet.write_text(
        "日期,凭证号,摘要,科目,金额,,余额\n"
        ",,,,收入,支出,\n"
        "2024-01-01,,期初余额,,,,100.00\n"
        "2024-01-05,1,卖稻谷,经营收入,50.00,,150.00\n"
        "2024-01-06,2,买化肥,经营支出,,20.00,130.00\n", encoding="utf-8")
    proc = cunwu("import", "ledger", str(sheet), "qingshi", "--month", "2024-01", "--posted", "2024-02-02",
                 cwd=village)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ledger = read_ledger(village / "villages/qingshi/ledgers/2024-01.yml")
    assert (ledger.opening_balance, ledger.income, ledger.expense, ledger.closing_balance) == \
        (Decimal("100.00"), Decimal("50.00"), Decimal("20.00"), Decimal("130.00"))

    sheet2 = tmp_path / "方向.csv"
    sheet2.write_text(
        "日期,凭证号,摘要,科目,收支,金额\n"
        "2月3日,1,卖稻谷,经营收入,收,50.00\n"
        "2月4日,2,买化肥,经营收入,支,20.00\n", encoding="utf-8")
    proc = cunwu("import", "ledger", str(sheet2), "qingshi", "--month", "2024-02", cwd=village)
    assert proc.returncode == 1
    assert "方向.csv:3: error import.direction" in proc.stderr


# ---------------------------------------------------------------- units


@pytest.mark.parametrize("text,expected", [
    ("501 经营收入", "经营收入"), ("501经营收入", "经营收入"), ("管理费用-干部报酬", "管理费用"),
    ("管理费用—办公费", "管理费用"), ("发包及上交收入", "承包收入"), ("511001 土地承包收入", "承包收入"),
    ("541", "管理费用"), ("541001", "管理费用"), ("其他收入/利息", "其他收入"), ("财政补助", "补助收入"),
    ("公益事业支出", "公益支出"), ("村级公益支出", "公益支出"), ("投资收益", "投资收益"), ("  其他支出 ", "其他支出"),
    ("５０２　经营支出", "经营支出"),
])
def test_map_category(text, expected):
    assert map_category(text) == (expected, "")


@pytest.mark.parametrize("text,words", [("招商引资", "不认识的科目"), ("应付款-张三", "不是收入或支出科目"),
                                        ("", "没有科目")])
def test_map_category_refuses(text, words):
    category, why = map_category(text)
    assert category is None and words in why


def test_map_category_mapping_wins():
    assert map_category("卫生保洁", extra={"卫生保洁": "公益支出"}) == ("公益支出", "")


@pytest.mark.parametrize("value,expected", [
    (datetime(2024, 1, 5, 0, 0), date(2024, 1, 5)), (date(2024, 1, 5), date(2024, 1, 5)),
    ("2024-01-05", date(2024, 1, 5)), ("2024/1/5", date(2024, 1, 5)), ("2024.1.5", date(2024, 1, 5)),
    ("2024年1月5日", date(2024, 1, 5)), ("1月5日", date(2024, 1, 5)), ("1-5", date(2024, 1, 5)),
    ("5", date(2024, 1, 5)), ("5日", date(2024, 1, 5)), (5, date(2024, 1, 5)), (5.0, date(2024, 1, 5)),
    (45296, date(2024, 1, 5)), ("20240105", date(2024, 1, 5)), ("2024-01-05 00:00:00", date(2024, 1, 5)),
])
def test_parse_cell_date(value, expected):
    assert parse_cell_date(value, "2024-01") == expected


@pytest.mark.parametrize("value", ["元旦", "2024-02-30", "32", "1月32日", 3.5])
def test_parse_cell_date_refuses(value):
    with pytest.raises(CellError):
        parse_cell_date(value, "2024-01")


@pytest.mark.parametrize("value,expected", [
    (1200, Decimal("1200.00")), (1200.5, Decimal("1200.50")), (0.1 + 0.2, Decimal("0.30")),
    ("12,000.00", Decimal("12000.00")), ("￥1,200", Decimal("1200.00")), ("1200元", Decimal("1200.00")),
    ("（35.00）", Decimal("-35.00")), (None, None), ("", None), ("-", None), (0, None), ("0.00", None),
])
def test_parse_amount(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("value", ["一千二", "12.345", 12.345, "1.2.3", True])
def test_parse_amount_refuses(value):
    with pytest.raises(CellError):
        parse_amount(value)


def test_decode_csv_encodings():
    text = "日期,摘要\n"
    assert decode_csv(text.encode("gbk")) == (text, "GBK")
    assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "UTF-8（带 BOM）")
    assert decode_csv(text.encode("utf-8")) == (text, "UTF-8")
    assert decode_csv(text.encode("utf-16")) == (text, "UTF-16")


# ---------------------------------------------------------------- account codes of the two systems


@pytest.mark.parametrize("code,system,expected", [
    # the 2023 system (books from January 2024)
    ("501", "2023", "经营收入"), ("502", "2023", "投资收益"), ("503", "2023", "补助收入"), ("504", "2023", "其他收入"),
    ("511", "2023", "经营支出"), ("512", "2023", "税金及附加"), ("513001", "2023", "管理费用"),
    ("514", "2023", "公益支出"), ("515", "2023", "其他支出"),
    # the 2004 system
    ("502", "2004", "经营支出"), ("511001", "2004", "承包收入"), ("521", "2004", "补助收入"),
    ("522", "2004", "补助收入"), ("531", "2004", "其他收入"), ("541", "2004", "管理费用"),
    ("551", "2004", "其他支出"), ("561", "2004", "投资收益"),
    # a code only the other system has can mean nothing else
    ("541", "2023", "管理费用"), ("561", "2023", "投资收益"),
])
def test_codes_are_read_by_the_month_s_system(code, system, expected):
    assert map_category("", code, system=system) == (expected, "")
    assert map_category(f"{code} 摘要以外的文字", system=system) == (expected, "")


@pytest.mark.parametrize("text,system,words", [
    ("102", "2023", "银行存款"), ("214", "2023", "应交税费"), ("241", "2023", "专项应付款"),
    ("212", "2004", "应付福利费"), ("521", "2023", "所得税费用"),
    ("502 管理费用", "2023", "与名称（管理费用）不符"), ("513 经营收入", "2023", "管理费用"),
])
def test_codes_that_are_not_income_or_expense_or_contradict_the_name(text, system, words):
    category, why = map_category(text, system=system)
    assert category is None and words in why, why


def test_a_name_agreeing_with_either_system_decides():
    # exports of 2024 from software still numbering by 2004: the name settles it
    assert map_category("502 经营支出", system="2023") == ("经营支出", "")
    assert map_category("511001 土地承包收入", system="2023") == ("承包收入", "")
    assert map_category("502 投资收益", system="2004") == ("投资收益", "")


def test_the_code_tables_agree_with_the_statements():
    from cunwu.records.accounts import (
        CODES_2004,
        CODES_2023,
        EXPENSE_ACCOUNTS_2023,
        INCOME_ACCOUNTS_2023,
        system_for,
    )
    assert len(CODES_2023) == 42 and len(set(CODES_2023.values())) == 42
    assert len(set(CODES_2004.values())) == len(CODES_2004)
    profit_and_loss = [name for code, name in sorted(CODES_2023.items()) if code.startswith("5")]
    assert profit_and_loss == [*INCOME_ACCOUNTS_2023, *EXPENSE_ACCOUNTS_2023, "所得税费用"]
    assert (system_for("2023-12"), system_for("2024-01"), system_for("2026-05", "2004")) == ("2004", "2023", "2004")


def test_code_only_rows_follow_the_month_and_the_mapping_file(village, tmp_path):
    """The same export of codes only: 502 is income in a 2024 month, expense in a
    2023 month, and `accounts: 2004` in a mapping file reads 2024 rows the old way."""
    def sheet(month: str) -> Path:
        path = tmp_path / f"{month}.csv"
        path.write_text("日期,凭证号,摘要,科目编号,收入,支出\n"
                        f"{month}-05,1,合作社分红,502,80.00,\n", encoding="utf-8")
        return path

    write_previous(village, "2024-03", Decimal("100.00"))
    proc = cunwu("import", "ledger", str(sheet("2024-03")), "qingshi", "--month", "2024-03",
                 "--posted", "2024-04-02", cwd=village)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    entry = read_ledger(village / "villages/qingshi/ledgers/2024-03.yml").entries[0]
    assert (entry.category, entry.amount) == ("投资收益", Decimal("80.00"))
    assert "其中 1 笔只有科目编号，按2023年的《农村集体经济组织会计制度》的编号对照" in proc.stdout
    assert "accounts: 2004" in proc.stdout

    write_previous(village, "2023-03", Decimal("100.00"))
    proc = cunwu("import", "ledger", str(sheet("2023-03")), "qingshi", "--month", "2023-03",
                 "--posted", "2023-04-02", cwd=village)
    assert proc.returncode == 1 and "2023-03.csv:2: error import.direction" in proc.stderr, proc.stderr
    assert "经营支出" in proc.stderr

    mapping = tmp_path / "old-codes.yml"
    mapping.write_text("accounts: 2004\n", encoding="utf-8")
    write_previous(village, "2024-05", Decimal("100.00"))
    proc = cunwu("import", "ledger", str(sheet("2024-05")), "qingshi", "--month", "2024-05",
                 "--posted", "2024-06-02", "--mapping", str(mapping), cwd=village)
    assert proc.returncode == 1 and "经营支出" in proc.stderr, proc.stderr
    mapping.write_text("accounts: 1996\n", encoding="utf-8")
    proc = cunwu("import", "ledger", str(sheet("2024-05")), "qingshi", "--month", "2024-05",
                 "--posted", "2024-06-02", "--mapping", str(mapping), cwd=village)
    assert proc.returncode == 2 and "old-codes.yml:1" in proc.stderr and "2004" in proc.stderr
