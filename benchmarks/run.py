"""Benchmark sitegen builds (and Hugo's, if installed) on a generated corpus.

Usage: ``python benchmarks/run.py --n 1000 [--shape reports|laws] [--repeat 3] [--out benchmarks/results] [--keep]``

Writes a corpus with ``make_corpus.py`` (of the ``--shape`` asked: short reports, or long
laws and regulations) into a temporary folder and times these
scenarios, each ``--repeat`` times (medians reported): a clean build, a rebuild
with nothing changed, a rebuild after one report's body is edited and a rebuild
after the report template is edited.  Search (Pagefind) is off for these runs; one
extra clean build with search on is timed on its own.  If ``hugo`` is on PATH, the
same corpus is laid out for Hugo and built in the clean, no-change and one-edit
scenarios.  Prints a Markdown table and writes JSON to ``OUT/bench-N.json`` (reports)
or ``OUT/bench-N-laws.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THEMES = ROOT / "themes"
BIN = Path(sys.executable).parent
SITEGEN = [str(BIN / "sitegen") if (BIN / "sitegen").exists() else "sitegen"]
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
SUMMARY_RE = re.compile(r"built (\d+) pages: (\d+) files written, (\d+) unchanged")
# The summary line is read in English, whatever the language of the corpus site.
os.environ.setdefault("SITEGEN_LANG", "en")
# As on an installed sitegen, Python keeps the compiled modules (a machine that turns that
# off would add the compiling of every module to every build measured).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
SCENARIOS = ["clean", "no change", "one report edited", "template edited"]
HUGO_SCENARIOS = SCENARIOS[:3]
MAIN = "{% block main %}"  # the edit goes inside a block: text outside blocks is not rendered
HUGO_BASEOF = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body><nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>{{ range .Ancestors.Reverse }}\
{{ if not .IsHome }} › <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time> {{ .Params.source }}</p>
{{ .Content }}</article>{{ end }}
"""
HUGO_YAML = "baseURL: https://bench.example.gov.cn/\ntitle: 基准测试站点\nlanguageCode: zh-cn\npaginate: 20\n"

Result = dict[str, float | int | None]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def measure(cmd: list[str]) -> tuple[Result, str]:
    """Run cmd; return wall/CPU seconds, peak RSS (MB) and its combined output."""
    with tempfile.NamedTemporaryFile(suffix=".rss", delete=False) as rss_file:
        pass
    full = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd] if GNU_TIME else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, _ = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"run.py: {' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if GNU_TIME:  # max RSS of the largest single process in the tree, in KB
        rss_kb = int(Path(rss_file.name).read_text().strip().splitlines()[-1])
    else:  # the largest child so far (ru_maxrss of RUSAGE_CHILDREN is a running max)
        rss_kb = after.ru_maxrss
    os.unlink(rss_file.name)
    return {"wall_s": wall, "cpu_s": cpu, "rss_mb": rss_kb / 1024}, output


def sitegen_build(site: Path, out: Path, jobs: int | None) -> Result:
    cmd = [*SITEGEN, "build", "--source", str(site), "--output", str(out)]
    result, output = measure(cmd + (["--jobs", str(jobs)] if jobs else []))
    m = SUMMARY_RE.search(output)
    if not m:
        sys.exit(f"run.py: no summary line in sitegen output:\n{output}")
    pages, written = int(m.group(1)), int(m.group(2))
    log(f"    {output.strip().splitlines()[-1]}")
    return result | {"pages": pages, "written": written, "pages_per_s": pages / result["wall_s"]}


def hugo_build(site: Path, out: Path) -> Result:
    result, _ = measure(["hugo", "--quiet", "--source", str(site), "-d", str(out)])
    pages = sum(1 for _ in out.rglob("*.html"))
    return result | {"pages": pages, "written": None, "pages_per_s": pages / result["wall_s"]}


def append_paragraph(path: Path, i: int) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n基准测试追加段落第{i}次：本段用于测量单篇报告修改后的增量构建时间。\n")


def make_hugo_site(site: Path, hugo: Path) -> None:
    shutil.copytree(site / "content", hugo / "content")
    (hugo / "hugo.yaml").write_text(HUGO_YAML, encoding="utf-8")
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in [("baseof", HUGO_BASEOF), ("list", HUGO_LIST), ("single", HUGO_SINGLE)]:
        (layouts / f"{name}.html").write_text(text, encoding="utf-8")


def median_of(runs: list[Result]) -> Result:
    keys = runs[0].keys()
    return {
        k: None if runs[0][k] is None else statistics.median(float(r[k] or 0) for r in runs)
        for k in keys
    }


def run_all(args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    site, out = tmp / "site", tmp / "out"
    corpus = [sys.executable, str(ROOT / "benchmarks/make_corpus.py"), "--n", str(args.n)]
    corpus += ["--shape", args.shape]
    subprocess.run([*corpus, "--out", str(site), "--seed", str(args.seed)], check=True)
    config = site / "sitegen.yaml"
    config_text = config.read_text(encoding="utf-8")
    config.write_text(config_text.rstrip("\n") + "\nsearch: false\n", encoding="utf-8")
    reports = sorted(p.relative_to(site) for p in (site / "content").rglob("r*.md"))
    template = (THEMES / "default/templates/report.html").read_text(encoding="utf-8")
    if MAIN not in template:
        sys.exit(f"run.py: {MAIN} not found in the theme's report.html")
    hugo = shutil.which("hugo")
    hugo_site = tmp / "hugo"
    if hugo:
        make_hugo_site(site, hugo_site)
    runs: dict[str, dict[str, list[Result]]] = {"sitegen": {}, "hugo": {}}

    def step(tool: str, scenario: str, i: int) -> None:
        target = site if tool == "sitegen" else hugo_site
        dest = out if tool == "sitegen" else tmp / "hugo-out"
        if scenario == "clean":
            shutil.rmtree(dest, ignore_errors=True)
            shutil.rmtree(target / ".sitegen-cache", ignore_errors=True)
        elif scenario == "one report edited":
            append_paragraph(target / reports[(i * 7919) % len(reports)], i)
        elif scenario == "template edited":
            override = site / "templates" / "report.html"
            override.parent.mkdir(exist_ok=True)
            edited = template.replace(MAIN, f"{MAIN}\n<!-- benchmark edit {i} -->", 1)
            override.write_text(edited, encoding="utf-8")
        res = sitegen_build(site, out, args.jobs) if tool == "sitegen" else hugo_build(target, dest)
        runs[tool].setdefault(scenario, []).append(res)
        log(f"  {tool} / {scenario} #{i + 1}: {res['wall_s']:.2f} s wall, {res['cpu_s']:.2f} s CPU")

    for scenario in SCENARIOS:
        tools = ["sitegen", "hugo"] if hugo and scenario in HUGO_SCENARIOS else ["sitegen"]
        for i in range(args.repeat):  # the tools take turns: a slower spell hits both
            for tool in tools:
                step(tool, scenario, i)

    medians = {tool: {s: median_of(r) for s, r in by.items()} for tool, by in runs.items()}
    served = None if args.skip_serve else serve_run(site, reports, args)
    searched = None if args.skip_search else search_run(site, tmp, config, config_text, args)
    if searched is not None:
        searched["extra_wall_s"] = searched["clean"]["wall_s"] - (
            medians["sitegen"]["clean"]["wall_s"] or 0
        )
    return {
        "n": args.n,
        "shape": args.shape,
        "repeat": args.repeat,
        "machine": machine_info(),
        "runs": runs,
        "medians": medians,
        "search": searched,
        "serve": served,
        "hugo": hugo is not None,
    }


def serve_run(site: Path, reports: list[Path], args: argparse.Namespace) -> dict:
    """``sitegen serve`` on the corpus, a browser stand-in on its livereload socket: the
    seconds from saving a report (a paragraph appended) to the reload message."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [*SITEGEN, "serve", "--source", str(site), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the first build comes before this line
            if line.startswith("serving "):
                break
        else:
            sys.exit("run.py: sitegen serve stopped before serving")
        log("  sitegen serve: saving reports, waiting for each reload")
        edits = [reports[(i * 4241 + 17) % len(reports)] for i in range(args.repeat * 3)]
        seconds = asyncio.run(reload_latencies(port, [site / e for e in edits]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for i, value in enumerate(seconds):
        log(f"  serve / save → reload #{i + 1}: {value:.3f} s")
    return {"save_to_reload_s": seconds, "median_s": statistics.median(seconds)}


async def reload_latencies(port: int, files: list[Path]) -> list[float]:
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    protocol = "http://livereload.com/protocols/official-7"
    await ws.write_message(json.dumps({"command": "hello", "protocols": [protocol]}))
    await ws.read_message()
    await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    reloads: asyncio.Queue[float] = asyncio.Queue()

    async def listen() -> None:
        while (message := await ws.read_message()) is not None:
            if json.loads(message).get("command") == "reload":
                reloads.put_nowait(time.perf_counter())

    listener = asyncio.create_task(listen())
    await asyncio.sleep(5.0)  # the server's start-up (it catches up once watching)
    seconds = []
    for i, path in enumerate(files):
        await asyncio.sleep(1.0)  # an editor's pace
        while not reloads.empty():  # reloads not caused by this save
            reloads.get_nowait()
        start = time.perf_counter()
        append_paragraph(path, 1000 + i)
        seconds.append(await asyncio.wait_for(reloads.get(), 120) - start)
    listener.cancel()
    ws.close()
    return seconds


def search_run(
    site: Path, tmp: Path, config: Path, config_text: str, args: argparse.Namespace
) -> dict:
    """Search on (the default): a clean build, a rebuild after one report is edited, the
    size of the index, and in chromium the bytes each query transfers and the time to its
    results (skipped when Playwright or chromium is missing)."""
    shutil.rmtree(site / "templates", ignore_errors=True)
    config.write_text(config_text, encoding="utf-8")
    search_out = tmp / "out-search"
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    log("  sitegen / clean with search")
    search = sitegen_build(site, search_out, args.jobs)
    reports = sorted((site / "content").rglob("r*.md"))
    edits = []
    for i in range(args.repeat):
        append_paragraph(reports[(i * 7919 + 3) % len(reports)], 500 + i)
        log("  sitegen / one report edited, search on")
        edits.append(sitegen_build(site, search_out, args.jobs))
    index = search_out / "searchindex"
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    files = sum(1 for p in index.rglob("*") if p.is_file())
    return {
        "clean": search,
        "one_edit": median_of(edits),
        "index_mb": size / 1e6,
        "index_files": files,
        "queries": browser_queries(search_out),
    }


SEARCH_QUERIES = [
    "行政复议",
    "营商环境",
    "法",
    "政府",
    "法治政府建设",
    "安全生产 行政执法",
    "zzqxjw不存在的词语qq",
]


def browser_queries(out: Path) -> list[dict] | None:
    """Each query on a fresh page (empty cache): bytes of the index files loaded and the
    milliseconds from navigation to the results (search.js writes them on the form)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").is_file():
        return None
    import functools
    import threading
    from urllib.parse import quote

    handler = functools.partial(Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    found = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
            )
            for q in SEARCH_QUERIES:
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []
                page.on(
                    "requestfinished",
                    lambda r, sizes=sizes: (
                        sizes.append(r.sizes()["responseBodySize"])
                        if "/searchindex/" in r.url
                        else None
                    ),
                )
                page.goto(f"{origin}/search/?q={quote(q)}")
                page.locator("#search-form[data-done]").wait_for(state="attached", timeout=60_000)
                status = page.locator("#search-status").inner_text()
                ms = int(page.locator("#search-form").get_attribute("data-ms") or 0)
                context.close()
                found.append(
                    {
                        "q": q,
                        "kb": sum(sizes) / 1000,
                        "requests": len(sizes),
                        "ms": ms,
                        "status": status,
                    }
                )
                log(
                    f"  search {q}: {status}, {sum(sizes) / 1000:.0f} KB in {len(sizes)} files, {ms} ms"
                )
            browser.close()
    finally:
        server.shutdown()
    return found


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def machine_info() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        if cpuinfo.exists()
        else []
    )

    def version(cmd: list[str]) -> str | None:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": models[0] if models else platform.processor(),
        "python": platform.python_version(),
        "sitegen": version([*SITEGEN, "--version"]),
        "hugo": version(["hugo", "version"]) if shutil.which("hugo") else None,
        "loadavg": os.getloadavg(),
        "platform": platform.platform(),
    }


def fmt_load(load: object) -> str:
    return " ".join(f"{x:.1f}" for x in load)  # type: ignore[attr-defined]


def fmt(value: float | int | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def ratio(a: float | int | None, b: float | int | None) -> str:
    return "—" if a is None or b is None or not b else f"{a / b:.1f}×"


def table(data: dict[str, object]) -> str:
    med: dict[str, dict[str, Result]] = data["medians"]  # type: ignore[assignment]
    head = [
        "scenario", "wall s", "CPU s", "peak RSS MB", "pages", "pages/s", "files written",
        "hugo wall s", "hugo CPU s", "hugo RSS MB", "hugo pages", "wall ×hugo", "CPU ×hugo",
    ]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for scenario in SCENARIOS:
        s, h = med["sitegen"][scenario], med["hugo"].get(scenario, {})
        cells = [
            scenario, fmt(s["wall_s"]), fmt(s["cpu_s"]), fmt(s["rss_mb"], ".0f"),
            fmt(s["pages"], ".0f"), fmt(s["pages_per_s"], ".0f"), fmt(s["written"], ".0f"),
            fmt(h.get("wall_s")), fmt(h.get("cpu_s")), fmt(h.get("rss_mb"), ".0f"),
            fmt(h.get("pages"), ".0f"), ratio(s["wall_s"], h.get("wall_s")),
            ratio(s["cpu_s"], h.get("cpu_s")),
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    if not data["hugo"]:
        lines.append("Hugo not on PATH: no comparison.")
    serve: dict[str, object] | None = data["serve"]  # type: ignore[assignment]
    if serve is not None:
        times = ", ".join(f"{t:.2f}" for t in serve["save_to_reload_s"])  # type: ignore[attr-defined]
        lines.append(
            f"\n`sitegen serve`, save → reload message: median {fmt(serve['median_s'], '.3f')} s "  # type: ignore[arg-type]
            f"({times})."
        )
    search: dict[str, object] | None = data["search"]  # type: ignore[assignment]
    if search is None:
        return "\n".join(lines)
    clean: Result = search["clean"]  # type: ignore[assignment]
    edit: Result = search["one_edit"]  # type: ignore[assignment]
    lines.append(
        f"\nSearch on (one clean build): {fmt(clean['wall_s'])} s wall, {fmt(clean['cpu_s'])} s CPU, "
        f"{fmt(clean['rss_mb'], '.0f')} MB peak RSS; +{fmt(search['extra_wall_s'])} s over the "  # type: ignore[arg-type]
        f"clean median; one report edited: {fmt(edit['wall_s'])} s wall; searchindex/ is "
        f"{fmt(search['index_mb'], '.1f')} MB in {search['index_files']} files."  # type: ignore[arg-type]
    )
    for q in search.get("queries") or []:  # type: ignore[attr-defined]
        lines.append(
            f"- `{q['q']}`: {q['status']}, {q['kb']:.0f} KB in {q['requests']} files, {q['ms']} ms"
        )
    return "\n".join(lines)


def snapshot(dest: Path) -> None:
    """Freeze generator/ and themes/ so edits made to the checkout meanwhile (which change
    the theme digest and so invalidate the build cache) do not leak into the timings."""
    global SITEGEN, THEMES
    for name in ("generator", "themes"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(dest), os.environ.get("PYTHONPATH")])
    )
    launcher = dest / "sitegen_main.py"  # run as a file: sys.path[0] is dest, not the cwd
    launcher.write_text("from generator.cli import main\n\nmain()\n", encoding="utf-8")
    SITEGEN = [sys.executable, str(launcher)]
    THEMES = dest / "themes"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark sitegen (and Hugo) builds.")
    ap.add_argument("--n", type=int, default=1000, help="number of reports (default 1000)")
    ap.add_argument(
        "--shape",
        choices=("reports", "laws"),
        default="reports",
        help="corpus: reports of 2-20 KB (default) or laws of 15-300 KB",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per scenario (default 3)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results", help="JSON folder")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--jobs", type=int, default=None, help="sitegen --jobs (default: its own)")
    ap.add_argument("--live", action="store_true", help="run the checkout, not a snapshot")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--skip-search", action="store_true", help="no clean build with search on")
    ap.add_argument("--skip-serve", action="store_true", help="no save-to-reload timing")
    args = ap.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        ap.error("--n and --repeat must be >= 1")
    tmp = Path(tempfile.mkdtemp(prefix=f"sitegen-bench-{args.n}-{args.shape}-"))
    if not args.live:
        snapshot(tmp / "sitegen-src")
    load_start = os.getloadavg()
    try:
        data = run_all(args, tmp)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.shape == "reports" else f"-{args.shape}"
    dest = args.out / f"bench-{args.n}{suffix}.json"
    m: dict[str, object] = data["machine"]  # type: ignore[assignment]
    m["loadavg_start"] = load_start
    dest.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"## sitegen benchmark: {args.n} {args.shape}, median of {args.repeat}\n")
    print(
        f"{m['cpu_model']}, {m['nproc']} CPUs, Python {m['python']}, {m['sitegen']}, hugo: {m['hugo']}, "
        f"load average {fmt_load(load_start)} at the start, {fmt_load(m['loadavg'])} at the end\n"
    )
    print(table(data))
    log(f"wrote {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
