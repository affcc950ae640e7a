"""Find the slips of an editor typing YAML with a Chinese input method, line by line.

A Chinese input method types full-width punctuation: ``title：灌南县…`` (a full-width
colon after a key), ``　　phone: …`` (full-width spaces as indentation), ``tags: [法治，普法]``
(a full-width comma between list items). YAML takes none of them for what was meant: the
colon and the comma become part of the text, the full-width space part of the key, and the
error, if any, comes lines later. Each slip is found here at its own line.

Text inside quotes and block scalars (``summary: |``) is never looked at: there full-width
punctuation is ordinary Chinese text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import _

FULL_COLON = "："
FULL_COMMA = "，"
FULL_SPACE = "\u3000"

# A key as sitegen's keys are written (ASCII), at the start of a line or list item.
_ASCII_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*：")
# Any key (Chinese too) followed by a full-width colon: looked for only when the YAML
# cannot be parsed, before the line the parser stopped at.
_ANY_KEY = re.compile(r"([^\s:：#'\"\[\]{}|>,，&*!%@`-][^:：\[\]{}]*?)[ \t]*：")
_BLOCK_START = re.compile(r"(?:^|:|-)[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$|^[|>][-+0-9]*$")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")
_ITEM = re.compile(r"^(?:-[ \t]+)+")
_FLOW_KEY = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*[:：]")


@dataclass(frozen=True)
class Slip:
    line: int  # 1-based, in the file
    message: str
    hint: str


def _shorten(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _colon_slip(line: int, key: str, text: str) -> Slip:
    """``text``: the line as written (without its indentation)."""
    fixed = re.sub(re.escape(key) + r"[ \t]*：[ \t]*", lambda _m: f"{key}: ", text, count=1)
    return Slip(
        line,
        _("a full-width colon '：' after '{key}'", key=key),
        _("write a half-width colon and a space after the key: {fixed}", fixed=_shorten(fixed)),
    )


def _flow_slip(line: int, value: str, written: str) -> Slip | None:
    """A full-width comma between the items of a ``[…]`` list or a ``{…}`` mapping, or a
    full-width colon after a key inside one, written on one line (``written``: the line as
    it is, for the hint)."""
    stack: list[str] = []
    item_start = 0
    for index, char in enumerate(value):
        if char in "[{":
            stack.append(char)
            item_start = index + 1
        elif char in "]}":
            if stack:
                stack.pop()
            item_start = index + 1
        elif char == "," and stack:
            item_start = index + 1
        elif char == FULL_COMMA and stack:
            after = value[index + 1 :]
            between_items = stack[-1] == "[" or _FLOW_KEY.match(after) or after.lstrip()[:1] == "{"
            if between_items or value[:index].rstrip().endswith(("}", "]")):
                return Slip(
                    line,
                    _("a full-width comma '，' between the items of {value}", value=value.strip()),
                    _(
                        "separate the items with a half-width comma: {fixed}",
                        fixed=_shorten(written.replace(FULL_COMMA, ", "), 60),
                    ),
                )
        elif char == FULL_COLON and stack:
            key = value[item_start:index].strip()
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key):
                return Slip(
                    line,
                    _("a full-width colon '：' after '{key}'", key=key),
                    _(
                        "write a half-width colon and a space after the key: {fixed}",
                        fixed=_shorten(written.replace(f"{key}：", f"{key}: ", 1), 60),
                    ),
                )
    return None


def find_slip(text: str, offset: int = 0, before: int | None = None) -> Slip | None:
    """The first slip in ``text`` (a YAML document whose first line is line ``offset + 1``
    of its file). With ``before`` (the line where the parser failed), a full-width colon
    after any key, Chinese keys too, counts up to that line."""
    block_indent: int | None = None  # inside a block scalar started at this indentation
    for number, raw in enumerate(text.split("\n"), offset + 1):
        raw = raw.rstrip("\r")
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if block_indent is not None:
            if not stripped.strip(" \t" + FULL_SPACE) or indent > block_indent:
                continue
            block_indent = None
        content = raw.lstrip(" \t" + FULL_SPACE)
        if not content or content.startswith("#"):
            continue
        if FULL_SPACE in raw[: len(raw) - len(content)]:
            return Slip(
                number,
                _("the line is indented with full-width spaces"),
                _(
                    "indent with half-width spaces: switch the input method to half-width "
                    "(半角) and retype the spaces at the start of the line"
                ),
            )
        code = _QUOTED.sub('""', content)  # quoted text is the editor's own
        item = _ITEM.match(code)
        body = code[item.end() :] if item else code
        if _BLOCK_START.search(body):
            block_indent = indent
        match = _ASCII_KEY.match(body)
        if match is None and before is not None and number <= before:
            match = _ANY_KEY.match(body)
        if match:
            return _colon_slip(number, match.group(1), content)
        value = body.split(": ", 1)[1] if ": " in body else body
        if value.lstrip()[:1] in ("[", "{"):
            slip = _flow_slip(number, value, content)
            if slip:
                return slip
    return None
