"""The gate reads a built file the way a reader sees it (cunwu/site/gate.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cunwu.site.gate import file_parts, scan_file

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
