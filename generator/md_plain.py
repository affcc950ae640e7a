"""Plain Markdown documents to HTML without Python-Markdown: the fast path of long texts.

Laws, regulations and most reports are plain blocks: ATX headings (``## 第一章　总则``),
paragraphs, simple ``- `` lists, simple pipe tables and bold leads (``**第一条**``,
``**一是…。**``). For such a
document :func:`render_plain` writes the very HTML, ids and table of contents that
Python-Markdown with sitegen's extensions writes, some twenty times faster. A document
with anything else (a character Markdown may read as markup, a line that could open another
kind of block, a tab, a blank at a line end, a list right after a list …) gets ``None``,
and goes through Python-Markdown as before. ``tests/test_markdown.py`` renders the benchmark
corpora, the sample site and random texts both ways and compares them byte for byte.

The fast path serves only while the Markdown instance runs nothing it does not know of
(see :data:`KNOWN`): an item another extension registers keeps every document on
Python-Markdown, unless the item declares its trigger strings in ``markdown_ext.OPTIONAL``
and the document holds none of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# The registered items (by registry) whose work on an accepted document is reproduced here.
# The block processors other than paragraph, hashheader and ulist never match an accepted
# block (code and indent need leading blanks, olist a digit, hr and setextheader a line of
# '-', '*', '_' or '=', deflist a ':' at a line start); em_strong handles ``**X**``.
KNOWN: dict[str, frozenset[str]] = {
    "preprocessors": frozenset({"normalize_whitespace"}),
    "parser.blockprocessors": frozenset(
        {
            "empty",
            "indent",
            "defindent",
            "code",
            "hashheader",
            "setextheader",
            "hr",
            "olist",
            "ulist",
            "deflist",
            "paragraph",
            "table",
        }
    ),
    "inlinePatterns": frozenset({"em_strong"}),
    "treeprocessors": frozenset({"inline", "prettify", "sitegen_headings", "sitegen_tables"}),
    "postprocessors": frozenset({"raw_html", "amp_substitute"}),
}

# Anywhere in the text: backslash escapes, code, '_' emphasis, links, images, footnotes and
# references, raw HTML and autolinks, entities, attribute lists, tabs and control
# characters (Python-Markdown's placeholders are made of STX/ETX).
UNSAFE = re.compile(r"[\\`_\[\]<>&{}~\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# A blank (other than a newline) at a line start (an indent), or, searched in the reversed
# text, at a line end (a line break): a pattern that starts with a newline is found fast.
EDGE_BLANK = re.compile(r"\n[^\S\n]")
BLOCKS = re.compile(r"\n{2,}")
# A bold run ``**X**``: X on one line, without '*', not starting or ending with a blank.
STRONG = re.compile(r"\*\*([^*\s](?:[^*\n]*[^*\s])?)\*\*")
HEADING = re.compile(r"(#{1,6}) (.+)")
NUMBERED = re.compile(r"\d+\.")  # with any digits, as Python-Markdown's list pattern
ALIGN_ROW = re.compile(r"\| :?-+:?(?: \| :?-+:?)+ \|")
ALIGN = {(False, False): "", (True, False): "left", (False, True): "right", (True, True): "center"}


def _plain_start(first: str) -> bool | None:
    """Whether a line starting with ``first`` is text to Python-Markdown: True for
    letters and other non-ASCII characters, False for blanks and ASCII punctuation (which
    may open a block), None for digits (``1. `` opens a list, ``100余人`` does not)."""
    if first.isdigit() or unicodedata.category(first) == "Nd":
        return None
    if first.isspace():
        return False
    return first >= "\x80" or first.isalpha()


class _Starts(dict[str, bool | None]):
    def __missing__(self, first: str) -> bool | None:
        self[first] = value = _plain_start(first)
        return value


STARTS = _Starts()


def _text_line(line: str) -> bool:
    """A line of a paragraph or list item that Python-Markdown reads as text."""
    if not line:
        return False
    plain = STARTS[line[0]]
    if plain is None:
        return NUMBERED.match(line) is None
    return plain or line.startswith("**")  # a bold lead; STRONG has checked the run


def _table(lines: list[str], label: str) -> str | None:
    """A pipe table of plain cells (``| a | b |``, an alignment row, one or more rows, as
    many cells in each), as the tables extension and ``markdown_ext.Tables`` write it."""
    if len(lines) < 3 or not ALIGN_ROW.fullmatch(lines[1]):
        return None
    aligns = []
    for cell in lines[1][2:-2].split(" | "):
        align = ALIGN[cell[0] == ":", cell[-1] == ":"]
        aligns.append(f' style="text-align: {align};"' if align else "")
    rows = []
    for index, line in enumerate(lines):
        if index == 1:
            continue
        if line[:2] != "| " or line[-2:] != " |":
            return None
        cells = line[2:-2].split(" | ")
        if len(cells) != len(aligns):
            return None
        tag, scope = ("th", ' scope="col"') if index == 0 else ("td", "")
        out = []
        for cell, style in zip(cells, aligns, strict=True):
            if not cell or cell[0].isspace() or cell[-1].isspace() or "|" in cell:
                return None
            out.append(f"<{tag}{scope}{style}>{cell}</{tag}>")
        rows.append("<tr>\n" + "\n".join(out) + "\n</tr>")
    return (
        f'<div aria-label="{label}" class="table-wrap" role="region" tabindex="0"><table>\n'
        f"<thead>\n{rows[0]}\n</thead>\n<tbody>\n"
        + "\n".join(rows[1:])
        + "\n</tbody>\n</table>\n</div>"
    )


def render_plain(
    text: str, heading: Callable[[int, str], str], table_label: Callable[[int], str]
) -> str | None:
    """The HTML of a plain document, or None when it is not one. ``heading(level, text)``
    gives the id of each heading (and records it for the table of contents),
    ``table_label(n)`` the name of the n-th table's scrolling region (escaped)."""
    if UNSAFE.search(text) or EDGE_BLANK.search(text) or EDGE_BLANK.search(text[::-1]):
        return None
    text = text.strip("\n")
    if text[-1:].isspace() or text[:1].isspace():
        return None
    stars = text.count("*")
    if stars and (stars != 4 * len(STRONG.findall(text)) or "***" in text):
        return None  # every '*' in a bold run, no two runs touching
    out: list[str] = []
    last_list = False
    tables = 0
    blocks = BLOCKS.split(text) if "\n\n\n" in text else text.split("\n\n")
    for block in blocks if text else ():
        first = block[0]
        if "|" in block:
            if first != "|":
                return None  # a '|' outside a table could start one
            tables += 1
            table = _table(block.split("\n"), table_label(tables))
            if table is None:
                return None
            out.append(table)
            last_list = False
        elif first == "#":
            m = HEADING.fullmatch(block)  # one line: '.' stops at a newline
            if m is None:
                return None
            name = m.group(2).strip()
            if not name or "#" in name or "*" in name:
                return None
            level = len(m.group(1))
            out.append(f'<h{level} id="{heading(level, name)}">{name}</h{level}>')
            last_list = False
        elif first == "-":
            if last_list:  # a list after a list: one loose list to Python-Markdown
                return None
            lines = block.split("\n")
            if not all(line[:2] == "- " and _text_line(line[2:]) for line in lines):
                return None
            out.append(
                "<ul>\n<li>" + "</li>\n<li>".join(line[2:] for line in lines) + "</li>\n</ul>"
            )
            last_list = True
        else:
            if "\n" in block:
                if not all(_text_line(line) for line in block.split("\n")):
                    return None
            elif not _text_line(block):
                return None
            out.append(f"<p>{block}</p>")
            last_list = False
    # Blocks are separated by a newline, but a table's region is put in after that is done.
    html = "".join(
        block if i == 0 or out[i - 1].endswith("</table>\n</div>") else "\n" + block
        for i, block in enumerate(out)
    )
    if not stars:
        return html
    # Every '*' is in a run and no runs touch: the '**' alternate between opening and closing.
    parts = html.split("**")
    tags = ["<strong>", "</strong>"] * (len(parts) // 2)
    merged = [""] * (len(parts) + len(tags))
    merged[::2], merged[1::2] = parts, tags
    return "".join(merged)
