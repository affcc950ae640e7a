"""`sitegen serve`: build into a scratch folder, serve it, rebuild on change, reload the browser."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Collection
from pathlib import Path

import click

from . import messages
from .build import BuildOptions, BuildResult, build
from .config import CONFIG_NAME, load_config
from .content import INDEX_NAME
from .dates import site_now
from .errors import BuildFailed, Diagnostics, Problem
from .incremental.fingerprint import SITE_INPUTS
from .incremental.manifest import serve_output
from .incremental.quick import LiveState, edit_reports
from .messages import _
from .theme import load_theme

ERRORS_SCRIPT = "_sitegen/errors.js"

# Shown over the page when the last rebuild failed; the page comes back by itself once fixed.
# The heading and the language of the box: in the language of messages (dev server only).
OVERLAY = """var sitegenErrorsHeading=%s,sitegenErrorsLang=%s;
(function(errors){
if(!errors.length)return;
function show(){var box=document.createElement("section");
box.setAttribute("role","alert");box.setAttribute("id","sitegen-errors");box.setAttribute("lang",sitegenErrorsLang);
box.style.cssText="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;"+
"background:#fff;color:#000;border-top:6px solid #b00020;padding:1rem 1.5rem;font:1rem/1.6 monospace;white-space:pre-wrap";
var h=document.createElement("h2");h.textContent=sitegenErrorsHeading;
box.appendChild(h);for(var i=0;i<errors.length;i++){var p=document.createElement("p");
p.textContent=errors[i];box.appendChild(p);}document.body.appendChild(box);}
if(document.body)show();else document.addEventListener("DOMContentLoaded",show);
})(%s);
"""


def free_port(host: str, wanted: int, tries: int = 50) -> int:
    """``wanted`` when it is free, else the next free port above it."""
    for port in range(wanted, wanted + tries):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise click.ClickException(
        _(
            "no free port between {first} and {last} on {host}",
            first=wanted,
            last=wanted + tries - 1,
            host=host,
        )
    )


def write_errors_script(root: Path, problems: list[Problem]) -> None:
    """Write the overlay script atomically: a browser reads the old list or the new one,
    never half of one (a temporary file in the same folder, then one rename)."""
    target = root / ERRORS_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps([str(p) for p in problems], ensure_ascii=False)
    heading = _("sitegen: the last rebuild failed ({count})", count=len(problems))
    language = json.dumps(messages.current())
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(
            OVERLAY % (json.dumps(heading, ensure_ascii=False), language, payload),
            encoding="utf-8",
        )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class Rebuilder:
    """Runs builds for the server and reports their outcome in the terminal and the browser.

    Called with the paths that changed: when they are all report files, the quick path of
    :mod:`generator.incremental.quick` re-renders just what they show; otherwise a full build runs.
    """

    def __init__(self, options: BuildOptions, echo: Callable[[str], None] = click.echo):
        self.options = options
        self.echo = echo
        self.live: LiveState | None = None
        self.lock = threading.Lock()  # the watcher's thread and the first build
        self.problems: list[Problem] = []  # those of the last build, when it failed
        self.base_path = "/"  # the sub-path of base_url, as the last good build had it

    def quick(self, changed: Collection[Path]) -> BuildResult | None:
        content = (self.options.source / "content").resolve()
        reports = all(
            p.suffix.lower() == ".md" and p.name != INDEX_NAME and p.is_relative_to(content)
            for p in changed
        )
        if self.live is None or not reports:
            return None
        now = site_now(dt.UTC, self.options.now)
        outcome = edit_reports(self.live, self.options.output_dir, changed, now)
        if outcome is None:
            return None
        files, warnings, seconds = outcome
        site = self.live.site
        return BuildResult(
            pages=len(site.pages),
            written=len(files),
            unchanged=len(self.live.stats) - len(files),
            removed=0,
            left_out=site.left_out,
            seconds=seconds,
            warnings=warnings,
            files=sorted(files),
        )

    def __call__(
        self, changed: Collection[Path] = (), catch_up: bool = False
    ) -> BuildResult | None:
        """Rebuild after ``changed`` (or fully); ``catch_up``: a check that something may
        have changed unseen, which stays silent when nothing had."""
        with self.lock:
            return self._rebuild(changed, catch_up)

    def _rebuild(self, changed: Collection[Path], catch_up: bool) -> BuildResult | None:
        if self.problems:
            # The list goes before the pages: a fixed page must never go live while the
            # overlay still lists what was wrong (a failure writes it again below).
            write_errors_script(self.options.output_dir, [])
        try:
            result = self.quick(changed) if changed else None
            if result is None:
                # until a full build succeeds, every change needs one
                previous, self.live = self.live, None
                result = build(self.options)
                # no state comes back when nothing changed at all: the last one holds
                self.live = LiveState(result.state) if result.state else previous
        except BuildFailed as exc:
            if not (catch_up and exc.problems == self.problems):  # said already
                for problem in exc.problems:
                    click.secho(_("error: {problem}", problem=problem), fg="red", err=True)
                click.secho(
                    _("rebuild failed; the last good pages are still served"), fg="red", err=True
                )
            self.problems = exc.problems
            write_errors_script(self.options.output_dir, exc.problems)
            return None
        if self.live is not None:
            self.base_path = self.live.site.config.base_path
        if not (self.options.output_dir / ERRORS_SCRIPT).exists():
            write_errors_script(self.options.output_dir, [])  # the first build's
        self.problems = []
        if self.options.search_index:
            # Re-indexing every report on each save would make previews wait: the index of
            # the first build is kept (search shows it until the server restarts).
            self.options.search_index = False
        if catch_up and not (result.written or result.removed):
            return result
        for warning in result.warnings:
            click.secho(_("warning: {problem}", problem=warning), fg="yellow", err=True)
        self.echo(
            _(
                "rebuilt: {written} files written, {unchanged} unchanged in {seconds} s",
                written=result.written,
                unchanged=result.unchanged,
                seconds=f"{result.seconds:.2f}",
            )
        )
        return result


def write_failure_page(root: Path) -> None:
    """A stand-in home page while the first build fails: it shows the errors (through the
    overlay script) and is replaced by the real page once the site builds."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(
        f'<!DOCTYPE html><html lang="{messages.current()}"><head><meta charset="utf-8">'
        f'<title>sitegen</title><script src="{ERRORS_SCRIPT}"></script></head><body>'
        f"<h1>sitegen</h1><p>{html.escape(_('The site does not build yet.'))}</p></body></html>",
        encoding="utf-8",
    )


def watch_candidates(source: Path) -> list[Path]:
    """What a rebuild reads: the config, the site's folders and its theme's folder."""
    paths = [source / CONFIG_NAME] + [source / name for name in SITE_INPUTS]
    theme = theme_dir(source)
    if theme is not None and not theme.resolve().is_relative_to(source.resolve()):
        paths.append(theme)
    return [p.resolve() for p in paths]


def theme_dir(source: Path) -> Path | None:
    """The folder of the site's theme, to watch it too (None when it cannot be found yet)."""
    diag = Diagnostics()
    config = load_config(source, diag)
    theme = load_theme(config, diag) if config else None
    return theme.dir if theme else None


def watch(
    source: Path,
    rebuild: Rebuilder,
    reload: Callable[[], None],
    stop: threading.Event,
) -> None:
    """Rebuild on each batch of changes, then reload the browsers.

    The operating system reports the changes (inotify, FSEvents, ReadDirectoryChangesW
    through watchfiles): nothing polls thousands of files, and a save is seen within
    about 50 ms. Once a second, when nothing happens, it looks whether one of the site's
    folders (templates/, static/ …) came or went, and then watches anew.
    """
    import watchfiles

    # Files may change while the first build runs and before the watch begins: catch up
    # once watching (a full build that does nothing when nothing changed).
    full = True
    while not stop.is_set():
        candidates = watch_candidates(source)
        watched = [p for p in candidates if p.exists()]
        for changes in watchfiles.watch(
            *watched,
            step=50,
            debounce=400,
            stop_event=stop,
            raise_interrupt=False,
            rust_timeout=1000,
            yield_on_timeout=True,
        ):
            changed = {Path(path) for _, path in changes}
            if changed or full:
                result = rebuild(changed, catch_up=not changed)
                if changed or result is None or result.written or result.removed:
                    reload()
                full = False
            config_changed = source.resolve() / CONFIG_NAME in changed  # the theme may change
            if config_changed or [p for p in candidates if p.exists()] != watched:
                full = True  # new folders may already hold files
                break


MAX_URL_PATH = 4096  # bytes of a decoded URL path; longer ones are answered 404
MAX_NAME = 255  # bytes of one path segment (what file systems allow)
STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")
BUILD_WAIT = 30.0  # seconds a shutdown waits for a running rebuild before cleaning up


def servable(path: str) -> bool:
    """Whether a decoded URL path can name a file of the site at all: no NUL or other
    control byte, no surrogate (undecodable bytes), no ``..`` segment, no name longer
    than a file system allows. Anything else is answered 404 before the disk is asked."""
    try:
        raw = path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    if len(raw) > MAX_URL_PATH or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return False
    segments = path.replace("\\", "/").split("/")
    return all(s != ".." and len(s.encode("utf-8")) <= MAX_NAME for s in segments)


NOT_FOUND_PAGE = "404.html"


def without_base_path(root: Path, path: str, base_path: str) -> str:
    """The file path of a URL path (without its leading /) under the site's sub-path.

    The site is served at / and at its base path (``/xxgk/`` of ``base_url``), as a host
    serves it: 404.html links its styles from the base path (it is served at any address),
    so those links resolve here too. A file at the path itself wins (a column named like
    the sub-path)."""
    prefix = base_path.strip("/")
    if not prefix or (path != prefix and not path.startswith(prefix + "/")):
        return path
    try:
        if (root / path).exists():
            return path
    except (OSError, ValueError):
        return path
    return path[len(prefix) + 1 :]


def safe_file_handler(base: type, base_path: Callable[[], str] = lambda: "/") -> type:
    """livereload's static file handler, answering 404 (never 500 with a traceback) for a
    path no file can have, or one the operating system refuses to look up. A missing file
    is answered with the site's own 404.html (status 404), as a web server does; the site
    is also served under its base path (see :func:`without_base_path`)."""
    from tornado.web import HTTPError

    class SafeStaticFileHandler(base):  # type: ignore[misc, valid-type]
        async def get(self, path: str, include_body: bool = True) -> None:
            if not servable(path):
                raise HTTPError(404)
            try:
                path = without_base_path(Path(self.root), path, base_path())
                await super().get(path, include_body)
            except (ValueError, OSError, UnicodeError):
                raise HTTPError(404) from None

        def write_error(self, status_code: int, **kwargs: object) -> None:
            if status_code == 404:
                try:
                    page = (Path(self.root) / NOT_FOUND_PAGE).read_bytes()
                except OSError:
                    page = b""  # the site has not built yet: a plain answer
                if page:
                    self.set_header("Content-Type", "text/html; charset=utf-8")
                    self.set_header("Cache-Control", "no-store")
                    self.finish(page)
                    return
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{status_code} {self._reason}\n")  # no traceback, whatever happened

    return SafeStaticFileHandler


def on_stop_signals(loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> None:
    """SIGTERM, SIGINT and SIGHUP end the server in order: ``stop`` runs on the event loop
    (which then returns, and :func:`serve` cleans up). A second signal interrupts at once
    (the cleanup still runs). Where the loop cannot take signals (Windows), a signal
    interrupts at once."""
    names = [name for name in STOP_SIGNALS if hasattr(signal, name)]

    def first() -> None:
        for name in names:
            loop.remove_signal_handler(getattr(signal, name))
            signal.signal(getattr(signal, name), signal.default_int_handler)
        stop()

    for name in names:
        try:
            loop.add_signal_handler(getattr(signal, name), first)
        except (NotImplementedError, RuntimeError, ValueError):
            signal.signal(getattr(signal, name), signal.default_int_handler)


def serve(source: Path, host: str, port: int, open_browser: bool, drafts: bool) -> None:
    """Build into the server's own folder (``.sitegen-cache/serve/site``, kept with its
    own manifest, so that the next start is as quick as a build with nothing to do and
    never disturbs ``sitegen build``'s cache) and serve it until a signal."""
    source = source.resolve()
    options = BuildOptions(
        # force: the folder is the server's own (its failure page included)
        source=source,
        output=serve_output(source),
        drafts=drafts,
        future=drafts,
        dev=True,
        force=True,
    )
    rebuild = Rebuilder(options)
    stop = threading.Event()
    try:
        _serve(rebuild, stop, host, port, open_browser)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        # a rebuild that is running writes into the scratch folder: let it end first
        if rebuild.lock.acquire(timeout=BUILD_WAIT):
            rebuild.lock.release()


def _serve(
    rebuild: Rebuilder, stop: threading.Event, host: str, port: int, open_browser: bool
) -> None:
    # imported here: only the serve command needs tornado
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class EventWatcher(Watcher):
        """Stands in for livereload's own watcher, which walks every watched file each
        0.8 s; :func:`watch` runs the rebuilds and asks for the reloads instead."""

        def __init__(self) -> None:
            super().__init__()
            self._tasks = {"sitegen": {}}  # not empty: livereload would watch the cwd

        def start(self, callback: Callable[[], None]) -> bool:
            return True  # changes come from elsewhere: no polling

    source = rebuild.options.source
    site = rebuild.options.output_dir
    loop = IOLoop.current()  # the loop livereload runs; reloads are queued on it
    on_stop_signals(loop.asyncio_loop, loop.stop)  # type: ignore[attr-defined]
    threading.Thread(
        target=watch,
        args=(source, rebuild, lambda: loop.add_callback(LiveReloadHandler.reload_waiters), stop),
        daemon=True,
    ).start()
    first = rebuild()
    if first is None:
        click.secho(
            _("the first build failed: fix the errors above; the server keeps watching"),
            fg="yellow",
            err=True,
        )
        write_failure_page(site)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(
            _("listening on {host}: the preview is reachable from your network", host=host),
            fg="yellow",
            err=True,
        )
    chosen = free_port(host, port)
    if chosen != port:
        click.secho(
            _(
                "port {port} is in use on {host}; serving on {chosen} instead",
                port=port,
                host=host,
                chosen=chosen,
            ),
            fg="yellow",
        )
    server = Server(watcher=EventWatcher())
    server.SFH = safe_file_handler(server.SFH, lambda: rebuild.base_path)
    # livereload sets its own logger to INFO when it starts serving: a filter holds
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    click.echo(
        _(
            "serving {source} at http://{host}:{port}/ (Ctrl+C to stop)",
            source=source,
            host=host,
            port=chosen,
        )
    )
    click.echo(_("the preview is built in {folder}", folder=site))
    server.serve(
        port=chosen,
        host=host,
        root=str(site),
        open_url_delay=0.5 if open_browser else None,
        restart_delay=0,
    )
