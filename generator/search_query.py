"""Answer a query from a built search index, as the browser's search.js does.

A line-for-line port of the query logic of ``themes/default/static/js/search.js`` (the
words of the query, the tokens that cover each word, the position check, the filters,
the counts and the ranking), for tests and benchmarks that ask the index of a
large corpus many questions without a browser.
"""

from __future__ import annotations

import bisect
import json
import sys
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from .search_index import bucket, covering_tokens


def query_words(query: str) -> list[str]:
    """The words of a query: normalised like the text, split at white space, each once."""
    words: list[str] = []
    for word in unicodedata.normalize("NFKC", query).casefold().split():
        if word not in words:
            words.append(word)
    return words


@dataclass
class Hit:
    shard: int  # position of the shard in meta.json (newest first)
    doc: int  # number of the report in its shard (newest first)
    column: str
    year: str
    in_title: int  # words of the query found in the title
    count: int  # occurrences of the words


class Shard:
    def __init__(self, folder: Path, entry: dict, data: bytes):
        """``data``: the shard's docs table (its part of the joined tables)."""
        self.folder = folder / entry["name"]
        self.entry = entry
        self.code = "H" if entry["w"] == 2 else "I"
        n, width = entry["n"], entry["w"]
        table = self._array(data[: 3 * n * width])
        self.columns = list(table[:n])
        self.title_lengths = list(table[n : 2 * n])
        self.blocks = list(table[2 * n :])  # text files of each report
        starts = array("I")
        starts.frombytes(data[3 * n * width : 3 * n * width + 4 * n])
        if sys.byteorder == "big":
            starts.byteswap()
        self.starts = list(starts)
        tokens = data[3 * n * width + 4 * n :].decode("utf-8")
        self.frequent = set(tokens.split("\n")) if tokens else set()
        self.loaded: dict[str, dict[str, tuple]] = {}

    def _array(self, data: bytes, code: str = "") -> array:
        values = array(code or self.code)
        values.frombytes(data)
        if sys.byteorder == "big":
            values.byteswap()
        return values

    def _chunk(self, file: str) -> dict[str, tuple]:
        if file not in self.loaded:
            data = zlib.decompress((self.folder / file).read_bytes())
            width = self.entry["w"]
            entries: dict[str, tuple] = {}
            at = 0
            while at < len(data):
                size = data[at]
                token = data[at + 1 : at + 1 + size].decode("utf-8")
                at += 1 + size
                n = int.from_bytes(data[at : at + 4], "little")
                at += 4
                if len(token) == 1 or token[0] == "\n":  # reports, counts, first positions
                    parts = [self._array(data[at + k * n * width : at + (k + 1) * n * width])
                             for k in range(3)]  # fmt: skip
                    at += 3 * n * width
                    entries[token] = tuple(parts)
                else:  # first position, gap width, gaps: every position in the shard's text
                    first = int.from_bytes(data[at : at + 4], "little")
                    gap = data[at + 4]
                    at += 5
                    gaps = self._array(data[at : at + (n - 1) * gap], "H" if gap == 2 else "I")
                    at += (n - 1) * gap
                    entries[token] = (list(accumulate(gaps, initial=first)),)
            self.loaded[file] = entries
        return self.loaded[file]

    def postings(self, token: str) -> tuple | None:
        if not self.entry["chunks"]:
            return None
        return self._chunk(f"c{bucket(token, self.entry['chunks'])}").get(token)

    def match(self, word: str) -> dict[int, tuple[int, int]]:
        """doc → (occurrences of the word, where it first occurs in the report's text)."""
        by_report = len(word) == 1 or word in self.frequent
        if by_report:  # a character, or a frequent string: by report
            parts = [(word if len(word) == 1 else "\n" + word, 0)]
        else:
            parts = covering_tokens(word, self.frequent)
        found = [self.postings(token) for token, _o in parts]
        if any(p is None for p in found):
            return {}
        if by_report:
            docs, counts, firsts = found[0]  # type: ignore[misc]
            return {d: (counts[i], firsts[i]) for i, d in enumerate(docs)}
        hits = found[0][0]  # type: ignore[index]
        for (positions,), (_token, offset) in zip(found[1:], parts[1:], strict=True):  # type: ignore[misc]
            there = set(positions)
            hits = [p for p in hits if p + offset in there]
        result: dict[int, tuple[int, int]] = {}
        for p in hits:  # ascending: the first of a report comes first
            doc = bisect.bisect_right(self.starts, p) - 1
            if doc in result:
                result[doc] = (result[doc][0] + 1, result[doc][1])
            else:
                result[doc] = (1, p - self.starts[doc])
        return result


def read_first(data: bytes) -> tuple[dict, bytes]:
    """(meta.json, the joined docs tables decompressed) of ``searchindex/index``."""
    size = int.from_bytes(data[:4], "little")
    return json.loads(data[4 : 4 + size]), zlib.decompress(data[4 + size :])


class SearchIndex:
    """The index of a built site (``output/searchindex``), read from the files."""

    def __init__(self, folder: Path):
        self.meta, tables = read_first((folder / "index").read_bytes())
        self.columns = [key for key, _title in self.meta["columns"]]
        self.shards = []
        at = 0
        for entry in self.meta["shards"]:
            self.shards.append(Shard(folder, entry, tables[at : at + entry["dl"]]))
            at += entry["dl"]

    def hits(self, query: str) -> list[Hit]:
        """Every report containing all the words of the query, best first."""
        words = query_words(query)
        if not words:
            return []
        hits: list[Hit] = []
        for s, shard in enumerate(self.shards):
            matched = [shard.match(w) for w in words]
            docs = set(matched[0]).intersection(*matched[1:])
            for doc in docs:
                length = shard.title_lengths[doc]
                in_title = sum(
                    1 for w, m in zip(words, matched, strict=True) if m[doc][1] + len(w) <= length
                )
                count = sum(m[doc][0] for m in matched)
                column = self.columns[shard.columns[doc]]
                hits.append(Hit(s, doc, column, shard.entry["y"], in_title, count))
        hits.sort(key=lambda h: (-h.in_title, -h.count, h.shard, h.doc))
        return hits

    def url(self, hit: Hit) -> str:
        shard = self.shards[hit.shard]
        data = zlib.decompress((shard.folder / "t" / str(hit.doc)).read_bytes())
        return json.loads(data)["u"]


def in_column(column: str, wanted: str) -> bool:
    return not wanted or column == wanted or column.startswith(wanted + "/")
