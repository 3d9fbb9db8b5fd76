"""Limits on clerk text that becomes Markdown: no input may make the build slow
beyond its size or crash it.

Python-Markdown, which renders every body and text field, has two weak spots
(measured in scripts/bench_limits.py): an opening `[` without its link closes
is retried from every later `[` of the same block, so time grows with the
square of their number (12,000 of them took a minute); and lists or quotes
nested a few hundred deep overflow its recursion (a RecursionError in the build
and in `cunwu serve`). Bounding the size of a text, the nesting depth of a
line and the brackets of one block keeps the work linear in the text's length.
"""

from __future__ import annotations

import re

from ..diagnostics import Report
from ..source import Source

MAX_BODY_CHARS = 100_000     # a decision or notice body: about 50 printed pages
MAX_FIELD_CHARS = 50_000     # one field (a rule's full text, a report)
MAX_DEPTH = 16               # list and quote levels of one line; records need three or four
MAX_BRACKETS = 100           # [ in one paragraph or table

# One nesting level: a quote marker, or a list marker (-, *, +, 1. or 1)) followed by a space.
_LEVEL = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_BLOCKS = re.compile(r"\n[ \t]*\n")


def depth(line: str) -> int:
    """List and quote levels that open on a line, counting indentation as the
    engine does (each two spaces may open a nested list)."""
    levels, pos, indent = 0, 0, 0
    while True:
        m = _LEVEL.match(line, pos)
        if not m:
            break
        marker = m.group().lstrip(" \t")
        indent += len(m.group().expandtabs(4)) - len(marker)
        levels += 1
        pos = m.end()
    return levels + indent // 2 if levels else 0


def check_markdown(text: str, first_line: int, limit: int, what: str) -> list[tuple[int, str, str]]:
    """Problems of one Markdown text as (line, rule, message)."""
    problems: list[tuple[int, str, str]] = []
    if len(text) > limit:
        problems.append((first_line, "text.too-long",
                         f"{what}有 {len(text)} 个字，超过上限 {limit} 个字。请精简，或把全文另存为 PDF 放进 files 文件夹，"
                         "在这里写摘要并附上链接。"))
        return problems   # the other limits would only repeat the same cause
    # the first line over the limit: where the clerk starts fixing
    deep = next(((i, d) for i, d in enumerate(map(depth, text.split("\n"))) if d > MAX_DEPTH), None)
    if deep is not None:
        line = first_line + deep[0]
        problems.append((line, "text.nesting",
                         f"{what}第 {line} 行的列表或引用嵌套了 {deep[1]} 层，超过上限 {MAX_DEPTH} 层。"
                         "请减少行首的空格、“-”和“>”，一般不超过三层。"))
    offset = 0
    for block in _BLOCKS.split(text):
        count = block.count("[")
        if count > MAX_BRACKETS:
            line = first_line + text.count("\n", 0, text.find(block, offset))
            problems.append((line, "text.brackets",
                             f"{what}从第 {line} 行起的一段里有 {count} 个方括号“[”，超过上限 {MAX_BRACKETS} 个。"
                             "方括号用来写链接，请删去多余的方括号，或用空行把这一段分开。"))
            break
        offset += len(block)
    return problems


def check_text_limits(src: Source, report: Report) -> None:
    """The Markdown body of a decision or notice, and every text field of a file."""
    found = []
    if src.body:
        found += check_markdown(src.body, src.body_line, MAX_BODY_CHARS, "正文")
    for line, value in src.scalars:
        found += check_markdown(value, line, MAX_FIELD_CHARS, "这一项内容")
    for line, rule, message in found:
        report.error(src.path, line, rule, message)
