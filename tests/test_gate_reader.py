"""The gate reads a built file the way a reader sees it (cunwu/site/gate.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cunwu.site import gate
from cunwu.site.gate import GATE_RECORD, file_parts, scan_file, scan_site

MOBILE = "13800138000"


@pytest.mark.parametrize("html", [
    "<p>电话 138<span>0013</span>8000</p>",
    "<p>电话 138<!-- x -->0013<?pi x?>8000</p>",
    "<p>电话 138<b>00<i>13</i></b> 8000</p>",
    f"<div><img alt='电话 {MOBILE}'></div>",
    f"<p title='{MOBILE}'>x</p>",
    f"<script>var t = '{MOBILE}';</script>",
    f"<table><tr><th>手机</th></tr><tr><td>{MOBILE}</td></tr></table>",
    f"<p>电话<br>{MOBILE[:3]}<br>{MOBILE[3:]}</p>",
    "<p>电话 &#49;3800138000</p>",
    f"<<<p>电话 {MOBILE}",                      # broken markup
    f"电话 {MOBILE}",                          # no markup at all
])
def test_every_placement_in_html_is_found(tmp_path: Path, html: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    hits, _ = scan_file(page, "page.html", frozenset())
    assert [leak.kind for leak, _ in hits] == ["mobile"], file_parts(page, "page.html")


def test_cells_keep_their_column_header(tmp_path: Path) -> None:
    page = tmp_path / "t.html"
    page.write_text("<table><thead><tr><th>编码</th><th>名称</th></tr></thead>"
                    "<tbody><tr><td>1234</td><td>村部</td></tr></tbody></table>", encoding="utf-8")
    assert ("1234", "编码") in file_parts(page, "t.html")
    assert ("村部", "名称") in file_parts(page, "t.html")


def test_separate_cells_are_not_joined(tmp_path: Path) -> None:
    page = tmp_path / "t.html"
    page.write_text(f"<table><tr><td>{MOBILE[:5]}</td><td>{MOBILE[5:]}</td></tr></table>", encoding="utf-8")
    assert scan_file(page, "t.html", frozenset())[0] == []


def test_gzip_xml_and_an_empty_file(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml.gz"
    sitemap.write_bytes(gzip.compress(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset><url><loc>https://a/{MOBILE}.html</loc></url></urlset>'
        .encode()))
    assert [leak.kind for leak, _ in scan_file(sitemap, "sitemap.xml.gz", frozenset())[0]] == ["mobile"]
    empty = tmp_path / "empty.html"
    empty.write_text("", encoding="utf-8")
    assert file_parts(empty, "empty.html") == []


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record of a clean scan lets the next scan of the same site skip files
    whose bytes it read; what those files held (hits, numbers cleared by their
    context) still counts."""
    old, new = tmp_path / "old", tmp_path / "new"
    for site in (old, new):
        (site / "pagefind").mkdir(parents=True)
        # a code in a 编码 column: cleared there, and so in the search index that lost the column
        (site / "codes.html").write_text(f"<table><tr><th>编码</th></tr><tr><td>{MOBILE}</td></tr></table>",
                                         encoding="utf-8")
        (site / "pagefind" / "words.pf_meta").write_text(f'{{"w": "{MOBILE}"}}', encoding="utf-8")
        (site / "same.html").write_text("<p>村部</p>", encoding="utf-8")
    assert scan_site(old, record=True) == []
    assert (old / GATE_RECORD).is_file()

    read: list[str] = []
    real = gate.scan_file
    monkeypatch.setattr(gate, "scan_file", lambda path, rel, *a: (read.append(rel), real(path, rel, *a))[1])
    (new / "month.html").write_text("<p>本月收入 1,200.00 元</p>", encoding="utf-8")
    assert scan_site(new, known=old, record=True) == []
    assert read == ["month.html"]

    # The page that cleared the code loses it: the unchanged index's hit now stands.
    read.clear()
    (new / "codes.html").write_text("<p>村部</p>", encoding="utf-8")
    leaks = scan_site(new, known=old)
    assert read == ["codes.html", "month.html"]
    assert [(leak.file, leak.kind) for leak in leaks] == [("pagefind/words.pf_meta", "mobile")]

    # Other public numbers, or a record the reader did not write: every file is read.
    read.clear()
    scan_site(new, frozenset({"13900139000"}), known=old)
    assert len(read) == 4
    read.clear()
    (old / GATE_RECORD).write_text('{"reader": "x", "files": {}}', encoding="utf-8")
    scan_site(new, known=old)
    assert len(read) == 4
