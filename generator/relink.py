"""Rewrite the site-root links of a report body (``/xwzx/gsgg/``) as links relative to its
page, so that the body works under any sub-path and from the file system.

The body is raw HTML written by editors: a small tokenizer (the start-tag grammar of the
HTML standard, checked against :mod:`html.parser` in the tests, five to ten times faster
than it) finds the start tags, so text, comments, ``<script>`` and ``<style>`` are never
touched, and every
attribute that holds a URL is rewritten in any quoting (``"…"``, ``'…'`` or none),
``srcset`` candidate by candidate. Only the changed values are written again (escaped);
the rest of the body stays byte for byte as it was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
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
SPACE = " \t\n\r\f"
# A start tag as the HTML tokenizer reads it (tag open → attribute states → '>'): an ASCII
# letter after '<', then attributes whose quoted values may hold '>' (atomic groups: no
# backtracking on a long unterminated tag).
_W = r"[\t\n\f\r ]"
_ATTR = rf"""(?>[^\t\n\f\r />][^\t\n\f\r /=>]*+(?:{_W}*+={_W}*+(?:"[^"]*+"|'[^']*+'|(?!["'])[^\t\n\f\r >]*+))?)"""
START_TAG = re.compile(rf"<([a-zA-Z][^\t\n\f\r />]*+)(?:[\t\n\f\r /]*+{_ATTR})*+[\t\n\f\r /]*+>")
# One attribute inside a start tag (the same grammar), its value in group 2.
ATTRIBUTE = re.compile(
    rf"""([^\t\n\f\r />][^\t\n\f\r /=>]*+)(?:{_W}*+={_W}*+("[^"]*+"|'[^']*+'|(?!["'])[^\t\n\f\r >]*+))?"""
)
# Elements whose content is text to the tokenizer, up to their end tag.
RAW_TEXT = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.I)
    for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}


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


def start_tags(body: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, lower-case name) of each start tag, found as an HTML tokenizer does:
    text, comments, end tags, declarations and the contents of raw-text elements
    (``<script>``, ``<style>``, …) are stepped over."""
    at = 0
    while True:
        at = body.find("<", at)
        if at < 0:
            return
        if body.startswith("<!--", at):
            close = body.find("-->", at + 4)
            if close < 0:
                return
            at = close + 3
            continue
        match = START_TAG.match(body, at)
        if match is None:
            at += 1  # '</x>', '<!x>', '<?x>' or a '<' in text: no start tag here
            continue
        name = match.group(1).lower()
        yield at, match.end(), name
        at = match.end()
        if name in RAW_TEXT:
            close = RAW_TEXT[name].search(body, at)
            if close is None:
                return
            at = close.end()


def _rewrite_tag(tag: str, raw: str, rewrite: Callable[[str], str]) -> str:
    """The start tag ``raw`` with its URL attributes rewritten (others as they were)."""
    pos = len(tag) + 1
    out = [raw[:pos]]
    for match in ATTRIBUTE.finditer(raw, pos):
        quoted = match.group(2)
        key = match.group(1).lower()
        if not quoted or not _holds_url(tag, key):
            continue
        value = html.unescape(quoted[1:-1] if quoted[0] in "'\"" else quoted)
        new = _rewrite_srcset(value, rewrite) if key in SRCSET_ATTRIBUTES else rewrite(value)
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

    out: list[str] = []
    last = 0
    for start, end, tag in start_tags(body):
        raw = body[start:end]
        if "/" not in raw:
            continue
        text = _rewrite_tag(tag, raw, rewrite)
        if text != raw:
            out += [body[last:start], text]
            last = end
    if not out:
        return body
    out.append(body[last:])
    return "".join(out)
