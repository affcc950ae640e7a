"""Links from config and front matter: only safe schemes and site paths become links; the
same output from any working folder; --base-url checked like base_url; every URL encoded
segment by segment (sitemap, feeds, canonical, QR codes, hrefs) so that odd file names
still resolve; robots.txt unescaped; body relinking under a sub-path; `sitegen check`
seeing every asset."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sitegen_testkit import (
    MINIMAL_CONFIG,
    ROOT,
    build_fails,
    build_into,
    column_md,
    http_server,
    read_page,
    report_md,
    run_cli,
    snapshot,
    write_site,
)
from test_deploy import QuietHandler, crawl

from generator.check import check_site
from generator.config import _check_base_url
from generator.markdown_ext import MarkdownRenderer
from generator.qr import qr_svg
from generator.relink import relink_site_paths, srcset_spans, start_tags
from generator.theme import make_environment
from generator.urls import Linker, check_link, encode_path, output_file

SUB = "https://www.example.gov.cn/xxgk/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(2)",
    "  javascript:alert(3)",
    "java\tscript:alert(4)",
    "java\nscript:alert(5)",
    "\x01javascript:alert(6)",
    "jav\x00ascript:alert(7)",
    "data:text/html,<script>alert(8)</script>",
    "vbscript:msgbox(9)",
    "file:///etc/passwd",
    "//evil.example.com/x",
    "\\\\evil.example.com\\x",
    "https:no-host",
]
SAFE = [
    "https://www.example.gov.cn/a?b=1&c=2",
    "HTTP://www.example.gov.cn/",
    "mailto:office@example.gov.cn",
    "tel:0518-12345678",
    "/xwzx/gsgg/",
    "files/a.pdf",
    "1:2.html",  # a colon after a digit starts no scheme
]


def dq(value: str) -> str:
    """A YAML double-quoted scalar (control characters written as escapes)."""
    out = "".join(
        c if c.isprintable() and c not in '"\\' else f"\\x{ord(c):02x}" if ord(c) < 256 else c
        for c in value
    )
    return f'"{out}"'


# --- 1. only safe schemes ------------------------------------------------------------------


@pytest.mark.parametrize("value", UNSAFE)
def test_an_unsafe_url_is_refused(value):
    result = check_link(value)
    assert result.kind == "refused", value
    assert result.problem and result.hint


@pytest.mark.parametrize("value", SAFE)
def test_a_safe_url_is_accepted(value):
    assert check_link(value).kind in ("external", "path")


def report_with(field: str) -> str:
    return f"---\ntitle: 通知\ndate: 2020-12-23\n{field}\n---\n\n正文。\n"


@pytest.mark.parametrize("value", UNSAFE)
@pytest.mark.parametrize(
    ("where", "line"),
    [("attachments: [{{title: 附件, file: {v}}}]", 4), ("interpretation: {{url: {v}}}", 4)],
)
def test_an_unsafe_url_in_front_matter_is_a_located_error(make_site, value, where, line):
    site = make_site({"content/a/n.md": report_with(where.format(v=dq(value)))})
    problems = build_fails(site)
    assert [(p.path, p.line) for p in problems] == [("content/a/n.md", line)], problems
    assert problems[0].hint
    assert not (site.parent / "site-out").exists()


@pytest.mark.parametrize("value", [*UNSAFE, "jiucuo.html", "jav&#x09;ascript:alert(5)"])
@pytest.mark.parametrize("key", ["error_report_url", "dzjg_link"])
def test_an_unsafe_footer_link_is_a_located_error(make_site, value, key):
    config = f"title: 县\nbase_url: {SUB}\nfooter:\n  dzjg_image: dzjg.png\n  {key}: {dq(value)}\n"
    site = make_site({"content/a/n.md": report_md()}, config=config)
    problems = build_fails(site)
    assert [(p.path, p.line) for p in problems] == [(str(site / "sitegen.yaml"), 5)]
    assert f"footer.{key}" in problems[0].message and problems[0].hint


def test_the_dzjg_image_is_a_file_not_an_address(make_site):
    config = "title: 县\nfooter:\n  dzjg_image: 'javascript:alert(1)'\n"
    (problem,) = build_fails(make_site({"content/a/n.md": report_md()}, config=config))
    assert problem.line == 3 and "static/" in problem.message


def hrefs(output: Path) -> list[tuple[str, str]]:
    """(page, value) of every href, src, action, poster and data attribute of the site."""
    found = []
    for file in sorted(output.rglob("*.html")):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for name in ("href", "src", "action", "poster", "data"):
                if tag.get(name) is not None:
                    found.append((file.relative_to(output).as_posix(), tag[name]))
    return found


def test_every_link_the_templates_write_has_a_safe_scheme(make_site, tmp_path):
    config = (
        f"title: 县\nbase_url: {SUB}\nfooter:\n  dzjg_image: dzjg.png\n"
        "  dzjg_link: https://bszs.conac.cn/sitename?method=show&id=1\n"
        "  error_report_url: /xwzx/\n  email: office@example.gov.cn\n  icp: 苏ICP备1号\n"
    )
    fields = (
        "attachments: [{title: 甲, file: files/a.pdf}, {title: 乙, file: 'https://h.cn/b c.pdf'}]"
        "\ninterpretation: {title: 解读, url: 'mailto:office@example.gov.cn'}"
    )
    site = make_site(
        {
            "content/xwzx/_index.md": column_md("新闻"),
            "content/xwzx/n.md": report_with(fields),
            "content/xwzx/files/a.pdf": b"%PDF",
            "static/dzjg.png": b"\x89PNG",
        },
        config=config,
    )
    out = tmp_path / "out"
    build_into(site, out)
    links = hrefs(out)
    assert len(links) > 100
    for page, value in links:
        scheme = urlsplit(value).scheme
        assert scheme in ("", "http", "https", "mailto", "tel") or value == "data:,", (page, value)
        assert value == value.strip() and value.isascii(), (page, value)
    report = read_page(out, "/xwzx/2020/n/")
    assert report.select_one(".dzjg")["href"] == "https://bszs.conac.cn/sitename?method=show&id=1"
    assert report.select_one(".attachments a[download]") is not None
    external = [a["href"] for a in report.select(".attachments a")]
    assert "https://h.cn/b%20c.pdf" in external


# --- 2. interpretation.url relative to the report ------------------------------------------


def interpretation_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/zwgk/_index.md": column_md("政务公开"),
            "content/zwgk/zcwj/_index.md": column_md("政策文件"),
            "content/zwgk/zcwj/n.md": report_with(
                "interpretation: {title: 解读, url: 'jd/解读 1.html#二'}"
            ),
            "content/zwgk/zcwj/jd/解读 1.html": "<!doctype html><title>解读</title>",
            "content/zwgk/zcwj/up.md": report_with("interpretation: {url: ../zcjd/}"),
            "content/zwgk/zcjd/_index.md": column_md("政策解读"),
            "content/zwgk/zcjd/j.md": report_md("解读"),
        },
    )


def test_a_relative_interpretation_url_is_resolved_from_the_report_file(tmp_path, monkeypatch):
    site = interpretation_site(tmp_path / "site")
    elsewhere = tmp_path / "a" / "b"
    elsewhere.mkdir(parents=True)
    outputs = []
    for n, (cwd, source) in enumerate([(tmp_path, Path("site")), (elsewhere, site)]):
        monkeypatch.chdir(cwd)
        outputs.append(tmp_path / f"out{n}")
        build_into(source, outputs[-1], cache=False)
    first, second = snapshot(outputs[0]), snapshot(outputs[1])
    assert first == second
    page = "https://www.example.gov.cn/xxgk/zwgk/zcwj/2020/n/"
    href = read_page(outputs[0], "/zwgk/zcwj/2020/n/").select_one(".interpretation a")["href"]
    target = urljoin(page, href)
    assert unquote(target) == SUB + "zwgk/zcwj/jd/解读 1.html#二"
    assert (outputs[0] / "zwgk/zcwj/jd/解读 1.html").is_file()
    up = read_page(outputs[0], "/zwgk/zcwj/2020/up/").select_one(".interpretation a")["href"]
    assert urljoin(page.replace("/n/", "/up/"), up) == SUB + "zwgk/zcjd/"


@pytest.mark.parametrize(
    ("url", "words"),
    [("../../../../etc/passwd", "outside"), ("missing.html", "not in the content folder")],
)
def test_a_relative_interpretation_url_must_name_a_file_of_the_content(make_site, url, words):
    site = make_site({"content/a/n.md": report_with(f"interpretation: {{url: '{url}'}}")})
    (problem,) = build_fails(site)
    assert (problem.path, problem.line) == ("content/a/n.md", 4)
    assert words in problem.message and problem.hint


# --- 3. --base-url like base_url -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("/xxgk/", "https://www.example.gov.cn/xxgk/"),
        ("www.example.gov.cn/xxgk", "https://www.example.gov.cn/xxgk"),
        ("https:///xxgk/", "no host"),
        ("ftp://www.example.gov.cn/", "http(s)"),
        ("https://www.example.gov.cn/a b/", "spaces"),
        ("https://www.example.gov.cn/?a=1", "query"),
    ],
)
def test_base_url_and_the_override_share_one_validator(make_site, tmp_path, value, hint):
    problem = _check_base_url(value)
    assert problem and hint in problem
    site = make_site({"content/a/n.md": report_md()})
    out = tmp_path / "out"
    build_into(site, out)
    before = snapshot(out)
    result = run_cli("build", "--source", site, "--output", out, "--base-url", value)
    assert result.exit_code == 1
    assert f"--base-url: {problem}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(out) == before
    config = f"title: 县\nbase_url: '{value}'\n"
    (from_key,) = build_fails(make_site({"content/a/n.md": report_md()}, config, name="k"))
    assert from_key.line == 2 and problem in from_key.message


def test_a_valid_override_is_normalised_like_the_key(make_site, tmp_path):
    site = make_site({"content/a/n.md": report_md()})
    out = tmp_path / "out"
    build_into(site, out, base_url="https://www.example.gov.cn/信息公开")
    loc = ET.parse(out / "sitemap.xml").getroot().find(f"{SITEMAP}url/{SITEMAP}loc").text
    assert loc == "https://www.example.gov.cn/%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80/"
    soup = read_page(out, "/")
    assert soup.find("meta", attrs={"name": "SiteDomain"})["content"] == "www.example.gov.cn"


# --- 4. percent-encoding -------------------------------------------------------------------

ODD_NAMES = ["no#1", "a?b", "50%", "c:d", "e f", "法治报告", "g&h", "i'j"]


def odd_site(root: Path, base_url: str) -> Path:
    files: dict[str, str | bytes] = {
        "content/xwzx/_index.md": column_md("新闻"),
        "content/xwzx/files/附件 #1?.pdf": b"%PDF",
    }
    for n, name in enumerate(ODD_NAMES):
        files[f"content/xwzx/{name}.md"] = report_md(
            f"报告{n}",
            f"2020-12-{n + 1:02d}",
            "见[首页](/)和[附件](/xwzx/files/附件%20%231%3F.pdf)。\n",
            attachments=["files/附件 #1?.pdf"],
            series="法治 报告#",
            year=2012 + n,  # one report a year: two on one year are an error
        )
    return write_site(root, files, f"title: 县\nbase_url: {base_url}\n")


@pytest.fixture(scope="module", params=["https://www.example.gov.cn/", SUB])
def odd_build(request, tmp_path_factory) -> tuple[str, Path]:
    base = request.param
    root = tmp_path_factory.mktemp("odd")
    prefix = urlsplit(base).path
    out = root / "public" / prefix.strip("/") if prefix != "/" else root / "public"
    build_into(odd_site(root / "site", base), out)
    return base, out


def test_odd_file_names_give_links_that_resolve_over_http(odd_build):
    base, out = odd_build
    prefix = urlsplit(base).path
    docroot = out.parents[len(Path(prefix.strip("/")).parts) - 1] if prefix != "/" else out
    with http_server(partial(QuietHandler, directory=str(docroot))) as origin:
        seen = crawl(origin, prefix)
    assert not {url: status for url, status in seen.items() if status != 200}
    reached = {output_file(unquote(urlsplit(u).path)[len(prefix) - 1 :]) for u in seen}
    for name in ODD_NAMES:
        assert f"xwzx/2020/{name}/index.html" in reached, name
    assert "xwzx/files/附件 #1?.pdf" in reached
    assert check_site(out, prefix).problems == []


def test_absolute_urls_are_ascii_and_name_the_real_files(odd_build):
    base, out = odd_build

    def real(url: str) -> None:
        assert url.isascii() and " " not in url, url
        assert url.startswith(base), url
        assert (out / output_file("/" + unquote(url[len(base) :]))).is_file(), url

    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    for name in ODD_NAMES:
        assert base + encode_path(f"xwzx/2020/{name}/") in locs
    for loc in locs:
        real(loc)
    for feed in out.rglob("feed.xml"):
        root = ET.parse(feed).getroot()
        for link in root.iter(f"{ATOM}link"):
            real(link.get("href"))
        for entry_id in root.iter(f"{ATOM}id"):
            real(entry_id.text)
    for name in ODD_NAMES:
        page = f"/xwzx/2020/{name}/"
        html = (out / output_file(page)).read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == base + encode_path(page.lstrip("/"))
        assert soup.find("meta", attrs={"name": "Url"})["content"] == canonical
        real(canonical)
        label = soup.select_one("svg.qr-code")["aria-label"]
        assert qr_svg(canonical, label) in html  # the QR code holds the encoded address


# --- 5. autoescape for HTML and XML only ---------------------------------------------------


def test_autoescape_applies_to_html_xml_and_svg_templates_only(make_site):
    from generator.theme import Theme

    env = make_environment(Theme("t", Path("."), [], [], {}))
    assert env.autoescape("robots.txt") is False
    assert env.autoescape("partials/x.txt") is False
    assert all(env.autoescape(n) for n in ("a.html", "feed.xml", "sitemap.xml", "i.svg"))


NASTY = """A&B <县> "引" 'x'"""


def test_robots_feed_and_sitemap_are_right_for_special_characters(make_site, tmp_path):
    base = "https://www.example.gov.cn/a&b'c/"
    site = make_site(
        {
            "content/xwzx/_index.md": column_md(NASTY),
            "content/xwzx/n.md": report_md(NASTY, summary=NASTY),
            "templates/robots.txt": "# {{ config.title }}\nSitemap: {{ absolute('/sitemap.xml') }}\n",
        },
        config=f"title: '{NASTY.replace(chr(39), chr(39) * 2)}'\nbase_url: \"{base}\"\n",
    )
    out = tmp_path / "out"
    build_into(site, out)
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"# {NASTY}\nSitemap: {base}sitemap.xml\n"
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find(f"{ATOM}title").text == NASTY
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == NASTY
    assert entry.find(f"{ATOM}id").text == base + "xwzx/2020/n/"
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert base + "xwzx/2020/n/" in locs
    assert read_page(out, "/xwzx/2020/n/").find("h1").get_text(strip=True) == NASTY


# --- 6. relinking of report bodies ---------------------------------------------------------


def relink(body: str, current: str = "/xwzx/2020/a/", base: str = "/xxgk/") -> str:
    return relink_site_paths(body, Linker(base), current, base)


def test_a_body_without_site_root_links_is_returned_as_it_is():
    body = '<p>正文 <a href="https://h.cn/">外</a> <a href="//cdn/x">x</a> 1/2</p>'
    assert relink(body) is body


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('<a href="/x/?a=1&amp;b=2">', '<a href="../../../x/?a=1&amp;b=2">'),
        ("<a href='/x/'>", '<a href="../../../x/">'),
        ("<a href=/x/ title=t>", '<a href="../../../x/" title=t>'),
        ('<A HREF="/x/#一">', '<A HREF="../../../x/#一">'),
        ('<img src="a.png" srcset="/a.png 1x,/b.png 2x">', None),
        ('<video poster="/p.png" src="/v.mp4"></video>', None),
        ('<object data="/o.pdf"></object>', None),
        ('<embed src="/e.swf"><iframe src="/f/"></iframe>', None),
        ('<audio><source src="/s.mp3"><track src="/t.vtt"></audio>', None),
        ('<a href="/xxgk/x/">', '<a href="../../../x/">'),
        ('<a href="/%E6%B3%95/">', '<a href="../../../%E6%B3%95/">'),
    ],
)
def test_site_root_urls_are_relinked_in_every_url_attribute(before, after):
    out = relink(before)
    if after is not None:
        assert out == after
    soup = BeautifulSoup(out, "html.parser")
    urls = [v for tag in soup.find_all(True) for k, v in tag.attrs.items() if k != "title"]
    assert urls
    for value in urls:
        for start, end in srcset_spans(value) if " " in value else [(0, len(value))]:
            url = value[start:end]
            assert not url.startswith("/"), out
            assert urljoin(SUB + "xwzx/2020/a/", url).startswith(SUB), out


def test_text_comments_and_scripts_are_not_touched():
    body = (
        '<pre><code>&lt;a href="/x/"&gt;</code></pre><!-- <a href="/y/"> -->'
        '<script>var s = \'<a href="/z/">\';</script><p>a="/b"</p>'
        '<textarea><a href="/t/"></textarea>'
    )
    assert relink(body) == body


class _Reference(HTMLParser):
    """html.parser's start tags: (offset, name), the truth the relinker's scanner is held to."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.tags: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line, column = self.getpos()
        self.tags.append((self.starts[line - 1] + column, tag))

    handle_startendtag = handle_starttag


TRICKY = (
    '<p class=a>x &lt;b&gt; <a href="/a>b" title=\'c"d\'>e</a><br/><img src=/i.png alt=""/>'
    "<!-- <a href=/no> --><script>if (a<b) { s = '<a href=/no>'; }</script>"
    "<STYLE>p>a{}</STYLE> 1 < 2 <3 </p >"
    '<svg><use xlink:href="/s.svg#i"/></svg><a\nhref\n=\n"/n"\n>n</a><x-y z=1>'
)


@pytest.mark.parametrize("sample", ["content/xwzx/gsgg/2020-fzzf-report.md", None])
def test_the_scanner_finds_the_start_tags_html_parser_finds(sample):
    if sample is None:
        text = TRICKY
    else:
        renderer = MarkdownRenderer("表格 {n}")
        text = renderer.render((ROOT / sample).read_text(encoding="utf-8")).html
    reference = _Reference(text)
    reference.feed(text)
    reference.close()
    assert [(start, name) for start, _, name in start_tags(text)] == reference.tags
    assert len(reference.tags) >= 10


def test_srcset_candidates_are_split_as_browsers_do():
    value = " /a.png 1x, /b,c.png 2x,/d.png  , e.png (w) 3x"
    assert [value[s:e] for s, e in srcset_spans(value)] == ["/a.png", "/b,c.png", "/d.png", "e.png"]


def test_relinked_bodies_resolve_under_the_sub_path(make_site, tmp_path):
    body = (
        "<p><a href=\"/xwzx/?a=1&amp;b=2\">甲</a> <a href='/xwzx/files/a.pdf'>乙</a>"
        ' <img src="/xwzx/files/a.png" srcset="/xwzx/files/a.png 1x, /xwzx/files/b.png 2x"'
        ' alt=""></p>\n'
    )
    site = make_site(
        {
            "content/xwzx/_index.md": column_md("新闻"),
            "content/xwzx/a.md": report_md(slug="a", body=body),
            "content/xwzx/files/a.pdf": b"%PDF",
            "content/xwzx/files/a.png": b"\x89PNG",
            "content/xwzx/files/b.png": b"\x89PNG",
        }
    )
    out = tmp_path / "out"
    build_into(site, out)
    html = (out / "xwzx/2020/a/index.html").read_text(encoding="utf-8")
    assert 'href="../../?a=1&amp;b=2"' in html
    soup = BeautifulSoup(html, "html.parser")
    page = SUB + "xwzx/2020/a/"
    links = [a["href"] for a in soup.select(".report-body a")]
    assert [urljoin(page, h) for h in links] == [SUB + "xwzx/?a=1&b=2", SUB + "xwzx/files/a.pdf"]
    srcset = soup.select_one(".report-body img")["srcset"]
    images = [urljoin(page, srcset[s:e]) for s, e in srcset_spans(srcset)]
    assert images == [SUB + "xwzx/files/a.png", SUB + "xwzx/files/b.png"]
    assert check_site(out, "/xxgk/").problems == []


# --- 7. sitegen check sees every asset -----------------------------------------------------

OTHER_ORIGIN = [
    '<img src="data:," srcset="https://cdn.example.com/a.png 2x" alt="">',
    '<video poster="https://cdn.example.com/p.png"></video>',
    '<object data="https://cdn.example.com/o.swf"></object>',
    '<embed src="https://cdn.example.com/e.swf">',
    "<p style=\"background: url('https://cdn.example.com/bg.png')\">x</p>",
    "<style>.x { background: url(//cdn.example.com/bg.png) }</style>",
    '<style>@import "https://cdn.example.com/x.css";</style>',
]


@pytest.mark.parametrize("tag", OTHER_ORIGIN)
def test_check_sees_other_origin_assets(make_site, tmp_path, tag):
    site = make_site({"content/news/a.md": report_md(slug="a", body=tag + "\n")})
    out = tmp_path / "out"
    build_into(site, out)
    problems = check_site(out, "/xxgk/").problems
    assert len(problems) == 1 and "another origin" in problems[0], problems
    assert "cdn.example.com" in problems[0]


def test_check_skips_a_non_utf8_html_attachment_with_a_note(make_site, tmp_path):
    site = make_site(
        {
            "content/news/a.md": report_md(slug="a", attachments=["files/旧.html"]),
            "content/news/files/旧.html": "<html><title>旧通知</title>正文</html>".encode("gbk"),
        }
    )
    out = tmp_path / "out"
    build_into(site, out)
    result = run_cli("check", out, "--source", site)
    assert result.exit_code == 0, result.stdout
    assert "news/files/旧.html: skipped (not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_footer_link_to_a_site_path_with_a_fragment_resolves(tmp_path):
    # An editor writes footer links as addresses: '/sitemap/#sm-columns' is the site-map
    # page and its anchor, not a file named '#sm-columns' (found by the property test).
    config = MINIMAL_CONFIG + "footer:\n  error_report_url: /sitemap/?a=1#sm-columns\n"
    site = write_site(tmp_path / "site", {"content/a/_index.md": column_md("栏目")}, config)
    out = tmp_path / "out"
    build_into(site, out)
    for url, expected in (("/", "sitemap/?a=1#sm-columns"), ("/a/", "../sitemap/?a=1#sm-columns")):
        page = read_page(out, url)
        hrefs = [a["href"] for a in page.select("footer a") if "sitemap/?a=1" in a["href"]]
        assert hrefs == [expected]
    assert read_page(out, "/sitemap/").select_one("#sm-columns") is not None
