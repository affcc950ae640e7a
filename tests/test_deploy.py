"""The sample site as deployed: served under /xxgk/ and at the root by a real HTTP server and
crawled link by link; sitemap, feeds and robots.txt point at real files; builds are
reproducible and a rebuild leaves the output folder untouched."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sitegen_testkit import build_into, copy_sample, http_server, snapshot

from generator.urls import output_file

SUB_BASE = "https://www.example.gov.cn/xxgk/"
ROOT_BASE = "https://www.example.gov.cn/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def links_of(content_type: str, body: bytes) -> list[str]:
    if content_type == "text/html":
        soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
        links = [tag["href"] for tag in soup.find_all(href=True)]
        links += [tag["src"] for tag in soup.find_all(src=True)]
        links += [form["action"] for form in soup.find_all("form", action=True)]
        return links
    if content_type == "text/css":
        return re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", body.decode("utf-8"))
    return []


def crawl(origin: str, start: str) -> dict[str, int]:
    """Every same-origin address reachable from ``start`` → its HTTP status."""
    seen: dict[str, int] = {}
    queue = [origin + start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, content_type, body = fetch(url)
        seen[url] = status
        if status != 200:
            continue
        for link in links_of(content_type, body):
            if link.startswith(SKIPPED_SCHEMES) or link.startswith("#"):
                continue
            target = urljoin(url, link).split("#")[0]
            parts = urlsplit(target)
            if f"{parts.scheme}://{parts.netloc}" != origin:
                continue
            queue.append(target)
    return seen


def assert_crawl_passes(output: Path, docroot: Path, prefix: str) -> None:
    with http_server(partial(QuietHandler, directory=str(docroot))) as origin:
        seen = crawl(origin, prefix)
    broken = {url: status for url, status in seen.items() if status != 200}
    assert not broken
    outside = [url for url in seen if not urlsplit(url).path.startswith(prefix)]
    assert not outside, outside
    visited = {unquote(urlsplit(url).path)[len(prefix) - 1 :] for url in seen}
    files = {str(output_file(path)) for path in visited}
    pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    unreached = pages - files - {"404.html"}
    assert not unreached, sorted(unreached)
    assert len(seen) > 60


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("deploy") / "site")


@pytest.fixture(scope="module")
def sub_output(sample: Path) -> Path:
    output = sample.parent / "public" / "xxgk"
    build_into(sample, output, base_url=SUB_BASE)
    return output


@pytest.fixture(scope="module")
def root_output(sample: Path) -> Path:
    output = sample.parent / "root-public"
    build_into(sample, output, base_url=ROOT_BASE)
    return output


def test_crawl_under_the_sub_path(sub_output: Path):
    assert_crawl_passes(sub_output, sub_output.parent, "/xxgk/")


def test_crawl_at_the_root(root_output: Path):
    assert_crawl_passes(root_output, root_output, "/")


def test_sub_path_output_also_works_at_the_root(sub_output: Path):
    """Links are relative: the /xxgk/ build works unchanged when served at /."""
    assert_crawl_passes(sub_output, sub_output, "/")


@pytest.mark.parametrize("which", ["sub", "root"])
def test_sitemap_feeds_and_robots(which: str, request: pytest.FixtureRequest):
    output: Path = request.getfixturevalue(f"{which}_output")
    base = SUB_BASE if which == "sub" else ROOT_BASE

    def existing_file(url: str) -> None:
        assert url.startswith(base), url
        path = "/" + unquote(url[len(base) :])
        assert (output / output_file(path)).is_file(), url

    locs = [e.text for e in ET.parse(output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert len(locs) > 30
    for loc in locs:
        existing_file(loc)
    assert base in locs

    feeds = sorted(output.rglob("feed.xml"))
    assert output / "feed.xml" in feeds
    entries = 0
    for feed in feeds:
        root = ET.parse(feed).getroot()
        for link in root.iter(f"{ATOM}link"):
            existing_file(link.get("href"))
        for entry in root.iter(f"{ATOM}entry"):
            entries += 1
            existing_file(entry.find(f"{ATOM}id").text)
    assert entries > 10

    robots = (output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {base}sitemap.xml" in robots


def test_builds_are_reproducible_and_rebuilds_touch_nothing(sample: Path, sub_output: Path):
    again = sample.parent / "again"
    build_into(sample, again, base_url=SUB_BASE, cache=False)
    first, second = snapshot(sub_output), snapshot(again)
    assert any(name.startswith("searchindex/") for name in first)
    assert sorted(first) == sorted(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing

    mtimes = {p: p.stat().st_mtime_ns for p in sub_output.rglob("*") if p.is_file()}
    result = build_into(sample, sub_output, base_url=SUB_BASE)
    assert result.written == 0 and result.files == [] and result.removed == 0
    assert result.unchanged == len(mtimes)
    assert {p: p.stat().st_mtime_ns for p in sub_output.rglob("*") if p.is_file()} == mtimes
