"""`cunwu import assets` and `cunwu import contracts`: real .xlsx files (openpyxl)
and CSV files in UTF-8 and GBK written here with the headers clerks' sheets use;
every unreadable row reported with its row number and nothing written; existing
files never overwritten; persons masked on the terminal and marked 个人 so the
pages mask them. And the ledger importer's 2023 account names."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from clerk_helpers import GOOD, cunwu
from openpyxl import Workbook

from cunwu.clerk.books_import import import_books, schedule_of
from cunwu.clerk.common import ClerkError
from cunwu.clerk.subjects import map_category

ASSET_HEADER = ["资产编号", "资产名称", "类别", "坐落", "原值（元）", "购建日期", "累计折旧", "净值", "状态", "备注"]
ASSET_ROWS = [
    ["ZC-001", "村部综合服务楼", "房屋及建筑物", "村部", 594000, date(2012, 6, 1), 225720, 368280, "在用", None],
    ["ZC-101", "村部1号门面", "房屋", "村部一楼", "66,000.00", "2015/3/1", "19800", None, "出租中", "租给超市"],
    ["ZC-201", "村东鱼塘塘坝", "农田水利", "一组", 23300.5, "2009年11月", None, None, "在用", None],
    ["ZC-402", "办公电脑", "电子设备", "村部", 8000, "2021-03-01", 8000, 0, "闲置", None],
]


@pytest.fixture
def county(tmp_path) -> Path:
    shutil.copytree(GOOD, tmp_path / "villages")
    return tmp_path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str) -> Path:
    text = "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(county: Path) -> dict:
    return {p: p.read_bytes() for p in (county / "villages").rglob("*") if p.is_file()}


# ---------------------------------------------------------------- assets


def test_import_assets_from_xlsx(county):
    sheet = write_xlsx(county / "资产清单.xlsx", [
        ["青石村集体资产清单（2024年3月31日）"],
        ASSET_HEADER,
        *ASSET_ROWS,
        ["合计", None, None, None, 691300.5],
        ["制表人：刘会计", None, None, None, None],
    ])
    proc = cunwu("import", "assets", str(sheet), "qingshi", "--posted", "2024-04-05", cwd=county)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "表头在第 2 行" in proc.stdout and "跳过第 7 行" in proc.stdout and "跳过第 8 行" in proc.stdout
    path = county / "villages/qingshi/assets/资产台账.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["posted"] == date(2024, 4, 5)
    got = [(a["code"], a["category"], a["status"], Decimal(str(a["original_value"])), a["acquired"])
           for a in data["assets"]]
    assert got == [("ZC-001", "房屋及建筑物", "在用", Decimal("594000"), date(2012, 6, 1)),
                   ("ZC-101", "房屋及建筑物", "出租", Decimal("66000"), date(2015, 3, 1)),
                   ("ZC-201", "农业基础设施", "在用", Decimal("23300.5"), date(2009, 11, 1)),
                   ("ZC-402", "办公设备", "闲置", Decimal("8000"), date(2021, 3, 1))]
    assert data["assets"][0]["depreciation"] == 225720 and data["assets"][0]["current_value"] == 368280
    assert "depreciation" not in data["assets"][2]
    assert "原值合计 691,300.50" in proc.stdout and "检查通过" in proc.stdout
    proc = cunwu("check", "villages/qingshi", cwd=county)
    assert proc.returncode == 0, proc.stdout


def test_import_assets_reports_every_bad_row_and_writes_nothing(county):
    rows = [ASSET_HEADER, ASSET_ROWS[0],
            ["ZC-002", "粮食烘干机", "烘干设备", "村部", 200000, "2020-08-01", None, None, "在用", None],   # 3
            ["ZC-003", "路灯", "公益设施", "全村", "两万", "2019-05-01", None, None, "在用", None],            # 4
            ["ZC-004", "村部旧楼", "房屋", "村部", 100000, "2010-13-01", None, None, "在用", None],           # 5
            ["ZC-001", "重复编号", "房屋", "村部", 100, "2010-01-01", None, None, "在用", None],             # 6
            ["ZC-005", "水泵", "机器设备", "一组", 5000, "2018-01-01", 6000, None, "在用", None],            # 7
            ["ZC-006", "厕所", "公益设施", "二组", 5000, "2018-01-01", None, None, "坏了", None]]             # 8
    before = snapshot(county)
    for sheet in (write_xlsx(county / "清单.xlsx", rows), write_csv(county / "清单.csv", rows, "utf-8")):
        proc = cunwu("import", "assets", str(sheet), "qingshi", cwd=county)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        for n in (3, 4, 5, 6, 7, 8):
            assert f"{sheet.name} 第 {n} 行" in proc.stderr, (n, proc.stderr)
        assert f"{sheet.name} 第 2 行" not in proc.stderr
        assert "烘干设备" in proc.stderr and "两万" in proc.stderr and "重复" in proc.stderr
        assert "没有写入任何文件" in proc.stderr
        assert snapshot(county) == before


def test_import_assets_never_overwrites(county):
    sheet = write_xlsx(county / "资产清单.xlsx", [ASSET_HEADER, *ASSET_ROWS])
    assert cunwu("import", "assets", str(sheet), "qingshi", cwd=county).returncode == 0
    before = snapshot(county)
    proc = cunwu("import", "assets", str(sheet), "qingshi", cwd=county)
    assert proc.returncode == 1 and "已经存在" in proc.stderr
    assert snapshot(county) == before


def test_import_refuses_a_file_over_the_size_limit(county, monkeypatch):
    sheet = write_csv(county / "big.csv", [ASSET_HEADER, *ASSET_ROWS] * 50, "utf-8")
    monkeypatch.setattr("cunwu.clerk.books_import.MAX_FILE_BYTES", 1000)
    with pytest.raises(ClerkError, match="超过"):
        import_books("assets", sheet, "qingshi", str(county / "villages"))
    assert not (county / "villages/qingshi/assets").exists()


# ---------------------------------------------------------------- contracts

CONTRACT_HEADER = ["合同编号", "承包方", "标的", "面积（亩）", "起止日期", "年租金", "付款方式", "决策", "备注"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_import_contracts_from_csv(county, encoding):
    sheet = write_csv(county / "合同.csv", [
        ["青石村资源发包合同台账"],
        CONTRACT_HEADER,
        ["HT2024-01", "李春生", "村东鱼塘", "23.5", "2024-01-01至2026-12-31", "12000", "按年", "2024-03-修建村道", "公开竞价"],
        ["HT2024-02", "青山县绿源农业专业合作社", "一组耕地", "120", "2024.3.1-2029.2.28", "48000.00", "按季",
         "2024-03-修建村道", None],
        ["合计", None, None, None, None, "60000", None, None, None],
    ], encoding)
    proc = cunwu("import", "contracts", str(sheet), "青石村", cwd=county)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "李某生" in proc.stdout and "李春生" not in proc.stdout       # the terminal masks the person
    assert "已导入 2 份合同" in proc.stdout
    folder = county / "villages/qingshi/contracts"
    one = yaml.safe_load((folder / "HT2024-01.yml").read_text(encoding="utf-8"))
    assert (one["counterparty"], one["counterparty_kind"]) == ("李春生", "个人")
    assert one["resource"] == {"name": "村东鱼塘", "kind": "水面", "area": 23.5, "unit": "亩"}
    assert [(i["due"], i["amount"]) for i in one["schedule"]] == [
        (date(2024, 1, 1), 12000), (date(2025, 1, 1), 12000), (date(2026, 1, 1), 12000)]
    assert "李某生" in (folder / "HT2024-01.yml").read_text(encoding="utf-8")   # the comment says how it shows
    two = yaml.safe_load((folder / "HT2024-02.yml").read_text(encoding="utf-8"))
    assert two["counterparty_kind"] == "单位" and two["resource"]["kind"] == "耕地"
    assert (two["start"], two["end"]) == (date(2024, 3, 1), date(2029, 2, 28))
    assert len(two["schedule"]) == 20 and sum(Decimal(str(i["amount"])) for i in two["schedule"]) == 5 * 48000
    proc = cunwu("check", "villages/qingshi", cwd=county)
    assert proc.returncode == 0, proc.stdout


def test_import_contracts_from_xlsx_with_separate_dates(county):
    sheet = write_xlsx(county / "合同.xlsx", [
        ["合同编号", "合同名称", "承租方", "标的", "面积（平方米）", "起始日期", "终止日期", "年租金（元）", "付款方式"],
        ["HT-S01", "村部门面租赁合同", "王小红", "村部1号门面", 40, date(2024, 1, 1), date(2024, 12, 31), 9600, "一次性"],
    ])
    proc = cunwu("import", "contracts", str(sheet), "qingshi", cwd=county)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = yaml.safe_load((county / "villages/qingshi/contracts/HT-S01.yml").read_text(encoding="utf-8"))
    assert data["resource"]["unit"] == "平方米" and data["resource"]["kind"] == "房屋"
    assert data["schedule"] == [{"due": date(2024, 1, 1), "amount": 9600}]
    assert data["counterparty_kind"] == "个人" and "王某红" in proc.stdout


def test_import_contracts_bad_rows_and_existing_files(county):
    rows = [CONTRACT_HEADER,
            ["HT-01", "李春生", "鱼塘", "10", "2024-01-01至2026-12-31", "5000", "按年", None, None],
            ["HT-02", "张三", "山林", "10", "2024-01-01", "5000", "按年", None, None],          # 3: no end
            ["HT-03", "张三", "山林", "10", "2024-01-01至2026-12-31", "-5000", "按年", None, None],   # 4
            ["HT-04", "张三", "山林", "10", "2024-01-01至2026-12-31", "5000", "看心情", None, None],  # 5
            ["", "张三", "山林", "10", "2024-01-01至2026-12-31", "5000", "按年", None, None],          # 6
            ["HT-06", "张三", "山林", "10", "2026-01-01至2024-12-31", "5000", "按年", None, None]]     # 7
    sheet = write_csv(county / "合同.csv", rows, "gbk")
    before = snapshot(county)
    proc = cunwu("import", "contracts", str(sheet), "qingshi", cwd=county)
    assert proc.returncode == 1
    for n in (3, 4, 5, 6, 7):
        assert f"合同.csv 第 {n} 行" in proc.stderr, (n, proc.stderr)
    assert "合同.csv 第 2 行" not in proc.stderr and "没有写入任何文件" in proc.stderr
    assert snapshot(county) == before
    # a contract that already has its file: nothing written, the file unchanged
    good = write_csv(county / "好.csv", rows[:2] + [["HT-07", "张三", "山林", "10", "2024-01-01至2026-12-31",
                                                     "5000", "按年", None, None]], "utf-8")
    (county / "villages/qingshi/contracts").mkdir()
    (county / "villages/qingshi/contracts/HT-01.yml").write_text("# 已有\n", encoding="utf-8")
    before = snapshot(county)
    proc = cunwu("import", "contracts", str(good), "qingshi", cwd=county)
    assert proc.returncode == 1 and "不会覆盖" in proc.stderr
    assert snapshot(county) == before


def test_schedule_of_payment_methods():
    start, end = date(2024, 1, 31), date(2025, 1, 30)
    assert [d for d, _ in schedule_of(start, end, Decimal("1000"), "按季")] == [
        date(2024, 1, 31), date(2024, 4, 30), date(2024, 7, 31), date(2024, 10, 31)]
    amounts = [a for _, a in schedule_of(start, end, Decimal("1000.00"), "按月")]
    assert len(amounts) == 12 and sum(amounts) == Decimal("1000.00")
    assert schedule_of(start, date(2026, 1, 30), Decimal("1000"), "一次性付清") == [(start, Decimal("2000.00"))]


# ---------------------------------------------------------------- the ledger importer and the 2023 accounts


@pytest.mark.parametrize("text, category", [
    ("经营收入-出租收入", "经营收入"), ("投资收益", "投资收益"), ("税金及附加", "税金及附加"),
    ("税金及附加-城市维护建设税", "税金及附加"), ("发包及上交收入", "承包收入"), ("管理费用-办公费", "管理费用"),
    ("公益支出", "公益支出"), ("补助收入-财政补助", "补助收入"), ("营业税金及附加", "税金及附加"),
])
def test_2023_account_names(text, category):
    assert map_category(text) == (category, "")


@pytest.mark.parametrize("text", ["货币资金", "应收款项", "应付款项", "应交税费", "累计折旧", "固定资产清理",
                                  "消耗性生物资产", "资本", "本年收益"])
def test_2023_balance_sheet_accounts_are_refused_with_a_reason(text):
    category, why = map_category(text)
    assert category is None and "不是收入或支出科目" in why
