"""Attachments: the files a village publishes as downloads (files/, images/).

Everything under a village folder is untrusted. An attachment is published
only if its extension is on a short list AND its bytes are what the extension
says (a page saved as 通知.pdf is still a page), it is within the county's size
limits, and it is a plain file: a symbolic link (to /etc/passwd, to another
village) is never followed, by the loader or by anything else.

Types that a browser would run or MkDocs would build (.html, .svg, .md, .js …)
are refused: the site's origin is shared by every village and the portal.

`Attachment.text_parts()` gives the text of a document, bounded in size, for
the personal-number scan of attachments.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .models import Policy

ATTACHMENT_DIRS = ("files", "images", "board")   # board/: photos of the posted board, board/2026-10.jpg

# extension → kind; one kind may have several extensions
KINDS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp",
         ".xlsx": "xlsx", ".docx": "docx", ".csv": "csv", ".txt": "txt"}
IMAGE_KINDS = frozenset({"jpeg", "png", "webp"})
KIND_NAMES = {"pdf": "PDF 文件", "jpeg": "JPG 图片", "png": "PNG 图片", "webp": "WebP 图片",
              "xlsx": "Excel 表格（.xlsx）", "docx": "Word 文档（.docx）", "csv": "CSV 表格", "txt": "文本文件"}

# What to do with a refused type: the nearest allowed one.
_ADVICE = {
    ".html": "网页文件会在网站上运行，请打印或另存为 PDF 后再放入",
    ".htm": "网页文件会在网站上运行，请打印或另存为 PDF 后再放入",
    ".mht": "网页文件会在网站上运行，请打印或另存为 PDF 后再放入",
    ".svg": "SVG 图片里可以藏有脚本，请另存为 PNG 图片",
    ".md": "说明文字请写进记录（决策、公示的正文），或另存为 PDF",
    ".doc": "旧的 Word 格式请在 Word 或 WPS 中另存为 .docx 或 PDF",
    ".xls": "旧的 Excel 格式请在 Excel 或 WPS 中另存为 .xlsx",
    ".wps": "请在 WPS 中另存为 .docx 或 PDF",
    ".et": "请在 WPS 中另存为 .xlsx",
    ".xlsm": "带宏的表格不能发布，请另存为普通的 .xlsx",
    ".docm": "带宏的文档不能发布，请另存为普通的 .docx",
    ".gif": "请另存为 PNG 或 JPG 图片",
    ".bmp": "请另存为 PNG 或 JPG 图片",
    ".tif": "请另存为 PNG、JPG 图片或 PDF",
    ".tiff": "请另存为 PNG、JPG 图片或 PDF",
    ".heic": "请在手机或电脑上另存为 JPG 图片",
    ".zip": "压缩包不能发布，请解压后只放入 PDF、图片或表格",
    ".rar": "压缩包不能发布，请解压后只放入 PDF、图片或表格",
    ".7z": "压缩包不能发布，请解压后只放入 PDF、图片或表格",
}
_DEFAULT_ADVICE = "请另存为 PDF（文档）、JPG 或 PNG（图片）、xlsx 或 csv（表格）后再放入"

# Bounds of the work one attachment may cause.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024     # xlsx/docx expanded
MAX_ZIP_RATIO = 200                          # real office files compress 5-30×; bombs thousands
MAX_TEXT_BYTES = 4 * 1024 * 1024             # text read from one csv/txt, or one docx body
MAX_TEXT_ROWS = 50_000                       # rows of a csv/xlsx, lines of a txt, paragraphs of a docx
MAX_PDF_PAGES = 1_000


class AttachmentError(Exception):
    """An attachment whose text cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class Attachment:
    """One file under files/ or images/: published only when `problem` is empty."""

    path: str            # relative to the village folder, with /, e.g. "files/会议记录.pdf"
    source: Path         # absolute path of the file
    kind: str            # pdf, jpeg, png, webp, xlsx, docx, csv, txt; "" when the type is refused
    size: int
    problem: str = ""    # the rule id that refused it

    @property
    def accepted(self) -> bool:
        return not self.problem

    def text_parts(self) -> list[tuple[str, str]]:
        """(location, text) pairs of the document, e.g. ("第2页", …), ("Sheet1!B3", …),
        ("第5行", …); images have none. Bounded: at most MAX_TEXT_BYTES of text
        and MAX_TEXT_ROWS rows (MAX_PDF_PAGES pages) are read, and a longer file
        raises AttachmentError, as does one that cannot be read: a scan must
        then refuse it, not pass it half-read."""
        if not self.accepted or self.kind in IMAGE_KINDS:
            return []
        reader = {"csv": _csv_text, "txt": _txt_text, "xlsx": _xlsx_text, "docx": _docx_text,
                  "pdf": _pdf_text}[self.kind]
        try:
            return reader(self.source)
        except AttachmentError:
            raise
        except MemoryError:
            raise AttachmentError(f"“{self.path}”内容太多，无法读取。") from None
        except Exception as exc:   # any parser failure: the scan must know, never crash
            raise AttachmentError(f"“{self.path}”已损坏或格式不对，无法读取其中的文字（{type(exc).__name__}）。") from None


# ---------------------------------------------------------------- listing and checking


def village_symlinks(folder: Path, report: Report) -> bool:
    """Report every symbolic link under a village folder that cunwu would read
    or publish (hidden names such as .backup/ or an editor's lock files are
    neither). Returns True when there is one. Never follows a link."""
    found = False
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.is_symlink():
                found = True
                report.error(path, 1, "file.symlink", symlink_message(name))
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (Path(root) / d).is_symlink()]
    return found


def symlink_message(name: str) -> str:
    return (f"“{name}”是一个快捷方式（符号链接），不是真正的文件或文件夹。快捷方式可能指向村文件夹以外的文件，"
            "不会被读取或发布。请删除它，把真正的文件复制到这里。")


def list_attachments(village_dir: Path, policy: Policy, report: Report) -> list[Attachment]:
    """Every file under the village's files/ and images/, each checked: type by
    extension and content, size, plain file. Refused ones are reported and kept
    with their problem, so that the render stage can tell what it may copy."""
    found: list[Attachment] = []
    for top in ATTACHMENT_DIRS:
        base = village_dir / top
        if base.is_symlink() or not base.is_dir():
            continue   # a linked folder is reported by village_symlinks and never entered
        for root, dirs, files in os.walk(base, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(root) / d).is_symlink())
            for name in sorted(files):
                path = Path(root) / name
                if name.startswith(".") or path.is_symlink():
                    continue   # links are reported by village_symlinks and never published
                found.append(_check_one(village_dir, path, policy, report))
    total = sum(a.size for a in found if a.accepted)
    limit = policy.attachments_total_mb * 1024 * 1024
    if total > limit:
        report.error(village_dir / ATTACHMENT_DIRS[0], 1, "attachment.too-large",
                     f"files 和 images 文件夹里的附件共 {_mb(total)}，超过全村上限 {policy.attachments_total_mb} MB。"
                     "请删去不需要公开的附件，或把扫描件压缩后再放入。")
    return found


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _check_one(village_dir: Path, path: Path, policy: Policy, report: Report) -> Attachment:
    rel = path.relative_to(village_dir).as_posix()
    source = path.absolute()
    try:
        info = path.lstat()
    except OSError:
        report.error(path, 1, "file.unreadable", f"无法打开附件“{path.name}”。请检查文件是否存在、是否有读取权限。")
        return Attachment(rel, source, "", 0, "file.unreadable")
    if stat.S_ISLNK(info.st_mode):
        report.error(path, 1, "file.symlink", symlink_message(path.name))
        return Attachment(rel, source, "", 0, "file.symlink")
    suffix = path.suffix.lower()
    kind = KINDS.get(suffix, "")
    if not stat.S_ISREG(info.st_mode) or not kind:
        advice = _ADVICE.get(suffix, _DEFAULT_ADVICE)
        what = f"“{suffix}”类型的文件" if suffix and stat.S_ISREG(info.st_mode) else "这种文件"
        report.error(path, 1, "attachment.type",
                     f"附件“{path.name}”是{what}，不能发布。只能放 PDF、JPG、PNG、WebP 图片和 xlsx、docx、csv、txt 文件："
                     f"{advice}。")
        return Attachment(rel, source, "", info.st_size, "attachment.type")
    limit = policy.attachment_max_mb * 1024 * 1024
    if info.st_size > limit:
        report.error(path, 1, "attachment.too-large",
                     f"附件“{path.name}”有 {_mb(info.st_size)}，超过上限 {policy.attachment_max_mb} MB，手机很难下载。"
                     "请压缩图片、把扫描件分成几份，或只放需要公开的几页。")
        return Attachment(rel, source, kind, info.st_size, "attachment.too-large")
    why = content_problem(path, kind)
    if why:
        report.error(path, 1, "attachment.content",
                     f"附件“{path.name}”的内容不是{KIND_NAMES[kind]}（{why}），可能是改了扩展名的其他文件。"
                     f"请用原来的软件打开它，另存为{KIND_NAMES[kind]}后再放入。")
        return Attachment(rel, source, kind, info.st_size, "attachment.content")
    return Attachment(rel, source, kind, info.st_size)


def _head(path: Path, size: int = 4096) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read(size)


_MARKUP = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|svg|script|\?xml|head|body|iframe)", re.I)


def content_problem(path: Path, kind: str) -> str:
    """Why the bytes are not of `kind` (Chinese), or "" when they are."""
    try:
        head = _head(path)
    except OSError:
        return "无法读取"
    if kind == "pdf":
        return "" if b"%PDF-" in head[:1024] else "开头没有 PDF 标记"
    if kind == "jpeg":
        return "" if head.startswith(b"\xff\xd8\xff") else "开头没有 JPG 标记"
    if kind == "png":
        return "" if head.startswith(b"\x89PNG\r\n\x1a\n") else "开头没有 PNG 标记"
    if kind == "webp":
        return "" if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else "开头没有 WebP 标记"
    if kind in ("xlsx", "docx"):
        if not head.startswith(b"PK\x03\x04"):
            return "不是 Office 文件的压缩格式"
        try:
            names = zip_guard(path)
        except AttachmentError as exc:
            return str(exc)
        part = "xl/workbook.xml" if kind == "xlsx" else "word/document.xml"
        if "[Content_Types].xml" not in names or part not in names:
            return "缺少必要的组成部分"
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return "含有宏"
        return ""
    # csv, txt: text without NUL bytes, in an encoding a villager's phone can show, not a page
    if b"\x00" in head:
        return "含有二进制内容"
    if _MARKUP.match(head):
        return "内容是网页或图形代码"
    return ""


def zip_guard(path: Path, max_uncompressed: int = MAX_ZIP_UNCOMPRESSED, max_ratio: int = MAX_ZIP_RATIO,
              max_entries: int = MAX_ZIP_ENTRIES) -> list[str]:
    """The member names of a zip (xlsx, docx), after refusing one that would expand
    beyond bounds: a 200 KB file can hold gigabytes (a zip bomb). Only the
    central directory is read, nothing is decompressed. Raises AttachmentError."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise AttachmentError("文件已损坏，无法打开") from None
    if len(infos) > max_entries:
        raise AttachmentError(f"内部文件多达 {len(infos)} 个，不是正常的文档") from None
    expanded = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if expanded > max_uncompressed:
        raise AttachmentError(f"解压后有 {_mb(expanded)}，超过上限 {_mb(max_uncompressed)}")
    if expanded > 1024 * 1024 and expanded / packed > max_ratio:
        raise AttachmentError(f"压缩比高达 {expanded // packed} 倍，不是正常的文档")
    return [i.filename for i in infos]


# ---------------------------------------------------------------- text for the privacy scan


def _too_long(path: Path, what: str) -> AttachmentError:
    """A document longer than the scan reads is refused, not published half-checked."""
    return AttachmentError(f"“{path.name}”{what}，超出能检查的范围，无法确认其中没有个人号码。请分成几个文件。")


def _read_bounded(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_TEXT_BYTES + 1)
    if len(raw) > MAX_TEXT_BYTES:
        raise _too_long(path, f"的文字超过 {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    return raw


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _txt_text(path: Path) -> list[tuple[str, str]]:
    lines = _decode(_read_bounded(path)).split("\n")
    if len(lines) > MAX_TEXT_ROWS and any(line.strip() for line in lines[MAX_TEXT_ROWS:]):
        raise _too_long(path, f"超过 {MAX_TEXT_ROWS} 行")
    return [(f"第{i}行", line) for i, line in enumerate(lines, 1) if line.strip()]


def _csv_text(path: Path) -> list[tuple[str, str]]:
    text = _decode(_read_bounded(path))
    parts: list[tuple[str, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            if reader.line_num > MAX_TEXT_ROWS:
                raise _too_long(path, f"超过 {MAX_TEXT_ROWS} 行")
            parts.extend((f"第{reader.line_num}行第{j}列", c) for j, c in enumerate(cells, 1) if c.strip())
    except csv.Error:   # a stray quote: fall back to lines, every character is still scanned
        return _txt_text(path)
    return parts


def _xlsx_text(path: Path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    zip_guard(path)
    workbook = load_workbook(path, read_only=True, data_only=True)
    parts: list[tuple[str, str]] = []
    try:
        rows = 0
        for sheet in workbook.worksheets:
            for r, values in enumerate(sheet.iter_rows(values_only=True), 1):
                rows += 1
                if rows > MAX_TEXT_ROWS:
                    raise _too_long(path, f"超过 {MAX_TEXT_ROWS} 行")
                parts.extend((f"{sheet.title}!{get_column_letter(c)}{r}", str(v))
                             for c, v in enumerate(values, 1) if v is not None and str(v).strip())
    finally:
        workbook.close()
    return parts


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# Every part of a Word file that a reader can see or bring back: the body, page
# headers and footers, footnotes, endnotes and comments. Tracked deletions
# (w:delText) stay in the file and show when changes are displayed.
_DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_DOCX_TEXT = frozenset({f"{_W}t", f"{_W}delText"})
_DOCX_LABELS = {"document": "", "header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注",
                "comments": "批注"}


def _docx_text(path: Path) -> list[tuple[str, str]]:
    from defusedxml import ElementTree  # type: ignore[import-untyped]

    zip_guard(path)
    parts: list[tuple[str, str]] = []
    paragraphs = 0
    with zipfile.ZipFile(path) as archive:
        names = sorted((i for i in archive.infolist() if _DOCX_PARTS.fullmatch(i.filename)),
                       key=lambda i: (i.filename != "word/document.xml", i.filename))
        if not names or names[0].filename != "word/document.xml":
            raise AttachmentError(f"“{path.name}”里没有正文（word/document.xml），不是完整的 Word 文档。")
        for info in names:
            if info.file_size > MAX_TEXT_BYTES * 4:
                raise AttachmentError(f"“{path.name}”的正文太大，无法读取。")
            root = ElementTree.fromstring(archive.read(info))
            kind = _DOCX_PARTS.fullmatch(info.filename).group(1).rstrip("0123456789")  # type: ignore[union-attr]
            for i, paragraph in enumerate(root.iter(f"{_W}p"), 1):
                paragraphs += 1
                if paragraphs > MAX_TEXT_ROWS:
                    raise _too_long(path, f"超过 {MAX_TEXT_ROWS} 段")
                text = "".join(node.text or "" for node in paragraph.iter() if node.tag in _DOCX_TEXT)
                if text.strip():
                    parts.append((f"{_DOCX_LABELS[kind]}第{i}段", text))
    return parts


def _pdf_text(path: Path) -> list[tuple[str, str]]:
    import logging

    from pypdf import PdfReader

    # pypdf reports damaged files on its logger (English, to the terminal); the
    # caller gets an AttachmentError instead
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    reader = PdfReader(path)
    if len(reader.pages) > MAX_PDF_PAGES:
        raise _too_long(path, f"超过 {MAX_PDF_PAGES} 页")
    parts, total = [], 0
    for i, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        total += len(text)
        if total > MAX_TEXT_BYTES:
            raise _too_long(path, f"的文字超过 {MAX_TEXT_BYTES // (1024 * 1024)} MB")
        if text.strip():
            parts.append((f"第{i}页", text))
    return parts
