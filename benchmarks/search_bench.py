"""Benchmark site search (站内搜索) on a generated corpus: build cost and query cost.

Usage: ``python benchmarks/search_bench.py --n 10000 [--out DIR] [--builds-only] [--skip-browser]
[--queries-only] [--server nginx|python] [--repeat 3]``

Writes a corpus with ``make_corpus.py`` (seed 0) into ``DIR`` (a temporary folder by
default) and measures:

- a clean build without search (``search: false``) and one with search (output folder and
  ``.sitegen-cache/`` deleted first): wall and CPU seconds, peak RSS of the largest process
  (``/usr/bin/time -f %M``);
- a rebuild with search after a paragraph is appended to one report (only its shard
  of the index is made again);
- in headless chromium, against the search-on output served on loopback (by nginx when it
  is installed, as a static host serves it; ``--server python`` for Python's http.server),
  for each query of :data:`QUERIES`, ``--repeat`` times in a fresh browser context (empty
  cache), on two paths: typed into the search page's own form (answered in the page, whose
  index tables were loaded as it opened) and typed into the header box of the home page
  (the search page then loads with the query): the bytes of the ``searchindex/`` responses
  and the milliseconds to the results shown as the page measures them (``data-ms``: from
  the submit on the search page, from the start of navigation from the header box), with
  the wall time from pressing Enter to the page marking the form ``data-done``, the median
  of the runs.

Prints a Markdown table and writes JSON to ``DIR/search-bench-N.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402

BIN = Path(sys.executable).parent
SITEGEN = str(BIN / "sitegen") if (BIN / "sitegen").exists() else "sitegen"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
QUERIES = [  # (kind, query)
    ("common", "行政复议"),
    ("common, 6 characters", "法治政府建设"),
    ("common", "营商环境"),
    ("rarer", "受理法律服务"),
    ("single character", "法"),
    ("number", "2015"),
    ("multi-word", "行政 执法"),
    ("nonsense", "zzqxjw不存在的词语qq"),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(cmd: list[str]) -> dict[str, float]:
    """Run cmd: wall and CPU seconds (all children), peak RSS in MB of the largest process."""
    with tempfile.NamedTemporaryFile(suffix=".rss", delete=False) as rss:
        pass
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd], capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"search_bench: {' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    kb = int(Path(rss.name).read_text().split()[-1])
    Path(rss.name).unlink()
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rss_mb": round(kb / 1024)}


def clean_build(site: Path, out: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    return measure([SITEGEN, "build", "-q", "--source", str(site), "--output", str(out)])


def edit_rebuild(site: Path, out: Path) -> dict[str, float]:
    report = sorted((site / "content").rglob("r*.md"))[
        len(list((site / "content").rglob("r*.md"))) // 2
    ]
    with report.open("a", encoding="utf-8") as f:
        f.write("\n基准测试追加段落：本段用于测量修改一篇报告后带搜索的增量构建。\n")
    return measure([SITEGEN, "build", "-q", "--source", str(site), "--output", str(out)])


def index_size(out: Path) -> float:
    return round(
        sum(f.stat().st_size for f in (out / "searchindex").rglob("*") if f.is_file()) / 1e6, 1
    )


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


NGINX_CONF = """worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
daemon off;
events {{ worker_connections 256; }}
http {{
  types {{ text/html html; text/css css; application/javascript js; application/json json; }}
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  keepalive_timeout 65;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
"""


@contextlib.contextmanager
def serving(out: Path, server: str) -> Iterator[str]:
    """The output folder on loopback: nginx (as a static host serves it: HTTP/1.1, kept
    connections) or Python's http.server (HTTP/1.0, a connection a request)."""
    if server == "nginx":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with tempfile.TemporaryDirectory(prefix="search-bench-nginx-") as work:
            conf = Path(work) / "nginx.conf"
            conf.write_text(NGINX_CONF.format(work=work, port=port, root=out.resolve()))
            process = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
            try:
                for _ in range(100):  # until it listens
                    with socket.socket() as probe:
                        if probe.connect_ex(("127.0.0.1", port)) == 0:
                            break
                    time.sleep(0.05)
                yield f"http://127.0.0.1:{port}"
            finally:
                process.terminate()
                process.wait()
        return
    handler = functools.partial(Quiet, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def timed_query(page, origin: str, query: str, path: str) -> tuple[float, float]:
    """(ms from Enter to the results shown, measured here; ms the page measured itself) of
    one query submitted on the search page (answered in it, the index loaded as the page
    opened) or in the header box of the home page (the search page then loaded with it)."""
    if path == "search page":
        page.goto(origin + "/search/", wait_until="networkidle")  # the reader is typing
        box = "#search-q"
    else:
        page.goto(origin + "/")
        box = "#site-search-q"
    page.fill(box, query)
    start = time.perf_counter()
    page.press(box, "Enter")
    page.wait_for_url("**/search/?q=*")
    page.locator("#search-form[data-done]").wait_for(state="attached", timeout=120_000)
    wall = (time.perf_counter() - start) * 1000
    return wall, float(page.locator("#search-form").get_attribute("data-ms") or 0)


PATHS = ("search page", "header box")


def browser_queries(out: Path, server: str, repeat: int) -> list[dict]:
    """Per query and path (:data:`PATHS`), the median of ``repeat`` runs, each in a fresh
    context (empty cache); the bytes and requests of the ``searchindex/`` responses are
    those of the query on the search page (the same files either way)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serving(out, server) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for kind, query in QUERIES:
            row: dict = {"kind": kind, "query": query}
            for path in PATHS:
                runs = []
                for _ in range(repeat):
                    context = browser.new_context()
                    page = context.new_page()
                    sizes: list[int] = []

                    def count(response, sizes=sizes) -> None:
                        if "/searchindex/" in response.url:
                            sizes.append(len(response.body()))

                    page.on("response", count)
                    wall, ms = timed_query(page, origin, query, path)
                    status = page.locator("#search-status").inner_text().strip()
                    page.wait_for_timeout(200)  # the last responses' bodies counted
                    runs.append((wall, ms, sum(sizes), len(sizes), status))
                    context.close()
                key = "page" if path == PATHS[0] else "box"
                row[f"{key}_ms"] = round(statistics.median(r[1] for r in runs))
                row[f"{key}_ms_runs"] = [round(r[1]) for r in runs]
                row[f"{key}_wall_ms"] = round(statistics.median(r[0] for r in runs))
                if key == "page":
                    row.update(status=runs[0][4], kb=round(runs[0][2] / 1024, 1),
                               requests=runs[0][3])  # fmt: skip
            rows.append(row)
            log(f"  {query}: {row['status']}, {row['kb']} KB, on the search page "
                f"{row['page_ms']} ms, from the header box {row['box_ms']} ms")  # fmt: skip
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--out", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--builds-only", action="store_true", help="only the clean build with search")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument(
        "--queries-only", action="store_true", help="only the queries, on DIR/out as it is"
    )
    ap.add_argument(
        "--server",
        choices=("nginx", "python"),
        default="nginx" if shutil.which("nginx") else "python",
        help="loopback server for the queries (default: nginx if installed)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per query (median; default 3)")
    args = ap.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="search-bench-"))
    site, plain = work / "site", work / "site-nosearch"
    if not (site / "content").exists():
        make_corpus.main(["--n", str(args.n), "--out", str(site)])
    result: dict[str, object] = {"n": args.n}
    if args.queries_only:
        result["server"] = args.server
        result["queries"] = browser_queries(work / "out", args.server, args.repeat)
        print_queries(result["queries"])  # type: ignore[arg-type]
        return 0
    if not args.builds_only:
        shutil.rmtree(plain, ignore_errors=True)
        shutil.copytree(site / "content", plain / "content")
        text = (site / "sitegen.yaml").read_text(encoding="utf-8")
        (plain / "sitegen.yaml").write_text(text + "search: false\n", encoding="utf-8")
        log("clean build without search")
        result["clean_without_search"] = clean_build(plain, work / "out-nosearch")
        shutil.rmtree(work / "out-nosearch")
    log("clean build with search")
    result["clean_with_search"] = clean_build(site, work / "out")
    result["index_mb"] = index_size(work / "out")
    if not args.builds_only:
        log("one report edited, search on")
        result["one_edit_with_search"] = edit_rebuild(site, work / "out")
        if not args.skip_browser:
            result["server"] = args.server
            result["queries"] = browser_queries(work / "out", args.server, args.repeat)
    (work / f"search-bench-{args.n}.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False)
    )
    print(f"\n{args.n} reports, index {result['index_mb']} MB\n")
    print("| build | wall s | CPU s | peak RSS MB |\n| --- | --- | --- | --- |")
    for key in ("clean_without_search", "clean_with_search", "one_edit_with_search"):
        if key in result:
            r = result[key]
            print(f"| {key.replace('_', ' ')} | {r['wall_s']} | {r['cpu_s']} | {r['rss_mb']} |")  # type: ignore[index]
    if "queries" in result:
        print_queries(result["queries"])  # type: ignore[arg-type]
    return 0


def print_queries(rows: list[dict]) -> None:
    print("\n| query | kind | result | KB | requests | search page ms (runs; wall) "
          "| header box ms (runs; wall) |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for q in rows:
        cells = [
            f"{q[k + '_ms']} ({' '.join(map(str, q[k + '_ms_runs']))}; {q[k + '_wall_ms']})"
            for k in ("page", "box")
        ]
        print(
            f"| {q['query']} | {q['kind']} | {q['status']} | {q['kb']} | {q['requests']} "
            f"| {cells[0]} | {cells[1]} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())
