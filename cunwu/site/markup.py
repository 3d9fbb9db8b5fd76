"""Turning clerk-written text into safe page content.

Clerks write plain text or Markdown. It is converted to HTML here and cleaned
with nh3 so that nothing a clerk types can run script or load anything from
outside the site; identifiers that slipped past the checker are masked.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Sequence
from urllib.parse import quote, unquote

import markdown
import nh3
from markupsafe import Markup

from ..records.privacy import mask_text

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small",
    "ul", "ol", "li", "blockquote", "code", "pre", "hr", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "img", "span", "div", "dl", "dt", "dd",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
                  "th": {"align"}, "td": {"align"}, "ol": {"start"}}


# ---------------------------------------------------------------- addresses a clerk wrote
#
# A browser decodes entities in an attribute, ignores tabs and newlines inside
# a URL, strips leading control characters and reads "\\" as "/" before it
# looks at the scheme, so "javascript&#58;alert(1)", "&#x6a;avascript:",
# "java\tscript:" and "\\\\host" are all scripts or other hosts to it. An
# address is therefore judged after entities (and percent-escapes) are decoded
# until nothing changes, and anything a browser would rewrite is refused
# instead of guessed at.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
# Control characters, whitespace of any script, backslashes, and the bidi and
# zero-width marks that make an address read differently from what it is.
_REFUSED_IN_URL = re.compile(r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f"
                             r"\u3000\ufeff\\\\]")
# Record pages (decisions/…, notices/…, rules/…, evaluations/…) sit one folder
# below the site root; a relative address is resolved from there.
_PAGE_FOLDER = "page"


def _decoded(url: str) -> str:
    """Entities and percent-escapes decoded until nothing changes (bounded:
    each round must shorten the text, so a few rounds always suffice)."""
    for _ in range(8):
        decoded = unquote(html.unescape(url))
        if decoded == url:
            return url
        url = decoded
    return url


def safe_url(url: str, *, images: bool = False) -> bool:
    """True when `url` may be a link target (or, with images=True, an image
    source) on a village page: http(s), mailto: or tel: — for images only a
    relative path — or a relative address that stays inside the site.
    Protocol-relative (//host), absolute paths, backslashes and control or
    invisible characters are refused, whatever their spelling."""
    raw = url.strip()
    target = _decoded(raw)
    if not target or _REFUSED_IN_URL.search(raw) or _REFUSED_IN_URL.search(target):
        return False
    scheme = _SCHEME.match(target)
    if scheme:
        name = scheme.group(1).lower()
        if images or name not in SAFE_SCHEMES:
            return False
        return name not in ("http", "https") or bool(re.match(r"^https?://[^/?#@]+", target, re.I))
    if target.startswith("/") or ":" in target.split("/", 1)[0]:
        return False   # //host, /absolute, or a colon a browser might read as a scheme
    path = re.split(r"[?#]", target, maxsplit=1)[0]
    return not posixpath.normpath(posixpath.join(_PAGE_FOLDER, path or ".")).startswith("..")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    # nh3 hands over the decoded value. A link goes only where safe_url allows;
    # an <img> only to a file of the site (another host would be a request
    # leaving the site).
    if (tag, attr) == ("a", "href") and not safe_url(value):
        return None
    if (tag, attr) == ("img", "src") and not safe_url(value, images=True):
        return None
    return value


def clerk_html(text: str, allowed_numbers: frozenset[str] = frozenset()) -> str:
    """Markdown from a clerk → sanitised HTML. Single line breaks are kept as breaks,
    the way a clerk who types on a notice board expects."""
    text = mask_text(text or "", allowed_numbers)
    rendered = markdown.markdown(text, extensions=["tables", "nl2br", "sane_lists"])
    return nh3.clean(rendered, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto", "tel"},
                     attribute_filter=_filter_attribute, link_rel="noopener noreferrer")


def html_block(text: str, allowed_numbers: frozenset[str] = frozenset(), css_class: str = "cw-text") -> Markup:
    """A block to drop into a generated Markdown page (blank lines around it)."""
    body = clerk_html(text, allowed_numbers)
    return Markup(f'\n<div class="{html.escape(css_class)}">\n{body}\n</div>\n\n')


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def plain(value: object, allowed_numbers: frozenset[str] = frozenset()) -> str:
    """A value for an open data file (CSV, JSON): masked, not escaped."""
    return mask_text("" if value is None else str(value), allowed_numbers)


def cell(value: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup:
    """A value as one Markdown table cell or inline text: masked, escaped, on one line."""
    text = html.escape(" ".join(plain(value, allowed_numbers).split()), quote=False)
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def html_text(value: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup:
    """A value inside raw HTML (an element's text or an attribute): masked and
    escaped for HTML. Markdown does not read inside HTML blocks, so no Markdown escapes."""
    return Markup(html.escape(plain(value, allowed_numbers), quote=True))


# Characters that have no place in a title: C0/C1 controls (a terminal escape
# such as "\x1b]0;…\x07" among them), the bidi overrides and what YAML cannot hold.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def material_text(value: object, allowed_numbers: frozenset[str] = frozenset()) -> str:
    """A value that Material prints without escaping — config.site_name,
    config.copyright, config.site_description, page.meta.title and nav titles
    land raw in <title>, the header, the footer and <meta content="…">: masked,
    on one line, without control characters, and HTML-escaped exactly once
    (quotes too, for the attribute). Every such value passes through here on
    its way into a derived mkdocs.yml or a page's front matter, and nothing
    else writes those values."""
    return html.escape(plain_line(value, allowed_numbers), quote=True)


def plain_line(value: object, allowed_numbers: frozenset[str] = frozenset()) -> str:
    """A value for a text format cunwu writes itself (a feed, a chart label):
    masked, on one line, without control characters (XML refuses them)."""
    return _CONTROLS.sub("", " ".join(plain(value, allowed_numbers).split()))


def front_matter_value(value: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup:
    """`material_text` as a YAML scalar for a page's front matter (a JSON string
    is a YAML double-quoted scalar: no tag, anchor or flow syntax can start)."""
    return Markup(json.dumps(material_text(value, allowed_numbers), ensure_ascii=False))


def attr(value: object) -> Markup:
    """A value for an HTML attribute in generated markup."""
    return Markup(html.escape(str(value), quote=True))


def href(path: object) -> Markup:
    """A link target that cunwu computed (a page or file of the site, never a
    clerk's URL): percent-encoded so that neither Markdown nor HTML reads into it."""
    return Markup(quote(str(path), safe="/#.-_~?=&"))


def link(text: object, path: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup:
    """A Markdown link to a page or file of the site that cunwu computed."""
    return Markup(f"[{cell(text, allowed_numbers)}]({href(path)})")


# A clerk's address becomes a link only if safe_url allows it and it holds
# nothing that would end a Markdown link or break out of it.
_CLERK_URL_BREAKS = re.compile(r"[\s()<>\"'\[\]\\`]")


def clerk_href(url: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup | None:
    """A link target a clerk wrote (a document of a decision): masked, and only
    when it is safe once decoded (`safe_url`) and needs no escaping in a
    Markdown link; None when it must be shown as text instead. What the clerk
    wrote is what the browser follows: "&" is printed as "&amp;", so nothing is
    left for the browser to decode into a different address."""
    target = plain(url, allowed_numbers).strip()
    if not safe_url(target) or _CLERK_URL_BREAKS.search(target):
        return None
    return Markup(html.escape(target, quote=True))


def table(columns: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A Markdown table; `align` has one letter per column: l, r or c."""
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    head = "| " + " | ".join(columns) + " |"
    rule = "| " + " | ".join(marks.get(a, "---") for a in align.ljust(len(columns), "l")) + " |"
    body = ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"


# ------------------------------------------------------------ tables on phones

# A Markdown table: a header row, the rule under it, then its rows.
_TABLE_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
# An amount as amount_text writes it (1,234.50), alone in its cell, maybe bold.
_AMOUNT_CELL = re.compile(r"^(\*\*)?(-?\d{1,3}(?:,\d{3})*\.\d{2})(\*\*)?$")


def _cells(line: str) -> list[str]:
    parts = _CELL_SPLIT.split(line.strip())
    return [p.strip() for p in parts[1:-1]] if len(parts) > 2 else []


def _amount_class(label: str) -> str:
    """收/支 by the column's header, so that colour is never the only sign."""
    if "支出" in label or label == "支":
        return "cw-amt cw-amt--out"
    if "收入" in label or label == "收":
        return "cw-amt cw-amt--in"
    return "cw-amt"


def _phone_cell(value: str, label: str, show_label: bool) -> str:
    m = _AMOUNT_CELL.match(value)
    if m:
        value = (f'{m.group(1) or ""}<span class="{_amount_class(label)}" data-amount>{m.group(2)}</span>'
                 f'{m.group(3) or ""}')
    if not show_label or not value or not label:
        return value
    # The column's name in front of the value; shown only where the table is
    # laid out as cards (cunwu.css), and never indexed by search.
    return f'<span class="cw-l" data-pagefind-ignore>{label}</span> {value}'


def phone_tables(text: str) -> str:
    """A rendered Markdown page whose tables also read on a 360 px phone.

    Every amount alone in a cell is marked (`<span class="cw-amt" data-amount>`,
    with --in/--out for income and expense columns); each cell of a table of
    three or more columns gets its column's name in front (`.cw-l`) and the
    table a `<div class="cw-cards" markdown>` around it. Under 480 px cunwu.css
    turns such a table into one card a row (its first cell the card's title,
    then "label value" lines), so that no amount and no label is off the
    screen; wider screens keep the real table and hide the labels. The text
    added is fixed markup and the header's own (already escaped) text, so this
    is safe on the output of the escaping templates; no JavaScript is needed."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (line.startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1])
                and (head := _cells(line))):
            j = i + 2
            rows = []
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(lines[j])
                j += 1
            cards = len(head) >= 3
            body = []
            for row in rows:
                cells = _cells(row)
                if not cells:
                    body.append(row)
                    continue
                # The first cell is the card's title; two-column tables fit as they are.
                labelled = [_phone_cell(v, head[k] if k < len(head) else "", cards and k > 0)
                            for k, v in enumerate(cells)]
                body.append("| " + " | ".join(labelled) + " |")
            block = [line, lines[i + 1], *body]
            if cards:
                block = ['<div class="cw-cards" markdown>', "", *block, "", "</div>"]
                if out and out[-1].strip():
                    out.append("")
                if j < len(lines) and lines[j].strip():
                    block.append("")
            out += block
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def tel_href(value: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup | None:
    """A contact number as a tel: target (the village office's, printed in the
    contact table): only when masking left it whole, so that a masked personal
    number never becomes something to dial. Ledger amounts and dates are never
    passed here (and format-detection stays off for them)."""
    text = plain(value, allowed_numbers)
    if text != str(value):    # masked: not a number to dial
        return None
    digits = re.sub(r"[\s()（）-]", "", text)
    if not re.fullmatch(r"\+?[0-9]{5,15}", digits):
        return None
    return Markup(html.escape("tel:" + digits, quote=True))
