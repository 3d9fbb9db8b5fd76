"""A county whose clerk writes like an attacker: every field a clerk controls
that reaches a page carries hostile payloads (see tests/test_boundary.py).

The county is the good fixture (tests/fixtures/good) with its text fields
replaced; numbers, dates and categories stay valid so that `cunwu check`
passes and the real build runs. Each text field gets `hostile(tag)`: a marker
word that names the field, then every payload, so that a test can find the
field on a page and check that all of it is shown as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from sample_files import pdf_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "good"

# Payloads a clerk could type; each must end up as text, never markup or script.
PAYLOADS = (
    '=HYPERLINK("http://x";"y")',
    "</title><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript&#58;alert(1)",
    "&#x6a;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "{{7*7}}",
    "{% raw %}",
    "[x](javascript:alert(1))",
    "<a href='vbscript:msgbox(1)'>v</a>",
)
# Link targets a clerk could write: each must be refused (shown as text).
HOSTILE_URLS = (
    "javascript&#58;alert&#40;1&#41;",
    "&#x6a;avascript:alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x.pdf",
    "\\\\evil.example\\x.pdf",
    "/\\evil.example/x.pdf",
    "\x01javascript:alert(1)",
    "javascript%3Aalert(1)",
    "../../other-village/files/x.pdf",
)
# Link targets that must stay links.
GOOD_URLS = ("https://example.org/minutes.pdf", "../files/minutes.pdf", "mailto:cunwu@example.org", "tel:12345")

# A body in Markdown with the payloads in every construct Markdown has.
HOSTILE_BODY = """\
正文 {tag}

[点我](javascript:alert(1)) [实体](javascript&#58;alert(1)) [十六进制](&#x6a;avascript:alert(1))
[数据](data:text/html,<script>alert(1)</script>) [协议相对](//evil.example/x) [反斜杠](\\\\evil.example/x)

<a href="&#x6a;avascript:alert(1)">原始链接</a> <a href="jav&#x09;ascript:alert(1)">制表符</a>
<svg onload=alert(1)></svg> <img src=x onerror=alert(1)> <script>alert(1)</script>
<iframe src="javascript:alert(1)"></iframe> <div style="background:url(javascript:alert(1))">样式</div>
<form action="javascript:alert(1)"><button>提交</button></form>

![图](//evil.example/x.png) ![图2](data:image/svg+xml,<svg onload=alert(1)>)

[引用链接][1] <javascript:alert(1)>

[1]: javascript:alert(1)

{{{{7*7}}}} {{% raw %}} </title><script>alert(1)</script> "><img src=x onerror=alert(1)>
"""

MARK = "zqx"   # marker prefix: an ASCII word the search can find


def hostile(tag: str) -> str:
    """The value of one field: its marker word, then every payload."""
    return f"{MARK}{tag} " + " ".join(PAYLOADS)


def _read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _read_md(path: Path) -> tuple[Any, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def _write_md(path: Path, front: Any, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body,
                    encoding="utf-8")


VILLAGE = "qingshi"
VILLAGE_NAME = "荷垅村</title><script>alert(1)</script>"
COUNTY_NAME = '青山县"><img src=x onerror=alert(1)>'
TOWNSHIP = "青山镇<svg onload=alert(1)>"
# A file name is also clerk text: published as a download, never a page.
PAYLOAD_FILE = "files/\"><img src=x onerror=alert(1)>.pdf"


def write_county(dest: Path) -> Path:
    """The hostile county at dest/villages; returns that folder."""
    root = dest / "villages"
    shutil.copytree(FIXTURE, root)
    county = _read_yaml(root / "county.yml")
    county["name"] = COUNTY_NAME
    county["townships"] = [TOWNSHIP, *county["townships"][1:]]
    _write_yaml(root / "county.yml", county)

    v = root / VILLAGE
    profile = _read_yaml(v / "village.yml")
    profile["name"] = VILLAGE_NAME
    profile["township"] = TOWNSHIP
    profile["contact"] = {"office": hostile("office"), "phone": hostile("phone"),
                          "hours": hostile("hours"), "township_phone": hostile("tphone")}
    for group, members in profile["roster"].items():
        for i, m in enumerate(members):
            m["name"], m["role"] = hostile(f"{group}name{i}"), hostile(f"{group}role{i}")
    _write_yaml(v / "village.yml", profile)

    for path in sorted((v / "ledgers").glob("*.yml")):
        ledger = _read_yaml(path)
        ledger["review"]["by"] = [hostile("reviewby")]
        for i, e in enumerate(ledger["entries"]):
            for key in ("voucher", "summary", "counterparty", "handled_by", "reviewed_by", "approved_by"):
                e[key] = hostile(f"{key}{i}")
        _write_yaml(path, ledger)

    for i, path in enumerate(sorted((v / "decisions").glob("*.md"))):
        front, body = _read_md(path)
        front["title"] = hostile(f"dtitle{i}")
        for j, step in enumerate(front["steps"]):
            step["note"] = hostile(f"dnote{i}{j}")
        front["documents"] = ([{"title": hostile(f"doc{k}"), "url": url} for k, url in enumerate(HOSTILE_URLS)]
                              + [{"title": f"good{k}", "url": url} for k, url in enumerate(GOOD_URLS)])
        _write_md(path, front, HOSTILE_BODY.format(tag=f"{MARK}dbody{i}"))

    for i, path in enumerate(sorted((v / "rules").glob("*.yml"))):
        rule = _read_yaml(path)
        rule["title"] = hostile(f"rtitle{i}")
        for j, version in enumerate(rule["versions"]):
            version["version"] = f"{MARK}rversion{i}{j} </title><script>alert(1)</script>"
            if "text" in version:
                version["text"] = HOSTILE_BODY.format(tag=f"{MARK}rtext{i}{j}")
            for k, power in enumerate(version.get("powers", [])):
                power["name"] = hostile(f"pname{i}{j}{k}")
                power["steps"] = [hostile(f"pstep{i}{j}{k}"), *power["steps"][1:]]
                if "basis" in power:
                    power["basis"] = hostile(f"pbasis{i}{j}{k}")
                if "responsible" in power:
                    power["responsible"] = hostile(f"presp{i}{j}{k}")
        _write_yaml(path, rule)

    for path in sorted((v / "evaluations").glob("*.yml")):
        ev = _read_yaml(path)
        y = ev["year"]
        ev["chaired_by"] = hostile(f"chair{y}")
        for k, c in enumerate(ev["cadres"]):
            c["name"], c["role"] = hostile(f"cname{y}{k}"), hostile(f"crole{y}{k}")
            c["report"] = HOSTILE_BODY.format(tag=f"{MARK}creport{y}{k}")
        _write_yaml(path, ev)

    for i, path in enumerate(sorted((v / "notices").glob("*.md"))):
        front, body = _read_md(path)
        front["title"] = hostile(f"ntitle{i}")
        front["objections"] = hostile(f"nobj{i}")
        if "table" in front:
            front["table"]["columns"] = [hostile(f"ncol{i}{k}") for k in range(len(front["table"]["columns"]))]
            front["table"]["rows"][0] = [hostile(f"ncell{i}{k}") for k in range(len(front["table"]["columns"]))]
            front["table"]["rows"].append(["=HYPERLINK(\"http://x\";\"点此查看\")", "@SUM(1+1)", "+1+1",
                                           "-2+3+cmd|' /C calc'!A0"])
        _write_md(path, front, HOSTILE_BODY.format(tag=f"{MARK}nbody{i}"))

    files = v / "files"
    files.mkdir()
    (v / PAYLOAD_FILE).write_bytes(PDF)
    (files / "minutes.pdf").write_bytes(PDF)
    return root


# A one-page PDF whose text can be read (and holds no personal number).
PDF = pdf_bytes("Minutes")
