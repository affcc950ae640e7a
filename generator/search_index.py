"""Make one shard of the static search index: the files of the reports of one year.

Searchable text of a report: its title, the text of its body (``id="report-body"`` of the
built page), 信息来源, 文号, keywords and attachment titles, each normalised (NFKC, case
folding, runs of white space as one space) and joined by line breaks. The index holds,
for every character, the reports containing it (how often, where first) and, for every
pair of adjacent characters, every position where it occurs: a query of n characters is
found exactly where its pairs at offsets 0, 2, 4 … and n−2 occur at those offsets, so the
result is the set of reports that contain the query (包含), whatever a word segmenter
would make of it.

Files of a shard (all zlib-compressed, deterministic): the token chunks ``c<n>`` (tokens
sorted by UTF-16 code units, as JavaScript compares strings, cut into chunks of about
:data:`CHUNK_BYTES`), ``d`` (column number and title length of each report, and the first
token of each chunk) and one ``t/<n>`` file per report with what a result shows
(URL, title, date, column, the body text for the excerpt).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
import unicodedata
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

FORMAT = 2
CHUNK_BYTES = 3_000  # uncompressed bytes of token entries per chunk file (a target): a query
# loads a whole chunk for each of its pairs in each year, so small chunks mean little waste

_DROP = re.compile(r"<(script|style|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK = re.compile(
    r"</?(?:address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|fieldset|"
    r"figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|"
    r"table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_DIV = re.compile(r"<(/?)div\b[^>]*>", re.I)
_BODY_START = re.compile(r"<div\b[^>]*\bid=\"report-body\"[^>]*>")


@dataclass
class DocInput:
    """What the index needs of one report (made in the main process, read in a worker)."""

    url: str  # site path, percent-encoded (urls.encode_path): /xwzx/gsgg/2020/slug/
    page: str  # where the built page is now
    title: str
    fields: list[str]  # 信息来源, 文号, keywords, attachment titles
    column: int  # number of the column in the index's column list
    date: str  # as shown, 2020-12-23


def normalise(text: str) -> str:
    """The form text is searched in: NFKC, case-folded, white space runs as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def html_text(fragment: str) -> str:
    """Visible text of an HTML fragment: block elements separate words, inline ones do not."""
    text = _TAG.sub("", _BLOCK.sub(" ", _DROP.sub(" ", fragment)))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def body_html(page: str) -> str:
    """The inside of ``<div id="report-body">`` (nested divs counted); the whole page
    when a theme has no such element."""
    start = _BODY_START.search(page)
    if start is None:
        return page
    depth = 1
    for tag in _DIV.finditer(page, start.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[start.end() : tag.start()]
    return page[start.end() :]


def searchable(title: str, body: str, fields: list[str]) -> tuple[str, int]:
    """The normalised searchable text and the length of its title part (at its start)."""
    head = normalise(title)
    parts = [head, normalise(body), *(normalise(f) for f in fields)]
    return "\n".join(parts), len(head)


def _packed(values: list[int], code: str) -> bytes:
    data = array(code, values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


class ShardBuilder:
    """Collects the postings of the reports of one shard, then writes its files."""

    def __init__(self) -> None:
        self.pairs: dict[str, list[int]] = {}  # pair → [doc × 2³² + position]
        self.singles: dict[str, list[tuple[int, int, int]]] = {}  # char → [(doc, count, first)]
        self.columns: list[int] = []
        self.title_lengths: list[int] = []
        self.longest = 0

    def add(self, text: str, title_length: int, column: int) -> None:
        doc = len(self.columns)
        self.columns.append(column)
        self.title_lengths.append(title_length)
        self.longest = max(self.longest, len(text))
        # Straight into the shard's table, each position as report × 2³² + offset: one
        # dictionary look-up per character and no second pass over the report's pairs.
        pairs = self.pairs
        get = pairs.get
        base = doc << 32
        for i in range(len(text) - 1):
            pair = text[i : i + 2]
            where = get(pair)
            if where is None:
                pairs[pair] = [base + i]
            else:
                where.append(base + i)
        singles = self.singles
        find = text.find
        for char, count in Counter(text).items():
            entry = singles.get(char)
            if entry is None:
                singles[char] = [(doc, count, find(char))]
            else:
                entry.append((doc, count, find(char)))

    def width(self) -> int:
        return 2 if max(self.longest, len(self.columns)) < 0xFFFF else 4

    def _entry(self, token: str, code: str) -> bytes:
        """A token's name, its number of reports, then reports, counts and positions
        (of a pair: every position, report by report; of a character: the first)."""
        if len(token) == 2:
            found = self.pairs[token]
            if len(found) == 1:  # most pairs occur once in a year's reports
                v = found[0]
                values = array(code, (v >> 32, 1, v & 0xFFFFFFFF))
                if sys.byteorder == "big":
                    values.byteswap()
                name = token.encode("utf-8")
                return bytes((len(name),)) + name + b"\x01\0\0\0" + values.tobytes()
            per_doc = Counter([v >> 32 for v in found])  # in order: reports come in order
            values = array(code, per_doc)
            values.extend(per_doc.values())
            values.extend([v & 0xFFFFFFFF for v in found])
            count = len(per_doc)
        else:
            single = self.singles[token]
            values = array(code, [d for d, _c, _f in single])
            values.extend([c for _d, c, _f in single])
            values.extend([f for _d, _c, f in single])
            count = len(single)
        if sys.byteorder == "big":
            values.byteswap()
        name = token.encode("utf-8")
        return bytes((len(name),)) + name + count.to_bytes(4, "little") + values.tobytes()

    def chunks(self) -> list[tuple[str, bytes]]:
        """(first token, compressed bytes) of each chunk, in token order."""
        code = "H" if self.width() == 2 else "I"
        tokens = [t for t in self.pairs if " " not in t and "\n" not in t]
        tokens += [t for t in self.singles if t not in " \n"]
        tokens.sort(key=lambda t: t.encode("utf-16-be"))
        out: list[tuple[str, bytes]] = []
        parts: list[bytes] = []
        size = 0
        first = ""
        for token in tokens:
            entry = self._entry(token, code)
            if not parts:
                first = token
            parts.append(entry)
            size += len(entry)
            if size >= CHUNK_BYTES:
                out.append((first, zlib.compress(b"".join(parts), 6)))
                parts, size = [], 0
        if parts:
            out.append((first, zlib.compress(b"".join(parts), 6)))
        return out

    def docs_table(self, firsts: list[str]) -> bytes:
        """Column number and title length of each report, then the first token of each
        chunk (line by line: no token holds a line break)."""
        code = "H" if self.width() == 2 else "I"
        table = _packed(self.columns + self.title_lengths, code)
        return zlib.compress(table + "\n".join(firsts).encode("utf-8"), 9)


def build_shard(_shared: object, job: tuple[str, list[DocInput]]) -> tuple[str, dict, dict]:
    """(shard name, its entry in meta.json, file name → bytes) for one shard's reports."""
    name, docs = job
    builder = ShardBuilder()
    files: dict[str, bytes] = {}
    for n, doc in enumerate(docs):
        # A 外链 item has no page: its title and fields (信息来源) are what is searched.
        page = Path(doc.page).read_text(encoding="utf-8") if doc.page else ""
        body = html_text(body_html(page)) if page else ""
        text, title_length = searchable(doc.title, body, doc.fields)
        builder.add(text, title_length, doc.column)
        shown = {"u": doc.url, "t": doc.title, "d": doc.date, "x": body}
        files[f"t/{n}"] = zlib.compress(
            json.dumps(shown, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9
        )
    firsts = []
    for n, (first, data) in enumerate(builder.chunks()):
        files[f"c{n}"] = data
        firsts.append(first)
    files["d"] = builder.docs_table(firsts)
    signature = hashlib.sha256()
    for file in sorted(files):
        signature.update(file.encode() + b"\0" + files[file])
    entry = {
        "name": name,
        "n": len(docs),
        "w": builder.width(),
        "chunks": len(firsts),
        "sig": signature.hexdigest()[:12],
    }
    return name, entry, files
