"""`cunwu serve`: preview one village, re-rendering when its records change.

MkDocs' own server does the live reload: it watches the rendered docs folder,
the generated config and the theme. cunwu watches the sources (the village's
records, content/, theme/ and the base mkdocs.yml) and re-renders into that
docs folder, touching only the pages that changed.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from ..records.checks import UNSAFE_TO_RENDER, check_county
from ..records.diagnostics import Report
from ..records.load import find_villages, load_county
from ..site.engine import engine_env
from ..site.pages import render_village
from ..site.stamps import render_into


def blocked(report: Report) -> bool:
    """Errors that stop the preview from updating (see UNSAFE_TO_RENDER)."""
    return any(d.rule in UNSAFE_TO_RENDER for d in report.errors)


def render_preview(project: Path, villages_dir: Path, slug: str, as_of: date, work: Path) -> Report:
    """Render one village for preview. Errors are printed but do not stop the
    preview: the clerk sees the page with its problems marked. Errors that make
    rendering unsafe (text over the limits, a link, a refused attachment) keep
    the last preview instead."""
    folder = villages_dir / slug
    if not folder.is_dir():
        found = [p.name for p in find_villages(villages_dir)] if villages_dir.is_dir() else []
        raise SystemExit(f"找不到村文件夹“{slug}”。可用的：{'、'.join(found) or '（无）'}")
    # Only this village is loaded (with county.yml): a save re-renders in a moment
    # however many villages the county has.
    report = Report()
    county = load_county(folder, report)
    check_county(county, report)
    village = next((v for v in county.villages if v.slug == slug), None)
    if village is None:
        raise SystemExit(f"“{slug}”里没有村务记录（缺少 village.yml）。请先用 cunwu new village 创建。")
    if blocked(report):
        return report
    # the county's thresholds, as the published site will use them
    render_into(work, lambda tmp: render_village(project, village, as_of, tmp, work / "site", county.policy))
    return report


def serve_village(project: Path, villages_dir: Path, slug: str, as_of: date, dev_addr: str) -> int:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    work = project / "build" / "serve" / slug
    report = render_preview(project, villages_dir, slug, as_of, work)
    for d in report.sorted():
        print(d.format())
    if blocked(report):
        print("无法预览：请先改正上面的错误，再运行 cunwu serve。", file=sys.stderr)
        return 1
    pending = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            # Only writes: reading the records to render them raises "opened" events too.
            if not event.is_directory and event.event_type in ("created", "modified", "deleted", "moved"):
                pending.set()

    observer = Observer()
    # (folder, recursive): the village's records; county.yml and the base mkdocs.yml
    # (their folders, not recursively, so our own writes under build/ are not seen).
    for path, recursive in ((villages_dir / slug, True), (villages_dir, False), (project / "content", True),
                            (project / "theme", True), (project, False)):
        if path.exists():
            observer.schedule(OnChange(), str(path), recursive=recursive)
    observer.start()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--config-file",
                               str(work / "mkdocs.yml"), "--dev-addr", dev_addr], env=engine_env(as_of))
    print(f"预览地址：http://{dev_addr}/  修改记录后页面会自动刷新，按 Ctrl+C 结束。", file=sys.stderr)

    def stop(_signum, _frame):
        raise KeyboardInterrupt   # a terminated preview also stops MkDocs' server

    signal.signal(signal.SIGTERM, stop)
    try:
        while server.poll() is None:
            if pending.wait(0.5):
                time.sleep(0.3)           # let an editor finish writing
                pending.clear()
                report = render_preview(project, villages_dir, slug, as_of, work)
                print("预览暂停更新：请先改正下面的错误，保存后会自动更新。" if blocked(report)
                      else f"已重新生成（{len(report.errors)} 个错误）", file=sys.stderr)
                for d in report.sorted():
                    print(d.format())
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0
