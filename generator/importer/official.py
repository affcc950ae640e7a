"""The text patterns of an official document (GB/T 9704-2012): 发文字号, dates written with
digits or with 〇 numerals, heading numbers of the four levels, run-in leads (一是…).
"""

from __future__ import annotations

import datetime as dt
import re

CN_NUM = "〇零○Ｏ一二三四五六七八九十"
CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0}
CN_DIGIT.update({c: i for i, c in enumerate("一二三四五六七八九", start=1)})

DOC_NO = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,20}?)\s*[〔\[【(（]\s*(?P<year>\d{4})\s*[〕\]】)）]\s*"
    r"第?\s*(?P<num>\d{1,5})\s*号"
)
DATE_ARABIC = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
DATE_CHINESE = r"[〇零○Ｏ一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
DATE = f"(?:{DATE_ARABIC}|{DATE_CHINESE})"
DATE_LINE = re.compile(rf"^（?{DATE}）?$")
PRINT_LINE = re.compile(rf"^(?P<org>.+?)\s*(?P<date>{DATE})\s*印发$")
CC_LINE = re.compile(r"^(抄送|抄报|分送|主题词)\s*[:：]")

CN = "一二三四五六七八九十百零〇"
# Heading numbers by level (## to #####): the marker, as written, at the start of a paragraph.
HEADING_MARKERS = [
    (2, re.compile(rf"^(?P<n>[{CN}]+)\s*[、，,．.]\s*")),
    (3, re.compile(rf"^[（(]\s*(?P<n>[{CN}]+)\s*[）)]\s*[、，,．.]?\s*")),
    (4, re.compile(r"^(?P<n>\d{1,2})\s*[.．、](?!\d)\s*")),
    (5, re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[）)]\s*[、，,．.]?\s*")),
]
LEAD = re.compile(rf"^[{CN}]+是[^。；！？]{{1,60}}?[。；！？：]")
SENTENCE_END = "。！？；"
# A numbered paragraph is a heading when the text after its number is at most this long
# and no sentence ends before its last character (see README, "Importing Word documents").
HEADING_MAX = 30


def normalise_doc_no(text: str) -> str | None:
    """``灌政发[2021]12号`` (or with 【】, （）, ()) → ``灌政发〔2021〕12号``; None if no 文号."""
    match = DOC_NO.fullmatch(text.strip())
    if not match:
        return None
    return f"{match['org']}〔{match['year']}〕{match['num']}号"


def _cn_small(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31."""
    if "十" not in text:
        return CN_DIGIT.get(text, 0)
    tens, _, units = text.partition("十")
    return (CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (CN_DIGIT.get(units, 0) if units else 0)


def parse_date(text: str) -> dt.date | None:
    """``2021年3月5日`` or ``二〇二一年三月五日`` → the date; None if it is not one."""
    compact = re.sub(r"\s+", "", text).strip("（）()")
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", compact)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(
            r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]+)月([一二三四五六七八九十]+)日",
            compact,
        )
        if not match:
            return None
        year = int("".join(str(CN_DIGIT[c]) for c in match.group(1)))
        month, day = _cn_small(match.group(2)), _cn_small(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def heading_marker(text: str) -> tuple[int, re.Match[str]] | None:
    for level, pattern in HEADING_MARKERS:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return level, match
    return None


def normalise_marker(level: int, number: str) -> str:
    """The heading number as the README writes it: ``一、`` ``（一）`` ``1.`` ``（1）``."""
    return {2: f"{number}、", 3: f"（{number}）", 4: f"{number}.", 5: f"（{number}）"}[level]


def is_short_heading(rest: str) -> bool:
    body = rest.rstrip(SENTENCE_END)
    return 0 < len(rest) <= HEADING_MAX and not any(c in SENTENCE_END for c in body)


def first_sentence(rest: str) -> int:
    """Length of the first sentence of ``rest`` (with its mark), 0 when it is the whole."""
    for index, ch in enumerate(rest):
        if ch in SENTENCE_END or ch == "：":
            return index + 1 if index + 1 < len(rest) else 0
    return 0
