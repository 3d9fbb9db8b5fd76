"""Property tests: whatever a clerk's file contains, `check` reports, never raises.

Each example writes one mangled file into a fresh copy of the valid county in
tests/fixtures/good and checks the county: no exception may escape, and every
diagnostic must be a known rule with a line inside the file and a Chinese
message free of Python internals.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cunwu.records.check import RULES, check_path
from cunwu.records.diagnostics import Report

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
FILES = sorted(p.relative_to(GOOD).as_posix() for p in GOOD.rglob("*") if p.is_file())
CJK = re.compile(r"[\u4e00-\u9fff]")
JUNK = ("Traceback", "pydantic", "ValidationError", "input_value", "input_type", "errors.pydantic.dev", "<class")
# Every character that PyYAML or an editor may count as the end of a line.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def county_with(rel: str, content: bytes):
    with tempfile.TemporaryDirectory(prefix="cunwu-prop-") as tmp:
        root = Path(tmp) / "county"
        shutil.copytree(GOOD, root)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        yield root, path


def check_never_raises(rel: str, content: bytes) -> Report:
    with county_with(rel, content) as (root, path):
        _, report = check_path(root)  # must not raise
        assert isinstance(report, Report)
        text = content.decode("utf-8", "replace")
        lines = len(LINE_BREAKS.findall(text)) + 1
        for d in report.items:
            assert d.rule in RULES, d
            assert d.severity in ("error", "warning"), d
            assert CJK.search(d.message), d
            for junk in JUNK:
                assert junk not in d.message, d
            assert d.line >= 1, d
            if Path(d.file).resolve() == path.resolve():
                assert d.line <= lines, (d, lines)
        return report


# ---------------------------------------------------------------- (a) mangled text

UNICODE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),                      # anything, including controls and surrogates-free
        st.sampled_from(list(":：-#&*!|>'\"[]{},%@`\t\n\r \x00\x0c\x85\u2028\ufeff　")),
        st.sampled_from(list("0123456789.")),
    ),
    max_size=12,
)

MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("insert"), st.integers(0, 100_000), UNICODE),
    st.tuples(st.just("truncate"), st.integers(0, 100_000)),
    st.tuples(st.just("indent"), st.integers(0, 10_000), st.integers(-4, 4)),
    st.tuples(st.just("digit"), st.integers(0, 100_000), st.sampled_from(list("0123456789-.,"))),
)


def mangle(text: str, mutations: list[tuple]) -> str:
    for op, *args in mutations:
        lines = text.split("\n")
        if op == "delete":
            del lines[args[0] % len(lines)]
        elif op == "duplicate":
            i = args[0] % len(lines)
            lines.insert(i, lines[i])
        elif op == "swap":
            i, j = args[0] % len(lines), args[1] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            i = args[0] % len(lines)
            lines[i] = " " * args[1] + lines[i] if args[1] >= 0 else lines[i][-args[1]:]
        if op in ("delete", "duplicate", "swap", "indent"):
            text = "\n".join(lines)
        elif op == "insert":
            pos = args[0] % (len(text) + 1)
            text = text[:pos] + args[1] + text[pos:]
        elif op == "truncate":
            text = text[: args[0] % (len(text) + 1)]
        elif op == "digit":
            digits = [m.start() for m in re.finditer(r"\d", text)]
            if digits:
                pos = digits[args[0] % len(digits)]
                text = text[:pos] + args[1] + text[pos + 1:]
    return text


@settings(max_examples=200, **SETTINGS)
@given(rel=st.sampled_from(FILES), mutations=st.lists(MUTATION, min_size=1, max_size=5))
def test_mangled_records_never_raise(rel, mutations):
    text = mangle((GOOD / rel).read_text("utf-8"), mutations)
    check_never_raises(rel, text.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------- (b) random bytes

TARGETS = FILES + ["qingshi/ledgers/2024-04.yml", "qingshi/notices/2024-08-新公示.md"]


@settings(max_examples=80, **SETTINGS)
@given(rel=st.sampled_from(TARGETS), content=st.binary(max_size=2000))
def test_random_bytes_never_raise(rel, content):
    check_never_raises(rel, content)


@settings(max_examples=80, **SETTINGS)
@given(rel=st.sampled_from(TARGETS),
       head=st.sampled_from([b"", b"---\n", b"\xef\xbb\xbf", b"\xff\xfe", b"month: 2024-04\n"]),
       content=st.binary(max_size=500))
def test_prefixed_random_bytes_never_raise(rel, head, content):
    check_never_raises(rel, head + content)


# ---------------------------------------------------------------- (c) random YAML structures

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.dates().map(str),
    st.sampled_from(["2024-02-30", "2024/03/05", "1,200.00", "12.345", "120元", "2/3", "0", "-1", "9" * 40,
                     "称职", "不称职", "党支部提议", "村民代表会议决议", "村民会议决议", "管理费用", "政务", "已完成",
                     "430124198001011231", "13812345678", "6217000012345678907", "~", "", " "]),
)
KEYS = st.one_of(
    st.sampled_from(["month", "opening_balance", "closing_balance", "posted", "review", "by", "date", "entries",
                     "voucher", "summary", "category", "amount", "title", "status", "steps", "step", "meeting",
                     "members", "present", "for", "against", "abstain", "households", "households_present",
                     "kind", "versions", "version", "adopted", "filed", "text", "powers", "name", "year",
                     "cadres", "participants", "votes", "verdict", "column", "start", "end", "table", "columns",
                     "rows", "objections", "code", "township", "townships", "contact", "roster", "term",
                     "policy", "representatives_quorum", "notice_min_days"]),
    st.text(max_size=10),
)
STRUCTURES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=6)), max_leaves=40)


def dump(rel: str, data) -> bytes:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=None, sort_keys=False)
    if rel.endswith(".md"):
        text = f"---\n{text}---\n正文。\n"
    return text.encode("utf-8")


@settings(max_examples=120, **SETTINGS)
@given(rel=st.sampled_from(TARGETS), data=STRUCTURES)
def test_random_structures_never_raise(rel, data):
    check_never_raises(rel, dump(rel, data))


# ---------------------------------------------------------------- (d) valid records with one part replaced

def _load(rel: str):
    text = (GOOD / rel).read_text("utf-8")
    if rel.endswith(".md"):
        text = text.split("---\n")[1]
    return yaml.safe_load(text)


RECORDS = {rel: _load(rel) for rel in FILES}


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, prefix + (i,))


def _replace(data, path, value):
    if not path:
        return value
    data = data.copy()
    data[path[0]] = _replace(data[path[0]], path[1:], value)
    return data


@settings(max_examples=150, **SETTINGS)
@given(rel=st.sampled_from(FILES), pick=st.integers(0, 10_000), value=STRUCTURES,
       delete=st.booleans())
def test_records_with_one_part_replaced_never_raise(rel, pick, value, delete):
    data = RECORDS[rel]
    paths = list(_paths(data))
    path = paths[pick % len(paths)]
    if delete and path:  # drop the picked key or item
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        if isinstance(parent, dict):
            smaller = {k: v for k, v in parent.items() if k != path[-1]}
        else:
            smaller = [v for i, v in enumerate(parent) if i != path[-1]]
        changed = _replace(data, path[:-1], smaller)
    else:
        changed = _replace(data, path, value)
    check_never_raises(rel, dump(rel, changed))
