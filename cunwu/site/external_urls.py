"""Find anything in a built site that makes a browser request outside the site.

Villagers read the sites on weak rural networks, often where foreign CDNs and
Google do not load; a page must load nothing but its own files. This module
scans a built site (HTML, SVG, CSS, JS) and lists every URL that the browser
would fetch from another host on its own, without the reader clicking:

- HTML/SVG: ``src``/``srcset``/``poster``/``data``/``background`` of loading
  elements, ``<link href>`` whose ``rel`` loads or connects (stylesheet, icon,
  preload, prefetch, preconnect, dns-prefetch, manifest, ...), ``<base href>``,
  ``<meta http-equiv=refresh>``, SVG ``<image>/<use>/<feImage> href``,
  ``<?xml-stylesheet?>``, ``style`` attributes and ``<style>`` blocks, inline
  ``<script>`` and ``on*=`` handler code.
- CSS: ``url(...)``, ``@import``, ``image-set("...")``.
- JS: absolute (``http(s)://``, ``ws(s)://``) or protocol-relative (``//``)
  string literals used where they are loaded: ``fetch(``, ``import(``,
  ``import ... from``, ``importScripts(``, ``new Worker(``, ``WebSocket``,
  ``EventSource``, ``sendBeacon``, ``XMLHttpRequest.open``, ``.src =``,
  ``src:``, ``setAttribute("src", ...)``, CSS or ``<script src>`` inside strings.
  A small lexer drops comments and tells strings from code, so licence
  comments, help links in messages (``console.warn("... https://bit.ly/...")``)
  and other strings that are never requested are ignored.
- Material for MkDocs: its bundle has three loads the rules above cannot see,
  each behind a condition, reported against the page where it would happen:
  the mermaid library for ``<pre class="mermaid">`` blocks, the repository
  API (api.github.com / GitLab) when ``repo_url`` puts a source widget in the
  header, and the ResizeObserver polyfill on browsers without one (iOS < 13.4)
  unless the page also loads a script that defines ``window.ResizeObserver``
  (theme/assets/cunwu.js does).

Ordinary ``<a href="https://...">`` links, ``rel=canonical/alternate/prev/next``
and form actions are not requests and are not reported.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["find_external_requests", "is_external_url"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SVG_SUFFIXES = {".svg"}
CSS_SUFFIXES = {".css"}
JS_SUFFIXES = {".js", ".mjs"}

_EXTERNAL_SCHEMES = {"http", "https", "ws", "wss", "ftp"}

# <link rel=...> values that make the browser fetch or connect.
_LOADING_RELS = {
    "stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed",
    "mask-icon", "manifest", "preload", "modulepreload", "prefetch",
    "prerender", "preconnect", "dns-prefetch", "import", "fluid-icon",
}

# element -> attributes whose URL is fetched when the element is parsed
_URL_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset", "lowsrc", "longdesc"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data", "codebase"),
    "applet": ("code", "codebase", "archive"),
    "html": ("manifest",),
    "image": ("href", "xlink:href", "src"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "link": (),  # handled with rel
    "input": (),  # handled with type=image
}

_JS_TYPES = {"", "text/javascript", "application/javascript", "module",
             "text/ecmascript", "application/ecmascript", "text/jscript"}


def is_external_url(url: str) -> bool:
    """True if fetching ``url`` from a page of the site would leave the site.

    Absolute http(s)/ws(s)/ftp URLs and protocol-relative ``//host`` URLs are
    external; relative paths, ``#fragments``, ``data:``, ``blob:``,
    ``about:``, ``javascript:``, ``mailto:`` and ``tel:`` are not.
    """
    value = url.strip().strip("\"'").strip()
    # Browsers drop tabs/newlines inside URLs and treat "\" like "/".
    value = re.sub(r"[\t\n\r]", "", value).replace("\\", "/")
    if re.match(r"//[^/]", value):
        return True
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return bool(match) and match.group(1).lower() in _EXTERNAL_SCHEMES


def find_external_requests(site_dir: Path) -> list[tuple[str, str]]:
    """Every (file, url) in the built site at ``site_dir`` that would make the
    browser request something outside the site. ``file`` is the path relative
    to ``site_dir`` (posix), the page for page-level findings. Sorted, unique;
    an empty list means the site is self-contained."""
    site = Path(site_dir)
    found: set[tuple[str, str]] = set()
    js_cache: dict[str, _JsFacts] = {}

    def js_facts(rel: str) -> _JsFacts | None:
        if rel not in js_cache:
            path = site / rel
            if not path.is_file():
                return None
            js_cache[rel] = _analyse_js_cached(path.read_bytes())
        return js_cache[rel]

    files = sorted(p for p in site.rglob("*") if p.is_file())
    for path in files:
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix.lower()
        if suffix in JS_SUFFIXES:
            facts = js_facts(rel)
            if facts:
                found.update((rel, url) for url in facts.direct)
        elif suffix in CSS_SUFFIXES:
            text = _read_text(path)
            found.update((rel, url) for url in _css_urls(text) if is_external_url(url))
        elif suffix in HTML_SUFFIXES or suffix in SVG_SUFFIXES:
            page = _scan_markup(_read_text(path))
            found.update((rel, url) for url in page.direct)
            _page_conditionals(site, rel, page, js_facts, found)
    return sorted(found)


# ------------------------------------------------------------------ markup


@dataclass
class _PageFacts:
    direct: set[str] = field(default_factory=set)
    scripts: list[str] = field(default_factory=list)     # local script srcs
    inline_js: list[str] = field(default_factory=list)
    mermaid: bool = False
    repo_urls: list[str] = field(default_factory=list)


class _MarkupScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = _PageFacts()
        self._in_style = False
        self._in_script = False
        self._script_is_js = False
        self._buf: list[str] = []
        self._in_source_widget = 0
        self._depth = 0

    # The parser lowercases tag and attribute names.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "style":
            self._in_style, self._buf = True, []
        elif tag == "script":
            a = {k: (v or "") for k, v in attrs}
            self._in_script, self._buf = True, []
            self._script_is_js = "src" not in a and a.get("type", "").strip().lower() in _JS_TYPES

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style = False
            self._css("".join(self._buf))
        elif tag == "script" and self._in_script:
            self._in_script = False
            if self._script_is_js:
                self.facts.inline_js.append("".join(self._buf))

    def handle_data(self, data: str) -> None:
        if self._in_style or self._in_script:
            self._buf.append(data)

    def handle_pi(self, data: str) -> None:
        # <?xml-stylesheet href="..."?> in SVG/XML
        if data.lstrip().lower().startswith("xml-stylesheet"):
            match = re.search(r"""href\s*=\s*(["'])(.*?)\1""", data)
            if match:
                self._url(match.group(2))

    def _url(self, url: str | None) -> None:
        if url and is_external_url(url):
            self.facts.direct.add(url.strip())

    def _css(self, text: str) -> None:
        for url in _css_urls(text):
            self._url(url)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a: dict[str, str] = {}
        for key, value in attrs:
            a.setdefault(key, value or "")
        for name in _URL_ATTRS.get(tag, ()):
            if name in a:
                if name == "srcset":
                    for url in _srcset_urls(a[name]):
                        self._url(url)
                elif name == "archive":
                    for url in a[name].split(","):
                        self._url(url)
                else:
                    self._url(a[name])
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & _LOADING_RELS:
                self._url(a.get("href"))
                for url in _srcset_urls(a.get("imagesrcset", "")):
                    self._url(url)
        elif tag == "input" and a.get("type", "").lower() == "image":
            self._url(a.get("src"))
        elif tag == "base":
            self._url(a.get("href"))
        elif tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", a.get("content", ""), re.I)
            if match:
                self._url(match.group(1))
        elif tag == "script" and "src" in a:
            src = a["src"].strip()
            if src and not is_external_url(src):
                self.facts.scripts.append(src)
        if "background" in a and tag not in ("image", "use"):
            self._url(a["background"])
        if "style" in a:
            self._css(a["style"])
        for key, value in a.items():
            if key.startswith("on") and value:
                self.facts.inline_js.append(value)
        # Material: <pre class="mermaid"> loads mermaid from unpkg;
        # the header source widget calls the GitHub/GitLab API.
        classes = a.get("class", "").split()
        if tag == "pre" and "mermaid" in classes:
            self.facts.mermaid = True
        if a.get("data-md-component") == "source" and a.get("href"):
            self.facts.repo_urls.append(a["href"])


def _scan_markup(text: str) -> _PageFacts:
    scanner = _MarkupScanner()
    try:
        scanner.feed(text)
        scanner.close()
    except Exception:  # html.parser is lenient; never let a page crash the check
        pass
    facts = scanner.facts
    for code in facts.inline_js:
        js = _analyse_js(code)
        facts.direct.update(js.direct)
    return facts


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in re.split(r",\s+|,(?=\S*\s)", value.strip()):
        parts = candidate.strip().split()
        if parts:
            urls.append(parts[0])
    return urls


# ---------------------------------------------------------------------- CSS

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(
    r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)'"\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.I)
_CSS_IMAGE_SET = re.compile(r"image-set\(([^)]*)\)", re.I)
_CSS_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""")


def _css_unescape(value: str) -> str:
    def repl(match: re.Match) -> str:
        hexa = match.group(1)
        if hexa:
            try:
                return chr(int(hexa, 16))
            except (ValueError, OverflowError):
                return ""
        return match.group(2)
    return re.sub(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", repl, value)


def _css_urls(text: str) -> list[str]:
    """URLs a stylesheet would load (url(), @import, image-set strings)."""
    text = _CSS_COMMENT.sub(" ", text)
    urls: list[str] = []
    for match in _CSS_URL.finditer(text):
        urls.append(_css_unescape(next(g for g in match.groups() if g is not None)))
    for match in _CSS_IMPORT.finditer(text):
        urls.append(_css_unescape(next(g for g in match.groups() if g is not None)))
    for match in _CSS_IMAGE_SET.finditer(text):
        for s in _CSS_STRING.finditer(match.group(1)):
            urls.append(_css_unescape(next(g for g in s.groups() if g is not None)))
    return urls


# ----------------------------------------------------------------------- JS


@dataclass
class _JsFacts:
    direct: set[str] = field(default_factory=set)      # loaded whenever it runs
    resize_polyfill: str | None = None                 # Material's conditional loads
    mermaid: str | None = None
    repo_api: bool = False
    defines_resize_observer: bool = False


_JS_FACTS_CACHE: dict[str, _JsFacts] = {}

_S = r"\x00(\d+)\x00"                                   # a string in the skeleton
_LOAD_CALL = re.compile(
    r"(?:\bfetch|\bimport|\bimportScripts|\bnew\s+(?:Shared)?Worker|\bnew\s+WebSocket"
    r"|\bnew\s+EventSource|\.sendBeacon|\bserviceWorker\.register|\bnew\s+Audio"
    r"|\bnavigator\.serviceWorker\.register)\s*\(\s*" + _S)
_IMPORT_SCRIPTS_ARGS = re.compile(r"\bimportScripts\s*\(([^)]*)\)")
_XHR_OPEN = re.compile(r"\.open\s*\(\s*" + _S + r"\s*,\s*" + _S)
_SRC_ASSIGN = re.compile(r"\.(?:src|srcset|poster|data)\s*=\s*" + _S)
_SRC_PROP = re.compile(r"(?:[{,]\s*)(?:src|\"src\"|'src')\s*:\s*" + _S)
_SET_ATTR = re.compile(r"\.setAttribute(?:NS)?\s*\(\s*(?:[^,()]*,\s*)?" + _S + r"\s*,\s*" + _S)
_STATIC_IMPORT = re.compile(r"(?:\bfrom|\bimport)\s*" + _S)
_DEFINES_RO = re.compile(r"\b(?:window|self|globalThis)\s*\.\s*ResizeObserver\s*=[^=]")

# After these a "/" divides; after anything else (operators, "(", ",", "{",
# "}", keywords such as return/typeof, start of input) it starts a regex.
_DIVISION_AFTER = {"id", "num", "str", ")", "]"}

_JS_KEYWORDS_BEFORE_EXPR = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
    "throw", "case", "do", "else", "yield", "await",
}

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      |(?P<lc>//[^\n]*)
      |(?P<bc>/\*.*?(?:\*/|\Z))
      |(?P<str>"(?:[^"\\\n]|\\.|\\\n)*"?|'(?:[^'\\\n]|\\.|\\\n)*'?)
      |(?P<tpl>`)
      |(?P<word>[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*)
      |(?P<num>\.?\d[\w.]*)
      |(?P<slash>/)
      |(?P<punct>.)""",
    re.S | re.X,
)
_TPL_CHUNK = re.compile(r"(?:[^`\\$]|\\.|\$(?!\{))*", re.S)
_REGEX_BODY = re.compile(r"(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[A-Za-z]*")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js_unescape(body: str) -> str:
    def repl(match: re.Match) -> str:
        s = match.group(0)[1:]
        if s.startswith("u{"):
            try:
                return chr(int(s[2:-1], 16))
            except (ValueError, OverflowError):
                return ""
        if s[0] in "ux" and len(s) > 1:
            try:
                return chr(int(s[1:], 16))
            except ValueError:
                return s
        if s == "\n":
            return ""
        return _ESCAPES.get(s, s)
    return re.sub(r"\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", repl, body)


def _lex_js(code: str) -> tuple[str, list[str]]:
    """Comments removed, every string/template literal replaced by \\0N\\0 in
    the returned skeleton; the literals' values (template expressions as
    U+0001) are returned in order."""
    out: list[str] = []
    strings: list[str] = []
    pos, n = 0, len(code)
    prev = ""                     # last significant token, for regex-vs-divide
    brace = 0
    templates: list[tuple[int, list[str], int]] = []   # (brace depth, parts, string index)

    def template_from(start: int, parts: list[str], index: int) -> int:
        """Scan template text from start; returns the new position."""
        nonlocal prev
        i = start
        while True:
            chunk = _TPL_CHUNK.match(code, i)
            parts.append(chunk.group(0))
            i = chunk.end()
            if i >= n:
                strings[index] = _js_unescape("\x01".join(parts))
                return n
            if code[i] == "`":
                strings[index] = _js_unescape("\x01".join(parts))
                prev = "str"
                return i + 1
            # "${": code until the matching "}"
            templates.append((brace, parts, index))
            prev = "("
            return i + 2

    while pos < n:
        match = _TOKEN.match(code, pos)
        if match is None:  # pragma: no cover - the pattern matches any char
            break
        kind = match.lastgroup
        text = match.group(0)
        if kind == "ws":
            out.append(" " if "\n" not in text else "\n")
            pos = match.end()
            continue
        if kind in ("lc", "bc"):
            out.append(" ")
            pos = match.end()
            continue
        if kind == "str":
            body = text[1:-1] if len(text) > 1 and text[-1] == text[0] else text[1:]
            out.append(f"\x00{len(strings)}\x00")
            strings.append(_js_unescape(body))
            prev = "str"
            pos = match.end()
            continue
        if kind == "tpl":
            index = len(strings)
            strings.append("")
            out.append(f"\x00{index}\x00")
            pos = template_from(match.end(), [], index)
            continue
        if kind == "slash":
            if prev not in _DIVISION_AFTER:
                regex = _REGEX_BODY.match(code, pos + 1)
                if regex:
                    out.append(" /re/ ")
                    prev = "id"
                    pos = regex.end()
                    continue
            out.append("/")
            prev = "/"
            pos = match.end()
            continue
        if kind == "punct":
            if text == "{":
                brace += 1
            elif text == "}":
                if templates and templates[-1][0] == brace:
                    _, parts, index = templates.pop()
                    pos = template_from(match.end(), parts, index)
                    continue
                brace -= 1
            out.append(text)
            prev = text
            pos = match.end()
            continue
        # word / number
        out.append(text)
        if kind == "word":
            prev = text if text in _JS_KEYWORDS_BEFORE_EXPR else "id"
        else:
            prev = "num"
        pos = match.end()
    # unterminated templates: keep what was read
    for _, parts, index in templates:
        strings[index] = _js_unescape("\x01".join(parts))
    return "".join(out), strings


def _analyse_js_cached(data: bytes) -> _JsFacts:
    key = hashlib.sha1(data).hexdigest()
    facts = _JS_FACTS_CACHE.get(key)
    if facts is None:
        facts = _analyse_js(data.decode("utf-8", errors="replace"))
        if len(_JS_FACTS_CACHE) > 512:
            _JS_FACTS_CACHE.clear()
        _JS_FACTS_CACHE[key] = facts
    return facts


def _analyse_js(code: str) -> _JsFacts:
    facts = _JsFacts()
    skeleton, strings = _lex_js(code)

    def value(i: str) -> str:
        return strings[int(i)]

    def load(i: str) -> None:
        url = value(i)
        if is_external_url(url):
            facts.direct.add(_show(url))

    for rx in (_LOAD_CALL, _SRC_ASSIGN, _SRC_PROP, _STATIC_IMPORT):
        for match in rx.finditer(skeleton):
            load(match.group(1))
    for match in _IMPORT_SCRIPTS_ARGS.finditer(skeleton):
        for i in re.findall(_S, match.group(1)):
            load(i)
    for match in _XHR_OPEN.finditer(skeleton):
        load(match.group(2))
    for match in _SET_ATTR.finditer(skeleton):
        if value(match.group(1)).strip().lower() in ("src", "srcset", "data", "poster"):
            load(match.group(2))

    for s in strings:
        low = s.lower()
        # CSS or markup built in strings
        if "url(" in low or "@import" in low:
            for url in _css_urls(s):
                if is_external_url(url):
                    facts.direct.add(_show(url))
        if "<" in s and ("src" in low or "href" in low or "style" in low):
            facts.direct.update(_show(u) for u in _scan_markup_fragment(s))
        # Material for MkDocs: loads that depend on the page or the browser
        if is_external_url(s):
            if "resize-observer-polyfill" in low:
                facts.resize_polyfill = s
            elif "mermaid" in low and low.rstrip("/").endswith(".js"):
                facts.mermaid = s
            elif "api.github.com" in low or "/api/v4/projects" in low:
                facts.repo_api = True
    facts.defines_resize_observer = bool(_DEFINES_RO.search(skeleton))
    return facts


def _scan_markup_fragment(text: str) -> set[str]:
    scanner = _MarkupScanner()
    try:
        scanner.feed(text)
        scanner.close()
    except Exception:
        return set()
    return scanner.facts.direct


def _show(url: str) -> str:
    """A template expression (U+0001) is shown as ${...}."""
    return url.replace("\x01", "${...}").strip()


# ----------------------------------------------------- page-level (Material)


def _page_conditionals(site: Path, rel: str, page: _PageFacts, js_facts, found: set) -> None:
    loaded: list[_JsFacts] = []
    for src in page.scripts:
        target = _resolve(rel, src)
        if target is None:
            continue
        facts = js_facts(target)
        if facts is not None:
            loaded.append(facts)
    inline = [_analyse_js(code) for code in page.inline_js]
    defines_ro = any(f.defines_resize_observer for f in loaded + inline)
    for facts in loaded:
        if facts.resize_polyfill and not defines_ro:
            found.add((rel, facts.resize_polyfill))
        if facts.mermaid and page.mermaid:
            found.add((rel, facts.mermaid))
        if facts.repo_api:
            for url in page.repo_urls:
                api = _repo_api_url(url)
                if api:
                    found.add((rel, api))


def _resolve(page_rel: str, src: str) -> str | None:
    """Site-relative path of a script src given relative to a page."""
    path = unquote(urlsplit(src.strip()).path)
    if not path:
        return None
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page_rel), path)
    norm = posixpath.normpath(joined)
    if norm.startswith(".."):
        return None
    return norm


def _repo_api_url(url: str) -> str | None:
    match = re.match(r"^.+github\.com/([^/]+)/?([^/]+)?", url, re.I)
    if match:
        user, repo = match.groups()
        if repo:
            return f"https://api.github.com/repos/{user}/{repo}"
        return f"https://api.github.com/users/{user}"
    match = re.match(r"^.+?([^/]*gitlab[^/]+)/(.+?)/?$", url, re.I)
    if match:
        return f"https://{match.group(1)}/api/v4/projects/{match.group(2)}"
    return None


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")
