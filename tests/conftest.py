"""Shared helpers: make small sites in temp folders, build them, read the HTML back.

Test modules import the helpers as ``from sitegen_testkit import ...``: this conftest
registers itself under that name, because the bare module name ``conftest`` is shared
with the conftest of tests/e2e/ and would resolve to whichever was loaded last.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urljoin
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from generator.build import BuildOptions, BuildResult, build
from generator.cli import main
from generator.dates import NOW_VARIABLE
from generator.errors import BuildFailed, Problem
from generator.messages import ENV_VARIABLE as LANG_VARIABLE
from generator.urls import output_file

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Asia/Shanghai")
# A fixed "now" so that future/expired decisions never depend on the day the tests run.
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=ZONE)
# Commands run through the CLI (and `sitegen serve` subprocesses) take "now" from here too.
os.environ.setdefault(NOW_VARIABLE, NOW.isoformat())
# Messages in English for the whole suite (the tests assert English text); the tests of
# the Chinese messages ask for them with --lang or messages.language().
os.environ[LANG_VARIABLE] = "en"
SITE_TITLE = "测试县人民政府"
BASE_URL = "https://www.example.gov.cn/xxgk/"
MINIMAL_CONFIG = f"title: {SITE_TITLE}\nbase_url: {BASE_URL}\n"
# Folders of the sample site that a build reads (the optional ones may not exist).
SAMPLE_PARTS = ("sitegen.yaml", "content", "templates", "static", "i18n", "themes")


def front_matter(**fields: object) -> str:
    """YAML front matter between '---' lines, keys in the order given."""
    text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{text}---\n"


def report_md(
    title: str = "测试报告", date: str = "2020-12-23", body: str = "正文内容。\n", **fields: object
) -> str:
    """A report file: front matter with title and date (plus ``fields``), then the body."""
    return front_matter(title=title, date=date, **fields) + "\n" + body


def column_md(title: str, weight: int = 0, description: str = "") -> str:
    fields: dict[str, object] = {"title": title, "weight": weight}
    if description:
        fields["description"] = description
    return front_matter(**fields)


def write_site(root: Path, files: Mapping[str, str | bytes], config: str | None = None) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``.

    ``config`` is the text of sitegen.yaml (a minimal one when not given); ``search: false``
    is added to it unless it sets ``search`` itself.
    """
    root.mkdir(parents=True, exist_ok=True)
    if "sitegen.yaml" not in files:
        text = config or MINIMAL_CONFIG
        if not re.search(r"^search:", text, re.M):
            # Site search: off unless a test asks for it (its index is not what most tests check).
            text = text.rstrip("\n") + "\nsearch: false\n"
        (root / "sitegen.yaml").write_text(text, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def build_into(source: Path, output: Path | None = None, **options: object) -> BuildResult:
    """Run the build engine; ``output`` defaults to ``<source>/../<name>-out``."""
    options.setdefault("now", NOW)
    out = output if output is not None else source.parent / f"{source.name}-out"
    return build(BuildOptions(source=source, output=out, **options))  # type: ignore[arg-type]


def build_fails(source: Path, output: Path | None = None, **options: object) -> list[Problem]:
    """Run a build that must fail; return its problems."""
    with pytest.raises(BuildFailed) as info:
        build_into(source, output, **options)
    return info.value.problems


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


def run_cli(*args: str | Path) -> Result:
    """``sitegen ARGS`` in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def sitegen_command() -> list[str]:
    """The installed console script, or the module run by this interpreter."""
    script = Path(sys.executable).parent / "sitegen"
    if script.exists():
        return [str(script)]
    found = shutil.which("sitegen")
    if found:
        return [found]
    return [sys.executable, "-c", "from generator.cli import main; main()"]


def run_sitegen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*sitegen_command(), *[str(a) for a in args]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_page(output: Path, url: str) -> BeautifulSoup:
    """Parse the file a site path such as ``/xwzx/gsgg/`` was written to."""
    file = output / output_file(url)
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name})
    return tag["content"] if tag is not None else None


def internal_links(soup: BeautifulSoup) -> list[str]:
    """Hrefs and srcs of a page that point inside the site."""
    links = [tag["href"] for tag in soup.find_all(["a", "link"], href=True)]
    links += [tag["src"] for tag in soup.find_all(["script", "img"], src=True)]
    return [
        link
        for link in links
        if not link.startswith(("#", "mailto:", "tel:", "data:")) and "://" not in link
    ]


def served_url(output: Path, file: Path) -> str:
    rel = file.relative_to(output).as_posix()
    if rel == "404.html":
        return "/no/such/deep/page/"  # the 404 page is served at any missing address
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def check_links(output: Path, base: str) -> int:
    """Resolve every internal link of every page as a browser would; return how many."""
    checked = 0
    for file in sorted(output.rglob("*.html")):
        page = served_url(output, file)
        soup = read_page(output, "/" + file.relative_to(output).as_posix())
        for href in internal_links(soup):
            resolved = urljoin(base + quote(page.lstrip("/")), href).split("#")[0]
            assert resolved.startswith(base), (page, href, resolved)
            target = "/" + unquote(resolved[len(base) :])
            assert (output / output_file(target)).is_file(), (page, href, target)
            checked += 1
    return checked


@contextmanager
def http_server(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with ``handler`` on a free port of 127.0.0.1; yields ``http://127.0.0.1:PORT``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, for before/after comparisons."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def copy_sample(dest: Path) -> Path:
    """Copy the sample site (config, content and any site overrides) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_PARTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


MakeSite = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """``make_site({path: text}, config=None, name="site")`` → the site folder in tmp_path."""

    def make(
        files: Mapping[str, str | bytes], config: str | None = None, name: str = "site"
    ) -> Path:
        return write_site(tmp_path / name, files, config)

    return make


@pytest.fixture
def one_report_output(tmp_path: Path) -> Path:
    """A site of one column (content/a/, 栏目) with one plain report (X) and nothing else,
    built into tmp_path/out: the output folder."""
    files = {"content/a/_index.md": column_md("栏目"), "content/a/x.md": report_md("X")}
    out = tmp_path / "out"
    build_into(write_site(tmp_path / "site", files), out)
    return out


@pytest.fixture(scope="session")
def sample_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("sample") / "site")


@pytest.fixture(scope="session")
def sample_build(sample_source: Path) -> tuple[Path, BuildResult]:
    """The sample site built once for the whole session: (output folder, result)."""
    output = sample_source.parent / "output"
    result = build_into(sample_source, output)
    return output, result


@pytest.fixture(scope="session")
def sample_output(sample_build: tuple[Path, BuildResult]) -> Path:
    return sample_build[0]


sys.modules.setdefault("sitegen_testkit", sys.modules[__name__])
