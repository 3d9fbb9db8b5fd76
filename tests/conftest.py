"""Shared pytest fixtures: a local HTTP server for a built site, a real
Chromium (the Debian package) at a phone's size, and screenshots saved to
tests/artifacts/ (git-ignored) for a human to look at."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
ARTIFACTS = Path(__file__).parent / "artifacts"


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """serve_dir(path) -> "http://127.0.0.1:<port>/" serving that folder from
    a background thread until the test ends."""
    servers: list[ThreadingHTTPServer] = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright. Skips on a developer's
    machine without it; in CI (which installs it) a missing browser fails."""
    import os

    if os.environ.get("CI"):
        from playwright import sync_api
        assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: scripts/setup.sh installs Debian's chromium"
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
        if not Path(CHROMIUM).exists():
            pytest.skip(f"{CHROMIUM} not installed")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def phone_page(browser):
    """A fresh page 360x740 CSS px, touch, zh-CN, in its own context."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(request) -> Callable[..., Path]:
    """screenshot(page, label="", full_page=True) -> path of the PNG saved as
    tests/artifacts/<test name>[-label].png."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")

    def take(page, label: str = "", full_page: bool = True) -> Path:
        name = f"{stem}-{label}" if label else stem
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# ------------------------------------------------------------ built demo county

ROOT = Path(__file__).resolve().parent.parent
DEMO_AS_OF = "2026-11-21"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo county in villages/, built once per test session as of DEMO_AS_OF
    with the real `cunwu build`; returns the published site folder."""
    import subprocess
    import sys

    tmp = tmp_path_factory.mktemp("demo")
    proc = subprocess.run([sys.executable, "-m", "cunwu", "build", str(ROOT / "villages"),
                           "--site", str(tmp / "site"), "--work", str(tmp / "build"),
                           "--as-of", DEMO_AS_OF, "--project", str(ROOT), "--quiet"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp / "site"
