"""Benchmark site search (站内搜索) on a generated corpus: build cost and query cost.

Usage: ``python benchmarks/search_bench.py --n 10000 [--out DIR] [--builds-only] [--skip-browser]``

Writes a corpus with ``make_corpus.py`` (seed 0) into ``DIR`` (a temporary folder by
default) and measures:

- a clean build without search (``search: false``) and one with search (output folder and
  ``.sitegen-cache/`` deleted first): wall and CPU seconds, peak RSS of the largest process
  (``/usr/bin/time -f %M``);
- a rebuild with search after a paragraph is appended to one report (only its shard
  of the index is made again);
- in headless chromium, against the search-on output served by a loopback HTTP server, for
  each query of :data:`QUERIES`, in a fresh browser context (empty cache): the bytes of the
  ``searchindex/`` responses and the milliseconds from submitting the query in the search
  form to the results shown (the page marks the form ``data-done``).

Prints a Markdown table and writes JSON to ``DIR/search-bench-N.json``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402

BIN = Path(sys.executable).parent
SITEGEN = str(BIN / "sitegen") if (BIN / "sitegen").exists() else "sitegen"
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


def browser_queries(out: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            for kind, query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []

                def count(response, sizes=sizes) -> None:
                    if "/searchindex/" in response.url:
                        sizes.append(len(response.body()))

                page.on("response", count)
                page.goto(origin + "/search/")
                page.fill("#search-q", query)
                start = time.perf_counter()
                page.press("#search-q", "Enter")
                page.wait_for_url("**/search/?q=*")
                page.locator("#search-form[data-done]").wait_for(state="attached", timeout=120_000)
                ms = (time.perf_counter() - start) * 1000
                status = page.locator("#search-status").inner_text().strip()
                page.wait_for_timeout(200)  # the last responses' bodies counted
                rows.append(
                    {"kind": kind, "query": query, "status": status, "ms": round(ms),
                     "kb": round(sum(sizes) / 1024, 1), "requests": len(sizes)}
                )  # fmt: skip
                log(f"  {query}: {status}, {rows[-1]['kb']} KB, {rows[-1]['ms']} ms")
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--out", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--builds-only", action="store_true", help="only the clean build with search")
    ap.add_argument("--skip-browser", action="store_true")
    args = ap.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="search-bench-"))
    site, plain = work / "site", work / "site-nosearch"
    if not (site / "content").exists():
        make_corpus.main(["--n", str(args.n), "--out", str(site)])
    result: dict[str, object] = {"n": args.n}
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
            result["queries"] = browser_queries(work / "out")
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
        print(
            "\n| query | kind | result | KB | requests | ms |\n| --- | --- | --- | --- | --- | --- |"
        )
        for q in result["queries"]:  # type: ignore[attr-defined]
            print(
                f"| {q['query']} | {q['kind']} | {q['status']} | {q['kb']} | {q['requests']} | {q['ms']} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
