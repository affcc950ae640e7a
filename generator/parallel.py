"""Render pages across processes (fork) or in this one; each page is rendered on its own."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator

from .errors import Problem
from .render import PageRenderer, RenderError
from .site import Page
from .writer import OutputWriter

# (output path, True when its bytes changed, problem or None)
Outcome = tuple[str, bool, Problem | None]
MIN_PAGES_PER_WORKER = 50

_worker: tuple[PageRenderer, OutputWriter, list[Page]] | None = None


def render_one(renderer: PageRenderer, writer: OutputWriter, page: Page) -> Outcome:
    try:
        html = renderer.render(page)
    except RenderError as exc:
        return page.output, False, exc.problem
    return page.output, writer.stage_file(page.output, html.encode("utf-8")), None


def _render_chunk(indexes: list[int]) -> list[Outcome]:
    assert _worker is not None
    renderer, writer, pages = _worker
    return [render_one(renderer, writer, pages[i]) for i in indexes]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_pages(
    renderer: PageRenderer,
    writer: OutputWriter,
    pages: list[Page],
    jobs: int,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> Iterator[Outcome]:
    """Yield one outcome per page; workers write changed pages into the writer's stage."""
    global _worker
    jobs = min(jobs, len(pages) // MIN_PAGES_PER_WORKER)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        items: Iterable = pages if progress is None else progress(pages, len(pages))
        for page in items:
            yield render_one(renderer, writer, page)
        return
    # Workers inherit the site model by fork: nothing large is pickled, only page numbers.
    _worker = (renderer, writer, pages)
    chunk = 25
    chunks = [list(range(i, min(i + chunk, len(pages)))) for i in range(0, len(pages), chunk)]
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(jobs) as pool:
            outcomes: Iterable[Outcome] = (
                outcome
                for chunk_outcomes in pool.imap(_render_chunk, chunks)
                for outcome in chunk_outcomes
            )
            if progress is not None:
                outcomes = progress(outcomes, len(pages))
            yield from outcomes
    finally:
        _worker = None
