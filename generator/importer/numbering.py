"""Labels of Word's automatic numbering (numbering.xml): ``一、``, ``（二）``, ``3.``, bullets.

Word keeps such numbers out of the text; the importer puts them back in, so that an
auto-numbered ``一、`` heading is recognised like a typed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CN_DIGITS = "〇一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def chinese_number(n: int, digits: str = CN_DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五, 100 and more in plain digits."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else (ten if tens == 1 else digits[tens] + ten)
    return head + (digits[units] if units else "")


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting"):
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return chinese_number(n, LEGAL_DIGITS, "拾")
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Counters across the document, per list, as Word counts them."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → Level
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, blob: bytes | None) -> Numbering:
        if not blob:
            return cls()
        root = etree.fromstring(blob)
        abstract: dict[str, dict[int, Level]] = {}
        for node in root.iter(_w("abstractNum")):
            abstract[node.get(_w("abstractNumId"), "")] = {
                int(lvl.get(_w("ilvl"), "0")): _level(lvl) for lvl in node.iter(_w("lvl"))
            }
        levels = {}
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is not None:
                levels[num.get(_w("numId"), "")] = abstract.get(ref.get(_w("val"), ""), {})
        return cls(levels)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """The next label of list ``num_id`` at ``ilvl``, and its kind (bullet or number)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return "", ""
        level = levels[ilvl]
        if level.fmt == "bullet":
            return "", "bullet"
        if level.fmt == "none":
            return "", ""
        counts = self.counters.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]

        def fill(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k, Level())
            return format_number(counts.get(k, lvl.start), lvl.fmt)

        return re.sub(r"%(\d)", fill, level.text), "number"


def _level(lvl: etree._Element) -> Level:
    def val(name: str, default: str) -> str:
        node = lvl.find(_w(name))
        return node.get(_w("val"), default) if node is not None else default

    return Level(val("numFmt", "decimal"), val("lvlText", "%1."), int(val("start", "1") or 1))
