"""Failures of the machine, not of the records, are Chinese messages with exit
code 1 or 2, never a traceback: two builds at once, unwritable or misplaced
folders, a full disk, names too long, hostile spreadsheets, no memory. Also
`cunwu rollback` and `cunwu build --clean`."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from cunwu import cli

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "fixtures" / "good"
AS_OF = "2024-09-01"


def county(tmp_path: Path) -> Path:
    root = tmp_path / "villages"
    shutil.copytree(GOOD, root)
    return root


def cunwu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "cunwu", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd, timeout=600)


def build_args(root: Path, site: Path, work: Path, *extra: str) -> list[str]:
    return ["build", str(root), "--site", str(site), "--work", str(work), "--as-of", AS_OF,
            "--project", str(REPO), "-j", "1", "--quiet", *extra]


def assert_message(proc: subprocess.CompletedProcess, *words: str) -> None:
    out = proc.stdout + proc.stderr
    assert proc.returncode in (1, 2), out
    assert "Traceback" not in out, out
    for word in words:
        assert word in out, out


# ---------------------------------------------------------------- one build at a time, rollback, --clean


def test_a_second_build_while_one_runs_says_so(tmp_path):
    root, site = county(tmp_path), tmp_path / "site"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom cunwu.site.publish import site_lock\n"
         "with site_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    time.sleep(60)\n", str(site)],
        stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        proc = cunwu(*build_args(root, site, tmp_path / "build"))
        assert_message(proc, "另一个 cunwu 正在生成或发布", f"进程 {holder.pid}", "已发布的网站保持不变")
        assert not site.exists() and not (tmp_path / "build").exists()   # nothing was started
        proc = cunwu("rollback", "--site", str(site))
        assert_message(proc, "另一个 cunwu 正在生成或发布")
    finally:
        holder.kill()
        holder.wait()


def test_clean_builds_cold_and_rollback_restores_the_previous_version(tmp_path):
    root, site, work = county(tmp_path), tmp_path / "site", tmp_path / "build"
    proc = cunwu("rollback", "--site", str(site))
    assert_message(proc, "还没有按版本发布过")
    assert cunwu(*build_args(root, site, work)).returncode == 0
    first = site.resolve()
    proc = cunwu("rollback", "--site", str(site))
    assert_message(proc, "没有更早的版本")
    (work / "cache").mkdir(exist_ok=True)
    for pickle in (work / "cache").glob("*.pickle"):   # a damaged cache must not matter to --clean
        pickle.write_bytes(b"not a cache")
    proc = cunwu(*[a for a in build_args(root, site, work) if a != "--quiet"], "--clean")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("已生成") == 2 and "未变化" not in proc.stderr   # the village and the portal
    second = site.resolve()
    assert second != first
    proc = cunwu("rollback", "--site", str(site))
    assert proc.returncode == 0 and "已把" in proc.stderr and first.name in proc.stderr
    assert site.resolve() == first and (site / "qingshi" / "index.html").is_file()


# ---------------------------------------------------------------- folders that cannot be written


def test_site_or_work_under_a_regular_file_is_a_message(tmp_path):
    """Works as root too (root ignores permissions, not a file where a folder must be)."""
    root = county(tmp_path)
    blocker = tmp_path / "一个文件"
    blocker.write_text("not a folder", encoding="utf-8")
    proc = cunwu(*build_args(root, blocker / "site", tmp_path / "build"))
    assert_message(proc, "生成失败", "不是文件夹", "已发布的网站保持不变")
    proc = cunwu(*build_args(root, tmp_path / "site", blocker / "build"))
    assert_message(proc, "生成失败", "不是文件夹")
    assert not (tmp_path / "site").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the regular-file test covers it")
def test_read_only_site_parent_and_work_folder_are_messages(tmp_path):
    root = county(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = cunwu(*build_args(root, locked / "site", tmp_path / "build"))
        assert_message(proc, "没有写入")
        proc = cunwu(*build_args(root, tmp_path / "site", locked / "build"))
        assert_message(proc, "没有写入")
    finally:
        locked.chmod(0o755)


# ---------------------------------------------------------------- a full disk


def no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "build/render/qingshi/docs/index.md")


@pytest.mark.parametrize("target", ["cunwu.site.stamps.sync_tree", "cunwu.records.cache.VillageCache._write",
                                    "cunwu.site.publish.link_or_copy"])
def test_disk_full_during_render_cache_or_publish_is_a_message(tmp_path, monkeypatch, capsys, target):
    root, site, work = county(tmp_path), tmp_path / "site", tmp_path / "build"
    if target.endswith("link_or_copy"):
        # publish needs built sites: stand in for the engine with one page each
        from cunwu.site.workers import BuildResult

        def built(jobs, *_args, **_kwargs):
            for job in jobs:
                if job.prepare is not None:
                    job.prepare()
                job.out_dir.mkdir(parents=True, exist_ok=True)
                (job.out_dir / "index.html").write_text("<p>x</p>", encoding="utf-8")
            return BuildResult(built=[job.key for job in jobs])
        monkeypatch.setattr("cunwu.pipeline.build_sites", built)
    module, name = target.rsplit(".", 1)
    if name == "_write":
        monkeypatch.setattr("cunwu.records.cache.VillageCache._write", no_space)
    else:
        monkeypatch.setattr(target, no_space)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    code = cli.main(build_args(root, site, work))
    err = capsys.readouterr().err
    assert code == 1, err
    assert "磁盘空间已满" in err and "已发布的网站保持不变" in err and "Traceback" not in err
    assert not site.exists()


# ---------------------------------------------------------------- names too long


def test_a_village_folder_name_too_long_is_a_check_error_not_a_crash(tmp_path):
    root = county(tmp_path)
    long = root / ("a" * 250)
    shutil.copytree(root / "qingshi", long)
    profile = long / "village.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('code: "', 'code: "9', 1), encoding="utf-8")
    proc = cunwu("check", str(root))
    assert_message(proc, "village.folder-name", "太长了")
    proc = cunwu(*build_args(root, tmp_path / "site", tmp_path / "build"))
    assert_message(proc, "village.folder-name", "未发布")


def test_enametoolong_from_the_system_is_a_message(monkeypatch, capsys, tmp_path):
    root = county(tmp_path)

    def too_long(*_args, **_kwargs):
        raise OSError(errno.ENAMETOOLONG, "File name too long", "x" * 300)
    monkeypatch.setattr("cunwu.records.checks.check_path", too_long)
    code = cli.main(["check", str(root)])
    err = capsys.readouterr().err
    assert code == 1 and "文件名或路径太长" in err and "Traceback" not in err


# ---------------------------------------------------------------- spreadsheets


def sample_xlsx(path: Path, rows: int = 3) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "凭证号", "摘要", "科目", "收入", "支出"])
    for i in range(rows):
        sheet.append([f"2024-04-{i % 28 + 1:02d}", f"记-{i + 1:03d}", "支付材料款", "管理费用", None, 100])
    book.save(path)


def replace_member(path: Path, member: str, data: bytes) -> None:
    """Rewrite one part of an xlsx, keeping the others."""
    buffer = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == member else old.read(info.filename))


def import_ledger(root: Path, sheet: Path) -> subprocess.CompletedProcess:
    return cunwu("import", "ledger", str(sheet), "qingshi", "--month", "2024-04", "--villages", str(root),
                 "--opening", "161450.50")


def test_malformed_xml_in_a_spreadsheet_is_a_message(tmp_path):
    root, sheet = county(tmp_path), tmp_path / "坏.xlsx"
    sample_xlsx(sheet)
    replace_member(sheet, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c>")
    proc = import_ledger(root, sheet)
    assert_message(proc, "坏.xlsx", "另存为")


def test_an_entity_bomb_in_a_spreadsheet_is_refused(tmp_path):
    root, sheet = county(tmp_path), tmp_path / "炸弹.xlsx"
    sample_xlsx(sheet)
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">{lol}]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>')
    replace_member(sheet, "xl/workbook.xml", bomb.encode())
    start = time.perf_counter()
    proc = import_ledger(root, sheet)
    assert_message(proc, "炸弹.xlsx")
    assert time.perf_counter() - start < 60   # a generous bound: expanding it would take far longer or crash


def test_a_zip_bomb_spreadsheet_is_refused_before_loading(tmp_path):
    """A small file that expands to 200 MB of sheet XML."""
    root, sheet = county(tmp_path), tmp_path / "大.xlsx"
    sample_xlsx(sheet)
    buffer = io.BytesIO(sheet.read_bytes())
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(sheet, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info.filename, old.read(info.filename))
        with new.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(b" " * (1024 * 1024))
    assert sheet.stat().st_size < 1024 * 1024
    proc = import_ledger(root, sheet)
    assert_message(proc, "大.xlsx", "解压后", "只保留当月的明细")


def test_too_many_rows_is_refused_while_reading(tmp_path, monkeypatch, capsys):
    root, sheet = county(tmp_path), tmp_path / "多.xlsx"
    sample_xlsx(sheet, rows=30)
    monkeypatch.setattr("cunwu.clerk.spreadsheet.MAX_ROWS", 20)
    code = cli.main(["import", "ledger", str(sheet), "qingshi", "--month", "2024-04", "--villages", str(root),
                     "--opening", "161450.50"])
    err = capsys.readouterr().err
    assert code == 1 and "超过 20 行" in err and "Traceback" not in err


def test_memory_error_while_loading_a_spreadsheet_is_a_message(tmp_path, monkeypatch, capsys):
    root, sheet = county(tmp_path), tmp_path / "明细.xlsx"
    sample_xlsx(sheet)

    def exhausted(*_args, **_kwargs):
        raise MemoryError
    monkeypatch.setattr("openpyxl.load_workbook", exhausted)
    code = cli.main(["import", "ledger", str(sheet), "qingshi", "--month", "2024-04", "--villages", str(root),
                     "--opening", "161450.50"])
    err = capsys.readouterr().err
    assert code == 1 and "内存不足" in err and "Traceback" not in err


def test_memory_error_anywhere_is_a_message(monkeypatch, capsys, tmp_path):
    def exhausted(*_args, **_kwargs):
        raise MemoryError
    monkeypatch.setattr("cunwu.records.checks.check_path", exhausted)
    code = cli.main(["check", str(county(tmp_path))])
    err = capsys.readouterr().err
    assert code == 1 and "内存不足" in err and "Traceback" not in err
