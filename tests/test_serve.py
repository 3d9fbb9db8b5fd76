"""`cunwu serve`: the clerk's preview re-renders when a record changes, and a
mistake in a record is printed in Chinese with its file:line while the preview
keeps running.

The real command runs in a subprocess against a copy of the fixture county and
a copy of the project's site files (mkdocs.yml, theme/, content/), so its work
folder (<project>/build/serve/) is the test's own. Every wait is a bounded poll
on something observable: the served page or the server's output."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT

AS_OF = "2024-06-20"          # the preview renders notice states as of this day, not today
LEDGER = Path("villages") / "qingshi" / "ledgers" / "2024-02.yml"


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


def wait_for(predicate: Callable[[], bool], seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return predicate()


class Output:
    """The server's merged stdout and stderr, read line by line in a thread."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def text(self) -> str:
        return "\n".join(self.lines)

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.text()))

    def join(self) -> None:
        self._thread.join(timeout=30)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_preview_follows_the_clerks_edits_and_prints_mistakes(tmp_path):
    villages = tmp_path / "villages"
    shutil.copytree(ROOT / "tests" / "fixtures" / "good", villages)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("theme", "content"):
        shutil.copytree(ROOT / folder, project / folder)
    ledger = tmp_path / LEDGER
    port = free_port()
    url = f"http://127.0.0.1:{port}/finance/2024-02.html"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    server = subprocess.Popen([sys.executable, "-m", "cunwu", "serve", "qingshi", "--villages", str(villages),
                               "--project", str(project), "--as-of", AS_OF, "-a", f"127.0.0.1:{port}"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, encoding="utf-8")
    output = Output(server)
    rendered = "已重新生成"
    try:
        assert wait_for(lambda: "2024年2月收支明细" in fetch(url)), "preview did not start:\n" + output.text()
        first = fetch(url)
        assert "118,650.50" in first and "账目核对无误" in first and "预览改动" not in first
        assert "账目不平" not in output.text()
        assert (project / "build" / "serve" / "qingshi" / "mkdocs.yml").is_file()   # its own work folder

        # 1. an edit reaches the served page
        edit(ledger, "summary: 春节慰问困难户", "summary: 预览改动春节慰问困难户")
        assert wait_for(lambda: "预览改动" in fetch(url)), "the page did not follow the edit:\n" + output.text()
        assert wait_for(lambda: output.count(rendered + r"（0 个错误）") >= 1), output.text()

        # 2. a mistake: printed with file:line and a Chinese message, the preview keeps serving
        edit(ledger, "closing_balance: 118650.50", "closing_balance: 1.00")
        mistake = re.escape(f"{LEDGER.as_posix()}:4: error ledger.balance: 账目不平")
        assert wait_for(lambda: re.search(mistake, output.text()) is not None), output.text()
        assert "期末余额写的是 1.00 元" in output.text()
        assert re.search(rendered + r"（[1-9]\d* 个错误）", output.text()), output.text()
        # the page follows too, with the problem marked where the clerk looks
        assert wait_for(lambda: "本月账目不平" in fetch(url)), "the page did not follow the edit that has a mistake"
        assert "预览改动" in fetch(url)
        assert server.poll() is None, "the preview stopped on a mistake"

        # 3. the mistake corrected: the page follows again and no error is left
        errors_so_far = output.count(mistake)
        edit(ledger, "closing_balance: 1.00", "closing_balance: 118650.50")
        assert wait_for(lambda: output.count(rendered + r"（0 个错误）") >= 2), output.text()
        assert wait_for(lambda: "本月账目不平" not in fetch(url)), "the corrected page was not served"
        assert "118,650.50" in fetch(url) and "账目核对无误" in fetch(url)
        assert output.count(mistake) == errors_so_far
        edited = tree_digest(villages)
    finally:
        server.terminate()
        server.wait(timeout=30)
        output.join()
    assert "预览地址" in output.text()
    assert "Traceback" not in output.text(), output.text()
    # the preview reads the records and never writes to them
    assert tree_digest(villages) == edited
