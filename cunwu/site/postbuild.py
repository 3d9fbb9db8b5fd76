"""Post-build clean-up: files the engine copies into every site that no page of
a cunwu site loads, and bytes of cunwu's own scripts and stylesheets that no
reader needs.

Material copies its whole theme folder into each site, whether a feature is
used or not. cunwu builds without Material's search plugin (search is Pagefind,
made from the built HTML: cunwu/site/search.py), so Material's search worker
and its lunr language packs are dead weight in every village folder.

cunwu's own assets (theme/assets/cunwu*.css, cunwu*.js) are written to be
read: long comments explain the domain and the phone quirks. Every first
visit downloads cunwu.css and cunwu.js, so the built copies lose their comments
and indentation (about half their gzip size); Material's own files are
minified already. The source in theme/ stays as it is.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

__all__ = ["minify_css", "minify_js", "prune_unused_assets"]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prune_unused_assets(site_dir: Path) -> int:
    """Delete assets a cunwu site never loads; return bytes freed.

    - ``assets/javascripts/lunr/`` and ``assets/javascripts/workers/search.*``:
      Material's search (worker and language packs), unused without its plugin;
    - ``*.map`` source maps under ``assets/`` (only developer tools read them);
    - the theme's own stylesheets that this site's pages do not link (every
      site shares theme/, so village sites receive the portal's stylesheet);
    - Material's favicon.png when the pages link another icon.

    Then strips the comments of cunwu's own CSS and JavaScript (see above).
    """
    site = Path(site_dir)
    assets = site / "assets"
    if not assets.is_dir():
        return 0
    doomed: list[Path] = []
    lunr_dir = assets / "javascripts" / "lunr"
    if lunr_dir.is_dir():
        doomed.append(lunr_dir)
    doomed += sorted((assets / "javascripts" / "workers").glob("search.*"))
    doomed += sorted(p for p in assets.rglob("*.map") if p.is_file())
    home = site / "index.html"
    linked = home.read_text(encoding="utf-8") if home.is_file() else ""
    doomed += [p for p in sorted(assets.glob("cunwu*.css")) if f"assets/{p.name}" not in linked]
    favicon = assets / "images" / "favicon.png"      # Material's, replaced by theme.favicon
    if linked and "assets/images/favicon.png" not in linked:
        doomed.append(favicon)
    freed = 0
    for path in doomed:
        if not path.exists():
            continue
        freed += _size(path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    workers = assets / "javascripts" / "workers"
    if workers.is_dir() and not any(workers.iterdir()):
        workers.rmdir()
    return freed + _minify_own_assets(assets)


def _minify_own_assets(assets: Path) -> int:
    freed = 0
    for path in sorted(assets.glob("cunwu*.css")) + sorted(assets.glob("cunwu*.js")):
        text = path.read_text(encoding="utf-8")
        small = minify_css(text) if path.suffix == ".css" else minify_js(text)
        if len(small) < len(text):
            freed += len(text.encode("utf-8")) - len(small.encode("utf-8"))
            path.write_text(small, encoding="utf-8")
    return freed


# A CSS string (kept as it is) or a comment.
_CSS_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/', re.S)


def _squeeze(css: str) -> str:
    return re.sub(r" ?([{};]) ?", r"\1", re.sub(r"\s+", " ", css))


def minify_css(text: str) -> str:
    """CSS without comments, with single spaces and none around `{`, `}` and
    `;`. Strings are left alone, and so is every other space: it can be
    meaningful in a selector (`a :hover` is not `a:hover`)."""
    parts: list[str] = []
    code = ""
    last = 0
    for match in _CSS_STRING_OR_COMMENT.finditer(text):
        code += text[last:match.start()]
        last = match.end()
        if match.group(0).startswith("/*"):
            code += " "
        else:
            parts += [_squeeze(code), match.group(0)]
            code = ""
    parts.append(_squeeze(code + text[last:]))
    return "".join(parts).strip() + "\n"


def minify_js(text: str) -> str:
    """Plain ES5 without its comment lines and indentation.

    Only what is safe without parsing JavaScript: a line that starts with
    `//`, or a `/* ... */` comment that starts a line (a regular expression or
    a string cannot start with either), indentation and blank lines. Line
    breaks stay, so automatic semicolon insertion reads the code as before;
    comments after code on a line stay too."""
    out: list[str] = []
    in_comment = False
    for line in text.splitlines():
        rest = line.strip()
        while True:
            if in_comment:
                end = rest.find("*/")
                if end == -1:
                    rest = ""
                    break
                rest = rest[end + 2:].lstrip()
                in_comment = False
            if rest.startswith("/*"):
                in_comment = True
                rest = rest[2:]
                continue
            break
        if rest.startswith("//"):
            rest = ""
        if rest:
            out.append(rest)
    return "\n".join(out) + "\n"
