"""Load stage: a county folder → typed records that keep their file and line.

Files that cannot be read or do not fit the schema are reported and left out;
everything else still loads, so one run reports every problem at once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .attachments import Attachment, list_attachments, symlink_message, village_symlinks
from .books import AssetRegister, Audit, Contract, DebtYear, Distribution, Plan
from .diagnostics import Report, display_path
from .history import RecordHistory
from .models import DEFAULT_POLICY, FIELD_LABELS, CountyConfig, Decision, Evaluation, Ledger, Notice, Policy, Rule, VillageProfile
from .privacy import declared_numbers, public_numbers
from .source import Source, SourceError, load_source

T = TypeVar("T", bound=BaseModel)

COUNTY_FILE = "county.yml"
PROFILE_FILE = "village.yml"
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_SLUG = 64   # the slug names folders and files of the build: longer names hit the system's limit

# folder → (record type, file suffix, file-name pattern, what the name should look like)
KINDS: dict[str, tuple[type[BaseModel], str, re.Pattern, str]] = {
    "ledgers": (Ledger, ".yml", re.compile(r"\d{4}-\d{2}"), "2024-03.yml"),
    "decisions": (Decision, ".md", re.compile(r"\d{4}-\d{2}-.+"), "2024-03-修建村道.md"),
    "rules": (Rule, ".yml", re.compile(r".+"), "村规民约.yml"),
    "evaluations": (Evaluation, ".yml", re.compile(r"\d{4}"), "2024.yml"),
    "notices": (Notice, ".md", re.compile(r"\d{4}-\d{2}-.+"), "2024-04-低保公示.md"),
    # the rest of 财务公开 (records/books.py)
    "assets": (AssetRegister, ".yml", re.compile(r".+"), "资产台账.yml"),
    "contracts": (Contract, ".yml", re.compile(r".+"), "HT2024-01-村东鱼塘.yml"),
    "debts": (DebtYear, ".yml", re.compile(r"\d{4}"), "2024.yml"),
    "plans": (Plan, ".yml", re.compile(r"\d{4}"), "2024.yml"),
    "distributions": (Distribution, ".yml", re.compile(r"\d{4}"), "2024.yml"),
    "audits": (Audit, ".yml", re.compile(r"\d{4}-\d{2}-.+"), "2024-12-王建国离任审计.yml"),
}


@dataclass
class Doc(Generic[T]):
    """A validated record with the source it came from."""

    record: T
    src: Source

    @property
    def path(self) -> Path:
        return self.src.path

    @property
    def id(self) -> str:
        return self.src.path.stem

    def line(self, *loc) -> int:
        return self.src.line(*loc)


@dataclass
class Village:
    slug: str
    dir: Path
    profile: Doc[VillageProfile] | None = None
    ledgers: list[Doc[Ledger]] = field(default_factory=list)
    decisions: list[Doc[Decision]] = field(default_factory=list)
    rules: list[Doc[Rule]] = field(default_factory=list)
    evaluations: list[Doc[Evaluation]] = field(default_factory=list)
    notices: list[Doc[Notice]] = field(default_factory=list)
    assets: list[Doc[AssetRegister]] = field(default_factory=list)
    contracts: list[Doc[Contract]] = field(default_factory=list)
    debts: list[Doc[DebtYear]] = field(default_factory=list)
    plans: list[Doc[Plan]] = field(default_factory=list)
    distributions: list[Doc[Distribution]] = field(default_factory=list)
    audits: list[Doc[Audit]] = field(default_factory=list)
    # every file that parsed, valid or not: privacy is checked on all of them
    sources: list[Source] = field(default_factory=list)
    # every file under files/ and images/, refused ones included (with their problem)
    attachments: list[Attachment] = field(default_factory=list)
    # each record file's history from git (records/history.py), set by the check;
    # None when the county is not in a git repository
    history: dict[Path, RecordHistory] | None = None
    # the county's public address (county.yml site_url), set with the history
    site_url: str = ""

    @property
    def accepted_attachments(self) -> list[Attachment]:
        """The attachments that passed the check: the only files render may copy
        (each with its absolute `source` and its `path` relative to the village)."""
        return [a for a in self.attachments if a.accepted]

    @property
    def name(self) -> str:
        return self.profile.record.name if self.profile else self.slug

    @cached_property
    def public_numbers(self) -> frozenset[str]:
        """The numbers the village publishes as written: its contact phones and every
        number declared under public_numbers (in village.yml or in a record). The
        checker is stricter: a record's declaration counts in that record only."""
        declared = [p.number for doc in (self.ledgers, self.decisions, self.rules, self.evaluations, self.notices,
                                         self.assets, self.contracts, self.debts, self.plans, self.distributions,
                                         self.audits)
                    for d in doc for p in d.record.public_numbers]
        if self.profile:
            contact = self.profile.record.contact
            declared += [p.number for p in self.profile.record.public_numbers]
            return public_numbers(contact.phone, contact.township_phone) | declared_numbers(declared)
        return declared_numbers(declared)


@dataclass
class County:
    root: Path
    config: Doc[CountyConfig] | None
    villages: list[Village]

    @property
    def policy(self) -> Policy:
        return _policy(self.config)


def page_id(stem: str) -> str:
    """An ASCII, stable file name for a record: URLs shared in chats stay readable
    and do not change when another record is added."""
    prefix = stem[:7] if stem[:4].isdigit() else ""
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:6]
    return f"{prefix}-{digest}" if prefix else digest


def validate(src: Source, model: type[T], report: Report) -> Doc[T] | None:
    """Check a parsed file against its schema; report every field error with its line."""
    if not isinstance(src.data, dict):
        report.error(src.path, src.line(), "schema.type",
                     "文件内容应是“项目: 值”的形式。请对照模板检查，或重新复制模板填写。")
        return None
    try:
        return Doc(model.model_validate(src.data), src)
    except ValidationError as exc:
        for err in exc.errors():
            rule, message = explain_error(err)
            report.error(src.path, src.line(*err["loc"]), rule, message)
        return None


def _label(loc: tuple) -> str:
    keys = [k for k in loc if isinstance(k, str)]
    if not keys:
        return "这一项"
    key = keys[-1]
    return f"“{key}”（{FIELD_LABELS[key]}）" if key in FIELD_LABELS else f"“{key}”"


def _where(loc: tuple) -> str:
    """Human path: 收支明细第 3 条 的 金额."""
    parts = []
    for k in loc:
        if isinstance(k, int):
            parts.append(f"第 {k + 1} 条")
        elif isinstance(k, str) and not k.startswith(("function-", "tuple", "list")):
            parts.append(FIELD_LABELS.get(k, k))
    return "".join(parts)


def explain_error(err: ErrorDetails) -> tuple[str, str]:
    """Map one pydantic error to a rule id and a Chinese message."""
    kind, loc = err["type"], tuple(err["loc"])
    if kind.startswith("schema."):
        where = _where(loc)
        return kind, (f"{where}：" if where else "") + err["msg"]
    if kind == "missing":
        return "schema.missing", f"缺少必填项 {_label(loc)}。请参照模板补上。"
    if kind == "extra_forbidden":
        return "schema.unknown", (f"不认识的项目 {_label(loc)}。请检查拼写（项目名用英文小写，如模板所示），"
                                  "或删去这一行。")
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        expected = expected.replace("'", "").replace(" or ", "、").replace(", ", "、")
        given = err.get("input")
        given = f"写的“{given}”" if isinstance(given, str) else "写的不是单个选项"
        return "schema.category", f"{_label(loc)} {given}，不在可选范围内。只能填：{expected}。"
    if kind in ("too_short",) and isinstance(err.get("input"), list):
        return "schema.missing", f"{_label(loc)} 至少要写一项。"
    if kind in ("tuple_type", "too_long", "too_short"):
        return "schema.type", f"{_label(loc)} 写法不对。任期请写成 [开始日期, 结束日期]。"
    if kind in ("list_type",):
        return "schema.type", f"{_label(loc)} 应是一个列表（每项一行，以“- ”开头）。请参照模板。"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "schema.type", f"{_label(loc)} 下面应是若干“项目: 值”。请参照模板的缩进写法。"
    return "schema.type", f"{_label(loc)} 的值不对（{err.get('msg')}）。请参照模板填写。"


# keyed by OSError.errno, which is None for errors that did not come from the system
_OS_ERRORS: dict[int | None, str] = {errno.ENOENT: "文件不存在，或是指向不存在文件的快捷方式", errno.EACCES: "没有读取权限",
              errno.EPERM: "没有读取权限", errno.EISDIR: "这是一个文件夹", errno.ELOOP: "快捷方式循环指向自己",
              errno.EIO: "磁盘读取出错"}


def _undecodable_name(path: Path, report: Report, rule: str) -> bool:
    """A name that is not valid UTF-8 (a Windows zip unpacked on Linux gives GBK names)
    cannot be printed or published: report it under a readable spelling and skip it."""
    try:
        str(path).encode("utf-8")
        return False
    except UnicodeEncodeError:
        pass
    parts = []
    for part in path.parts:
        raw = os.fsencode(part)
        for encoding, errors in (("utf-8", "strict"), ("gbk", "strict"), ("utf-8", "replace")):
            try:
                parts.append(raw.decode(encoding, errors))
                break
            except UnicodeDecodeError:
                continue
    readable = Path(*parts)
    report.error(display_path(readable), 1, rule,
                 f"名称“{readable.name}”不是 UTF-8 编码（多见于在 Windows 上压缩、在别处解压的文件），"
                 "无法读取和发布。请把它重新命名（删掉名称后重新输入）。")
    return True


def _plain_file(path: Path) -> bool:
    """A regular file, not a link to one (links are reported, never followed)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _read(path: Path, model: type[T], report: Report,
          sources: list[Source] | None = None) -> Doc[T] | None:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            # a pipe or device would block the read or never end
            report.error(path, 1, "file.unreadable", f"“{path.name}”不是普通文件，无法读取。请删除它，放入真正的文件。")
            return None
        src = load_source(path)
    except SourceError as exc:
        report.error(path, exc.line, exc.rule, exc.message)
        return None
    except OSError as exc:
        why = _OS_ERRORS.get(exc.errno, f"系统错误代码 {exc.errno}")
        report.error(path, 1, "file.unreadable", f"无法打开文件（{why}）。请检查文件是否存在、是否有读取权限。")
        return None
    if sources is not None:
        sources.append(src)
    return validate(src, model, report)


def load_village(folder: Path, report: Report, policy: Policy = DEFAULT_POLICY) -> Village:
    village = Village(slug=folder.name, dir=folder)
    if folder.is_symlink():
        # Never entered: it could be any folder on the machine.
        report.error(folder, 1, "file.symlink", symlink_message(folder.name))
        return village
    if not SLUG_RE.fullmatch(folder.name):
        report.error(folder, 1, "village.folder-name",
                     f"村文件夹名“{_short(folder.name)}”只能用小写拼音字母、数字和减号（会成为网址），例如 qingshi。请改名。")
    elif len(folder.name) > MAX_SLUG:
        report.error(folder, 1, "village.folder-name",
                     f"村文件夹名“{_short(folder.name)}”有 {len(folder.name)} 个字母，太长了（最多 {MAX_SLUG} 个）。"
                     "请改用村名拼音，例如 qingshi。")
    village_symlinks(folder, report)
    profile = folder / PROFILE_FILE
    if _plain_file(profile):
        village.profile = _read(profile, VillageProfile, report, village.sources)
    elif not profile.is_symlink():
        report.error(folder, 1, "village.profile-missing",
                     f"村文件夹“{folder.name}”里缺少 {PROFILE_FILE}（村情简介）。请用 cunwu new village 或复制模板创建。")
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == PROFILE_FILE or entry.is_symlink():
            continue   # links were reported above
        if _undecodable_name(entry, report, "file.name"):
            continue
        if entry.is_dir() and entry.name in KINDS:
            _load_kind(village, entry, report)
        elif entry.is_dir() and entry.name in ("files", "images", "board"):
            continue  # attachments, listed below
        else:
            report.warning(entry, 1, "file.unexpected",
                           f"“{entry.name}”不是 cunwu 认识的文件或文件夹，不会被发布。可用的文件夹：{'、'.join(KINDS)}、files。")
    village.attachments = list_attachments(folder, policy, report)
    village.ledgers.sort(key=lambda d: d.record.month)
    village.evaluations.sort(key=lambda d: d.record.year)
    for docs in (village.debts, village.plans, village.distributions):
        docs.sort(key=lambda d: d.record.year)
    return village


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:37] + "…"


def _record_files(folder: Path) -> list[Path]:
    """Files under a record folder, never through a link (links are reported by
    village_symlinks) and never into hidden folders."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(root, d))]
        found.extend(Path(root) / name for name in files
                     if not name.startswith(".") and not os.path.islink(os.path.join(root, name)))
    return sorted(found)


def _load_kind(village: Village, folder: Path, report: Report) -> None:
    model, suffix, name_re, example = KINDS[folder.name]
    target: list = getattr(village, folder.name)
    for path in _record_files(folder):
        if _undecodable_name(path, report, "file.name"):
            continue
        if path.suffix != suffix:
            report.warning(path, 1, "file.unexpected",
                           f"{folder.name} 文件夹里只放 {suffix} 文件，“{path.name}”不会被读取。文件名示例：{example}")
            continue
        if not name_re.fullmatch(path.stem):
            report.error(path, 1, "file.name", f"文件名“{path.name}”不符合规定。文件名示例：{example}")
            continue
        doc = _read(path, model, report, village.sources)
        if doc is not None:
            target.append(doc)


def find_villages(root: Path) -> list[Path]:
    # A link among the villages is listed so that loading it reports it (never followed).
    return sorted(p for p in root.iterdir() if (p.is_dir() or (p.is_symlink() and not p.is_file()))
                  and p.name != COUNTY_FILE and not p.name.startswith(".")
                  and not p.name.startswith("_"))


def load_county(root: Path, report: Report,
                load: Callable[[Path, Report, Policy], Village] | None = None) -> County:
    """Load `root` as a county (folders of villages + county.yml) or as one village folder.
    `load(folder, report, policy)` loads one village (the build passes a cached loader)."""
    county, villages = open_county(root, report, load)
    county.villages.extend(villages)
    return county


def open_county(root: Path, report: Report,
                load: Callable[[Path, Report, Policy], Village] | None = None) -> tuple[County, Iterator[Village]]:
    """load_county one village at a time: the county (config read, no villages yet)
    and its villages, each loaded when the iterator reaches it, so that a caller
    that is done with a village can let it go (`cunwu check` on 139 villages)."""
    root = Path(root)
    load = load or load_village
    # "assets" is also the theme's folder of every built site (and a village folder
    # named so is refused as a county): it does not make a folder a village.
    if (root / PROFILE_FILE).is_file() or any((root / k).is_dir() for k in KINDS if k != "assets"):
        config_path = root.parent / COUNTY_FILE
        config = _read(config_path, CountyConfig, report) if _exists(config_path) else None
        return County(root.parent, config, []), iter([load(root, report, _policy(config))])
    config_path = root / COUNTY_FILE
    config = None
    if _exists(config_path):
        # A link that leads nowhere is reported as unreadable, not as a missing file.
        config = _read(config_path, CountyConfig, report)
    else:
        report.warning(root, 1, "county.config-missing",
                       f"找不到 {COUNTY_FILE}（县名、乡镇名单和检查阈值）。将使用默认阈值，且不检查乡镇名称。")
    folders = [folder for folder in find_villages(root) if not _undecodable_name(folder, report, "village.folder-name")]
    policy = _policy(config)
    return County(root, config, []), (load(folder, report, policy) for folder in folders)


def _exists(path: Path) -> bool:
    return path.is_file() or path.is_symlink()


def _policy(config: Doc[CountyConfig] | None) -> Policy:
    return config.record.policy if config else DEFAULT_POLICY
