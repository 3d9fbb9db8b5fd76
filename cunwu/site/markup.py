"""Turning clerk-written text into safe page content.

Clerks write plain text or Markdown. It is converted to HTML here and cleaned
with nh3 so that nothing a clerk types can run script or load anything from
outside the site; identifiers that slipped past the checker are masked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import quote

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
_LOCAL_URL = re.compile(r"^(?![a-z][a-z0-9+.-]*:|//)", re.I)   # no scheme, not protocol-relative


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    # An <img> from another host would be a request leaving the site.
    if tag == "img" and attr == "src" and not _LOCAL_URL.match(value.strip()):
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


# A clerk's address becomes a link only if it is a web page or a path of the
# site and holds nothing that would end a Markdown link or break out of it.
_CLERK_URL = re.compile(r"^(https?://|[^:]+$)")
_CLERK_URL_BREAKS = re.compile(r"[\s()<>\"'\[\]\\]")


def clerk_href(url: object, allowed_numbers: frozenset[str] = frozenset()) -> Markup | None:
    """A link target a clerk wrote (a document of a decision): masked, and only
    when it is safe as written; None when it must be shown as text instead."""
    target = plain(url, allowed_numbers).strip()
    if target and _CLERK_URL.match(target) and not _CLERK_URL_BREAKS.search(target):
        return Markup(target)
    return None


def table(columns: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A Markdown table; `align` has one letter per column: l, r or c."""
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    head = "| " + " | ".join(columns) + " |"
    rule = "| " + " | ".join(marks.get(a, "---") for a in align.ljust(len(columns), "l")) + " |"
    body = ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"
