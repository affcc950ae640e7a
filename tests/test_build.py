"""Whole builds read back with a parser: the sample site, escaping, overrides, footer, meta."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sitegen_testkit import (
    BASE_URL,
    SITE_TITLE,
    build_fails,
    build_into,
    check_links,
    column_md,
    meta,
    read_page,
    report_md,
    run_cli,
    snapshot,
)

from generator.writer import OutputWriter

SEED_URL = "/xwzx/gsgg/2020/fzzf-report-2020/"
SEED_TITLE = "灌南县人民政府2020年度法治政府建设工作报告"
SAMPLE_BASE = "https://www.example.gov.cn/xxgk/"


def text_of(tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text()).strip()


# --- the sample site -------------------------------------------------------------------------


def test_sample_site_builds_without_errors_or_warnings(sample_build):
    output, result = sample_build
    assert result.warnings == []
    assert result.written > 50
    assert result.left_out == {"draft": 1, "future": 1, "expired": 1}
    for url in [
        "/",
        "/xwzx/gsgg/",
        "/xwzx/gsgg/page/2/",
        "/2020/",
        "/xwzx/gsgg/2020/",
        "/404.html",
    ]:
        assert read_page(output, url).find("html")["lang"] == "zh-CN", url


def test_sample_seed_report_page(sample_output):
    soup = read_page(sample_output, SEED_URL)
    assert soup.find("h1").get_text(strip=True) == SEED_TITLE
    assert soup.title.get_text() == f"{SEED_TITLE} - 灌南县人民政府"
    crumbs = [a.get_text(strip=True) for a in soup.select("nav.breadcrumb a")]
    assert crumbs == ["首页", "新闻中心", "公示公告"]
    assert "您现在的位置" in text_of(soup.select_one("nav.breadcrumb"))
    meta_line = text_of(soup.select_one(".report-meta"))
    assert "信息来源：灌南县司法局" in meta_line
    assert "发布时间：2020-12-23" in meta_line
    assert soup.select_one(".report-body .recipient").get_text() == "连云港市人民政府："


def test_sample_seed_report_headings_and_run_in_leads(sample_output):
    body = read_page(sample_output, SEED_URL).select_one(".report-body")
    h2 = [h.get_text() for h in body.find_all("h2")]
    h3 = [h.get_text() for h in body.find_all("h3")]
    assert h2[0] == "一、法治政府建设的主要举措和成效"
    assert all(re.match(r"^[一二三四五六七八九十]+、", t) for t in h2)
    assert h3[0] == "（一）依法全面履行政府职能"
    assert all(t.startswith("（") for t in h3)
    assert len(h2) == 4 and len(h3) >= 5
    leads = [s for s in body.find_all("strong") if s.get_text().startswith("一是")]
    assert leads and all(s.parent.name == "p" for s in leads)
    assert not body.find("h1")


def test_sample_seed_report_has_no_scraped_page_furniture(sample_output):
    body_text = read_page(sample_output, SEED_URL).select_one(".report-body").get_text()
    for furniture in ["您现在的位置", "浏览", "次", "扫一扫", "打印本页", "关闭窗口", "【", "】"]:
        if furniture == "次":
            assert not re.search(r"浏览[:：]?\s*\d*\s*次", body_text)
            continue
        assert furniture not in body_text, furniture


def test_sample_seed_report_links_to_the_other_years_of_its_series(sample_output):
    soup = read_page(sample_output, SEED_URL)
    nav = soup.select_one("nav.series-years")
    assert "法治政府建设年度报告" in nav.find("h2").get_text()
    assert nav.find("h2").find("a")["href"] == "../../../../series/fzzf-annual/"
    years = [li.get_text(strip=True) for li in nav.find_all("li")]
    assert years == ["2018年度", "2019年度", "2020年度", "2021年度"]
    current = nav.find(attrs={"aria-current": "page"})
    assert current.get_text() == "2020年度" and current.name != "a"
    links = {a.get_text(): a["href"] for a in nav.find_all("a") if a.parent.name == "li"}
    assert links["2019年度"] == "../fzzf-report-2019/"
    assert links["2021年度"] == "../../2022/fzzf-report-2021/"


def test_sample_seed_report_government_meta_tags(sample_output):
    soup = read_page(sample_output, SEED_URL)
    assert meta(soup, "SiteName") == "灌南县人民政府"
    assert meta(soup, "SiteDomain") == "www.example.gov.cn"
    assert meta(soup, "SiteIDCode") == "3207240000"
    assert meta(soup, "ColumnName") == "公示公告"
    assert meta(soup, "ArticleTitle") == SEED_TITLE
    assert meta(soup, "PubDate") == "2020-12-23 00:00"
    assert meta(soup, "ContentSource") == "灌南县司法局"
    assert meta(soup, "description").startswith("灌南县人民政府报告2020年度法治政府建设")
    assert soup.find("link", rel="canonical")["href"] == SAMPLE_BASE + SEED_URL.lstrip("/")


def test_sample_pages_of_every_kind_exist(sample_output):
    gsgg = read_page(sample_output, "/xwzx/gsgg/")
    assert gsgg.find("h1").get_text() == "公示公告"
    assert len(gsgg.select("main .report-list > li")) == 10  # per_page: 10
    page2 = read_page(sample_output, "/xwzx/gsgg/page/2/")
    assert page2.select("main .report-list > li")
    assert page2.select_one('.pagination a[aria-current="page"]').get_text() == "2"
    year = read_page(sample_output, "/2020/")
    assert SEED_TITLE in [a.get_text() for a in year.select(".report-list a")]
    column_year = read_page(sample_output, "/xwzx/gsgg/2020/")
    assert SEED_TITLE in [a.get_text() for a in column_year.select(".report-list a")]
    series = read_page(sample_output, "/series/fzzf-annual/")
    assert len(series.select(".series-list li")) == 4
    home = read_page(sample_output, "/")
    home_years = {a.get_text() for a in home.select(".years-nav a")}
    assert {"2019年", "2020年", "2021年", "2022年"} <= home_years
    assert (sample_output / "zwgk/zcwj/files/2021-zwgk-key-points.pdf").is_file()


def test_sample_leaves_out_drafts_and_future_and_expired(sample_output):
    everything = "\n".join(
        p.read_text(encoding="utf-8") for p in sample_output.rglob("*.html")
    ).replace("\n", "")
    assert "（示例，草稿）" not in everything
    assert "未到发布日期" not in everything
    assert "春节期间政务服务中心办公时间安排" not in everything  # expired 2021-02-28
    assert not (sample_output / "2099").exists()
    assert not (sample_output / "xwzx/gsgg/2021/spring-festival-notice-2021").exists()


def test_every_internal_link_of_the_sample_resolves_under_its_sub_path(sample_output):
    assert check_links(sample_output, SAMPLE_BASE) > 1000


def test_sample_builds_byte_identical_twice_and_a_rebuild_changes_nothing(
    sample_source, sample_output, tmp_path
):
    second = tmp_path / "second"
    build_into(sample_source, second)
    # The search index is included (its files are written in a fixed order).
    first_files = snapshot(sample_output)
    second_files = snapshot(second)
    assert any(k.startswith("searchindex/") for k in first_files)
    assert sorted(first_files) == sorted(second_files)
    different = [name for name in first_files if first_files[name] != second_files[name]]
    assert different == []

    before = {p: p.stat().st_mtime_ns for p in second.rglob("*") if p.is_file()}
    result = build_into(sample_source, second)
    assert result.written == 0
    assert result.removed == 0
    assert result.unchanged == len(before)
    assert {p: p.stat().st_mtime_ns for p in second.rglob("*") if p.is_file()} == before


def test_cli_builds_the_sample_and_prints_a_summary(sample_source, tmp_path):
    result = run_cli("build", "--source", sample_source, "--output", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    summary = lines[-1]
    assert re.match(
        r"built \d+ pages: \d+ files written, 0 unchanged, 0 removed, 3 reports left out", summary
    )
    assert "1 drafts" in summary and "1 expired" in summary and "1 future-dated" in summary
    assert (tmp_path / "out" / SEED_URL.strip("/") / "index.html").is_file()


# --- small sites -----------------------------------------------------------------------------

EVIL = '<script>alert(1)</script> "引号" & 符号'


def test_front_matter_values_are_escaped_everywhere_they_land(make_site, tmp_path):
    site = make_site(
        {
            "content/gsgg/_index.md": column_md(EVIL, description=EVIL),
            "content/gsgg/r.md": report_md(
                EVIL,
                source=EVIL,
                summary=EVIL,
                author=EVIL,
                tags=[EVIL],
                body='正文\n\n<div class="raw-html"><em>编辑写的 HTML</em></div>\n',
            ),
        },
        config=f"title: 测试县\nbase_url: {BASE_URL}\nfooter:\n  sponsor: '{EVIL}'\n",
    )
    out = tmp_path / "out"
    build_into(site, out)
    for file in out.rglob("*.html"):
        html = file.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, file
    report = read_page(out, "/gsgg/2020/r/")
    assert report.find("h1").get_text() == EVIL
    assert report.title.get_text().startswith(EVIL)
    for name in ("ArticleTitle", "ContentSource", "description", "Description", "Author"):
        assert meta(report, name) == EVIL, name
    assert meta(report, "ColumnName") == EVIL
    assert EVIL in report.select_one(".report-meta").get_text()
    assert EVIL in report.select_one(".footer-info").get_text()
    assert not [s for s in report.find_all("script") if "alert(1)" in s.get_text()]
    # The Markdown body is the editors' own: its raw HTML is kept.
    assert report.select_one(".report-body div.raw-html em").get_text() == "编辑写的 HTML"
    listing = read_page(out, "/gsgg/")
    assert [a.get_text() for a in listing.select(".report-list a")] == [EVIL]
    assert listing.find("h1").get_text() == EVIL
    home = read_page(out, "/")
    assert EVIL in [a.get_text() for a in home.select(".report-list a")]


@pytest.fixture
def override_site(make_site):
    return make_site(
        {
            "content/gsgg/r.md": report_md("报告", custom_note="模板可用的自定义字段"),
            "templates/report.html": (
                '{% extends "base.html" %}\n{% block main %}'
                '<p class="site-report">{{ page.report.title }}</p>'
                '<p class="custom">{{ page.report.extra.custom_note }}</p>{% endblock %}\n'
            ),
            "templates/partials/footer.html": '<footer class="site-own-footer">本站页脚</footer>\n',
            "static/css/site.css": "body { color: #123456 }\n",
            "static/img/logo.png": b"\x89PNG\r\n",
        }
    )


def test_site_templates_and_static_files_override_the_theme(override_site, tmp_path):
    out = tmp_path / "out"
    build_into(override_site, out)
    report = read_page(out, "/gsgg/2020/r/")
    assert report.select_one("p.site-report").get_text() == "报告"
    # Front-matter keys the model does not know are there for the site's templates.
    assert report.select_one("p.custom").get_text() == "模板可用的自定义字段"
    assert report.select_one("h1.report-title") is None
    for url in ("/", "/gsgg/2020/r/", "/gsgg/"):
        page = read_page(out, url)
        assert page.select_one("footer.site-own-footer").get_text() == "本站页脚"
        assert page.select_one("footer.site-footer") is None
    # The theme's own column template is still used where the site has none.
    assert read_page(out, "/gsgg/").select(".report-list a")
    assert (out / "css/site.css").read_text() == "body { color: #123456 }\n"
    theme_js = Path(__file__).resolve().parent.parent / "themes/default/static/js/site.js"
    assert (out / "js/site.js").read_bytes() == theme_js.read_bytes()
    assert (out / "img/logo.png").read_bytes() == b"\x89PNG\r\n"


FULL_FOOTER = """\
title: 测试县人民政府
base_url: https://www.example.gov.cn/xxgk/
site_id_code: "3207240001"
footer:
  sponsor: 测试县人民政府办公室
  organizer: 测试县大数据管理局
  address: 江苏省测试县人民路1号
  phone: 0518-88888888
  postcode: "222500"
  email: web@example.gov.cn
  icp: 苏ICP备05005881号
  police_record: 苏公网安备32072402000123号
  error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3207240001
"""


def test_footer_shows_every_configured_item(make_site, tmp_path):
    site = make_site({"content/a/r.md": report_md()}, config=FULL_FOOTER)
    build_into(site, tmp_path / "out")
    footer = read_page(tmp_path / "out", "/a/2020/r/").select_one("footer")
    info = {
        dt.get_text(): dt.find_next_sibling("dd").get_text()
        for dt in footer.select(".footer-info dt")
    }
    assert info == {
        "主办单位": "测试县人民政府办公室",
        "承办单位": "测试县大数据管理局",
        "地址": "江苏省测试县人民路1号",
        "电话": "0518-88888888",
        "邮编": "222500",
        "邮箱": "web@example.gov.cn",
        "网站标识码": "3207240001",
    }
    icp = footer.find("a", string="苏ICP备05005881号")
    assert icp["href"] == "https://beian.miit.gov.cn/"
    police = footer.find("a", string="苏公网安备32072402000123号")
    assert police["href"].endswith("recordcode=32072402000123")
    assert footer.find("a", string="我为政府网站找错")["href"].startswith(
        "https://zfwzgl.www.gov.cn/"
    )
    assert footer.find("a", href="mailto:web@example.gov.cn")
    assert footer.find("a", string="网站地图")


def test_footer_leaves_out_what_is_not_configured(make_site, tmp_path):
    site = make_site(
        {"content/a/r.md": report_md()},
        config="title: 测试县\nbase_url: https://h.cn/\nfooter:\n  sponsor: 测试县办公室\n  phone: ''\n",
    )
    build_into(site, tmp_path / "out")
    footer = read_page(tmp_path / "out", "/a/2020/r/").select_one("footer")
    assert [dt.get_text() for dt in footer.select("dt")] == ["主办单位"]
    text = footer.get_text()
    for absent in ("ICP", "公网安备", "网站标识码", "电话", "邮箱", "我为政府网站找错"):
        assert absent not in text, absent
    assert not re.search(r"\d{5,}", text), "no invented numbers"
    assert footer.find("a", href=re.compile("beian")) is None


def test_report_meta_tags_title_description_and_language(make_site, tmp_path):
    site = make_site(
        {
            "content/xwzx/_index.md": column_md("新闻中心"),
            "content/xwzx/gsgg/_index.md": column_md("公示公告", description="公告与公示"),
            "content/xwzx/gsgg/r.md": report_md(
                "关于某事的通知", "2020-12-23 09:05", source="测试县司法局", summary="摘要。"
            ),
            "content/xwzx/gsgg/no-source.md": report_md("无来源", "2021-01-02"),
        },
        config=FULL_FOOTER,
    )
    out = tmp_path / "out"
    build_into(site, out)
    soup = read_page(out, "/xwzx/gsgg/2020/r/")
    assert soup.find("html")["lang"] == "zh-CN"
    assert soup.title.get_text() == f"关于某事的通知 - {SITE_TITLE}"
    assert meta(soup, "description") == "摘要。"
    assert meta(soup, "SiteName") == SITE_TITLE
    assert meta(soup, "SiteDomain") == "www.example.gov.cn"
    assert meta(soup, "SiteIDCode") == "3207240001"
    assert meta(soup, "ColumnName") == "公示公告"
    assert meta(soup, "ArticleTitle") == "关于某事的通知"
    assert meta(soup, "PubDate") == "2020-12-23 09:05"
    assert meta(soup, "ContentSource") == "测试县司法局"
    # Without a source, the site itself is the content source.
    assert meta(read_page(out, "/xwzx/gsgg/2021/no-source/"), "ContentSource") == SITE_TITLE
    column = read_page(out, "/xwzx/gsgg/")
    assert meta(column, "ColumnName") == "公示公告"
    assert meta(column, "description") == "公告与公示"
    assert meta(column, "ArticleTitle") is None
    assert meta(read_page(out, "/"), "SiteName") == SITE_TITLE


def test_no_site_id_code_means_no_meta_tag(make_site, tmp_path):
    site = make_site({"content/a/r.md": report_md()})
    build_into(site, tmp_path / "out")
    assert meta(read_page(tmp_path / "out", "/a/2020/r/"), "SiteIDCode") is None


def test_language_comes_from_config(make_site, tmp_path):
    site = make_site(
        {"content/a/r.md": report_md("Report", source="Justice Bureau")},
        config="title: Test County\nbase_url: https://h.cn/\nlanguage: en\n",
    )
    build_into(site, tmp_path / "out")
    soup = read_page(tmp_path / "out", "/a/2020/r/")
    assert soup.find("html")["lang"] == "en"
    assert "Justice Bureau" in soup.select_one(".report-meta").get_text()
    assert "信息来源" not in soup.select_one(".report-meta").get_text()


def test_breadcrumb_first_crumb_is_home(make_site, tmp_path):
    site = make_site(
        {
            "content/xwzx/_index.md": column_md("新闻中心"),
            "content/xwzx/gsgg/_index.md": column_md("公示公告"),
            "content/xwzx/gsgg/r.md": report_md(),
        }
    )
    build_into(site, tmp_path / "out")
    for url, expected in [
        ("/xwzx/gsgg/", ["首页", "新闻中心", "公示公告"]),
        ("/xwzx/gsgg/2020/r/", ["首页", "新闻中心", "公示公告"]),
        ("/xwzx/gsgg/2020/", ["首页", "新闻中心", "公示公告", "2020年"]),
    ]:
        nav = read_page(tmp_path / "out", url).select_one("nav.breadcrumb")
        assert [a.get_text(strip=True) for a in nav.find_all("a")] == expected, url
        assert ">>" in nav.get_text()


def test_drafts_flag_includes_drafts(make_site, tmp_path):
    site = make_site(
        {
            "content/a/r.md": report_md("正式"),
            "content/a/d.md": report_md("草稿", draft=True),
            "content/a/f.md": report_md("将来", "2099-01-01"),
        }
    )
    result = build_into(site, tmp_path / "out")
    assert result.left_out == {"draft": 1, "future": 1}
    assert not (tmp_path / "out/a/2020/d").exists()
    result = build_into(site, tmp_path / "out", drafts=True, future=True)
    assert result.left_out == {}
    assert read_page(tmp_path / "out", "/a/2020/d/").find("h1").get_text() == "草稿"
    assert (tmp_path / "out/a/2099/f/index.html").is_file()


def test_a_rebuild_removes_pages_that_are_gone(make_site, tmp_path):
    site = make_site({"content/a/r.md": report_md(), "content/a/gone.md": report_md("将删除")})
    out = tmp_path / "out"
    build_into(site, out)
    assert (out / "a/2020/gone/index.html").is_file()
    (site / "content/a/gone.md").unlink()
    result = build_into(site, out)
    assert result.removed == 1
    assert not (out / "a/2020/gone").exists()
    assert not list(tmp_path.glob(".out.staging-*"))


def test_output_folder_that_holds_the_site_is_refused(make_site):
    site = make_site({"content/a/r.md": report_md()})
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    for output in (site, site.parent):
        (problem,) = build_fails(site, output)
        assert "site" in problem.message
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("existing", [False, True], ids=["first build", "output exists"])
@pytest.mark.parametrize("rel", ["../escaped.html", "a/../../escaped.html", "/tmp/escaped.html"])
def test_writer_refuses_paths_outside_the_output(tmp_path, rel, existing):
    if existing:
        (tmp_path / "out").mkdir()
    writer = OutputWriter(tmp_path / "out")
    with pytest.raises(Exception, match="outside the output folder"):
        writer.put(rel.replace("/tmp/", f"{tmp_path}/"), b"x")
    writer.abort()
    assert not (tmp_path / "escaped.html").exists()


def test_unchanged_files_keep_their_mtime_and_changed_ones_are_rewritten(make_site, tmp_path):
    site = make_site({"content/a/r.md": report_md("第一版"), "content/b/s.md": report_md("其他")})
    out = tmp_path / "out"
    build_into(site, out)
    other = out / "b/2020/s/index.html"
    old = other.stat().st_mtime_ns - 10_000_000_000
    os.utime(other, ns=(old, old))
    (site / "content/a/r.md").write_text(report_md("第二版"), encoding="utf-8")
    result = build_into(site, out)
    assert result.written > 0
    assert other.stat().st_mtime_ns == old
    assert read_page(out, "/a/2020/r/").find("h1").get_text() == "第二版"


def test_a_rebuild_picks_up_new_templates_and_config(make_site, tmp_path):
    site = make_site({"content/a/r.md": report_md(), "content/b/s.md": report_md("其他")})
    out = tmp_path / "out"
    build_into(site, out)
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/footer.html").write_text(
        '<footer class="new-footer">新页脚</footer>\n', encoding="utf-8"
    )
    config = (site / "sitegen.yaml").read_text(encoding="utf-8")
    (site / "sitegen.yaml").write_text(config.replace(SITE_TITLE, "改名县人民政府"), "utf-8")
    build_into(site, out)
    for url in ("/", "/a/2020/r/", "/b/2020/s/", "/b/"):
        page = read_page(out, url)
        assert page.select_one("footer.new-footer") is not None, url
        assert meta(page, "SiteName") == "改名县人民政府", url


def test_without_base_url_the_qr_codes_feeds_and_sitemap_are_left_out_with_one_warning(tmp_path):
    from sitegen_testkit import column_md, report_md, write_site

    files = {
        "content/gsgg/_index.md": column_md("公示公告"),
        "content/gsgg/a.md": report_md(title="甲", slug="a"),
        "content/gsgg/b.md": report_md(title="乙", slug="b"),
    }
    bare = write_site(tmp_path / "bare", files, "title: 某县\n")
    out = tmp_path / "bare-out"
    result = build_into(bare, out)
    warnings = [w for w in result.warnings if "base_url is not set" in w.message]
    assert len(warnings) == 1
    page = read_page(out, "/gsgg/2020/a/")
    assert page.select_one("figure.qr") is None
    assert page.select_one('link[rel="canonical"]') is None
    assert not (out / "feed.xml").exists() and not (out / "sitemap.xml").exists()

    full = write_site(tmp_path / "full", files, "title: 某县\nbase_url: https://host/xxgk/\n")
    out = tmp_path / "full-out"
    build_into(full, out)
    svg = read_page(out, "/gsgg/2020/a/").select_one("figure.qr svg")
    assert svg is not None and svg["role"] == "img" and svg["aria-label"]
    assert svg.find("title") is not None
