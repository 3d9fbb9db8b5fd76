"""Sample spreadsheets for `cunwu import ledger`, in the layouts village
accounting software exports. Run it to (re)write the files next to it:

    python tests/import_samples/make_samples.py

SAMPLES describes every file: the month, the opening balance it carries, and
each entry row (its sheet row number and what the ledger must say about it).
tests/test_import.py computes the expected ledgers from this description, not
from the importer.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2024, 7, 1, 9, 0, 0)   # workbook metadata, so rebuilt files do not churn

D = Decimal


def E(day, voucher, summary, subject, category, amount, counterparty="", handled="", reviewed="",
      approved="", *, written=None, voucher_out=None):
    """One entry as the sheet shows it (`subject`, `written` date) and as the ledger must show it."""
    return {"day": day, "voucher": voucher, "summary": summary, "subject": subject, "category": category,
            "amount": D(amount), "counterparty": counterparty, "handled_by": handled, "reviewed_by": reviewed,
            "approved_by": approved, "written": written, "voucher_out": voucher_out or voucher}


INCOME = ("经营收入", "承包收入", "补助收入", "投资收益", "其他收入")

# ------------------------------------------------------------------ the samples

STANDARD = {
    "file": "standard.xlsx", "month": "2024-01", "opening": D("125300.00"), "opening_in_sheet": True,
    "entries": [
        E(6, "记-001", "收取村东鱼塘承包费", "511 发包及上交收入", "承包收入", "12000.00", "李春生", "刘会计", "赵秀英", "王建国"),
        E(10, "记-002", "村部办公用品", "管理费用-办公费", "管理费用", "356.50", "青山文具店", "刘会计", "赵秀英", "王建国"),
        E(15, "记-003", "上级拨付村级组织运转经费", "522 补助收入", "补助收入", "30000.00", "青山镇财政所", "刘会计", "赵秀英", "王建国"),
        E(18, "记-004", "村道路灯维修", "公益支出", "公益支出", "2480.00", "青山电器维修部", "刘会计", "赵秀英", "王建国"),
        E(22, "记-005", "出租村部闲置仓库", "501 经营收入", "经营收入", "3600.00", "石门物流", "刘会计", "赵秀英", "王建国"),
        E(25, "记-006", "支付一月份村干部误工补贴", "管理费用-干部报酬", "管理费用", "7200.00", "村干部", "刘会计", "赵秀英", "王建国"),
    ],
}

DEBIT_CREDIT = {
    "file": "debit_credit.xlsx", "month": "2024-02", "opening_in_sheet": True,
    "entries": [
        E(3, "记-01", "春节慰问困难户", "管理费用", "管理费用", "4000.00"),
        E(8, "记-02", "合作社分红", "投资收益", "投资收益", "15000.00"),
        E(12, "记-03", "银行存款利息", "其他收入-利息收入", "其他收入", "86.32"),
        E(20, "记-04", "购买苗木", "经营支出", "经营支出", "5600.00"),
        E(26, "记-05", "支付村委会电话费", "541", "管理费用", "120.00"),
        E(26, "记-05", "支付村委会网络费", "541001", "管理费用", "200.00", voucher_out="记-05-2"),
    ],
}

GBK_CSV = {
    "file": "gbk.csv", "month": "2024-03", "opening_in_sheet": True,
    "entries": [
        E(5, "3", "收取果园承包费", "承包收入", "承包收入", "8000.00", handled="刘会计"),
        E(11, "4", "一事一议财政奖补资金到账", "财政补助", "补助收入", "50000.00", handled="刘会计"),
        E(19, "5", "村东组水泥路工程款（首期）", "公益支出", "公益支出", "38000.00", handled="刘会计"),
        E(28, "6", "支付三月份村干部误工补贴", "管理费用", "管理费用", "7200.00", handled="刘会计"),
    ],
}

UTF8_BOM_CSV = {
    "file": "utf8_bom.csv", "month": "2024-04", "opening_in_sheet": False,
    "entries": [
        E(5, "记-1", "支付村部维修费: 材料 #2", "管理费用", "管理费用", "1500.00", "[一组]施工队", approved="王建国"),
        E(12, "记-2", "收取集体林地承包费", "承包收入", "承包收入", "20000.00", "林场", approved="王建国"),
        E(20, "记-3", "退还多收保证金", "其他支出", "其他支出", "500.00", "null", approved="王建国"),
    ],
}

CUSTOM = {
    "file": "custom.xlsx", "mapping": "custom_mapping.yml", "month": "2024-05", "opening_in_sheet": True,
    "entries": [
        E(6, "PJ-0501", "村级组织运转经费到账", "村级组织运转经费", "补助收入", "30000.00", "青山镇财政所", "孙出纳"),
        E(9, "PJ-0502", "环境卫生整治保洁费", "环境卫生整治", "公益支出", "3200.00", "保洁队", "孙出纳"),
        E(17, "PJ-0503", "村部水电费", "村部水电", "管理费用", "812.40", "供电所", "孙出纳"),
        E(24, "PJ-0504", "农家乐场地租金", "经营收入", "经营收入", "6000.00", "绿野农家乐", "孙出纳"),
    ],
}

BAD_ROWS = {
    "file": "bad_rows.xlsx", "month": "2024-06", "opening": D("50000.00"), "opening_in_sheet": True,
    "entries": [
        E(3, "记-01", "收取鱼塘承包费", "承包收入", "承包收入", "6000.00"),
        E(28, "记-07", "支付六月份村干部误工补贴", "管理费用", "管理费用", "7200.00"),
    ],
    # rows that must be reported: (sheet row, rule, words the message must contain); see BAD_LAYOUT
    "bad": [],
}

SAMPLES = [STANDARD, DEBIT_CREDIT, GBK_CSV, UTF8_BOM_CSV, CUSTOM, BAD_ROWS]


def totals(sample) -> tuple[Decimal, Decimal]:
    income = sum((e["amount"] for e in sample["entries"] if e["category"] in INCOME), D("0.00"))
    expense = sum((e["amount"] for e in sample["entries"] if e["category"] not in INCOME), D("0.00"))
    return income, expense


def _chain_openings() -> None:
    """Each month opens with the previous month's closing (as the sheets themselves say)."""
    opening = STANDARD["opening"]
    for sample in (STANDARD, DEBIT_CREDIT, GBK_CSV, UTF8_BOM_CSV, CUSTOM):
        sample["opening"] = opening
        income, expense = totals(sample)
        sample["closing"] = opening + income - expense
        opening = sample["closing"]
    income, expense = totals(BAD_ROWS)
    BAD_ROWS["closing"] = BAD_ROWS["opening"] + income - expense


_chain_openings()


def entry_date(sample, entry) -> date:
    year, month = map(int, sample["month"].split("-"))
    return date(year, month, entry["day"])


# ------------------------------------------------------------------ writers


def _workbook():
    from openpyxl import Workbook
    wb = Workbook()
    wb.properties.creator = "cunwu samples"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def _save(wb, name: str) -> None:
    """Save with fixed timestamps (zip entries and document properties), so that running
    this script again writes byte-identical files."""
    import re
    import zipfile

    raw = io.BytesIO()
    wb.save(raw)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    (HERE / name).write_bytes(out.getvalue())


def _running(sample):
    balance = sample["opening"]
    for e in sample["entries"]:
        balance += e["amount"] if e["category"] in INCOME else -e["amount"]
        yield e, balance


def write_standard() -> None:
    """Title row merged across the table, a 单位 row, the usual headers, 上月结转 row with
    the balance, real Excel dates, subjects with codes and sub-accounts, 本月合计 and
    本年累计 rows and a 制表人 line at the bottom."""
    s = STANDARD
    wb = _workbook()
    ws = wb.active
    ws.title = "收支明细"
    ws.append(["青石村2024年1月收支明细表"])
    ws.merge_cells("A1:K1")
    ws.append([None] * 9 + ["单位：元"])
    ws.append(["日期", "凭证号", "摘要", "会计科目", "收入（元）", "支出（元）", "余额", "对方单位", "经手人", "审核人", "审批人"])
    ws.append([datetime(2024, 1, 1), None, "上月结转", None, None, None, float(s["opening"])])
    for e, balance in _running(s):
        income = e["category"] in INCOME
        ws.append([datetime(2024, 1, e["day"]), e["voucher"], e["summary"], e["subject"],
                   float(e["amount"]) if income else None, None if income else float(e["amount"]),
                   float(balance), e["counterparty"], e["handled_by"], e["reviewed_by"], e["approved_by"]])
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd"
    income, expense = totals(s)
    ws.append([None, None, "本月合计", None, float(income), float(expense), float(s["closing"])])
    ws.append([None, None, "本年累计", None, float(income), float(expense), float(s["closing"])])
    ws.append(["制表人：刘会计", None, None, None, None, None, None, "审核：赵秀英"])
    _save(wb, s["file"])


def write_debit_credit() -> None:
    """Classic cash journal: a two-level header (2024年 over 月 | 日, one column each),
    借方/贷方, the month written only on the first row, day numbers, 本月合计 at the top,
    subject codes alone, and one voucher with two lines."""
    s = DEBIT_CREDIT
    wb = _workbook()
    ws = wb.active
    ws.title = "现金日记账"
    ws.append(["现金日记账"])
    ws.merge_cells("A1:H1")
    ws.append(["2024年", None, "凭证字号", "摘要", "对方科目", "借方", "贷方", "余额"])
    ws.merge_cells("A2:B2")
    ws.append(["月", "日"])
    income, expense = totals(s)
    ws.append([None, None, None, "本月合计", None, float(income), float(expense), float(s["closing"])])
    ws.append([2, 1, None, "期初余额", None, None, None, float(s["opening"])])
    for e, balance in _running(s):
        is_income = e["category"] in INCOME
        ws.append([None, e["day"], e["voucher"], e["summary"], e["subject"],
                   float(e["amount"]) if is_income else None, None if is_income else float(e["amount"]),
                   float(balance)])
    _save(wb, s["file"])


def _csv_rows_gbk():
    s = GBK_CSV
    rows = [["青石村2024年3月收支明细表", "", "", "", "", "", "", ""],
            ["日期", "凭证号", "摘要", "科目", "收入金额", "支出金额", "余额", "经手人"],
            ["2024/3/1", "", "上月结转", "", "", "", f"{s['opening']:,.2f}", ""]]
    for e, balance in _running(s):
        is_income = e["category"] in INCOME
        amount = f"{e['amount']:,.2f}"
        rows.append([f"2024/3/{e['day']}", e["voucher"], e["summary"], e["subject"],
                     amount if is_income else "", "" if is_income else amount, f"{balance:,.2f}", e["handled_by"]])
    income, expense = totals(s)
    rows.append(["", "", "合计", "", f"{income:,.2f}", f"{expense:,.2f}", f"{s['closing']:,.2f}", ""])
    return rows


def write_gbk_csv() -> None:
    """GBK-encoded CSV (what Excel on a Chinese Windows saves as “CSV”), slash dates,
    thousands separators, a title line, 上月结转 and 合计 rows."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(_csv_rows_gbk())
    (HERE / GBK_CSV["file"]).write_bytes(buf.getvalue().encode("gbk"))


def write_utf8_bom_csv() -> None:
    """UTF-8 with BOM (Excel's “CSV UTF-8”), 月日 dates without the year, 借方/贷方 金额,
    合计 right under the header, no opening row (it comes from last month's ledger), and
    text that needs quoting in YAML."""
    s = UTF8_BOM_CSV
    income, expense = totals(s)
    rows = [["日期", "凭证字号", "摘要", "会计科目", "借方金额", "贷方金额", "对方单位", "审批人"],
            ["", "", "合计", "", f"{income:.2f}", f"{expense:.2f}", "", ""]]
    for e in s["entries"]:
        is_income = e["category"] in INCOME
        rows.append([f"4月{e['day']}日", e["voucher"], e["summary"], e["subject"],
                     f"{e['amount']:.2f}" if is_income else "", "" if is_income else f"{e['amount']:.2f}",
                     e["counterparty"], e["approved_by"]])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / s["file"]).write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_custom() -> None:
    """A layout no alias covers; custom_mapping.yml names its columns, its own subject
    names, its opening row (上期结存) and a row to skip (作废)."""
    s = CUSTOM
    wb = _workbook()
    ws = wb.worksheets[0]
    ws.title = "资金流水"
    ws.append(["2024年5月 村级资金流水"])
    ws.append(["记录时间", "票据编号", "业务说明", "款项类别", "进账", "出账", "账户结存", "往来方", "办理人"])
    ws.append(["2024-05-01", None, "上期结存", None, None, None, f"{s['opening']:.2f}"])
    entries = list(_running(s))
    for k, (e, balance) in enumerate(entries):
        is_income = e["category"] in INCOME
        ws.append([f"2024-05-{e['day']:02d}", e["voucher"], e["summary"], e["subject"],
                   float(e["amount"]) if is_income else None, None if is_income else float(e["amount"]),
                   float(balance), e["counterparty"], e["handled_by"]])
        if k == 1:   # a voided voucher, listed but not counted
            ws.append(["2024-05-10", "PJ-0599", "作废", "环境卫生整治", None, 999.0, None, None, "孙出纳"])
    other = wb.create_sheet("说明")
    other.append(["本表由村级资金管理软件导出"])
    _save(wb, s["file"])


BAD_LAYOUT = [
    # (summary, subject, income, expense, date) for each row after the header, with what is wrong
    ("收取鱼塘承包费", "承包收入", 6000.0, None, datetime(2024, 6, 3), None),
    ("出售旧办公桌", "经营收入", "一千二", None, datetime(2024, 6, 5), ("import.amount", "一千二")),
    ("招商引资接待", "招商引资", None, 800.0, datetime(2024, 6, 9), ("import.category", "招商引资")),
    ("七月份电费预付", "管理费用", None, 300.0, datetime(2024, 7, 2), ("import.date-outside", "2024-07-02")),
    ("收付款重复登记", "其他收入", 100.0, 100.0, datetime(2024, 6, 15), ("import.both-amounts", "两栏")),
    ("支付村干部误工补贴写到收入栏", "管理费用", 50.0, None, datetime(2024, 6, 20), ("import.direction", "支出科目")),
    ("支付六月份村干部误工补贴", "管理费用", None, 7200.0, datetime(2024, 6, 28), None),
]


def write_bad_rows() -> None:
    """Bad rows among good ones: a non-numeric amount, an unknown subject, a date outside the
    month, both columns filled, an expense subject in the income column."""
    s = BAD_ROWS
    wb = _workbook()
    ws = wb.active
    ws.title = "6月"
    ws.append(["日期", "凭证号", "摘要", "科目", "收入", "支出", "余额"])
    ws.append([datetime(2024, 6, 1), None, "上月结转", None, None, None, float(s["opening"])])
    for k, (summary, subject, income, expense, when, _problem) in enumerate(BAD_LAYOUT, 1):
        ws.append([when, f"记-{k:02d}", summary, subject, income, expense])
    _save(wb, s["file"])


def _bad_rows_description() -> None:
    """The rows of bad_rows.xlsx as written by write_bad_rows (header row 1, opening row 2)."""
    BAD_ROWS["bad"] = [(3 + k, *problem) for k, (*_, problem) in enumerate(BAD_LAYOUT) if problem]


_bad_rows_description()


MAPPING = """\
# 列对照（映射）文件：告诉 cunwu 这种表格的哪一列是什么。
# 用法：cunwu import ledger custom.xlsx qingshi --month 2024-05 --mapping custom_mapping.yml
sheet: 资金流水            # 工作表名称（不写就用第一个工作表）
header_row: 2              # 表头在第几行（不写就自动查找）
columns:                   # cunwu 的项目: 本表的表头文字（也可写列字母，如 C）
  date: 记录时间
  voucher: 票据编号
  summary: 业务说明
  category: 款项类别
  income: 进账
  expense: 出账
  balance: 账户结存
  counterparty: 往来方
  handled_by: 办理人
categories:                # 本表的科目名称: 标准科目
  村级组织运转经费: 补助收入
  环境卫生整治: 公益支出
  村部水电: 管理费用
opening:                   # 摘要是这些文字的行当作期初余额
  - 上期结存
skip:                      # 摘要（或任一格）是这些文字的行跳过
  - 作废
"""


def write_mapping() -> None:
    (HERE / CUSTOM["mapping"]).write_text(MAPPING, encoding="utf-8")


def main() -> None:
    write_standard()
    write_debit_credit()
    write_gbk_csv()
    write_utf8_bom_csv()
    write_custom()
    write_mapping()
    write_bad_rows()
    for sample in SAMPLES:
        print(HERE / sample["file"])


if __name__ == "__main__":
    main()
