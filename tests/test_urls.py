"""URLs: permalinks, relative links that work at / and under a sub-path, unsafe slugs."""

from __future__ import annotations

import random
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from sitegen_testkit import (
    build_fails,
    build_into,
    check_links,
    column_md,
    internal_links,
    read_page,
    report_md,
    snapshot,
    write_site,
)

from generator.urls import (
    SEGMENT_SAFE,
    Linker,
    encode_path,
    expand_permalink,
    is_inside,
    normalise,
    output_file,
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("/:section/:year/:slug/", "/xwzx/gsgg/2020/fzzf-report/"),
        ("/:year/:month/:day/:slug/", "/2020/03/05/fzzf-report/"),
        ("/:section/:slug.html", "/xwzx/gsgg/fzzf-report.html"),
        (":section//:slug", "/xwzx/gsgg/fzzf-report/"),
    ],
)
def test_expand_permalink(pattern, expected):
    assert expand_permalink(pattern, "xwzx/gsgg", 2020, 3, 5, "fzzf-report") == expected


def test_a_report_at_the_content_root_has_no_empty_section():
    assert expand_permalink("/:section/:year/:slug/", "", 2020, 1, 1, "a") == "/2020/a/"


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/", "/"), ("a//b/./c", "/a/b/c/"), ("/a/b.html", "/a/b.html"), ("", "/")],
)
def test_normalise(path, expected):
    assert normalise(path) == expected


@pytest.mark.parametrize(
    ("path", "inside"),
    [("/a/b/", True), ("/a/../b/", True), ("/../a/", False), ("/a/../../b/", False)],
)
def test_is_inside(path, inside):
    assert is_inside(path) is inside


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/", "index.html"),
        ("/xwzx/gsgg/", "xwzx/gsgg/index.html"),
        ("/404.html", "404.html"),
        ("/a/b.html", "a/b.html"),
    ],
)
def test_output_file(url, file):
    assert output_file(url) == file


@pytest.mark.parametrize(
    ("target", "current", "href"),
    [
        ("/", "/", "./"),
        ("/xwzx/", "/", "xwzx/"),
        ("/", "/xwzx/gsgg/2020/slug/", "../../../../"),
        ("/xwzx/gsgg/", "/xwzx/gsgg/2020/slug/", "../../"),
        ("/xwzx/gsgg/2020/other/", "/xwzx/gsgg/2020/slug/", "../other/"),
        ("/xwzx/gsgg/2020/slug/", "/xwzx/gsgg/2020/slug/", "./"),
        ("/css/site.css", "/xwzx/", "../css/site.css"),
        # a site path is a path: '#', '?', '%', ':' and spaces are part of its names
        ("/2020/no#1/", "/zwgk/", "../2020/no%231/"),
        ("/a?b/50%/c:d e.pdf", "/", "a%3Fb/50%25/c%3Ad%20e.pdf"),
        ("/a:b/", "/", "a%3Ab/"),
        ("/a/b.html", "/a/c.html", "b.html"),
        ("/公示/", "/公示/2020/", "../"),
        ("/公示/", "/x/", "../%E5%85%AC%E7%A4%BA/"),
        # written by hand in a report body: normalised
        ("/xwzx/../css/a.css", "/xwzx/gsgg/", "../../css/a.css"),
        ("/a//b/./c/", "/x/", "../a/b/c/"),
    ],
)
def test_links_are_relative(target, current, href):
    assert Linker("/xxgk/").href(target, current) == href


@pytest.mark.parametrize(
    "base", ["https://www.example.gov.cn/", "https://www.example.gov.cn/xxgk/"]
)
@pytest.mark.parametrize(
    "current", ["/", "/xwzx/", "/xwzx/gsgg/2020/fzzf/", "/a/b.html", "/xwzx/gsgg/page/2/"]
)
@pytest.mark.parametrize(
    "target", ["/", "/xwzx/", "/xwzx/gsgg/2020/fzzf/", "/css/site.css", "/series/法治报告/"]
)
def test_a_relative_link_resolves_to_its_target_under_any_base(base, current, target):
    href = Linker(urlsplit(base).path).href(target, current)
    resolved = urljoin(base + quote(current.lstrip("/")), href)
    assert resolved == base + quote(target.lstrip("/"))


def test_a_suffix_is_added_as_written():
    assert Linker("/").href("/xwzx/", "/zwgk/", "#top") == "../xwzx/#top"
    assert Linker("/").href("/s/", "/", "?q=a&b=1#x") == "s/?q=a&b=1#x"


def test_relative_targets_resolve_from_the_current_page_not_the_working_folder():
    linker = Linker("/")
    assert linker.href("files/a.pdf", "/xwzx/gsgg/2020/a/") == "files/a.pdf"
    assert linker.href("../b/", "/xwzx/gsgg/2020/a/") == "../b/"
    assert linker.href("../../../../../../x/", "/xwzx/") == "../x/"


def test_pages_at_unknown_paths_link_under_the_base_path():
    linker = Linker("/xxgk/")
    assert linker.href("/sitemap/", None) == "/xxgk/sitemap/"
    assert linker.href("/", None) == "/xxgk/"


def test_file_urls_end_in_index_html():
    linker = Linker("/", file_urls=True)
    assert linker.href("/xwzx/", "/xwzx/gsgg/") == "../index.html"
    assert linker.href("/", "/") == "index.html"
    assert linker.href("/css/site.css", "/") == "css/site.css"


def test_non_ascii_paths_are_percent_encoded():
    href = Linker("/").href("/xwzx/2020/法治报告/", "/")
    assert href == "xwzx/2020/%E6%B3%95%E6%B2%BB%E6%8A%A5%E5%91%8A/"
    assert href.isascii()


# --- built sites -----------------------------------------------------------------------------


@pytest.fixture
def small_site(make_site):
    return make_site(
        {
            "content/xwzx/_index.md": column_md("新闻中心", 1),
            "content/xwzx/gsgg/_index.md": column_md("公示公告", 1),
            "content/xwzx/gsgg/a.md": report_md("通知甲", "2020-12-23", series="法治报告"),
            "content/xwzx/gsgg/b.md": report_md("通知乙", "2021-01-05", series="法治报告"),
            "content/xwzx/gsgg/c.md": report_md("通知丙", "2021-02-05", slug="法治报告丙"),
            "content/xwzx/gsgg/files/a.pdf": b"%PDF",
            "content/xwzx/gsgg/d.md": report_md("附件", "2021-03-05", attachments=["files/a.pdf"]),
        },
        config="title: 测试县\nbase_url: https://www.example.gov.cn/xxgk/\nper_page: 2\n",
    )


@pytest.mark.parametrize(
    "base", ["https://www.example.gov.cn/xxgk/", "https://www.example.gov.cn/"]
)
def test_every_internal_link_of_a_built_site_resolves(small_site, tmp_path, base):
    out = tmp_path / "out"
    build_into(small_site, out, base_url=base)
    assert check_links(out, base) > 50


def test_a_non_ascii_slug_is_written_and_linked_percent_encoded(small_site, tmp_path):
    out = tmp_path / "out"
    result = build_into(small_site, out)
    assert (out / "xwzx/gsgg/2021/法治报告丙/index.html").is_file()
    assert any(
        "法治报告丙" in w.message and "percent-encoded" in w.message for w in result.warnings
    )
    soup = read_page(out, "/xwzx/gsgg/")
    hrefs = [a["href"] for a in soup.select(".report-list a")]
    assert "2021/%E6%B3%95%E6%B2%BB%E6%8A%A5%E5%91%8A%E4%B8%99/" in hrefs
    # The series without a configured slug is named by its title, percent-encoded too.
    report = read_page(out, "/xwzx/gsgg/2020/a/")
    series_link = report.select_one(".series-years h2 a")["href"]
    assert series_link == "../../../../series/" + quote("法治报告") + "/"


def test_relative_build_links_to_files(small_site, tmp_path):
    out = tmp_path / "out"
    build_into(small_site, out, relative=True)
    soup = read_page(out, "/xwzx/gsgg/2020/a/")
    for href in internal_links(soup):
        path = href.split("#")[0]
        assert not path.endswith("/"), href
        page_dir = out / "xwzx/gsgg/2020/a"
        assert (page_dir / unquote(path)).resolve().is_file(), href


def test_custom_permalink_pattern_is_used_for_files_and_links(make_site, tmp_path):
    site = make_site(
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/notice.md": report_md("通知", "2020-03-05"),
        },
        config="title: 测试县\nbase_url: https://h.cn/xxgk/\npermalink: /:year/:month/:slug/\n",
    )
    out = tmp_path / "out"
    build_into(site, out)
    assert (out / "2020/03/notice/index.html").is_file()
    link = read_page(out, "/gsgg/").select_one(".report-list a")
    assert link["href"] == "../2020/03/notice/"


def test_an_escaping_slug_fails_and_writes_nothing_outside_output(make_site, tmp_path):
    site = make_site(
        {
            "content/a/good.md": report_md(),
            "content/a/evil.md": report_md(slug="../../../../escaped"),
        }
    )
    before = snapshot(tmp_path)
    problems = build_fails(site, tmp_path / "out")
    (problem,) = problems
    assert problem.path == "content/a/evil.md"
    assert problem.line == 4
    assert "slug" in problem.message
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.parent.glob("escaped*"))


def test_site_root_links_in_a_body_work_under_the_sub_path(tmp_path):
    config = "title: 某县\nbase_url: https://host/xxgk/\n"
    body = (
        "[公示公告](/xwzx/gsgg/) [带子路径](/xxgk/xwzx/gsgg/) [外站](//cdn.example.com/a) "
        "![图](/xwzx/gsgg/files/a.png)\n"
    )
    site = write_site(
        tmp_path / "site",
        {
            "content/xwzx/_index.md": column_md("新闻中心"),
            "content/xwzx/gsgg/_index.md": column_md("公示公告"),
            "content/xwzx/gsgg/a.md": report_md(slug="a", body=body),
            "content/xwzx/gsgg/files/a.png": b"\x89PNG\r\n",
        },
        config,
    )
    out = tmp_path / "out"
    build_into(site, out)
    soup = read_page(out, "/xwzx/gsgg/2020/a/")
    body_links = [a["href"] for a in soup.select(".report-body a")]
    page = "https://host/xxgk/xwzx/gsgg/2020/a/"
    assert [urljoin(page, h) for h in body_links[:2]] == ["https://host/xxgk/xwzx/gsgg/"] * 2
    assert body_links[2] == "//cdn.example.com/a"
    image = soup.select_one(".report-body img")["src"]
    assert urljoin(page, image) == "https://host/xxgk/xwzx/gsgg/files/a.png"


def test_encode_path_fast_path_is_quote() -> None:
    """A path with nothing to encode is returned as it is: the same text as quoting every
    segment (random paths of safe, unsafe and non-ASCII characters)."""
    chars = [chr(c) for c in range(32, 127)] + ["中", "é", "%", "\u3000"]
    rnd = random.Random(12)
    for _ in range(20000):
        path = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 10)))
        expected = "/".join(quote(seg, safe=SEGMENT_SAFE) for seg in path.split("/"))
        assert encode_path(path) == expected, path
