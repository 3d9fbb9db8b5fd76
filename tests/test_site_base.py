"""The base site: mkdocs.yml + theme/ build a self-contained, phone-readable
site with working Chinese search (Pagefind, loaded when opened). Real MkDocs
builds, a real Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from cunwu.site.config import Site, write_site_config
from cunwu.site.postbuild import prune_unused_assets
from cunwu.site.search import index_site

PROJECT = Path(__file__).resolve().parents[1]
AS_OF = date(2024, 4, 1)          # the day of SOURCE_DATE_EPOCH below

PAGES = {
    "index.md": """\
# 青石村村务公开栏

[党务公开](party.md){ .cw-tile .cw-tile--party }
[村务公开](decisions/road.md){ .cw-tile .cw-tile--affairs }
[财务公开](finance/index.md){ .cw-tile .cw-tile--finance }
[政务公开](party.md){ .cw-tile .cw-tile--government }
{ .cw-board }

<div class="cw-board" markdown>

<section class="cw-column cw-column--finance" markdown>

## 财务公开

- [2024年3月收支明细](finance/2024-03.md) <span class="notice-status cw-badge cw-badge--open" id="past" data-start="2020-03-01" data-end="2020-03-07">公示中</span>
- <span class="notice-status cw-badge cw-badge--open" id="future" data-start="2999-01-01" data-end="2999-01-07">公示中</span> 明年预算

</section>

</div>

外部参考：[民政部网站](https://www.mca.gov.cn/)
""",
    "party.md": """\
# 党务公开

党支部组织生活会情况。

**已公开**{ .cw-badge .cw-badge--ok }
""",
    "finance/index.md": """\
# 财务公开

[2024年3月收支明细](2024-03.md)
""",
    "finance/2024-03.md": """\
# 2024年3月收支明细

[← 返回财务公开](index.md){ .cw-back }

本月主要支出为村道路硬化工程材料款，经民主理财小组审核后公布。

| 日期 | 摘要 | 经办人 | 审核人 | 收入（元） | 支出（元） | 余额（元） | 附件 |
|---|---|---|---|---:|---:|---:|---|
| 2024-03-02 | 村道路硬化工程水泥材料款 | 李文书 | 王主任 | | 45,000.00 | 83,000.00 | 发票3张 |
| 2024-03-05 | 上级道路建设补助资金 | 李文书 | 王主任 | 100,000.00 | | 183,000.00 | 拨款通知 |

符号测试：A&B <不是标签>
""",
    "decisions/road.md": """\
# 村道路硬化工程

村民代表会议表决通过道路硬化方案。

## 决策过程 { .cw-timeline }

1. 党支部提议
    { .cw-done }
2. 两委会商议
    { .cw-done }
3. 党员大会审议
    { .cw-current }
4. 村民代表会议决议
5. 决议公开
6. 实施结果公开

## 报账流程

<ol class="cw-flow">
<li class="cw-flow__step">经办人取得票据</li>
<li class="cw-flow__step">村务监督委员会审核</li>
<li class="cw-flow__step">镇农经站审核入账</li>
</ol>

## 附件
""",
}

NAV = [
    {"首页": "index.md"},
    {"党务公开": "party.md"},
    {"财务公开": "finance/index.md"},
    {"村务决策": "decisions/road.md"},
]


@dataclass
class Built:
    root: Path
    site: Path
    config: dict
    raw_index: bytes


def mkdocs_build(root: Path, config_file: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1711929600", NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "--config-file", str(config_file)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("base-site")
    for name, text in PAGES.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # the render stage's own derivation of a site's mkdocs.yml from the base one
    config_file = write_site_config(PROJECT, root, Site("青石村", NAV, root / "docs"), root / "site", AS_OF)
    assert config_file == root / "mkdocs.yml"
    proc = mkdocs_build(root, config_file)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = root / "site"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    return Built(root, site, config, b"")


@pytest.fixture
def site_copy(built, tmp_path) -> Path:
    """A private copy of the built site a test may change."""
    target = tmp_path / "site"
    shutil.copytree(built.site, target)
    return target


@pytest.fixture(scope="module")
def published(built, tmp_path_factory) -> Path:
    """The built site after the post-build steps the build stage runs."""
    target = tmp_path_factory.mktemp("published") / "site"
    shutil.copytree(built.site, target)
    prune_unused_assets(target)
    index_site(target)
    return target


# ---------------------------------------------------------------- config


def test_base_config_is_plain_yaml_with_the_no_network_settings():
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = config["theme"]
    assert theme["name"] == "material"
    assert theme["language"] == "zh"
    assert theme["font"] is False
    assert (PROJECT / theme["custom_dir"] / "main.html").is_file()
    assert config["use_directory_urls"] is False
    # no Material search plugin (the empty list keeps MkDocs from adding it):
    # search is Pagefind, made from the built HTML (cunwu/site/search.py)
    assert config["plugins"] == []
    for key in ("repo_url", "edit_uri"):
        assert key not in config
    assert "polyfills" not in (config.get("extra") or {})
    assert "analytics" not in (config.get("extra") or {})
    assert not [p for p in config["plugins"] if p in ("offline", "privacy", "social")]
    for path in config["extra_css"] + config["extra_javascript"]:
        assert (PROJECT / theme["custom_dir"] / path).is_file(), path


def test_site_config_is_the_base_config_with_only_this_sites_values(built):
    base = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = built.config
    assert (built.root / "mkdocs.yml").read_text(encoding="utf-8").startswith("# Generated by cunwu")
    assert config["site_name"] == "青石村村务公开"
    assert config["docs_dir"] == "docs" and Path(config["site_dir"]) == built.site
    assert config["nav"] == NAV
    assert "青石村" in config["copyright"] and "2024-04-01" in config["copyright"]
    custom_dir = Path(config["theme"]["custom_dir"])
    assert custom_dir.is_absolute() and custom_dir == (PROJECT / base["theme"]["custom_dir"]).resolve()
    assert {k: v for k, v in config["theme"].items() if k != "custom_dir"} == \
        {k: v for k, v in base["theme"].items() if k != "custom_dir"}
    site_keys = {"site_name", "site_description", "docs_dir", "site_dir", "nav", "copyright", "theme"}
    assert {k: v for k, v in config.items() if k not in site_keys} == \
        {k: v for k, v in base.items() if k not in site_keys}


# ----------------------------------------------------------------- build


def test_strict_build_writes_pages_as_html_files(built):
    for page in ("index.html", "party.html", "finance/index.html",
                 "finance/2024-03.html", "decisions/road.html", "404.html"):
        assert (built.site / page).is_file(), page
    html = (built.site / "finance" / "2024-03.html").read_text(encoding="utf-8")
    assert 'href="index.html"' in html          # links work from file:// too
    assert "../assets/cunwu.css" in html
    assert "../assets/cunwu.js" in html
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "Made with" not in html                # extra.generator: false
    index = (built.site / "index.html").read_text(encoding="utf-8")
    assert 'class="cw-tile cw-tile--finance"' in index
    assert 'class="cw-column cw-column--finance"' in index
    assert 'class="cw-timeline"' in (built.site / "decisions" / "road.html").read_text(encoding="utf-8")


def is_external(ref: str) -> bool:
    parts = urlsplit(ref)
    return bool(parts.scheme and parts.scheme not in ("file",)) or ref.startswith("//")


def test_built_site_pages_carry_the_content_security_policy(built):
    # The browser enforces "no request outside the site" (tests/test_csp.py shows it).
    for page in built.site.rglob("*.html"):
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\';' in \
            page.read_text(encoding="utf-8"), page


def test_published_site_has_no_broken_or_outside_assets(published):
    assert not (published / "assets" / "javascripts" / "lunr").exists()
    assert not list(published.rglob("*.map"))
    # every script/stylesheet/icon a page references is the site's own and is there
    for page in published.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for _tag, ref in re.findall(r'<(script|link|img)\b[^>]*?(?:src|href)="([^"#?]+)', html):
            assert not is_external(ref), f"{page.relative_to(published)} loads {ref}"
        for ref in re.findall(r'(?:src|href)="([^"#?]+)', html):
            if is_external(ref) or ref.endswith(".html") or ref.startswith(("mailto:", "data:", "tel:")):
                continue
            # 404.html uses root-absolute URLs (it may be served at any path)
            target = (published / ref.lstrip("/")) if ref.startswith("/") else (page.parent / ref)
            assert target.exists(), f"{page.relative_to(published)} -> {ref}"


# --------------------------------------------------------- search index


def test_search_index_is_pagefind_without_its_ui(published):
    bundle = published / "pagefind"
    assert (bundle / "pagefind.js").is_file() and list(bundle.glob("*.pf_meta"))
    assert json.loads((bundle / "cunwu-synonyms.json").read_text(encoding="utf-8"))
    assert not list(bundle.glob("pagefind-ui*")) and not list(bundle.glob("pagefind-component-ui*"))
    assert not (published / "search" / "search_index.json").exists()
    assert not (published / "assets" / "javascripts" / "lunr").exists()
    assert not list((published / "assets" / "javascripts").rglob("search.*.js"))


# ------------------------------------------------------- real browser


def test_phone_page_is_local_readable_and_search_finds_daolu(published, serve_dir, phone_page, screenshot):
    page = phone_page
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = serve_dir(published)

    page.goto(base + "finance/2024-03.html", wait_until="networkidle")
    body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    text_px = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    assert body_px >= 16 and text_px >= 16, (body_px, text_px)
    # the wide ledger scrolls inside its box, the page itself does not
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".md-typeset__scrollwrap table").count() == 1
    assert page.evaluate(
        "(() => { const t = document.querySelector('.md-typeset__scrollwrap');"
        " return t.scrollWidth > t.clientWidth; })()")
    # sections stay visible as large tabs on a phone
    tab = page.locator(".md-tabs__link").first
    assert tab.is_visible()
    assert tab.bounding_box()["height"] >= 40
    screenshot(page, "ledger")

    page.locator("a[data-cw-search]").click()
    page.locator(".cw-search[data-state=ready]").wait_for(timeout=15000)
    # Like a Chinese IME, handwriting or voice input: one "input" event with the
    # committed text and no keyup.
    page.locator(".cw-search__input").focus()
    page.keyboard.insert_text("道路")
    page.wait_for_timeout(400)
    page.locator(".cw-search[data-state=done]").wait_for(timeout=15000)
    links = page.locator(".cw-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any("finance/2024-03.html" in href or "decisions/road.html" in href for href in links), links
    assert "道路" in page.locator(".cw-search__results").inner_text()
    screenshot(page, "search", full_page=False)

    page.goto(base + "index.html", wait_until="networkidle")
    assert page.locator("#past").inner_text() == "已结束"
    assert page.locator("#past").get_attribute("data-state") == "closed"
    assert "cw-badge--closed" in page.locator("#past").get_attribute("class")
    assert "cw-badge--open" not in page.locator("#past").get_attribute("class")
    assert page.locator("#future").inner_text() == "未开始"
    screenshot(page, "home")

    assert errors == []
    assert requests, "no request recorded"
    outside = [u for u in requests
               if urlsplit(u).scheme not in ("data", "blob", "about")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    assert any("/pagefind/" in u for u in requests)


def test_browser_without_resizeobserver_gets_the_local_shim_not_unpkg(published, serve_dir, phone_page):
    # iOS < 13.4 has no ResizeObserver: Material's bundle would fetch a
    # polyfill from unpkg.com; cunwu.js defines a small local one first.
    page = phone_page
    page.add_init_script("delete window.ResizeObserver")
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(serve_dir(published) + "decisions/road.html", wait_until="networkidle")
    page.set_viewport_size({"width": 740, "height": 360})   # rotate: resize events
    page.wait_for_timeout(300)
    assert page.evaluate("window.ResizeObserver.name") == "LocalResizeObserver"
    assert errors == []
    assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == []


def test_print_stylesheet_hides_chrome(published, serve_dir, phone_page, screenshot):
    page = phone_page
    page.goto(serve_dir(published) + "decisions/road.html", wait_until="networkidle")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-footer", ".md-sidebar--primary"):
        assert page.evaluate(
            f"getComputedStyle(document.querySelector('{selector}')).display") == "none", selector
    color = page.evaluate("getComputedStyle(document.querySelector('.md-typeset h1')).color")
    assert color == "rgb(0, 0, 0)"
    assert page.locator(".cw-timeline + ol > li").count() == 6
    screenshot(page, "print")
