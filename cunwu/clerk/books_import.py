"""`cunwu import assets` and `cunwu import contracts`: the asset list and the
contract list a clerk keeps in Excel or WPS (.xlsx or .csv, UTF-8 or GBK) →
villages/<村>/assets/资产台账.yml and one villages/<村>/contracts/<编号>.yml per
contract.

The sheet is read by `spreadsheet` (bounded: zip-bomb guard and a row limit for
.xlsx, a size limit for every file); the header row is found among the first
rows by the names clerks' sheets use (资产编号、资产名称、类别、坐落、原值、购建日期、
折旧、净值、状态; 合同编号、承包方、标的、面积、起止日期、年租金、付款方式 …); total
and signature rows are skipped. Every other row must become one record, or it is
reported with its row number and the reason — and then nothing is written.
Existing files are never overwritten. A person who rents from the collective is
written with counterparty_kind 个人, so that pages and open data show the name
masked (刘某红); the terminal shows it masked too.
"""

from __future__ import annotations

import calendar
from argparse import Namespace
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..records.books import ASSET_CATEGORIES, RESOURCE_KINDS
from ..records.checks import check_path
from ..records.money import CENT, ZERO, yuan
from ..site.pages.books import masked_person
from .book_sheets import (
    ASSET_HEADERS,
    ASSET_REQUIRED,
    CATEGORY_ALIASES,
    CONTRACT_HEADERS,
    CONTRACT_REQUIRED,
    KIND_WORDS,
    MAX_FILE_BYTES,
    ORGANISATION_RE,
    PAYMENT_PERIODS,
    STATUS_ALIASES,
    Imported,
    RowError,
    cell,
    code_of,
    data_rows,
    date_cell,
    find_header,
    money_cell,
    need_text,
    term_cell,
    text_of,
)
from .cells import cell_text, norm
from .common import (
    ClerkError,
    display,
    find_village,
    guarded,
    pad,
    parse_date,
    print_outcome,
    report_written,
    safe_file_title,
    villages_root,
    write_new,
    yaml_value,
)
from .spreadsheet import Spreadsheet, read_table


def read_assets(table: Spreadsheet) -> Imported:
    out = Imported("assets")
    out.header_row, columns, out.shown = find_header(table, ASSET_HEADERS, ASSET_REQUIRED, "资产清单")
    codes: dict[str, int] = {}
    for number, cells in data_rows(table, out.header_row, out):
        try:
            code = code_of(need_text(cells, columns, "code", "资产编号"), "资产编号")
            if code in codes:
                raise RowError(f"资产编号 {code} 与第 {codes[code]} 行重复")
            raw_category = need_text(cells, columns, "category", "类别")
            category = raw_category if raw_category in ASSET_CATEGORIES else CATEGORY_ALIASES.get(norm(raw_category))
            if category is None:
                raise RowError(f"类别“{raw_category}”不认识，只能是：{'、'.join(ASSET_CATEGORIES)}")
            raw_status = text_of(cells, columns, "status") or "在用"
            status = STATUS_ALIASES.get(norm(raw_status))
            if status is None:
                raise RowError(f"状态“{raw_status}”不认识，只能是：在用、出租、闲置、处置")
            original = money_cell(cell(cells, columns, "original_value"), "原值")
            depreciation = money_cell(cell(cells, columns, "depreciation"), "折旧", required=False)
            current = money_cell(cell(cells, columns, "current_value"), "净值", required=False)
            if original is not None and depreciation is not None and depreciation > original:
                raise RowError(f"折旧 {yuan(depreciation)} 超过原值 {yuan(original)}")
            values = {"code": code, "name": need_text(cells, columns, "name", "资产名称"), "category": category,
                      "location": text_of(cells, columns, "location"), "quantity": text_of(cells, columns, "quantity"),
                      "acquired": date_cell(cell(cells, columns, "acquired"), "购建日期"),
                      "original_value": original, "depreciation": depreciation, "current_value": current,
                      "status": status, "contract": text_of(cells, columns, "contract"),
                      "note": text_of(cells, columns, "note"), "source_status": raw_status}
        except RowError as exc:
            out.problems.append(f"{table.name} 第 {number} 行：{exc}。")
            continue
        codes[code] = number
        out.records.append((number, values))
    return out


def assets_yaml(imported: Imported, source: str, title: str, as_of: date, posted: date, posted_note: str) -> str:
    total = sum((v["original_value"] for _, v in imported.records), ZERO)
    out = [f"# 资产台账 —— 由 cunwu import assets 从表格“{source}”导入。",
           f"# 共 {len(imported.records)} 项，原值合计 {yuan(total)}。每项后面注明了它在表格里的行号，便于核对。",
           "# 模板和各项说明见 cunwu/clerk/templates/assets.yml（cunwu new assets 生成的文件）。",
           pad(f"title: {yaml_value(title)}", "标题"),
           pad(f"as_of: {as_of.isoformat()}", "台账截至日期：导入时默认为今天，请改为账面数据的日期"),
           pad(f"posted: {posted.isoformat()}", f"公布日期：{posted_note}"),
           pad("assets:", "资产明细，一项一条")]
    for number, v in imported.records:
        out.append(pad(f"  - code: {yaml_value(v['code'])}", f"表格第 {number} 行"))
        out.append(f"    name: {yaml_value(v['name'])}")
        out.append(f"    category: {v['category']}")
        for key in ("location", "quantity"):
            if v[key]:
                out.append(f"    {key}: {yaml_value(v[key])}")
        out.append(f"    acquired: {v['acquired'].isoformat()}")
        out.append(f"    original_value: {v['original_value']:.2f}")
        for key in ("depreciation", "current_value"):
            if v[key] is not None:
                out.append(f"    {key}: {v[key]:.2f}")
        note = f"表中状态：{v['source_status']}" if v["source_status"] != v["status"] else ""
        out.append(pad(f"    status: {v['status']}", note))
        if v["status"] == "处置":
            out.append("    # 已处置：请补写 disposal（date 处置日期、decision 批准处置的决策、amount 处置所得、how 处置方式）")
        for key in ("contract", "note"):
            if v[key]:
                out.append(f"    {key}: {yaml_value(v[key])}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- contracts


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_of(start: date, end: date, rent: Decimal, payment: str) -> list[tuple[date, Decimal]]:
    """The instalments a 付款方式 means over the term: due on the start date and
    every period after it while the term lasts; a year's rent split evenly (the
    cents left over go to the year's last instalment)."""
    period = next((months for pattern, months in PAYMENT_PERIODS if pattern.search(payment)), None)
    if period is None:
        raise RowError(f"付款方式“{payment}”看不懂（可写 按年、按半年、按季、按月 或 一次性）")
    if period == 0:
        months = (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)
        total = (rent * months / 12).quantize(CENT, ROUND_HALF_UP)
        return [(start, total)]
    per_year = 12 // period
    share = (rent / per_year).quantize(CENT, ROUND_HALF_UP)
    out = []
    k = 0
    while True:
        due = add_months(start, k * period)
        if due > end:
            break
        last_of_year = (k + 1) % per_year == 0
        out.append((due, rent - share * (per_year - 1) if last_of_year else share))
        k += 1
        if k > 1200:
            raise RowError("合同期限太长（超过一百年），请核对起止日期")
    return out


def kind_of(resource: str) -> str:
    for kind, words in KIND_WORDS:
        if any(w in resource for w in words):
            return kind
    return "其他"


def read_contracts(table: Spreadsheet) -> Imported:
    out = Imported("contracts")
    out.header_row, columns, out.shown = find_header(table, CONTRACT_HEADERS, CONTRACT_REQUIRED, "合同清单")
    area_header = norm(out.shown.get("area", ""))
    header_unit = "平方米" if ("平方米" in area_header or "㎡" in area_header or "m2" in area_header) else "亩"
    codes: dict[str, int] = {}
    for number, cells in data_rows(table, out.header_row, out):
        try:
            code = code_of(need_text(cells, columns, "code", "合同编号"), "合同编号")
            if code in codes:
                raise RowError(f"合同编号 {code} 与第 {codes[code]} 行重复")
            party = need_text(cells, columns, "counterparty", "承包方")
            raw_kind = text_of(cells, columns, "counterparty_kind")
            if raw_kind:
                if "个人" in raw_kind or raw_kind in ("农户", "自然人", "村民"):
                    party_kind = "个人"
                elif any(w in raw_kind for w in ("单位", "企业", "公司", "合作社", "组织", "法人")):
                    party_kind = "单位"
                else:
                    raise RowError(f"承包方类别“{raw_kind}”不认识，只能是：单位、个人")
            else:
                party_kind = "单位" if ORGANISATION_RE.search(party) or len(party) > 6 else "个人"
            resource = need_text(cells, columns, "resource", "标的")
            raw_resource_kind = text_of(cells, columns, "kind")
            if raw_resource_kind:
                resource_kind = next((k for k in RESOURCE_KINDS if k in raw_resource_kind), None)
                if resource_kind is None:
                    resource_kind = {"鱼塘": "水面", "山林": "林地", "土地": "耕地", "厂房": "房屋", "门面": "房屋",
                                     "果园": "园地"}.get(raw_resource_kind)
                if resource_kind is None:
                    raise RowError(f"资源类别“{raw_resource_kind}”不认识，只能是：{'、'.join(RESOURCE_KINDS)}")
            else:
                resource_kind = kind_of(resource)
            raw_area = cell(cells, columns, "area")
            unit = text_of(cells, columns, "unit") or header_unit
            area = None
            if raw_area is not None and cell_text(raw_area):
                area_text = cell_text(raw_area)
                for u in ("平方米", "㎡", "亩", "间", "台", "处"):
                    if area_text.endswith(u):
                        unit, area_text = ("平方米" if u == "㎡" else u), area_text[: -len(u)]
                area = money_cell(area_text, "面积")
            if unit not in ("亩", "平方米", "间", "台", "处"):
                raise RowError(f"面积单位“{unit}”不认识，只能是：亩、平方米、间、台、处")
            if "term" in columns and text_of(cells, columns, "term"):
                start, end = term_cell(cell(cells, columns, "term"))
            else:
                start = date_cell(cell(cells, columns, "start"), "起始日期")
                end = date_cell(cell(cells, columns, "end"), "终止日期")
            if end < start:
                raise RowError(f"终止日期 {end} 早于起始日期 {start}")
            rent = money_cell(cell(cells, columns, "rent"), "年租金")
            if not rent:
                raise RowError("年租金是 0")
            payment = need_text(cells, columns, "payment", "付款方式")
            schedule = schedule_of(start, end, rent, payment)
            if not schedule:
                raise RowError("按付款方式算不出任何一期应收（请核对起止日期）")
            values = {"code": code, "title": text_of(cells, columns, "title") or f"{resource}{'租赁' if resource_kind in ('房屋', '设备') else '承包'}合同",
                      "resource": resource, "kind": resource_kind, "area": area, "unit": unit,
                      "location": text_of(cells, columns, "location"), "counterparty": party,
                      "counterparty_kind": party_kind, "start": start, "end": end, "rent": rent,
                      "payment": payment, "schedule": schedule, "decision": text_of(cells, columns, "decision"),
                      "tendering": text_of(cells, columns, "tendering"), "note": text_of(cells, columns, "note")}
        except RowError as exc:
            out.problems.append(f"{table.name} 第 {number} 行：{exc}。")
            continue
        codes[code] = number
        out.records.append((number, values))
    return out


def shown_party(v: dict[str, Any]) -> str:
    return masked_person(v["counterparty"]) if v["counterparty_kind"] == "个人" else v["counterparty"]


def contract_yaml(number: int, v: dict[str, Any], source: str, today: date) -> str:
    status = "履行中" if v["end"] >= today else "已到期"
    resource = [f"name: {yaml_value(v['resource'])}", f"kind: {v['kind']}"]
    if v["area"] is not None:
        resource.append(f"area: {v['area']:.2f}")
    resource.append(f"unit: {v['unit']}")
    if v["location"]:
        resource.append(f"location: {yaml_value(v['location'])}")
    out = [f"# 资源发包（出租）合同 —— 由 cunwu import contracts 从表格“{source}”第 {number} 行导入。",
           "# 收到租金时，在月度收支明细那一笔写上 contract: " + v["code"] + "，网站会按收款计划核对是否欠租。",
           pad(f"code: {yaml_value(v['code'])}", "合同编号"),
           pad(f"title: {yaml_value(v['title'])}", "合同名称"),
           "resource:                     # 发包（出租）的资源",
           *[f"  {line}" for line in resource],
           pad(f"counterparty: {yaml_value(v['counterparty'])}", "承包方"),
           pad(f"counterparty_kind: {v['counterparty_kind']}",
               f"个人的姓名在网站上显示为 {masked_person(v['counterparty'])}" if v["counterparty_kind"] == "个人"
               else "单位：网站上显示全称"),
           pad(f"start: {v['start'].isoformat()}", "合同起始日期"),
           pad(f"end: {v['end'].isoformat()}", "合同终止日期"),
           pad(f"rent: {v['rent']:.2f}", "年租金（元）"),
           pad("schedule:", f"收款计划：按表中付款方式“{v['payment']}”排出，请与合同核对"),
           *[f"  - {{due: {due.isoformat()}, amount: {amount:.2f}}}" for due, amount in v["schedule"]]]
    if v["decision"]:
        out.append(pad(f"decision: {yaml_value(v['decision'])}", "批准发包或出租的决策文件名（不带 .md）"))
    else:
        out.append("# decision:                    # 批准发包或出租的决策文件名（不带 .md）：表中没有，请补写")
    if v["tendering"]:
        out.append(pad(f"tendering: {yaml_value(v['tendering'])}", "发包方式"))
    out.append(pad(f"status: {status}", "合同状态：履行中 / 已到期 / 已终止"))
    if v["note"]:
        out.append(pad(f"note: {yaml_value(v['note'])}", "备注"))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the command


@dataclass
class Outcome:
    code: int
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def import_books(what: str, file: Path, village_key: str, villages: str = "villages", sheet: str | None = None,
                 title: str = "资产台账", posted: str | None = None, today: date | None = None) -> Outcome:
    village = find_village(villages_root(villages), village_key)
    today = today or date.today()
    if file.is_file() and file.stat().st_size > MAX_FILE_BYTES:
        raise ClerkError(f"表格“{file.name}”超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，不像一个村的清单。"
                         "请只保留本村的资产或合同后再导入。")
    if what == "assets":
        target = village / "assets" / f"{safe_file_title(title)}.yml"
        if target.exists():
            raise ClerkError(f"资产台账 {display(target)} 已经存在，没有导入。请直接修改它；"
                             "如确需用表格重建，请先把它改名或移走，再重新导入。")
    table = read_table(file, sheet)
    imported = read_assets(table) if what == "assets" else read_contracts(table)
    out = Outcome(0)
    labels = ASSET_HEADERS if what == "assets" else CONTRACT_HEADERS
    out.lines.append(f"读取 {file.name}：{table.note}，表头在第 {imported.header_row} 行，识别的列："
                     + "、".join(f"{labels[f][0]}=“{h}”" for f, h in imported.shown.items()) + "。")
    for number, text in imported.skipped:
        out.lines.append(f"  跳过第 {number} 行（不是{'资产' if what == 'assets' else '合同'}）：{text[:40]}")
    if imported.problems:
        out.problems.extend(imported.problems)
        out.problems.append(f"表格中有 {len(imported.problems)} 行读不懂（见上），没有写入任何文件。"
                            "请在表格里改正这些行后重新导入。")
        out.code = 1
        return out
    if not imported.records:
        raise ClerkError(f"表格“{file.name}”的表头下面没有数据行，没有写入任何文件。")
    posted_day = parse_date(posted, "公布日期") if posted else today
    posted_note = "按 --posted 填写" if posted else "导入时默认为今天，请改为实际在公开栏张贴的日期"
    if what == "assets":
        write_new(target, assets_yaml(imported, file.name, title, today, posted_day, posted_note))
        out.written.append(target)
        total = sum((v["original_value"] for _, v in imported.records), ZERO)
        out.lines.append(f"已导入 {len(imported.records)} 项资产，原值合计 {yuan(total)}。")
    else:
        targets = [(village / "contracts" / f"{v['code']}.yml", number, v) for number, v in imported.records]
        existing = [t for t, _, _ in targets if t.exists()]
        if existing:
            out.problems.append("这些合同已经有文件，不会覆盖：" + "、".join(display(t) for t in existing)
                                + "。没有写入任何文件。请从表格里删去这些行，或先把旧文件移走，再重新导入。")
            out.code = 1
            return out
        for target, number, v in targets:
            write_new(target, contract_yaml(number, v, file.name, today))
            out.written.append(target)
            out.lines.append(f"  {v['code']}：{v['resource']}，{shown_party(v)}，{v['start']} 至 {v['end']}，"
                             f"年租金 {yuan(v['rent'])}，{len(v['schedule'])} 期")
        out.lines.append(f"已导入 {len(targets)} 份合同。个人承包方的姓名在网站上只显示姓和末字（如 李某生）。")
    out.lines.append("已写入 " + "、".join(display(p) for p in out.written[:5])
                     + (f" 等 {len(out.written)} 个文件" if len(out.written) > 5 else "") + "。")
    _, report = check_path(village)
    mine = {display(p) for p in out.written}
    relevant = [d for d in report.sorted() if d.file in mine]
    if report_written(out.lines, relevant, village):
        out.code = 1
    out.lines.append(f"下一步：打开文件核对公布日期和{'各项资产' if what == 'assets' else '收款计划、批准的决策'}，"
                     f"用 cunwu serve {village.name} 预览，确认无误后提交（git add、git commit）。")
    return out


def run(args: Namespace) -> int:
    what = "assets" if args.what == "assets" else "contracts"
    outcome, code = guarded(lambda: import_books(what, Path(args.file), args.village, args.villages, args.sheet,
                                                 posted=args.posted))
    if outcome is None:
        return code
    print_outcome(outcome.lines, outcome.problems)
    return outcome.code
