"""Fixtures of the browser tests: the sample site built once, served under /xxgk/, one chromium.

Everything is session-scoped per process, so under ``pytest -n 2`` each xdist worker builds
its own copy of the site (in its own temp dir), serves it on its own free port and drives its
own browser; tests get a fresh browser context each.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    Route,
    sync_playwright,
)
from sitegen_testkit import http_server

from generator.audit.axe import LAUNCH_ARGS  # the flags sitegen audit --a11y launches with
from generator.build import BuildOptions, build

from .helpers import PREFIX, ROOT

CHROMIUM = "/usr/bin/chromium"
# A fixed "now", so that which reports are future or expired never depends on the day.
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site (sitegen.yaml + content/), built once per worker into a temp dir."""
    out = tmp_path_factory.mktemp("e2e-site") / "public"
    build(BuildOptions(source=ROOT, output=out, now=NOW))
    assert (out / "index.html").is_file(), "the sample site did not build an index.html"
    return out


def make_handler(root: Path) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class SiteHandler(BaseHTTPRequestHandler):
        """Serves ``root`` at /xxgk/ like a web server would; 404.html (status 404) otherwise."""

        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.serve(body=True)

        def do_HEAD(self) -> None:
            self.serve(body=False)

        def serve(self, body: bool) -> None:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            if path == PREFIX.rstrip("/"):
                return self.redirect(PREFIX)
            if not path.startswith(PREFIX):
                return self.not_found(body)
            target = (root / path[len(PREFIX) :]).resolve()
            if not target.is_relative_to(root):
                return self.not_found(body)
            if target.is_dir():
                if not path.endswith("/"):
                    return self.redirect(path + "/")
                target = target / "index.html"
            if not target.is_file():
                return self.not_found(body)
            self.send_file(200, target, body)

        def send_file(self, status: int, file: Path, body: bool) -> None:
            data = file.read_bytes()
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
                ctype += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def not_found(self, body: bool) -> None:
            page = root / "404.html"
            if page.is_file():
                self.send_file(404, page, body)
            else:
                self.send_error(404)

        def redirect(self, location: str) -> None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return SiteHandler


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` serving the built site under /xxgk/."""
    with http_server(make_handler(site_dir)) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Traffic:
    """What a page asked for: requests leaving 127.0.0.1, failures, script errors."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def new_context(browser: Browser, server: str) -> Iterator[Callable[..., BrowserContext]]:
    """A factory of browser contexts (closed after the test); anything external is blocked."""
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "zh-CN")
        context = browser.new_context(base_url=server, **options)
        context.set_default_timeout(TIMEOUT_MS)
        traffic = Traffic()
        context.traffic = traffic  # type: ignore[attr-defined]

        def block(route: Route) -> None:
            traffic.external.append(route.request.url)
            route.abort()

        # only what is not the local server reaches Python: the site's own requests go straight
        context.route(re.compile("^(?!" + re.escape(server + "/") + ")"), block)

        def on_console(msg: ConsoleMessage) -> None:
            # a 404 response is reported by `on_response`; the 404 page itself is expected
            if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
                traffic.errors.append(f"console.error: {msg.text}")

        def on_response(response: Response) -> None:
            if response.status >= 400 and response.request.resource_type != "document":
                traffic.failed.append(f"{response.url} (HTTP {response.status})")

        def on_page(page: Page) -> None:
            page.on("pageerror", lambda exc: traffic.errors.append(str(exc)))
            page.on("console", on_console)
            page.on("requestfailed", lambda r: traffic.failed.append(f"{r.url} ({r.failure})"))
            page.on("response", on_response)

        context.on("page", on_page)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
