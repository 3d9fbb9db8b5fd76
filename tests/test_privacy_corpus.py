"""The personal-number corpora: over a thousand identifiers in every spelling,
planted in every field kind, Markdown bodies, file names and attachments of a
real village folder, must each be reported by `cunwu check` at their file and
line, and stopped by the gate on the built output when the check is bypassed;
over five thousand look-alike numbers must be flagged at most 1 % per kind
(scripts/bench_privacy.py prints the table)."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from privacy_corpus import LINE_BREAK, SPELLINGS, Planted, false_positives, identifiers

from cunwu.records.checks import check_path
from cunwu.records.privacy import digits_of, find_identifiers
from cunwu.site import engine, markup
from cunwu.site.engine import BuildError, build_site
from cunwu.site.gate import scan_site, write_public_numbers
from cunwu.site.pages import render_village

HERE = Path(__file__).resolve().parent
GOOD = HERE / "fixtures" / "good"
PROJECT = HERE.parent
N = 1250


def test_look_alikes_are_rarely_flagged():
    corpus = false_positives()
    assert len(corpus) >= 5000
    total, flagged = Counter(), Counter()
    for item in corpus:
        total[item.kind] += 1
        flagged[item.kind] += bool(find_identifiers(item.text, header=item.header))
    assert len(total) == 8
    for kind in total:
        assert flagged[kind] <= total[kind] // 100, (kind, flagged[kind], total[kind])


def test_every_spelling_is_found():
    planted = identifiers(N)
    assert len(planted) >= 1000
    assert len({p.spelling for p in planted}) == len(SPELLINGS) + 3
    for p in planted:
        text = p.text[:len(p.text) // 2] + "\n" + p.text[len(p.text) // 2:] if p.spelling == LINE_BREAK else p.text
        found = find_identifiers(f"备注：{text}。")
        assert [f.kind for f in found] == [p.kind], (p, found)


# ---------------------------------------------------------------- a village full of them

class Planter:
    """Writes identifiers into a village's files and remembers (file, line, kind)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.expected: Counter = Counter()
        self.planted: list[Planted] = []

    def at(self, rel: str, lines: list[str] | int, p: Planted) -> None:
        """`lines`: the lines written so far (the number goes on the next one), or a line number."""
        line = lines if isinstance(lines, int) else sum(text.count("\n") + 1 for text in lines) + 1
        self.expected[(rel, line, f"privacy.{p.kind}")] += 1
        self.planted.append(p)


def _yaml(p: Planted) -> str:
    """A double-quoted YAML value; a line-break spelling continues on the next line."""
    text = p.text
    if p.spelling == LINE_BREAK:
        text = text[:6] + "\n      " + text[6:]
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _md(p: Planted) -> str:
    return p.text[:6] + "\n" + p.text[6:] if p.spelling == LINE_BREAK else p.text


def plant(root: Path) -> Planter:
    """Plant N identifiers in the good fixture's village at `root`/qingshi."""
    village = root / "qingshi"
    planter = Planter(root)
    items = iter(identifiers(N))

    # notices: table cells (flow sequences) and Markdown bodies
    for n in range(3):
        rel = f"qingshi/notices/2024-05-名单{n}.md"
        lines = ["---", f"title: 2024年第{n + 1}批临时救助公示", "column: 政务", "start: 2024-05-08",
                 "end: 2024-05-20", "posted: 2024-05-08", "objections: 有异议请向村务监督委员会反映。",
                 "table:", "  columns: [姓名, 备注]", "  rows:"]
        for i in range(100):
            p = next(items)
            planter.at(rel, lines, p)
            lines.append(f"    - [刘某红{i}, {_yaml(p)}]")
        lines.append("---")
        for _ in range(100):
            p = next(items)
            lines.append("")
            planter.at(rel, lines, p)
            lines += _md(p).split("\n")
        (root / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")

    # a ledger: summaries and counterparties (plain fields of a list of entries)
    rel = "qingshi/ledgers/2024-04.yml"
    lines = ["month: 2024-04", "opening_balance: 161450.50", "closing_balance: 161450.50", "posted: 2024-05-03",
             "entries:"]
    for i in range(200):
        p = next(items)
        lines += ["  - date: 2024-04-10", f"    voucher: 记-{i + 1:03d}"]
        field = "summary" if i % 2 == 0 else "counterparty"
        if field == "counterparty":
            lines.append("    summary: 代收代付")
        planter.at(rel, lines, p)
        lines.append(f"    {field}: {_yaml(p)}")
        if field == "summary":
            lines.append("    counterparty: 村民")
        lines += ["    category: 其他收入", "    amount: 0.00"]
    (root / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")

    # a rule's full text: a literal block scalar
    rel = "qingshi/rules/村规民约.yml"
    lines = ["title: 青石村村规民约", "kind: 村规民约", "versions:", "  - version: 2024年修订", "    adopted: 2024-05-20",
             "    posted: 2024-05-22", "    text: |"]
    for _ in range(100):
        p = next(items)
        lines.append("      第一条 联系方式：")
        planter.at(rel, lines, p)
        lines += ["      " + part for part in _md(p).split("\n")]
        lines.append("")
    (root / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")

    # a decision's body
    rel = "qingshi/decisions/2024-03-修建村道.md"
    text = (root / rel).read_text(encoding="utf-8").rstrip("\n").split("\n")
    for _ in range(100):
        p = next(items)
        text.append("")
        planter.at(rel, text, p)
        text += _md(p).split("\n")
    (root / rel).write_text("\n".join(text) + "\n", encoding="utf-8")

    # an evaluation: folded (>) reports
    rel = "qingshi/evaluations/2024.yml"
    lines = ["year: 2024", "date: 2025-01-12", "posted: 2025-01-15", "chaired_by: 赵秀英", "cadres:"]
    for i in range(100):
        p = next(items)
        lines += [f"  - name: 王建国{i}", "    role: 村委会委员", "    participants: 50",
                  "    votes: {satisfied: 44, basic: 5, unsatisfied: 1}", "    verdict: 称职", "    report: >",
                  "      述职报告，联系"]
        planter.at(rel, lines, p)
        lines += ["      " + part for part in _md(p).split("\n")]
    (root / rel).write_text("\n".join(lines) + "\n", encoding="utf-8")

    # attachments: a CSV and a text file
    (village / "files").mkdir(exist_ok=True)
    rows = ["姓名,备注"]
    for i in range(40):
        p = next(items)
        if p.spelling == LINE_BREAK or "<" in p.text:
            p = Planted(p.kind, p.digits, p.digits, "plain")
        rows.append(f"刘某红{i},{p.text}")
        planter.at("qingshi/files/救助名单.csv", len(rows), p)
    (village / "files" / "救助名单.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = []
    for _ in range(40):
        p = next(items)
        lines.append("")
        if p.spelling == LINE_BREAK:
            p = Planted(p.kind, p.digits, p.digits, "plain")
        planter.at("qingshi/files/说明.txt", lines, p)
        lines.append("联系：" + p.text)
    (village / "files" / "说明.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # file names: a notice named after a mobile
    good_notice = (GOOD / "qingshi" / "notices" / "2024-06-党费收缴.md").read_text(encoding="utf-8")
    for _ in range(10):
        p = next(items)
        while p.kind != "mobile":
            p = next(items)
        rel = f"qingshi/notices/2024-06-联系{p.digits}.md"
        (root / rel).write_text(good_notice, encoding="utf-8")
        planter.at(rel, 1, Planted("mobile", p.digits, p.digits, "file name"))
    return planter


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Planter]:
    root = tmp_path_factory.mktemp("corpus") / "county"
    shutil.copytree(GOOD, root)
    return root, plant(root)


def test_check_reports_each_identifier_at_its_line(corpus):
    root, planter = corpus
    assert sum(planter.expected.values()) >= 1000
    _, report = check_path(root)
    got = Counter()
    for d in report.items:
        if d.rule.startswith("privacy.") and d.rule not in ("privacy.names-unmasked", "privacy.image-unscanned"):
            rel = Path(d.file).resolve().relative_to(root.resolve()).as_posix()
            got[(rel, d.line, d.rule)] += 1
    missing = planter.expected - got
    extra = got - planter.expected
    assert not missing, sorted(missing)[:20]
    assert not extra, sorted(extra)[:20]


@pytest.fixture(scope="module")
def unchecked_build(corpus, tmp_path_factory):
    """Render the planted village with the check bypassed and build it with the engine;
    every template's masking is switched off too, so the gate is all that is left."""
    root, _ = corpus
    from cunwu.records.diagnostics import Report
    from cunwu.records.load import load_village

    village = load_village(root / "qingshi", Report())
    work = tmp_path_factory.mktemp("build")
    leaks_seen: list = []

    def recording_scan(site_dir, allowed=frozenset(), **options):
        leaks = scan_site(site_dir, allowed, **options)
        leaks_seen.extend(leaks)
        return leaks

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(markup, "mask_text", lambda text, allowed=frozenset(): text)
        mp.setattr(engine, "scan_site", recording_scan)
        config = render_village(PROJECT, village, date(2024, 7, 1), work / "render", site_dir=work / "site")
        write_public_numbers(work / "render", village.public_numbers)
        with pytest.raises(BuildError) as caught:
            build_site(config, work / "site", village.name)
    return village, caught.value, leaks_seen, work


def test_gate_stops_the_publish(unchecked_build):
    village, error, leaks, work = unchecked_build
    assert error.site == village.name
    assert "未遮盖的个人号码" in error.message
    assert not (work / "site").exists()   # nothing was moved into place
    files = {leak.file for leak in leaks}
    assert any(f.endswith(".html") for f in files)
    assert any("search" in f or "pagefind" in f for f in files), sorted(files)
    assert any(f.endswith(".csv") for f in files)
    assert {leak.kind for leak in leaks} == {"id-number", "mobile", "bank-card"}
    for leak in leaks:   # the message shows masked context only
        assert not find_identifiers(leak.context)


def test_gate_finds_every_planted_identifier(unchecked_build, corpus):
    _, _, leaks, _ = unchecked_build
    seen = {leak.digits for leak in leaks}
    planted = corpus[1].planted
    found = [p for p in planted if digits_of(p.digits) in seen or p.digits in seen]
    missed = Counter(p.spelling for p in planted if p not in found)
    assert len(found) == len(planted), (len(found), len(planted), missed)
