"""What a phone downloads, first visit and search, measured in Chromium.

    python scripts/bench_search.py [--site SITE] [--village helong] [--json out.json]

Without --site, builds the demo county (villages/, as of 2026-11-21) into a
temporary folder with `cunwu build`. Serves the published site with a local
HTTP server that compresses text files with gzip (Content-Encoding: gzip, as
any production host would; Pagefind's own .pf_* and .pagefind files are
already compressed and go as they are), and records every request of a
headless Chromium at 360x740 (the Debian package at /usr/bin/chromium):

- first visit (empty cache) of a village home, and of a month's ledger;
- the first query from that ledger page (tap on 搜索, type, results shown:
  the search code, Pagefind's runtime and WebAssembly, the index chunks and the
  result fragments), then a second query;
- the same on the county portal (its search merges every village's index).

Bytes are what went over the wire (response headers + encoded body).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")
SEARCH_MARKERS = ("/pagefind/", "cunwu-search.js", "cunwu-pagefind.js", "search-sites.json")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files; text compressed with gzip when the browser accepts it."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        import io
        return io.BytesIO(body)

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class Recorder:
    """Every finished request of a page: URL and bytes on the wire."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.rows: list[tuple[str, int]] = []
        page.on("requestfinished", self._done)

    def _done(self, request) -> None:  # type: ignore[no-untyped-def]
        sizes = request.sizes()
        self.rows.append((request.url, sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)))

    def take(self) -> dict:
        rows, self.rows = self.rows, []
        search = [(u, n) for u, n in rows if any(m in u for m in SEARCH_MARKERS)]
        return {"requests": len(rows), "bytes": sum(n for _, n in rows),
                "search_requests": len(search), "search_bytes": sum(n for _, n in search),
                "urls": [u for u, _ in rows], "sizes": [[u, n] for u, n in rows]}


def query(page, text: str) -> None:  # type: ignore[no-untyped-def]
    # The panel says "done" from the query before: mark it so that only this
    # query's "done" ends the wait.
    page.locator(".cw-search").evaluate("el => el.setAttribute('data-state', 'asked')")
    box = page.locator(".cw-search__input")
    box.fill(text)
    box.press("Enter")
    page.locator(".cw-search[data-state=done]").wait_for(timeout=30_000)
    page.wait_for_timeout(500)   # the last responses' events reach the recorder


def measure(site: Path, village: str, queries: tuple[str, str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    out: dict[str, dict] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])

            def fresh():  # type: ignore[no-untyped-def]
                context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                              is_mobile=True, has_touch=True, locale="zh-CN")
                page = context.new_page()
                return context, page, Recorder(page)

            context, page, rec = fresh()
            page.goto(base + f"{village}/index.html", wait_until="networkidle")
            out["village home, first visit"] = rec.take()
            context.close()

            context, page, rec = fresh()
            page.goto(base + f"{village}/finance/2026-10.html", wait_until="networkidle")
            out["ledger page, first visit"] = rec.take()
            page.locator("a[data-cw-search]").click()
            page.locator(".cw-search[data-state=ready]").wait_for(timeout=30_000)
            query(page, queries[0])
            out[f"village: first query ({queries[0]})"] = rec.take()
            query(page, queries[1])
            out[f"village: second query ({queries[1]})"] = rec.take()
            context.close()

            context, page, rec = fresh()
            page.goto(base + "index.html", wait_until="networkidle")
            out["portal home, first visit"] = rec.take()
            page.locator("a[data-cw-search]").click()
            page.locator(".cw-search[data-state=ready]").wait_for(timeout=30_000)
            query(page, queries[0])
            out[f"county-wide: first query ({queries[0]})"] = rec.take()
            query(page, queries[1])
            out[f"county-wide: second query ({queries[1]})"] = rec.take()
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def build_demo(tmp: Path) -> Path:
    subprocess.run([sys.executable, "-m", "cunwu", "build", str(ROOT / "villages"), "--site", str(tmp / "site"),
                    "--work", str(tmp / "build"), "--as-of", "2026-11-21", "--project", str(ROOT), "--quiet"],
                   check=True, cwd=ROOT)
    return (tmp / "site").resolve()


def table(results: dict[str, dict]) -> str:
    lines = ["| step | requests | bytes (gzip) | of which search |", "|---|---:|---:|---:|"]
    for name, r in results.items():
        lines.append(f"| {name} | {r['requests']} | {r['bytes']:,} B | {r['search_bytes']:,} B |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a published site (default: build the demo county)")
    parser.add_argument("--village", default="helong")
    parser.add_argument("--queries", nargs=2, default=["修路", "低保"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        site = args.site.resolve() if args.site else build_demo(Path(tmp))
        results = measure(site, args.village, tuple(args.queries))  # type: ignore[arg-type]
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
