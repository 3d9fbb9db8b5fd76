"""Helpers shared by the clerk's commands (`cunwu new`, `cunwu import`, `cunwu check-changed`).

Finding a village folder from what the clerk typed, months, the previous
month's closing balance, writing a file without ever clobbering one, and
writing YAML values that read back exactly as meant.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from ..records.diagnostics import Diagnostic, terminal_safe
from ..records.load import COUNTY_FILE, PROFILE_FILE, SLUG_RE, find_villages
from ..records.months import previous_month
from ..records.source import SourceError, load_source, parse_yaml

T = TypeVar("T")

BACKUP_DIR = ".backup"   # hidden: the loader skips dot-folders, git may ignore or keep it


class ClerkError(Exception):
    """A problem the clerk can fix; the message is Chinese and says how."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def guarded(action: Callable[[], T]) -> tuple[T | None, int]:
    """Run a clerk command's action: a ClerkError or a file that cannot be read or
    written becomes a Chinese message on stderr and an exit code, never a traceback."""
    try:
        return action(), 0
    except ClerkError as exc:
        print(terminal_safe(f"错误：{exc.message}"), file=sys.stderr)
        return None, exc.code
    except OSError as exc:
        print(terminal_safe(f"错误：无法读写文件 {exc.filename or ''}（{exc.strerror or exc}）。请检查文件是否被其他程序占用、"
                            "文件夹是否有写入权限、磁盘是否已满。"), file=sys.stderr)
        return None, 1
    except MemoryError:
        print("错误：内存不足，表格或文件太大。请只导出一个月的明细后再导入。", file=sys.stderr)
        return None, 1


# ---------------------------------------------------------------- months and dates

_MONTH_RES = (re.compile(r"(\d{4})-(\d{1,2})"), re.compile(r"(\d{4})年(\d{1,2})月?"),
              re.compile(r"(\d{4})/(\d{1,2})"), re.compile(r"(\d{4})\.(\d{1,2})"),
              re.compile(r"(\d{4})(\d{2})"))


def parse_month(text: str) -> str:
    """'2024-01', '2024-1', '2024年1月', '202401' → '2024-01'; ClerkError otherwise."""
    value = str(text).strip()
    for pattern in _MONTH_RES:
        m = pattern.fullmatch(value)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    raise ClerkError(f"月份“{value}”写法不对。请写成 年-月，例如 --month 2024-03。", 2)


def parse_year(text: str) -> int:
    value = str(text).strip().rstrip("年")
    if not re.fullmatch(r"\d{4}", value):
        raise ClerkError(f"年度“{text}”写法不对。请写四位数字，例如 --year 2024。", 2)
    return int(value)


def parse_date(text: str, what: str = "日期") -> date:
    value = str(text).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", value)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise ClerkError(f"{what}“{value}”写法不对或不存在。请写成 年-月-日，例如 2024-02-05。", 2)


def last_month(today: date | None = None) -> str:
    """The month before today's: clerks post last month's accounts."""
    today = today or date.today()
    prev = today.replace(day=1) - timedelta(days=1)
    return f"{prev.year}-{prev.month:02d}"


def this_month(today: date | None = None) -> str:
    today = today or date.today()
    return f"{today.year}-{today.month:02d}"


# ---------------------------------------------------------------- villages


def villages_root(text: str) -> Path:
    root = Path(text)
    if not root.is_dir():
        raise ClerkError(f"找不到村务记录文件夹“{text}”。请在存放 villages 文件夹的目录里运行命令，"
                         "或用 --villages 指出它的位置。", 2)
    return root


def profile_name(folder: Path) -> str | None:
    """The village's name from its village.yml, if it can be read."""
    try:
        data = load_source(folder / PROFILE_FILE).data
    except (SourceError, OSError):
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return str(name) if name else None


def find_village(root: Path, key: str) -> Path:
    """A village folder by its folder name (qingshi) or its name (青石村)."""
    key = key.strip().rstrip("/\\")
    plain = bool(key) and not re.search(r"[/\\]", key) and not key.startswith(".")
    if plain and (root / key).is_dir():
        return root / key
    if not plain and key:                       # a path such as villages/qingshi
        given = Path(key)
        if given.is_dir() and given.resolve().parent == root.resolve():
            return root / given.name
    folders = find_villages(root) if root.is_dir() else []
    matches = [f for f in folders if profile_name(f) in (key, key + "村")]
    if len(matches) == 1:
        return matches[0]
    known = "、".join(f.name + (f"（{profile_name(f)}）" if profile_name(f) else "") for f in folders[:30])
    hint = f"现有的村：{known}。" if known else f"{root} 里还没有村。"
    raise ClerkError(f"找不到村“{key}”。{hint}新建一个村请用：cunwu new village 拼音名 --name 村名", 2)


def check_slug(slug: str) -> None:
    if not SLUG_RE.fullmatch(slug):
        raise ClerkError(f"村文件夹名“{slug}”不合规定：只能用小写拼音字母、数字和减号（会成为网址），"
                         "例如 qingshi 或 shimen-2。村的中文名请用 --name 指定。", 2)


def county_townships(root: Path) -> list[str]:
    try:
        data = load_source(root / COUNTY_FILE).data
    except (SourceError, OSError):
        return []
    towns = data.get("townships") if isinstance(data, dict) else None
    return [str(t) for t in towns] if isinstance(towns, list) else []


# ---------------------------------------------------------------- ledgers

_MONEY_RE = re.compile(r"-?\d+(\.\d{1,2})?")


def ledger_closing(path: Path) -> Decimal | None:
    """closing_balance of a ledger file, or None when it cannot be read."""
    try:
        data = load_source(path).data
    except (SourceError, OSError):
        return None
    value = data.get("closing_balance") if isinstance(data, dict) else None
    if value is None or not _MONEY_RE.fullmatch(str(value).strip()):
        return None
    return Decimal(str(value).strip()).quantize(Decimal("0.01"))


def carried_balance(village: Path, month: str) -> tuple[Decimal | None, Path | None]:
    """The closing balance that `month` opens with: the previous month's, else the
    latest earlier month's (a gap the checker will point out). (None, None) if none."""
    folder = village / "ledgers"
    prev = folder / f"{previous_month(month)}.yml"
    if prev.is_file():
        return ledger_closing(prev), prev
    earlier = sorted(p for p in folder.glob("*.yml")
                     if re.fullmatch(r"\d{4}-\d{2}", p.stem) and p.stem < month) if folder.is_dir() else []
    if earlier:
        return ledger_closing(earlier[-1]), earlier[-1]
    return None, None


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}"


# ---------------------------------------------------------------- the village profile


def read_profile(village: Path) -> dict:
    """village.yml as plain data, {} when it cannot be read: templates only borrow names from it."""
    try:
        data = load_source(village / PROFILE_FILE).data
    except (SourceError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def roster_members(profile: dict, group: str) -> list[dict]:
    roster = profile.get("roster")
    members = roster.get(group) if isinstance(roster, dict) else None
    return [m for m in members if isinstance(m, dict) and m.get("name")] if isinstance(members, list) else []


# ---------------------------------------------------------------- writing


def yaml_value(text: str) -> str:
    """`text` as a YAML scalar that cunwu reads back as exactly `text`:
    plain when that is safe, double-quoted otherwise."""
    text = str(text)
    if text and "\n" not in text and text == text.strip():
        try:
            if parse_yaml(f"k: {text}\n", Path("<value>")).data == {"k": text}:
                return text
        except SourceError:
            pass
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch in "\x7f\x85\u2028\u2029\ufeff":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def text_width(text: str) -> int:
    """Columns on screen: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(line: str, comment: str, column: int = 30) -> str:
    """`line` followed by `# comment` aligned in a column, as in the templates."""
    if not comment:
        return line
    return f"{line}{' ' * max(column - text_width(line), 1)}# {comment}"


def template_lines(*pairs: Any) -> str:
    """A file of `cunwu new`: plain lines, and (line, comment) pairs padded as in the templates."""
    return "\n".join(pad(*item) if isinstance(item, tuple) else item for item in pairs) + "\n"


@dataclass
class Created:
    """What `cunwu new` made: the file and what the clerk does next."""

    path: Path
    next_steps: list[str]


def display(path: Path) -> str:
    from ..records.diagnostics import display_path
    return display_path(path)


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; refuse if it exists. Written whole or not at all."""
    if path.exists():
        raise ClerkError(f"文件 {display(path)} 已经存在，不会覆盖。请直接打开它修改；"
                         "若确实要重新生成，请先把它改名或删除。")
    write_atomic(path, text, exclusive=True)


def write_atomic(path: Path, text: str, exclusive: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if exclusive:
            try:
                os.link(tmp, path)      # fails if someone created it meanwhile
            except FileExistsError:
                raise
            except OSError:             # a file system without hard links
                if path.exists():
                    raise FileExistsError(str(path)) from None
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except FileExistsError:
        os.unlink(tmp)
        raise ClerkError(f"文件 {display(path)} 已经存在，不会覆盖。") from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def safe_file_title(title: str) -> str:
    """A title as a file-name part: no path separators or characters Windows refuses."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", title.strip())
    name = re.sub(r"\s+", "", name).strip(".-")
    if not name:
        raise ClerkError(f"标题“{title}”不能用作文件名。请换一个简短的中文名称，例如 --title 修建村道。", 2)
    if len(name) > 40:
        raise ClerkError(f"标题“{title}”太长，不便作文件名（最多 40 个字）。请用简短名称，"
                         "完整标题可以在文件里 title 一项修改。", 2)
    return name


def report_written(lines: list[str], relevant: list[Diagnostic], village: Path) -> int:
    """What `cunwu check` found in the files an import just wrote, in the clerk's
    words, appended to `lines`; returns the exit code (1 when there is an error)."""
    errors = [d for d in relevant if d.severity == "error"]
    if relevant:
        lines.append("检查结果：")
        lines.extend("  " + d.format() for d in relevant)
    if errors:
        lines.append(f"文件已写入，但检查发现 {len(errors)} 个错误（见上），请按提示修改后再提交。")
        return 1
    warned = f"，有 {len(relevant)} 个提醒（见上）" if relevant else ""
    lines.append(f"检查通过：没有错误{warned}（cunwu check {display(village)}）。")
    return 0


def print_outcome(lines: list[str], problems: list[str]) -> None:
    """An import's report: its first line, the rows it could not read (stderr),
    then the rest. Spreadsheet cells are echoed, so every line is made
    terminal-safe: none can act on the terminal."""
    for line in lines[:1]:
        print(terminal_safe(line))
    for line in problems:
        print(terminal_safe(line), file=sys.stderr)
    for line in lines[1:]:
        print(terminal_safe(line))
