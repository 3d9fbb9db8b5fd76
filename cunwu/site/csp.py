"""The Content-Security-Policy every built page carries.

The browser then enforces the site's two promises by itself, whatever a page,
a template or the engine put into it: no script runs but the site's own files
and the few inline scripts the theme needs (allowed by their hashes, not with
'unsafe-inline'), and nothing is loaded or fetched from another host.

The theme puts a placeholder in a `<meta http-equiv="Content-Security-Policy">`
at the very top of `<head>`; after the engine has built a site, `apply_csp`
writes into each page the hashes of that page's inline scripts (they differ
with the page's depth: Material's first script holds the relative base URL).
A page without the placeholder stops the build: fail closed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

PLACEHOLDER = "'cunwu-inline-script-hashes'"

# 'self' only, for everything; inline styles are allowed (Material's icons and
# tables use style attributes; a style cannot run script or call another host:
# url() in it is still bound by img-src/font-src). 'wasm-unsafe-eval' lets the
# search runtime (Pagefind, loaded from the site itself) compile its
# WebAssembly; it allows no eval() of JavaScript.
POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'none'")

_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
# Inline scripts that the browser runs: no src, and a JavaScript type (or none).
# JSON data blocks (Material's __config) are not executed and need no hash.
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_RUNNABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


class CspError(Exception):
    """A built page cannot be given the policy (the theme's meta tag is missing)."""


def inline_script_hashes(html: str) -> list[str]:
    hashes: list[str] = []
    for match in _SCRIPT.finditer(html):
        attrs = match["attrs"] or ""
        if re.search(r"\ssrc\s*=", attrs, re.I):
            continue
        kind = _TYPE.search(attrs)
        if (kind[1].lower() if kind else "") not in _RUNNABLE_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(match["body"].encode("utf-8")).digest()).decode()
        token = f"'sha256-{digest}'"
        if token not in hashes:
            hashes.append(token)
    return hashes


def policy_for(html: str) -> str:
    return POLICY.format(hashes=" ".join(inline_script_hashes(html))).replace("  ", " ")


def apply_csp(site_dir: Path) -> int:
    """Write each page's policy into its meta tag; returns the number of pages.
    A page that already holds exactly its policy (one a rebuild took unchanged
    from the previous build) is left as it is; any other policy stops the build."""
    pages = 0
    for path in sorted(site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        meta = _META.search(html)
        first_script = html.find("<script")
        policy = policy_for(html)
        # The policy covers only what comes after it: it must precede every script.
        if meta is None or (PLACEHOLDER not in meta[1] and meta[1] != policy) or -1 < first_script < meta.start():
            raise CspError(f"{path.relative_to(site_dir)}：页面缺少安全策略（Content-Security-Policy），已停止发布。")
        if meta[1] != policy:
            path.write_text(html[:meta.start(1)] + policy + html[meta.end(1):], encoding="utf-8")
        pages += 1
    return pages
