#!/usr/bin/env python3
"""Generate a synthetic county of village-affairs (村务公开) records for cunwu.

Usage:

    python scripts/gen_county.py OUT_DIR [--villages N] [--townships T]
        [--years Y] [--end-month YYYY-MM] [--entries MIN:MAX] [--seed S]
        [--today YYYY-MM-DD] [--imperfections] [--force] [--no-check]

It writes OUT_DIR/county.yml and one folder per village, in the formats that
the annotated templates in cunwu/templates/ define:

    OUT_DIR/county.yml
    OUT_DIR/<slug>/village.yml
    OUT_DIR/<slug>/ledgers/YYYY-MM.yml              one per month
    OUT_DIR/<slug>/decisions/YYYY-MM-<名称>.md       四议两公开 decisions
    OUT_DIR/<slug>/rules/<名称>.yml                  村规民约, 章程, 小微权力清单
    OUT_DIR/<slug>/evaluations/YYYY.yml             one per full year
    OUT_DIR/<slug>/notices/YYYY-MM-<名称>.md         公示 in 党务/村务/财务/政务
    OUT_DIR/<slug>/contracts/<编号>.yml              resource contracts (rent entries name them)
    OUT_DIR/<slug>/assets/资产台账.yml                the assets register
    OUT_DIR/<slug>/plans/YYYY.yml, debts/YYYY.yml    each year's budget and debts and credits
    OUT_DIR/<slug>/distributions/YYYY.yml            a past year's 收益分配, paid in the ledger
    OUT_DIR/<slug>/audits/YYYY-MM-<名称>.yml          the committee director's term-end audit (Art. 35)
    OUT_DIR/<slug>/files/凭证/YYYY-MM-记-NNN.png       voucher photos (tiny PNGs) of the large entries
    OUT_DIR/<slug>/board/YYYY-MM.jpg                  photos of the posted board (some villages)

`--years Y` means calendar years: ledgers run from January of
(end year - Y + 1) to --end-month. `--entries MIN:MAX` is the number of ledger
entries per month (a month may exceed MAX only when its fixed items - stipends,
scheduled income, payments for approved projects - already do). `--today`
(default: the 21st of the month after --end-month) is the day the county is
looked at: nothing is dated after it, and a few notices are still open on it.

Without `--imperfections` the county is perfect: every disclosure on time,
every review recorded, every procedure complete. With it, about one village in
four (at least one) gets a few realistic lapses that `cunwu check` reports only
as warnings, or that only the county's rollups see, so the checked county still
publishes while the portal's timeliness matrix, decision defects and
inspection sample have something to show. They fall in the four quarters
before the quarter of --today (the inspection window), never in the last
ledger month; a span too short for that window gets none:

  - "late" villages: two ledger months posted 15-40 days after the month
    (reviewed shortly before posting) and one month whose review was not
    recorded (warning ledger.review-missing);
  - "procedure" villages: one ledger month posted late, a 一事一议 or 其他
    decision that skipped 党员大会审议 (warning decision.step-missing), a quarter
    of women among the representatives (warning roster.representatives-women), and the
    latest evaluation chaired by the party secretary instead of the
    supervision committee (Art. 33; warnings evaluation.chair-evaluated and
    evaluation.chair-not-supervisor; the portal counts it 未审).

Besides, the books get one lapse each in the first three villages (a pond's
rent of the last year never received, warning contract.rent-overdue; a
contract paid after it ended, contract.expired-in-use; a budget overrun,
plan.overrun), and the first other village with an ordinary entry above the
county's receipt_required_amount leaves out that entry's voucher photo
(warning receipt.missing; in the inspection window when it can be).

Ledger entries that pay for a decision (a public work's progress and final
payments, a 一事一议 work's materials and wages) name it with `decision:`, so
that each decision's page lists what was paid against what was approved.

The books beyond the journal tie to the ledgers: rent entries name their
contract (`contract:`); the latest 收益分配 decided in the span is paid in one
entry tagged 收益分配 (project: the year) whose total equals the distribution's
share for members, and distributes at most the year's 收益 computed from the
ledger (a year with less than 10,000 yuan of it decides not to distribute:
then that village has no distribution file); a public work of the last year is financed partly by a
bank loan (a ledger entry with `debt: ZW-02`, the debt item naming the
decision, so the year's debt movement ties); each 征地补偿 decision's
compensation is received and paid out to its group in entries tagged 征地补偿;
these entries, and every entry above the county's receipt_required_amount
(RECEIPT_REQUIRED), carry voucher photos (`receipts:`); each village has the term-end audit of its committee
director, linked from the roster. They are drawn from their own random streams
("book-items", and the end of "books"), so adding them left the rest of each
village's records as they were apart from the months they fall in.

Every planted lapse is listed on stdout after the file counts. The texts that
would otherwise contradict it (the quarter's finance summary, the evaluation
notice) say what happened.

Everything is fictional. Output is a pure function of the arguments: the same
arguments give byte-identical files. Money is computed with Decimal only.
The files are written by hand (no YAML library) so that they look like what a
clerk writes: Chinese comments, amounts with two decimals, codes quoted.
After writing, the script re-reads its output (with PyYAML when installed) and
verifies balances, vote counts, dates and privacy; --no-check skips that.

OUT_DIR must be empty unless --force is given; --force deletes only what this
script writes there (county.yml and folders that hold a village.yml).
Speed: several thousand files a second; the self-check (PyYAML) is slower.

The demo county in villages/ is made with:

    python scripts/gen_county.py villages --villages 6 --townships 2 --years 3 \\
        --end-month 2026-10 --entries 6:14 --seed 1 --imperfections --force

(benchmarks leave out --imperfections: a perfect county is their baseline).
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
RECEIPT_REQUIRED = Decimal("100000.00")   # county.yml policy: entries above it carry their voucher

INCOME = ("经营收入", "承包收入", "补助收入", "投资收益", "其他收入")
EXPENSE = ("经营支出", "管理费用", "公益支出", "其他支出")
ART24 = ("村干部误工补贴", "集体收益使用", "公益事业兴办", "土地承包方案", "集体经济项目",
         "宅基地使用方案", "征地补偿分配", "集体财产处置")

# ============================================================== name pools

SURNAMES = ("王李张刘陈杨黄赵周吴徐孙胡朱高林何郭罗梁宋郑谢唐邓彭曾肖田蒋"
            "谭廖邹熊龙易贺文颜袁余向段雷钟汤尹黎姜戴夏毛陆石丁欧阳")
SURNAMES = [c for c in SURNAMES[:-2]] + ["欧阳"]
MALE_GIVEN = ("建国 建华 国强 国平 志明 志强 德明 德华 春生 冬生 秋生 海波 卫东 卫国 新民 跃进 "
              "红军 小平 立新 正清 光辉 明亮 永红 长青 伟 勇 军 斌 浩 鹏 杰 磊 强 平 文华 利民 "
              "世雄 金龙 茂林 家兴 自强 振华 少华 湘平 湘军 友良 桂林 运来 志刚 爱民 铁牛 满生 "
              "建军 中华 庆丰 水清 石生 松柏 玉林 双喜 德胜 国富 耀华 湘龙").split()
FEMALE_GIVEN = ("秀英 桂兰 红梅 玉兰 美华 冬梅 春花 丽华 凤英 淑珍 桂香 艳 芳 娟 敏 静 霞 燕 丽 "
                "洁 小红 湘兰 湘云 菊香 翠英 满秀 月娥 春兰 金凤 素芳 海燕 丽萍 晓燕 小英 玉梅 "
                "腊梅 桂英 润芝 巧云 银花").split()

# (character, pinyin) pairs; a village is FIRST + SECOND + 村, its slug their pinyin.
VILLAGE_FIRST = [("青", "qing"), ("枫", "feng"), ("石", "shi"), ("大", "da"), ("荷", "he"),
                 ("柏", "bai"), ("桂", "gui"), ("长", "chang"), ("杨", "yang"), ("白", "bai"),
                 ("金", "jin"), ("马", "ma"), ("龙", "long"), ("梅", "mei"), ("松", "song"),
                 ("竹", "zhu"), ("新", "xin"), ("双", "shuang"), ("高", "gao"), ("花", "hua"),
                 ("黄", "huang"), ("红", "hong"), ("桃", "tao"), ("茶", "cha"), ("杉", "shan"),
                 ("樟", "zhang"), ("兰", "lan"), ("光", "guang"), ("太", "tai"), ("丰", "feng"),
                 ("永", "yong"), ("福", "fu"), ("云", "yun"), ("沙", "sha"), ("泉", "quan"),
                 ("湖", "hu"), ("平", "ping"), ("鹤", "he"), ("凤", "feng"), ("麻", "ma")]
VILLAGE_SECOND = [("石", "shi"), ("树", "shu"), ("门", "men"), ("塘", "tang"), ("花", "hua"),
                  ("山", "shan"), ("冲", "chong"), ("溪", "xi"), ("坪", "ping"), ("桥", "qiao"),
                  ("湾", "wan"), ("林", "lin"), ("田", "tian"), ("岭", "ling"), ("坡", "po"),
                  ("洲", "zhou"), ("源", "yuan"), ("铺", "pu"), ("港", "gang"), ("坝", "ba"),
                  ("江", "jiang"), ("峰", "feng"), ("井", "jing"), ("园", "yuan"), ("垅", "long")]
VILLAGE_SIDES = [("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"), ("新", "xin")]

TOWNSHIP_ROOTS = ("青山 石门 白沙 龙田 桃花 枫林 双江 金塘 高桥 花园 永安 福田 云溪 长岭 马坡 松柏 "
                  "杨林 清水 梅溪 新桥 大湾 茶园 竹山 兰田 明月 太平 和平 丰乐 黄土 红岩 鹤岭 麻塘").split()

# (name, code, telephone area code) — fictional counties with Hunan-style codes
COUNTIES = [("青山县", "430124", "0731"), ("云溪县", "430625", "0730"), ("枫岭县", "430921", "0737"),
            ("白石县", "431126", "0746"), ("清江县", "430822", "0744"), ("兰溪县", "431028", "0735")]

CN_DIGITS = "零一二三四五六七八九"
CONTRACTOR_WORDS = ("宏达 兴盛 鑫源 永固 顺通 建华 湘筑 恒泰 路达 利民").split()
SHOP_WORDS = ("新华 红星 兴旺 惠民 便民 和顺 万家 百佳").split()


# ============================================================== small helpers

def cn(n: int) -> str:
    """1..99 in Chinese numerals: 3 → 三, 12 → 十二, 21 → 二十一."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def money(x) -> str:
    return f"{Decimal(x).quantize(CENT, ROUND_HALF_UP):.2f}"


def wan(x: Decimal) -> str:
    """Amount in 万元 for running text: 123456.00 → 12.35."""
    return f"{(x / 10000).quantize(CENT, ROUND_HALF_UP)}"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


HOLIDAYS = {(1, 1), (5, 1), (5, 2), (5, 3), (10, 1), (10, 2), (10, 3), (10, 4), (10, 5)}


def weekday_in(rng: random.Random, y: int, m: int, lo: int = 1, hi: int = 31) -> date:
    """A random working day of month y-m between days lo and hi (any day if none)."""
    last = calendar.monthrange(y, m)[1]
    lo, hi = max(1, lo), min(hi, last)
    days = [d for d in range(lo, hi + 1) if date(y, m, d).weekday() < 5 and (m, d) not in HOLIDAYS] \
        or list(range(lo, hi + 1))
    return date(y, m, rng.choice(days))


def amt(rng: random.Random, lo: int, hi: int, step: int = 1, cents: bool = False) -> Decimal:
    """A random amount in [lo, hi]; whole multiples of `step` yuan, or with cents."""
    if cents:
        return (Decimal(rng.randint(lo * 100, hi * 100)) / 100).quantize(CENT)
    return Decimal(rng.randint(lo // step, hi // step) * step).quantize(CENT)


_RESERVED = re.compile(
    r"^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?\.?\d[\d_.]*(?:[eE][-+]?\d+)?|"
    r"\d{4}-\d\d?-\d\d?.*|[-+]?\.(?:inf|nan)|0x[0-9a-f]+|0o[0-7]+|[-+]?\d+(?::\d+)+(?:\.\d*)?)$",
    re.I)


def ys(value, flow: bool = False) -> str:
    """A YAML scalar: plain when that reads back as the same text, else double-quoted."""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, (int, date)):
        return str(value)
    s = str(value)
    bad = (not s or s != s.strip() or s[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in s or " #" in s
           or s.endswith(":") or "\n" in s or "\t" in s or _RESERVED.match(s)
           or (flow and any(c in s for c in ",[]{}")))
    return json.dumps(s, ensure_ascii=False) if bad else s


def block(text: str, indent: int) -> str:
    """Lines of a `|` block scalar, indented."""
    pad = " " * indent
    return "".join(pad + line + "\n" if line else "\n" for line in text.strip("\n").split("\n"))


def surname(name: str) -> str:
    return name[:2] if name.startswith("欧阳") else name[:1]


def mask(name: str) -> str:
    """张秀英 → 张某英; 欧阳建华 → 欧阳某华; 张伟 → 张某."""
    given = name[len(surname(name)):]
    return surname(name) + "某" + (given[-1] if len(given) >= 2 else "")


# ============================================================== the model

@dataclass
class Member:
    name: str
    role: str
    body: str                  # party_branch | village_committee | supervision_committee
    term: tuple[date, date]
    relatives: list = field(default_factory=list)   # [(name, relation)]: close relatives (Art. 32)


@dataclass
class Cadre:
    """A paid cadre (distinct person) with duties and monthly stipend per year."""
    name: str
    roles: list[str]
    duty: str
    monthly: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class Item:
    """One ledger entry before vouchers are assigned."""
    date: date
    summary: str
    category: str
    counterparty: str
    amount: Decimal
    mandatory: bool = False
    seq: int = 0
    decision: str = ""              # the stem of the decision this entry pays (ledger `decision:`)
    contract: str = ""              # the contract whose rent this is (contracts/)
    tag: str = ""                   # special disclosure: 一事一议 …
    project: str = ""
    debt: str = ""                  # the debt or credit this money moves (debts/)
    receipt: bool = False           # a photo of the original voucher under files/凭证/

    @property
    def income(self) -> bool:
        return self.category in INCOME


@dataclass
class Ledger:
    year: int
    month: int
    opening: Decimal
    closing: Decimal
    posted: date
    review_by: list[str]
    review_date: date | None        # None: the review was not recorded (--imperfections)
    entries: list[Item]


@dataclass
class Step:
    step: str
    date: date
    meeting: dict | None = None


@dataclass
class Decision:
    stem: str
    short: str
    title: str
    category: str
    amount: Decimal
    status: str
    steps: list[Step]
    body: list[str]
    kind: str
    extra: dict = field(default_factory=dict)

    def step_date(self, name: str) -> date | None:
        return next((s.date for s in self.steps if s.step == name), None)

    @property
    def resolution(self) -> Step:
        return next(s for s in self.steps if s.step.endswith("决议"))


@dataclass
class Notice:
    short: str
    title: str
    column: str
    start: date
    end: date
    objections: str
    body: list[str]
    table: tuple[list[str], list[list]] | None = None
    stem: str = ""


@dataclass
class Village:
    name: str
    slug: str
    code: str
    township: str
    area: str
    phone: str
    township_phone: str
    households: int = 0
    population: int = 0
    adults: int = 0
    representatives: int = 0
    party_members: int = 0
    groups: int = 0
    roster: list[Member] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    secretary: str = ""
    accountant: str = ""
    supervisors: list[str] = field(default_factory=list)
    election: date | None = None
    profile: dict = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    ledgers: list[Ledger] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    books: dict[str, str] = field(default_factory=dict)   # contracts/, assets/, plans/, debts/: path → text
    used_names: set = field(default_factory=set)
    women: set = field(default_factory=set)
    reps: list = field(default_factory=list)      # [(name, 男/女, group)]: 村民代表 (Art. 25)
    photos: list = field(default_factory=list)    # months with a photo of the posted board
    borrowing: dict = field(default_factory=dict)  # the year's loan: id, amount, date, decision, bank
    distribution: dict = field(default_factory=dict)   # a past year's 收益分配, paid in the ledger
    receipt_files: list = field(default_factory=list)  # files/凭证/… images written beside the ledgers

    def group(self, i: int) -> str:
        return cn(i) + "组"


@dataclass
class Ctx:
    seed: int
    county: str
    county_code: str
    area: str
    townships: list[str]
    months: list[tuple[int, int]]
    years: list[int]
    entries: tuple[int, int]
    today: date

    def rng(self, *parts) -> random.Random:
        # str seeds are hashed with SHA-512: stable across runs and platforms
        return random.Random("/".join([str(self.seed), *map(str, parts)]))

    @property
    def first(self) -> date:
        return date(*self.months[0], 1)

    @property
    def last(self) -> date:
        return month_end(*self.months[-1])


# ============================================================== people

def new_person(v: Village, rng: random.Random, female: bool | None = None,
               avoid_surnames: set | None = None) -> str:
    """A full name not yet used in this village."""
    for _ in range(1000):
        fem = rng.random() < 0.45 if female is None else female
        surname = rng.choice(SURNAMES)
        if avoid_surnames and surname in avoid_surnames:
            continue
        name = surname + rng.choice(FEMALE_GIVEN if fem else MALE_GIVEN)
        if name not in v.used_names:
            v.used_names.add(name)
            if fem:
                v.women.add(name)
            return name
    raise RuntimeError("name pool exhausted")


def villager(v: Village, rng: random.Random, female: bool | None = None) -> str:
    """A villager's name for ledgers and lists (may repeat across records)."""
    fem = rng.random() < 0.45 if female is None else female
    return rng.choice(SURNAMES) + rng.choice(FEMALE_GIVEN if fem else MALE_GIVEN)


# ============================================================== county & villages

def build_county(args, ctx_seed: int) -> tuple[str, str, str, list[str], list[tuple[str, str]]]:
    rng = random.Random(f"{ctx_seed}/county")
    county, code, area = COUNTIES[rng.randrange(len(COUNTIES))]
    roots = TOWNSHIP_ROOTS[:]
    rng.shuffle(roots)
    townships = []
    for i in range(args.townships):
        root = roots[i % len(roots)]
        if i >= len(roots):
            root += "东西南北中"[(i // len(roots) - 1) % 5]
        townships.append(root + ("乡" if i % 3 == 1 else "镇"))
    # village names and slugs
    pairs = [(a, b) for a in VILLAGE_FIRST for b in VILLAGE_SECOND if a[0] != b[0]]
    rng.shuffle(pairs)
    names, slugs = [], set()
    for (c1, p1), (c2, p2) in pairs:
        if len(names) == args.villages:
            break
        slug = p1 + p2
        if slug in slugs:
            continue
        slugs.add(slug)
        names.append((c1 + c2 + "村", slug))
    k = 0
    while len(names) < args.villages:  # very large counties: 石门东村 shimen-dongcun …
        (c1, p1), (c2, p2) = pairs[k % len(pairs)]
        side, sp = VILLAGE_SIDES[k // len(pairs) % len(VILLAGE_SIDES)]
        rnd = k // (len(pairs) * len(VILLAGE_SIDES))
        slug = f"{p1}{p2}-{sp}cun" + (f"{rnd + 1}" if rnd else "")
        if slug not in slugs:
            slugs.add(slug)
            names.append((c1 + c2 + side + "村" + (cn(rnd + 1) if rnd else ""), slug))
        k += 1
    return county, code, area, townships, names


def build_village(ctx: Ctx, index: int, name: str, slug: str) -> Village:
    rng = ctx.rng(slug, "profile")
    t = index % len(ctx.townships)
    within = index // len(ctx.townships)
    township = ctx.townships[t]
    # 12 digits: county (6) + township (3) + village (3); a township with more than
    # 799 villages borrows further township numbers
    tcode = 101 + t + len(ctx.townships) * (within // 799)
    code = f"{ctx.county_code}{tcode:03d}{201 + within % 799:03d}"
    prefix = f"8{(ctx.seed * 37 + t * 11) % 900 + 100:03d}"
    v = Village(name=name, slug=slug, code=code, township=township, area=ctx.area,
                phone=f"{ctx.area}-{prefix}{rng.randint(1000, 9999)}",
                township_phone=f"{ctx.area}-{prefix}{random.Random(f'{ctx.seed}/tw/{t}').randint(1000, 9999)}")
    v.households = rng.randint(380, 1100)
    v.population = int(v.households * rng.uniform(3.0, 3.8))
    v.adults = int(v.population * rng.uniform(0.76, 0.83))
    v.representatives = max(25, min(45, v.households // 22 + rng.randint(-3, 3)))
    v.party_members = rng.randint(32, 88)
    v.groups = max(6, min(18, v.households // 55 + rng.randint(-2, 2)))
    gen_roster(ctx, v, rng)
    gen_profile(ctx, v, rng)
    gen_representatives(ctx, v)
    return v


def gen_representatives(ctx: Ctx, v: Village) -> None:
    """The 村民代表 with gender and group (Art. 25: women at least a third), a few
    close relatives declared by committee members (none on the supervision
    committee, Art. 32), and photos of the posted board for the last months in
    every other village. Drawn from their own random stream, so that adding
    them changed nothing else in the county."""
    rng = ctx.rng(v.slug, "representatives")
    n = v.representatives
    women = min(n, -(-n // 3) + rng.randint(0, 5))
    female = [True] * women + [False] * (n - women)
    rng.shuffle(female)
    taken = set(v.used_names)
    for i, fem in enumerate(female):
        for _ in range(1000):
            name = rng.choice(SURNAMES) + rng.choice(FEMALE_GIVEN if fem else MALE_GIVEN)
            if name not in taken:
                break
        taken.add(name)
        v.reps.append((name, "女" if fem else "男", v.group(1 + i % v.groups)))
    supervisors = {m.name for m in v.roster if m.body == "supervision_committee"}
    committee = [m for m in v.roster if m.body == "village_committee"]
    for m in rng.sample(committee, min(2, len(committee))):
        spouse_female = m.name not in v.women
        for _ in range(1000):
            name = rng.choice(SURNAMES) + rng.choice(FEMALE_GIVEN if spouse_female else MALE_GIVEN)
            if name not in taken and name not in supervisors:
                break
        taken.add(name)
        m.relatives.append((name, "配偶"))
    if int(v.code[-1]) % 2 == 1:     # the first village of each township, then every other
        y, mth = ctx.months[-1]
        ny, nm = add_months(y, mth, 1)
        v.photos = [f"{y}-{mth:02d}", f"{ny}-{nm:02d}"]


ELECTION_CYCLE = 5


def gen_roster(ctx: Ctx, v: Village, rng: random.Random) -> None:
    """Current 两委 and supervision committee. Members serve the whole span
    (all re-elected at the last 换届); `term` is the current five-year term."""
    year = ctx.last.year
    while (year - 2021) % ELECTION_CYCLE:
        year -= 1
    v.election = date(year, rng.choice([2, 3]), rng.randint(2, 26))
    if v.election > ctx.last:           # the 换届 of this year has not happened yet
        v.election = v.election.replace(year=year - ELECTION_CYCLE)
    start = v.election
    end = date(start.year + ELECTION_CYCLE, start.month, start.day) - timedelta(days=1)
    term = (start, end)

    sec = new_person(v, rng, female=rng.random() < 0.15)
    v.secretary = sec
    one_shoulder = rng.random() < 0.85         # 书记、主任“一肩挑”
    pb_roles = ["党支部书记", "党支部副书记", "组织委员", "宣传委员", "纪检委员"][: rng.randint(3, 5)]
    vc_size = rng.randint(3, 7)
    vc_roles = ["村委会主任", "村委会副主任"] + ["委员"] * (vc_size - 2)

    party = [(pb_roles[0], sec)]
    committee = []
    if one_shoulder:
        committee.append(("村委会主任", sec))
    else:
        committee.append(("村委会主任", new_person(v, rng, female=False)))
    # cross-serving: some branch members also sit on the village committee
    vc_rest = vc_roles[1:]
    women = 0
    for role in pb_roles[1:]:
        person = new_person(v, rng)
        party.append((role, person))
        if vc_rest and rng.random() < 0.6:
            committee.append((vc_rest.pop(0), person))
    for role in vc_rest:
        female = True if women == 0 and role == "委员" else None
        person = new_person(v, rng, female=female)
        women += female is True
        committee.append((role, person))
    # supervision committee: not on the village committee; different surnames too,
    # so that no one reads them as close relatives (Art. 32)
    committee_surnames = {surname(p) for _, p in committee}
    sup = [new_person(v, rng, avoid_surnames=committee_surnames) for _ in range(3)]
    v.supervisors = sup
    for role, person in party:
        v.roster.append(Member(person, role, "party_branch", term))
    for role, person in committee:
        v.roster.append(Member(person, role, "village_committee", term))
    for i, person in enumerate(sup):
        v.roster.append(Member(person, "主任" if i == 0 else "委员", "supervision_committee", term))

    # distinct paid cadres, secretary first; duties for 述职 reports
    roles: dict[str, list[str]] = {}
    for m in v.roster:
        if m.body != "supervision_committee":
            roles.setdefault(m.name, []).append(m.role)
    by_role = {"组织委员": "组织和党建工作", "宣传委员": "宣传和文化体育", "纪检委员": "纪检和党风廉政建设"}
    duties = ["民政、社保和低保评审", "综治维稳和矛盾纠纷调解", "妇女、计生和关心下一代工作",
              "人居环境整治和农业生产", "产业发展和集体经济"]
    rng.shuffle(duties)
    names = list(roles)
    assigned: set[str] = set()
    # the 报账员 is a committee 委员 (or the vice head when there is none)
    members_vc = [p for r, p in committee if p != sec]
    v.accountant = next((p for r, p in committee if r == "委员"), members_vc[0] if members_vc else sec)
    first_year = ctx.years[0]
    for person in names:
        rs = roles[person]
        if person == sec:
            duty, base = "全面工作", rng.randint(30, 42) * 100
        elif person == v.accountant:
            duty, base = "财务报账和村务公开", rng.randint(20, 26) * 100
        else:
            duty = next((by_role[r] for r in rs if r in by_role), None)
            if duty is None:
                # the first woman without a party post takes 妇女 work; the others rotate
                women_work = [d for d in duties if "妇女" in d and d not in assigned]
                fresh = [d for d in duties if d not in assigned and "妇女" not in d]
                duty = (women_work if person in v.women and women_work else fresh or duties)[0]
                assigned.add(duty)
            base = rng.randint(22, 28) * 100 if any("副" in r for r in rs) else rng.randint(18, 24) * 100
        v.cadres.append(Cadre(person, rs, duty))
        v.cadres[-1].monthly[first_year] = Decimal(base).quantize(CENT)
    sup_cadre = Cadre(sup[0], ["村务监督委员会主任"], "村务监督", {first_year: Decimal(rng.randint(10, 15) * 100).quantize(CENT)})
    v.profile["sup_cadre"] = sup_cadre
    for y in ctx.years[1:]:
        raise_ = Decimal(rng.choice([0, 100, 100, 200, 300]))
        for c in v.cadres + [sup_cadre]:
            c.monthly[y] = c.monthly[y - 1] + (raise_ if c.name == sec else raise_ / 2 // 50 * 50)


def stipend_total(v: Village, year: int) -> Decimal:
    return sum((c.monthly[year] for c in v.cadres), ZERO) + v.profile["sup_cadre"].monthly[year]


def gen_profile(ctx: Ctx, v: Village, rng: random.Random) -> None:
    """The village's economy: what it leases, earns and pays regularly."""
    p = v.profile
    places = ["村东", "村西", "老屋场", "大垅", "茶山脚", "学校旁"]
    rng.shuffle(places)
    p["ponds"] = [(f"{places[i]}鱼塘" if rng.random() < 0.5 else f"{v.group(rng.randint(1, v.groups))}山塘",
                   villager(v, rng, False), amt(rng, 3000, 18000, 100), rng.randint(1, 3))
                  for i in range(rng.randint(1, 4))]
    coops = ["油茶种植", "水稻种植", "蔬菜种植", "生态养殖", "黄桃种植", "湘莲种植"]
    rng.shuffle(coops)
    p["land"] = [(f"{v.group(rng.randint(1, v.groups))}土地流转费", f"{v.name[:-1]}{coops[i]}专业合作社",
                  amt(rng, 20000, 90000, 100), rng.choice([3, 11, 12])) for i in range(rng.randint(1, 2))]
    p["shops"] = [(f"{i + 1}号门面", villager(v, rng), amt(rng, 600, 2500, 50))
                  for i in range(rng.randint(0, 6))]
    p["forest"] = amt(rng, 5000, 30000, 100) if rng.random() < 0.5 else None
    p["forest_tenant"] = f"{ctx.county[:-1]}绿源林业开发有限公司"
    p["solar_kw"] = rng.choice([0, 60, 80, 100, 150, 200, 300]) if rng.random() < 0.75 else 0
    p["dryer"] = rng.random() < 0.3
    p["dividend"] = (amt(rng, 10000, 60000, 100), rng.choice([1, 12])) if rng.random() < 0.6 else None
    p["coop"] = f"{v.township}{rng.choice(['农业产业化', '粮油', '特色种养'])}联合社"
    p["cleaners"] = rng.randint(2, 4)
    p["cleaner_wage"] = rng.randint(12, 16) * 100
    p["lights"] = rng.random() < 0.8
    p["internet"] = Decimal(rng.choice([99, 129, 199])).quantize(CENT)
    yearly_stipend = stipend_total(v, ctx.years[0]) * 12
    p["operating_q"] = (yearly_stipend * Decimal(rng.randint(55, 70)) / 400 // 100 * 100).quantize(CENT)
    p["special"] = amt(rng, 50000, 100000, 1000)
    p["special_month"] = rng.choice([5, 6, 7])
    p["paper_month"] = rng.choice([11, 12])
    p["target"] = amt(rng, 150000, 400000, 1000)
    p["grid"] = f"国网{ctx.county}供电公司"
    p["telecom"] = f"中国电信{ctx.county[:-1]}分公司"
    p["bank"] = f"{ctx.county[:-1]}农商银行{v.township}支行"
    p["finance"] = f"{v.township}财政所"
    p["sanitation"] = f"{ctx.county[:-1]}洁美环卫服务有限公司"
    p["shop"] = f"{v.township}{rng.choice(SHOP_WORDS)}文具店"
    p["hardware"] = f"{v.township}{rng.choice(SHOP_WORDS)}五金店"
    p["printer"] = f"{v.township}{rng.choice(SHOP_WORDS)}图文店"
    p["contractor"] = f"{ctx.county[:-1]}{rng.choice(CONTRACTOR_WORDS)}建筑工程有限公司"
    p["opening"] = p["target"] + amt(rng, -50000, 80000, 100)
    # 低保 households: (name, group, persons, monthly per person)
    p["dibao"] = [new_dibao(v, rng) for _ in range(rng.randint(6, 13))]


def new_dibao(v: Village, rng: random.Random) -> list:
    return [mask(villager(v, rng)), v.group(rng.randint(1, v.groups)), rng.randint(1, 4),
            Decimal(rng.choice([320, 360, 400, 430, 460, 500])).quantize(CENT)]


# ============================================================== decisions

def vote(rng: random.Random, members: int, lo: int, hi: int, unanimous: bool = False) -> dict:
    """A meeting of `members` with lo..hi present; a large majority votes for."""
    present = rng.randint(min(lo, members), min(max(lo, hi), members))
    against = 0 if unanimous else rng.randint(0, max(1, present // 15))
    abstain = 0 if unanimous else rng.randint(0, max(1, present // 12))
    return {"members": members, "present": present, "for": present - against - abstain,
            "against": against, "abstain": abstain}


def ceil_frac(n: int, num: int, den: int) -> int:
    """Smallest integer >= n * num / den."""
    return -(-n * num // den)


def make_steps(ctx: Ctx, v: Village, rng: random.Random, y: int, m: int, assembly: bool,
               duration: tuple[int, int], result_on: date | None = None) -> tuple[list[Step], bool]:
    """Six 四议两公开 steps inside month y-m; returns (steps, completed)."""
    d0 = weekday_in(rng, y, m, 1, 6)
    d1 = d0 + timedelta(days=rng.randint(2, 4))
    d2 = d1 + timedelta(days=rng.randint(2, 5))
    d3 = d2 + timedelta(days=rng.randint(2, 5))
    d4 = d3 + timedelta(days=rng.randint(1, 2))
    two_committees = len({mb.name for mb in v.roster if mb.body != "supervision_committee"})
    n2, pm, reps = two_committees, v.party_members, v.representatives
    steps = [Step("党支部提议", d0),
             Step("两委会商议", d1, vote(rng, n2, n2 - 1 if rng.random() < 0.2 else n2, n2, unanimous=True)),
             Step("党员大会审议", d2, vote(rng, pm, ceil_frac(pm, 72, 100), pm * 92 // 100))]
    if assembly:   # 村民会议: more than half of the adults (and two thirds of households) attend
        mt = vote(rng, v.adults, v.adults // 2 + 1 + v.adults // 40, v.adults * 72 // 100)
        mt.update(households=v.households,
                  households_present=rng.randint(ceil_frac(v.households, 2, 3), v.households * 85 // 100))
        steps.append(Step("村民会议决议", d3, mt))
    else:          # 村民代表会议: at least two thirds of the representatives attend
        steps.append(Step("村民代表会议决议", d3, vote(rng, reps, ceil_frac(reps, 2, 3), reps)))
    steps.append(Step("决议公开", d4))
    planned = result_on or d4 + timedelta(days=rng.randint(*duration))
    limit = ctx.today - timedelta(days=rng.randint(3, 12))
    completed = planned <= limit
    result = planned if completed else max(limit, d4 + timedelta(days=1))
    steps.append(Step("实施结果公开", result))
    return steps, completed


def decision_plan(ctx: Ctx, v: Village, rng: random.Random) -> list[tuple[int, int, str]]:
    """(year, month, kind) of every decision in the span."""
    plan = []
    span = ctx.months
    L = len(span)
    fixed = {"rule_v1": 0.08, "powers": 0.2, "charter": 0.35, "rule_v2": 0.8}
    for kind, frac in fixed.items():
        y, m = span[min(L - 1, int(L * frac))]
        plan.append((y, m, kind))
    for y in ctx.years:
        months = [m for (yy, m) in span if yy == y]
        if 1 in months:
            plan.append((y, 1, "stipend"))
        q1 = [m for m in months if m in (2, 3, 4)]
        if q1:
            plan.append((y, rng.choice(q1), "income_use"))
        mid = [m for m in months if 3 <= m <= 10] or months
        for _ in range(rng.randint(1, 2)):
            plan.append((y, rng.choice(mid), "public_works"))
        for kind, prob in (("land", 0.6), ("project", 0.5), ("yishi", 0.5), ("other", 0.4),
                           ("homestead", 0.25), ("property", 0.15), ("compensation", 0.15)):
            if rng.random() < prob:
                plan.append((y, rng.choice(months), kind))
    plan.sort(key=lambda t: (t[0], t[1], t[2]))
    return plan


def gen_decisions(ctx: Ctx, v: Village) -> None:
    rng = ctx.rng(v.slug, "decisions")
    stems: set[str] = set()
    used_works: set[str] = set()
    for y, m, kind in decision_plan(ctx, v, rng):
        d = make_decision(ctx, v, rng, y, m, kind, used_works)
        stem = f"{y}-{m:02d}-{d.short}"
        n = 2
        while stem in stems:
            stem = f"{y}-{m:02d}-{d.short}{cn(n)}"
            n += 1
        stems.add(stem)
        d.stem = stem
        v.decisions.append(d)


def pick_new(rng: random.Random, options: list[str], used: set, repeatable: set = frozenset()) -> str:
    """A choice not made before in this village (those in `repeatable` may recur)."""
    fresh = [o for o in options if o not in used] or [o for o in options if o in repeatable] or options
    choice = rng.choice(fresh)
    used.add(choice)
    return choice


def funding_line(total: Decimal, subsidy: Decimal) -> str:
    return (f"资金来源：一事一议财政奖补{money(subsidy)}元，村集体自筹{money(total - subsidy)}元。"
            if subsidy else f"资金来源：村集体自筹{money(total)}元。")


def make_decision(ctx: Ctx, v: Village, rng: random.Random, y: int, m: int, kind: str,
                  used_works: set) -> Decision:
    g = v.group(rng.randint(1, v.groups))
    assembly = False
    duration = (15, 45)
    extra: dict = {}
    result_on = None
    if kind in ("rule_v1", "rule_v2"):
        short, title, cat, amount = "修订村规民约", f"修订{v.name}村规民约", "村规民约修订", ZERO
        assembly = True
        body = ["根据移风易俗和乡村治理工作要求，村两委广泛征求村民意见，对村规民约进行了修订。",
                "修订稿经村民会议逐条讨论通过，报镇人民政府备案后张贴公布，全体村民共同遵守。"]
    elif kind == "charter":
        short, title, cat, amount = "修订村民自治章程", f"修订{v.name}村民自治章程", "村规民约修订", ZERO
        assembly = True
        body = ["依据《中华人民共和国村民委员会组织法》，结合本村实际，对村民自治章程进行修订，"
                "明确村民会议、村民代表会议、村务监督委员会的职责和议事规则。",
                "章程经村民会议讨论通过，报镇人民政府备案。"]
    elif kind == "powers":
        short, title, cat, amount = "制定小微权力清单", f"制定{v.name}村级小微权力清单", "其他", ZERO
        body = ["按照县纪委监委关于推行村级小微权力清单制度的部署，梳理村级重大决策、工程项目、"
                "财务管理、惠民政策落实等权力事项，逐项绘制权力运行流程图。",
                "清单经村民代表会议审议通过后公布施行，接受全体村民监督。"]
    elif kind == "stipend":
        total = stipend_total(v, y) * 12
        sec = next(c for c in v.cadres if c.name == v.secretary)
        others = [c.monthly[y] for c in v.cadres if c.name != v.secretary] or [sec.monthly[y]]
        short, title, cat, amount = f"{y}年度村干部误工补贴", f"确定{y}年度村干部误工补贴标准", "村干部误工补贴", total
        body = [f"根据镇党委、政府关于村干部报酬管理的规定，结合本村实际，{y}年度村干部基本误工补贴为："
                f"党支部书记每月{money(sec.monthly[y])}元，其他村干部每月{money(min(others))}元至"
                f"{money(max(others))}元，村务监督委员会主任每月{money(v.profile['sup_cadre'].monthly[y])}元，"
                f"全年合计{money(total)}元。",
                "误工补贴按月发放、按月在财务公开栏公开，年底结合民主评议结果进行考核。"]
        result_on = date(y, 12, rng.randint(20, 28))
    elif kind == "income_use":
        amount = amt(rng, 50000, 150000, 100)
        short, title, cat = f"{y - 1}年度集体收益分配", f"{y - 1}年度村集体经营性收益分配方案", "集体收益使用"
        a, b = rng.choice([(30, 10), (40, 10), (30, 20)])
        assembly = rng.random() < 0.3
        body = [f"{y - 1}年度村集体经营性收益可分配金额{money(amount)}元。",
                f"按照“先提留、后分配”的原则，提取公积公益金{a}%用于村内公益事业，提取福利费{b}%用于慰问困难群众和高龄老人，"
                f"其余{100 - a - b}%按股量化到户分红。"]
        duration = (20, 40)
    elif kind == "public_works":
        work = pick_new(rng, ["road", "lights", "pond", "canal", "toilet", "square", "water", "bridge"],
                        used_works, repeatable={"road", "pond", "canal", "water", "bridge"})
        duration = (60, 150)
        if work == "road":
            km = Decimal(rng.randint(8, 26)) / 10
            width = rng.choice(["3.5", "4", "4.5"])
            amount = (km * rng.randint(180, 260) * 1000).quantize(CENT)
            short, title = f"{g}通组道路硬化", f"{g}通组道路硬化工程"
            desc = f"修建{g}至{rng.choice(['村部', '县道', '省道', '村小学'])}的通组水泥路{km}公里，路面宽{width}米"
        elif work == "lights":
            n = rng.randint(60, 150)
            amount = Decimal(n * rng.randint(1000, 1300)).quantize(CENT)
            short, title = "安装太阳能路灯", "安装村主干道太阳能路灯"
            desc = f"在村主干道和人口集中的院落安装太阳能路灯{n}盏"
        elif work == "pond":
            amount = amt(rng, 40000, 150000, 1000)
            short, title = f"{g}山塘清淤扩容", f"{g}山塘清淤扩容"
            desc = f"对{g}山塘进行清淤、加固塘坝，扩大蓄水量，改善周边约{rng.randint(80, 300)}亩农田灌溉"
        elif work == "canal":
            km = Decimal(rng.randint(10, 30)) / 10
            amount = (km * rng.randint(80, 120) * 1000).quantize(CENT)
            short, title = f"硬化{g}灌溉渠道", f"硬化{g}灌溉渠道"
            desc = f"对{g}主灌溉渠道进行三面光硬化{km}公里"
        elif work == "toilet":
            amount = amt(rng, 50000, 90000, 1000)
            short, title = "新建村级公共厕所", "新建村部旁公共厕所"
            desc = "在村部旁新建三类水冲式公共厕所一座，配套化粪池和管护制度"
        elif work == "square":
            amount = amt(rng, 150000, 300000, 1000)
            short, title = "修建村文化广场", "修建村级文化广场"
            desc = f"在村部前修建文化广场约{rng.randint(8, 20) * 100}平方米，配套健身器材和宣传栏"
        elif work == "water":
            amount = amt(rng, 60000, 180000, 1000)
            short, title = f"{g}饮水管网延伸", f"{g}安全饮水管网延伸"
            desc = f"将镇集中供水管网延伸至{g}，铺设主管道约{rng.randint(15, 40) * 100}米，解决{rng.randint(30, 90)}户饮水问题"
        else:
            amount = amt(rng, 80000, 200000, 1000)
            short, title = f"修建{g}便民桥", f"修建{g}便民桥"
            desc = f"拆除{g}危桥，新建长{rng.randint(12, 30)}米、宽{rng.choice(['4', '4.5', '5'])}米的钢筋混凝土便民桥"
        cat = "公益事业兴办"
        subsidy = (amount * rng.randint(50, 70) / 100 // 1000 * 1000).quantize(CENT)
        body = [f"经村民代表会议表决通过，{desc}，预算{money(amount)}元。", funding_line(amount, subsidy),
                "工程通过公开比选确定施工单位，由村务监督委员会全程监督，竣工验收后公示结算情况。"]
        extra = {"subsidy": subsidy, "work": work}
    elif kind == "land":
        sub = rng.choice(["pond", "plot", "transfer", "forest"])
        years_ = rng.choice([3, 5, 5, 10])
        duration = (15, 45)
        if sub == "pond":
            price = amt(rng, 4000, 16000, 100)
            short, title = f"{g}鱼塘发包方案", f"{g}集体鱼塘发包方案"
            desc = f"{g}集体鱼塘采取公开竞价方式发包，承包期{cn(years_)}年，底价每年{money(price)}元"
        elif sub == "plot":
            price = amt(rng, 3000, 12000, 100)
            short, title = "集体机动地发包方案", "集体机动地发包方案"
            desc = f"村集体机动地{rng.randint(12, 60)}亩公开发包，承包期{cn(years_)}年，底价每年{money(price)}元"
        elif sub == "transfer":
            price = amt(rng, 20000, 80000, 100)
            short, title = f"{g}土地经营权流转方案", f"{g}土地经营权集中流转方案"
            desc = (f"{g}农户自愿将承包地经营权委托村集体统一流转给农业专业合作社，流转期{cn(years_)}年，"
                    f"流转费每年{money(price)}元，按面积分配到户")
            assembly = rng.random() < 0.5
        else:
            price = amt(rng, 5000, 20000, 100)
            short, title = "集体山林承包方案", "集体山林承包经营方案"
            desc = f"村集体山林{rng.randint(200, 900)}亩公开发包用于油茶种植，承包期{cn(years_ * 2)}年，底价每年{money(price)}元"
            years_ *= 2
        amount = price * years_
        cat = "土地承包方案"
        extra_winner = v.profile["land"][0][1] if sub == "transfer" else None
        body = [f"{desc}。", "发包方案经本集体经济组织成员三分之二以上村民代表同意，竞价过程全程录像，结果张榜公示。"]
        extra = {"price": price, "years": years_, "item": title.replace("方案", ""), "winner": extra_winner}
    elif kind == "project":
        sub = pick_new(rng, ["solar", "coop", "plant", "dryer", "workshop"], used_works)
        amount = amt(rng, 100000, 500000, 1000)
        short, title, desc = {
            "solar": ("建设光伏发电项目", "建设村集体屋顶光伏发电项目",
                      "利用村部和村小学屋顶建设分布式光伏电站，收益归村集体所有"),
            "coop": ("入股镇联合社", f"村集体入股{v.township}农业产业化联合社",
                     "以村集体资金入股镇农业产业化联合社，按年保底分红"),
            "plant": ("发展油茶种植基地", "发展村集体油茶种植基地",
                      "整合撂荒山地发展油茶基地，由村股份经济合作社统一经营"),
            "dryer": ("建设粮食烘干中心", "建设村级粮食烘干中心",
                      "建设日处理稻谷六十吨的烘干中心，为周边农户提供有偿烘干服务"),
            "workshop": ("建设标准化厂房", "建设村集体标准化厂房",
                         "在村部旁闲置地建设标准化厂房对外出租，租金收入归村集体"),
        }[sub]
        cat = "集体经济项目"
        body = [f"{desc}，总投资{money(amount)}元。",
                "项目资金由上级扶持壮大村级集体经济资金和村集体自有资金解决，收益纳入村集体账户统一管理、按月公开。"]
        duration = (60, 180)
    elif kind == "yishi":
        per = rng.choice([15, 20])
        people = rng.randint(120, 400)
        amount = Decimal(per * people).quantize(CENT)
        thing = rng.choice(["机耕道维修", "山塘护坡", "入户道路硬化", "排水沟疏浚"])
        short, title = f"{g}{thing}一事一议", f"{g}{thing}一事一议筹资筹劳"
        cat = "一事一议"
        extra = {"group": g, "work": f"{g}{thing}"}
        assembly = False
        body = [f"经{g}村民会议讨论、村民代表会议表决，{g}{thing}按每人{per}元标准筹资，"
                f"共{people}人、筹资{money(amount)}元，另筹劳{rng.randint(60, 200)}个工日。",
                "同时申请一事一议财政奖补，筹资筹劳情况和资金使用情况在村务公开栏公示。"]
        duration = (30, 90)
    elif kind == "homestead":
        n = rng.randint(4, 15)
        short, title, cat, amount = f"{y}年度宅基地使用方案", f"{y}年度农村宅基地安排使用方案", "宅基地使用方案", ZERO
        body = [f"{y}年度全村拟安排宅基地{n}宗，优先保障无房户和危房改造户，严格执行“一户一宅”，每户面积不超过一百三十平方米。",
                "申请户名单经村民小组讨论、村两委审查后在村内公示，报镇人民政府审批。"]
        duration = (30, 90)
    elif kind == "property":
        price = amt(rng, 10000, 40000, 100)
        years_ = rng.choice([3, 5])
        amount = price * years_
        short, title, cat = "闲置校舍出租", "原村小学闲置校舍公开出租", "集体财产处置"
        body = [f"原村小学闲置校舍经资产评估后公开招租，租期{cn(years_)}年，底价每年{money(price)}元，"
                "租金收入纳入村集体经营性收入。"]
        extra = {"price": price, "years": years_, "item": "原村小学闲置校舍出租", "winner": None}
    elif kind == "compensation":
        acres = Decimal(rng.randint(30, 200)) / 10
        amount = (acres * rng.randint(40, 60) * 1000).quantize(CENT)
        keep = rng.choice([10, 20])
        short, title, cat = f"{g}征地补偿款分配", f"{g}征地补偿款分配方案", "征地补偿分配"
        assembly = True
        body = [f"县道改扩建工程征收{g}集体土地{acres}亩，土地补偿费共{money(amount)}元。",
                f"按照村集体提留{keep}%、{g}集体经济组织成员平均分配{100 - keep}%的原则分配，分配名单另行公示。"]
    else:  # other
        sub = pick_new(rng, ["points", "council", "post"], used_works)
        short, title, desc = {
            "points": ("推行人居环境积分制", "推行农村人居环境整治积分制",
                       "以户为单位开展人居环境整治积分评比，积分可在村爱心超市兑换生活用品"),
            "council": ("推选红白理事会成员", "推选村红白理事会成员",
                        "推选热心公益、办事公道的村民组成红白理事会，负责婚丧事宜的移风易俗劝导"),
            "post": ("设立公益性岗位", "设立村级护林护水公益性岗位",
                     "设立护林员、护水员公益性岗位，优先安排脱贫户和监测户劳动力"),
        }[sub]
        cat, amount = "其他", ZERO
        body = [f"{desc}。", "具体办法经村民代表会议通过后在村务公开栏公布。"]
    steps, completed = make_steps(ctx, v, rng, y, m, assembly, duration, result_on)
    status = "已完成" if completed else "实施中"
    d = Decision("", short, title, cat, amount.quantize(CENT), status, steps, body, kind, extra)
    res = d.resolution.meeting
    who = "村民会议" if d.resolution.step == "村民会议决议" else "村民代表会议"
    d.body.append(f"{cn_date(d.resolution.date)}召开{who}，应到{res['members']}人，实到{res['present']}人，"
                  f"赞成{res['for']}票，反对{res['against']}票，弃权{res['abstain']}票，决议通过。")
    if completed and kind == "public_works":
        d.body.append(f"工程已于{cn_date(d.steps[-1].date - timedelta(days=3))}竣工验收，结算情况见实施结果公开。")
    elif not completed and kind != "stipend":
        d.body.append("目前正在组织实施，实施结果将及时公开。")
    return d


# ============================================================== ledgers

class Month:
    """Collects one month's items with a running projection of the balance."""

    def __init__(self, y: int, m: int) -> None:
        self.y, self.m = y, m
        self.items: list[Item] = []

    def add(self, it: Item) -> None:
        it.seq = len(self.items)
        self.items.append(it)

    @property
    def net(self) -> Decimal:
        return sum((i.amount if i.income else -i.amount for i in self.items), ZERO)


def linked_items(ctx: Ctx, v: Village) -> dict[tuple[int, int], list[Item]]:
    """Ledger entries caused by decisions: subsidies and payments for public works,
    rents from leases decided on, 一事一议 funds raised."""
    rng = ctx.rng(v.slug, "linked")
    p = v.profile
    out: dict[tuple[int, int], list[Item]] = defaultdict(list)
    in_span = set(ctx.months)
    for d in v.decisions:
        res = d.resolution.date
        done = d.steps[-1].date
        if d.kind == "public_works":
            sub = d.extra["subsidy"]
            y, m = add_months(res.year, res.month, 1)
            if sub and (y, m) in in_span:
                out[(y, m)].append(Item(weekday_in(rng, y, m, 8, 20), f"收到{d.title}一事一议财政奖补资金",
                                        "补助收入", p["finance"], sub, True))
            progress = (d.amount / 2).quantize(CENT)
            y2, m2 = add_months(res.year, res.month, 2)
            if (y2, m2) in in_span and date(y2, m2, 1) < done:
                out[(y2, m2)].append(Item(weekday_in(rng, y2, m2, 10, 25), f"支付{d.title}工程进度款",
                                          "公益支出", p["contractor"], progress, True, decision=d.stem))
            if d.status == "已完成" and (done.year, done.month) in in_span and done.day > 1:
                final = (d.amount * Decimal("0.95") - progress).quantize(CENT)
                if (y2, m2) not in in_span or date(y2, m2, 1) >= done:
                    final += progress
                out[(done.year, done.month)].append(Item(
                    weekday_in(rng, done.year, done.month, 1, done.day - 1), f"支付{d.title}工程结算款（留质保金5%）",
                    "公益支出", p["contractor"], final, True, decision=d.stem))
        elif d.kind in ("land", "property") and d.status == "已完成":
            y, m = done.year, done.month
            if (y, m) in in_span and done.day > 1:
                if not d.extra["winner"]:
                    d.extra["winner"] = villager(v, rng)
                    d.extra["person"] = True
                out[(y, m)].append(Item(weekday_in(rng, y, m, 1, done.day - 1), f"收取{d.extra['item']}首年承包费",
                                        "承包收入", d.extra["winner"], d.extra["price"], True))
        elif d.kind == "yishi":
            y, m = add_months(res.year, res.month, 1)
            if (y, m) in in_span:
                out[(y, m)].append(Item(weekday_in(rng, y, m, 1, 20), f"收到{d.title}村民筹资款",
                                        "其他收入", f"{d.extra['group']}村民", d.amount, True,
                                        tag="一事一议", project=d.title))
                y3, m3 = add_months(y, m, 1)
                if (y3, m3) in in_span:
                    out[(y3, m3)].append(Item(weekday_in(rng, y3, m3, 1, 25), f"支付{d.extra['work']}材料款和用工工资",
                                              "公益支出", p["hardware"], d.amount, True, decision=d.stem,
                                              tag="一事一议", project=d.title))
    return out


SOLAR_HOURS = (60, 70, 85, 100, 110, 115, 135, 130, 110, 90, 70, 60)


def scheduled_items(ctx: Ctx, v: Village, rng: random.Random, y: int, m: int) -> tuple[list[Item], list[Item]]:
    """(mandatory, optional) regular items of month y-m."""
    p = v.profile
    must: list[Item] = []
    opt: list[Item] = []
    wd = lambda lo=1, hi=31: weekday_in(rng, y, m, lo, hi)  # noqa: E731
    must.append(Item(wd(25, 30), f"支付{y}年{m}月村干部误工补贴", "管理费用", "村干部",
                     stipend_total(v, y), True))
    if m in (1, 4, 7, 10):
        must.append(Item(wd(8, 20), f"收到{y}年第{cn((m + 2) // 3)}季度村级组织运转经费", "补助收入",
                         p["finance"], p["operating_q"], True))
    if m in (3, 6, 9, 12):
        must.append(Item(date(y, m, 21), "收到银行存款利息", "其他收入", p["bank"], amt(rng, 60, 900, cents=True), True))
    for k, (pond, tenant, rent, due) in enumerate(p["ponds"]):
        if m == due and (k, y) != p.get("unpaid"):   # the planted overdue rent is never received
            must.append(Item(wd(1, 20), f"收取{pond}{y}年度承包费", "承包收入", tenant, rent, True,
                             contract=f"HT-C{k + 1:02d}"))
    for k, (what, coop, fee, due) in enumerate(p["land"]):
        if m == due:
            must.append(Item(wd(5, 25), f"收取{what}（{y}年度）", "承包收入", coop, fee, True,
                             contract=f"HT-L{k + 1:02d}"))
    if p["forest"] and m == 3:
        must.append(Item(wd(5, 25), f"收取集体山林{y}年度承包费", "承包收入", p["forest_tenant"], p["forest"], True,
                         contract="HT-F01"))
    if p["dividend"] and m == p["dividend"][1]:
        must.append(Item(wd(10, 28), f"收到{p['coop']}入股分红", "投资收益", p["coop"],
                         p["dividend"][0] + amt(rng, -3000, 5000, 100), True))
    if m == p["special_month"]:
        must.append(Item(wd(5, 25), f"收到{y}年度村级服务群众专项经费", "补助收入", p["finance"], p["special"], True))
    if m in (1, 4, 7, 10):
        for k, (shop, tenant, rent) in enumerate(p["shops"]):
            must.append(Item(wd(1, 15), f"收取{shop}第{cn((m + 2) // 3)}季度租金", "承包收入", tenant, rent * 3, True,
                             contract=f"HT-S{k + 1:02d}"))
    if p["solar_kw"]:
        pm = 12 if m == 1 else m - 1
        gen = Decimal(p["solar_kw"] * SOLAR_HOURS[pm - 1]) * Decimal("0.45") * rng.randint(90, 110) / 100
        must.append(Item(wd(10, 22), f"收取村集体光伏电站{pm}月发电收入", "经营收入", p["grid"], gen.quantize(CENT), True))
    # optional regular expenses, most important first
    opt.append(Item(wd(5, 15), f"缴纳村部{m}月电费", "管理费用", p["grid"], amt(rng, 300, 900, cents=True)))
    opt.append(Item(wd(18, 28), f"支付{m}月保洁员工资（{cn(p['cleaners'])}人）", "公益支出", "保洁员",
                    Decimal(p["cleaners"] * p["cleaner_wage"]).quantize(CENT)))
    if p["lights"]:
        opt.append(Item(wd(5, 15), f"缴纳{m}月路灯电费", "公益支出", p["grid"], amt(rng, 200, 700, cents=True)))
    opt.append(Item(wd(1, 12), f"缴纳村部{m}月宽带网络费", "管理费用", p["telecom"], p["internet"]))
    if m in (3, 6, 9, 12):
        opt.append(Item(wd(10, 28), f"支付第{cn(m // 3)}季度垃圾清运费", "公益支出", p["sanitation"],
                        amt(rng, 3000, 9000, 100)))
        opt.append(Item(date(y, m, 21), "银行账户管理费", "其他支出", p["bank"], Decimal("30.00")))
    if m == 1 or m == 2:
        opt.append(Item(wd(10, 28), "春节走访慰问困难群众和老党员", "公益支出", "困难群众及老党员",
                        amt(rng, 3000, 12000, 100)))
    if m == 10:
        opt.append(Item(wd(8, 20), "重阳节慰问八十岁以上老人", "公益支出", "高龄老人", amt(rng, 2000, 6000, 100)))
    if m in (5, 6):
        opt.append(Item(wd(1, 25), "购买防汛物资（编织袋、救生衣、应急灯）", "公益支出", p["hardware"],
                        amt(rng, 1500, 6000, 10)))
    if m == p["paper_month"]:
        opt.append(Item(wd(1, 25), f"订阅{y + 1}年度党报党刊", "管理费用", f"{ctx.county[:-1]}邮政分公司",
                        amt(rng, 1500, 3200, 10)))
    if p["solar_kw"] and m in (4, 10):
        opt.append(Item(wd(1, 25), "支付光伏电站清洗维护费", "经营支出", f"{ctx.county[:-1]}阳光新能源服务部",
                        amt(rng, 1200, 3500, 100)))
    if p["dryer"] and 7 <= m <= 10:
        opt.append(Item(wd(5, 28), f"收取粮食烘干服务费（{m}月）", "经营收入", "服务农户",
                        amt(rng, 3000, 15000, cents=True)))
        opt.append(Item(wd(5, 28), f"缴纳烘干中心{m}月电费", "经营支出", p["grid"], amt(rng, 1500, 6000, cents=True)))
    return must, opt


def fill_item(ctx: Ctx, v: Village, rng: random.Random, y: int, m: int, projected: Decimal) -> Item:
    """One more ordinary entry; the mix leans to income when the balance runs low."""
    p = v.profile
    target = p["target"]
    wd = lambda lo=1, hi=31: weekday_in(rng, y, m, lo, hi)  # noqa: E731
    ratio = float((target - projected) / target)
    p_income = min(0.85, max(0.15, 0.45 + 0.5 * ratio))
    g = v.group(rng.randint(1, v.groups))
    if projected > target * 2 and rng.random() < 0.3:
        return Item(wd(), f"支付{g}道路坑洼修补工程款", "公益支出", p["contractor"], amt(rng, 15000, 50000, 100))
    if projected < target / 2 and rng.random() < 0.3:
        what = rng.choice(["农村公路养护", "人居环境整治奖补", "高标准农田管护", "村级公益事业建设"])
        return Item(wd(), f"收到{ctx.county}财政局拨付{what}资金", "补助收入", p["finance"], amt(rng, 20000, 60000, 1000))
    if rng.random() < p_income:
        r = rng.random()
        if r < 0.3:
            return Item(wd(1, 20), f"收取{g}集体仓库租金", "承包收入", villager(v, rng), amt(rng, 500, 3000, 50))
        if r < 0.5:
            what = rng.choice(["环境卫生整治奖补", "防汛物资补助", "党建活动经费", "退役军人服务站工作经费",
                               "农村公路养护补助", "森林防火工作经费", "妇联工作经费"])
            return Item(wd(), f"收到{what}", "补助收入", p["finance"], amt(rng, 1000, 15000, 100))
        if r < 0.7:
            what = rng.choice(["农机代耕服务", "集体抽水机出租", "育秧大棚出租", "村集体苗木销售"])
            return Item(wd(), f"收取{what}收入", "经营收入", villager(v, rng), amt(rng, 300, 4000, cents=True))
        if r < 0.85:
            return Item(wd(), "废旧物资变卖收入", "其他收入", f"{v.township}物资回收站", amt(rng, 100, 1500, cents=True))
        return Item(wd(), rng.choice(["收到在外乡贤捐赠（用于重阳敬老）", "收到爱心企业捐赠（用于助学）"]),
                    "其他收入", villager(v, rng, False), amt(rng, 1000, 10000, 100))
    r = rng.random()
    if r < 0.3:
        what, who, lo, hi = rng.choice([
            ("购买办公用品", p["shop"], 200, 1500), ("打印复印村务公开资料", p["printer"], 100, 800),
            ("村部饮用水", f"{v.township}山泉水站", 100, 300), ("村部电脑维修", p["printer"], 200, 800),
            ("村部办公室维修材料费", p["hardware"], 300, 3000)])
        return Item(wd(), what, "管理费用", who, amt(rng, lo, hi, cents=True))
    if r < 0.4:
        return Item(wd(), "村干部到县城办事交通费", "管理费用", rng.choice(v.cadres).name, amt(rng, 50, 400, 10))
    if r < 0.75:
        what, who, lo, hi = rng.choice([
            (f"{g}路灯维修", p["hardware"], 300, 3000), (f"{g}道路坑洼修补材料费", p["hardware"], 1000, 8000),
            (f"{g}水渠清淤临时用工工资", villager(v, rng, False), 600, 3000),
            (f"慰问{g}困难户", villager(v, rng), 200, 500), (f"清理{g}垃圾死角", villager(v, rng, False), 300, 1500),
            ("购买森林防火宣传资料和灭火器材", p["hardware"], 500, 3000),
            ("购买文化广场音响设备", p["shop"], 800, 3000), (f"{g}垃圾桶更换", p["hardware"], 500, 2500)])
        return Item(wd(), what, "公益支出", who, amt(rng, lo, hi, 10))
    if r < 0.9:
        what, lo, hi = rng.choice([("农机维修费", 200, 2000), ("集体鱼塘清淤费", 2000, 8000),
                                  ("苗木管护人工工资", 500, 3000), ("集体仓库维修", 500, 4000)])
        return Item(wd(), what, "经营支出", villager(v, rng, False), amt(rng, lo, hi, 10))
    what, who, lo, hi = rng.choice([("银行转账手续费", p["bank"], 5, 50), ("村民小组长误工补贴", "村民小组长", 1000, 3000),
                                    ("村级组织意外伤害保险费", f"{ctx.county[:-1]}人保财险支公司", 500, 1500)])
    return Item(wd(), what, "其他支出", who, amt(rng, lo, hi, 1))


def book_items(ctx: Ctx, v: Village) -> dict[tuple[int, int], list[Item]]:
    """Entries of the books beyond the journal, drawn from their own random stream
    so that the rest of the village stays as it was: the distribution of a past
    year's 收益 paid out after its decision (tag 收益分配; the distribution file
    names the decision, whose amount is the whole 收益 distributed; the entry's
    amount is filled in by pay_distribution once the year's result is known), a bank loan
    for a public work of the last year (debt ZW-02, borrowed after the decision
    that the debt item names: a loan is not a payment for the work), and the
    征地补偿 received and paid out per a compensation decision. Each carries a
    photo of its voucher (receipts)."""
    rng = ctx.rng(v.slug, "book-items")
    out: dict[tuple[int, int], list[Item]] = defaultdict(list)
    in_span = set(ctx.months[:-1])          # never in the last month, which is posted last
    p = v.profile
    # ---- 收益分配 of the latest year whose decision was taken and paid in the span
    for d in sorted((d for d in v.decisions if d.kind == "income_use"), key=lambda d: d.stem, reverse=True):
        res = d.resolution.date
        y, m = add_months(res.year, res.month, 1)
        if (y, m) not in in_span:
            continue
        year = int(d.short[:4])
        v.distribution = {"year": year, "decision": d.stem, "posted": d.resolution.date + timedelta(days=1)}
        out[(y, m)].append(Item(weekday_in(rng, y, m, 5, 25), "", "其他支出", "全体农户", ZERO, True,
                                tag="收益分配", project=str(year), receipt=True))
        break
    # ---- a bank loan for a public work of the last year (村集体举债须经决策)
    last = ctx.years[-1]
    works = [d for d in v.decisions if d.kind == "public_works" and d.resolution.date.year == last]
    for d in works:
        y, m = add_months(d.resolution.date.year, d.resolution.date.month, 1)
        if (y, m) not in in_span:
            continue
        amount = (min(d.amount / 2, Decimal(90000)) / 1000).quantize(Decimal("1")) * 1000
        when = weekday_in(rng, y, m, 2, 12)
        v.borrowing = {"id": "ZW-02", "amount": amount.quantize(CENT), "date": when, "decision": d.stem,
                       "bank": p["bank"], "title": d.title}
        out[(y, m)].append(Item(when, f"向{p['bank']}借入短期借款（{d.title}垫资）", "其他收入", p["bank"],
                                amount.quantize(CENT), True, debt="ZW-02", receipt=True))
        break
    # ---- 征地补偿: received from the county, paid out to the group after the village's share
    for d in (d for d in v.decisions if d.kind == "compensation"):
        res = d.resolution.date
        y, m = add_months(res.year, res.month, 1)
        y2, m2 = add_months(y, m, 1)
        if (y, m) not in in_span or (y2, m2) not in in_span:
            continue
        group = d.short.removesuffix("征地补偿款分配")
        keep = int(re.search(r"村集体提留(\d+)%", "".join(d.body)).group(1))
        paid = (d.amount * (100 - keep) / 100).quantize(CENT)
        out[(y, m)].append(Item(weekday_in(rng, y, m, 3, 20), f"收到县道改扩建工程{group}土地补偿费", "补助收入",
                                f"{ctx.county}自然资源局", d.amount, True, tag="征地补偿", project=group, receipt=True))
        out[(y2, m2)].append(Item(weekday_in(rng, y2, m2, 3, 25), f"发放{group}征地补偿款（集体提留{keep}%后）",
                                  "其他支出", f"{group}集体经济组织成员", paid, True, decision=d.stem, tag="征地补偿",
                                  project=group, receipt=True))
    return out


def year_result(v: Village, year: int) -> Decimal:
    """The year's 收益 from its ledger months as `cunwu check` computes it:
    income less expense, leaving out money that only moves a debt or pays out a
    distribution."""
    return sum((e.amount if e.income else -e.amount for lg in v.ledgers if lg.year == year
                for e in lg.entries if not e.debt and e.tag != "收益分配"), ZERO)


def settle_income_use(v: Village, year: int) -> None:
    """Once `year`'s ledgers are all written, its 收益分配 decisions (taken the
    next spring) distribute at most the year's result, rounded down to the
    hundred; a year with less than 10,000 yuan of 收益 distributes nothing."""
    result = year_result(v, year)
    for d in v.decisions:
        if d.kind != "income_use" or d.short != f"{year}年度集体收益分配":
            continue
        cap = (result / 100).to_integral_value(rounding="ROUND_FLOOR") * 100
        if cap < 10000:
            d.amount = ZERO
            d.body[:2] = [f"{year}年度村集体经营性收益{'亏损' if result < 0 else '为'}{money(abs(result))}元，"
                          "没有可分配的收益。",
                          "本年度不进行收益分配，不提取公积公益金和福利费，待集体经营性收益增加后再议。"]
            d.body = [b for b in d.body if not b.startswith("目前正在组织实施")]
        else:
            d.amount = min(d.amount, cap.quantize(CENT))
            d.body[0] = f"{year}年度村集体经营性收益{money(result)}元，可分配金额{money(d.amount)}元。"


def pay_distribution(v: Village, it: Item) -> bool:
    """Fill in the entry that pays out the distribution of v.distribution from its
    decision's (settled) amount; False, and no distribution, when it gives nothing."""
    dist = v.distribution
    d = next(d for d in v.decisions if d.stem == dist["decision"])
    if not d.amount:
        v.distribution = {}
        return False
    a, b = map(int, re.findall(r"提取(?:公积公益金|福利费)(\d+)%", "".join(d.body))[:2])
    units = v.households
    per_unit = (d.amount * (100 - a - b) / 100 / units).quantize(CENT, rounding="ROUND_DOWN")
    members = per_unit * units
    reserve = (d.amount * a / 100).quantize(CENT)
    dist.update(reserve=reserve, welfare=d.amount - reserve - members, members=members,
                units=units, per_unit=per_unit)
    it.summary = f"发放{dist['year']}年度集体收益分红（{units}户，每户{money(per_unit)}元）"
    it.amount = members
    return True


def gen_ledgers(ctx: Ctx, v: Village) -> None:
    rng = ctx.rng(v.slug, "ledger")
    lo, hi = ctx.entries
    linked = linked_items(ctx, v)
    for ym, items in book_items(ctx, v).items():
        linked[ym] = linked.get(ym, []) + items
    balance = v.profile["opening"]
    sup_chief, sup_other = v.supervisors[0], v.supervisors[1:]
    for y, m in ctx.months:
        if m == 1 and (y - 1, 1) in ctx.months:   # the year before is complete
            settle_income_use(v, y - 1)
        n = rng.randint(lo, hi)
        month = Month(y, m)
        must, opt = scheduled_items(ctx, v, rng, y, m)
        for it in must + linked.get((y, m), []):
            if it.tag == "收益分配" and not pay_distribution(v, it):
                continue
            month.add(it)
        for it in opt:
            if len(month.items) < n:
                month.add(it)
        projected = balance + month.net
        while len(month.items) < n:
            it = fill_item(ctx, v, rng, y, m, projected)
            month.add(it)
            projected += it.amount if it.income else -it.amount
        items = sorted(month.items, key=lambda i: (i.date, i.seq))
        opening = balance
        out: list[Item] = []
        for it in items:
            if not it.income and it.amount > balance:
                if it.mandatory:   # funds arrive before a payment that cannot wait
                    top = ((it.amount - balance) // 10000 + 2) * 10000
                    out.append(Item(it.date, f"收到{v.township}财政所预拨村级组织运转经费", "补助收入",
                                    v.profile["finance"], top.quantize(CENT), True))
                    balance += top
                else:
                    it.amount = (balance * rng.randint(20, 50) / 100).quantize(Decimal("1")).quantize(CENT)
                    if it.amount < 50:
                        continue
            balance += it.amount if it.income else -it.amount
            it.receipt = it.receipt or it.amount > RECEIPT_REQUIRED
            out.append(it)
        end = month_end(y, m)
        posted = end + timedelta(days=rng.randint(2, 9))
        review = max(end + timedelta(days=1), posted - timedelta(days=rng.randint(0, 2)))
        v.ledgers.append(Ledger(y, m, opening, balance, posted, [sup_chief, rng.choice(sup_other)], review, out))


# ============================================================== rules

VILLAGE_RULES_V1 = [
    "村民应当遵守宪法、法律、法规和国家政策，自觉维护社会秩序和公共安全，不参与黄赌毒和封建迷信活动。",
    "爱护集体财产和公共设施，不得损毁道路、路灯、水渠、健身器材等公共设施，损坏的照价赔偿。",
    "保护耕地，不得在承包地上乱建房屋、乱挖乱采；建房须依法申请宅基地，做到一户一宅。",
    "搞好环境卫生，生活垃圾投放到指定地点，不乱倒垃圾、不乱堆柴草、不乱搭乱建。",
    "移风易俗，婚事新办、丧事简办，喜事宴席不超过二十桌，不大操大办。",
    "提倡婚姻自由，反对包办买卖婚姻和高价彩礼。",
    "尊老爱幼，子女应当履行赡养老人的义务，不得虐待、遗弃老人和未成年人。",
    "邻里之间互谅互让、团结互助，发生矛盾纠纷先找村人民调解委员会调解，不得聚众闹事。",
    "做好森林防火，野外不得焚烧秸秆、垃圾，祭祀用火要有人看守，提倡鲜花祭扫。",
    "加强对未成年人的看护，不让孩子到山塘、水库、河边私自游泳，防止溺水事故。",
    "依法按时参加城乡居民医疗保险和养老保险。",
    "村民有权监督村务、财务公开，对公开内容有疑问的，可以向村务监督委员会反映。",
    "本村规民约经村民会议讨论通过，报镇人民政府备案后施行，由村民委员会负责解释。",
]
VILLAGE_RULES_V2_CHANGES = {
    4: "移风易俗，婚事新办、丧事简办，喜事宴席不超过十五桌，除婚丧嫁娶外其他事宜一律不办酒席。",
    5: "提倡婚姻自由，反对包办买卖婚姻，倡导彩礼不超过三万元，红白理事会负责劝导。",
    3: "搞好环境卫生，生活垃圾分类投放到指定地点，实行人居环境积分制，积分可在爱心超市兑换物品。",
}
VILLAGE_RULES_V2_NEW = [
    "文明养犬，犬只出户须拴绳，烈性犬不得饲养。",
    "提高防范电信网络诈骗意识，不轻信陌生来电，不向陌生账户转账。",
    "不得在公路上晾晒农作物、堆放杂物，保障道路通行安全。",
]

CHARTER = [
    "第一章 总则",
    "本章程依据《中华人民共和国村民委员会组织法》制定，是全体村民实行自我管理、自我教育、自我服务的基本准则。",
    "村党组织是村级各类组织的领导核心，村民委员会、村务监督委员会在村党组织领导下开展工作。",
    "第二章 村民会议和村民代表会议",
    "村民会议由本村十八周岁以上村民组成，须有过半数村民或者三分之二以上的户的代表参加，所作决定须经到会人员过半数通过。",
    "村民代表按每五至十五户推选一人，妇女代表不少于三分之一；村民代表会议须有三分之二以上组成人员参加，所作决定须经到会人员过半数同意。",
    "村干部误工补贴、集体收益使用、公益事业兴办、土地承包方案等重大事项，须按照“四议两公开”程序决策。",
    "第三章 村务监督",
    "村务监督委员会由三人组成，村民委员会成员及其近亲属不得担任。",
    "村级财务实行村账镇管，每笔开支须经经办人、村务监督委员会审核，村党组织书记审批，做到三审双签。",
    "财务收支每月公开一次，公开前须经村务监督委员会审核。",
    "村干部每年接受一次民主评议，评议结果公开。",
    "第四章 附则",
    "本章程经村民会议通过，报镇人民政府备案后施行。",
]

POWERS = [
    ("村级重大事项决策", "《村民委员会组织法》第二十四条",
     ["村党支部提议", "村两委会商议", "党员大会审议", "村民代表会议或村民会议决议", "决议公开", "实施结果公开"]),
    ("村级工程项目建设", "《村民委员会组织法》第二十四条",
     ["村党支部提议", "两委会商议", "党员大会审议", "村民代表会议决议", "公开比选或招标", "组织施工", "竣工验收", "结算公示"]),
    ("村级财务收支", "《农村集体经济组织财务公开规定》",
     ["经办人取得票据", "报账员审核", "村务监督委员会审核", "村党支部书记审批", "镇经管站复核入账", "按月公开"]),
    ("集体资产资源发包租赁", "《农村集体经济组织财务公开规定》",
     ["资产清查", "两委会商议发包方案", "村民代表会议决议", "发布招租公告", "公开竞价", "签订合同", "结果公示"]),
    ("低保救助对象评审", "《社会救助暂行办法》",
     ["村民申请", "入户调查", "民主评议", "村内公示", "报镇审核", "县民政局审批", "结果公示"]),
    ("农村宅基地审批", "《中华人民共和国土地管理法》第六十二条",
     ["村民申请", "村民小组讨论", "村两委审查", "村内公示", "报镇审批", "放线施工", "竣工验收"]),
    ("村干部误工补贴发放", "镇党委关于村干部报酬管理的规定",
     ["镇考核确定标准", "两委会商议", "村民代表会议决议", "按月造册", "监委会审核", "发放公示"]),
    ("村级印章使用管理", "镇村级印章管理办法",
     ["申请人登记", "村干部审核", "村党支部书记批准", "专人用印", "登记备案"]),
    ("村级物资采购", "镇村级财务管理办法", ["提出采购需求", "两委会商议", "询价比价", "采购验收", "报账公开"]),
    ("矛盾纠纷调解", "《中华人民共和国人民调解法》", ["受理申请", "调查核实", "组织调解", "达成协议", "回访归档"]),
]


def articles(lines: list[str]) -> str:
    out, n = [], 0
    for line in lines:
        if line.startswith("第") and "章" in line[:4]:
            out.append(line)
        else:
            n += 1
            out.append(f"第{cn(n)}条 {line}")
    return "\n".join(out)


def gen_rules(ctx: Ctx, v: Village) -> None:
    rng = ctx.rng(v.slug, "rules")
    by_kind = defaultdict(list)
    for d in v.decisions:
        by_kind[d.kind].append(d)

    def version(d: Decision, name: str) -> dict:
        adopted = d.resolution.date
        return {"version": name, "adopted": adopted, "decision": d.stem,
                "filed": adopted + timedelta(days=rng.randint(5, 15)), "posted": d.step_date("决议公开")}

    d1, d2 = sorted([by_kind["rule_v1"][0], by_kind["rule_v2"][0]], key=lambda d: d.resolution.date)
    n1 = f"{d1.resolution.date.year}年版"
    n2 = f"{d2.resolution.date.year}年版" if d2.resolution.date.year != d1.resolution.date.year \
        else f"{d2.resolution.date.year}年修订版"
    v2_lines = [VILLAGE_RULES_V2_CHANGES.get(i, line) for i, line in enumerate(VILLAGE_RULES_V1[:-1])]
    v2_lines += VILLAGE_RULES_V2_NEW + VILLAGE_RULES_V1[-1:]
    v.rules.append({"file": "村规民约", "title": f"{v.name}村规民约", "kind": "村规民约", "versions": [
        {**version(d1, n1), "text": articles(VILLAGE_RULES_V1)},
        {**version(d2, n2), "text": articles(v2_lines)}]})
    dc = by_kind["charter"][0]
    v.rules.append({"file": "村民自治章程", "title": f"{v.name}村民自治章程", "kind": "村民自治章程", "versions": [
        {**version(dc, f"{dc.resolution.date.year}年版"), "text": articles(CHARTER)}]})
    dp = by_kind["powers"][0]
    powers = POWERS[:3] + rng.sample(POWERS[3:], rng.randint(2, 5))
    v.rules.append({"file": "小微权力清单", "title": f"{v.name}村级小微权力清单", "kind": "小微权力清单", "versions": [
        {**version(dp, f"{dp.resolution.date.year}年版"), "powers": powers}]})


# ============================================================== evaluations

def year_totals(v: Village, y: int) -> dict[str, Decimal]:
    tot: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for lg in v.ledgers:
        if lg.year == y:
            for e in lg.entries:
                tot[e.category] += e.amount
            tot["_entries"] += len(lg.entries)
    return tot


def report_text(v: Village, rng: random.Random, c: Cadre, y: int, verdict: str) -> str:
    tot = year_totals(v, y)
    decisions = [d for d in v.decisions if d.resolution.date.year == y]
    works = [d for d in decisions if d.kind == "public_works"]
    business = tot["经营收入"] + tot["承包收入"] + tot["投资收益"]
    s: list[str] = []
    if c.name == v.secretary:
        reps = sum(1 for d in decisions if d.resolution.step == "村民代表会议决议")
        s.append(f"{y}年，本人在镇党委、政府的领导下，带领村两委班子认真履行职责，全年召开村民代表会议{reps}次"
                 f"以上，{len(decisions)}件重大事项全部按照“四议两公开”程序决策。")
        if works:
            s.append(f"牵头推进{'、'.join(d.title for d in works)}，群众出行和生产生活条件得到改善。")
        s.append(f"全村集体经营性收入{wan(business)}万元，集体资产资源做到应收尽收。")
        s.append("坚持村账镇管和每月财务公开，每笔开支都经村务监督委员会审核后再签字。")
        if rng.random() < 0.6:
            s.append("带头走访化解矛盾纠纷，全年未发生越级上访事件。")
        s.append(rng.choice(["存在的不足是发展集体经济的办法还不多，下一步将继续壮大村集体经济，办好群众身边的实事。",
                             "存在的不足是理论学习抓得不够紧，今后将加强学习，自觉接受全体村民监督。"]))
    else:
        s.append(f"本人{y}年主要负责{c.duty}。")
        duty_lines = {
            "财务报账和村务公开": [f"全年整理记账凭证{int(tot['_entries'])}份，做到日清月结、账目清楚。",
                             "每月按时将收支明细报村务监督委员会审核后在公开栏和网上同步公开。"],
            "组织和党建工作": ["协助书记做好党员发展和教育管理工作，按月开展主题党日活动。",
                        "按季度公开党费收缴情况，组织党员参加志愿服务。"],
            "民政、社保和低保评审": ["协助做好低保、特困、临时救助的评审工作，按季度公示低保对象。",
                            f"全年走访困难群众{rng.randint(30, 90)}户次，帮助办理医保、养老保险参保。"],
            "综治维稳和矛盾纠纷调解": [f"全年参与调解矛盾纠纷{rng.randint(8, 30)}起，绝大多数当场化解。",
                              "组织开展防诈骗、防溺水宣传，协助做好治安巡逻。"],
            "妇女、计生和关心下一代工作": ["组织开展“三八”节活动和“两癌”筛查宣传。",
                                "关心留守儿童和空巢老人，协调爱心人士开展助学活动。"],
            "人居环境整治和农业生产": ["每月组织人居环境整治检查评比，督促保洁员落实责任区域。",
                             "协助做好春耕备耕、防汛抗旱和秸秆禁烧工作。"],
            "产业发展和集体经济": ["协助管理村集体鱼塘、山林等资产发包，租金按时收缴入账。",
                          f"全年集体经营性收入{wan(business)}万元。"],
            "宣传和文化体育": ["办好村务公开栏和村民微信群，及时转发惠农政策。",
                        "组织广场舞队参加镇里文艺汇演，丰富群众文化生活。"],
            "纪检和党风廉政建设": ["协助村务监督委员会做好财务审核和村务公开监督。",
                          "督促村干部落实廉洁履职规定，全年未发现违规违纪问题。"],
        }[c.duty]
        s.extend(duty_lines[: rng.randint(1, 2)])
        if verdict == "基本称职":
            s.append("工作主动性还不够，群众反映的个别问题没有及时回复，今后一定改正。")
        else:
            s.append(rng.choice(["今后将进一步提高服务意识，虚心接受村民监督。",
                                 "今后将继续配合书记做好各项工作，不辜负村民的信任。"]))
    return "".join(s)


def gen_evaluations(ctx: Ctx, v: Village) -> None:
    rng = ctx.rng(v.slug, "evaluations")
    for y in ctx.years:
        if (y, 12) not in ctx.months:
            continue
        # 年终述职评议: a working day from Dec 26 to Jan 7, posted within three days
        # and by Jan 10 (the county counts a year's evaluation on time until then)
        days = [date(y, 12, 26) + timedelta(days=k) for k in range(13)]
        meeting = rng.choice([d for d in days if d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS])
        posted = min(meeting + timedelta(days=rng.randint(1, 3)), date(y + 1, 1, 10))
        if posted > ctx.today:      # --end-month is December: hold it a little earlier
            meeting = ctx.today - timedelta(days=rng.randint(4, 6))
            posted = ctx.today - timedelta(days=rng.randint(1, 3))
            if meeting < date(y, 12, 20):
                continue
        base = v.representatives + v.party_members
        participants = rng.randint(int(base * 0.8), base)
        cadres = []
        for c in v.cadres:
            basic_only = c.name != v.secretary and rng.random() < 0.1
            if basic_only:
                sat = int(participants * rng.uniform(0.42, 0.58))
                uns = int(participants * rng.uniform(0.05, 0.12))
                verdict = "基本称职"
            else:
                sat = int(participants * rng.uniform(0.78, 0.95))
                uns = rng.randint(0, 3)
                verdict = "称职"
            spoiled = rng.randint(0, 2)
            basic = max(0, participants - sat - uns - spoiled)
            role = "、".join(c.roles)
            cadres.append({"name": c.name, "role": role, "participants": participants,
                           "votes": (sat, basic, uns), "verdict": verdict,
                           "stipend": c.monthly[y] * 12,
                           "report": report_text(v, rng, c, y, verdict)})
        v.evaluations.append({"year": y, "date": meeting, "posted": posted,
                              "chaired_by": v.supervisors[0], "cadres": cadres})


# ============================================================== notices

OBJ_LIST = "对公示内容有异议的，请在公示期内向村务监督委员会或{township}反映。"


def period(rng: random.Random, start: date, lo: int = 7, hi: int = 14) -> date:
    """End of a posting period of 8-15 calendar days counted inclusively."""
    return start + timedelta(days=rng.randint(lo, hi))


def gen_notices(ctx: Ctx, v: Village) -> None:
    rng = ctx.rng(v.slug, "notices")
    out: list[Notice] = []
    obj = lambda office="民政办": OBJ_LIST.format(township=v.township + office)  # noqa: E731
    obj_general = "对公开内容有疑问的，请向村务监督委员会反映，村委会将在五个工作日内答复。"
    quarters = sorted({(y, (m - 1) // 3 + 1) for y, m in ctx.months})
    ledgers = {(lg.year, lg.month): lg for lg in v.ledgers}
    p = v.profile

    for y, q in quarters:
        qm = 3 * q - 2
        # 政务: 低保 list each quarter
        start = weekday_in(rng, y, qm, 3, 12)
        if start <= ctx.today:
            if rng.random() < 0.5 and len(p["dibao"]) > 4:
                p["dibao"].pop(rng.randrange(len(p["dibao"])))
            if rng.random() < 0.6:
                p["dibao"].append(new_dibao(v, rng))
            rows = [[r[0], r[1], r[2], (r[3] * r[2]).quantize(CENT)] for r in p["dibao"]]
            persons = sum(r[2] for r in p["dibao"])
            out.append(Notice(f"第{cn(q)}季度低保公示", f"{y}年第{cn(q)}季度农村低保对象公示", "政务", start,
                              period(rng, start), obj(),
                              ["根据《社会救助暂行办法》和省、市、县有关规定，经户主申请、入户调查、村民代表民主评议，"
                               f"{y}年第{cn(q)}季度本村农村最低生活保障对象共{len(rows)}户{persons}人，现予以公示。",
                               "公示期满无异议的，报镇人民政府审核、县民政局审批。"],
                              (["姓名", "组别", "保障人数", "月保障金（元）"], rows)))
        # 财务: quarterly summary after the quarter ends
        months_q = [(y, mm) for mm in range(qm, qm + 3) if (y, mm) in ledgers]
        if len(months_q) == 3:
            lgs = [ledgers[k] for k in months_q]
            tot: dict[str, Decimal] = defaultdict(lambda: ZERO)
            for lg in lgs:
                for e in lg.entries:
                    tot[e.category] += e.amount
            inc = sum((tot[c] for c in INCOME), ZERO)
            exp = sum((tot[c] for c in EXPENSE), ZERO)
            rows = [["期初余额", lgs[0].opening]] + [[c, tot[c]] for c in INCOME] + [["收入合计", inc]] \
                + [[c, tot[c]] for c in EXPENSE] + [["支出合计", exp], ["期末余额", lgs[-1].closing]]
            start = month_end(y, qm + 2) + timedelta(days=rng.randint(5, 12))
            out.append(Notice(f"第{cn(q)}季度财务收支汇总", f"{y}年第{cn(q)}季度村级财务收支情况公示", "财务", start,
                              period(rng, start), obj_general,
                              [f"现将本村{y}年第{cn(q)}季度财务收支情况汇总公示如下，各月收支明细见每月财务公开。",
                               "以上账目已经村务监督委员会审核，并经镇农村经营管理站复核。"],
                              (["项目", "金额（元）"], rows)))
            # 党务: party dues each quarter
            dues = Decimal(v.party_members * rng.randint(5, 9) * 3).quantize(CENT)
            start = month_end(y, qm + 2) + timedelta(days=rng.randint(3, 15))
            out.append(Notice(f"第{cn(q)}季度党费收缴公示", f"{y}年第{cn(q)}季度党费收缴情况公示", "党务", start,
                              period(rng, start), "党员对党费收缴有疑问的，请向村党支部纪检委员反映。",
                              [f"全村共有党员{v.party_members}名，{y}年第{cn(q)}季度应缴党费{money(dues)}元，"
                               f"实缴{money(dues)}元，已全额上缴镇党委。"]))
        # 党务 topical, 村务 seasonal
        topical = {1: party_review, 2: party_july, 3: party_candidates, 4: party_full_member}[q]
        n = topical(ctx, v, rng, y)
        if n and n.start <= ctx.today:
            out.append(n)
        n = seasonal(ctx, v, rng, y, q)
        if n and n.start <= ctx.today and (n.start.year, n.start.month) <= (ctx.last.year, ctx.last.month):
            out.append(n)

    for y in ctx.years:
        # 政务: 耕地地力保护补贴 list in May or June
        mm = rng.choice([5, 6])
        if (y, mm) in ctx.months:
            out.append(farmland_subsidy(ctx, v, rng, y, mm))
        # 政务: 临时救助 each half-year, 高龄津贴 yearly
        for mm in (7, 12):
            if (y, mm) in ctx.months:
                out.append(temporary_relief(v, rng, y, mm, obj()))
        if (y, 3) in ctx.months:
            out.append(elderly_allowance(v, rng, y, 3, obj()))

    # decisions: 决议公示 and 实施结果公示
    for d in v.decisions:
        res = d.resolution
        mt = res.meeting
        start = d.step_date("决议公开")
        who = "村民会议" if res.step == "村民会议决议" else "村民代表会议"
        out.append(Notice(f"{d.short}决议公示", f"关于{d.title}的决议公示", "村务", start, period(rng, start),
                          obj_general,
                          [f"{cn_date(res.date)}，本村{who}就“{d.title}”进行表决：应到{mt['members']}人，"
                           f"实到{mt['present']}人，赞成{mt['for']}票，反对{mt['against']}票，弃权{mt['abstain']}票，决议通过。",
                           d.body[0]]))
        done = d.steps[-1].date
        if d.kind == "public_works" and d.status == "已完成":
            final = (d.amount * Decimal(rng.randint(93, 100)) / 100).quantize(CENT)
            out.append(Notice(f"{d.short}实施结果公示", f"{d.title}实施结果公示", "村务", done, period(rng, done),
                              obj_general,
                              [f"{d.title}已按村民代表会议决议组织实施，于{cn_date(done - timedelta(days=3))}通过镇、村联合验收。",
                               f"工程结算金额{money(final)}元，已支付至结算金额的95%，余款作为质保金一年后支付。"]))
        if d.kind in ("land", "property") and d.status == "已完成" and d.extra.get("winner"):
            out.append(Notice(f"{d.short}结果公示", f"{d.extra['item']}结果公示", "财务", done, period(rng, done),
                              obj_general,
                              [f"{d.extra['item']}经公开竞价，现将结果公示如下。"],
                              (["项目", "承包人", "承包期限", "年承包费（元）"],
                               [[d.extra["item"], mask(d.extra["winner"]) if d.extra.get("person")
                                 else d.extra["winner"], f"{cn(d.extra['years'])}年", d.extra["price"]]])))

    # evaluations
    for ev in v.evaluations:
        rows = [[c["name"], c["role"], c["votes"][0], c["votes"][1], c["votes"][2], c["verdict"]]
                for c in ev["cadres"]]
        out.append(Notice("村干部民主评议结果", f"{ev['year']}年度村干部民主评议结果公示", "村务", ev["posted"],
                          period(rng, ev["posted"]), "对评议结果有异议的，请向村务监督委员会或镇纪委反映。",
                          [f"{cn_date(ev['date'])}，村务监督委员会主持召开{ev['year']}年度村干部述职评议大会，"
                           f"村民代表和党员共{ev['cadres'][0]['participants']}人参加评议，结果如下。"],
                          (["姓名", "职务", "满意", "基本满意", "不满意", "评议结果"], rows)))

    # 换届 (election) notices when it falls inside the span
    if v.election and ctx.first <= v.election <= ctx.today:
        e = v.election
        start = e - timedelta(days=rng.randint(20, 25))
        out.append(Notice("村党组织换届选举公告", "关于村党组织换届选举的公告", "党务", start, period(rng, start),
                          "对选举工作有意见的，请向镇党委组织办反映。",
                          [f"经镇党委批准，村党支部定于{cn_date(e - timedelta(days=7))}召开党员大会进行换届选举。",
                           "请全体党员按时参加，因故不能参加的，请提前向村党支部请假。"]))
        start = e - timedelta(days=rng.randint(12, 16))
        out.append(Notice("村委会选举公告", "村民委员会换届选举公告", "村务", start, period(rng, start, 8, 12),
                          "对选民名单有异议的，请在公示期内向村民选举委员会提出。",
                          [f"本村第{cn(rng.randint(10, 12))}届村民委员会选举定于{cn_date(e)}举行，"
                           f"登记选民{v.adults - rng.randint(20, 120)}人，选民名单在村部公开栏张贴。",
                           "选民凭选民证参加投票，外出选民可书面委托本村其他选民代为投票。"]))
        start = e - timedelta(days=rng.randint(40, 55))
        out.append(Notice("村干部任期经济责任审计结果", "村干部任期经济责任审计结果公示", "财务", start,
                          period(rng, start), obj_general,
                          ["受镇农村经营管理站委托，审计组对本村上届村干部任期内的财务收支、资产资源管理和债权债务进行了审计。",
                           "审计认为：村级财务收支基本真实，重大支出均按程序决策，未发现违规违纪问题；"
                           "个别凭证附件不全，已督促整改。"]))

    # a few notices still open on "today"
    for n in open_notices(ctx, v, rng, obj):
        out.append(n)

    # keep notices within [span start, today]; unique stems by start month
    stems: set[str] = set()
    kept = []
    for n in sorted(out, key=lambda n: (n.start, n.short)):
        if n.start < ctx.first or n.start > ctx.today:
            continue
        stem = f"{n.start.year}-{n.start.month:02d}-{n.short}"
        k = 2
        while stem in stems:
            stem = f"{n.start.year}-{n.start.month:02d}-{n.short}{cn(k)}"
            k += 1
        stems.add(stem)
        n.stem = stem
        kept.append(n)
    v.notices = kept


def party_review(ctx, v, rng, y) -> Notice:
    start = weekday_in(rng, y, rng.choice([2, 3]), 5, 25)
    total = v.party_members - rng.randint(1, 5)
    good = rng.randint(total // 8, total // 5)
    basic = rng.randint(0, 2)
    return Notice("党员民主评议结果", f"{y - 1}年度党员民主评议结果公示", "党务", start, period(rng, start),
                  "对评议结果有异议的，请向村党支部或镇党委组织办反映。",
                  [f"按照镇党委统一部署，村党支部组织开展了{y - 1}年度党员民主评议，参评党员{total}名"
                   f"（年老体弱、外出务工党员经批准不参评）。",
                   f"经个人自评、党员互评和民主测评，评定优秀党员{good}名、合格党员{total - good - basic}名、"
                   f"基本合格党员{basic}名，无不合格党员。"])


def party_july(ctx, v, rng, y) -> Notice:
    start = weekday_in(rng, y, 6, 20, 28)
    rows = [[mask(villager(v, rng)), v.group(rng.randint(1, v.groups)), rng.randint(30, 65),
             Decimal(rng.choice([300, 500, 800])).quantize(CENT)] for _ in range(rng.randint(3, 8))]
    return Notice("七一走访慰问党员名单", f"{y}年“七一”走访慰问困难党员和老党员名单公示", "党务", start,
                  period(rng, start), "对慰问对象有异议的，请向村党支部反映。",
                  ["庆祝中国共产党成立纪念日，村党支部对生活困难党员和党龄五十年以上的老党员进行走访慰问，"
                   "慰问金从村级服务群众专项经费中列支。"],
                  (["姓名", "组别", "党龄（年）", "慰问金（元）"], rows))


def party_candidates(ctx, v, rng, y) -> Notice:
    start = weekday_in(rng, y, 9, 5, 25)
    names = [villager(v, rng) for _ in range(rng.randint(1, 3))]
    return Notice("发展对象公示", f"关于确定{names[0]}等同志为发展对象的公示" if len(names) > 1
                  else f"关于确定{names[0]}同志为发展对象的公示", "党务", start, period(rng, start),
                  "对公示对象有意见的，可在公示期内以来信、来访等方式向村党支部或镇党委组织办反映。",
                  [f"经党员推荐、群团组织推优和支委会研究，拟确定{'、'.join(names)}同志为发展对象，现予以公示。",
                   "反映问题要实事求是，以真实姓名反映的将予以保密并回复。"])


def party_full_member(ctx, v, rng, y) -> Notice:
    start = weekday_in(rng, y, rng.choice([11, 12]), 1, 20)
    name = villager(v, rng)
    return Notice("预备党员转正公示", f"关于{name}同志按期转为中共正式党员的公示", "党务", start,
                  period(rng, start), "对公示对象有意见的，请在公示期内向村党支部或镇党委组织办反映。",
                  [f"{name}同志预备期已满一年，本人提出转正申请，经支部委员会审查，拟提交支部大会讨论其转正问题，现予以公示。"])


def seasonal(ctx, v, rng, y, q) -> Notice | None:
    if q == 1:
        start = weekday_in(rng, y, rng.choice([2, 3]), 1, 20)
        return Notice("春季森林防火通告", f"{y}年春季森林防火通告", "村务", start, period(rng, start, 10, 14),
                      "发现火情请立即拨打森林火警电话12119或报告村委会。",
                      ["清明前后是森林火灾高发期。即日起，严禁在林区及林缘一百米范围内烧灰积肥、焚烧秸秆、燃放鞭炮。",
                       "提倡文明祭扫、鲜花祭扫；上坟烧纸须有人看守，做到人走火灭。违者依法追究责任。"])
    if q == 2:
        start = weekday_in(rng, y, rng.choice([5, 6]), 1, 20)
        return Notice("防汛防溺水告知书", f"{y}年防汛防溺水安全告知书", "村务", start, period(rng, start),
                      "发现险情请及时报告村委会值班人员。",
                      ["汛期已到，请住在山边、河边的群众注意观察房前屋后山体和塘坝情况，遇强降雨及时转移。",
                       "家长要切实履行监护责任，教育孩子不到山塘、水库、河边私自游泳、玩耍。"])
    if q == 3:
        start = weekday_in(rng, y, 9, 5, 25)
        return Notice("医保缴费通知", f"{y + 1}年度城乡居民医疗保险集中缴费通知", "村务", start,
                      period(rng, start, 12, 14), "对缴费政策有疑问的，请到村便民服务室咨询。",
                      [f"{y + 1}年度城乡居民基本医疗保险集中征缴已经开始，请各户通过村便民服务室或官方缴费渠道按时缴纳。",
                       "低保对象、特困人员等困难群体按规定享受参保资助。谨防以代缴医保为名的诈骗。"])
    start = weekday_in(rng, y, rng.choice([10, 11, 12]), 1, 15)
    return Notice("冬修水利安排", f"{y}年冬修水利工作安排", "村务", start, period(rng, start),
                  "对工程安排有意见建议的，请向村委会反映。",
                  [f"今冬明春，村里计划清淤山塘{rng.randint(2, 6)}口、疏浚渠道{rng.randint(2, 6)}公里，"
                   "各村民小组按受益面积组织投工投劳。",
                   "工程量和用工情况完工后另行公示。"])


def farmland_subsidy(ctx, v, rng, y, m) -> Notice:
    rate = Decimal(rng.randint(9500, 12500)) / 100
    keyed = []
    for _ in range(rng.randint(20, 40)):
        area = Decimal(rng.randint(80, 900)) / 100
        gi = rng.randint(1, v.groups)
        keyed.append((gi, [mask(villager(v, rng)), v.group(gi), area, rate,
                           (area * rate).quantize(CENT, ROUND_HALF_UP)]))
    rows = [r for _, r in sorted(keyed, key=lambda t: t[0])]
    total = sum((r[4] for r in rows), ZERO)
    area = sum((r[2] for r in rows), ZERO)
    start = weekday_in(rng, y, m, 3, 20)
    return Notice("耕地地力保护补贴公示", f"{y}年耕地地力保护补贴发放清册公示", "政务", start, period(rng, start),
                  f"对补贴面积或金额有异议的，请在公示期内向村委会或{v.township}农业综合服务中心反映。",
                  [f"根据县农业农村局、财政局的通知，{y}年耕地地力保护补贴标准为每亩{rate}元，按第二轮土地承包面积计算。",
                   f"本批次共{len(rows)}户，补贴面积{area}亩，补贴资金{money(total)}元，公示无异议后由财政通过“一卡通”直接发放到户。"],
                  (["姓名", "组别", "补贴面积（亩）", "补贴标准（元/亩）", "补贴金额（元）"], rows))


def temporary_relief(v, rng, y, m, objection) -> Notice:
    reasons = ["因病致困", "意外事故", "房屋火灾受损", "子女就学困难", "家庭主要劳动力残疾"]
    rows = [[mask(villager(v, rng)), v.group(rng.randint(1, v.groups)), rng.choice(reasons),
             Decimal(rng.randint(10, 50) * 100).quantize(CENT)] for _ in range(rng.randint(2, 6))]
    half = "上半年" if m == 7 else "下半年"
    start = weekday_in(rng, y, m, 1, 15)
    return Notice(f"{half}临时救助公示", f"{y}年{half}临时救助对象公示", "政务", start, period(rng, start), objection,
                  ["经本人申请、村委会调查核实、民主评议，拟对以下遭遇急难的家庭给予临时救助，现予以公示。"],
                  (["姓名", "组别", "救助事由", "救助金额（元）"], rows))


def elderly_allowance(v, rng, y, m, objection) -> Notice:
    rows = []
    for _ in range(rng.randint(8, 20)):
        age = rng.choices(["80至89周岁", "90至99周岁", "100周岁以上"], weights=[60, 19, 1])[0]
        pay = {"80至89周岁": 50, "90至99周岁": 100, "100周岁以上": 300}[age]
        rows.append([mask(villager(v, rng)), v.group(rng.randint(1, v.groups)), age, Decimal(pay).quantize(CENT)])
    start = weekday_in(rng, y, m, 3, 20)
    return Notice("高龄津贴公示", f"{y}年度高龄津贴发放对象公示", "政务", start, period(rng, start), objection,
                  [f"根据县民政局的通知，现将本村{y}年度高龄津贴发放对象公示如下，津贴按月发放到户。"],
                  (["姓名", "组别", "年龄段", "月发放标准（元）"], rows))


def open_notices(ctx, v, rng, obj) -> list[Notice]:
    """Two or three notices whose posting period is still open on ctx.today."""
    t = ctx.today
    y = t.year
    choices = []
    s = t - timedelta(days=rng.randint(1, 6))
    choices.append(Notice("冬季森林防火通告", f"{y}年秋冬季森林防火通告", "村务", s, t + timedelta(days=rng.randint(3, 9)),
                          "发现火情请立即报告村委会或拨打森林火警电话12119。",
                          ["秋冬季天干物燥，即日起至次年四月，严禁在林区野外用火。",
                           "请各户看管好老人和小孩，发现火情及时报告。"]))
    s = t - timedelta(days=rng.randint(1, 6))
    rows = [[mask(villager(v, rng)), v.group(rng.randint(1, v.groups)), rng.choice(["因病致困", "意外事故"]),
             Decimal(rng.randint(10, 40) * 100).quantize(CENT)] for _ in range(rng.randint(2, 4))]
    choices.append(Notice("临时救助对象公示", f"{y}年第{cn((t.month + 2) // 3)}批临时救助对象公示", "政务", s,
                          t + timedelta(days=rng.randint(3, 9)), obj(),
                          ["经本人申请、入户调查和民主评议，拟对以下家庭给予临时救助，现予以公示。"],
                          (["姓名", "组别", "救助事由", "救助金额（元）"], rows)))
    s = t - timedelta(days=rng.randint(1, 6))
    name = villager(v, rng)
    choices.append(Notice("拟接收预备党员公示", f"关于拟接收{name}同志为中共预备党员的公示", "党务", s,
                          t + timedelta(days=rng.randint(3, 9)),
                          "对公示对象有意见的，请在公示期内向村党支部或镇党委组织办反映。",
                          [f"{name}同志经过一年以上的培养考察，已确定为发展对象并通过政治审查，"
                           "村党支部拟召开支部大会讨论接收其为中共预备党员，现予以公示。"]))
    for n in choices:
        if (n.end - n.start).days < 7:
            n.end = n.start + timedelta(days=7)
    rng.shuffle(choices)
    return choices[: rng.randint(2, 3)]


# ============================================================== imperfections

FLAW_PROFILES = ("late", "procedure")


def flawed_villages(ctx: Ctx, count: int) -> dict[int, str]:
    """Village index -> imperfection profile: about one village in four (at least
    one), drawn with the county's seed, profiles alternating in index order."""
    rng = ctx.rng("imperfections")
    chosen = sorted(rng.sample(range(count), max(1, (count + 2) // 4)))
    return {i: FLAW_PROFILES[k % len(FLAW_PROFILES)] for k, i in enumerate(chosen)}


def inspection_window(ctx: Ctx) -> tuple[date, date]:
    """The four quarters before the quarter of ctx.today: what the county's
    inspection draw for that quarter looks at."""
    qy, qm = ctx.today.year, (ctx.today.month - 1) // 3 * 3 + 1
    wy, wm = add_months(qy, qm, -12)
    return date(wy, wm, 1), date(qy, qm, 1) - timedelta(days=1)


def plant_imperfections(ctx: Ctx, v: Village, profile: str) -> list[str]:
    """Plant the lapses of `profile` in a generated village (see the module
    docstring); returns what was planted, one line each. Only warnings and
    timeliness findings: the village still passes `cunwu check`."""
    rng = ctx.rng(v.slug, "imperfections")
    first, last = inspection_window(ctx)
    planted: list[str] = []
    # ledger months inside the window, posted before it closes even when late,
    # never the latest month (the site's front page shows it)
    months = [lg for lg in v.ledgers[:-1]
              if date(lg.year, lg.month, 1) >= first and month_end(lg.year, lg.month) + timedelta(days=40) <= last]
    # late postings: first months of quarters, so the quarter's summary notice
    # (5-12 days after the quarter) still comes after the monthly detail
    late_pool = [lg for lg in months if lg.month % 3 == 1]
    late = sorted(rng.sample(late_pool, min(len(late_pool), 2 if profile == "late" else 1)),
                  key=lambda lg: (lg.year, lg.month))
    for lg in late:
        end = month_end(lg.year, lg.month)
        lg.posted = end + timedelta(days=rng.randint(15, 40))
        lg.review_date = lg.posted - timedelta(days=rng.randint(1, 3))
        planted.append(f"{v.slug}/ledgers/{lg.year}-{lg.month:02d}.yml: posted {lg.posted}, "
                       f"{(lg.posted - end).days} days after the month (late)")
    if profile == "late":
        pool = [lg for lg in months if lg not in late]
        if pool:
            lg = pool[rng.randrange(len(pool))]
            lg.review_by, lg.review_date = [], None
            planted.append(f"{v.slug}/ledgers/{lg.year}-{lg.month:02d}.yml: no review recorded "
                           "(warning ledger.review-missing)")
            q = (lg.month - 1) // 3 + 1
            title = f"{lg.year}年第{cn(q)}季度村级财务收支情况公示"
            for n in v.notices:
                if n.title == title:
                    n.body = [b.replace("以上账目已经村务监督委员会审核，并经镇农村经营管理站复核。",
                                        f"以上账目经镇农村经营管理站复核；其中{lg.month}月收支公开前未经村务监督委员会审核。")
                              for b in n.body]
        return planted
    # procedure: a non-Art. 24 decision without the party members' meeting …
    minor = [d for d in v.decisions if d.category in ("其他", "一事一议") and d.step_date("党员大会审议")]
    recent = [d for d in minor if first <= d.resolution.date <= last]
    pick = recent or minor[-1:]
    if pick:
        d = pick[rng.randrange(len(pick))]
        d.steps = [s for s in d.steps if s.step != "党员大会审议"]
        planted.append(f"{v.slug}/decisions/{d.stem}.md: step 党员大会审议 left out "
                       "(warning decision.step-missing)")
    # … too few women among the representatives (Art. 25: a third) …
    women = [i for i, (_, g, _) in enumerate(v.reps) if g == "女"]
    keep = len(v.reps) // 4
    if len(women) > keep:
        for i in women[keep:]:
            name, _, grp = v.reps[i]
            v.reps[i] = (name[0] + rng.choice(MALE_GIVEN), "男", grp)
        planted.append(f"{v.slug}/village.yml: {keep} women among {len(v.reps)} representatives "
                       "(warning roster.representatives-women)")
    # … and the latest evaluation chaired by the party secretary (Art. 33 wants
    # the supervision committee)
    evaluations = [ev for ev in v.evaluations if ev["posted"] <= last] or v.evaluations
    if evaluations:
        ev = evaluations[-1]
        ev["chaired_by"], ev["chair_role"] = v.secretary, "党支部书记"
        planted.append(f"{v.slug}/evaluations/{ev['year']}.yml: chaired by the party secretary "
                       "(not the supervision committee: 未审 on the portal)")
        title = f"{ev['year']}年度村干部民主评议结果公示"
        for n in v.notices:
            if n.title == title:
                n.body = [b.replace("村务监督委员会主持召开", f"村党支部书记{v.secretary}主持召开") for b in n.body]
    return planted


def plant_missing_voucher(ctx: Ctx, v: Village) -> list[str]:
    """Leave out the voucher photo of one ordinary entry above the county's
    amount, in the inspection window when it can be, never in the last ledger
    month (warning receipt.missing; the portal counts it). Nothing when the
    village has no such entry."""
    rng = ctx.rng(v.slug, "voucher")
    first, last = inspection_window(ctx)
    pool = [(lg, e) for lg in v.ledgers[:-1]
            for e in lg.entries if e.amount > RECEIPT_REQUIRED and not (e.tag or e.debt)]
    pool = [(lg, e) for lg, e in pool if first <= date(lg.year, lg.month, 1) <= last] or pool
    if not pool:
        return []
    lg, e = pool[rng.randrange(len(pool))]
    e.receipt = False
    return [f"{v.slug}/ledgers/{lg.year}-{lg.month:02d}.yml: 记-{lg.entries.index(e) + 1:03d} "
            f"{money(e.amount)} without its voucher photo (warning receipt.missing)"]


# ============================================================== the rest of 财务公开

BOOK_LAPSES = ("overdue", "expired", "overrun")


def budget(amount: Decimal, factor: Decimal) -> Decimal:
    """A planned figure: the amount times factor, rounded up to the hundred."""
    return ((amount * factor / 100).quantize(Decimal("1"), ROUND_CEILING) * 100).quantize(CENT)


def gen_books(ctx: Ctx, v: Village, lapse: str = "") -> list[str]:
    """Contracts for everything the ledgers collect rent for (the receipts are the
    ledger entries that name them), the assets register, each year's plan (from
    the year's spending) and debts and credits; `lapse` plants one of BOOK_LAPSES.
    Returns the planted lapses."""
    rng = ctx.rng(v.slug, "books")
    p = v.profile
    planted: list[str] = []
    first, last = ctx.years[0], ctx.years[-1]
    start = date(first - rng.choice([1, 2]), 1, 1)
    end = date(last, 12, 31)
    schedule: dict[str, list[tuple[date, Decimal]]] = {}
    contracts = []
    for k, (pond, tenant, rent, due) in enumerate(p["ponds"]):
        code = f"HT-C{k + 1:02d}"
        schedule[code] = [(date(y, due, 1), rent) for y in ctx.years if (y, due) in ctx.months]
        contracts.append((code, f"{pond}承包合同", pond, "水面", Decimal(rng.randint(20, 120)) / 2, "亩",
                          tenant, "个人", rent, "公开竞价"))
    for k, (what, coop, fee, due) in enumerate(p["land"]):
        code = f"HT-L{k + 1:02d}"
        schedule[code] = [(date(y, due, 1), fee) for y in ctx.years if (y, due) in ctx.months]
        contracts.append((code, f"{what.removesuffix('费')}合同", what.removesuffix("流转费") + "耕地", "耕地",
                          Decimal(rng.randint(80, 400)), "亩", coop, "单位", fee, "协商（农户委托流转）"))
    if p["forest"]:
        schedule["HT-F01"] = [(date(y, 3, 1), p["forest"]) for y in ctx.years if (y, 3) in ctx.months]
        contracts.append(("HT-F01", "集体山林承包合同", "集体山林", "林地", Decimal(rng.randint(200, 900)), "亩",
                          p["forest_tenant"], "单位", p["forest"], "公开竞价"))
    for k, (shop, tenant, rent) in enumerate(p["shops"]):
        code = f"HT-S{k + 1:02d}"
        schedule[code] = [(date(y, m, 1), rent * 3) for y, m in ctx.months if m in (1, 4, 7, 10)]
        contracts.append((code, f"{shop}租赁合同", f"村部{shop}", "房屋", Decimal(rng.randint(20, 60)), "平方米",
                          tenant, "个人", rent * 12, "公开招租"))
    for code, title, res, kind, area, unit, party, party_kind, rent, how in contracts:
        c_end, status = end, "履行中"
        if lapse == "expired" and code == contracts[-1][0]:
            # let out for a term that ended last year; the tenant still pays
            c_end = date(last - 1, 12, 31)
            planted.append(f"{v.slug}/contracts/{code}.yml: ended {c_end}, still paid in {last} "
                           "(warning contract.expired-in-use)")
        if lapse == "overdue" and code == "HT-C01" and p.get("unpaid"):
            planted.append(f"{v.slug}/contracts/{code}.yml: {last} rent never received "
                           "(warning contract.rent-overdue)")
        rows = "".join(f"  - {{due: {d}, amount: {money(a)}}}\n" for d, a in schedule[code] if d <= c_end)
        v.books[f"contracts/{code}.yml"] = (
            f"# 资源发包（出租）合同（{HEADER}）\n"
            f"code: {code}                  # 合同编号；收到租金时在收支明细里写 contract: {code}\n"
            f"title: {ys(title)}\n"
            f"resource: {{name: {ys(res, flow=True)}, kind: {kind}, area: {money(area)}, unit: {unit}}}\n"
            f"counterparty: {ys(party)}\n"
            f"counterparty_kind: {party_kind}        # 个人的姓名在网站上显示为 王某华\n"
            f"start: {start}\nend: {c_end}\nrent: {money(rent)}             # 年租金\n"
            f"tendering: {how}\nstatus: {status}\n"
            "# 合同签订早于本系统的记录，批准的决策见村档案\n"
            f"schedule:                      # 收款计划\n{rows}")
    # ---- assets
    office = amt(rng, 280000, 650000, 1000)
    assets = [("ZC-001", "村部综合服务楼", "房屋及建筑物", "村部", date(2012, 6, 1), office,
               (office * Decimal("0.38")).quantize(CENT), "在用", "")]
    for k, (shop, _, _) in enumerate(p["shops"]):
        value = amt(rng, 40000, 90000, 1000)
        assets.append((f"ZC-1{k + 1:02d}", f"村部{shop}", "房屋及建筑物", "村部一楼", date(2015, 3, 1), value,
                       (value * Decimal("0.3")).quantize(CENT), "出租", f"HT-S{k + 1:02d}"))
    for k, (pond, *_rest) in enumerate(p["ponds"]):
        value = amt(rng, 8000, 30000, 100)
        assets.append((f"ZC-2{k + 1:02d}", f"{pond}（塘坝及进排水设施）", "农业基础设施", pond, date(2009, 11, 1),
                       value, (value * Decimal("0.5")).quantize(CENT), "出租", f"HT-C{k + 1:02d}"))
    if p["solar_kw"]:
        value = Decimal(p["solar_kw"] * 3800).quantize(CENT)
        assets.append(("ZC-301", f"屋顶光伏电站（{p['solar_kw']}千瓦）", "机器设备", "村部及村小学屋顶",
                       date(first, 4, 1), value, (value * Decimal("0.1")).quantize(CENT), "在用", ""))
    if p["dryer"]:
        value = amt(rng, 180000, 320000, 1000)
        assets.append(("ZC-302", "粮食烘干中心设备", "机器设备", "村粮食烘干中心", date(2020, 8, 1), value,
                       (value * Decimal("0.35")).quantize(CENT), "在用", ""))
    assets.append(("ZC-401", "文化广场健身器材", "公益设施", "文化广场", date(2018, 9, 1), amt(rng, 20000, 60000, 100),
                   None, "在用", ""))
    assets.append(("ZC-402", "村部办公电脑及打印机", "办公设备", "村部", date(2021, 3, 1), amt(rng, 8000, 20000, 10),
                   None, "在用", ""))
    lines = []
    for code, name, cat, where, when, value, dep, status, contract in assets:
        lines.append(f"  - code: {code}\n    name: {ys(name)}\n    category: {cat}\n    location: {ys(where)}\n"
                     f"    acquired: {when}\n    original_value: {money(value)}\n"
                     + (f"    depreciation: {money(dep)}\n" if dep is not None else "")
                     + f"    status: {status}\n" + (f"    contract: {contract}\n" if contract else ""))
    as_of = month_end(*ctx.months[-1])
    v.books["assets/资产台账.yml"] = (f"# 资产台账（{HEADER}）\ntitle: 集体资产台账\nas_of: {as_of}\n"
                                    f"posted: {as_of + timedelta(days=5)}\nassets:\n" + "".join(lines))
    # ---- plans: each year's budget from its spending (what the clerk would have planned)
    for y in ctx.years:
        months = [lg for lg in v.ledgers if lg.year == y]
        scale = Decimal(12) / len(months)
        actual: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for lg in months:
            for e in lg.entries:
                actual[e.category] += e.amount
        inc = {c: budget(actual[c] * scale, Decimal("0.95")) for c in INCOME if actual[c]}
        exp = {c: budget(actual[c] * scale, Decimal(rng.randint(104, 118)) / 100) for c in EXPENSE if actual[c]}
        if lapse == "overrun" and y == ctx.years[-2 if len(ctx.years) > 1 else -1] and exp.get("公益支出"):
            exp["公益支出"] = (exp["公益支出"] * Decimal("0.7")).quantize(Decimal("100")).quantize(CENT)
            planted.append(f"{v.slug}/plans/{y}.yml: 公益支出 planned at 70% of what was spent "
                           "(warning plan.overrun)")
        flow = lambda d: "{" + ", ".join(f"{c}: {money(a)}" for c, a in d.items()) + "}"  # noqa: E731
        v.books[f"plans/{y}.yml"] = (
            f"# {y}年度财务收支计划（预算）（{HEADER}）\nyear: {y}\n"
            "decision: \"\"                   # 批准预算的决策文件名（演示数据：经年初村民代表会议审议）\n"
            f"posted: {y}-01-20\nincome: {flow(inc)}\nexpense: {flow(exp)}\n")
    # ---- debts and credits: balances that did not move in the cash book
    retention = amt(rng, 5000, 30000, 100)
    owed = amt(rng, 2000, 12000, 100)
    for y in ctx.years:
        v.books[f"debts/{y}.yml"] = (
            f"# {y}年度债权债务（{HEADER}）\nyear: {y}\nposted: {y + 1 if y < last else y}-01-20\nitems:\n"
            f"  - id: ZW-01\n    kind: 应付款\n    counterparty: {ys(p['contractor'])}\n"
            f"    incurred: {first - 1}-11-20\n    opening: {money(retention)}\n    closing: {money(retention)}\n"
            "    note: 村道硬化工程质保金，质保期满后支付\n"
            f"  - id: ZQ-01\n    kind: 应收款\n    counterparty: {v.township}农村合作经济经营管理站\n"
            f"    incurred: {first - 1}-06-15\n    opening: {money(owed)}\n    closing: {money(owed)}\n"
            "    note: 代垫的农村公路养护配套资金\n")
        loan = v.borrowing
        if loan and loan["date"].year == y:
            v.books[f"debts/{y}.yml"] += (
                f"  - id: {loan['id']}\n    kind: 短期借款\n    counterparty: {ys(loan['bank'])}\n"
                f"    incurred: {loan['date']}\n    opening: 0.00\n    increase: {money(loan['amount'])}\n"
                f"    decrease: 0.00\n    closing: {money(loan['amount'])}\n"
                f"    due: {loan['date'].replace(year=loan['date'].year + 1) - timedelta(days=1)}\n"
                f"    decision: {ys(loan['decision'])}        # 举债经村民代表会议决定\n"
                f"    note: {ys(loan['title'] + '垫资')}   # 收支明细中借入的一笔写 debt: {loan['id']}\n")
    # ---- a past year's 收益分配, decided and paid in the ledger (tag 收益分配)
    dist = v.distribution
    if dist:
        v.books[f"distributions/{dist['year']}.yml"] = (
            f"# {dist['year']}年度收益分配（{HEADER}）\nyear: {dist['year']}\n"
            f"decision: {ys(dist['decision'])}   # 批准分配方案的决策\nposted: {dist['posted']}\n"
            f"reserve: {money(dist['reserve'])}             # 提取公积公益金\n"
            f"welfare: {money(dist['welfare'])}             # 提取福利费\n"
            f"members: {money(dist['members'])}             # 分配给成员，发放记在收支明细（tag: 收益分配）\n"
            f"basis: 按户\nunits: {dist['units']}\nper_unit: {money(dist['per_unit'])}\n")
    # ---- the term-end audit of the committee director's last term (Art. 35)
    director = next((m for m in v.roster if m.body == "village_committee" and m.role == "村委会主任"), None)
    if director is not None:
        start = director.term[0]
        before = (date(start.year - ELECTION_CYCLE, start.month, start.day), start - timedelta(days=1))
        done = start + timedelta(days=rng.randint(40, 75))
        if done + timedelta(days=7) <= ctx.today:
            arrears = amt(rng, 2000, 9000, 100)
            v.books[f"audits/{done:%Y-%m}-{director.name}任期经济责任审计.yml"] = (
                f"# 任期经济责任审计（{HEADER}）\ntitle: {ys(director.name + '同志任期经济责任审计')}\n"
                f"kind: 任期经济责任审计\ncadre: {director.name}\nrole: 村委会主任\n"
                f"period: [{before[0]}, {before[1]}]\nauditor: {v.township}农村经营管理站\n"
                f"date: {done}\nposted: {done + timedelta(days=7)}\nfindings:\n"
                "  - text: 部分支出凭证经办人、审核人签字不全\n"
                f"  - text: 个别承包费未按合同约定时间收取，已于审计期间追缴\n    amount: {money(arrears)}\n"
                "conclusion: 任期内财务收支基本真实、合法，民主理财和村务公开制度执行较好；"
                "审计发现的问题已责成整改，整改情况在村务公开栏公布。\n")
    return planted


# ============================================================== writers

HEADER = "演示数据：村名、人名、电话、金额均为虚构"


def w_county(ctx: Ctx) -> str:
    tws = "".join(f"  - {t}\n" for t in ctx.townships)
    return (f"# 县级配置 —— {ctx.county}（{HEADER}）\n"
            f"name: {ctx.county}\n"
            f"code: \"{ctx.county_code}\"\n"
            "site_url: https://cunwu.example.org/   # 县级公开网站地址：打印页二维码和订阅链接用\n"
            f"townships:                     # 乡镇名单；每个村的 township 必须是其中之一\n{tws}"
            "policy:\n"
            f"  receipt_required_amount: {money(RECEIPT_REQUIRED)}   # 超过此金额的收支须附原始凭证\n"
            "  notice_min_days: 7           # 公示期最少天数\n"
            "  on_time_days: 10             # 期间结束后多少天内公布算按时\n"
            "  representatives_quorum: 2/3  # 村民代表会议到会比例下限（第二十六条）\n"
            "  assembly_quorum_adults: 1/2  # 村民会议：到会须超过18周岁以上村民的一半（第二十二条）\n"
            "  assembly_quorum_households: 2/3   # 或本村三分之二以上的户的代表参加\n"
            "  inspection_share: 0.15       # 每季度抽查村的比例下限\n")


def w_village(v: Village) -> str:
    out = [f"# 村情简介 —— {v.name}（{HEADER}）\n",
           f"name: {v.name}\n", f"code: \"{v.code}\"         # 统计用区划代码\n",
           f"township: {v.township}\n",
           f"households: {v.households}              # 户数\n",
           f"population: {v.population}             # 户籍人口\n",
           f"adults: {v.adults}                 # 18周岁以上村民人数\n",
           f"representatives: {v.representatives}          # 村民代表人数\n",
           "contact:\n",
           f"  office: {v.name}村部一楼便民服务室\n",
           f"  phone: {v.phone}\n",
           "  hours: 工作日 8:30—17:30\n",
           f"  township_phone: {v.township_phone}   # {v.township}纪委（对公开不满意可向上反映）\n",
           "cadence:\n", "  finance: 按月\n", "roster:\n"]
    labels = {"party_branch": "党支部委员会", "village_committee": "村民委员会",
              "supervision_committee": "村务监督委员会"}
    for body, label in labels.items():
        out.append(f"  {body}:{' ' * max(1, 24 - len(body))}# {label}\n")
        for m in v.roster:
            if m.body == body:
                out.append(f"    - name: {m.name}\n      role: {m.role}\n"
                           f"      term: [{m.term[0]}, {m.term[1]}]\n")
                if m.relatives:
                    out.append("      relatives:               # 近亲属（第三十二条：不得担任村务监督委员会成员）\n")
                    out += [f"        - {{name: {name}, relation: {rel}}}\n" for name, rel in m.relatives]
    if v.reps:
        out.append("  representatives:           # 村民代表（第二十五条：妇女代表应占三分之一以上）\n")
        out += [f"    - {{name: {name}, gender: {g}, group: {grp}}}\n" for name, g, grp in v.reps]
    return "".join(out)


def w_ledger(v: Village, lg: Ledger) -> str:
    inc = sum((e.amount for e in lg.entries if e.income), ZERO)
    exp = sum((e.amount for e in lg.entries if not e.income), ZERO)
    width = max(3, len(str(len(lg.entries))))
    out = [f"# {v.name} {lg.year}年{lg.month}月 财务收支明细（{HEADER}）\n",
           f"month: {lg.year}-{lg.month:02d}\n",
           f"opening_balance: {money(lg.opening)}\n",
           f"closing_balance: {money(lg.closing)}\n",
           f"posted: {lg.posted}\n"]
    if lg.review_date is not None:
        out += ["review:                      # 村务监督委员会审核\n",
                f"  by: [{', '.join(lg.review_by)}]\n",
                f"  date: {lg.review_date}\n"]
    out += [f"# 本月收入 {money(inc)} 元，支出 {money(exp)} 元，共 {len(lg.entries)} 笔\n",
            "entries:\n" if lg.entries else "entries: []\n"]
    for i, e in enumerate(lg.entries, 1):
        reviewer = v.supervisors[0] if i % 7 else v.supervisors[1]
        out.append(f"  - date: {e.date}\n"
                   f"    voucher: 记-{i:0{width}d}\n"
                   f"    summary: {ys(e.summary)}\n"
                   f"    category: {e.category}\n"
                   f"    counterparty: {ys(e.counterparty)}\n"
                   f"    amount: {money(e.amount)}\n"
                   f"    handled_by: {v.accountant}\n"
                   f"    reviewed_by: {reviewer}\n"
                   f"    approved_by: {v.secretary}\n"
                   + (f"    decision: {ys(e.decision)}                # 本笔支出执行的决策事项\n" if e.decision else "")
                   + (f"    contract: {e.contract}                 # 合同编号（contracts/）\n" if e.contract else "")
                   + (f"    tag: {e.tag}\n    project: {ys(e.project)}\n" if e.tag else "")
                   + (f"    debt: {e.debt}                     # 债权债务编号（debts/）\n" if e.debt else "")
                   + (receipt_line(v, lg, i, width) if e.receipt else ""))
    return "".join(out)


def receipt_line(v: Village, lg: Ledger, i: int, width: int) -> str:
    """`receipts:` of an entry, and the voucher photo to write under files/凭证/."""
    rel = f"files/凭证/{lg.year}-{lg.month:02d}-记-{i:0{width}d}.png"
    v.receipt_files.append(rel)
    return f"    receipts: [{rel}]            # 原始凭证的照片\n"


def tiny_png(seed: str, width: int = 24, height: int = 32) -> bytes:
    """A small valid PNG (8-bit RGB) standing for the photo of a voucher: a pale
    sheet with a red stamp in one corner, its shade drawn from `seed`."""
    import struct
    import zlib
    shade = sum(seed.encode("utf-8")) % 40
    rows = []
    for y in range(height):
        row = bytearray([0])                  # filter type 0 for each scanline
        for x in range(width):
            if (x - width + 7) ** 2 + (y - height + 8) ** 2 < 20:
                row += bytes([200, 30, 30])   # the stamp
            elif y % 6 == 3 and 3 <= x < width - 3:
                row += bytes([120, 120, 130])  # a line of text
            else:
                row += bytes([250 - shade, 245 - shade, 230])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def w_meeting(mt: dict) -> str:
    parts = [f"members: {mt['members']}", f"present: {mt['present']}", f"for: {mt['for']}",
             f"against: {mt['against']}", f"abstain: {mt['abstain']}"]
    if "households" in mt:
        parts += [f"households: {mt['households']}", f"households_present: {mt['households_present']}"]
    return "{" + ", ".join(parts) + "}"


def w_decision(v: Village, d: Decision) -> str:
    out = ["---\n", f"# 四议两公开 —— {v.name}（{HEADER}）\n",
           f"title: {ys(d.title)}\n", f"category: {d.category}\n",
           f"amount: {money(d.amount)}\n", f"status: {d.status}\n", "steps:\n"]
    for s in d.steps:
        out.append(f"  - step: {s.step}\n    date: {s.date}\n")
        if s.meeting:
            if s.step == "村民会议决议":
                out.append("    # 村民会议：members 为18周岁以上村民人数\n")
            out.append(f"    meeting: {w_meeting(s.meeting)}\n")
    out.append("---\n")
    out.append("\n\n".join(d.body) + "\n")
    return "".join(out)


def w_rule(rule: dict) -> str:
    out = [f"# {rule['kind']}（{HEADER}）\n", f"title: {rule['title']}\n", f"kind: {rule['kind']}\n", "versions:\n"]
    for ver in rule["versions"]:
        out.append(f"  - version: {ver['version']}\n"
                   f"    adopted: {ver['adopted']}\n"
                   f"    decision: {ys(ver['decision'])}\n"
                   f"    filed: {ver['filed']}          # 报乡镇备案日期\n"
                   f"    posted: {ver['posted']}\n")
        if "text" in ver:
            out.append("    text: |\n" + block(ver["text"], 6))
        else:
            out.append("    powers:\n")
            for name, basis, steps in ver["powers"]:
                out.append(f"      - name: {name}\n        basis: {ys(basis)}\n"
                           f"        steps: [{', '.join(ys(s, flow=True) for s in steps)}]\n")
    return "".join(out)


def w_evaluation(v: Village, ev: dict) -> str:
    out = [f"# {v.name} {ev['year']}年度村干部民主评议（{HEADER}）\n",
           f"year: {ev['year']}\n", f"date: {ev['date']}               # 评议会日期\n",
           f"posted: {ev['posted']}\n", f"chaired_by: {ev['chaired_by']}              # {ev.get('chair_role', '村务监督委员会主任')}\n",
           "cadres:\n"]
    for c in ev["cadres"]:
        s, b, u = c["votes"]
        out.append(f"  - name: {c['name']}\n"
                   f"    role: {c['role']}\n"
                   f"    participants: {c['participants']}\n"
                   f"    votes: {{satisfied: {s}, basic: {b}, unsatisfied: {u}}}\n"
                   f"    verdict: {c['verdict']}\n"
                   f"    stipend: {money(c['stipend'])}\n"
                   "    report: |\n" + block(c["report"], 6))
    return "".join(out)


def w_notice(n: Notice) -> str:
    out = ["---\n", f"title: {ys(n.title)}\n", f"column: {n.column}\n", f"start: {n.start}\n",
           f"end: {n.end}\n", f"posted: {n.start}\n", f"objections: {ys(n.objections)}\n"]
    if n.table:
        cols, rows = n.table
        out.append("table:\n")
        out.append(f"  columns: [{', '.join(ys(c, flow=True) for c in cols)}]\n")
        out.append("  rows:\n")
        for r in rows:
            out.append(f"    - [{', '.join(ys(x, flow=True) for x in r)}]\n")
    out.append("---\n")
    out.append("\n\n".join(n.body) + "\n")
    return "".join(out)


def township_words(text: str, township: str) -> str:
    """Texts say 镇党委, 镇人民政府 …; in a 乡 they are 乡党委, 乡人民政府 … (乡镇 stays)."""
    return re.sub(r"(?<![乡城])镇(?!区)", "乡", text) if township.endswith("乡") else text


def write(path: Path, text: str, counter: dict, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    counter[kind] += 1


# A synthetic 48×32 JPEG standing for the photo of a posted board (board/YYYY-MM.jpg).
BOARD_PHOTO = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300140e0f120f0d14121012171514181e32211e1c1c1e3d2c"
    "2e243249404c4b47404645505a736250556d5645466488656d777b8182814e608d978c7d96737e817cffdb0043011517"
    "171e1a1e3b21213b7c5346537c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c"
    "7c7c7c7c7c7c7c7c7c7c7c7c7c7cffc00011080020003003012200021101031101ffc4001f0000010501010101010100"
    "000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221"
    "31410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a"
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293949596979899"
    "9aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1"
    "f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b51100"
    "020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f015"
    "6272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a63646566676869"
    "6a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4"
    "c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00c9"
    "a2ba3f097fcbdffc03ff0066ae8eb050bab9e954c4f249c6c79cd15e8d453f6647d73fbbf89e73457a35739e2dff0097"
    "4ff81ffecb49c2cae5d3c4f3c946c1e12ff97bff00807fecd5d1d717a46abfd99e77ee7cdf331fc5b718cfb7bd68ff00"
    "c255ff004e7ff917ff00ad5519248cab51a92a8da474745739ff000957fd39ff00e45ffeb51ff0957fd39ffe45ff00eb"
    "5573a31fab55ec7475ce78b7fe5d3fe07ffb2d1ff0957fd39ffe45ff00eb5676afaaff0069f93fb9f2bcbcff0016ece7"
    "1eded5329268da8d1a91a89b47ffd9")


def write_village(out: Path, v: Village, counter: dict) -> None:
    base = out / v.slug

    def write(path: Path, text: str, counter: dict, kind: str) -> None:
        globals()["write"](path, township_words(text, v.township), counter, kind)

    write(base / "village.yml", w_village(v), counter, "village.yml")
    for lg in v.ledgers:
        write(base / "ledgers" / f"{lg.year}-{lg.month:02d}.yml", w_ledger(v, lg), counter, "ledgers")
        counter["entries"] += len(lg.entries)
    for d in v.decisions:
        write(base / "decisions" / f"{d.stem}.md", w_decision(v, d), counter, "decisions")
    for r in v.rules:
        write(base / "rules" / f"{r['file']}.yml", w_rule(r), counter, "rules")
    for ev in v.evaluations:
        write(base / "evaluations" / f"{ev['year']}.yml", w_evaluation(v, ev), counter, "evaluations")
    for n in v.notices:
        write(base / "notices" / f"{n.stem}.md", w_notice(n), counter, "notices")
    for rel, text in v.books.items():
        write(base / rel, text, counter, rel.split("/")[0])
    for rel in v.receipt_files:   # the original vouchers of the large entries (tiny synthetic photos)
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_bytes(tiny_png(rel))
        counter["receipts"] += 1
    for month in v.photos:   # proof of posting: a (tiny, synthetic) photo of the posted board
        (base / "board").mkdir(parents=True, exist_ok=True)
        (base / "board" / f"{month}.jpg").write_bytes(BOARD_PHOTO)
        counter["board"] += 1


# ============================================================== self-check

def self_check(out: Path, planted: list[str] = ()) -> list[str]:
    """Re-read the written files and verify the invariants the checker enforces
    (the lapses in `planted`, from plant_imperfections, are let through)."""
    late = {line.split(":")[0] for line in planted if line.endswith("(late)")}
    unreviewed = {line.split(":")[0] for line in planted if "ledger.review-missing" in line}
    unvouched = {line.split(":")[0] for line in planted if "receipt.missing" in line}
    try:
        import yaml
    except ImportError:
        return ["(PyYAML not installed: self-check skipped)"]

    class L(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    # keep every scalar as text, so amounts are read exactly (Decimal), never as floats
    for tag in ("float", "int", "timestamp", "bool", "null"):
        L.add_constructor(f"tag:yaml.org,2002:{tag}", lambda loader, node: loader.construct_scalar(node))

    def load(path: Path):
        text = path.read_text(encoding="utf-8")
        body = ""
        if path.suffix == ".md":
            _, front, body = text.split("---\n", 2)
            text = front
        return yaml.load(text, Loader=L), body

    problems: list[str] = []
    D = Decimal
    mobile = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
    longrun = re.compile(r"\d{13,}")
    county, _ = load(out / "county.yml")
    limit = D(county["policy"]["receipt_required_amount"])
    for vdir in sorted(p for p in out.iterdir() if (p / "village.yml").is_file()):
        prof, _ = load(vdir / "village.yml")
        if prof["township"] not in county["townships"]:
            problems.append(f"{vdir.name}: unknown township")
        roster = prof["roster"]
        vc = {m["name"] for m in roster["village_committee"]}
        sup = {m["name"] for m in roster["supervision_committee"]}
        if vc & sup:
            problems.append(f"{vdir.name}: supervision conflict {vc & sup}")
        prev = None
        result: dict[int, Decimal] = defaultdict(lambda: ZERO)   # each year's 收益, as cunwu check computes it
        for path in sorted((vdir / "ledgers").glob("*.yml")):
            lg, _ = load(path)
            y, m = map(int, lg["month"].split("-"))
            key = f"{vdir.name}/ledgers/{path.name}"
            missing = 0
            opening, closing = D(lg["opening_balance"]), D(lg["closing_balance"])
            if prev is not None and prev != opening:
                problems.append(f"{path}: opening != previous closing")
            bal = opening
            vouchers = set()
            for e in lg["entries"]:
                a = D(e["amount"])
                if a.as_tuple().exponent != -2 or a <= 0:
                    problems.append(f"{path}: bad amount {e['amount']}")
                bal += a if e["category"] in INCOME else -a
                if not e.get("debt") and e.get("tag") != "收益分配":
                    result[y] += a if e["category"] in INCOME else -a
                if a > limit and not e.get("receipts"):
                    missing += 1
                if bal < 0:
                    problems.append(f"{path}: negative running balance")
                if date.fromisoformat(e["date"]).replace(day=1) != date(y, m, 1):
                    problems.append(f"{path}: entry date outside month")
                if e["voucher"] in vouchers:
                    problems.append(f"{path}: duplicate voucher")
                vouchers.add(e["voucher"])
                if e["reviewed_by"] not in sup:
                    problems.append(f"{path}: reviewer not on supervision committee")
            if bal != closing:
                problems.append(f"{path}: closing {closing} != computed {bal}")
            if missing != (key in unvouched):
                problems.append(f"{path}: {missing} entries above {limit} without receipts")
            posted = date.fromisoformat(lg["posted"])
            lo, hi = (15, 40) if key in late else (2, 9)
            if not lo <= (posted - month_end(y, m)).days <= hi:
                problems.append(f"{path}: posted not {lo}-{hi} days after month end")
            if "review" not in lg:
                if key not in unreviewed:
                    problems.append(f"{path}: no review")
            elif date.fromisoformat(lg["review"]["date"]) > posted or not set(lg["review"]["by"]) <= sup:
                problems.append(f"{path}: bad review")
            prev = closing
        for path in sorted((vdir / "distributions").glob("*.yml")):
            dist, _ = load(path)
            total = sum((D(dist[k]) for k in ("reserve", "welfare", "members")), ZERO)
            if int(dist["year"]) in result and total > result[int(dist["year"])]:
                problems.append(f"{path}: distributes {total}, more than the year's result {result[int(dist['year'])]}")
        stems = {p.stem for p in (vdir / "decisions").glob("*.md")}
        for path in sorted((vdir / "decisions").glob("*.md")):
            d, _ = load(path)
            dates = [s["date"] for s in d["steps"]]
            if dates != sorted(dates):
                problems.append(f"{path}: steps out of order")
            if d["category"] in ART24 and len(d["steps"]) != 6:
                problems.append(f"{path}: Art.24 decision without six steps")
            for s in d["steps"]:
                mt = s.get("meeting")
                if not mt:
                    continue
                mem, pre, f, a, ab = (int(mt[k]) for k in ("members", "present", "for", "against", "abstain"))
                if f + a + ab != pre or pre > mem or 2 * f <= pre:
                    problems.append(f"{path}: bad votes in {s['step']}")
                if s["step"] == "村民代表会议决议" and 3 * pre < 2 * mem:
                    problems.append(f"{path}: representatives quorum")
                if s["step"] == "村民会议决议" and 2 * pre <= mem:
                    problems.append(f"{path}: assembly quorum")
        for path in sorted((vdir / "rules").glob("*.yml")):
            r, _ = load(path)
            for ver in r["versions"]:
                if ver["decision"] not in stems:
                    problems.append(f"{path}: unknown decision {ver['decision']}")
                if not ver["adopted"] < ver["filed"] or ver["posted"] < ver["adopted"]:
                    problems.append(f"{path}: filed/posted before adoption")
        for path in sorted((vdir / "evaluations").glob("*.yml")):
            ev, _ = load(path)
            for c in ev["cadres"]:
                vt = c["votes"]
                if int(vt["satisfied"]) + int(vt["basic"]) + int(vt["unsatisfied"]) > int(c["participants"]):
                    problems.append(f"{path}: votes exceed participants")
        for path in sorted((vdir / "notices").glob("*.md")):
            n, _ = load(path)
            days = (date.fromisoformat(n["end"]) - date.fromisoformat(n["start"])).days + 1
            if not 7 <= days <= 16 or n["column"] not in ("党务", "村务", "财务", "政务"):
                problems.append(f"{path}: bad period or column")
            if n.get("table"):
                w = len(n["table"]["columns"])
                if any(len(r) != w for r in n["table"]["rows"]):
                    problems.append(f"{path}: table shape")
        for path in sorted(vdir.rglob("*")):
            if path.is_file() and path.parent.name != "board" and path.suffix != ".png":   # photos, not text
                text = path.read_text(encoding="utf-8")
                for line in text.splitlines():
                    if line.startswith("code:"):
                        continue
                    if mobile.search(line) or longrun.search(line):
                        problems.append(f"{path}: digit run that looks like an identifier: {line.strip()}")
    return problems


# ============================================================== main

def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Generate a synthetic county of 村务公开 records.")
    ap.add_argument("out", type=Path, help="output folder (becomes the villages/ folder)")
    ap.add_argument("--villages", type=int, default=6)
    ap.add_argument("--townships", type=int, default=2)
    ap.add_argument("--years", type=int, default=3, help="calendar years, ending with --end-month's year")
    ap.add_argument("--end-month", default="2026-10", help="last ledger month, YYYY-MM")
    ap.add_argument("--entries", default="6:14", help="ledger entries per month, MIN:MAX")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--today", default=None, help="reference day (default: 21st of the month after --end-month)")
    ap.add_argument("--imperfections", action="store_true",
                    help="plant a few late, unreviewed or incomplete records (warnings only) in some villages")
    ap.add_argument("--force", action="store_true", help="replace an existing county in OUT")
    ap.add_argument("--no-check", action="store_true", help="skip re-reading and verifying the output")
    args = ap.parse_args(argv)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.end_month):
        ap.error("--end-month must be YYYY-MM")
    m = re.fullmatch(r"(\d+):(\d+)", args.entries)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        ap.error("--entries must be MIN:MAX with 1 <= MIN <= MAX")
    if args.villages < 1 or args.townships < 1 or args.years < 1:
        ap.error("--villages, --townships and --years must be at least 1")
    args.entries = (int(m.group(1)), int(m.group(2)))
    return args


def prepare_out(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            sys.exit(f"{out} is not empty; use --force to replace the county in it")
        # remove only what this script writes: county.yml and village folders
        for p in out.iterdir():
            if p.name == "county.yml":
                p.unlink()
            elif p.is_dir() and (p / "village.yml").exists():
                shutil.rmtree(p)
    out.mkdir(parents=True, exist_ok=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    ey, em = map(int, args.end_month.split("-"))
    months = [(y, m) for y in range(ey - args.years + 1, ey + 1) for m in range(1, 13) if (y, m) <= (ey, em)]
    ny, nm = add_months(ey, em, 1)
    today = date.fromisoformat(args.today) if args.today else date(ny, nm, 21)
    if today <= month_end(ey, em) + timedelta(days=10):
        sys.exit("--today must be at least 11 days after the end of --end-month")
    county, code, area, townships, names = build_county(args, args.seed)
    ctx = Ctx(args.seed, county, code, area, townships, months, sorted({y for y, _ in months}),
              args.entries, today)
    prepare_out(args.out, args.force)
    counter: dict[str, int] = defaultdict(int)
    write(args.out / "county.yml", w_county(ctx), counter, "county.yml")
    flawed = flawed_villages(ctx, len(names)) if args.imperfections else {}
    # the books' lapses (an overdue rent, a contract expired but still paid, a
    # budget overrun) go to the first villages, one each
    flawed_books = set(range(min(len(BOOK_LAPSES), len(names)))) if args.imperfections else set()
    planted: list[str] = []
    voucher_lapse = args.imperfections   # one entry without its voucher, in the first village that can have it
    for i, (name, slug) in enumerate(names):
        v = build_village(ctx, i, name, slug)
        if i in flawed_books and BOOK_LAPSES[i] == "overdue" and v.profile["ponds"]:
            v.profile["unpaid"] = (0, ctx.years[-1])   # this year's rent of the first pond never arrives
        gen_decisions(ctx, v)
        gen_ledgers(ctx, v)
        gen_rules(ctx, v)
        gen_evaluations(ctx, v)
        gen_notices(ctx, v)
        planted += gen_books(ctx, v, BOOK_LAPSES[i % len(BOOK_LAPSES)] if i in flawed_books else "")
        if i in flawed:
            planted += plant_imperfections(ctx, v, flawed[i])
        if voucher_lapse and i not in flawed_books:
            lapse = plant_missing_voucher(ctx, v)
            planted += lapse
            voucher_lapse = not lapse
        write_village(args.out, v, counter)
    files = sum(c for k, c in counter.items() if k != "entries")
    print(f"{ctx.county}: {len(names)} villages in {len(townships)} townships, months "
          f"{months[0][0]}-{months[0][1]:02d}..{ey}-{em:02d}, today {today}")
    print("files: " + ", ".join(f"{k} {c}" for k, c in sorted(counter.items()) if k != "entries")
          + f"; total {files}; ledger entries {counter['entries']}")
    if args.imperfections:
        print(f"imperfections ({len(planted)}):")
        for line in planted:
            print("  " + line)
    if not args.no_check:
        problems = self_check(args.out, planted)
        for p in problems[:50]:
            print("SELF-CHECK:", p, file=sys.stderr)
        if problems and not problems[0].startswith("("):
            print(f"self-check: {len(problems)} problems", file=sys.stderr)
            return 1
        print("self-check: ok" if not problems else problems[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
