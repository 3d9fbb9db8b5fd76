"""Shrink what Material's search plugin leaves in a built site.

Material for MkDocs 9 writes ``search/search_index.json`` as::

    {"config": {"lang": [...], "separator": "...", "pipeline": [...],
                "fields": {...}},
     "docs": [{"location": "page.html#id", "title": "...", "text": "...",
               "tags": [...]?, "boost": n?}, ...]}

and the browser worker builds the lunr index from it on every page load (the
plugin has no prebuilt index: ``prebuild_index`` is an "Unsupported option"
there). What the worker relies on, read from its sources (``search.*.min.js``
and its source map):

- ``config.lang`` picks the lunr language scripts it imports, ``separator`` is
  the tokenizer regex (for theme.language zh: ``[\\s\\u200b\\u3000\\-、。，．？！；]+``),
  ``pipeline`` and ``fields`` configure lunr. They are kept as they are.
- ``location`` is the document ref; the first entry of a page (no ``#``) must
  stay first, later ``#`` entries hang under it as sections.
- ``title`` and ``text`` are HTML: the result list inserts them with
  ``innerHTML``. The plugin escapes ``&``, ``<`` and ``>``; that escaping is
  kept. Its tokenizer splits ``text`` at tags, and every top-level element
  (``<p>``, ``<ul>``, ...) is one "block": a search result shows at most the
  two blocks that matched. With every tag removed a section would be a single
  block and its whole text would appear under each result, so by default each
  top-level block survives as a bare ``<p>…</p>``; inner tags go, list items
  are joined with ``<br/>`` (the worker skips self-closing tags).
- With jieba installed the plugin surrounds Chinese words with U+200B
  (zero-width space), which the separator splits on. A U+200B next to
  whitespace, another separator character, a tag or the ends of the string
  changes no token and is removed; the others are kept.

What the compaction does: write UTF-8 instead of ``\\uXXXX`` escapes (about half
the size for Chinese), compact separators, the tag flattening and U+200B
trimming above, and dropping entries that cannot match anything (no title and
no text) plus empty sections that only repeat the previous heading.

:func:`prune_unused_assets` removes files Material copies into every site that
no page of a cunwu site loads: the lunr language packs the index's
``config.lang`` does not need and the source maps (``*.map``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

__all__ = ["compact_search_index", "compact_index_data", "prune_unused_assets"]

INDEX_PATH = Path("search") / "search_index.json"

# Characters of Material's zh separator besides whitespace and U+200B; used
# when the index's own separator cannot be read as a simple character class.
_DEFAULT_SEPARATOR_CHARS = "\u3000-、。，．？！；"

# Tags Material's search parser keeps in title/text (plugin.py, Parser.keep).
_BLOCK_TAGS = {"p", "pre", "ul", "ol", "li"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\s*(/?)>")


def compact_search_index(site_dir: Path, *, keep_blocks: bool = True) -> tuple[int, int]:
    """Rewrite ``site_dir/search/search_index.json`` in compact form.

    Returns ``(bytes_before, bytes_after)``. A site without a search index
    returns ``(0, 0)``. The file is replaced atomically; the result is valid
    JSON in Material's schema. ``keep_blocks=False`` removes every tag from
    ``text`` (smaller, but each result then shows its whole section).
    """
    path = Path(site_dir) / INDEX_PATH
    if not path.is_file():
        return (0, 0)
    raw = path.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    compact_index_data(data, keep_blocks=keep_blocks)
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(out)
    os.replace(tmp, path)
    return (len(raw), len(out))


def compact_index_data(data: dict, *, keep_blocks: bool = True) -> dict:
    """Compact a loaded search index in place (and return it)."""
    config = data.get("config") or {}
    sep_chars = _separator_chars(config.get("separator"))
    docs = data.get("docs") or []

    _fold_tags(docs)
    kept: list[dict] = []
    page_of_prev = None
    title_prev = None
    for entry in docs:
        if not isinstance(entry, dict) or "location" not in entry:
            continue
        location = str(entry["location"])
        title = _compact_inline(str(entry.get("title") or ""), sep_chars)
        text = _compact_text(str(entry.get("text") or ""), sep_chars, keep_blocks)
        entry["title"] = title
        entry["text"] = text

        page = location.split("#", 1)[0]
        is_section = "#" in location
        if is_section and not text and not entry.get("tags"):
            # Nothing to find, or only the heading right above said again.
            if not _has_content(title, sep_chars) or (
                page == page_of_prev and title == title_prev
            ):
                continue
        elif not is_section and not _has_content(title, sep_chars) and not text:
            # A page entry is the parent of its sections: drop it only when
            # no section of the same page follows.
            if not any(
                str(d.get("location", "")).split("#", 1)[0] == page
                for d in docs
                if isinstance(d, dict) and d is not entry and "#" in str(d.get("location", ""))
            ):
                continue
        kept.append(entry)
        page_of_prev, title_prev = page, title

    data["docs"] = kept
    return data


def _fold_tags(docs: list) -> None:
    """cunwu puts search synonyms (修路 for a page about 道路硬化) in page tags.
    Material copies them onto every section and boosts tags a thousand times
    above titles, which would rank a page that merely mentions a road above
    the decision titled with it. Keep them once per page, as ordinary text."""
    for entry in docs:
        if not isinstance(entry, dict):
            continue
        tags = entry.pop("tags", None)
        if not tags or "#" in str(entry.get("location", "")):
            continue
        known = str(entry.get("title", "")) + str(entry.get("text", ""))
        extra = [str(t) for t in tags if str(t) not in known]
        if extra:
            entry["text"] = (str(entry.get("text") or "") + " " + " ".join(extra)).strip()


def prune_unused_assets(site_dir: Path) -> int:
    """Delete Material assets a cunwu site never loads; return bytes freed.

    - ``assets/javascripts/lunr/**``: the worker imports
      ``lunr/min/lunr.stemmer.support.min.js`` and ``lunr.<lang>.min.js`` only
      for languages other than ``en`` listed in the index's ``config.lang``,
      ``lunr.multi.min.js`` for several languages, ``tinyseg.js`` for ``ja``
      and ``wordcut.js`` for ``hi``/``th``. Everything else goes (with
      theme.language zh the list is ``["en"]``: the whole folder goes).
    - ``*.map`` source maps under ``assets/`` (only developer tools read them).
    - the theme's own stylesheets that this site's pages do not link (every
      site shares theme/, so village sites receive the portal's stylesheet).
    """
    site = Path(site_dir)
    freed = 0
    needed = _needed_lunr_files(site)
    lunr_dir = site / "assets" / "javascripts" / "lunr"
    if lunr_dir.is_dir():
        for path in sorted(lunr_dir.rglob("*"), reverse=True):
            rel = path.relative_to(lunr_dir).as_posix()
            if path.is_file() and rel not in needed:
                freed += path.stat().st_size
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(lunr_dir.iterdir()):
            lunr_dir.rmdir()
    assets = site / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*.map")):
            if path.is_file():
                freed += path.stat().st_size
                path.unlink()
        home = site / "index.html"
        linked = home.read_text(encoding="utf-8") if home.is_file() else ""
        for path in sorted(assets.glob("cunwu*.css")):
            if f"assets/{path.name}" not in linked:
                freed += path.stat().st_size
                path.unlink()
    return freed


# --------------------------------------------------------------------- helpers


def _needed_lunr_files(site: Path) -> set[str]:
    path = site / INDEX_PATH
    langs = ["en"]
    if path.is_file():
        try:
            config = json.loads(path.read_text(encoding="utf-8")).get("config") or {}
            langs = [str(x) for x in (config.get("lang") or ["en"])]
        except (ValueError, AttributeError):
            # Unknown index: keep every language pack rather than guess.
            return {
                p.relative_to(site / "assets/javascripts/lunr").as_posix()
                for p in (site / "assets/javascripts/lunr").rglob("*")
                if p.is_file()
            }
    needed: set[str] = set()
    for lang in langs:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def _separator_chars(separator: object) -> str:
    """Literal characters of a ``[...]+`` separator class (besides \\s, \\u200b)."""
    if not isinstance(separator, str):
        return _DEFAULT_SEPARATOR_CHARS
    match = re.fullmatch(r"\[(.*)\]\+?", separator)
    if not match:
        return ""
    body = match.group(1)
    chars = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
                chars.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            if nxt in "sSdDwWbB":  # classes: \s handled separately, others unsupported
                i += 2
                continue
            chars.append(nxt)
            i += 2
            continue
        if c in "^" and i == 0:
            return ""  # negated class: do not guess
        if c == "-" and chars and i + 1 < len(body):
            return ""  # a range: do not guess
        chars.append(c)
        i += 1
    return "".join(ch for ch in chars if ch not in "\u200b")


def _is_sep(ch: str, sep_chars: str) -> bool:
    return ch.isspace() or ch == "\u200b" or ch in sep_chars


def _has_content(value: str, sep_chars: str) -> bool:
    plain = _TAG.sub("", value)
    return any(not _is_sep(ch, sep_chars) for ch in plain)


def _trim_zwsp(value: str, sep_chars: str) -> str:
    """Drop U+200B where it separates nothing: next to whitespace, a separator
    character, a tag bracket, or at either end."""
    if "\u200b" not in value:
        return value.strip()
    out: list[str] = []
    n = len(value)
    for i, ch in enumerate(value):
        if ch == "\u200b":
            # Find the nearest non-ZWSP neighbours on both sides.
            j = i - 1
            while j >= 0 and value[j] == "\u200b":
                j -= 1
            k = i + 1
            while k < n and value[k] == "\u200b":
                k += 1
            left = value[j] if j >= 0 else ""
            right = value[k] if k < n else ""
            if (
                not left
                or not right
                or left == ">"
                or right == "<"
                or _is_sep(left, sep_chars)
                or _is_sep(right, sep_chars)
                or (out and out[-1] == "\u200b")
            ):
                continue
        out.append(ch)
    return "".join(out).strip()


def _join_inline(parts: list[str], sep_chars: str) -> str:
    """Concatenate text pieces that were separated by a removed inline tag,
    putting an invisible separator (U+200B) between them only if needed."""
    out = ""
    for piece in parts:
        if out and piece and not _is_sep(out[-1], sep_chars) and not _is_sep(piece[0], sep_chars):
            out += "\u200b"
        out += piece
    return out


def _collapse_ws(value: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", value)


def _compact_inline(value: str, sep_chars: str) -> str:
    """Titles: no tags at all, whitespace collapsed, U+200B trimmed."""
    pieces = _TAG.split(value)
    # split() yields text, slash, name, selfclose, text, ...
    texts = pieces[0::4]
    return _trim_zwsp(_collapse_ws(_join_inline(texts, sep_chars)), sep_chars)


def _compact_text(value: str, sep_chars: str, keep_blocks: bool) -> str:
    if not keep_blocks:
        return _compact_inline(value, sep_chars)

    out: list[str] = []          # finished output pieces
    block: list[str] = []        # pieces of the current top-level block
    depth = 0
    pos = 0
    pending_break = False        # a <br/> is due before the next text in block

    def emit_text(text: str) -> None:
        nonlocal pending_break
        if not text:
            return
        if depth == 0:
            out.append(text)
            return
        if pending_break:
            if text.strip() and any(p.strip() for p in block):
                block.append("<br/>")
                pending_break = False
            elif not text.strip():
                return
            else:
                pending_break = False
        block.append(text)

    for match in _TAG.finditer(value):
        emit_text(value[pos : match.start()])
        pos = match.end()
        closing, name, selfclose = match.group(1), match.group(2).lower(), match.group(3)
        if selfclose:
            if name == "br" and depth > 0:
                pending_break = True   # our own <br/> from an earlier pass
            continue
        if not closing:
            if depth == 0:
                block = []
                pending_break = False
            elif name in _BLOCK_TAGS:
                pending_break = True
            depth += 1
        else:
            if depth == 0:
                continue  # stray closing tag: ignore
            depth -= 1
            if depth == 0:
                inner = _finish_block(block, sep_chars)
                if inner:
                    out.append("<p>" + inner + "</p>")
                else:
                    out.append(" ")
                block = []
            elif name in _BLOCK_TAGS:
                pending_break = True
    emit_text(value[pos:])
    if depth > 0 and block:  # unbalanced input: keep the text
        inner = _finish_block(block, sep_chars)
        if inner:
            out.append("<p>" + inner + "</p>")

    result = _collapse_ws(_join_inline(out, sep_chars))
    result = re.sub(r" ?(</?p>) ?", r"\1", result)
    return _trim_zwsp(result, sep_chars)


def _finish_block(block: list[str], sep_chars: str) -> str:
    # Pieces inside a block were separated by inline tags (code, sub, sup)
    # or by <br/> markers for block-level children.
    pieces: list[str] = []
    run: list[str] = []
    for piece in block:
        if piece == "<br/>":
            pieces.append(_join_inline(run, sep_chars).strip())
            run = []
        else:
            run.append(piece)
    pieces.append(_join_inline(run, sep_chars).strip())
    pieces = [_collapse_ws(p).strip() for p in pieces]
    return "<br/>".join(p for p in pieces if p)
