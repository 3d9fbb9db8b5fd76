"""Pages from templates: one Jinja environment for every page cunwu writes.

Pages are Markdown with some HTML, so a value printed into one must be safe in
both languages. The environment makes that the default instead of a habit:
every `{{ value }}` goes through `printed()`, which masks personal numbers and
escapes HTML and Markdown (`markup.cell`), unless the value is already
`Markup` — and `Markup` is made only in `cunwu.site.markup`, from values it
has sanitised. A template that forgets a filter prints text, never markup.

Filters for the other contexts a value can land in:
  `masked` personal numbers masked, nothing escaped: for a value to be cut
           (`|masked|truncate(n)|html`), so that no half number survives;
  `html`   inside raw HTML (a `<p>` block, an attribute): masked and HTML-escaped,
           no Markdown escapes (Markdown does not read inside HTML blocks);
  `href`   a link target cunwu computed (a page of the site): percent-encoded;
  `clerk`  a clerk's Markdown body: rendered and cleaned by nh3, as a block;
  `clerk_href` a link target a clerk wrote: masked, or None when it is not a
           plain web or site address (the template then prints it as text);
  `front_matter` a value for a page's front matter (`title:`), which Material
           prints unescaped: masked, HTML-escaped once, as a YAML string;
  `money`, `percent`, `zh_date`, `zh_month`: how amounts, rates and dates are
           written on pages.
Templates receive `allowed`, the village's public numbers (never masked).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..records.money import amount_text
from . import markup
from .bytecode import TEMPLATE_CACHE
from .dates import zh_date, zh_month


def _allowed(context: Context) -> frozenset[str]:
    allowed = context.get("allowed")
    return allowed if isinstance(allowed, frozenset) else frozenset()


@pass_context
def printed(context: Context, value: Any) -> Markup:
    """What `{{ value }}` prints: Markup as it is, anything else as escaped text."""
    if isinstance(value, Markup):
        return value
    return markup.cell(value, _allowed(context))


@pass_context
def _html(context: Context, value: Any) -> Markup:
    return markup.html_text(value, _allowed(context))


@pass_context
def _masked(context: Context, value: Any) -> str:
    # Before `truncate`: a number cut in half is no longer recognised as one.
    return markup.plain(value, _allowed(context))


@pass_context
def _clerk(context: Context, value: Any, css_class: str = "cw-text") -> Markup:
    return markup.html_block(value or "", _allowed(context), css_class)


@pass_context
def _front_matter(context: Context, value: Any) -> Markup:
    return markup.front_matter_value(value, _allowed(context))


@pass_context
def _clerk_href(context: Context, value: Any) -> Markup | None:
    return markup.clerk_href(value, _allowed(context))


def _percent(value: Decimal) -> str:
    # Decimal's own rounding: a float would round 12.25 and 12.35 differently.
    return f"{value:.1f}%"


@cache
def environment(package: str) -> Environment:
    """The environment for the templates in `package`'s `templates/` folder,
    with the shared macros of `cunwu.site` available as `_macros.md.j2`."""
    from jinja2 import ChoiceLoader

    loader = ChoiceLoader([PackageLoader(package, "templates"), PackageLoader("cunwu.site", "templates")])
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, finalize=printed,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=TEMPLATE_CACHE)
    env.filters.update(html=_html, masked=_masked, href=markup.href, clerk=_clerk, clerk_href=_clerk_href,
                       front_matter=_front_matter, money=amount_text,
                       percent=_percent, zh_date=zh_date, zh_month=zh_month)
    return env


def render(package: str, template: str, **values: Any) -> str:
    """Fill `template` from `package`'s templates with `values` (pass `allowed`
    for a village's public numbers)."""
    return environment(package).get_template(template).render(**values)
