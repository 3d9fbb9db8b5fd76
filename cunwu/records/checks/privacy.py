"""Privacy rule: no unmasked ID, mobile or bank card number in any file a
village publishes, in scalars and in Markdown bodies alike."""

from __future__ import annotations

from ..diagnostics import Report
from ..privacy import find_identifiers
from ..source import Source


def check_privacy(src: Source, allowed: frozenset[str], report: Report) -> None:
    texts = list(src.scalars)
    texts += [(src.body_line + n, line) for n, line in enumerate(src.body.split("\n"))]
    for line, text in texts:
        for found in find_identifiers(text, allowed):
            report.error(src.path, line + found_line_offset(text, found.start), f"privacy.{found.kind}",
                         f"这里有未遮盖的{found.label}“{found.text}”，不得公开。请改成遮盖后的形式"
                         f"“{found.masked}”，或删去。")


def found_line_offset(text: str, index: int) -> int:
    """Lines into a multi-line scalar (block text) where a match starts."""
    return text.count("\n", 0, index)
