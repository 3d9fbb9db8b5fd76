"""The personal-number gate: the last look at a built site before it is published.

The checker reads the clerk's files and the templates mask every value, but a
page, a template, the engine or the search indexer can still put a number
together that no check saw: digits split by markup become one number in the
HTML text or the search index, a file name lands in a CSV, an attachment is
copied as it is. So after the engine has built a site, every text-bearing file
of the output is read with the same detector as the checker
(`records.privacy.scan`) and any hit stops the publish, naming the file and
the context (masked).

What is read: HTML and XML (sitemaps, feeds, SVG) as a reader sees them — text
of each block and each table cell (with its column header), attribute values —
JSON (each string, with its key as the header; HTML inside strings is read as
HTML), CSV (each cell with its column header), plain text, gzip-compressed
copies of these (sitemap.xml.gz, search fragments), and the text of office
documents and PDFs when the attachment reader is available. Numbers the
village declared public are read from the rendered folder (`PUBLIC_NUMBERS_FILE`
beside mkdocs.yml), so the build stays a pure function of that folder. A number
that evidence cleared where its context is known (a 编码 column of a page) is
cleared in the files that lost the context (the search index).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..records.privacy import KIND_LABELS, Found, Scan, mask_text, scan
from .stamps import GATE_RECORD, NOT_PUBLISHED

__all__ = ["GATE_RECORD", "PUBLIC_NUMBERS_FILE", "Leak", "leak_message", "read_public_numbers", "scan_file", "scan_site",
           "write_public_numbers"]

PUBLIC_NUMBERS_FILE = "public-numbers.json"   # beside mkdocs.yml, outside docs/: never published

_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".svg", ".rss", ".atom", ".json", ".webmanifest", ".csv", ".txt",
                  ".md", ".tsv", ".ics", ".vcf", ".pf_fragment", ".pf_meta", ".pf_index", ".pf_filter"}
_DOC_SUFFIXES = {".xlsx", ".docx", ".pdf"}
# Theme code and fonts: ours or Material's, not clerk data (and full of long numbers).
_SKIP_SUFFIXES = {".js", ".css", ".map", ".woff", ".woff2", ".ttf", ".png", ".jpg", ".jpeg", ".webp", ".gif",
                  ".ico", ".wasm"}
_SKIP_ATTRS = frozenset({"class", "style", "integrity", "nonce", "id", "for", "aria-labelledby", "aria-describedby",
                         "width", "height", "viewbox", "d", "points", "transform", "x", "y", "x1", "x2", "y1", "y2",
                         "cx", "cy", "r", "rx", "ry"})
_BLOCKS = frozenset("address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption "
                    "figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol option p pre section "
                    "summary table tbody tfoot thead title tr ul script style noscript svg text g url loc lastmod "
                    "item entry channel feed".split())
_CELLS = frozenset({"td", "th"})


@dataclass(frozen=True)
class Leak:
    file: str       # relative to the site
    kind: str
    context: str    # the text around the number, masked
    digits: str = ""

    def format(self) -> str:
        return f"{self.file}: {KIND_LABELS[self.kind]} “{self.context}”"


def write_public_numbers(render_dir: Path, numbers: frozenset[str]) -> None:
    """Record the village's public numbers beside its mkdocs.yml for the gate."""
    path = Path(render_dir) / PUBLIC_NUMBERS_FILE
    text = json.dumps(sorted(numbers), ensure_ascii=False)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def read_public_numbers(render_dir: Path) -> frozenset[str]:
    try:
        data = json.loads((Path(render_dir) / PUBLIC_NUMBERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(str(n) for n in data if isinstance(n, str | int))


def leak_message(leaks: list[Leak], limit: int = 12) -> str:
    lines = [f"发布前检查发现 {len(leaks)} 处未遮盖的个人号码（身份证号、手机号或银行卡号），本次不发布，"
             "已发布的网站保持不变。请在记录或附件中遮盖这些号码后重新生成；"
             "若号码本来可以公开，请在 village.yml 或该记录的 public_numbers 中写明号码和理由。"]
    lines += [f"  {leak.format()}" for leak in leaks[:limit]]
    if len(leaks) > limit:
        lines.append(f"  ……另有 {len(leaks) - limit} 处")
    return "\n".join(lines)


# ---------------------------------------------------------------- reading one file

class _Text:
    """HTML or XML → (text, header) parts the way a reader sees them: one part per
    block or table cell (with its column's header), one per attribute value."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []
        self.buffer: list[str] = []
        self.headers: list[str] = []
        self.column = -1
        self.cell: str | None = None

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if text.strip():
            header = ""
            if self.cell == "td" and 0 <= self.column < len(self.headers):
                header = self.headers[self.column]
            self.parts.append((text, header))
            if self.cell == "th":
                while len(self.headers) <= self.column:
                    self.headers.append("")
                self.headers[self.column] = text.strip()

    def start(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.buffer.append("\n")
        elif tag in _CELLS:
            self.flush()
            self.column += 1
            self.cell = tag
        elif tag == "tr":
            self.flush()
            self.column = -1
        elif tag == "table":
            self.flush()
            self.headers = []
        elif tag in _BLOCKS:
            self.flush()
        meta_policy = tag == "meta" and any(k.lower() == "http-equiv" for k in attrs)
        for name, value in attrs.items():
            if value and name.lower() not in _SKIP_ATTRS and not meta_policy:
                self.parts.append((value, ""))

    def end(self, tag: str) -> None:
        if tag in _CELLS:
            self.flush()
            self.cell = None
        elif tag in _BLOCKS or tag == "tr":
            self.flush()

    def walk(self, root: Any) -> None:
        """Depth first over the tree libxml2 made, text and tails in reading order
        (a comment or processing instruction adds nothing but its tail)."""
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, closing = stack.pop()
            tag = node.tag if isinstance(node.tag, str) else None
            if closing:
                if tag is not None:
                    self.end(tag.lower())
                if node.tail:
                    self.buffer.append(node.tail)
                continue
            stack.append((node, True))
            if tag is None:
                continue
            self.start(tag.lower(), node.attrib)
            if node.text:
                self.buffer.append(node.text)
            stack.extend((child, False) for child in reversed(node))


_HTML = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=False, default_doctype=False)


def _html_parts(text: str) -> list[tuple[str, str]]:
    # libxml2's parser in C: the pure-Python html.parser made this gate cost as much
    # as the engine's build. What it cannot parse is read as one block of text.
    try:
        root = etree.fromstring(text.encode("utf-8"), _HTML)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return [(text, "")] if text.strip() else []
    reader = _Text()
    reader.walk(root)
    reader.flush()
    return reader.parts


_LOOKS_HTML = re.compile(r"<[A-Za-z/!]")


def _json_parts(data: Any, key: str = "") -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(data, key)]
    while stack:
        value, key = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, str(k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, key) for v in value)
        elif isinstance(value, str):
            parts.extend(_html_parts(value) if _LOOKS_HTML.search(value) else [(value, key)])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            parts.append((str(value), key))
    return parts


def _csv_parts(text: str) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = rows[0]
    parts = [(cell, "") for cell in header]
    for row in rows[1:]:
        parts.extend((cell, header[i] if i < len(header) else "") for i, cell in enumerate(row))
    return parts


_MAX_GUNZIP = 64 * 1024 * 1024


def _decode(raw: bytes) -> str:
    if raw[:2] == b"\x1f\x8b":
        try:   # bounded: a small file must not expand without limit
            raw = zlib.decompressobj(wbits=31).decompress(raw, _MAX_GUNZIP)
        except zlib.error:
            pass   # not gzip after all: read the bytes as they are
    return raw.decode("utf-8", errors="replace")


def _parts_of_text(name: str, text: str) -> list[tuple[str, str]]:
    suffix = Path(name.removesuffix(".gz")).suffix.lower()
    if suffix in (".json", ".webmanifest", ".pf_fragment", ".pf_meta"):
        body = text.removeprefix("pagefind_dcd")
        try:
            return _json_parts(json.loads(body))
        except ValueError:
            return [(body, "")]
    if suffix in (".csv", ".tsv"):
        return _csv_parts(text)
    if suffix in (".html", ".htm", ".xml", ".svg", ".rss", ".atom"):
        return _html_parts(text)
    return [(text, "")]


def _document_parts(path: Path, rel: str) -> list[tuple[str, str]]:
    """Text of an office document or PDF, read as the checker reads attachments."""
    from ..records.attachments import KINDS, Attachment, AttachmentError

    kind = KINDS.get(path.suffix.lower(), "")
    if not kind:
        return []
    try:
        parts = Attachment(rel, path, kind, path.stat().st_size).text_parts()
    except (AttachmentError, OSError):
        return []   # unreadable: the check refuses such an attachment before any build
    return [(text, "") for _where, text in parts]


def _text_bearing(rel: str) -> bool:
    """Whether the gate reads a built file of this name (theme code, fonts and
    images are not clerk data)."""
    name = rel.lower()
    suffix = Path(name.removesuffix(".gz")).suffix
    if suffix in _SKIP_SUFFIXES:
        return False
    return suffix in _DOC_SUFFIXES or suffix in _TEXT_SUFFIXES or name.endswith(".gz")


def file_parts(path: Path, rel: str, raw: bytes | None = None) -> list[tuple[str, str]]:
    """The (text, header) parts of one built file, or [] when it is not text-bearing.
    `raw`: the file's bytes when the caller has read them already."""
    if not _text_bearing(rel):
        return []
    name = rel.lower()
    if Path(name.removesuffix(".gz")).suffix in _DOC_SUFFIXES:
        return _document_parts(path, rel)
    return _parts_of_text(name, _decode(path.read_bytes() if raw is None else raw))


def _context(text: str, found: Found, width: int = 16) -> str:
    # the neighbours are masked before they are cut, so no other number shows either
    before = mask_text(text[:found.start])[-width:]
    after = mask_text(text[found.end:])[:width]
    return " ".join(f"{before}{found.masked}{after}".split())


def scan_file(path: Path, rel: str, allowed: frozenset[str], seen: dict[tuple[str, str], Scan] | None = None,
              raw: bytes | None = None) -> tuple[list[tuple[Leak, str]], set[str]]:
    """Hits of one file as (leak, digits), and the numbers evidence cleared in it.
    `seen` keeps the scan of each (text, header) already read in this site: the
    theme's header and footer, column labels and category names repeat on every
    page, and the same text under the same header always reads the same."""
    hits: list[tuple[Leak, str]] = []
    cleared: set[str] = set()
    for text, header in file_parts(path, rel, raw):
        result = seen.get((text, header)) if seen is not None else None
        if result is None:
            result = scan(text, allowed, header)
            if seen is not None:
                seen[(text, header)] = result
        cleared |= result.cleared
        hits.extend((Leak(rel, f.kind, _context(text, f), f.digits), f.digits) for f in result.found)
    return hits, cleared


def _reader_digest(allowed: frozenset[str]) -> str:
    """What a file's reading depends on besides its bytes: the reader's code, the
    libraries that parse HTML and documents, and the village's public numbers."""
    from importlib.metadata import PackageNotFoundError, version

    from ..records import attachments, privacy

    digest = hashlib.sha256()
    for module in (privacy, attachments):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    for package in ("lxml", "openpyxl", "defusedxml", "pypdf"):
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?".encode())
    digest.update(str(etree.LIBXML_VERSION).encode())
    digest.update("\0".join(sorted(allowed)).encode())
    return digest.hexdigest()


def _known_readings(folder: Path | None, reader: str) -> dict[str, Any]:
    """The readings a previous scan of this site recorded (see scan_site), when
    they were made by the same reader with the same public numbers."""
    if folder is None:
        return {}
    try:
        record = json.loads((Path(folder) / GATE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("reader") != reader or not isinstance(record.get("files"), dict):
        return {}
    return record["files"]


def scan_site(site_dir: Path, allowed: frozenset[str] = frozenset(), known: Path | None = None,
              record: bool = False) -> list[Leak]:
    """Every personal number left in a built site (empty when it may be published).

    `record`: when nothing is left, write what was read in each file (its digest,
    its hits and the numbers evidence cleared there) to GATE_RECORD at the site's
    root. `known`: a folder holding such a record from an earlier build of the
    same site; a file with the same bytes there is not read again (a rebuild after
    one changed amount reads a few dozen files instead of a thousand)."""
    site_dir = Path(site_dir)
    reader = _reader_digest(allowed)
    previous = _known_readings(known, reader)
    readings: dict[str, list[Any]] = {}
    hits: list[tuple[Leak, str]] = []
    cleared: set[str] = set()
    seen: dict[tuple[str, str], Scan] = {}
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel.split("/", 1)[0] in NOT_PUBLISHED or not _text_bearing(rel):
            continue   # kept for the next build and never published, or not clerk data
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        old = previous.get(rel)
        if isinstance(old, list) and len(old) == 3 and old[0] == digest:
            file_hits = [(Leak(rel, kind, context, digits), digits) for kind, context, digits in old[1]]
            file_cleared = set(old[2])
        else:
            file_hits, file_cleared = scan_file(path, rel, allowed, seen, raw)
        readings[rel] = [digest, [[leak.kind, leak.context, leak.digits] for leak, _ in file_hits],
                         sorted(file_cleared)]
        hits.extend(file_hits)
        cleared |= file_cleared
    # Only the search index loses a number's context (words are split from their
    # labels): there a number that evidence cleared in a page is cleared too. A
    # hit in a page, CSV or JSON stands on its own context.
    leaks = [leak for leak, digits in hits if digits not in cleared or not _contextless(leak.file)]
    if record and not leaks:
        (site_dir / GATE_RECORD).write_text(json.dumps({"reader": reader, "files": readings},
                                                       ensure_ascii=False), encoding="utf-8")
    return leaks


def _contextless(rel: str) -> bool:
    return rel.startswith(("pagefind/", "search/"))
