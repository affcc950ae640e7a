"""Run the pipeline: config → content → site model → render → write."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache, PageKeys, input_fingerprint
from .config import load_config
from .content import ReportMemo, load_content
from .errors import BuildFailed, Diagnostics, Problem
from .live import LiveState
from .parallel import default_jobs, fork_map, with_progress
from .render import PageRenderer, render_one
from .search import BUNDLE, SearchUnavailable, update_index
from .site import Site, build_site
from .theme import Theme, load_theme
from .writer import OutputWriter, UnsafeOutput, check_output_dir

DEV_FILES = "_sitegen/"


@dataclass
class BuildOptions:
    source: Path = Path(".")
    output: Path | None = None  # default: <source>/output
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    expired: bool = False
    relative: bool = False  # links end in index.html: browsable from the file system
    dev: bool = False  # `sitegen serve`: pages load the rebuild-error overlay script
    cache: bool = True  # reuse pages whose inputs did not change (.sitegen-cache/)
    # False keeps the existing search index as it is (the dev server, after its first build)
    search_index: bool = True
    jobs: int = field(default_factory=default_jobs)  # processes that render pages
    now: dt.datetime | None = None

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.source / "output"


@dataclass
class BuildResult:
    pages: int
    written: int
    unchanged: int
    removed: int
    left_out: dict[str, int]
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files written
    live: LiveState | None = None  # for the dev server's quick path (BuildOptions.dev)


# Wraps the outcomes of rendering (and their count), e.g. in a progress bar.
Progress = Callable[[Iterable, int], Iterable]


def load_site(
    options: BuildOptions, diag: Diagnostics, memo: ReportMemo | None = None
) -> tuple[Site, Theme]:
    """Everything up to the model; raises :class:`BuildFailed` with all problems found."""
    config = load_config(options.source, diag)
    if config is None:
        raise BuildFailed(diag.errors)
    if options.base_url is not None:
        config.base_url = (
            options.base_url if options.base_url.endswith("/") else options.base_url + "/"
        )
    theme = load_theme(config, diag)
    if memo is not None:
        memo.timezone = config.timezone  # cached reports read in another zone are not used
    content = load_content(config, diag, memo, options.jobs)
    now = options.now or dt.datetime.now(config.zone)
    site = build_site(config, content, diag, now, options.drafts, options.future, options.expired)
    if not config.base_url:
        diag.warn(
            "sitegen.yaml",
            "base_url is not set: QR codes, feeds and the sitemap need absolute URLs and are left out",
            hint="set base_url: https://www.example.gov.cn/ (or pass --base-url)",
        )
    if diag.errors or theme is None:
        raise BuildFailed(diag.errors)
    return site, theme


def static_files(site: Site, theme: Theme) -> dict[str, Path]:
    """Output path → source file; the site's static/ overrides the theme's, content assets last."""
    files: dict[str, Path] = {}
    for folder in theme.static_dirs:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(folder).as_posix()] = path
    content_dir = site.config.root / "content"
    for rel in site.assets:
        files[rel] = content_dir / rel
    return files


def index_search(site: Site, writer: OutputWriter, jobs: int = 1) -> None:
    """Make again the shards of the search index whose reports changed; keep the others."""
    update_index(site, writer, jobs)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the model is built: it only allocates (tens of
    thousands of objects that live as long as the build), and collections triggered by
    those allocations would walk them again and again (a fifth of a one-edit rebuild)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site; on any error raise :class:`BuildFailed` and leave output/ untouched."""
    started = time.perf_counter()
    diag = Diagnostics()
    try:
        check_output_dir(options.output_dir, options.source)
    except UnsafeOutput as exc:
        raise BuildFailed([Problem(str(options.output_dir), str(exc))]) from None
    flags = (
        f"drafts={options.drafts} future={options.future} expired={options.expired} "
        f"relative={options.relative} dev={options.dev} base_url={options.base_url}"
    )  # not search_index: whether the index is made again changes no page
    cache = BuildCache(options.source, options.output_dir.resolve(), enabled=options.cache)
    fingerprint = input_fingerprint(options.source, flags) if options.cache else ""
    now = options.now or dt.datetime.now(dt.UTC)
    last = cache.unchanged(fingerprint, now)
    if last is not None:
        return BuildResult(
            pages=last["pages"],
            written=0,
            unchanged=last["files"],
            removed=0,
            left_out=last["left_out"],
            seconds=time.perf_counter() - started,
            warnings=[Problem(*w) for w in last["warnings"]],
        )
    with collector_paused():
        memo = cache.reports()
        site, theme = load_site(options, diag, memo)
        renderer = PageRenderer(
            site,
            theme,
            file_urls=options.relative,
            dev=options.dev,
            bytecode_dir=cache.folder / "templates" if options.cache else None,
        )
        writer = OutputWriter(options.output_dir)
        page_keys = PageKeys(site, theme, flags, renderer.env)
        keys = {page.output: page_keys.key(page) for page in site.pages}
    # The model lives as long as the build: the collector need not walk it again, and
    # forked workers share its memory pages instead of copying them as it walks.
    gc.freeze()
    try:
        todo = []
        stats = writer.scan() if options.cache else {}
        for page in site.pages:
            if cache.fresh(page.output, keys[page.output], stats):
                writer.record(page.output, changed=False)
            else:
                todo.append(page)
        try:
            failed: list[Problem] = []
            outcomes = fork_map(render_one, (renderer, writer), todo, options.jobs)
            for rel, changed, problem in with_progress(outcomes, len(todo), progress):
                if problem is not None:
                    failed.append(problem)
                else:
                    writer.record(rel, changed)
            diag.merge_repeats(failed)
            for rel, source in static_files(site, theme).items():
                writer.copy(rel, source)
            if options.dev:
                writer.keep(DEV_FILES)
            if site.config.search and not options.search_index:
                writer.keep_existing(BUNDLE)
            elif site.config.search and not diag.errors:
                try:
                    index_search(site, writer, options.jobs)
                except SearchUnavailable as exc:
                    diag.errors.append(exc.problem)
            if diag.errors:
                raise BuildFailed(diag.errors)
            removed = writer.commit()
        except BaseException:
            writer.abort()
            raise
        summary = {
            "pages": len(site.pages),
            "files": len(writer.produced),
            "left_out": site.left_out,
            "warnings": [[w.path, w.message, w.line, w.hint] for w in diag.warnings],
        }
        cache.save(keys, writer.stats, fingerprint, site.valid_until, summary)
        cache.save_reports(memo)
        return BuildResult(
            pages=len(site.pages),
            written=len(writer.changed),
            unchanged=writer.unchanged,
            removed=removed,
            left_out=site.left_out,
            seconds=time.perf_counter() - started,
            warnings=diag.warnings,
            files=sorted(writer.changed),
            live=LiveState(site, renderer, page_keys, keys, writer.stats) if options.dev else None,
        )
    finally:
        gc.unfreeze()
