"""Make one shard of the static search index: the files of the reports of one period.

Searchable text of a report: its title, the text of its body (``id="report-body"`` of the
built page), 信息来源, 文号, keywords and attachment titles, each normalised (NFKC, case
folding, runs of white space as one space) and joined by line breaks. The index holds,
for every character, the reports containing it (how often, where first) and, for every
pair of adjacent characters, every position where it occurs; where a string occurs more
than :data:`FREQUENT` times in the shard, the strings one character longer that begin
or end with it are tokens too, up to :data:`LONGEST` characters. A query word is covered by
tokens that start inside it and end inside it, and it is found exactly where each of them
occurs at its offset in the word, so the result is the set of reports that contain the
query (包含), whatever a word segmenter would make of it; a common word is met by the
positions of its longer, rarer tokens (行政复 rather than every 行政).

Files of a shard (all zlib-compressed, deterministic): the token chunks ``c<n>`` (each
token in the chunk its hash picks, :func:`bucket`; about :data:`CHUNK_BYTES` a chunk),
``d`` (column number and title length of each report, where its text starts, and the
shard's frequent strings, which tell a query which longer tokens exist) and one ``t/<n>``
file per report with what a result shows (URL, title, date, column, the body text for
the excerpt).
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
from collections.abc import Container
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported by the functions that make an index: a build that
    import numpy as np  # makes none does not pay the 0.1 s its import costs


FORMAT = 6
CHUNK_BYTES = 3_000  # uncompressed bytes of token entries per chunk file (on average): a query
# loads a whole chunk for each of its tokens in each shard, so small chunks mean little waste
FREQUENT = 2_000  # a string with more positions in a shard is extended by one character
LONGEST = 6  # characters of the longest token
BLOCK = 2_000  # normalised characters of a report's body each of its text files begins at:
# a result's excerpt is cut from the one file holding its first match (meta.json says it)
OVERLAP = 200  # characters of the next block a text file repeats (a match at a block's
# end is whole there, with the words after it)

_DROP = re.compile(r"<(script|style|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK = re.compile(
    r"</?(?:address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|fieldset|"
    r"figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|"
    r"table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_BETWEEN_IDEOGRAPHS = re.compile(r"[^\u4e00-\u9fff]+")
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


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, three times as fast on Chinese text: the
    runs of CJK unified ideographs (U+4E00–U+9FFF) are left as they are and the text
    between them normalised on its own. Such an ideograph has no decomposition, composes
    with nothing on either side and is a starter, so a run of them is a boundary that
    normalisation never crosses (a random test checks the equality)."""
    return _BETWEEN_IDEOGRAPHS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def normalise(text: str) -> str:
    """The form text is searched in: NFKC, case-folded, white space runs as one space."""
    return _SPACE.sub(" ", nfkc(text).casefold()).strip()


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
    return searchable_text(title, normalise(body), fields)


def searchable_text(title: str, normalised_body: str, fields: list[str]) -> tuple[str, int]:
    """:func:`searchable` of a body normalised already."""
    head = normalise(title)
    parts = [head, normalised_body, *(normalise(f) for f in fields)]
    return "\n".join(parts), len(head)


def _cuttable(c: str) -> bool:
    """A character no normalisation joins to its neighbours (a CJK ideograph, visible
    ASCII): text cut between two of them normalises as the two parts do, one after the
    other (NFKC composes no such pair, case folding maps each character alone, and neither
    is or becomes white space)."""
    return "\u4e00" <= c <= "\u9fff" or "!" <= c <= "~"


def _cut(body: str, at: int, low: int, back: int = 64) -> int:
    """The last place at or before ``at``, after ``low``, between two cuttable characters
    (looking back at most ``back`` characters), or -1."""
    for i in range(min(at, len(body) - 1), max(low, at - back), -1):
        if _cuttable(body[i]) and _cuttable(body[i - 1]):
            return i
    return -1


def body_blocks(body: str) -> tuple[str, list[int], list[int]]:
    """(the normalised body, where each block starts in ``body``, where each starts in
    the normalised body): block k starts at or before normalised character k × BLOCK and
    runs to the next block's start, so the block holding normalised position q is block
    q // BLOCK, or the one before it when q lies in the few characters a cut moved back
    (the OVERLAP its text file repeats holds those). The blocks are cut only between two
    cuttable characters, so the normalised blocks joined are the normalised body; where
    no such place is near, the rest of the body is one block."""
    cuts, starts, parts = [0], [0], []
    raw = normal = 0
    while True:
        target = len(cuts) * BLOCK  # where the next block may start at the latest
        at = raw + max(target - normal, 1)
        cut = _cut(body, at, raw) if at < len(body) else -1
        if cut < 0:
            parts.append(normalise(body[raw:]))
            break
        part = normalise(body[raw:cut])
        while normal + len(part) > target:  # the block grew in normalising: end it earlier
            earlier = _cut(body, cut - (normal + len(part) - target), raw, cut)
            if earlier < 0:
                break
            cut, part = earlier, normalise(body[raw:earlier])
        parts.append(part)
        raw, normal = cut, normal + len(part)
        cuts.append(raw)
        starts.append(normal)
    return "".join(parts), cuts, starts


def utf16(token: str) -> bytes:
    """The sort key of a token: its UTF-16 code units (as JavaScript compares strings)."""
    return token.encode("utf-16-be")


def bucket(token: str, count: int) -> int:
    """The chunk of a token among ``count``: FNV-1a (32 bits) of its UTF-16 code units,
    modulo ``count`` (search.js computes the same)."""
    value = 0x811C9DC5
    units = token.encode("utf-16-le")
    for at in range(0, len(units), 2):
        value = ((value ^ (units[at] | units[at + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return value % count


def covering_tokens(word: str, frequent: Container[str]) -> list[tuple[str, int]]:
    """(token, offset) of the tokens a query word is looked up by, offsets ascending from 0.

    The tokens inside the word: its pairs, and its longer strings that are a frequent
    string of the shard with one more character after or before it. Of those, the fewest
    that cover every character, counting a token that is itself frequent as a thousand
    (its positions are many); among equal choices the first found, trying offsets from the
    start and shorter tokens first. search.js chooses the same way."""
    if len(word) == 1:
        return [(word, 0)]
    best: list[tuple[int, list[tuple[str, int]]] | None] = [None] * (len(word) + 1)
    best[0] = (0, [])
    for start in range(len(word) - 1):
        for end in range(start + 2, len(word) + 1):
            token = word[start:end]
            if end - start > 2 and token[:-1] not in frequent and token[1:] not in frequent:
                continue
            cost = 1001 if token in frequent else 1
            for reach in range(start, len(word) + 1):  # each chosen set covering [0, start)
                known = best[reach]
                if known is None:
                    continue
                total, after = known[0] + cost, max(reach, end)
                if best[after] is None or total < best[after][0]:  # type: ignore[index]
                    best[after] = (total, [*known[1], (token, start)])
    return best[len(word)][1]  # type: ignore[index]


def _positional(token: str, first: int, gaps: np.ndarray) -> bytes:
    """A token's entry of positions: its name (a byte of length, UTF-8), number of
    positions (4 bytes), the first (4), the width of the gaps (1: 2 or 4) and the gaps."""
    wide = len(gaps) > 0 and int(gaps.max()) > 0xFFFF
    name = token.encode("utf-8")
    return b"".join(
        (bytes((len(name),)), name, (len(gaps) + 1).to_bytes(4, "little"),
         first.to_bytes(4, "little"), b"\4" if wide else b"\2",
         gaps.astype("<u4" if wide else "<u2").tobytes())
    )  # fmt: skip


def _by_report(
    token: str, docs: np.ndarray, counts: np.ndarray, firsts: np.ndarray, code: str
) -> bytes:
    """A token's entry by report (a character's, or a frequent string's): its name (a byte
    of length, UTF-8), number of reports (4 bytes), then reports, counts and first
    positions in the report's text (numbers of ``code``: the shard's width)."""
    import numpy as np

    name = token.encode("utf-8")
    return b"".join(
        (bytes((len(name),)), name, len(docs).to_bytes(4, "little"),
         np.concatenate((docs, counts, firsts)).astype(code).tobytes())
    )  # fmt: skip


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
        self.blocks: list[int] = []

    def add(self, text: str, title_length: int, column: int, blocks: int = 1) -> None:
        self.texts.append(text)
        self.columns.append(column)
        self.title_lengths.append(title_length)
        self.blocks.append(blocks)

    def starts(self) -> list[int]:
        """Where each report's text begins in the shard's text."""
        return list(accumulate((len(t) + 1 for t in self.texts[:-1]), initial=0))

    def width(self) -> int:
        longest = max(map(len, self.texts), default=0)
        return 2 if max(longest, len(self.columns)) < 0xFFFF else 4

    def entries(self) -> tuple[dict[str, bytes], list[str]]:
        """Token → its entry in a chunk file, after its name (a byte of length, UTF-8),
        and the shard's frequent strings (shorter than :data:`LONGEST` characters, with
        more than :data:`FREQUENT` positions: the strings longer tokens begin or end with).

        A string of 2 to :data:`LONGEST` characters: its number of positions (4 bytes),
        the first position in the shard's text (4), the width of the gaps (1: 2 or 4) and
        the gaps to its next positions. Every pair of adjacent characters is a token; a
        string one character longer is a token where the string without its last or
        without its first character occurs more than :data:`FREQUENT` times (so a query
        meets the positions of 行政复 or 依法行政工 and 政工作 instead of all those of 行政
        and 工作). A character, and a frequent string under
        its name after a line break (``"\n行政"``, looked up when the word is that string):
        its number of reports (4), then reports, counts and first positions in the
        report's text (2 or 4 bytes each, the shard's width)."""
        import numpy as np

        text = "\n".join(self.texts)
        codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
        if not len(codes):
            return {}, []
        ids = _dense(codes)
        starts_at = np.array(self.starts(), dtype=np.int64)
        code = "<u2" if self.width() == 2 else "<u4"
        out: dict[str, bytes] = {}
        frequent: list[str] = []
        solid = (codes != ord(" ")) & (codes != ord("\n"))
        # the pairs: every position, grouped by pair (ascending in each group)
        starts = np.flatnonzero(solid[:-1] & solid[1:])
        order = _order(ids[starts], ids[starts + 1])
        positions = starts[order]
        grown: dict[str, np.ndarray] = {}  # the frequent strings of this length: positions
        if len(positions):
            bounds = _bounds(ids[positions], ids[positions + 1])
            gaps = np.diff(positions)
            for at, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                head = int(positions[at])
                token = text[head : head + 2]
                out[token] = _positional(token, head, gaps[at : end - 1])
                if end - at > FREQUENT and LONGEST > 2:
                    grown[token] = positions[at:end]
        length = 2
        while grown:
            # a frequent string's by-report entry, and the strings one character longer,
            # after it and before it, as tokens (each string once, whichever way it came)
            frequent += grown
            longer: dict[str, np.ndarray] = {}
            for token, where in grown.items():
                docs = np.searchsorted(starts_at, where, side="right") - 1
                cuts = np.concatenate(([0], np.flatnonzero(np.diff(docs)) + 1))
                counts = np.diff(np.concatenate((cuts, [len(docs)])))
                firsts = where[cuts] - starts_at[docs[cuts]]
                out["\n" + token] = _by_report("\n" + token, docs[cuts], counts, firsts, code)
                ahead = where[where + length < len(codes)]
                ahead = ahead[solid[ahead + length]]
                behind = where[where > 0] - 1
                behind = behind[solid[behind]]
                for found, key in ((ahead, ids[ahead + length]), (behind, ids[behind])):
                    order = np.argsort(key, kind="stable")  # positions stay ascending
                    found, key = found[order], key[order]
                    cuts = np.concatenate(([0], np.flatnonzero(np.diff(key)) + 1, [len(key)]))
                    for at, end in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
                        if at == end:
                            continue
                        head = int(found[at])
                        string = text[head : head + length + 1]
                        if string in out:
                            continue
                        out[string] = _positional(string, head, np.diff(found[at:end]))
                        if end - at > FREQUENT and length + 1 < LONGEST:
                            longer[string] = found[at:end]
            grown = longer
            length += 1
        lengths = np.array([len(t) + 1 for t in self.texts], dtype=np.int64)
        docs = np.repeat(np.arange(len(self.texts), dtype=np.int64), lengths)[: len(codes)]
        order = _order(ids)  # by character, then position (so report)
        bounds = _bounds(ids[order], docs[order])
        starts = bounds[:-1]
        group_doc = docs[order[starts]]
        group_char = codes[order[starts]]
        counts = np.diff(bounds)
        first = order[starts] - np.array(self.starts(), dtype=np.int64)[group_doc]
        cuts = np.concatenate(([0], np.flatnonzero(np.diff(group_char)) + 1, [len(group_char)]))
        for at, end in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
            char = int(group_char[at])
            if char in (ord(" "), ord("\n")):
                continue
            out[chr(char)] = _by_report(
                chr(char), group_doc[at:end], counts[at:end], first[at:end], code
            )
        return out, frequent

    def chunks(self) -> tuple[list[bytes], list[str]]:
        """The compressed chunk files (a token is in chunk :func:`bucket` of it, the tokens
        of a chunk sorted by UTF-16 code units) and the shard's frequent strings, sorted."""
        entries, frequent = self.entries()
        count = -(-sum(map(len, entries.values())) // CHUNK_BYTES)
        buckets: list[list[str]] = [[] for _ in range(count)]
        for token in entries:
            buckets[bucket(token, count)].append(token)
        chunks = [
            # level 1: gaps compress little at any level (level 6 saved 1 % for 40 % more time)
            zlib.compress(b"".join(entries[t] for t in sorted(tokens, key=utf16)), 1)
            for tokens in buckets
        ]
        return chunks, sorted(frequent, key=utf16)

    def docs_table(self, frequent: list[str]) -> bytes:
        """Column number, title length and number of text files of each report (2 or 4
        bytes), where its text starts (4 bytes), then the shard's frequent strings (line by
        line: none holds a line break); not compressed."""
        code = "H" if self.width() == 2 else "I"
        table = _packed(self.columns + self.title_lengths + self.blocks, code)
        table += _packed(self.starts(), "I")
        return table + "\n".join(frequent).encode("utf-8")


def build_shard(_shared: object, job: tuple[str, list[DocInput]]) -> tuple[str, dict, dict]:
    """(shard name, its entry in meta.json, file name → bytes) for one shard's reports."""
    name, docs = job
    builder = ShardBuilder()
    files: dict[str, bytes] = {}
    for n, doc in enumerate(docs):
        # A 外链 item has no page: its title and fields (信息来源) are what is searched.
        page = Path(doc.page).read_text(encoding="utf-8") if doc.page else ""
        body = html_text(body_html(page)) if page else ""
        normalised, cuts, _starts = body_blocks(body)
        text, title_length = searchable_text(doc.title, normalised, doc.fields)
        builder.add(text, title_length, doc.column, len(cuts))
        ends = [*cuts[1:], len(body)]
        for k, (cut, end) in enumerate(zip(cuts, ends, strict=True)):
            # each text file of a report is whole: a result needs one of them
            shown: dict[str, object] = {"u": doc.url, "t": doc.title, "d": doc.date}
            if doc.source:
                shown["s"] = doc.source
            shown["x"] = body[cut : end + OVERLAP]
            if k:
                shown["k"] = k  # the body goes on before x
            if end + OVERLAP < len(body):
                shown["c"] = 1  # the body continues after x
            files[f"t/{n}.{k}" if k else f"t/{n}"] = zlib.compress(
                json.dumps(shown, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6
            )
    chunks, frequent = builder.chunks()
    for n, data in enumerate(chunks):
        files[f"c{n}"] = data
    table = builder.docs_table(frequent)
    files["d"] = zlib.compress(table, 9)
    signature = hashlib.sha256()
    for file in sorted(files):
        signature.update(file.encode() + b"\0" + files[file])
    entry = {
        "name": name,
        "y": name[:4],  # the year (the year filter)
        "n": len(docs),
        "w": builder.width(),
        "chunks": len(chunks),
        "dl": len(table),  # its part of the joined tables (searchindex/index)
        "sig": signature.hexdigest()[:12],
    }
    return name, entry, files
