"""The dev server's quick path: a saved report body re-renders only the pages showing it.

After each full build ``sitegen serve`` keeps the site model, the page keys, the Jinja
environment and the state of its output folder in memory (:class:`LiveState`). When the
only files that changed are reports whose front matter stayed as it was (the usual edit
of a report's text), those files are parsed again, the pages that show them (the report,
its neighbours, the lists, series and feeds it is on) get new keys, and only pages whose
key changed are rendered; nothing else is read. Any other change returns ``None``: the
caller runs a full build (which itself reuses the build cache).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import PageKeys
from .content import Report, parse_report
from .errors import BuildFailed, Problem
from .render import PageRenderer, render_one
from .site import Page, Site
from .writer import OutputFailed, OutputWriter

# Fields a report gets from the site model or from its bytes, not from its front matter.
DERIVED = {"body": None, "digest": "", "url": "", "pinned": False}


@dataclass
class LiveState:
    site: Site
    renderer: PageRenderer
    page_keys: PageKeys
    keys: dict[str, str]  # page output path → key of what is in the output folder now
    stats: dict[str, list[int]]  # every output file → [size, mtime_ns]
    by_file: dict[str, Report] = field(default_factory=dict)
    shown_on: dict[int, list[Page]] = field(default_factory=dict)  # id(report) → pages
    whole_site: list[Page] = field(default_factory=list)  # pages whose template reads all

    def __post_init__(self) -> None:
        self.by_file = {r.file: r for r in self.site.reports}
        for page in self.site.pages:
            if self.page_keys.templates.of(page.template)[1]:
                self.whole_site.append(page)
            for report in {id(r): r for r in shown(page)}.values():
                self.shown_on.setdefault(id(report), []).append(page)


def shown(page: Page) -> Iterable[Report]:
    """Every report whose bytes are part of the page's key (see PageKeys.key)."""
    for report in (page.report, page.newer, page.older):
        if report is not None:
            yield report
    yield from page.reports
    for group in page.groups:
        yield from group.reports
    if page.series is not None:
        yield from page.series.reports
    for reports in page.shows.values():
        yield from reports


def same_front_matter(old: Report, new: Report) -> bool:
    return dataclasses.replace(old, **DERIVED) == dataclasses.replace(new, **DERIVED)


def edit_reports(state: LiveState, output: Path, paths: Iterable[Path], now: dt.datetime):
    """Re-render what the edited report files change; ``None`` when a full build is needed.

    Returns ``(files written, warnings, seconds)``; raises :class:`BuildFailed`
    when an edited file has errors (the output folder is left as it was).
    """
    started = time.perf_counter()
    site = state.site
    if site.valid_until is not None and now >= site.valid_until:
        return None  # a report became due or expired: the selection itself changes
    edits: list[tuple[Report, Report]] = []
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for path in paths:
        old = state.by_file.get(os.path.abspath(path)) or state.by_file.get(os.path.realpath(path))
        if old is None or not os.path.isfile(path):
            return None  # not a published report, or one added or deleted
        new, file_errors, file_warnings = parse_report(
            site.config, (old.file, old.source, old.column)
        )
        errors += file_errors
        warnings += file_warnings
        if new is not None and not same_front_matter(old, new):
            return None
        if new is not None:
            edits.append((old, new))
    if errors:
        raise BuildFailed(errors)
    affected: dict[str, Page] = {page.output: page for page in state.whole_site}
    for old, new in edits:
        old.body, old.digest = None, new.digest  # the body is read again when rendered
        state.renderer.forget(old)
        state.page_keys.report_changed(old)
        affected.update((page.output, page) for page in state.shown_on.get(id(old), []))
    keys = {rel: state.page_keys.key(page) for rel, page in affected.items()}
    todo = [page for rel, page in affected.items() if keys[rel] != state.keys.get(rel)]
    writer = OutputWriter(output)
    writer.stats, writer.scanned = state.stats, True
    failed: list[Problem] = []
    try:
        for page in todo:
            rel, changed, problem = render_one((state.renderer, writer), page)
            if problem is not None:
                failed.append(problem)
            else:
                writer.record(rel, changed)
        if failed:
            raise BuildFailed(failed)
        writer.commit(prune=False)
    except OutputFailed as exc:  # a file-system error: a message, not a traceback
        writer.abort()
        raise BuildFailed([exc.problem]) from None
    except BaseException:
        writer.abort()
        raise
    state.keys.update(keys)
    return writer.changed, warnings, time.perf_counter() - started
