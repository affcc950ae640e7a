"""Plain text from Markdown, and summaries cut for CJK text."""

from __future__ import annotations

import re

_STRIP = [
    (re.compile(r"^\s{0,3}#{1,6}\s.*$", re.M), ""),  # headings
    (re.compile(r"^\s*\|.*\|\s*$", re.M), ""),  # table rows
    (re.compile(r"^\s*[-*+]\s+|^\s*\d+\.\s+", re.M), ""),  # list markers
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[\^[^\]]+\]:?"), ""),  # footnote marks
    (re.compile(r"<[^>]+>"), ""),  # raw HTML tags
    (re.compile(r"\{:?[^}]*\}"), ""),  # attribute lists
    (re.compile(r"[*_`~]{1,3}"), ""),  # emphasis, code marks
    (re.compile(r"^\s*>\s?", re.M), ""),  # quotes
]
# Letters of Latin script, accented ones included (pinyin with tone marks: Guànnán).
_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff"
_LATIN_CHAR = re.compile(f"[{_LATIN}]")
_LATIN_WORD = re.compile(f"[{_LATIN}][{_LATIN}'’.-]*$")


def plain_text(markdown_source: str) -> str:
    """A cheap plain-text view of a Markdown body (no rendering), for summaries."""
    text = markdown_source
    for pattern, repl in _STRIP:
        text = pattern.sub(repl, text)
    return re.sub(r"\s+", " ", text).strip()


def cut(text: str, length: int, ellipsis: str = "…") -> str:
    """At most ``length`` characters; CJK may be cut anywhere, Latin words are kept whole."""
    text = text.strip()
    if len(text) <= length:
        return text
    head = text[:length]
    if _LATIN_CHAR.match(text[length]):
        word = _LATIN_WORD.search(head)
        if word and word.start() > 0:
            head = head[: word.start()]
    return head.rstrip(" ，,、；;：:") + ellipsis
