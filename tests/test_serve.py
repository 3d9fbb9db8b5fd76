"""`cunwu serve`: the clerk's preview re-renders when a record changes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_preview_follows_the_clerks_edits(tmp_path):
    villages = tmp_path / "villages"
    shutil.copytree(ROOT / "tests" / "fixtures" / "good", villages)
    port = free_port()
    url = f"http://127.0.0.1:{port}/finance/2024-02.html"
    server = subprocess.Popen([sys.executable, "-m", "cunwu", "serve", "qingshi", "--villages", str(villages),
                               "--project", str(ROOT), "-a", f"127.0.0.1:{port}"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "2024年2月收支明细" in fetch(url)), "preview did not start"
        ledger = villages / "qingshi" / "ledgers" / "2024-02.yml"
        ledger.write_text(ledger.read_text(encoding="utf-8").replace("summary: ", "summary: 预览改动 ", 1),
                          encoding="utf-8")
        assert wait_for(lambda: "预览改动" in fetch(url)), "the page did not follow the edit"
        # A mistake shows in the terminal without stopping the preview.
        ledger.write_text(ledger.read_text(encoding="utf-8").replace("closing_balance:", "closing_balance: 1 #", 1),
                          encoding="utf-8")
        time.sleep(3)
        assert "2024年2月收支明细" in fetch(url)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "预览地址" in output
    assert "Traceback" not in output
    assert (ROOT / "villages").exists()  # the preview never touched the project's records
