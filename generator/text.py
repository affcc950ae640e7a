"""Plain text from Markdown, summaries cut for CJK text, and characters no page may carry.

Every function here runs in time linear in the length of its input, whatever the input:
a report's text goes through them at every build, and a careless or hostile file (a
megabyte of blank lines, of '[' or of table rows) must not stall the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters that XML 1.0 forbids or that are invisible controls: C0 except tab and
# newline, DEL, C1, lone surrogates and the non-characters U+FFFE and U+FFFF. None of them
# may reach a page, a feed or the sitemap (one makes feed.xml malformed).
INVALID_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_invalid(text: str) -> tuple[str, str]:
    """The text without :data:`INVALID_CHARS`, and the characters removed."""
    found = INVALID_CHARS.findall(text)
    if not found:
        return text, ""
    return INVALID_CHARS.sub("", text), "".join(found)


# Block patterns are anchored at a line start and never look past its end ([^\S\n] is
# whitespace other than a newline): a pattern that began with \s* could read on through
# every following blank line from every line start, quadratic in a run of blank lines.
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.M)
_TABLE_ROW = re.compile(r"^[^\S\n]*\|.*\|\s*$", re.M)
_LIST_MARKER = re.compile(r"^[^\S\n]*[-*+]\s+|^[^\S\n]*\d+\.\s+", re.M)
_QUOTE = re.compile(r"^[^\S\n]*>\s?", re.M)
# Inline patterns of the form "open, anything but close, close": run only on the text up
# to the last close character, where every attempt that starts reading succeeds, so no
# stretch of text is read twice (see _up_to_last).
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:?")
_HTML_TAG = re.compile(r"<[^>]+>")
_ATTR_LIST = re.compile(r"\{:?[^}]*\}")
_EMPHASIS = re.compile(r"[*_`~]{1,3}")
_SPACE = re.compile(r"\s+")


def _up_to_last(pattern: re.Pattern[str], text: str, close: str, tail: int = 0) -> str:
    """``pattern.sub("", text)`` for a pattern that ends at ``close`` (plus at most
    ``tail`` characters), applied only up to the last ``close``: beyond it nothing
    can match, and before it every match attempt ends at the next ``close``."""
    last = text.rfind(close)
    if last < 0:
        return text
    cut = last + 1 + tail
    return pattern.sub("", text[:cut]) + text[cut:]


def _sub_links(text: str, prefix: str, replace: Callable[[str], str]) -> str:
    r"""``re.sub(prefix + r"\[([^\]]*)\]\([^)]*\)", replace(\1), text)`` in linear time.

    At a '[' the pattern's ']' is the first one after it and its ')' the first one after
    that, so both are found with ``str.find`` and kept while they lie ahead: the attempts
    from many '[' before one ']' share it instead of each reading on to it.
    """
    opener = prefix + "["
    out: list[str] = []
    copied = search = 0
    close_bracket = close_paren = -1
    while True:
        start = text.find(opener, search)
        if start < 0:
            break
        bracket = start + len(prefix)
        if close_bracket <= bracket:
            close_bracket = text.find("]", bracket + 1)
            if close_bracket < 0:
                break  # no ']' ahead: no later attempt can match either
        if text.startswith("(", close_bracket + 1):
            if close_paren <= close_bracket + 1:
                close_paren = text.find(")", close_bracket + 2)
                if close_paren < 0:
                    break  # no ')' ahead: neither
            out.append(text[copied:start])
            out.append(replace(text[bracket + 1 : close_bracket]))
            copied = search = close_paren + 1
        else:
            search = start + 1
    out.append(text[copied:])
    return "".join(out)


def _any(text: str, chars: str) -> bool:
    return any(c in text for c in chars)


def plain_text(markdown_source: str) -> str:
    """A cheap plain-text view of a Markdown body (no rendering), for summaries.

    A pattern runs only where the characters it needs occur (a long law has no '|' nor
    '>'): the text is the same, and a 100 KB body costs a fraction of the time.
    """
    text = strip_invalid(markdown_source)[0]
    if "#" in text:
        text = _HEADING.sub("", text)
    if "|" in text:
        text = _TABLE_ROW.sub("", text)
    if _any(text, "-*+."):
        text = _LIST_MARKER.sub("", text)
    text = _sub_links(text, "!", lambda _label: "")  # images
    text = _sub_links(text, "", lambda label: label)  # links keep their text
    text = _up_to_last(_FOOTNOTE, text, "]", tail=1)  # footnote marks (and a ':')
    text = _up_to_last(_HTML_TAG, text, ">")  # raw HTML tags
    text = _up_to_last(_ATTR_LIST, text, "}")  # attribute lists
    if _any(text, "*_`~"):
        text = _EMPHASIS.sub("", text)  # emphasis, code marks
    if ">" in text:
        text = _QUOTE.sub("", text)  # quotes
    # _SPACE.sub(" ", text).strip(): str.split() splits at the very characters \s matches.
    return " ".join(text.split())


# Characters that open an inline pattern able to reach past a line end (a link, a
# footnote mark, a tag, an attribute list): a head of a text with none of them is made
# plain exactly as it is inside the whole text.
_OPENERS = "[<{"


def plain_head(markdown_source: str, at_least: int) -> tuple[str, bool]:
    """The start of ``plain_text(markdown_source)``, more than ``at_least`` characters of
    it when it has that many, and whether it is the whole text.

    A summary needs the first hundred characters of a 300 KB law, not its whole plain
    text. Only a head of whole lines with no character of :data:`_OPENERS` is taken: the
    line patterns end at its last line end or read on only over blanks, and no inline
    pattern can start in it, so its plain text is the start of the whole one's."""
    size = max(4 * at_least, 256)
    while size < len(markdown_source):
        end = markdown_source.find("\n", size)
        if end < 0:
            break
        head = markdown_source[: end + 1]
        if _any(head, _OPENERS):
            break
        text = plain_text(head)
        if len(text) > at_least:
            return text, False
        size *= 4
    return plain_text(markdown_source), True


# Letters of Latin script, accented ones included (pinyin with tone marks: Guànnán).
_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff"
_LATIN_CHAR = re.compile(f"[{_LATIN}]")
_WORD_CHAR = re.compile(f"[{_LATIN}'’.-]")


def _last_word_start(head: str) -> int:
    """Where the Latin word at the end of ``head`` starts (-1: none), read backwards:
    the first Latin letter of the trailing run of word characters (before a final
    newline, as a regular expression's ``$`` would have it)."""
    end = len(head) - 1 if head.endswith("\n") else len(head)
    start = end
    while start > 0 and _WORD_CHAR.match(head, start - 1):
        start -= 1
    for index in range(start, end):
        if _LATIN_CHAR.match(head, index):
            return index
    return -1


def cut(text: str, length: int, ellipsis: str = "…") -> str:
    """At most ``length`` characters; CJK may be cut anywhere, Latin words are kept whole."""
    text = text.strip()
    if len(text) <= length:
        return text
    head = text[:length]
    if _LATIN_CHAR.match(text[length]):
        word = _last_word_start(head)
        if word > 0:
            head = head[:word]
    return head.rstrip(" ，,、；;：:") + ellipsis
