"""Rewrite the site-root links of a report body (``/xwzx/gsgg/``) as links relative to its
page, so that the body works under any sub-path and from the file system.

The body is raw HTML written by editors: a real tokenizer (:mod:`html.parser`) finds the
start tags, so text, comments, ``<script>`` and ``<style>`` are never touched, and every
attribute that holds a URL is rewritten in any quoting (``"…"``, ``'…'`` or none),
``srcset`` candidate by candidate. Only the changed values are written again (escaped);
the rest of the body stays byte for byte as it was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote

from .urls import Linker, split_url

# Attributes holding one URL, on any element; ``data`` only on <object>.
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "action", "formaction", "xlink:href"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# A body with neither (a value, or a later srcset candidate, starting with one '/') has no
# site-root link: it is returned as it is, unparsed. Two searches for a literal character
# are some 50 times faster than one case-insensitive search for the attribute names.
ROOT_VALUE = re.compile(r"""=\s*["']?\s*/(?![/\\])""")
ROOT_CANDIDATE = re.compile(r""",\s*/(?![/\\])""")
# One attribute inside a start tag that the tokenizer has delimited.
ATTRIBUTE = re.compile(r"""([^\s/>=][^\s/>=]*)(?:\s*=\s*('[^']*'|"[^"]*"|[^\s>'"][^\s>]*))?""")
TAG_NAME = re.compile(r"<[^\s/>]+")
SPACE = " \t\n\r\f"


def srcset_spans(value: str) -> list[tuple[int, int]]:
    """Where the URLs of a ``srcset`` value are (start, end), as browsers split it."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i] in SPACE or value[i] == ","):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and value[i] not in SPACE:
            i += 1
        end = i
        while end > start and value[end - 1] == ",":
            end -= 1  # 'a.png,b.png': the commas end the candidate
        if end > start:
            spans.append((start, end))
        if end < i:
            continue
        depth = 0  # descriptors run to the next comma outside parentheses
        while i < n:
            char = value[i]
            i += 1
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            elif char == "," and depth == 0:
                break
    return spans


def _rewrite_srcset(value: str, rewrite: Callable[[str], str]) -> str:
    parts: list[str] = []
    last = 0
    for start, end in srcset_spans(value):
        parts += [value[last:start], rewrite(value[start:end])]
        last = end
    parts.append(value[last:])
    return "".join(parts)


class _StartTags(HTMLParser):
    """Collects the edits of the start tags that hold a site-root URL."""

    def __init__(self, text: str, rewrite: Callable[[str], str]):
        super().__init__(convert_charrefs=False)
        self.rewrite = rewrite
        self.rawtext = text
        self.edits: list[tuple[int, int, str]] = []  # (start, end, new tag text)
        self._line_starts = [0]
        self._line_starts += [m.end() for m in re.finditer("\n", text)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not any(v and _holds_url(tag, k) for k, v in attrs):
            return
        raw = self.get_starttag_text() or ""
        line, column = self.getpos()
        start = self._line_starts[line - 1] + column
        if self.rawtext[start : start + len(raw)] != raw:
            return  # not where the tokenizer says: leave the tag alone
        new = self._rewrite_tag(tag, raw)
        if new != raw:
            self.edits.append((start, start + len(raw), new))

    handle_startendtag = handle_starttag

    def _rewrite_tag(self, tag: str, raw: str) -> str:
        name = TAG_NAME.match(raw)
        pos = name.end() if name else 0
        out = [raw[:pos]]
        for match in ATTRIBUTE.finditer(raw, pos):
            quoted = match.group(2)
            key = match.group(1).lower()
            if quoted is None or not _holds_url(tag, key):
                continue
            value = html.unescape(quoted[1:-1] if quoted[0] in "'\"" else quoted)
            if key in SRCSET_ATTRIBUTES:
                new = _rewrite_srcset(value, self.rewrite)
            else:
                new = self.rewrite(value)
            if new != value:
                out += [raw[pos : match.start(2)], '"', html.escape(new, quote=True), '"']
                pos = match.end(2)
        out.append(raw[pos:])
        return "".join(out)


def _holds_url(tag: str, attribute: str) -> bool:
    return (
        attribute in URL_ATTRIBUTES
        or attribute in SRCSET_ATTRIBUTES
        or (attribute == "data" and tag == "object")
    )


def relink_site_paths(body: str, linker: Linker, current: str | None, base_path: str) -> str:
    """``body`` with every site-root URL (``/a/b/``, not ``//host``) made relative to the
    page at ``current``; a URL that already starts with ``base_path`` loses it first."""
    if not ROOT_VALUE.search(body) and not ROOT_CANDIDATE.search(body):
        return body
    base = unquote(base_path)

    def rewrite(value: str) -> str:
        url = value.strip(SPACE)
        if not url.startswith("/") or url[1:2] in ("/", "\\"):
            return value
        path, suffix = split_url(url)
        target = unquote(path)
        if base != "/" and (target + "/").startswith(base):
            target = "/" + target[len(base) :]
        return linker.href(target, current, suffix)

    parser = _StartTags(body, rewrite)
    parser.feed(body)
    parser.close()
    if not parser.edits:
        return body
    out: list[str] = []
    last = 0
    for start, end, text in parser.edits:
        out += [body[last:start], text]
        last = end
    out.append(body[last:])
    return "".join(out)
