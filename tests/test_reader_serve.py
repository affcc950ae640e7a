"""`sitegen serve` answers a missing page with the site's own 404.html (status 404), whose
styles resolve, also for a site published under a sub-path (base_url …/xxgk/)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from sitegen_testkit import column_md, report_md, write_site
from test_serve import Server, free_port


def fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, body), also for an error status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            return response.status, response.headers.get("Content-Type", ""), body.decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


@pytest.fixture(scope="module")
def sub_path_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    files = {
        "content/news/_index.md": column_md("新闻"),
        "content/news/a.md": report_md("报告一", "2020-12-23"),
    }
    config = "title: 测试县人民政府\nbase_url: https://www.example.gov.cn/xxgk/\n"
    source = write_site(tmp_path_factory.mktemp("serve404") / "site", files, config)
    running = Server(source, free_port())
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("path", ["/no/such/page/", "/xxgk/no/such/page/", "/news/2020/zz.html"])
def test_a_missing_page_gets_the_site_404_with_its_styles(sub_path_server: Server, path: str):
    status, ctype, body = fetch(sub_path_server.url(path))
    assert status == 404
    assert ctype.startswith("text/html")
    page = BeautifulSoup(body, "html.parser")
    assert page.find("body")["class"] == ["page-404"]
    assert page.find("h1").get_text(strip=True) == "页面未找到"
    sheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    assert sheets, body[:500]
    for href in sheets:
        css_url = urljoin(sub_path_server.url(path), href)
        css_status, css_type, css = fetch(css_url)
        assert css_status == 200, css_url
        assert css_type.startswith("text/css"), css_type
    site_css = next(h for h in sheets if h.endswith("css/site.css"))
    assert site_css.startswith("/xxgk/")  # 404.html links from the base path, as published
    _, _, css = fetch(urljoin(sub_path_server.url(path), site_css))
    assert ".site-header" in css


def test_the_site_is_served_at_its_sub_path_and_at_the_root(sub_path_server: Server):
    for prefix in ("", "/xxgk"):
        status, _, body = fetch(sub_path_server.url(prefix + "/news/2020/a/"))
        assert status == 200
        assert BeautifulSoup(body, "html.parser").find("h1").get_text(strip=True) == "报告一"
    status, _, body = fetch(sub_path_server.url("/xxgk/"))
    assert status == 200 and "page-home" in body
