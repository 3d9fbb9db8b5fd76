"""Reading a spreadsheet file (.xlsx or .csv) into numbered rows of cells.

Nothing is interpreted here except emptiness: a blank cell becomes None, and
each row keeps the number the clerk sees in Excel or WPS, so that every later
message can point at it. Old binary formats are refused with a way out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..records.attachments import AttachmentError, zip_guard
from .common import ClerkError


@dataclass
class Spreadsheet:
    """The cells of one sheet (or CSV file), row by row, before anything is interpreted."""

    name: str                       # file name, for messages
    rows: list[tuple[int, list[Any]]]   # (row number as the clerk sees it, cells)
    note: str = ""                  # e.g. which sheet was read


def decode_csv(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """bytes → (text, encoding name). UTF-8 with or without BOM, UTF-16 with BOM, else GBK (GB18030)."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            raise ClerkError(f"表格不能按映射文件指定的编码“{encoding}”读取。请删去 encoding 一项让程序自动识别。") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8（带 BOM）"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise ClerkError("无法识别表格文件的文字编码（不是 UTF-8，也不是 GBK）。"
                         "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿 (.xlsx)”后再导入。") from None


def read_csv(path: Path, encoding: str | None = None) -> Spreadsheet:
    text, used = decode_csv(path.read_bytes(), encoding)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [c if c.strip() else None for c in cells]))
    except csv.Error as exc:
        raise ClerkError(f"表格第 {reader.line_num} 行格式有误（{exc}），无法读取。"
                         "请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入。") from None
    return Spreadsheet(path.name, rows, f"编码 {used}")


# A month's journal is a few hundred rows and well under a megabyte; these
# bounds refuse a zip bomb (a 207 KB file that expands to 940 MB) before
# anything is decompressed, and a sheet of a million rows while it streams.
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_ROWS = 100_000


def read_xlsx(path: Path, sheet: str | None = None) -> Spreadsheet:
    from openpyxl import load_workbook

    try:
        zip_guard(path, max_uncompressed=MAX_XLSX_UNCOMPRESSED, max_ratio=MAX_XLSX_RATIO)
    except AttachmentError as exc:
        raise ClerkError(f"无法打开表格“{path.name}”（{exc}）。请在 Excel 或 WPS 中打开，只保留当月的明细，"
                         "另存为“Excel 工作簿 (.xlsx)”后再导入。") from None
    try:
        # read_only streams the rows; openpyxl parses with defusedxml (a dependency),
        # which refuses entity bombs and outside references
        wb = load_workbook(path, read_only=True, data_only=True)
    except MemoryError:
        raise ClerkError(f"表格“{path.name}”太大，内存不足，无法打开。请只导出当月的明细后再导入。") from None
    except Exception as exc:   # damaged zip, malformed or hostile XML: every parser has its own error types
        raise ClerkError(f"无法打开表格“{path.name}”（{_why(exc)}）。文件可能已损坏，或不是 .xlsx 格式。"
                         "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿 (.xlsx)”后再导入。") from None
    try:
        names = wb.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise ClerkError(f"表格里没有名为“{sheet}”的工作表。现有的工作表：{'、'.join(names)}。")
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        note = f"工作表“{ws.title}”"
        if sheet is None and len(names) > 1:
            note += f"（共 {len(names)} 个工作表，导入的是第一个；要导入别的请加 --sheet 工作表名）"
        rows = []
        for i, cells in enumerate(ws.iter_rows(values_only=True), 1):
            if i > MAX_ROWS:
                raise ClerkError(f"表格“{path.name}”的工作表“{ws.title}”超过 {MAX_ROWS} 行，不像一个月的明细。"
                                 "请只导出当月的明细后再导入。")
            rows.append((i, [None if isinstance(c, str) and not c.strip() else c for c in cells]))
    except ClerkError:
        raise
    except MemoryError:
        raise ClerkError(f"表格“{path.name}”太大，内存不足，无法读取。请只导出当月的明细后再导入。") from None
    except Exception as exc:   # a sheet's XML is read only now, while streaming
        raise ClerkError(f"表格“{path.name}”里的内容已损坏，无法读取（{_why(exc)}）。"
                         "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿 (.xlsx)”后再导入。") from None
    finally:
        wb.close()
    return Spreadsheet(path.name, rows, note)


def _why(exc: BaseException) -> str:
    """A short reason a clerk can pass on to whoever helps, without a traceback."""
    name = type(exc).__name__
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
        return "文件里有不允许的实体定义，可能是恶意构造的文件"
    if name in ("ParseError", "XMLSyntaxError", "ExpatError"):
        return "内部格式错误"
    if name in ("BadZipFile", "InvalidFileException"):
        return "不是有效的 .xlsx 文件"
    return "文件内容无法识别"


def read_table(path: Path, sheet: str | None = None, encoding: str | None = None) -> Spreadsheet:
    if not path.is_file():
        raise ClerkError(f"找不到表格文件“{path}”。请检查文件名和所在文件夹。", 2)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path, encoding)
    if suffix in (".xls", ".et", ".wps"):
        raise ClerkError(f"不支持旧的 {suffix} 格式。请在 Excel 或 WPS 中打开“{path.name}”，"
                         "选“另存为”→“Excel 工作簿 (.xlsx)”，再导入新文件。", 2)
    raise ClerkError(f"“{path.name}”不是表格文件。请导入 .xlsx 或 .csv 文件。", 2)
