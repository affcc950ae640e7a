"""``sitegen audit --a11y``: axe-core (WCAG 2.1 AA rules) in headless Chromium on one page of
each kind, served from the built folder on a loopback port under the site's sub-path.

Needs the ``a11y`` extra (``pip install 'sitegen[a11y]'``: Playwright for Python and axe-core
for it) and a Chromium (``apt-get install chromium``; another one with ``SITEGEN_CHROMIUM``).
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..messages import _
from .findings import POINTS, Finding

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe's impact levels that cost points; "minor" and "moderate" ones are notes of axe's own.
BLOCKING = ("serious", "critical")


class A11yUnavailable(Exception):
    """The browser check cannot run here; the message says what to install."""


def chromium() -> str:
    found = os.environ.get("SITEGEN_CHROMIUM") or shutil.which("chromium")
    if not found:
        for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
            if Path(candidate).is_file():
                return candidate
        raise A11yUnavailable(
            _(
                "--a11y needs Chromium: install it (apt-get install chromium) or set SITEGEN_CHROMIUM"
            )
        )
    return found


def _handler(root: Path, base_path: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            file = None
            if path.startswith(base_path):
                rel = path[len(base_path) :]
                candidate = (root / rel).resolve()
                if candidate.is_dir():
                    candidate = candidate / "index.html"
                if candidate.is_relative_to(root) and candidate.is_file():
                    file = candidate
            status = 200
            if file is None:
                status, file = 404, root / "404.html"
            body = file.read_bytes() if file.is_file() else b""
            self.send_response(status)
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self.send_header("Content-Type", kind + ("; charset=utf-8" if "text" in kind else ""))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def axe_findings(output: Path, base_path: str, pages: dict[str, str]) -> list[Finding]:
    """``pages``: kind → the page's output file (relative), one page of each kind."""
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise A11yUnavailable(
            _("--a11y needs Playwright and axe-core: pip install 'sitegen[a11y]'")
        ) from None
    executable = chromium()
    root = output.resolve()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, base_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    findings: list[Finding] = []
    name = _("Accessibility (无障碍)")
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            page = browser.new_page()
            axe = Axe()
            for kind, rel in pages.items():
                address = f"http://127.0.0.1:{server.server_port}{base_path}{rel}"
                page.goto(address)
                for violation in axe.run(page).response["violations"]:
                    if violation.get("impact") not in BLOCKING:
                        continue
                    targets = ", ".join(
                        str(t) for node in violation["nodes"][:3] for t in node["target"]
                    )
                    findings.append(
                        Finding(
                            POINTS,
                            "a11y-axe",
                            name,
                            rel,
                            _(
                                "axe ({kind} page): {rule}: {help} ({targets})",
                                kind=kind,
                                rule=violation["id"],
                                help=violation["help"],
                                targets=targets,
                            ),
                            violation.get("helpUrl", ""),
                        )
                    )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return findings
