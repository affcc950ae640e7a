"""`sitegen serve` as a real process: rebuilds on edits, reports broken edits in the terminal
and in the browser overlay script, never serves files outside the site, moves to a free port
and listens on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sitegen_testkit import column_md, report_md, sitegen_command, write_site

DEADLINE = 60.0  # seconds to wait for something to happen (the machine may be busy)
PAGE_A = "/news/2020/a/"
PAGE_B = "/news/2021/b/"
REBUILT = re.compile(r"^rebuilt: (\d+) files written")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, server: Server | None = None):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if server is not None and server.proc.poll() is not None:
            pytest.fail(f"the server exited while waiting for {what}:\n{server.output()}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}" + (f"\n{server.output()}" if server else ""))


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


class Server:
    def __init__(self, source: Path, port: int):
        env = dict(os.environ, PYTHONUNBUFFERED="1", NO_COLOR="1")
        self.proc = subprocess.Popen(
            [*sitegen_command(), "serve", "--source", str(source), "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=source.parent,
            env=env,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.port = port

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "stdout:\n" + "\n".join(self.stdout) + "\nstderr:\n" + "\n".join(self.stderr)

    def serving_port(self) -> int:
        def find():
            for line in self.stdout:
                found = re.search(r"serving .* at http://127\.0\.0\.1:(\d+)/", line)
                if found:
                    return int(found.group(1))
            return None

        return wait_for(find, "the 'serving … at' line", self)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self) -> None:
        self.port = self.serving_port()
        wait_for(lambda: get(self.url("/"))[0] == 200, "the server to answer", self)

    def rebuilt_counts(self) -> list[int]:
        return [int(m.group(1)) for line in self.stdout if (m := REBUILT.match(line))]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        for reader in self.readers:
            reader.join(timeout=5)


def make_source(root: Path) -> Path:
    files = {
        "content/news/_index.md": column_md("新闻", weight=1),
        "content/news/a.md": report_md("报告一", "2020-12-23", "最初的正文。\n"),
        "content/news/b.md": report_md("报告二", "2021-03-01", "第二篇正文。\n"),
    }
    for i in range(12):  # enough pages that a one-report edit is clearly not a full rebuild
        files[f"content/news/n{i:02d}.md"] = report_md(f"通知{i}", f"2019-0{i % 9 + 1}-01")
    return write_site(root, files)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    source = make_source(tmp_path_factory.mktemp("serve") / "site")
    running = Server(source, free_port())
    running.source = source  # type: ignore[attr-defined]
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def errors_list(server: Server) -> list[str] | None:
    status, text = get(server.url("/_sitegen/errors.js"))
    if status != 200:
        return None
    found = re.search(r"\}\)\((\[.*\])\);\s*$", text, re.S)
    assert found, text
    return json.loads(found.group(1))


def test_edit_rebuilds_only_a_few_files(server: Server):
    status, html = get(server.url(PAGE_A))
    assert status == 200 and "最初的正文" in html
    assert "/_sitegen/errors.js" in html or "_sitegen/errors.js" in html
    first = wait_for(server.rebuilt_counts, "the first 'rebuilt:' line", server)
    full = first[0]
    assert full > 15
    seen = len(first)
    report = server.source / "content" / "news" / "a.md"  # type: ignore[attr-defined]
    report.write_text(report_md("报告一", "2020-12-23", "修改后的正文。\n"), encoding="utf-8")
    wait_for(lambda: "修改后的正文" in get(server.url(PAGE_A))[1], "the edited page", server)
    later = wait_for(lambda: server.rebuilt_counts()[seen:], "a 'rebuilt:' line", server)
    assert any(n > 0 for n in later), server.output()
    assert all(n <= 6 for n in later), server.output()
    assert max(later) < full
    assert server.proc.poll() is None


def test_bad_yaml_is_reported_and_recovered(server: Server):
    report = server.source / "content" / "news" / "b.md"  # type: ignore[attr-defined]
    good = report.read_text(encoding="utf-8")
    assert "第二篇正文" in get(server.url(PAGE_B))[1]
    assert errors_list(server) == []
    stderr_seen = len(server.stderr)
    report.write_text("---\ntitle: [未闭合\ndate: 2021-03-01\n---\n\n坏的正文。\n", "utf-8")
    errors = wait_for(lambda: errors_list(server), "errors.js to list the error", server)
    assert any("b.md" in e for e in errors), errors

    def stderr_error():
        return [line for line in server.stderr[stderr_seen:] if "error" in line and "b.md" in line]

    lines = wait_for(stderr_error, "the error on stderr", server)
    assert any(str(Path("content", "news", "b.md")) in line for line in lines), lines
    assert server.proc.poll() is None
    # the last good pages are still served
    status, html = get(server.url(PAGE_B))
    assert status == 200 and "第二篇正文" in html

    report.write_text(good.replace("第二篇正文", "修好的正文"), encoding="utf-8")
    wait_for(lambda: errors_list(server) == [], "errors.js to be emptied", server)
    wait_for(lambda: "修好的正文" in get(server.url(PAGE_B))[1], "the fixed page", server)
    assert server.proc.poll() is None


async def reload_after(port: int, edit: Callable[[], None]) -> dict:
    """Connect to the livereload socket as the page's script does, make the edit and
    return the first reload message."""
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    try:
        protocol = "http://livereload.com/protocols/official-7"
        await ws.write_message(json.dumps({"command": "hello", "protocols": [protocol]}))
        assert json.loads(await ws.read_message())["command"] == "hello"
        await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
        # The info message registers this page for reloads. The server reads a socket's
        # messages in order, so once it answers a second hello, the info was handled.
        await ws.write_message(json.dumps({"command": "hello", "protocols": [protocol]}))
        assert json.loads(await ws.read_message())["command"] == "hello"
        edit()
        while True:
            message = await asyncio.wait_for(ws.read_message(), DEADLINE)
            assert message is not None, "the livereload socket closed"
            if json.loads(message)["command"] == "reload":
                return json.loads(message)
    finally:
        ws.close()


@pytest.mark.parametrize("what", ["report", "template"])
def test_the_open_page_is_told_to_reload_after_a_save(server: Server, what: str):
    source: Path = server.source  # type: ignore[attr-defined]
    if what == "report":
        path, new = source / "content/news/b.md", "重新载入的正文"
        text = path.read_text(encoding="utf-8")
        edited = text + f"\n{new}。\n"
    else:
        path = source / "templates/404.html"
        path.parent.mkdir(exist_ok=True)
        new = "{% extends 'base.html' %}{% block main %}找不到{% endblock %}"
        text = new.replace("找不到", "旧的")
        path.write_text(text, encoding="utf-8")
        wait_for(lambda: "旧的" in get(server.url("/404.html"))[1], "the first 404", server)
        edited = new

    save = reload_after(server.port, lambda: path.write_text(edited, encoding="utf-8"))
    # in a thread of its own: the browser tests' Playwright may hold this thread's loop
    with ThreadPoolExecutor(1) as pool:
        message = pool.submit(asyncio.run, save).result()
    assert message["command"] == "reload"
    page = PAGE_B if what == "report" else "/404.html"
    check = new if what == "report" else "找不到"
    assert check in get(server.url(page))[1]  # rebuilt before the reload was sent
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/news/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    ],
)
def test_path_traversal_never_serves_outside_files(server: Server, path: str):
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    first_line = passwd.splitlines()[0]
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Connection: close\r\n\r\n".encode("ascii")
        )
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    response = b"".join(chunks).decode("utf-8", "replace")
    assert response.startswith("HTTP/1.")
    assert first_line not in response
    assert "root:" not in response
    assert server.proc.poll() is None


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (Linux /proc/net)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                found.add(address)
    return found


def test_listens_on_localhost_by_default(server: Server):
    assert any(f"at http://127.0.0.1:{server.port}/" in line for line in server.stdout)
    addresses = listening_addresses(server.port)
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1 only, not 0.0.0.0 or ::


def test_busy_port_moves_to_another(tmp_path: Path):
    source = make_source(tmp_path / "site")
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        running = Server(source, busy)
        try:
            running.wait_ready()
            assert running.port != busy
            assert any(
                f"port {busy} is in use" in line and f"serving on {running.port}" in line
                for line in running.stdout + running.stderr
            ), running.output()
            status, html = get(running.url(PAGE_A))
            assert status == 200 and "最初的正文" in html
        finally:
            running.stop()


def test_a_site_that_does_not_build_yet_shows_its_errors_then_the_site(tmp_path: Path):
    source = make_source(tmp_path / "site")
    report = source / "content" / "news" / "a.md"
    good = report.read_text(encoding="utf-8")
    report.write_text("---\ntitle: 缺少日期\n---\n\n正文。\n", encoding="utf-8")
    running = Server(source, free_port())
    try:
        running.wait_ready()
        status, html = get(running.url("/"))
        assert status == 200 and "_sitegen/errors.js" in html
        errors = errors_list(running)
        assert errors and any("a.md" in e and "'date' is missing" in e for e in errors), errors
        report.write_text(good, encoding="utf-8")
        wait_for(lambda: "报告一" in get(running.url("/"))[1], "the real home page", running)
        assert errors_list(running) == []
    finally:
        running.stop()


def raw_status(port: int, path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        assert "Traceback" not in body
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/a%00b/",
        "/..",
        "/%2e%2e/",
        "/%zz",
        "/%ff%fe",
        "/%c0%ae/",
        "/" + "a" * 5000,
        "/x/" * 1500,
        "/a%0ab",
        "/_sitegen/",
    ],
)
def test_undecodable_or_impossible_paths_answer_400_or_404(server: Server, path: str):
    assert raw_status(server.port, path) in (400, 404)
    assert server.proc.poll() is None
    assert raw_status(server.port, PAGE_A) == 200


def test_sigterm_stops_the_server_and_a_second_start_renders_nothing(tmp_path: Path):
    """The server builds into .sitegen-cache/serve/site with a manifest of its own, keeps
    it when it stops, and a second start finds nothing to do."""
    source = make_source(tmp_path / "site")
    folder = source / ".sitegen-cache" / "serve" / "site"
    for start in (1, 2):
        running = Server(source, free_port())
        try:
            running.wait_ready()
            counts = wait_for(running.rebuilt_counts, "a build", running)
            assert any(str(folder) in ln for ln in running.stdout), running.output()
            written = counts[0]
            assert (written > 0) if start == 1 else (written == 0), running.output()
            running.proc.send_signal(__import__("signal").SIGTERM)
            assert running.proc.wait(timeout=DEADLINE) == 0, running.output()
            assert (folder / "index.html").is_file()
        finally:
            running.stop()
