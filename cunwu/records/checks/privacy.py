"""Privacy rules: no unmasked ID, mobile or bank card number in any file a
village publishes: its values, Markdown bodies, file names and attachments.

Each hit names the reading that triggered it (身份证号/手机号/银行卡号 and the
evidence) and the masked form to write instead, at the line where the number
is written: inside a quoted or folded YAML value the line is found by reading
the file itself, since YAML folds those lines into one value.

A number that is public (the office phone, the collective's account, a code
that happens to read like a card) is declared with a reason under
`public_numbers:` in village.yml (for the whole village) or in the record that
shows it (for that record).

Relief and subsidy lists (低保, 特困, 临时救助 …) name people; where the
county's policy masks names (刘某红), a column of full names is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..diagnostics import Report
from ..load import Doc, Village
from ..models import FIELD_LABELS, Notice, Policy
from ..privacy import BOUNDARY, Found, declared_numbers, find_identifiers, public_numbers
from ..source import Source

__all__ = ["check_attachments", "check_names", "check_privacy", "check_relief_names", "found_line_offset",
           "village_allowed"]


def village_allowed(village: Village) -> frozenset[str]:
    """Numbers public in every file of the village: its contact phones and the
    numbers village.yml declares public."""
    if not village.profile:
        return frozenset()
    profile = village.profile.record
    return public_numbers(profile.contact.phone, profile.contact.township_phone) | \
        declared_numbers(p.number for p in profile.public_numbers)


def file_declared(src: Source) -> frozenset[str]:
    """Numbers a file declares public for itself (read from the raw data, so that a
    declaration counts even while another field of the file is invalid)."""
    data = src.data if isinstance(src.data, dict) else {}
    entries = data.get("public_numbers")
    if not isinstance(entries, list):
        return frozenset()
    return declared_numbers(e.get("number") for e in entries
                            if isinstance(e, dict) and isinstance(e.get("number"), str) and e.get("reason"))


def _message(found: Found, where: str = "这里") -> str:
    return (f"{where}有未遮盖的{found.label}（{found.masked}，{found.why}），不得公开。请改成遮盖后的“{found.masked}”，"
            "或删去；如果它本来就可以公开（单位电话、集体账户、编码等），请在本文件或 village.yml 的 public_numbers "
            "里写明号码和理由。")


def check_privacy(src: Source, allowed: frozenset[str], report: Report) -> None:
    allowed = allowed | file_declared(src)
    raw: list[str] = []   # the file's text, read only when a value holds a hit

    def text_of_file() -> str:
        if not raw:
            try:
                raw.append(src.path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                raw.append("")
        return raw[0]

    for loc, value in _strings(src.data):
        if loc[:1] == ("public_numbers",):
            continue   # the declarations themselves are not published
        header = _header(src.data, loc)
        for found in find_identifiers(value, allowed, header):
            line = scalar_line(text_of_file(), src.line(*loc), value, found)
            report.error(src.path, line, f"privacy.{found.kind}", _message(found))
    if src.body:
        for offset, text, header in markdown_parts(src.body):
            for found in find_identifiers(text, allowed, header):
                line = src.body_line + src.body.count("\n", 0, offset + found.start)
                report.error(src.path, line, f"privacy.{found.kind}", _message(found))


def found_line_offset(text: str, index: int) -> int:
    """Lines into a multi-line scalar (block text) where a match starts."""
    return text.count("\n", 0, index)


# ---------------------------------------------------------------- where a value's number is written

def _digit_pattern(digits: str) -> re.Pattern[str]:
    """The digits of a hit as they may be written in the file: ASCII, full-width or as
    character references, with anything that is not a digit between them."""
    alts = [f"(?:{d}|{chr(0xFF10 + int(d))}|&#0*{ord(d)};|&#[xX]0*{ord(d):x};)" for d in digits]
    return re.compile(r"(?:[^0-9\uff10-\uff19&]|&(?!#)){0,60}?".join(alts))


def scalar_line(file_text: str, line: int, value: str, found: Found) -> int:
    """The file line where `found` (a hit inside `value`, which starts on `line`) is
    written. YAML folds quoted and `>` values, so the value's own line breaks do not
    count lines of the file: the hit's digits are looked up in the file instead."""
    fallback = line + found_line_offset(value, found.start)
    if not file_text or not found.digits:
        return fallback
    lines = file_text.split("\n")
    if not 1 <= line <= len(lines):
        return fallback
    start = sum(len(text) + 1 for text in lines[: line - 1])
    digits = found.digits[:-1] if found.digits[-1:] in "Xx" else found.digits
    m = _digit_pattern(digits).search(file_text, start)
    if not m:
        return fallback
    return line + file_text.count("\n", start, m.start())


# ---------------------------------------------------------------- walking a file's values

def _strings(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, loc + (i,))
    elif isinstance(data, str):
        yield loc, data


def _header(data: Any, loc: tuple) -> str:
    """What a value is, as a table header would say: the list's column header for a
    cell of a notice's table, else the Chinese name of its key (凭证号, 代码, 电话)."""
    if len(loc) == 4 and loc[:2] == ("table", "rows") and isinstance(loc[3], int):
        table = data.get("table") if isinstance(data, dict) else None
        columns = table.get("columns") if isinstance(table, dict) else None
        if isinstance(columns, list) and loc[3] < len(columns) and isinstance(columns[loc[3]], str):
            return columns[loc[3]]
        return ""
    key = next((k for k in reversed(loc) if isinstance(k, str)), "")
    return FIELD_LABELS.get(key, "")


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[tuple[int, str]]:
    """(offset in the line, text) of each cell of a Markdown table row."""
    cells, pos = [], 0
    parts = line.split("|")
    for i, part in enumerate(parts):
        if not ((i == 0 or i == len(parts) - 1) and not part.strip()):
            cells.append((pos, part))
        pos += len(part) + 1
    return cells


def markdown_parts(body: str) -> list[tuple[int, str, str]]:
    """A Markdown body as (offset, text, column header) parts: every cell of a table
    with its header, and the rest as one text (tables blanked out, so that cells are
    not read as one number across the row)."""
    lines = body.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    rest = list(body)
    parts: list[tuple[int, str, str]] = []
    i = 0
    while i < len(lines):
        if "|" in lines[i] and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]) and "|" in lines[i + 1]:
            headers = [text.strip() for _, text in _cells(lines[i])]
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                for col, (off, text) in enumerate(_cells(lines[j])):
                    parts.append((starts[j] + off, text, headers[col] if col < len(headers) else ""))
                j += 1
            for k in range(starts[i], starts[j - 1] + len(lines[j - 1])):
                if rest[k] != "\n":
                    rest[k] = BOUNDARY
            i = j
        else:
            i += 1
    return [(0, "".join(rest), ""), *parts]


# ---------------------------------------------------------------- names and attachments

def check_names(village: Village, report: Report) -> None:
    """File names of records (the 编号 of the open data) and of attachments."""
    allowed = village_allowed(village)
    for src in village.sources:
        for found in find_identifiers(src.path.stem, allowed):
            report.error(src.path, 1, f"privacy.{found.kind}",
                         _message(found, f"文件名“{_masked_name(src.path, found)}”里") + "请给文件改名。")
    for attachment in village.attachments:
        path = attachment.source
        for found in find_identifiers(path.stem, allowed):
            report.error(path, 1, f"privacy.{found.kind}",
                         _message(found, f"附件文件名“{_masked_name(path, found)}”里") + "请给文件改名。")


def _masked_name(path: Path, found: Found) -> str:
    stem = path.stem
    return stem[: found.start] + found.masked + stem[found.end:] + path.suffix


def check_attachments(village: Village, report: Report) -> None:
    """The text of every attachment that will be published (csv, txt, xlsx cells,
    docx paragraphs, pdf pages), each hit with its line, sheet and cell, paragraph
    or page; images cannot be read and are listed for the clerk to confirm."""
    from ..attachments import IMAGE_KINDS, AttachmentError

    allowed = village_allowed(village)
    for attachment in village.attachments:
        if not attachment.accepted:
            continue
        path = attachment.source
        if attachment.kind in IMAGE_KINDS:
            report.warning(path, 1, "privacy.image-unscanned",
                           f"图片“{path.name}”未扫描——请确认图片中没有身份证号、手机号、银行卡号"
                           "（如有，请打码后重新保存）。")
            continue
        try:
            parts = attachment.text_parts()
        except AttachmentError as exc:
            # what cannot be read cannot be checked: refused, never published unscanned
            report.error(path, 1, "attachment.unreadable",
                         f"{exc}读不全文字的附件无法检查其中有没有身份证号、手机号、银行卡号，不能发布。"
                         "请用原来的软件打开后另存再放入（PDF 不要加密码，太长的分成几个文件）；"
                         "扫描件可以另存为 JPG 或 PNG 图片。")
            continue
        headers = _attachment_headers(parts)
        for where, text in parts:
            line, header = _attachment_place(where, headers)
            for found in find_identifiers(text, allowed, header):
                report.error(path, line, f"privacy.{found.kind}",
                             _message(found, f"附件“{path.name}”{where}") + "请遮盖后重新保存附件，或删去。")


_CSV_PLACE = re.compile(r"第(\d+)行(?:第(\d+)列)?")
_SHEET_PLACE = re.compile(r"^(.*)!([A-Z]+)(\d+)$")


def _attachment_headers(parts: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Column headers of a table attachment: the first row's cells, by (sheet, column)."""
    headers: dict[tuple[str, str], str] = {}
    for where, text in parts:
        m = _CSV_PLACE.fullmatch(where)
        if m and m.group(1) == "1" and m.group(2):
            headers[("", m.group(2))] = text.strip()
        m = _SHEET_PLACE.match(where)
        if m and m.group(3) == "1":
            headers[(m.group(1), m.group(2))] = text.strip()
    return headers


def _attachment_place(where: str, headers: dict[tuple[str, str], str]) -> tuple[int, str]:
    """The line for the diagnostic (第 5 行 of a text or CSV file, else 1) and the
    column header of a table cell."""
    m = _CSV_PLACE.fullmatch(where)
    if m:
        return int(m.group(1)), headers.get(("", m.group(2) or ""), "") if m.group(1) != "1" else ""
    m = _SHEET_PLACE.match(where)
    if m:
        return 1, headers.get((m.group(1), m.group(2)), "") if m.group(3) != "1" else ""
    return 1, ""


# Relief and subsidy lists, and the columns that name people.
_RELIEF = re.compile(r"低保|特困|救助|救济|补贴|补助|五保|临时救助|慰问|资助|帮扶|抚恤|优抚|残疾")
_NAME_HEADER = re.compile(r"姓名|户主|名字|对象|申请人|领取人|救助人")
_FULL_NAME = re.compile(r"[\u4e00-\u9fff]{3}")
_MASK_MARKS = re.compile(r"某|\*|＊|×|○|x|X")


def check_relief_names(doc: Doc[Notice], policy: Policy, report: Report) -> None:
    """Where the county masks names in relief lists (policy relief_names: 遮盖),
    a column of full three-character names is a warning; masked names (刘某红)
    stay as the clerk wrote them."""
    notice = doc.record
    if getattr(policy, "relief_names", "遮盖") != "遮盖" or not notice.table:
        return
    columns = notice.table.columns
    if not (_RELIEF.search(notice.title) or any(_RELIEF.search(c) for c in columns)):
        return
    for col, header in enumerate(columns):
        if not _NAME_HEADER.search(header):
            continue
        rows = [(i, cell.strip()) for i, row in enumerate(notice.table.rows) if col < len(row) and (cell := row[col])]
        full = [(i, c) for i, c in rows if _FULL_NAME.fullmatch(c) and not _MASK_MARKS.search(c)]
        if len(full) >= 2 and len(full) * 2 >= len(rows):
            first, name = full[0]
            report.warning(doc.path, doc.line("table", "rows", first), "privacy.names-unmasked",
                           f"名单“{header}”列有 {len(full)} 个完整的三字姓名，而县里规定救助、补贴公示的姓名要遮盖中间的字。"
                           f"请改成“{name[0]}某{name[2]}”这样的写法（如：{name} → {name[0]}某{name[2]}）。")
