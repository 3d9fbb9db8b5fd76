"""The runway past MkDocs 1.x: the rendered tree builds with ProperDocs (the
maintained fork of MkDocs 1.x) + Material exactly as with MkDocs + Material.

Both builds run through `cunwu build --engine …` on the small fixture county,
post-build steps included (Pagefind index, CSP, the personal-number gate). The
published files must be the same list, and every file the same bytes apart from
the generator <meta> each engine signs its pages with. See docs/engine.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cunwu.site.engine import resolve_engine

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
AS_OF = "2024-06-20"
GENERATOR = re.compile(rb'\s*<meta name="generator" content="([^"]*)">')


def build(tmp: Path, engine: str) -> Path:
    villages = tmp / "villages"
    if not villages.exists():
        shutil.copytree(GOOD, villages)
    site = tmp / f"site-{engine}"
    proc = subprocess.run([sys.executable, "-m", "cunwu", "build", str(villages), "--site", str(site),
                           "--work", str(tmp / f"build-{engine}"), "--as-of", AS_OF, "--project", str(ROOT),
                           "--engine", engine, "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return site


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("runway")
    return files(build(tmp, "mkdocs")), files(build(tmp, "properdocs"))


def test_same_pages(both):
    mkdocs, properdocs = both
    assert sorted(mkdocs) == sorted(properdocs)
    pages = [name for name in mkdocs if name.endswith(".html")]
    assert "index.html" in pages and "qingshi/index.html" in pages and len(pages) > 20
    assert any(name.startswith("qingshi/pagefind/") for name in mkdocs), "search index built after the engine"


def test_each_engine_signed_its_pages(both):
    mkdocs, properdocs = both
    assert GENERATOR.search(mkdocs["qingshi/index.html"]).group(1).startswith(b"mkdocs-1.")
    assert b"ProperDocs 1.6" in GENERATOR.search(properdocs["qingshi/index.html"]).group(1)


def test_same_content_byte_for_byte_apart_from_the_generator(both):
    mkdocs, properdocs = both
    differ = [name for name, data in mkdocs.items()
              if GENERATOR.sub(b"", data) != GENERATOR.sub(b"", properdocs[name])]
    assert differ == []
    # key content, spelled out: the village's name, a ledger page's figures, the CSP
    home = properdocs["qingshi/index.html"].decode("utf-8")
    assert "青石村" in home and 'http-equiv="Content-Security-Policy"' in home
    ledgers = [name for name in properdocs if name.startswith("qingshi/finance/") and name.endswith(".html")]
    assert ledgers and all(mkdocs[name] != b"" for name in ledgers)


def test_auto_picks_mkdocs_while_a_1x_is_installed():
    assert resolve_engine("auto") == "mkdocs"
    assert resolve_engine("properdocs") == "properdocs"
    with pytest.raises(ValueError):
        resolve_engine("zensical")
