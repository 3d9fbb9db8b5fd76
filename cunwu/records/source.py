"""Reading a clerk's file: bytes → text → YAML data that remembers its lines.

Nothing here raises on bad input: each problem becomes a SourceError carrying
the line and rule id, and the caller turns it into a diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 5 * 1024 * 1024  # a month's ledger is a few KB; 5 MB is surely a mistake
MAX_NODES = 200_000               # bounds the work one file can cause
MAX_DEPTH = 64                    # nesting levels; records need about 6 (deeper recursion crashed)

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
    with path.open("rb") as handle:   # read at most one byte more than the limit
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        size = max(len(raw), path.stat().st_size)
        raise SourceError(1, "file.too-large",
                          f"文件有 {size // 1024} KB，太大了（上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。"
                          "请检查是否把别的文件放错了位置。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw.count(b"\x00") > len(raw) // 8:
            guess = "看起来是 UTF-16（Unicode）编码"
        elif _decodes(raw, "gbk"):
            guess = "看起来是 GBK 编码"
        else:
            guess = "可能是别的编码，或者根本不是文本文件（如图片、Word 或 Excel 文件）"
        raise SourceError(line, "file.encoding",
                          f"文件不是 UTF-8 编码（{guess}），第 {line} 行有无法识别的字节。"
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

    depth = 0
    nodes = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SourceError(event.start_mark.line + 1, "yaml.alias",
                              "不支持 YAML 的引用写法（* 和 &）。请把内容直接写出来。")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise SourceError(event.start_mark.line + 1, "yaml.alias",
                              "不支持 YAML 的锚点写法（&名称）。请删去 & 及其后的名称。")
        self.nodes += 1  # counted while composing, so a huge file stops here, not after building it all
        if self.nodes > MAX_NODES:
            raise SourceError(event.start_mark.line + 1, "file.too-large",
                              "文件内容条目过多，超出上限。请拆分文件或检查是否粘贴错了内容。")
        if self.depth >= MAX_DEPTH:
            raise SourceError(event.start_mark.line + 1, "file.too-large",
                              f"内容嵌套超过 {MAX_DEPTH} 层，不是正常的记录。请检查括号 [ ] {{ }} 是否配对、缩进是否正确。")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_NESTING = re.compile(r"[\[{]{8}|^ {128}", re.M)


# Characters libyaml and PyYAML count differently as line breaks (or a stray BOM):
# such text takes the careful loader so that line numbers stay its own.
_ODD_BREAKS = re.compile("[\ufeff\x85\u2028\u2029]|\r(?!\n)")


def _compose_fast(text: str):
    """Compose with libyaml (about 15 times faster than the pure-Python parser) when
    the text cannot hold what only the careful loader handles: anchors and aliases
    (& and *), or deep nesting. Anything unusual - an error included - returns None
    and the careful loader parses again, so messages are always its own."""
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None or "&" in text or "*" in text or _ODD_BREAKS.search(text) or _NESTING.search(text):
        return None
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return node if node is not None and _within_limits(node) else None


def _within_limits(root: yaml.Node) -> bool:
    """Depth and node count of a composed tree, walked without recursion: libyaml
    composes nesting like `- - - … x` that the careful loader refuses (and that
    would overflow the recursion of _to_data)."""
    stack, count = [(root, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            return False
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return True


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Source:
    """Parse YAML text into plain data; scalars stay strings (types are decided by the
    schema, so `voucher: 001` keeps its zeros and amounts keep their exact digits)."""
    try:
        node = _compose_fast(text)
        if node is None:
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
    except SourceError as exc:
        exc.line += line_offset
        raise
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 + line_offset
        code = exc.character if isinstance(exc.character, int) else 0
        raise SourceError(line, "yaml.syntax",
                          f"第 {line} 行有看不见的控制字符（U+{code:04X}），可能是从别处复制时带进来的。"
                          "请删去这个字符后保存。") from None
    except yaml.MarkedYAMLError as exc:
        # The start of an unfinished key or quote is where the clerk must look,
        # not the later point where the parser gave up.
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.context or "").startswith(
                ("while scanning a simple key", "while scanning a quoted scalar",
                 "while parsing a flow")):
            mark = exc.context_mark
        mark_line = min(mark.line, text.count("\n")) if mark else 0
        mark_line, hint = _culprit(text, mark_line)
        line = mark_line + 1 + line_offset
        col = (mark.column + 1) if mark and mark.line == mark_line else None
        place = f"第 {line} 行第 {col} 列" if col else f"第 {line} 行"
        raise SourceError(line, "yaml.syntax",
                          f"{place}格式有误（{hint or _explain(exc)}）。"
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


_KEY_CN_COLON = re.compile(r"^\s*(?:- )?[A-Za-z_][A-Za-z0-9_-]*\s*：")
_KEY_NO_SPACE = re.compile(r"^\s*(?:- )?[A-Za-z_][A-Za-z0-9_-]*:[^\s/]")


def _culprit(text: str, line: int) -> tuple[int, str]:
    """A key written with a Chinese colon or without the space after its colon
    makes the parser fail a line or two later: point at that key instead."""
    lines = text.split("\n")
    for i in range(min(line, len(lines) - 1), max(line - 2, 0) - 1, -1):
        if _KEY_CN_COLON.match(lines[i]):
            return i, "用了中文冒号“：”，请改成英文冒号加一个空格“: ”"
        if _KEY_NO_SPACE.match(lines[i]):
            return i, "冒号后面少了一个空格"
    return line, ""


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "").strip()
    context = (exc.context or "").strip()
    known = {
        "mapping values are not allowed here": "这里不能出现冒号，若内容里有冒号请给整段加上英文引号",
        "could not find expected ':'": "缺少冒号，或冒号后没有空格",
        "found character '\\t' that cannot start any token": "用了 Tab 键缩进，请改用空格",
        "expected <block end>, but found '-'": "列表项“-”缩进不对",
        "expected <block end>": "缩进没对齐，同一层的项目要左边对齐",
        "found undefined tag handle": "不认识的“!”标记",
        "but found another document": ".yml 文件中间不能有 --- 分隔线，请删去这一行",
        "found unexpected end of stream": "引号没有配对，缺少结尾的引号",
        "expected the node content": "内容不完整，括号或引号没有配对",
        "expected '<document start>'": "以 % 开头的行后面必须有一行 ---；村务记录不需要 % 开头的行，请删去",
        "found unknown escape character": "双引号里的反斜杠“\\”写法不对，请改用单引号括起来",
        "expected ',' or ']'": "方括号 [ ] 没有配对，或其中各项之间少了英文逗号",
        "expected ',' or '}'": "花括号 { } 没有配对，或其中各项之间少了英文逗号",
        "that cannot start any token": "值不能以 @ ` % 等符号开头，请给整段加上英文引号",
        "expected alphabetic or numeric character": "值不能以 * 或 & 开头，请给整段加上英文引号",
    }
    for en, zh in known.items():
        if en in problem:
            return zh
    if context.startswith(("while scanning an alias", "while scanning an anchor")):
        return "值不能以 * 或 & 开头，请给整段加上英文引号"
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
            _refuse_surrogates(key, key_line)
            if key in out:
                raise SourceError(key_line, "yaml.duplicate-key",
                                  f"“{key}”写了两次（第 {src.lines[loc + (key,)]} 行已有）。请删去多余的一个。")
            src.lines[loc + (key,)] = key_line
            out[key] = _to_data(value_node, loc + (key,), src, offset, counter)
            src.lines[loc + (key,)] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, loc + (i,), src, offset, counter) for i, item in enumerate(node.value)]
    # What is left is a scalar: PyYAML composes only mapping, sequence and scalar nodes.
    assert isinstance(node, yaml.ScalarNode)
    _refuse_surrogates(node.value, line)
    # Scalar: keep the text; only an unquoted empty / null becomes None
    # (plain style is None from PyYAML's parser, "" from libyaml's).
    if not node.style and node.tag == "tag:yaml.org,2002:null":
        return None
    # A block scalar (| or >) starts on the line after its indicator.
    src.scalars.append((line + 1 if node.style in ("|", ">") else line, node.value))
    return node.value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(text: str, line: int) -> None:
    """"\\ud800" in double quotes yields a lone surrogate, which cannot be printed or saved."""
    if not text.isascii() and _SURROGATE.search(text):
        raise SourceError(line, "yaml.syntax",
                          f"第 {line} 行引号里用反斜杠转义写出了无效的字符。请直接写出文字，不要用反斜杠转义。")


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split `---` front matter from a Markdown body.
    Returns (yaml_text, body, body_start_line)."""
    # Split on "\n" only, as editors count lines (str.splitlines also breaks at \f, \x1c, U+2028 …).
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(1, "file.front-matter",
                          "文件第一行必须是三个减号 ---，信息写在两行 --- 之间，正文写在后面。请对照模板修改。")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(line + "\n" for line in lines[1:i]), "\n".join(lines[i + 1:]), i + 2
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
