"""The parts of an official document's text that are no part of its message: the
addressee line at the top (主送机关, a line ending in '：') and the signature and date lines
at the end (落款, 成文日期). Automatic summaries and descriptions leave them out.
"""

from __future__ import annotations

import re

ATTRIBUTE_LINE = re.compile(r"^\s*\{:?[^}]*\}\s*$")
MARK = re.compile(r"\.(recipient|signature|signing-date)\b")
ADDRESSEE = re.compile(r"[：:]\s*$")
DATE_LINE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九○Ｏ0]{4}年"
    r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{4}[-./]\d{1,2}[-./]\d{1,2})\s*$"
)
SENTENCE_END = re.compile(r"[。！？；!?;]")
SIGNATURE_MAX = 30  # characters: a signature line names a body, it says nothing
SIGNATURE_LINES = 3  # at most this many lines above the date


def _blocks(body: str) -> list[str]:
    return [b for b in re.split(r"\n[ \t]*\n", body.strip("\n")) if b.strip()]


def _text_lines(block: str) -> list[str]:
    return [line for line in block.split("\n") if line.strip() and not ATTRIBUTE_LINE.match(line)]


def _mark(block: str) -> str:
    """The theme class an attribute-list line of the block gives it ('' for none)."""
    for line in block.split("\n"):
        if ATTRIBUTE_LINE.match(line):
            found = MARK.search(line)
            if found:
                return found.group(1)
    return ""


def _is_addressee(block: str) -> bool:
    lines = _text_lines(block)
    if _mark(block) == "recipient":
        return True
    return len(lines) == 1 and bool(ADDRESSEE.search(lines[0])) and len(lines[0]) <= 60


def _is_short(line: str) -> bool:
    text = line.strip()
    return len(text) <= SIGNATURE_MAX and not SENTENCE_END.search(text) and not text.startswith("#")


def message_text(body: str) -> str:
    """The body without its addressee line and its closing signature and date lines."""
    blocks = _blocks(body)
    if blocks and _is_addressee(blocks[0]):
        blocks = blocks[1:]
    # From the end: blocks marked as signature or date, else a date line and up to three
    # short lines right above it (in the same block or in blocks of their own).
    while blocks:
        if _mark(blocks[-1]) in ("signature", "signing-date"):
            blocks.pop()
            continue
        break
    if blocks:
        lines = _text_lines(blocks[-1])
        if lines and DATE_LINE.match(lines[-1]):
            above = lines[:-1]
            if all(_is_short(line) for line in above) and len(above) <= SIGNATURE_LINES:
                blocks.pop()
                taken = len(above)
                while blocks and taken < SIGNATURE_LINES:
                    block_lines = _text_lines(blocks[-1])
                    if len(block_lines) != 1 or not _is_short(block_lines[0]):
                        break
                    blocks.pop()
                    taken += 1
    return "\n\n".join(blocks)
