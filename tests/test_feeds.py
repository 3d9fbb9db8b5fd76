"""Atom feeds: each village's and the county's parse as Atom, list the newest
postings first, link with absolute addresses when county.yml gives site_url
(relative ones otherwise), and every page links its feed."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import yaml

from cunwu.records.check import check_path
from cunwu.site.pages import render_village
from cunwu.site.postings import village_postings

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(feed: Path) -> list[tuple[datetime, str, str]]:
    root = ET.parse(feed).getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}title") is not None
    out = []
    for entry in root.findall(f"{ATOM}entry"):
        updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link")
        assert link is not None
        out.append((updated, link.get("href") or "", entry.findtext(f"{ATOM}title") or ""))
    return out


def test_village_and_county_feeds_newest_first_with_absolute_links(demo_site: Path):
    base = str(yaml.safe_load((ROOT / "villages" / "county.yml").read_text("utf-8"))["site_url"]).rstrip("/")
    county, _ = check_path(ROOT / "villages")
    newest_overall = date.min
    for village in county.villages:
        got = entries(demo_site / village.slug / "feed.xml")
        assert got, village.slug
        days = [u for u, _, _ in got]
        assert days == sorted(days, reverse=True)
        newest = village_postings(village, date(2026, 11, 21))[0]
        assert got[0][0].date() == newest.day
        newest_overall = max(newest_overall, newest.day)
        for _, href, _ in got:
            assert href.startswith(f"{base}/{village.slug}/") and href.endswith(".html")
            assert (demo_site / href[len(base) + 1:]).is_file(), href
        # the pages say where the feed is
        for page in ("index.html", "finance/index.html"):
            html = (demo_site / village.slug / page).read_text("utf-8")
            assert 'rel="alternate" type="application/atom+xml"' in html
            assert 'feed.xml"' in html
    got = entries(demo_site / "feed.xml")
    days = [u for u, _, _ in got]
    assert days == sorted(days, reverse=True) and days[0].date() == newest_overall
    assert {href.split("/")[3] for _, href, _ in got} <= {v.slug for v in county.villages}
    assert all(href.startswith(base + "/") for _, href, _ in got)
    assert 'type="application/atom+xml"' in (demo_site / "index.html").read_text("utf-8")


def test_without_site_url_links_are_relative_and_text_is_masked(tmp_path: Path):
    root = tmp_path / "county"
    shutil.copytree(GOOD, root)
    notice = root / "qingshi" / "notices" / "2024-04-低保公示.md"
    text = notice.read_text("utf-8")
    notice.write_text(text.replace("title: ", "title: 13812345678 ", 1), "utf-8")
    county, _ = check_path(root)
    out = tmp_path / "render"
    render_village(ROOT, county.villages[0], date(2024, 12, 31), out, tmp_path / "site")
    feed = out / "docs" / "feed.xml"
    got = entries(feed)
    assert got and all(not href.startswith(("http:", "https:", "/")) for _, href, _ in got)
    assert all((out / "docs" / href.replace(".html", ".md")).is_file() for _, href, _ in got)
    assert "13812345678" not in feed.read_text("utf-8")
    days = [u for u, _, _ in got]
    assert days == sorted(days, reverse=True)
