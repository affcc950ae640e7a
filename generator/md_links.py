"""Link, image and reference patterns of Python-Markdown in linear time.

Python-Markdown finds the ``]`` that closes a link text, and the ``)`` that closes its
destination, by walking the text character by character from each ``[`` and each ``](``.
A text with many brackets that never close (``[[[[…``, ``[a](`` repeated) makes every
walk run to the end of the paragraph: quadratic, minutes for 40 KB. Here each answer
comes from a table of matching brackets made once per text (Python-Markdown hands the
same string to the pattern until a match changes it), and the original walk runs only
where quotes make the destination's grammar more than bracket counting. The results are
the same as Python-Markdown's (tests/test_markdown.py compares them on random texts).
"""

from __future__ import annotations

import re

import markdown
from markdown.inlinepatterns import (
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

SQUARE = re.compile(r"[\[\]]")
ROUND = re.compile(r"[()]")


def matching(data: str, pattern: re.Pattern[str], opener: str) -> dict[int, int]:
    """Position of each opening bracket → position of the bracket that closes it (the
    first one where the count of brackets since the opener falls back to zero)."""
    closes: dict[int, int] = {}
    stack: list[int] = []
    for m in pattern.finditer(data):
        if m.group() == opener:
            stack.append(m.start())
        elif stack:
            closes[stack.pop()] = m.start()
    return closes


class BracketTables:
    """The matching-bracket tables of the text a pattern was last handed."""

    def __init__(self) -> None:
        self.data: str | None = None
        self.square: dict[int, int] = {}
        self.round: dict[int, int] | None = None

    def of(self, data: str) -> BracketTables:
        if data is not self.data:
            self.data = data
            self.square = matching(data, SQUARE, "[")
            self.round = None  # made when a destination first needs it
        return self

    def round_close(self, opener: int) -> int | None:
        if self.round is None:
            self.round = matching(self.data or "", ROUND, "(")
        return self.round.get(opener)


class LinearText:
    """``getText`` (the text between ``[`` and its ``]``) and ``getLink`` (the
    destination between ``(`` and its ``)``) from the bracket tables."""

    RE_LINK: re.Pattern[str]

    def __init__(self, pattern: str, md: markdown.Markdown) -> None:
        super().__init__(pattern, md)  # type: ignore[call-arg]
        self.tables = BracketTables()

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        close = data.find("]", index)
        if close < 0:
            return data[index:], len(data), False
        if data.find("[", index, close) < 0:  # no nested brackets: the first ] closes
            return data[index:close], close + 1, True
        close = self.tables.of(data).square.get(index - 1, -1)
        if close < 0:
            return data[index:], len(data), False
        return data[index:close], close + 1, True


class LinearLink(LinearText):
    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = self.RE_LINK.match(data, pos=index)
        if m is None or m.group(1):  # not a destination, or the <…> form: a regex
            return super().getLink(data, index)  # type: ignore[misc]
        start = m.end()
        # Without quotes, bracket counting alone decides: the ( at ``index`` and its ).
        close = self.tables.of(data).round_close(index)
        end = len(data) if close is None else close
        if data.find("'", start, end) >= 0 or data.find('"', start, end) >= 0:
            return super().getLink(data, index)  # type: ignore[misc]
        if close is None:
            return "", None, len(data), False
        href = self.unescape(data[start:close]).strip()  # type: ignore[attr-defined]
        return href, None, close + 1, True


def _linear(base: type, mixin: type) -> type:
    return type(f"Linear{base.__name__}", (mixin, base), {})


REPLACEMENTS: dict[type, type] = {
    LinkInlineProcessor: _linear(LinkInlineProcessor, LinearLink),
    ImageInlineProcessor: _linear(ImageInlineProcessor, LinearLink),
    ReferenceInlineProcessor: _linear(ReferenceInlineProcessor, LinearText),
    ShortReferenceInlineProcessor: _linear(ShortReferenceInlineProcessor, LinearText),
    ImageReferenceInlineProcessor: _linear(ImageReferenceInlineProcessor, LinearText),
    ShortImageReferenceInlineProcessor: _linear(ShortImageReferenceInlineProcessor, LinearText),
}


def make_links_linear(md: markdown.Markdown) -> None:
    """Swap the link and reference patterns of ``md`` for the linear ones, keeping their
    names, patterns and priorities."""
    registry = md.inlinePatterns
    for item in list(registry._priority):
        processor = registry[item.name]
        replacement = REPLACEMENTS.get(type(processor))
        if replacement is None:
            continue
        registry.register(replacement(processor.pattern, md), item.name, item.priority)
