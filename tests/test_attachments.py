"""Attachments (files/, images/) are records: listed with their kind and size,
refused by type, content, size or when they are links, and their text
readable (bounded) for the personal-number scan. Real files in tmp folders,
real `cunwu check` where the clerk would see it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sample_files import pdf_bytes

from cunwu.records.attachments import AttachmentError, zip_guard
from cunwu.records.checks import check_path
from cunwu.records.diagnostics import Report
from cunwu.records.load import load_village

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "fixtures" / "good"


# ---------------------------------------------------------------- real sample files


def docx_bytes(paragraphs: list[str]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                         'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                         f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    return out.getvalue()


def xlsx_file(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "明细"
    for row in rows:
        sheet.append(row)
    book.save(path)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def village(tmp_path: Path) -> Path:
    shutil.copytree(GOOD, tmp_path / "county")
    return tmp_path / "county" / "qingshi"


def cli_check(folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "cunwu", "check", str(folder)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


# ---------------------------------------------------------------- accepted


def test_every_allowed_type_is_listed_with_kind_size_and_text(tmp_path):
    folder = village(tmp_path)
    files, images = folder / "files", folder / "images" / "2024"
    files.mkdir()
    images.mkdir(parents=True)
    (files / "会议记录.pdf").write_bytes(pdf_bytes())
    (files / "名单.docx").write_bytes(docx_bytes(["低保名单", "张三 13812345678"]))
    xlsx_file(files / "明细.xlsx", [["姓名", "电话"], ["张三", "13812345678"]])
    (files / "名单.csv").write_text("姓名,电话\n张三,13812345678\n", encoding="utf-8")
    (files / "说明.txt").write_text("第一行\n\n电话 13812345678\n", encoding="gbk")
    (images / "村道.png").write_bytes(PNG)
    (images / "村口.JPG").write_bytes(JPEG)
    (images / "会场.webp").write_bytes(WEBP)
    (files / ".~lock.明细.xlsx#").write_text("editor lock, not published", encoding="utf-8")
    report = Report()
    loaded = load_village(folder, report)
    assert [d.format() for d in report.items] == []
    got = {a.path: a for a in loaded.attachments}
    assert sorted(got) == sorted(["files/名单.csv", "files/名单.docx", "files/会议记录.pdf", "files/明细.xlsx",
                           "files/说明.txt", "images/2024/会场.webp", "images/2024/村口.JPG", "images/2024/村道.png"])
    assert loaded.accepted_attachments == loaded.attachments
    assert {p: a.kind for p, a in got.items()}["images/2024/村口.JPG"] == "jpeg"
    for a in loaded.attachments:
        assert a.source.is_absolute() and a.source.is_file() and a.size == a.source.stat().st_size
    assert got["files/会议记录.pdf"].text_parts() == [("第1页", "Tel 13812345678")]
    assert got["files/名单.docx"].text_parts() == [("第1段", "低保名单"), ("第2段", "张三 13812345678")]
    assert ("明细!B2", "13812345678") in got["files/明细.xlsx"].text_parts()
    assert ("第2行第2列", "13812345678") in got["files/名单.csv"].text_parts()
    assert got["files/说明.txt"].text_parts() == [("第1行", "第一行"), ("第3行", "电话 13812345678")]
    assert got["images/2024/村道.png"].text_parts() == []


def test_unreadable_document_text_is_an_error_for_the_scan_not_a_crash(tmp_path):
    folder = village(tmp_path)
    (folder / "files").mkdir()
    broken = pdf_bytes()[:60]   # the header is right, the rest is cut off
    (folder / "files" / "坏.pdf").write_bytes(broken)
    loaded = load_village(folder, Report())
    [attachment] = loaded.attachments
    with pytest.raises(AttachmentError) as caught:
        attachment.text_parts()
    assert "无法读取" in str(caught.value)


# ---------------------------------------------------------------- refused


REFUSED_TYPES = {"通知.html": "<html><script>alert(1)</script></html>", "旧.htm": "<p>x</p>",
                 "logo.svg": "<svg onload='alert(1)'/>", "说明.md": "# 说明", "a.js": "alert(1)",
                 "setup.exe": "MZ", "资料.zip": "PK", "表.xls": "x", "文.doc": "x", "宏.xlsm": "PK",
                 "图.gif": "GIF89a", "无扩展名": "x"}


@pytest.mark.parametrize("name", sorted(REFUSED_TYPES))
def test_each_refused_type_is_an_error_that_says_what_to_do(tmp_path, name):
    folder = village(tmp_path)
    (folder / "files").mkdir()
    (folder / "files" / name).write_text(REFUSED_TYPES[name], encoding="utf-8")
    proc = cli_check(folder)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stdout.splitlines()
    assert f"files/{name}:1: error attachment.type:" in line and "不能发布" in line
    _, report = check_path(folder)
    [d] = report.errors
    assert d.rule == "attachment.type"
    village_ = load_village(folder, Report())
    assert village_.accepted_attachments == [] and village_.attachments[0].problem == "attachment.type"


MISMATCHES = {"会议记录.pdf": b"<html><script>alert(1)</script></html>", "照片.jpg": b"<svg/>",
              "图.png": JPEG, "图.webp": PNG, "表.xlsx": b"a,b\n1,2\n", "文.docx": pdf_bytes(),
              "页.txt": b"<!DOCTYPE html><script>alert(1)</script>", "表.csv": b"\x00\x01\x02binary",
              "假表.xlsx": docx_bytes(["不是表格"])}


@pytest.mark.parametrize("name", sorted(MISMATCHES))
def test_content_that_does_not_match_its_extension_is_refused(tmp_path, name):
    folder = village(tmp_path)
    (folder / "files").mkdir()
    (folder / "files" / name).write_bytes(MISMATCHES[name])
    proc = cli_check(folder)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stdout.splitlines()
    assert f"files/{name}:1: error attachment.content:" in line and "另存为" in line


def test_size_limits_come_from_the_county_policy(tmp_path):
    folder = village(tmp_path)
    county = folder.parent / "county.yml"
    county.write_text(county.read_text(encoding="utf-8") + "  attachment_max_mb: 1\n", encoding="utf-8")
    (folder / "files").mkdir()
    (folder / "files" / "大.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    (folder / "files" / "小.pdf").write_bytes(pdf_bytes("Meeting record"))
    proc = cli_check(folder.parent)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stdout.splitlines()
    assert "files/大.pdf:1: error attachment.too-large:" in line and "上限 1 MB" in line
    county, _ = check_path(folder.parent)   # the loader applies the county's policy
    assert [a.path for a in county.villages[0].accepted_attachments] == ["files/小.pdf"]


def test_a_zip_bomb_docx_is_refused_without_expanding_it(tmp_path):
    """A small file that would expand to 300 MB: only its directory is read."""
    folder = village(tmp_path)
    (folder / "files").mkdir()
    bomb = folder / "files" / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(AttachmentError):
        zip_guard(bomb)
    proc = cli_check(folder)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "attachment.content" in proc.stdout and "解压后" in proc.stdout


# ---------------------------------------------------------------- links are never followed


def assert_symlink_refused(folder: Path, names: list[str]) -> subprocess.CompletedProcess:
    proc = cli_check(folder)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    rules = [line for line in proc.stdout.splitlines() if " error file.symlink: " in line]
    assert len(rules) == len(names), proc.stdout
    for name in names:
        assert any(f"{name}:1: error file.symlink:" in line and "快捷方式" in line for line in rules), proc.stdout
    return proc


def test_a_file_link_to_outside_the_village_is_refused_and_never_read(tmp_path):
    folder = village(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("机密 13812345678", encoding="utf-8")
    (folder / "files").mkdir()
    os.symlink(secret, folder / "files" / "p.txt")
    os.symlink("/dev/zero", folder / "files" / "zero.txt")     # would never end if read
    os.symlink(secret, folder / "notices" / "2024-09-链接.md")
    proc = assert_symlink_refused(folder, ["files/p.txt", "files/zero.txt", "notices/2024-09-链接.md"])
    assert "机密" not in proc.stdout
    loaded = load_village(folder, Report())
    assert loaded.attachments == [] and len(loaded.notices) == 2


def test_a_folder_link_is_refused_and_never_entered(tmp_path):
    folder = village(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "ledgers").mkdir(parents=True)
    (elsewhere / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    os.symlink(elsewhere, folder / "images")
    os.symlink(elsewhere, folder / "decisions" / "更多")
    (folder / "village.yml").rename(tmp_path / "village.yml")
    os.symlink(tmp_path / "village.yml", folder / "village.yml")
    proc = assert_symlink_refused(folder.parent, ["qingshi/images", "qingshi/decisions/更多", "qingshi/village.yml"])
    assert "page.html" not in proc.stdout and "attachment" not in proc.stdout
    assert "village.profile-missing" not in proc.stdout   # the link is the problem, named once


def test_a_village_folder_that_is_a_link_is_refused_and_never_entered(tmp_path):
    folder = village(tmp_path)
    outside = tmp_path / "outside"
    shutil.copytree(folder, outside)
    os.symlink(outside, folder.parent / "linked")
    proc = assert_symlink_refused(folder.parent, ["linked"])
    assert "linked/" not in proc.stdout   # nothing inside it was read
    # checked on its own, the village is the link itself
    proc = cli_check(folder.parent / "linked")
    assert proc.returncode == 1 and "file.symlink" in proc.stdout and "Traceback" not in proc.stderr


def test_hidden_entries_are_neither_published_nor_reported(tmp_path):
    """An editor's lock file (.#x, often a dangling link) and .backup/ are not records."""
    folder = village(tmp_path)
    os.symlink("user@host.1234", folder / "ledgers" / ".#2024-03.yml")
    (folder / "files").mkdir()
    os.symlink("/etc", folder / "files" / ".cache")
    proc = cli_check(folder)
    assert proc.returncode == 0, proc.stdout


def test_every_part_of_a_word_file_is_read(tmp_path):
    """Page headers and footers, footnotes, endnotes, comments and tracked deletions
    are in the file a villager downloads: each is read, and a number in any of them
    stops the check."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def part(root: str, text: str, inner: str = "w:t") -> str:
        return (f'<?xml version="1.0" encoding="UTF-8"?><w:{root} xmlns:w="{w}">'
                f"<w:p><w:r><{inner}>{text}</{inner}></w:r></w:p></w:{root}>")

    folder = village(tmp_path)
    (folder / "files").mkdir()
    path = folder / "files" / "通知.docx"
    types = ('<?xml version="1.0"?><Types '
             'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", part("document", "正文没有号码"))
        archive.writestr("word/header1.xml", part("hdr", "联系人 13800138001"))
        archive.writestr("word/footer2.xml", part("ftr", "电话 13800138002"))
        archive.writestr("word/footnotes.xml", part("footnotes", "注 13800138003"))
        archive.writestr("word/endnotes.xml", part("endnotes", "尾 13800138004"))
        archive.writestr("word/comments.xml", part("comments", "批注 13800138005"))
        archive.writestr("word/styles.xml", part("styles", "样式 13800138006"))   # not text a reader sees
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/footnotes.xml.bak", "")   # a name that only looks like a part
    doc = load_village(folder, Report())
    [attachment] = doc.attachments
    parts = attachment.text_parts()
    assert [label for label, _ in parts] == ["第1段", "批注第1段", "尾注第1段", "页脚第1段", "脚注第1段", "页眉第1段"]
    _, report = check_path(folder)
    found = sorted(d.message for d in report.errors if d.rule.startswith("privacy"))
    assert len(found) == 5 and all("通知.docx" in str(d.file) for d in report.errors), found

    deleted = folder / "files" / "改过的.docx"
    with zipfile.ZipFile(deleted, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", part("document", "13800138007", inner="w:delText"))
    assert Attachment_parts(deleted) == [("第1段", "13800138007")]


def Attachment_parts(path: Path) -> list[tuple[str, str]]:
    from cunwu.records.attachments import Attachment
    return Attachment(path.name, path, "docx", path.stat().st_size).text_parts()


@pytest.mark.parametrize("name", ["名单.txt", "名单.csv"])
def test_a_list_is_read_to_the_last_row_or_refused(tmp_path, name):
    """Exactly MAX_TEXT_ROWS rows are read whole (a final line break adds no row);
    one row more and the file is refused, not scanned in part."""
    from cunwu.records.attachments import MAX_TEXT_ROWS, Attachment, AttachmentError

    path = tmp_path / name
    path.write_text("张三\n" * (MAX_TEXT_ROWS - 1) + "13800138000\n", encoding="utf-8")
    kind = name.rsplit(".", 1)[1]
    parts = Attachment(name, path, kind, path.stat().st_size).text_parts()
    assert len(parts) == MAX_TEXT_ROWS and parts[-1][1] == "13800138000"
    path.write_text("张三\n" * MAX_TEXT_ROWS + "13800138000\n", encoding="utf-8")
    with pytest.raises(AttachmentError, match="超过"):
        Attachment(name, path, kind, path.stat().st_size).text_parts()
