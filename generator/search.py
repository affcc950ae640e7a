"""站内搜索: keep the static search index of the report pages up to date.

The index (``searchindex/``) is sitegen's own (see :mod:`generator.search_index`), cut
into shards by publication date, described by ``searchindex/meta.json``: one shard per
year, or, for a year that would hold more than :data:`SHARD_REPORTS` reports, one per
period of 6, 4, 3, 2 or 1 months (the longest that keeps each of the year's shards within
it), so a shard's reports depend only on the dates of that year's reports. A build makes
again only the shards whose reports changed (a report page re-rendered with other bytes, or another
set of reports in that period); the others are kept as they are, without reading them.
The index files go through the same writer as the pages, so a failure leaves output/
untouched, and unchanged files are not rewritten.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .content import Report
from .incremental.digest import code_digest
from .pages.model import Page
from .search_index import BLOCK, FORMAT, DocInput, build_shard
from .search_query import Shard
from .site import Site
from .urls import encode_path

BUNDLE = "searchindex"
META = f"{BUNDLE}/meta.json"
FIRST = f"{BUNDLE}/index"  # what a search page loads first: meta.json and every docs table
SHARD_REPORTS = 700  # at most this many reports in a shard, unless a month holds more
PERIODS = (12, 6, 4, 3, 2, 1)  # months a shard may span, longest first (each divides 12)


def shard_period(months: Iterable[tuple[int, int]]) -> int:
    """Months a shard spans: the longest of :data:`PERIODS` whose busiest shard holds at
    most :data:`SHARD_REPORTS` reports; ``months`` is (year, month) of every report."""
    found = list(months)
    for period in PERIODS:
        counts = Counter((year, (month - 1) // period) for year, month in found)
        if max(counts.values(), default=0) <= SHARD_REPORTS:
            return period
    return PERIODS[-1]


def shard_name(year: int, month: int, period: int) -> str:
    """The shard of a date: its year (``2020``), or year and first month (``2020-07``)."""
    if period == 12:
        return str(year)
    return f"{year}-{(month - 1) // period * period + 1:02d}"


def columns_of(site: Site) -> list[tuple[str, str]]:
    """(key, title) of every column, in key order: a report's column is its number here."""
    return sorted((c.key, c.title) for c in site.columns.values())  # the root's key is ""


def shard_members(site: Site) -> dict[str, list[tuple[Report, Page | None]]]:
    """Shard name → its reports (with their pages; a 外链 item has none, its title and
    source are searched), newest first (the order of site.reports)."""
    pages = {p.report.url: p for p in site.pages if p.kind == "report" and p.report}
    indexed = [r for r in site.reports if r.url in pages or r.link]
    months: dict[int, list[tuple[int, int]]] = {}
    for report in indexed:
        months.setdefault(report.date.year, []).append((report.date.year, report.date.month))
    periods = {year: shard_period(found) for year, found in months.items()}
    shards: dict[str, list[tuple[Report, Page | None]]] = {}
    for report in indexed:
        name = shard_name(report.date.year, report.date.month, periods[report.date.year])
        shards.setdefault(name, []).append((report, pages.get(report.url)))
    return shards


def _fields(report: Report) -> list[str]:
    """信息来源, 文号, keywords and attachment titles: what is searched besides title and body."""
    fields = [
        report.source_org,
        report.disclosure.get("doc_no", ""),
        *report.keywords,
        *(a.title for a in report.attachments),
    ]
    return [f for f in fields if f]


def doc_input(report: Report, page: Page | None, numbers: dict[str, int]) -> DocInput:
    """What the index needs of a report; ``page`` is its page's path in the output
    (``writer.current`` says where its bytes are now)."""
    return DocInput(
        # as pages link it: search.js takes it as it is (a 外链 as it was written)
        url=report.url if report.link else encode_path(report.url),
        page=page.output if page is not None else "",
        title=report.title,
        fields=_fields(report),
        column=numbers["/".join(report.column)],
        date=report.date.strftime("%Y-%m-%d"),
        source=(report.source_org or urlsplit(report.link).hostname or "") if report.link else "",
    )


def shard_jobs(site: Site, numbers: dict[str, int]) -> dict[str, list[DocInput]]:
    """Shard name → what the index needs of its reports, newest first."""
    return {
        name: [doc_input(report, page, numbers) for report, page in members]
        for name, members in shard_members(site).items()
    }


def inputs_key(members: list[tuple[Report, Page | None]], columns: list[tuple[str, str]]) -> str:
    """A hash of everything of a shard except the page texts (the writer says if they
    changed): what :func:`doc_input` makes of its reports, and the code that makes the
    index (sitegen's own, and zlib's, whose bytes the files are)."""
    data = [
        FORMAT,
        code_digest(),
        zlib.ZLIB_RUNTIME_VERSION,
        columns,
        [
            (r.url, r.link, r.title, _fields(r), r.column, r.date.isoformat(), p is None)
            for r, p in members
        ],
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def previous_meta(output_meta: Path) -> dict[str, dict]:
    """The shards of the index now in output/ by name (none if absent or of another format)."""
    try:
        meta = json.loads(output_meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(meta, dict) or meta.get("v") != FORMAT:
        return {}
    return {s["name"]: s for s in meta.get("shards", []) if isinstance(s, dict) and "name" in s}


def update_index(site: Site, writer: Any, jobs: int = 1) -> list[str]:
    """Write the index through ``writer``; returns the names of the shards made again."""
    columns = columns_of(site)
    numbers = {key: n for n, (key, _title) in enumerate(columns)}
    changed = set(writer.changed)
    shards = shard_members(site)
    before = previous_meta(writer.output / META)
    entries: dict[str, dict] = {}
    todo: list[tuple[str, list[DocInput]]] = []
    tables: dict[str, bytes] = {}  # each shard's docs table (its file d)
    keys = {name: inputs_key(members, columns) for name, members in shards.items()}
    for name, members in shards.items():
        old = before.get(name)
        table = _old_table(writer, name) if old is not None else b""
        fresh = (
            old is not None
            and bool(table)
            and old.get("key") == keys[name]
            and not any(p is not None and p.output in changed for _r, p in members)
            and writer.keep_listed([f"{BUNDLE}/{name}/{f}" for f in files_of(old, table)])
        )
        if fresh:
            entries[name] = old  # type: ignore[assignment]
            tables[name] = table
            continue
        docs = [doc_input(report, page, numbers) for report, page in members]
        for doc in docs:
            doc.page = str(writer.current(doc.page)) if doc.page else ""
        todo.append((name, docs))
    rebuilt = []
    for name, entry, files in shard_map(todo, jobs):
        for rel, data in files.items():
            writer.put(f"{BUNDLE}/{name}/{rel}", data)
        entry["key"] = keys[name]
        entries[name] = entry
        tables[name] = files["d"]
        rebuilt.append(name)
    order = sorted(entries, reverse=True)  # newest first
    joined = joined_tables([tables[name] for name in order])
    meta = {
        "v": FORMAT,
        "b": BLOCK,  # the characters of body text a report's text files are cut at
        "columns": [list(c) for c in columns],
        "tables": hashlib.sha256(joined).hexdigest()[:12],
        "shards": [entries[name] for name in order],
    }
    meta_json = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
    writer.put(META, meta_json)
    writer.put(FIRST, first_file(meta_json, joined))
    return rebuilt


def _old_table(writer: Any, name: str) -> bytes:
    """The docs table of a shard as the output now holds it (none if it is not there)."""
    try:
        return writer.current(f"{BUNDLE}/{name}/d").read_bytes()
    except OSError:
        return b""


def joined_tables(tables: list[bytes]) -> bytes:
    """The docs tables of every shard (each shard's file ``d``), decompressed, one after
    another in the order of meta.json (each entry's ``dl`` says how long its part is),
    compressed: a query loads the tables of all shards at once."""
    return zlib.compress(b"".join(zlib.decompress(t) for t in tables), 9)


def first_file(meta_json: bytes, joined: bytes) -> bytes:
    """The file ``searchindex/index``, all a search page needs before it looks a word up,
    in one request: the length of meta.json (4 bytes, little-endian), meta.json, then the
    joined tables (:func:`joined_tables`). search_query.read_first reads it."""
    return len(meta_json).to_bytes(4, "little") + meta_json + joined


def _one(job: tuple[str, list[DocInput]]) -> tuple[str, dict, dict]:
    return build_shard(None, job)


def shard_map(todo: list[tuple[str, list[DocInput]]], jobs: int) -> Iterator[tuple]:
    """build_shard over the shards, largest first on ``jobs`` forked processes; in order."""
    if jobs < 2 or len(todo) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_one, todo)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(todo))) as pool:
        yield from pool.imap(_one, todo, chunksize=1)


def files_of(entry: dict, table: bytes) -> list[str]:
    """The files of one shard as its entry in meta.json and its docs table (the file ``d``,
    which says how many text files each report has) describe them (paths in its folder)."""
    try:
        blocks = Shard(Path(), entry, zlib.decompress(table)).blocks
        return [
            "d",
            *(f"c{n}" for n in range(entry["chunks"])),
            *(f"t/{n}.{k}" if k else f"t/{n}" for n in range(entry["n"]) for k in range(blocks[n])),
        ]
    except (KeyError, TypeError, ValueError, zlib.error):
        return []
