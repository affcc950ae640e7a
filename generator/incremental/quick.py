"""The dev server's quick path: a saved report body re-renders only the pages showing it.

After each full build ``sitegen serve`` keeps the site model, the page keys, the Jinja
environment and the state of its output folder in memory (:class:`LiveState`, made from
the build's :class:`~generator.build.BuildState`). When the only files that changed are
reports whose front matter stayed as it was (the usual edit of a report's text), those
files are parsed again; the pages whose declaration (``Page.depends``) names one of them,
or a facet whose digest changed with them, get new keys, and only pages whose key changed
are rendered. Any other change returns ``None``: the caller runs a full build (which
itself reuses the build cache).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..build import BuildState, render_page
from ..content import Report, parse_report
from ..errors import BuildFailed, Problem
from ..pages.model import Page
from ..writer import OutputFailed, OutputWriter

# Fields a report gets from the site model or from its bytes, not from its front matter.
DERIVED = {"body": None, "digest": "", "url": "", "pinned": False}


@dataclass
class LiveState:
    build: BuildState
    by_file: dict[str, Report] = field(default_factory=dict)
    shown_on: dict[str, list[Page]] = field(default_factory=dict)  # Report.source → pages
    reading: dict[str, list[Page]] = field(default_factory=dict)  # facet → pages

    def __post_init__(self) -> None:
        self.by_file = {r.file: r for r in self.build.site.reports}
        for page in self.build.site.pages:
            for source in page.depends.reports:
                self.shown_on.setdefault(source, []).append(page)
            for facet in page.depends.facets.union(self.build.reads.get(page.output, ())):
                self.reading.setdefault(facet, []).append(page)

    @property
    def site(self):
        return self.build.site

    @property
    def stats(self) -> dict[str, list[int]]:
        return self.build.stats


def same_front_matter(old: Report, new: Report) -> bool:
    return dataclasses.replace(old, **DERIVED) == dataclasses.replace(new, **DERIVED)


def edit_reports(state: LiveState, output: Path, paths: Iterable[Path], now: dt.datetime):
    """Re-render what the edited report files change; ``None`` when a full build is needed.

    Returns ``(files written, warnings, seconds)``; raises :class:`BuildFailed`
    when an edited file has errors (the output folder is left as it was).
    """
    started = time.perf_counter()
    built = state.build
    site = built.site
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
    affected: dict[str, Page] = {}
    for old, new in edits:
        old.body, old.digest = None, new.digest  # the body is read again when rendered
        built.renderer.forget(old)
        for facet in built.page_keys.report_changed(old):
            affected.update((page.output, page) for page in state.reading.get(facet, []))
        affected.update((page.output, page) for page in state.shown_on.get(old.source, []))
    keys = {
        rel: built.page_keys.key(page, built.reads.get(rel, ())) for rel, page in affected.items()
    }
    todo = [page for rel, page in affected.items() if keys[rel] != built.keys.get(rel)]
    writer = OutputWriter(output)
    writer.stats, writer.scanned = built.stats, True
    failed: list[Problem] = []
    try:
        for page in todo:
            rel, changed, problem, extra = render_page((built.renderer, writer), page)
            if problem is not None:
                failed.append(problem)
                continue
            writer.record(rel, changed)
            known = set(built.reads.get(rel, ()))
            if not extra <= known:  # a template read more this time: key the page by it
                built.reads[rel] = sorted(known | extra)
                for facet in extra - known:
                    state.reading.setdefault(facet, []).append(page)
                keys[rel] = built.page_keys.key(page, built.reads[rel])
        if failed:
            raise BuildFailed(failed)
        writer.commit(prune=False)
    except OutputFailed as exc:  # a file-system error: a message, not a traceback
        writer.abort()
        raise BuildFailed([exc.problem]) from None
    except BaseException:
        writer.abort()
        raise
    built.keys.update(keys)
    return writer.changed, warnings, time.perf_counter() - started
