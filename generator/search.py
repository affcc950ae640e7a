"""站内搜索: keep the static search index of the report pages up to date.

The index (``searchindex/``) is sitegen's own (see :mod:`generator.search_index`): one
shard per publication year, described by ``searchindex/meta.json``. A build makes again
only the shards whose reports changed (a report page re-rendered with other bytes, or
another set of reports in that year); the others are kept as they are. The index files go
through the same writer as the pages, so a failure leaves output/ untouched, and unchanged
files are not rewritten.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .search_index import FORMAT, DocInput, build_shard
from .site import Site
from .urls import encode_path

BUNDLE = "searchindex"
META = f"{BUNDLE}/meta.json"


def columns_of(site: Site) -> list[tuple[str, str]]:
    """(key, title) of every column, in key order: a report's column is its number here."""
    return sorted((c.key, c.title) for c in site.columns.values())  # the root's key is ""


def shard_jobs(
    site: Site, current: Callable[[str], str], numbers: dict[str, int]
) -> dict[str, list[DocInput]]:
    """Shard name (the year) → its reports, newest first (the order of site.reports)."""
    pages = {p.report.url: p for p in site.pages if p.kind == "report" and p.report}
    shards: dict[str, list[DocInput]] = {}
    for report in site.reports:
        page = pages.get(report.url)
        if page is None and not report.link:  # a 外链 item is found by title and source
            continue
        fields = [
            report.source_org,
            report.disclosure.get("doc_no", ""),
            *report.keywords,
            *(a.title for a in report.attachments),
        ]
        shards.setdefault(str(report.date.year), []).append(
            DocInput(
                # as pages link it: search.js takes it as it is (a 外链 as it was written)
                url=report.url if report.link else encode_path(report.url),
                page=current(page.output) if page is not None else "",
                title=report.title,
                fields=[f for f in fields if f],
                column=numbers["/".join(report.column)],
                date=report.date.strftime("%Y-%m-%d"),
                source=(report.source_org or urlsplit(report.link).hostname or "")
                if report.link
                else "",
            )
        )
    return shards


def inputs_key(docs: list[DocInput], columns: list[tuple[str, str]]) -> str:
    """A hash of everything of a shard except the page texts (the writer says if they changed)."""
    data = [FORMAT, columns, [(d.url, d.title, d.fields, d.column, d.date) for d in docs]]
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
    shards = shard_jobs(site, lambda rel: str(writer.current(rel)), numbers)
    before = previous_meta(writer.output / META)
    pages_of: dict[str, list[str]] = {}
    for p in site.pages:
        if p.kind == "report" and p.report:
            pages_of.setdefault(str(p.report.date.year), []).append(p.output)
    entries: dict[str, dict] = {}
    todo: list[tuple[str, list[DocInput]]] = []
    keys = {name: inputs_key(docs, columns) for name, docs in shards.items()}
    for name, docs in shards.items():
        old = before.get(name)
        fresh = (
            old is not None
            and old.get("key") == keys[name]
            and not changed.intersection(pages_of.get(name, ()))
            and writer.keep_existing(f"{BUNDLE}/{name}")
        )
        if fresh:
            entries[name] = old  # type: ignore[assignment]
        else:
            todo.append((name, docs))
    rebuilt = []
    for name, entry, files in shard_map(todo, jobs):
        for rel, data in files.items():
            writer.put(f"{BUNDLE}/{name}/{rel}", data)
        entry["key"] = keys[name]
        entries[name] = entry
        rebuilt.append(name)
    meta = {
        "v": FORMAT,
        "columns": [list(c) for c in columns],
        "shards": [entries[name] for name in sorted(entries, key=_year_order)],
    }
    writer.put(META, json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode())
    return rebuilt


def _one(job: tuple[str, list[DocInput]]) -> tuple[str, dict, dict]:
    return build_shard(None, job)


def shard_map(todo: list[tuple[str, list[DocInput]]], jobs: int) -> Iterator[tuple]:
    """build_shard over the shards, largest first on ``jobs`` forked processes; in order."""
    if jobs < 2 or len(todo) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_one, todo)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(todo))) as pool:
        yield from pool.imap(_one, todo, chunksize=1)


def _year_order(name: str) -> tuple[int, str]:
    return (-int(name), name) if name.isdigit() else (0, name)


def shard_files(meta: dict) -> Iterable[str]:
    """Every file of the index meta.json names (for checks and tests)."""
    for shard in meta["shards"]:
        yield f"{shard['name']}/d"
        for n in range(shard["chunks"]):
            yield f"{shard['name']}/c{n}"
        for n in range(shard["n"]):
            yield f"{shard['name']}/t/{n}"
