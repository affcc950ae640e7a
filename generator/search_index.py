"""Make one shard of the static search index: the files of the reports of one period.

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
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported by the functions that make an index: a build that
    import numpy as np  # makes none does not pay the 0.1 s its import costs


FORMAT = 4
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
    source: str = ""  # a 外链 item's 信息来源 (or the other site's host), shown in its result


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


def _packed(values: list[int] | array, code: str) -> bytes:
    data = array(code, values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def _dense(codes: np.ndarray) -> np.ndarray:
    """Each character's rank among the distinct characters of ``codes`` (same order), as
    16-bit numbers when there are at most 65,536 of them (numpy sorts those by radix)."""
    import numpy as np

    present = np.bincount(codes)
    chars = np.flatnonzero(present)
    lookup = np.zeros(len(present), dtype=np.uint16 if len(chars) <= 0x10000 else np.int64)
    lookup[chars] = np.arange(len(chars))
    return lookup[codes]


def _order(*keys: np.ndarray) -> np.ndarray:
    """Positions sorted by the keys (the first most significant), ties in position order:
    stable sorts from the last key to the first (a radix sort of 16-bit keys)."""
    import numpy as np

    order = np.argsort(keys[-1], kind="stable")
    for key in reversed(keys[:-1]):
        order = order[np.argsort(key[order], kind="stable")]
    return order


def _bounds(*sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts in the sorted keys, with the end appended."""
    import numpy as np

    change = np.zeros(len(sorted_keys[0]) - 1, dtype=bool)
    for key in sorted_keys:
        change |= key[1:] != key[:-1]
    return np.concatenate(([0], np.flatnonzero(change) + 1, [len(sorted_keys[0])]))


class ShardBuilder:
    """Collects the texts of the reports of one shard, then makes its postings in bulk
    (sorts of whole arrays, no loop over characters).

    The shard's text is the reports' texts joined by line breaks; a pair's positions are
    offsets in it (where a report's part starts is in the table ``d``)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.columns: list[int] = []
        self.title_lengths: list[int] = []

    def add(self, text: str, title_length: int, column: int) -> None:
        self.texts.append(text)
        self.columns.append(column)
        self.title_lengths.append(title_length)

    def starts(self) -> list[int]:
        """Where each report's text begins in the shard's text."""
        return list(accumulate((len(t) + 1 for t in self.texts[:-1]), initial=0))

    def width(self) -> int:
        longest = max(map(len, self.texts), default=0)
        return 2 if max(longest, len(self.columns)) < 0xFFFF else 4

    def entries(self) -> dict[str, bytes]:
        """Token → its entry in a chunk file, after its name (a byte of length, UTF-8):
        a pair: its number of positions (4 bytes), the first position in the shard's text
        (4), the width of the gaps (1: 2 or 4) and the gaps to its next positions; a
        character: its number of reports (4), then reports, counts and first positions in
        the report's text (2 or 4 bytes each, the shard's width)."""
        import numpy as np

        text = "\n".join(self.texts)
        codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
        if not len(codes):
            return {}
        ids = _dense(codes)
        out: dict[str, bytes] = {}
        skip = (ord(" "), ord("\n"))
        if len(codes) > 1:
            order = _order(ids[:-1], ids[1:])
            bounds = _bounds(ids[:-1][order], ids[1:][order])
            gaps = np.diff(order)
            heads = order[bounds[:-1]]
            ones, twos = codes[heads].tolist(), codes[heads + 1].tolist()
            for at, end, one, two in zip(
                bounds[:-1].tolist(), bounds[1:].tolist(), ones, twos, strict=True
            ):
                if one in skip or two in skip:
                    continue
                between = gaps[at : end - 1]
                wide = end - at > 1 and int(between.max()) > 0xFFFF
                name = (chr(one) + chr(two)).encode("utf-8")
                head = (end - at).to_bytes(4, "little") + int(order[at]).to_bytes(4, "little")
                data = between.astype("<u4" if wide else "<u2").tobytes()
                out[chr(one) + chr(two)] = b"".join(
                    (bytes((len(name),)), name, head, b"\4" if wide else b"\2", data)
                )
        lengths = np.array([len(t) + 1 for t in self.texts], dtype=np.int64)
        docs = np.repeat(np.arange(len(self.texts), dtype=np.int64), lengths)[: len(codes)]
        order = _order(ids)  # by character, then position (so report)
        bounds = _bounds(ids[order], docs[order])
        starts = bounds[:-1]
        group_doc = docs[order[starts]]
        group_char = codes[order[starts]]
        counts = np.diff(bounds)
        first = order[starts] - np.array(self.starts(), dtype=np.int64)[group_doc]
        code = "<u2" if self.width() == 2 else "<u4"
        cuts = np.concatenate(([0], np.flatnonzero(np.diff(group_char)) + 1, [len(group_char)]))
        for at, end in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            char = int(group_char[at])
            if char in skip:
                continue
            name = chr(char).encode("utf-8")
            values = np.concatenate((group_doc[at:end], counts[at:end], first[at:end]))
            out[chr(char)] = b"".join(
                (bytes((len(name),)), name, (end - at).to_bytes(4, "little"),
                 values.astype(code).tobytes())
            )  # fmt: skip
        return out

    def chunks(self) -> list[tuple[str, bytes]]:
        """(first token, compressed bytes) of each chunk, tokens sorted by UTF-16 code
        units (as JavaScript compares strings)."""
        entries = self.entries()
        out: list[tuple[str, bytes]] = []
        parts: list[bytes] = []
        size = 0
        first = ""
        for token in sorted(entries, key=lambda t: t.encode("utf-16-be")):
            entry = entries[token]
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
        """Column number and title length of each report (2 or 4 bytes), where its text
        starts (4 bytes), then the first token of each chunk (line by line: no token holds
        a line break)."""
        code = "H" if self.width() == 2 else "I"
        table = _packed(self.columns + self.title_lengths, code) + _packed(self.starts(), "I")
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
        if doc.source:
            shown["s"] = doc.source
        files[f"t/{n}"] = zlib.compress(
            json.dumps(shown, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6
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
        "y": name[:4],  # the year (the year filter)
        "n": len(docs),
        "w": builder.width(),
        "chunks": len(firsts),
        "sig": signature.hexdigest()[:12],
    }
    return name, entry, files
