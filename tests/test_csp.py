"""The Content-Security-Policy on every built page: the demo's own pages run
with no violation in Chromium, and script or requests injected into a built
page are stopped by the browser."""

from __future__ import annotations

import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cunwu.site.csp import PLACEHOLDER, CspError, apply_csp, inline_script_hashes

VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_every_built_page_carries_the_policy_before_any_script(demo_site):
    pages = list(demo_site.rglob("*.html"))
    assert len(pages) > 500
    for page in pages:
        html = page.read_text(encoding="utf-8")
        meta = html.find('<meta http-equiv="Content-Security-Policy"')
        assert -1 < meta < html.find("<script"), page
        assert PLACEHOLDER not in html and "'unsafe-inline'" not in html.split("script-src", 1)[1].split(";")[0]
        for token in inline_script_hashes(html):
            assert token in html[meta:html.find(">", meta)], page


def test_a_page_without_the_policy_stops_the_build(tmp_path):
    (tmp_path / "a.html").write_text("<html><head><script>x()</script></head></html>", encoding="utf-8")
    with pytest.raises(CspError, match="a.html"):
        apply_csp(tmp_path)
    (tmp_path / "a.html").write_text(
        f'<script>x()</script><meta http-equiv="Content-Security-Policy" content="{PLACEHOLDER}">', encoding="utf-8")
    with pytest.raises(CspError):   # a script before the policy is not covered by it
        apply_csp(tmp_path)


def test_a_page_that_holds_its_own_policy_is_kept_and_any_other_stops_the_build(tmp_path):
    """A rebuild takes unchanged pages from the previous build, policy and all."""
    page = tmp_path / "a.html"
    page.write_text(f'<meta http-equiv="Content-Security-Policy" content="{PLACEHOLDER}"><script>x()</script>',
                    encoding="utf-8")
    apply_csp(tmp_path)
    once = page.read_bytes()
    assert PLACEHOLDER.encode() not in once
    apply_csp(tmp_path)
    assert page.read_bytes() == once
    page.write_text(once.decode().replace("x()", "y()"), encoding="utf-8")   # its script changed, not its policy
    with pytest.raises(CspError, match="a.html"):
        apply_csp(tmp_path)


def test_the_demo_pages_run_without_a_violation(demo_site, serve_dir, phone_page):
    base = serve_dir(demo_site)
    phone_page.add_init_script(VIOLATIONS)
    errors: list[str] = []
    phone_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ("index.html", "timeliness.html", "inspection.html", "helong/index.html",
                 "helong/finance/index.html", "helong/finance/2025-11.html", "helong/finance/2025.html",
                 "helong/decisions/index.html", "helong/notices/index.html", "helong/evaluations/index.html",
                 "helong/rules/index.html", "helong/data/index.html"):
        phone_page.goto(base + path)
        phone_page.wait_for_load_state("load")
        assert phone_page.evaluate("window.__violations") == [], path
    # Search: Pagefind's runtime, WebAssembly and index are the site's own.
    phone_page.goto(base + "helong/index.html")
    phone_page.click("a[data-cw-search]")
    phone_page.locator(".cw-search[data-state=ready]").wait_for(timeout=20_000)
    phone_page.fill(".cw-search__input", "低保")
    phone_page.wait_for_selector(".cw-result", timeout=20_000)
    assert phone_page.evaluate("window.__violations") == []
    assert errors == []


def test_script_and_requests_injected_into_a_built_page_are_stopped(demo_site, serve_dir, phone_page, tmp_path):
    """What if something got past the sanitiser and the templates? The browser
    still runs no injected script and calls no other host."""
    hits: list[str] = []

    class Other(BaseHTTPRequestHandler):   # another origin, on this machine
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Other)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    elsewhere = f"http://127.0.0.1:{other.server_address[1]}"
    site = tmp_path / "site"
    shutil.copytree(demo_site / "helong", site)
    page = site / "notices" / "index.html"
    html = page.read_text(encoding="utf-8")
    injected = ('<script>window.__ran = "inline"</script>'
                '<img src="x" onerror="window.__ran = \'handler\'">'
                '<a id="js" href="javascript:window.__ran=\'link\'">x</a>'
                f'<img src="{elsewhere}/pixel.png">'
                f'<script src="{elsewhere}/evil.js"></script>'
                f'<link rel="stylesheet" href="{elsewhere}/x.css">')
    page.write_text(re.sub(r"(<article[^>]*>)", r"\1" + injected.replace("\\", "\\\\"), html, count=1),
                    encoding="utf-8")
    phone_page.add_init_script(VIOLATIONS)
    base = serve_dir(site)
    phone_page.goto(base + "notices/index.html")
    phone_page.wait_for_load_state("load")
    phone_page.click("#js")
    assert phone_page.evaluate("window.__ran") is None
    directives = " ".join(phone_page.evaluate("window.__violations"))
    assert "script-src" in directives and "img-src" in directives
    phone_page.evaluate(f"fetch('{elsewhere}/data.json').catch(() => null)")
    phone_page.wait_for_timeout(300)
    other.shutdown()
    other.server_close()
    assert hits == []
    assert "connect-src" in " ".join(phone_page.evaluate("window.__violations"))


def test_policy_hashes_match_what_chromium_computes(tmp_path, serve_dir, phone_page):
    """Our hash of an inline script is the one the browser checks: a page whose
    policy lists it runs it, a page whose policy does not, does not."""
    body = "window.__ok = 1"
    for name in ("yes.html", "no.html"):
        html = (f'<html><head><meta http-equiv="Content-Security-Policy" content="{PLACEHOLDER}">'
                f"<script>{body}</script></head><body></body></html>")
        (tmp_path / name).write_text(html, encoding="utf-8")
    apply_csp(tmp_path)
    no = tmp_path / "no.html"
    no.write_text(re.sub(r"'sha256-[^']+'", "", no.read_text(encoding="utf-8")), encoding="utf-8")
    base = serve_dir(Path(tmp_path))
    phone_page.goto(base + "yes.html")
    assert phone_page.evaluate("window.__ok") == 1
    phone_page.goto(base + "no.html")
    assert phone_page.evaluate("window.__ok") is None
