"""`cunwu new` for the records of 财务公开 beyond the cash journal
(records/books.py): the assets register, a resource contract, a year's debts
and credits, a year's plan, a year's distribution and an economic audit.

Each file follows its annotated template in cunwu/clerk/templates/ (assets.yml,
contract.yml, debts.yml, plan.yml, distribution.yml, audit.yml) with the same
Chinese comments; what the clerk must supply is left empty after its colon, so
`cunwu check` stops the file at that line until it is filled. Optional fields
are shown as comment lines to uncomment. Nothing is ever overwritten.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..records.books import ASSET_CATEGORIES, DEBT_KINDS, RESOURCE_KINDS
from ..records.models import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from ..records.source import SourceError, load_source
from .common import (
    ClerkError,
    Created,
    display,
    parse_month,
    parse_year,
    read_profile,
    roster_members,
    safe_file_title,
    template_lines,
    this_month,
    write_new,
    yaml_value,
)

BOOK_KINDS = ("assets", "contract", "debts", "plan", "distribution", "audit")

_CHECK = "运行 cunwu check {folder} 检查，按提示改到没有错误。"


def _check_step(village: Path) -> str:
    return _CHECK.format(folder=display(village))


def _refuse_existing(path: Path, what: str, how: str = "请直接打开它修改。") -> None:
    if path.exists():
        raise ClerkError(f"{what} {display(path)} 已经存在，不会覆盖。{how}")


# ---------------------------------------------------------------- 资产台账


def assets_text(title: str, village_slug: str) -> str:
    return template_lines(
        "# 资产台账 —— 一个村一份：villages/<村>/assets/资产台账.yml；资产有变动（新增、出租、处置）就改这份文件",
        "# 固定资产和其他资产逐项登记，一项一条。金额一律写数字，最多两位小数，例如 594000.00",
        "# 由 cunwu new assets 生成。请把冒号后面空着的项目填上；资产清单在 Excel 里的，可改用",
        f"# cunwu import assets 资产清单.xlsx {village_slug} 直接导入。",
        (f"title: {yaml_value(title)}", "标题"),
        ("as_of:", "台账截至日期（账面数据的日期），例如 2024-12-31"),
        ("posted:", "公布日期：在公开栏张贴的日期"),
        ("assets:", "资产明细，一项一条，以“- code:”开头；项目多就照样复制几条"),
        ("  - code:", "资产编号（本台账内不能重复），例如 ZC-001"),
        ("    name:", "资产名称"),
        ("    category:", "类别，见文末类别表"),
        ("    location:", "坐落位置或存放地点"),
        ("    acquired:", "购建日期"),
        ("    original_value:", "原值（元）"),
        ("    depreciation:", "累计折旧（元）；不计提折旧的删去这一行"),
        ("    status: 在用", "状态：在用 / 出租 / 闲置 / 处置"),
        "#   quantity: 1栋               # 数量（可不写）。要写时去掉行首的“#”，与上面的项目对齐",
        "#   current_value: 368280.00    # 净值或评估值（元）；不写则按 原值 − 累计折旧 计算",
        "#   contract: HT2024-01         # 出租的：租赁合同编号（contracts 文件夹里的合同）",
        "#   note: 一楼为便民服务室       # 备注（可不写）",
        "# 处置（报废、拍卖、转让）的资产把 status 改为 处置，并写上：",
        "#   disposal:",
        "#     date: 2024-11-20          # 处置日期",
        "#     decision: 2024-10-处置旧电脑   # 批准处置的决策文件名（不带 .md）；集体财产处置须经村民（代表）会议决定",
        "#     amount: 300.00            # 处置所得（元），没有写 0",
        "#     how: 报废回收             # 处置方式：拍卖、报废、转让 …",
        f"# 类别表：{'、'.join(ASSET_CATEGORIES)}",
    )


def new_assets(village: Path, title: str) -> Created:
    path = village / "assets" / f"{safe_file_title(title)}.yml"
    _refuse_existing(path, "资产台账", "资产有变动时请直接打开它修改（新增一项就照样复制一条）。")
    write_new(path, assets_text(title, village.name))
    return Created(path, ["打开这个文件，填写截至日期、公布日期和每项资产的编号、名称、类别、坐落、购建日期、原值和状态。",
                          f"资产清单在 Excel 里的，可改用 cunwu import assets 资产清单.xlsx {village.name}（先删去这个文件）。",
                          _check_step(village)])


# ---------------------------------------------------------------- 合同


def contract_text(code: str, village_slug: str) -> str:
    return template_lines(
        "# 资源发包（出租）合同 —— 一份合同一个文件：villages/<村>/contracts/合同编号.yml",
        "# 土地、林地、水面、房屋等集体资源发包或出租都要登记。收到的租金不在这里写：",
        "# 记在月度收支明细里，并在那一笔写上 contract: 合同编号，网站会按收款计划核对是否欠租。",
        f"# 由 cunwu new contract 生成。合同多的，可用 cunwu import contracts 合同清单.xlsx {village_slug} 一次导入。",
        (f"code: {yaml_value(code)}", "合同编号（每份合同一个编号），须与文件名相同"),
        ("title:", "合同名称，例如 村东鱼塘承包合同"),
        ("resource:", "发包（出租）的资源"),
        ("  name:", "资源名称，例如 村东鱼塘"),
        ("  kind:", f"种类：{' / '.join(RESOURCE_KINDS)}"),
        ("  area:", "面积或数量（数字），例如 23.50"),
        ("  unit: 亩", "单位：亩 / 平方米 / 间 / 台 / 处"),
        "#  location: 一组               # 坐落位置（可不写）。要写时去掉行首的“#”",
        ("counterparty:", "承包方（对方单位全称或个人姓名）"),
        ("counterparty_kind:", "承包方类别：单位 / 个人（个人的姓名在网站上显示为 李某生）"),
        ("start:", "合同起始日期"),
        ("end:", "合同终止日期"),
        ("rent:", "年租金（元）"),
        ("schedule:", "收款计划：每期一条（应收日期和金额），期数多就照样复制几条"),
        ("  - due:", "应收日期"),
        ("    amount:", "应收金额（元）"),
        ("decision:", "批准发包或出租的决策文件名（不带 .md）；合同早于本系统记录的删去这一行"),
        ("tendering:", "发包方式：公开竞价 / 招标 / 协商 …"),
        ("status: 履行中", "合同状态：履行中 / 已到期 / 已终止"),
        "# note: 租金每年一月底前交清    # 备注（可不写）",
    )


def next_contract_code(village: Path, year: int) -> str:
    taken = {p.stem for p in (village / "contracts").glob("*.yml")} if (village / "contracts").is_dir() else set()
    n = 1
    while f"HT{year}-{n:02d}" in taken:
        n += 1
    return f"HT{year}-{n:02d}"


def new_contract(village: Path, code: str | None) -> Created:
    if code is None:
        code = next_contract_code(village, date.today().year)
    code = code.strip()
    try:
        usable = safe_file_title(code) == code
    except ClerkError:
        usable = False
    if not usable:
        raise ClerkError(f"合同编号“{code}”不能用作文件名。请只用字母、数字、汉字和减号，例如 --code HT2024-01。", 2)
    path = village / "contracts" / f"{code}.yml"
    _refuse_existing(path, f"合同 {code}", "请直接打开它修改，或换一个 --code。")
    write_new(path, contract_text(code, village.name))
    return Created(path, ["打开这个文件，填写合同名称、资源、承包方、起止日期、年租金、收款计划和批准的决策。",
                          f"收到租金时，在收支明细那一笔写上 contract: {code}。",
                          _check_step(village)])


# ---------------------------------------------------------------- 债权债务


def _previous_items(village: Path, year: int) -> list[dict]:
    """The items of last year's file whose closing balance carries into `year`."""
    path = village / "debts" / f"{year - 1}.yml"
    try:
        data = load_source(path).data if path.is_file() else None
    except (SourceError, OSError):
        return []
    items = data.get("items") if isinstance(data, dict) else None
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            closing = Decimal(str(item.get("closing")).strip()).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            continue
        if closing and all(item.get(k) for k in ("id", "kind", "counterparty", "incurred")):
            out.append({**item, "closing": closing})
    return out


def debts_text(year: int, carried: list[dict], source: str) -> str:
    lines: list[str | tuple[str, str]] = [
        "# 债权债务 —— 每年一份：villages/<村>/debts/YYYY.yml",
        "# 每一笔应收款、应付款、借款一条。规则：年初余额 + 本年增加 − 本年减少 = 年末余额；",
        "# 本年的年初余额 = 上年的年末余额。本年收到或付出的钱记在收支明细里，并在那一笔写上 debt: 编号。",
        "# 新增借款必须写批准举借的决策（decision）：村集体举债须经村民会议或村民代表会议决定。",
        f"# 由 cunwu new debts 生成。{source}",
        (f"year: {year}", "年度，须与文件名相同"),
        ("posted:", f"公布日期，例如 {year + 1}-01-20"),
        ("items:", "债权债务明细，一笔一条，以“- id:”开头"),
    ]
    for item in carried:
        closing = f"{item['closing']:.2f}"
        lines += [
            (f"  - id: {yaml_value(str(item['id']))}", "编号（从上年带入）"),
            (f"    kind: {yaml_value(str(item['kind']))}", "种类"),
            (f"    counterparty: {yaml_value(str(item['counterparty']))}", "对方单位或个人"),
            (f"    incurred: {item['incurred']}", "发生日期"),
            (f"    opening: {closing}", "年初余额（元）：上年年末余额"),
            ("    increase: 0.00", "本年增加（元）：借入、新欠；新增借款须写 decision"),
            ("    decrease: 0.00", "本年减少（元）：归还、收回"),
            (f"    closing: {closing}", "年末余额（元）= 年初 + 增加 − 减少"),
        ]
        for key in ("due", "decision", "note"):
            if item.get(key):
                lines.append(f"    {key}: {yaml_value(str(item[key]))}")
    lines += [
        "# 新增一笔时照下面的样子写（去掉行首的“# ”，与上面的项目对齐）：",
        "#  - id: ZW-02                 # 编号（本文件内不能重复；收支明细里用 debt: 编号 指向它）",
        f"#    kind: 短期借款            # 种类：{' / '.join(DEBT_KINDS)}",
        "#    counterparty: 青山镇农村信用合作社   # 对方单位或个人",
        f"#    incurred: {year}-04-10      # 发生日期",
        "#    opening: 0.00             # 年初余额（元）",
        "#    increase: 100000.00       # 本年增加（元）",
        "#    decrease: 0.00            # 本年减少（元）",
        "#    closing: 100000.00        # 年末余额（元）",
        f"#    due: {year + 1}-04-09           # 约定归还日期（可不写）",
        f"#    decision: {year}-03-修建村道   # 批准举借的决策文件名（不带 .md）",
        "#    note: 修建村道垫资         # 备注（可不写）",
    ]
    if not carried:
        lines[7] = ("items: []", "债权债务明细：有就把“ []”删掉，照文末的样子一笔写一条；没有就保持 []")
    return template_lines(*lines)


def new_debts(village: Path, year: int) -> Created:
    path = village / "debts" / f"{year}.yml"
    _refuse_existing(path, f"{year} 年的债权债务", "请直接打开它修改。")
    carried = _previous_items(village, year)
    source = (f"已从 debts/{year - 1}.yml 带入 {len(carried)} 笔年末余额不为零的债权债务，请核对本年增减。"
              if carried else "请照文末的样子逐笔填写。")
    write_new(path, debts_text(year, carried, source))
    return Created(path, ["打开这个文件，填写公布日期，逐笔核对本年增加、减少和年末余额；新增的借款写上批准的决策。",
                          "本年收到或付出的钱，在收支明细那一笔写上 debt: 编号，检查会核对增减是否与账目一致。",
                          _check_step(village)])


# ---------------------------------------------------------------- 财务计划


PLAN_NOTES = {"承包收入": "2023年会计制度中并入经营收入", "税金及附加": "2023年会计制度新设",
              "管理费用": "含村干部误工补贴、办公费"}


def plan_text(year: int) -> str:
    def rows(categories: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(f"  {c}:", f"{c}预算（元）" + (f"（{PLAN_NOTES[c]}）" if c in PLAN_NOTES else "") +
                 "；没有这项的删去这一行") for c in categories]
    return template_lines(
        "# 财务收支计划（预算）—— 每年一份：villages/<村>/plans/YYYY.yml",
        "# 按科目写全年预算，经村民代表会议通过后公布。网站逐科目列出预算和实际，超出县定比例的会标出。",
        "# 由 cunwu new plan 生成。请把冒号后面空着的金额填上（写数字，最多两位小数）。",
        (f"year: {year}", "年度，须与文件名相同"),
        ("decision:", "批准预算的决策文件名（不带 .md）"),
        ("posted:", f"公布日期，例如 {year}-01-20"),
        ("income:", "收入预算（元），一个科目一行；不列的科目算 0"),
        *rows(INCOME_CATEGORIES),
        ("expense:", "支出预算（元），一个科目一行"),
        *rows(EXPENSE_CATEGORIES),
        "# note: 预算经村民代表会议通过   # 说明（可不写）",
    )


def new_plan(village: Path, year: int) -> Created:
    path = village / "plans" / f"{year}.yml"
    _refuse_existing(path, f"{year} 年的财务收支计划", "预算调整时请直接打开它修改，并写明调整的决策。")
    write_new(path, plan_text(year))
    return Created(path, ["打开这个文件，填写批准预算的决策、公布日期和各科目的预算金额（没有的科目删去那一行）。",
                          _check_step(village)])


# ---------------------------------------------------------------- 收益分配


def distribution_text(year: int, households: str) -> str:
    return template_lines(
        "# 收益分配 —— 每年一份：villages/<村>/distributions/YYYY.yml（YYYY 是被分配收益的年度）",
        "# 本年收益由收支明细自动算出（收入 − 支出）。发放给成员的每一笔记在收支明细里，",
        "# 写上 tag: 收益分配 和 project: 年度（例如 project: " + f"{year}），网站会核对发放合计。",
        "# 由 cunwu new distribution 生成。请把冒号后面空着的项目填上。",
        (f"year: {year}", "分配的是哪一年的收益，须与文件名相同"),
        ("decision:", "批准分配方案的决策文件名（不带 .md）"),
        ("posted:", f"公布日期，例如 {year + 1}-03-10"),
        ("reserve:", "提取公积公益金（元），没有写 0"),
        ("welfare:", "提取福利费（元），没有写 0"),
        ("members:", "分配给成员合计（元）"),
        ("basis: 按户", "分配方式：按户 / 按股 / 按人"),
        (f"units: {households}" if households else "units:",
         "户数、股数或人数（整数）" + ("；已按村情简介的户数填写，请核对" if households else "")),
        ("per_unit:", "每户（每股、每人）分得（元）；乘以上一项应等于分配给成员合计"),
        "# note: 分配方案经村民代表会议通过   # 说明（可不写）",
    )


def new_distribution(village: Path, year: int) -> Created:
    path = village / "distributions" / f"{year}.yml"
    _refuse_existing(path, f"{year} 年度的收益分配")
    households = str(read_profile(village).get("households") or "").strip()
    write_new(path, distribution_text(year, households if households.isdigit() else ""))
    return Created(path, ["打开这个文件，填写批准的决策、公布日期和提取、分配的金额。",
                          f"发放给成员时，在收支明细每一笔写上 tag: 收益分配 和 project: {year}。",
                          _check_step(village)])


# ---------------------------------------------------------------- 经济责任审计


def audit_text(title: str, cadres: list[tuple[str, str]]) -> str:
    roster = "；村干部：" + "、".join(f"{n}（{r}）" for n, r in cadres) if cadres else ""
    return template_lines(
        "# 任期、离任经济责任审计 —— 一次审计一份：villages/<村>/audits/YYYY-MM-名称.yml",
        "# 村民委员会成员实行任期和离任经济责任审计，审计结果应当公布（《村民委员会组织法》第三十五条）。",
        "# 由 cunwu new audit 生成。请把冒号后面空着的项目填上；日期写成 年-月-日，例如 2025-02-20。",
        (f"title: {yaml_value(title)}", "标题"),
        ("kind:", "种类：任期经济责任审计 / 离任经济责任审计"),
        ("cadre:", "被审计的干部姓名（村干部名单会链接到本审计）" + roster),
        ("role:", "职务"),
        ("period:", "审计期间：[开始日期, 结束日期]，例如 [2021-01-15, 2024-12-31]"),
        ("auditor:", "审计单位，例如 青山镇农村经营管理站"),
        ("date:", "审计报告日期"),
        ("posted:", "公布日期（审计报告日期当天或之后）"),
        ("findings: []", "审计发现的问题：有就把“ []”删掉，照下面的样子一条写一项；没有就保持 []"),
        "#  - text: 部分支出凭证缺少经办人签字   # 问题",
        "#    amount: 3600.00           # 涉及金额（元）；没有金额的不写这一行",
        ("conclusion:", "审计结论"),
    )


def new_audit(village: Path, title: str, month: str) -> Created:
    path = village / "audits" / f"{month}-{safe_file_title(title)}.yml"
    _refuse_existing(path, "经济责任审计", "请直接打开它修改，或换一个 --title。")
    profile = read_profile(village)
    cadres: dict[str, list[str]] = {}
    for group in ("party_branch", "village_committee"):
        for m in roster_members(profile, group):
            cadres.setdefault(str(m["name"]), []).append(str(m.get("role") or ""))
    write_new(path, audit_text(title, [(n, "、".join(r for r in roles if r)) for n, roles in cadres.items()]))
    return Created(path, ["打开这个文件，填写审计种类、被审计的干部、审计期间、审计单位、日期、发现的问题和结论。",
                          _check_step(village)])


# ---------------------------------------------------------------- dispatch


def create_book(kind: str, village: Path, args) -> Created:
    today = date.today()
    if kind == "assets":
        return new_assets(village, (args.title or "资产台账").strip())
    if kind == "contract":
        return new_contract(village, args.code)
    if kind == "debts":
        return new_debts(village, parse_year(args.year) if args.year else today.year - 1)
    if kind == "plan":
        return new_plan(village, parse_year(args.year) if args.year else today.year)
    if kind == "distribution":
        return new_distribution(village, parse_year(args.year) if args.year else today.year - 1)
    if kind == "audit":
        return new_audit(village, args.title.strip(), parse_month(args.month) if args.month else this_month())
    raise ClerkError(f"不认识的种类“{kind}”。", 2)  # pragma: no cover



