"""Run the pipeline: config → content → site model → render → write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import messages
from .dates import site_now
from .errors import BuildFailed, Diagnostics, Problem
from .incremental.fingerprint import input_fingerprint
from .incremental.manifest import TEMPLATES, BuildCache, is_serve_output
from .incremental.reports import ReportMemo
from .messages import N_, _
from .parallel import default_jobs, fork_map, with_progress
from .walk import IgnoreRules, Walk
from .writer import (
    MARKER,
    OutputFailed,
    OutputWriter,
    UnsafeOutput,
    check_output_dir,
    check_ownership,
    explain,
    file_stats,
    listing,
    manifest_bytes,
    sweep_stages,
)

# The model, the templates, Markdown and YAML are imported where a build needs them, after
# the no-op check: a build with nothing to do loads none of them.
if TYPE_CHECKING:
    from .incremental.keys import PageKeys
    from .render import PageRenderer
    from .site import Page, Site
    from .theme import Theme

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
    # write into an output folder that holds files sitegen did not write (removing them)
    force: bool = False
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
    # Files of content/ that were not published, by reason (keys of walk.REASONS).
    files_left_out: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files written
    state: BuildState | None = None  # for the dev server's quick path (BuildOptions.dev)


@dataclass
class BuildState:
    """What a build leaves for the dev server's quick path (``incremental.quick``)."""

    site: Site
    renderer: PageRenderer
    page_keys: PageKeys
    keys: dict[str, str]  # page output path → key of what is in the output folder now
    stats: dict[str, list[int]]  # every output file → [size, mtime_ns]
    reads: dict[str, list[str]]  # page output path → facets read beyond its declaration


# (output path, True when its bytes changed, problem or None, facets of `site` read
# beyond the page's declaration)
Outcome = tuple[str, bool, Problem | None, frozenset[str]]


def render_page(shared: tuple[PageRenderer, OutputWriter], page: Page) -> Outcome:
    """Render a page and stage its file (worker processes may call this)."""
    from .render import RenderError

    renderer, writer = shared
    try:
        data, reads = renderer.page_bytes(page)
    except RenderError as exc:
        return page.output, False, exc.problem, frozenset()
    extra = reads - page.depends.facets
    return page.output, writer.stage_file(page.output, data), None, extra


# Wraps the outcomes of rendering (and their count), e.g. in a progress bar.
Progress = Callable[[Iterable, int], Iterable]


def load_site(
    options: BuildOptions, diag: Diagnostics, memo: ReportMemo | None = None
) -> tuple[Site, Theme]:
    """Everything up to the model; raises :class:`BuildFailed` with all problems found."""
    from .config import base_url_problem, load_config
    from .content import load_content
    from .site import build_site
    from .theme import load_theme

    config = load_config(options.source, diag)
    if config is None:
        raise BuildFailed(diag.errors)
    given = options.base_url
    if given is not None and not base_url_problem(given, "--base-url", None, diag):
        config.override_base_url(given)
    theme = load_theme(config, diag)
    if memo is not None:
        memo.timezone = config.timezone  # cached reports read in another zone are not used
    content = load_content(config, diag, memo, options.jobs)
    now = site_now(config.zone, options.now)
    site = build_site(config, content, diag, now, options.drafts, options.future, options.expired)
    if not config.base_url:
        diag.warn(
            "sitegen.yaml",
            _(
                "base_url is not set: QR codes, feeds and the sitemap need absolute URLs and are left out"
            ),
            hint=_("set base_url: https://www.example.gov.cn/ (or pass --base-url)"),
        )
    if theme is not None:
        static_files(site, theme, diag)  # the namespace check, before anything is written
    if diag.errors or theme is None:
        raise BuildFailed(diag.errors)
    return site, theme


def _shown_folder(folder: Path, root: Path) -> str:
    try:
        return folder.relative_to(root).as_posix()
    except ValueError:
        return str(folder)


def static_files(site: Site, theme: Theme, diag: Diagnostics | None = None) -> dict[str, Path]:
    """Output path → source file: the theme's static files, the site's static/ over them,
    and the published files of content/.

    Only regular files are taken, links only when they stay inside their folder, nothing
    on the default ignore list (see walk.py). With ``diag``, pages, static files and
    content files are checked as one namespace (a clash is an error naming both), and
    ``logo:``/``favicon:`` must name static files.
    """
    files: dict[str, Path] = {}
    origin: dict[str, str] = {}  # output path → where it comes from, for messages
    root = site.config.root
    for folder in theme.static_dirs:
        if not folder.is_dir():
            continue
        shown = _shown_folder(folder, root)
        walk = Walk(folder, shown, IgnoreRules(), diag if diag is not None else Diagnostics())
        for parts, names in walk.folders():
            here = "".join(p + "/" for p in parts)
            for name in names:
                files[here + name] = folder.joinpath(*parts, name)
                origin[here + name] = f"{shown}/{here}{name}"
    content_dir = root / "content"
    content_files = {rel: f"content/{rel}" for rel in site.assets}
    if diag is not None:
        _check_namespace(site, origin, content_files, diag)
    for rel in site.assets:
        files[rel] = content_dir / rel
    return files


def _page_name(page: Page) -> str:
    what = _("the {kind} page {url}", kind=page.kind, url=page.url)
    return _("{page} (from {file})", page=what, file=page.source) if page.source else what


def _folders(rel: str) -> Iterator[str]:
    """'a/b/c.pdf' → 'a', 'a/b'."""
    end = rel.find("/")
    while end > 0:
        yield rel[:end]
        end = rel.find("/", end + 1)


def _check_namespace(
    site: Site, static: dict[str, str], content: dict[str, str], diag: Diagnostics
) -> None:
    """Pages, static files and content files share the output folder: one path, one file,
    and no file where another needs a folder. Each clash names the file and what it
    would replace. (Two pages on one path are the model's error: site._check_clashes.)"""
    pages = {p.output: p for p in site.pages}
    reserved = {}
    if site.config.search:
        from .search import BUNDLE

        reserved[BUNDLE] = _("the search index {folder}/", folder=BUNDLE)
    files: dict[str, str] = {}  # output path → the static or content file behind it
    clashes: list[tuple[str, str, str]] = []  # (file that clashes, what it meets, output path)

    def name(rel: str) -> str | None:
        page = pages.get(rel)
        return _page_name(page) if page is not None else files.get(rel)

    for sources in (static, content):
        for rel, shown in sources.items():
            first = name(rel)
            if first is not None:
                clashes.append((shown, _("it would replace {other}", other=first), rel))
                continue
            files[rel] = shown
    for rel, shown in files.items():
        for folder in _folders(rel):
            if folder in reserved:
                clashes.append(
                    (shown, _("its folder is that of {other}", other=reserved[folder]), rel)
                )
            other = name(folder)
            if other is not None:
                clashes.append(
                    (shown, _("it needs a folder where {other} is a file", other=other), rel)
                )
    if files:
        for rel, page in pages.items():
            for folder in _folders(rel):
                if folder in files:
                    what = _("it is a file where {other} needs a folder", other=_page_name(page))
                    clashes.append((files[folder], what, rel))
    for path, what, rel in clashes:
        diag.error(
            path,
            _("clashes with a generated file: {what} (output/{file})", what=what, file=rel),
            hint=_(
                "rename or move the file: pages, static files and content files share "
                "one output folder"
            ),
        )
    _check_static_keys(site, static, diag)


def _check_static_keys(site: Site, static: dict[str, str], diag: Diagnostics) -> None:
    """The config keys that name a file under static/ (logo, favicon, the 党政机关网站标识
    image of the footer) name one that exists."""
    config = site.config
    named = {
        ("logo",): config.logo,
        ("favicon",): config.favicon,
        ("footer", "dzjg_image"): config.footer.get("dzjg_image", ""),
        **{("topics", name, "banner"): t.banner for name, t in config.topics.items()},
    }
    for key, value in named.items():
        if not value or "://" in value or value.startswith("data:"):
            continue
        if value.lstrip("/") not in static:
            diag.error(
                "sitegen.yaml",
                _(
                    "{key} {value} is not a file under static/",
                    key=".".join(key),
                    value=repr(value),
                ),
                config.lines.get(key),
                _("put the file at static/{path} or fix the path", path=value.lstrip("/")),
            )


def copy_files(
    files: dict[str, Path], writer: OutputWriter, cache: BuildCache, stats: dict[str, list[int]]
) -> dict[str, list[int]]:
    """Copy static files and files of content/; a file whose source has the size,
    modification time and inode the last build recorded, and whose output file is as the
    last build left it, is not read at all (as rsync compares). Returns what to record."""
    copies: dict[str, list[int]] = {}
    for rel, source in files.items():
        try:
            st = os.stat(source)
        except OSError:
            writer.copy(rel, source)  # raises the message naming the file
            continue
        copies[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
        if cache.copied(rel, copies[rel], stats):
            writer.record(rel, changed=False)
        else:
            writer.copy(rel, source)
    return copies


def write_marker(writer: OutputWriter) -> None:
    """Stage the output folder's marker: the list of every file this build produced."""
    if MARKER in writer.produced:
        raise BuildFailed(
            [
                Problem(
                    MARKER,
                    _(
                        "this name is sitegen's own (the list of files it wrote), and a file of "
                        "the site has it too"
                    ),
                    None,
                    _("rename the file in content/ or static/"),
                )
            ]
        )
    writer.put(MARKER, manifest_bytes(writer.produced))


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
    """Build the site; on any error raise :class:`BuildFailed` and leave output/ untouched.

    Every file-system error (of this process or of a worker) becomes a problem naming
    the file, never a traceback.
    """
    try:
        if not is_serve_output(options.source, options.output_dir):  # the server's own
            check_output_dir(options.output_dir, options.source)
        if not options.force and earlier_build(options):
            options = dataclasses.replace(options, force=True)
        check_ownership(options.output_dir, options.force)
        return _build(options, progress)
    except UnsafeOutput as exc:
        raise BuildFailed([Problem(str(options.output_dir), exc.message, None, exc.hint)]) from None
    except OutputFailed as exc:
        raise BuildFailed([exc.problem]) from None
    except OSError as exc:
        where = exc.filename if exc.filename is not None else options.output_dir
        raise BuildFailed([explain(exc, where, N_("file system error"))]) from None


def earlier_build(options: BuildOptions) -> bool:
    """True when the output folder has no marker but is exactly what the last build of
    this site left in it, as its build cache records (a folder built by a sitegen from
    before the marker): it is taken as sitegen's own."""
    output = options.output_dir
    if not options.cache or not output.is_dir() or (output / MARKER).exists():
        return False
    recorded = BuildCache(options.source, output.resolve()).last.get("outputs")
    if not recorded:
        return False
    stats: dict[str, list[int]] = {}
    file_stats(output, stats)
    return bool(stats) and all(recorded.get(rel) == stat for rel, stat in stats.items())


def _build(options: BuildOptions, progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    diag = Diagnostics()
    flags = (
        f"drafts={options.drafts} future={options.future} expired={options.expired} "
        f"relative={options.relative} dev={options.dev} base_url={options.base_url}"
    )  # not search_index: whether the index is made again changes no page
    serving = is_serve_output(options.source, options.output_dir)
    cache = BuildCache(
        options.source, options.output_dir.resolve(), enabled=options.cache, serve=serving
    )
    # The no-op path replays the last build's warnings: in the language they were made in.
    fingerprint = (
        input_fingerprint(options.source, f"{flags} lang={messages.current()}")
        if options.cache
        else ""
    )
    now = site_now(dt.UTC, options.now)
    last = cache.unchanged(fingerprint, now, skip=DEV_FILES if options.dev else "")
    if last is not None:
        return BuildResult(
            pages=last["pages"],
            written=0,
            unchanged=last["files"],
            removed=0,
            left_out=last["left_out"],
            seconds=time.perf_counter() - started,
            warnings=[Problem(*w) for w in last["warnings"]],
            files_left_out=last.get("files_left_out", {}),
        )
    from .incremental.keys import PageKeys
    from .render import PageRenderer

    with collector_paused():
        memo = cache.reports()
        cache.check_templates()
        catalogue_rows = cache.catalogue_rows()
        cache.warn_damage(diag)
        site, theme = load_site(options, diag, memo)
        renderer = PageRenderer(
            site,
            theme,
            file_urls=options.relative,
            dev=options.dev,
            bytecode_dir=cache.store / TEMPLATES if options.cache else None,
            catalogue_rows=catalogue_rows,
        )
        writer = OutputWriter(options.output_dir, force=options.force)
        for folder in sweep_stages(writer.output):
            diag.warn(
                folder,
                _(
                    "a build was stopped while it switched the output folder; the previous "
                    "versions of the files it had replaced are in old/ here"
                ),
                hint=_("compare and move back what you need, then delete this folder"),
            )
        page_keys = PageKeys(
            site, theme.strings, flags, renderer.env, cache.last.get("template_refs")
        )
        # Facets a page's templates read beyond its declaration, seen when it was rendered.
        reads = {p.output: cache.reads[p.output] for p in site.pages if p.output in cache.reads}
        keys = {page.output: page_keys.key(page, reads.get(page.output, ())) for page in site.pages}
        # The model lives as long as the build: the collector need not walk it again (not
        # even once, when it is enabled again), and forked workers share its memory pages
        # instead of copying them as it walks.
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
            outcomes = fork_map(render_page, (renderer, writer), todo, options.jobs)
            rendered = {page.output: page for page in todo}
            for rel, changed, problem, extra in with_progress(outcomes, len(todo), progress):
                if problem is not None:
                    failed.append(problem)
                    continue
                writer.record(rel, changed)
                if extra or rel in reads:
                    reads[rel] = sorted(extra)
                    keys[rel] = page_keys.key(rendered[rel], extra)
            diag.merge_repeats(failed)
            copies = copy_files(static_files(site, theme), writer, cache, stats)
            if options.dev:
                writer.keep(DEV_FILES)
            if site.config.search:
                from .search import BUNDLE, update_index

                if not options.search_index:
                    writer.keep_existing(BUNDLE)
                elif not diag.errors:
                    update_index(site, writer, options.jobs)  # only the shards that changed
            if diag.errors:
                raise BuildFailed(diag.errors)
            write_marker(writer)
            removed = writer.commit()
        except BaseException:
            writer.abort()
            raise
        if writer.foreign:
            diag.warn(
                options.output_dir,
                _(
                    "{count} file(s) here were not written by sitegen and were left "
                    "as they are: {files}",
                    count=len(writer.foreign),
                    files=listing(writer.foreign),
                ),
                hint=_(
                    "remove them yourself if they are not meant to be published, "
                    "or build with --force to clear them"
                ),
            )
        summary = {
            "pages": len(site.pages),
            "files": len(writer.produced),
            "left_out": site.left_out,
            "files_left_out": site.files_left_out,
            "warnings": [[w.path, w.message, w.line, w.hint] for w in diag.warnings],
        }
        try:
            reads = {rel: found for rel, found in reads.items() if found}
            cache.save(
                keys,
                writer.stats,
                fingerprint,
                site.valid_until,
                summary,
                reads,
                copies,
                page_keys.templates.refs,
            )
            cache.save_reports(memo)
            cache.save_catalogue_rows(renderer.catalogue)
        except OSError as exc:  # the output is in place: a cache that cannot be saved is no error
            problem = explain(
                exc, exc.filename or cache.folder, N_("the build cache could not be saved")
            )
            diag.warn(
                problem.path, problem.message, hint=_("the next build renders every page again")
            )
        return BuildResult(
            pages=len(site.pages),
            written=len(writer.changed),
            unchanged=writer.unchanged,
            removed=removed,
            left_out=site.left_out,
            seconds=time.perf_counter() - started,
            warnings=diag.warnings,
            files_left_out=site.files_left_out,
            files=sorted(writer.changed),
            state=BuildState(site, renderer, page_keys, keys, writer.stats, reads)
            if options.dev
            else None,
        )
    finally:
        gc.unfreeze()
