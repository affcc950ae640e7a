"""Find the parts of an official document (GB/T 9704-2012) by their text and layout.

Head: 发文机关标志, 发文字号, the title (centred and/or large, joined over its lines),
主送机关. End: 版记 (抄送, 印发机关和印发日期), 成文日期, the signature above it, the
附件 list above that. Between them the body, with headings found by their numbers (Word's
heading styles are used when a paragraph has no number) and run-in leads made bold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..messages import N_
from . import official
from .cleaning import clean
from .model import Atom, Block, Para, Table, WordDocument, atoms_of

SECRET = re.compile(r"^(\d{6}|(绝密|机密|秘密)(★.*)?|特急|加急|特提|平急)$")
ATTACHMENT_LINE = re.compile(r"^附\s*件\s*[:：]\s*")
NUMBERED = re.compile(r"^\d{1,2}\s*[.．、]\s*")
TITLE_SIZE = 18.0  # points: 二号 is 22 pt, body text (三号) 16 pt


@dataclass
class Item:
    """One piece of the body in reading order."""

    kind: str  # heading, para, list, table
    para: Para | None = None
    level: int = 0  # heading level (2–6)
    list_kind: str = ""  # bullet or number
    table: Table | None = None


@dataclass
class Recognised:
    title: str = ""
    masthead: str = ""  # 发文机关标志, e.g. 灌南县人民政府文件
    doc_no: str = ""
    recipient: str = ""
    items: list[Item] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signature: list[Para] = field(default_factory=list)
    written_date: dt.date | None = None
    written_para: Para | None = None
    after: list[Item] = field(default_factory=list)  # 附注 and what follows the date
    imprint: list[Para] = field(default_factory=list)  # 版记
    printed_by: str = ""
    printed_date: dt.date | None = None
    headings: Counter = field(default_factory=Counter)
    leads: int = 0
    run_in: int = 0
    unmapped: Counter = field(default_factory=Counter)


def prepare(document: WordDocument) -> list[Block]:
    """Paragraphs cleaned, their automatic numbers written out, empty ones dropped."""
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Table):
            block.rows = [[_clean_cell(c) for c in row] for row in block.rows]
            if any(row for row in block.rows):
                blocks.append(block)
            continue
        para = block
        if para.number:
            para = para.with_atoms(atoms_of(para.number) + para.atoms)
        for line in _split_signing_lines(para):
            line = clean(line)
            if not line.is_empty():
                blocks.append(line)
    return blocks


def _split_signing_lines(para: Para) -> list[Para]:
    """``灌南县人民政府⏎2021年3月5日`` in one paragraph (a soft line break): two paragraphs.

    Other soft line breaks are joined by the cleaning; a date alone on its line is the sign
    of a signature block typed with Shift+Enter.
    """
    if "\n" not in para.text:
        return [para]
    lines: list[list[Atom]] = [[]]
    for atom in para.atoms:
        if atom.ch == "\n":
            lines.append([])
        else:
            lines[-1].append(atom)
    texts = ["".join(a.ch for a in line).strip(" \u3000\t") for line in lines]
    if not any(official.DATE_LINE.match(t) and official.parse_date(t) for t in texts):
        return [para]
    return [para.with_atoms(line) for line in lines]


def _clean_cell(cell):
    cell.paras = [p for p in (clean(p) for p in cell.paras) if not p.is_empty()]
    return cell


def recognise(document: WordDocument) -> Recognised:
    blocks = prepare(document)
    found = Recognised()
    start = _head(blocks, found)
    end = _imprint(blocks, start, found)
    end = _ending(blocks, start, end, found)
    end = _attachments(blocks, start, end, found)
    found.items = [_item(b, found) for b in blocks[start:end]]
    return found


# head -----------------------------------------------------------------------------------
def _title_like(para: Para) -> bool:
    text = para.plain
    return (
        (para.heading in (-1, 1) or para.align == "center" or para.size >= TITLE_SIZE)
        and len(text) <= 80
        and not official.DATE_LINE.match(text)
        and not text.endswith(("：", ":"))
        and official.heading_marker(text) is None
    )


def _recipient_like(para: Para) -> bool:
    text = para.plain
    return (
        text.endswith(("：", ":"))
        and 1 < len(text) <= 120
        and "。" not in text
        and official.heading_marker(text) is None
        and not ATTACHMENT_LINE.match(text)
    )


def _head(blocks: list[Block], found: Recognised) -> int:
    """Read the head zone; return the index of the first body block."""
    title: list[str] = []
    first: Para | None = None  # the title's first line: the next lines look like it
    title_closed = after_doc_no = False
    i = 0
    while i < len(blocks) and i < 12 and isinstance(blocks[i], Para):
        para = blocks[i]
        text = para.plain
        doc_no = official.normalise_doc_no(re.split(r"\s*签发人", text)[0])
        if SECRET.match(text):
            found.unmapped[N_("份号、密级或紧急程度 (left out)")] += 1
        elif doc_no and not found.doc_no:
            found.doc_no = doc_no
            title_closed = after_doc_no = bool(title)
        elif (
            not title
            and not found.masthead
            and text.endswith("文件")
            and len(text) <= 40
            and _title_like(para)
        ):
            found.masthead = text
        elif _title_like(para) and not title_closed and (not title or _same_look(first, para)):
            first = first or para
            title.append(text)
        elif _title_like(para) and title and found.doc_no and not found.masthead and after_doc_no:
            # 机关标志, 文号, then the title: what came first was the body's name, not the title.
            found.masthead, title, first = "".join(title), [text], para
            title_closed = False
        elif _recipient_like(para) and (title or found.doc_no or i == 0):
            found.recipient = text.rstrip("：:")
            i += 1
            break
        elif not title and _plain_title(para):
            title.append(text)
            title_closed = True
        else:
            break
        i += 1
    found.title = "".join(title)
    return i


def _same_look(first: Para | None, para: Para) -> bool:
    return first is not None and (first.style, first.align, first.size) == (
        para.style,
        para.align,
        para.size,
    )


def _plain_title(para: Para) -> bool:
    """The first line of a document without any layout, when it reads like a title."""
    text = para.plain
    return (
        len(text) <= 60
        and not text.endswith(tuple(official.SENTENCE_END + "，：:"))
        and official.heading_marker(text) is None
        and not official.LEAD.match(text)
        and not para.images
    )


# end ------------------------------------------------------------------------------------
def _imprint(blocks: list[Block], start: int, found: Recognised) -> int:
    """版记 at the very end: 抄送 lines and the line of 印发机关 and 印发日期."""
    j = len(blocks)
    seen = False
    while j > start and isinstance(blocks[j - 1], Para):
        text = blocks[j - 1].plain
        printed = official.PRINT_LINE.match(text)
        if printed:
            found.printed_by = printed["org"].strip()
            found.printed_date = official.parse_date(printed["date"])
        elif not (official.CC_LINE.match(text) or re.fullmatch(r"（?共印\d+份）?", text)):
            break
        seen = True
        j -= 1
    if not seen:
        return len(blocks)
    found.imprint = [b for b in blocks[j:] if isinstance(b, Para)]
    return j


def _ending(blocks: list[Block], start: int, end: int, found: Recognised) -> int:
    """成文日期 (the last date alone on its line) and the signature above it."""
    date_at = None
    for k in range(end - 1, start - 1, -1):
        block = blocks[k]
        if (
            isinstance(block, Para)
            and official.DATE_LINE.match(block.plain)
            and official.parse_date(block.plain)
        ):
            date_at = k
            break
    if date_at is None:
        return end
    found.written_para = blocks[date_at]
    found.written_date = official.parse_date(blocks[date_at].plain)
    found.after = [_item(b, found) for b in blocks[date_at + 1 : end]]
    k = date_at
    while k > start and len(found.signature) < 3 and _signature_like(blocks[k - 1], found):
        found.signature.insert(0, blocks[k - 1])
        k -= 1
    return k


def _signature_like(block: Block, found: Recognised) -> bool:
    if not isinstance(block, Para):
        return False
    text = block.plain
    pushed = block.align in ("right", "center") or block.indent >= 4
    return (
        0 < len(text) <= 40
        and not text.endswith(tuple(official.SENTENCE_END + "，：:"))
        and official.heading_marker(text) is None
        and not ATTACHMENT_LINE.match(text)
        and not NUMBERED.match(text)
        and (pushed or not found.signature)
    )


def _attachments(blocks: list[Block], start: int, end: int, found: Recognised) -> int:
    """附件说明: ``附件：1. 某某表`` and the numbered lines under it, just above the signature."""
    for k in range(end - 1, start - 1, -1):
        block = blocks[k]
        if not isinstance(block, Para):
            return end
        match = ATTACHMENT_LINE.match(block.plain)
        if not match:
            if not NUMBERED.match(block.plain):
                return end
            continue
        first = block.plain[match.end() :].strip()
        lines = ([first] if first else []) + [b.plain for b in blocks[k + 1 : end]]
        found.attachments = [NUMBERED.sub("", line).strip() for line in lines if line.strip()]
        return k
    return end


# body -----------------------------------------------------------------------------------
def _item(block: Block, found: Recognised) -> Item:
    if isinstance(block, Table):
        return Item("table", table=block)
    para = block
    if para.list_kind:
        return Item("list", para=para, list_kind=para.list_kind)
    text = para.plain
    marker = official.heading_marker(text)
    if marker is not None:
        level, match = marker
        rest = text[match.end() :]
        label = official.normalise_marker(level, match["n"])
        cut = para.plain_to_atom(match.end())
        body = para.atoms[cut:]
        if official.is_short_heading(rest):
            found.headings[level] += 1
            atoms = atoms_of(label) + [_plain(a) for a in body]
            return Item("heading", para=para.with_atoms(atoms), level=level)
        lead = official.first_sentence(rest)
        if para.number and not lead:
            return Item("list", para=para.with_atoms(body), list_kind="number")
        if lead:
            found.run_in += 1
            atoms = atoms_of(label, bold=True) + _bold(body, para.with_atoms(body), lead)
            return Item("para", para=para.with_atoms(atoms))
        return Item("para", para=para)
    if para.heading > 0:
        level = min(para.heading + 1, 6)
        found.headings[level] += 1
        return Item("heading", para=para.with_atoms([_plain(a) for a in para.atoms]), level=level)
    lead = official.LEAD.match(text)
    if lead:
        found.leads += 1
        return Item("para", para=para.with_atoms(_bold(para.atoms, para, lead.end())))
    return Item("para", para=para)


def _plain(atom: Atom) -> Atom:
    return Atom(atom.ch, False, False, atom.href, atom.footnote, atom.image)


def _bold(atoms: list[Atom], para: Para, n: int) -> list[Atom]:
    """The first ``n`` visible characters bold, the rest as they were."""
    cut = para.plain_to_atom(n)
    head = [Atom(a.ch, True, a.italic, a.href, a.footnote, a.image) for a in atoms[:cut]]
    return head + atoms[cut:]
