"""`cunwu new <kind> <village>`: a ready-to-fill record in the right place.

Each file follows the annotated template of its kind (cunwu/clerk/templates/), with
the same Chinese comments, the current period filled in, and every value the
clerk must supply left empty after its colon. An empty value fails `cunwu
check` with its line number, so a file cannot be published half-filled; once
the empty values are filled it passes. Nothing is ever overwritten.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from ..records.load import COUNTY_FILE, PROFILE_FILE
from ..records.models import BOARD_COLUMNS as COLUMNS
from ..records.money import decimal_places
from ..records.months import next_month, previous_month
from .books_new import BOOK_KINDS, create_book
from .common import (
    ClerkError,
    Created,
    carried_balance,
    check_slug,
    county_townships,
    display,
    find_village,
    guarded,
    last_month,
    money_text,
    pad,
    parse_month,
    parse_year,
    read_profile,
    roster_members,
    safe_file_title,
    template_lines,
    this_month,
    villages_root,
    write_new,
    yaml_value,
)

KINDS = ("village", "ledger", "decision", "rule", "evaluation", "notice",
         "assets", "contract", "debts", "plan", "distribution", "audit")
KIND_NAMES = {"village": "村情简介", "ledger": "月度收支公开", "decision": "重大事项决策", "rule": "村规民约等制度",
              "evaluation": "干部民主评议", "notice": "公示",
              "assets": "资产台账", "contract": "资源发包合同", "debts": "债权债务", "plan": "财务收支计划",
              "distribution": "收益分配", "audit": "经济责任审计"}
RULE_KINDS = ("村规民约", "村民自治章程", "小微权力清单")

# which options each kind accepts (the rest are refused, so a typo is not silently ignored)
OPTIONS = {
    "village": {"name", "township"},
    "ledger": {"month", "opening"},
    "decision": {"title", "month"},
    "rule": {"title", "rule_kind"},
    "evaluation": {"year"},
    "notice": {"title", "month", "column"},
    "assets": {"title"},
    "contract": {"code"},
    "debts": {"year"},
    "plan": {"year"},
    "distribution": {"year"},
    "audit": {"title", "month"},
}
OPTION_FLAGS = {"name": "--name", "township": "--township", "month": "--month", "opening": "--opening",
                "title": "--title", "rule_kind": "--kind", "year": "--year", "column": "--column", "code": "--code"}


_lines = template_lines


# ---------------------------------------------------------------- village


def village_text(slug: str, name: str, township: str, townships: list[str]) -> str:
    towns = f"：{'、'.join(townships)}" if townships else ""
    return _lines(
        "# 村情简介 —— 每个村一份，放在 villages/<村文件夹>/village.yml",
        "# 井号 # 后面是说明文字，不会发布。冒号后面要留一个空格。",
        f"# 由 cunwu new village 生成。请把冒号后面空着的项目都填上，然后运行 cunwu check villages/{slug} 检查。",
        (f"name: {yaml_value(name)}" if name else "name:", "村名，例如 青石村"),
        ("code:", "统计用区划代码（12位数字），例如 430124105201"),
        (f"township: {yaml_value(township)}" if township else "township:",
         f"所属乡镇，须是 villages/county.yml 里列出的乡镇{towns}"),
        ("households:", "户数（整数）"),
        ("population:", "户籍人口（整数）"),
        ("adults:", "18周岁以上村民人数（村民会议法定人数用；暂不清楚可先空着）"),
        ("representatives:", "村民代表人数"),
        ("contact:", "村务咨询、投诉的公开联系方式（会公开发布）"),
        ("  office:", "办公地点，例如 青石村村部一楼便民服务室"),
        ("  phone:", "村委会办公电话（允许公开；其他地方出现的手机号会被拦下）"),
        ("  hours:", "办公时间，例如 工作日 8:30—17:30"),
        ("  township_phone:", "乡镇纪委或经管站电话（对公开不满意可向上反映）"),
        "cadence:",
        ("  finance: 按月", "财务公开周期：按月 或 按季"),
        ("roster:", "班子成员：每人一条，以“- name:”开头；人多就照样复制几条"),
        ("  party_branch:", "党支部委员会"),
        ("    - name:", "姓名"),
        ("      role: 党支部书记", "职务"),
        ("      term:", "任期：[开始日期, 结束日期]，例如 [2021-01-15, 2026-01-14]"),
        ("  village_committee:", "村民委员会"),
        ("    - name:", "姓名"),
        ("      role: 村委会主任", "职务"),
        ("      term:", "任期"),
        ("  supervision_committee:", "村务监督委员会（村委会成员及其近亲属不得担任）"),
        ("    - name:", "姓名"),
        ("      role: 主任", "职务"),
        ("      term:", "任期"),
    )


def new_village(root: Path, slug: str, name: str = "", township: str = "") -> Created:
    check_slug(slug)
    folder = root / slug
    path = folder / PROFILE_FILE
    if path.exists():
        raise ClerkError(f"村“{slug}”已经有村情简介 {display(path)}，不会覆盖。请直接打开它修改。")
    townships = county_townships(root)
    if not township and len(townships) == 1:
        township = townships[0]
    if township and townships and township not in townships:
        raise ClerkError(f"乡镇“{township}”不在 {COUNTY_FILE} 的乡镇名单中（{'、'.join(townships)}）。"
                         "请改正乡镇名称，或请县里在 county.yml 中添加。", 2)
    write_new(path, village_text(slug, name, township, townships))
    steps = ["用记事本或 WPS 打开这个文件，把冒号后面空着的项目（村名、代码、户数、人口、联系方式、班子成员等）填好，保存。",
             f"运行 cunwu check {display(folder)} 检查，按提示改到没有错误。",
             f"以后这个村的记录都用 cunwu new <种类> {slug} 创建，例如 cunwu new ledger {slug}。"]
    if not (root / COUNTY_FILE).is_file():
        steps.insert(1, f"注意：{display(root / COUNTY_FILE)} 还不存在（县名和乡镇名单），请县里提供后放在 {display(root)} 文件夹里。")
    return Created(path, steps)


# ---------------------------------------------------------------- ledger


def ledger_text(month: str, opening: Decimal | None, source: str) -> str:
    after = next_month(month)
    if opening is not None:
        open_line = (f"opening_balance: {money_text(opening)}", f"期初余额（元）：{source}")
        close_line = (f"closing_balance: {money_text(opening)}",
                      "期末余额（元）= 期初 + 本月收入合计 − 本月支出合计；还没有收支，所以暂等于期初")
    else:
        open_line = ("opening_balance:", f"期初余额（元）：{source}")
        close_line = ("closing_balance:", "期末余额（元）= 期初余额 + 本月收入合计 − 本月支出合计")
    example = [
        ("  - date: {m}-06", "日期（须在本月之内）"),
        ("    voucher: 记-001", "凭证号（本月内不能重复）"),
        ("    summary: 收取村东鱼塘承包费", "摘要"),
        ("    category: 承包收入", "科目，见下方科目表"),
        ("    counterparty: 李春生", "对方单位或个人"),
        ("    amount: 12000.00", "金额（元），收入、支出都写正数"),
        ("    handled_by: 刘会计", "经手人"),
        ("    reviewed_by: 赵秀英", "审核人（三审）"),
        ("    approved_by: 王建国", "审批签字人（双签）"),
        ("  - date: {m}-25", ""),
        ("    voucher: 记-002", ""),
        ("    summary: 支付村干部误工补贴", ""),
        ("    category: 管理费用", ""),
        ("    counterparty: 村干部", ""),
        ("    amount: 7200.00", ""),
        ("    handled_by: 刘会计", ""),
        ("    reviewed_by: 赵秀英", ""),
        ("    approved_by: 王建国", ""),
    ]
    return _lines(
        "# 月度财务公开（收支明细）—— 每月一份：villages/<村>/ledgers/YYYY-MM.yml",
        "# 规则：期初余额 + 本月收入 − 本月支出 = 期末余额；本月期初 = 上月期末。",
        "# 金额一律写数字，最多两位小数，不加逗号、不写“元”，例如 12000.00",
        "# 由 cunwu new ledger 生成。会计软件能导出 Excel 表格的，可改用 cunwu import ledger 直接导入。",
        (f"month: {month}", "所属月份（年-月），须与文件名相同"),
        open_line,
        close_line,
        ("posted:", f"公布日期：在公开栏张贴的日期，须在本月结束之后，例如 {after}-05"),
        ("review:", "民主理财小组 / 村务监督委员会审核（须在公布日期当天或之前）"),
        ("  by: []", "审核人：写在方括号里，用逗号隔开，例如 [赵秀英, 陈德明]"),
        ("  date:", f"审核日期，例如 {after}-03"),
        ("entries: []", "收支明细，一笔一条。本月没有收支就保持 []。"),
        "# 有收支时：把上一行的“ []”删掉，照下面的例子一笔写一条（去掉行首的“# ”），",
        "# 并把期末余额改为 期初 + 收入合计 − 支出合计。",
        *["# " + pad(line.format(m=month), comment).rstrip() for line, comment in example],
        "# 科目表 —— 收入：经营收入、承包收入、补助收入、投资收益、其他收入",
        "#          支出：经营支出、管理费用（含村干部误工补贴）、公益支出、其他支出",
    )


def new_ledger(village: Path, month: str, opening: Decimal | None = None) -> Created:
    path = village / "ledgers" / f"{month}.yml"
    if path.exists():
        raise ClerkError(f"{month} 的收支公开文件 {display(path)} 已经存在，不会覆盖。请直接打开它修改；"
                         f"要用会计软件导出的表格替换，请用 cunwu import ledger 表格文件 {village.name} --month {month} --force。")
    if opening is not None:
        source = "由 --opening 指定"
    else:
        carried, from_path = carried_balance(village, month)
        if carried is not None and from_path is not None:   # a balance always comes with its file
            opening = carried
            prev = previous_month(month)
            source = (f"已从上月（{from_path.name}）的期末余额带入" if from_path.stem == prev else
                      f"已从 {from_path.name} 的期末余额带入（注意：缺少 {prev} 等月份的公开）")
        elif from_path is not None:
            source = f"{from_path.name} 的期末余额读不出来，请照上月公开栏的期末余额填写"
        else:
            source = "找不到上月的收支公开文件，请照上月公开栏的期末余额填写"
    write_new(path, ledger_text(month, opening, source))
    steps = ["打开这个文件，填写公布日期（posted）和审核人、审核日期（review）。",
             "本月有收支的，照文件里的例子逐笔填写，并改好期末余额；会计软件能导出表格的，可改用："
             f"cunwu import ledger 表格.xlsx {village.name} --month {month} --force",
             f"运行 cunwu check {display(village)} 检查，按提示改到没有错误。"]
    if opening is None:
        steps.insert(0, "先填期初余额（opening_balance）和期末余额（closing_balance）。")
    return Created(path, steps)


# ---------------------------------------------------------------- decision

DECISION_CATEGORIES = """<!--
类别表（前八类属《村民委员会组织法》第二十四条，须走完“四议两公开”全部六步）：
  村干部误工补贴、集体收益使用、公益事业兴办、土地承包方案、集体经济项目、
  宅基地使用方案、征地补偿分配、集体财产处置；
其他类别：村规民约修订、一事一议、其他
-->
"""


def _meeting(indent: str) -> list:
    return [(f"{indent}meeting:", "会议人数和表决票数"),
            (f"{indent}  members:", "应到人数"),
            (f"{indent}  present:", "实到人数"),
            (f"{indent}  for:", "赞成票"),
            (f"{indent}  against:", "反对票"),
            (f"{indent}  abstain:", "弃权票")]


def decision_text(title: str, month: str) -> str:
    return _lines(
        "---",
        "# 村级重大事项决策（“四议两公开”）—— 一事一份：villages/<村>/decisions/YYYY-MM-简短名称.md",
        "# 上下两条 --- 之间是事项信息，下面是正文（普通文字即可）。",
        "# 由 cunwu new decision 生成。请填写冒号后面空着的项目；日期写成 年-月-日，例如 " + f"{month}-05。",
        (f"title: {yaml_value(title)}", "事项名称"),
        ("category:", "类别，见文末类别表"),
        ("amount: 0.00", "涉及金额（元），无金额写 0"),
        ("status: 未实施", "实施情况：未实施 / 实施中 / 已完成"),
        ("steps:", "“四议两公开”六个步骤，按先后顺序写"),
        "  - step: 党支部提议",
        ("    date:", "提议日期"),
        "  - step: 两委会商议",
        ("    date:", "商议日期"),
        *_meeting("    "),
        "  - step: 党员大会审议",
        ("    date:", "审议日期"),
        *_meeting("    "),
        ("  - step: 村民代表会议决议", "或：村民会议决议"),
        ("    date:", "表决日期"),
        *_meeting("    "),
        "    # 村民会议决议时：members 写18周岁以上村民人数；也可加 households 和 households_present",
        ("  - step: 决议公开", "日期即公布日期"),
        ("    date:", "公布日期"),
        "  # 实施完成后，去掉下面两行行首的“# ”，填上日期，并把 status 改为 已完成：",
        "  # - step: 实施结果公开",
        "  #   date:",
        "# documents:                      # 相关文件（可不写）。要写时去掉行首的“# ”",
        "#   - title: 村民代表会议记录",
        "#     url: files/会议记录.pdf",
        "---",
        "<!-- 在这里写事项的具体内容：做什么、花多少钱、钱从哪里来、谁负责实施（这一行不会发布，可删去）。 -->",
        "",
        DECISION_CATEGORIES.rstrip("\n"),
    )


def new_decision(village: Path, title: str, month: str) -> Created:
    path = village / "decisions" / f"{month}-{safe_file_title(title)}.md"
    if path.exists():
        raise ClerkError(f"决策事项 {display(path)} 已经存在，不会覆盖。请直接打开它修改，或换一个 --title。")
    write_new(path, decision_text(title, month))
    return Created(path, [
        "打开这个文件，填写类别（category）、金额和每个步骤的日期，会议步骤填写应到、实到人数和表决票数。",
        "还没进行到的步骤先删去，事项走完“决议公开”后再发布；在两条 --- 下面写事项的具体内容。",
        f"运行 cunwu check {display(village)} 检查，按提示改到没有错误。"])


# ---------------------------------------------------------------- rule


def rule_text(title: str, kind: str) -> str:
    head = [
        "# 村规民约 / 村民自治章程 / 小微权力清单 —— 一种一份：villages/<村>/rules/名称.yml",
        "# 每次修订都新增一个版本（复制 versions 下面的一整条），旧版本不要删除。",
        "# 由 cunwu new rule 生成。请填写冒号后面空着的项目；日期写成 年-月-日，例如 2024-05-10。",
        (f"title: {yaml_value(title)}", "标题"),
        (f"kind: {kind}", "种类：村规民约 / 村民自治章程 / 小微权力清单"),
        "versions:",
        ("  - version:", "版本名称，例如 2024年版"),
        ("    adopted:", "通过日期（村民会议或村民代表会议通过的日期）"),
        ("    decision:", "通过它的决策事项（decisions 文件夹中的文件名，不带 .md）；没有可删去这一行"),
        ("    filed:", "报乡镇备案日期；尚未备案可删去这一行"),
        ("    posted:", "公布日期"),
    ]
    if kind == "小微权力清单":
        body = [
            ("    powers:", "权力事项，每项一条，以“- name:”开头"),
            ("      - name:", "事项名称，例如 村级工程项目建设"),
            ("        basis:", "依据，例如 《村民委员会组织法》第二十四条；没有可删去这一行"),
            ("        responsible:", "责任人；没有可删去这一行"),
            ("        steps: []", "办理步骤，写在方括号里，用逗号隔开，例如 [村党支部提议, 两委会商议, 公开招标]"),
        ]
    else:
        body = [("    text: |", "全文：从下一行起粘贴，每行前面空六格（比 text 多缩进两格）")]
    return _lines(*head, *body)


def new_rule(village: Path, title: str, kind: str | None) -> Created:
    if kind is None:
        kind = next((k for k in RULE_KINDS if k in title), "村规民约")
    if kind not in RULE_KINDS:
        raise ClerkError(f"种类“{kind}”不对。--kind 只能是：{'、'.join(RULE_KINDS)}。", 2)
    path = village / "rules" / f"{safe_file_title(title)}.yml"
    if path.exists():
        raise ClerkError(f"{display(path)} 已经存在，不会覆盖。修订时请打开它，在 versions 最后新增一个版本，"
                         "旧版本不要删除。")
    write_new(path, rule_text(title, kind))
    what = "权力事项（powers）及办理步骤" if kind == "小微权力清单" else "全文（text: | 下面，每行前空六格）"
    return Created(path, [f"打开这个文件，填写版本名称、通过日期、公布日期和{what}。",
                          f"运行 cunwu check {display(village)} 检查，按提示改到没有错误。"])


# ---------------------------------------------------------------- evaluation


def evaluation_text(year: int, profile: dict) -> str:
    cadres: dict[str, list[str]] = {}
    for group in ("party_branch", "village_committee"):
        for member in roster_members(profile, group):
            roles = cadres.setdefault(str(member["name"]), [])
            role = str(member.get("role") or "")
            if role and role not in roles:
                roles.append(role)
    chair = next((str(m["name"]) for m in roster_members(profile, "supervision_committee")), "")
    source = "（已按 village.yml 的班子成员列出，请核对）" if cadres else ""
    if not cadres:
        cadres = {"": [""]}
    lines = [
        "# 村干部民主评议 —— 每年一份：villages/<村>/evaluations/YYYY.yml",
        "# 由村务监督委员会主持；满意 + 基本满意 + 不满意 不能超过参评人数。",
        "# 由 cunwu new evaluation 生成。请填写冒号后面空着的项目；日期写成 年-月-日，例如 " + f"{year + 1}-01-12。",
        (f"year: {year}", "评议年度"),
        ("date:", "评议会日期"),
        ("posted:", "公布日期（评议会当天或之后）"),
        (f"chaired_by: {yaml_value(chair)}" if chair else "chaired_by:", "主持人（村务监督委员会）"),
        ("cadres:", "参评干部，每人一条" + source),
    ]
    for name, roles in cadres.items():
        lines += [
            (f"  - name: {yaml_value(name)}" if name else "  - name:", "姓名"),
            (f"    role: {yaml_value('、'.join(roles))}" if any(roles) else "    role:", "职务"),
            ("    participants:", "参评人数"),
            ("    votes:", "票数"),
            ("      satisfied:", "满意"),
            ("      basic:", "基本满意"),
            ("      unsatisfied:", "不满意"),
            ("    verdict:", "评议结果：称职 / 基本称职 / 不称职"),
            ("    stipend:", "全年误工补贴（元），不公开可删去这一行"),
            ("    report: |", "述职报告：从下一行起粘贴，每行前面空六格；没有可删去这一行"),
        ]
    return _lines(*lines)


def new_evaluation(village: Path, year: int) -> Created:
    path = village / "evaluations" / f"{year}.yml"
    if path.exists():
        raise ClerkError(f"{year} 年的民主评议 {display(path)} 已经存在，不会覆盖。请直接打开它修改。")
    write_new(path, evaluation_text(year, read_profile(village)))
    return Created(path, ["打开这个文件，填写评议日期、公布日期，以及每位干部的参评人数、票数和评议结果。",
                          f"运行 cunwu check {display(village)} 检查，按提示改到没有错误。"])


# ---------------------------------------------------------------- notice


def notice_text(title: str, column: str, profile: dict) -> str:
    contact = profile.get("contact")
    if not isinstance(contact, dict):
        contact = {}
    phone = f"（电话 {contact['phone']}）" if contact.get("phone") else ""
    objections = f"对公示内容有异议的，请在公示期内向村务监督委员会或村委会反映{phone}。"
    return _lines(
        "---",
        "# 公示 —— 一件一份：villages/<村>/notices/YYYY-MM-简短名称.md",
        "# 由 cunwu new notice 生成。请填写冒号后面空着的项目；日期写成 年-月-日，例如 2024-04-08。",
        (f"title: {yaml_value(title)}", "标题"),
        (f"column: {column}", "栏目：党务 / 村务 / 财务 / 政务"),
        ("start:", "公示开始日期"),
        ("end:", "公示结束日期（公示期不少于7天）"),
        ("posted:", "公布日期"),
        (f"objections: {yaml_value(objections)}", "异议反映方式（可修改）"),
        "# table:                        # 名单（可不写）。要写时去掉行首的“# ”。不得出现身份证号、手机号、银行卡号",
        "#   columns: [姓名, 组别, 保障人数, 月保障金（元）]",
        "#   rows:",
        "#     - [张某英, 一组, 2, 760.00]",
        "---",
        "<!-- 在这里写公示的正文（这一行不会发布，可删去）。 -->",
    )


def new_notice(village: Path, title: str, month: str, column: str) -> Created:
    if column not in COLUMNS:
        raise ClerkError(f"栏目“{column}”不对。--column 只能是：{'、'.join(COLUMNS)}。", 2)
    path = village / "notices" / f"{month}-{safe_file_title(title)}.md"
    if path.exists():
        raise ClerkError(f"公示 {display(path)} 已经存在，不会覆盖。请直接打开它修改，或换一个 --title。")
    write_new(path, notice_text(title, column, read_profile(village)))
    return Created(path, ["打开这个文件，填写公示开始、结束和公布日期，在两条 --- 下面写公示正文；有名单的照例子写 table。",
                          f"运行 cunwu check {display(village)} 检查，按提示改到没有错误。"])


# ---------------------------------------------------------------- command


def _money_option(text: str) -> Decimal:
    value = str(text).strip().replace(",", "")
    try:
        amount = Decimal(value)
        if not amount.is_finite() or decimal_places(amount) > 2:
            raise ValueError
    except (ArithmeticError, ValueError):
        raise ClerkError(f"金额“{text}”不对。请写数字，最多两位小数，例如 --opening 125300.00。", 2) from None
    return amount.quantize(Decimal("0.01"))


def create(args) -> Created:
    kind = args.kind
    given = {opt for opt, flag in OPTION_FLAGS.items() if getattr(args, opt, None) is not None}
    extra = given - OPTIONS[kind]
    if extra:
        flags = "、".join(sorted(OPTION_FLAGS[o] for o in extra))
        allowed = "、".join(sorted(OPTION_FLAGS[o] for o in OPTIONS[kind])) or "无"
        raise ClerkError(f"cunwu new {kind} 不用 {flags}。它可用的选项：{allowed}。", 2)
    if kind in ("decision", "notice", "rule", "audit") and not (args.title or "").strip():
        example = {"decision": "修建村道", "notice": "低保公示", "rule": "村规民约", "audit": "王建国离任审计"}[kind]
        raise ClerkError(f"请用 --title 写上{KIND_NAMES[kind]}的名称（会成为文件名），例如："
                         f"cunwu new {kind} {args.village} --title {example}", 2)
    if kind == "village":
        root = Path(args.villages)
        if not root.is_dir():
            raise ClerkError(f"找不到村务记录文件夹“{args.villages}”。请在存放 villages 文件夹的目录里运行，"
                             f"或先建立这个文件夹（mkdir {args.villages}），或用 --villages 指出它的位置。", 2)
        return new_village(root, args.village, (args.name or "").strip(), (args.township or "").strip())
    village = find_village(villages_root(args.villages), args.village)
    if kind == "ledger":
        month = parse_month(args.month) if args.month else last_month()
        opening = _money_option(args.opening) if args.opening is not None else None
        return new_ledger(village, month, opening)
    if kind == "decision":
        return new_decision(village, args.title, parse_month(args.month) if args.month else this_month())
    if kind == "rule":
        return new_rule(village, args.title.strip(), args.rule_kind)
    if kind == "evaluation":
        return new_evaluation(village, parse_year(args.year) if args.year else date.today().year - 1)
    if kind == "notice":
        return new_notice(village, args.title, parse_month(args.month) if args.month else this_month(),
                          args.column or "村务")
    if kind in BOOK_KINDS:
        return create_book(kind, village, args)
    raise ClerkError(f"不认识的种类“{kind}”。可用：{'、'.join(KINDS)}。", 2)  # pragma: no cover


def run(args) -> int:
    created, code = guarded(lambda: create(args))
    if created is None:
        return code
    print(f"已创建 {display(created.path)}（{KIND_NAMES[args.kind]}）。")
    print("下一步：")
    for i, step in enumerate(created.next_steps, 1):
        print(f"  {i}. {step}")
    return 0
