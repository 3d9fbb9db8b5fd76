"""Reading a clerk's file: bytes → text → YAML data that remembers its lines.

Nothing here raises on bad input: each problem becomes a SourceError carrying
the line and rule id, and the caller turns it into a diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 5 * 1024 * 1024  # a month's ledger is a few KB; 5 MB is surely a mistake
MAX_NODES = 200_000               # bounds the work one file can cause

Path_ = tuple  # a path into the data: ("entries", 3, "amount")


class SourceError(Exception):
    def __init__(self, line: int, rule: str, message: str) -> None:
        super().__init__(message)
        self.line, self.rule, self.message = line, rule, message


@dataclass
class Source:
    """One parsed file: its data, the line of every key and item, and the Markdown body."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1          # file line where the Markdown body starts
    scalars: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of every value

    def line(self, *loc: Any) -> int:
        """The line of the closest known ancestor of a data path."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(1, "file.too-large",
                          f"文件有 {len(raw) // 1024} KB，太大了（上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。"
                          "请检查是否把别的文件放错了位置。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = "GBK" if _decodes(raw, "gbk") else "未知"
        raise SourceError(line, "file.encoding",
                          f"文件不是 UTF-8 编码（看起来是 {guess} 编码），第 {line} 行有无法识别的字节。"
                          "请用记事本或 WPS 打开，选择“另存为”，编码选 UTF-8 后保存。") from None
    if "\x00" in text:
        raise SourceError(text[: text.index("\x00")].count("\n") + 1, "file.encoding",
                          "文件里有空字符，可能是 UTF-16 编码或不是文本文件。请另存为 UTF-8 编码的文本文件。")
    if not text.strip():
        raise SourceError(1, "file.empty", "文件是空的。请按模板填写内容，或删除这个文件。")
    return text


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases: clerks never need them, and
    aliases are how a tiny file expands into billions of nodes (alias bomb)."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SourceError(event.start_mark.line + 1, "yaml.alias",
                              "不支持 YAML 的引用写法（* 和 &）。请把内容直接写出来。")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise SourceError(event.start_mark.line + 1, "yaml.alias",
                              "不支持 YAML 的锚点写法（&名称）。请删去 & 及其后的名称。")
        return super().compose_node(parent, index)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Source:
    """Parse YAML text into plain data; scalars stay strings (types are decided by the
    schema, so `voucher: 001` keeps its zeros and amounts keep their exact digits)."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except SourceError as exc:
        exc.line += line_offset
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        col = (mark.column + 1) if mark else 1
        raise SourceError(line, "yaml.syntax",
                          f"第 {line} 行第 {col} 列格式有误（{_explain(exc)}）。"
                          "常见原因：冒号后少了空格、缩进没对齐、用了中文冒号“：”或 Tab 键。") from None
    except yaml.YAMLError as exc:
        raise SourceError(1 + line_offset, "yaml.syntax", f"无法读取文件（{exc}）。请对照模板检查格式。") from None
    if node is None:
        raise SourceError(1 + line_offset, "file.empty", "文件里没有内容（只有注释）。请按模板填写。")
    src = Source(path=path, data=None)
    counter = [0]
    src.data = _to_data(node, (), src, line_offset, counter)
    src.lines.setdefault((), node.start_mark.line + 1 + line_offset)
    return src


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "").strip()
    known = {
        "mapping values are not allowed here": "这里不能出现冒号，若内容里有冒号请给整段加上英文引号",
        "could not find expected ':'": "缺少冒号，或冒号后没有空格",
        "found character '\\t' that cannot start any token": "用了 Tab 键缩进，请改用空格",
        "expected <block end>, but found '-'": "列表项“-”缩进不对",
        "found undefined tag handle": "不认识的“!”标记",
    }
    for en, zh in known.items():
        if en in problem:
            return zh
    return problem or "格式错误"


def _to_data(node: yaml.Node, loc: tuple, src: Source, offset: int, counter: list[int]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise SourceError(node.start_mark.line + 1 + offset, "file.too-large",
                          "文件内容条目过多，超出上限。请拆分文件或检查是否粘贴错了内容。")
    line = node.start_mark.line + 1 + offset
    src.lines.setdefault(loc, line)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(key_node.start_mark.line + 1 + offset, "yaml.syntax",
                                  "项目名称只能是简单的文字。请对照模板检查格式。")
            key = key_node.value
            key_line = key_node.start_mark.line + 1 + offset
            if key in out:
                raise SourceError(key_line, "yaml.duplicate-key",
                                  f"“{key}”写了两次（第 {src.lines[loc + (key,)]} 行已有）。请删去多余的一个。")
            src.lines[loc + (key,)] = key_line
            out[key] = _to_data(value_node, loc + (key,), src, offset, counter)
            src.lines[loc + (key,)] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, loc + (i,), src, offset, counter) for i, item in enumerate(node.value)]
    # Scalar: keep the text; only an unquoted empty / null becomes None.
    if node.style is None and node.tag == "tag:yaml.org,2002:null":
        return None
    # A block scalar (| or >) starts on the line after its indicator.
    src.scalars.append((line + 1 if node.style in ("|", ">") else line, node.value))
    return node.value


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split `---` front matter from a Markdown body.
    Returns (yaml_text, body, body_start_line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise SourceError(1, "file.front-matter",
                          "文件第一行必须是三个减号 ---，信息写在两行 --- 之间，正文写在后面。请对照模板修改。")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    raise SourceError(1, "file.front-matter",
                      "找不到结束的 ---。信息部分要用两行 --- 上下括起来。请在信息结束处加一行 ---。")


def load_source(path: Path) -> Source:
    """Read a .yml file, or a .md file with front matter."""
    text = read_text(path)
    if path.suffix == ".md":
        front, body, body_line = split_front_matter(text)
        if not front.strip():
            raise SourceError(2, "file.empty", "两行 --- 之间没有内容。请按模板填写。")
        src = parse_yaml(front, path, line_offset=1)
        src.body, src.body_line = body, body_line
        return src
    return parse_yaml(text, path)
