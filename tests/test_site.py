"""The site model (generator/site.py) on its own: plain data in, pages out, no files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitegen_testkit import NOW, ZONE

from generator.config import SeriesInfo, SiteConfig
from generator.content import Column, Content, Report
from generator.errors import Diagnostics
from generator.site import Site, build_site, select

TITLE = "灌南县人民政府"


def config(**values) -> SiteConfig:
    values.setdefault("title", TITLE)
    values.setdefault("base_url", "https://www.example.gov.cn/xxgk/")
    return SiteConfig(root=Path("/nonexistent-site"), **values)


def column(path: str, title: str, weight: int = 0) -> Column:
    return Column(path=tuple(path.split("/")), title=title, weight=weight)


def report(path: str, slug: str, date: str, **fields) -> Report:
    fields.setdefault("title", f"{slug} 标题")
    return Report(
        source=f"content/{path}/{slug}.md",
        column=tuple(path.split("/")) if path else (),
        date=dt.datetime.fromisoformat(date).replace(tzinfo=ZONE),
        slug=slug,
        body="正文。",
        **fields,
    )


def content(columns: list[Column], reports: list[Report]) -> Content:
    """Wire parents and children the way load_content does (weight, then folder order)."""
    tree = {(): Column((), TITLE)}
    tree.update({c.path: c for c in columns})
    for col in columns:
        col.parent = tree[col.path[:-1]]
        col.parent.children.append(col)
    for col in tree.values():
        col.children.sort(key=lambda c: (c.weight, c.path))
    return Content(tree, reports, [])


def news_center(*reports: Report) -> Content:
    return content(
        [
            column("xwzx", "新闻中心", 1),
            column("xwzx/gsgg", "公示公告", 2),
            column("xwzx/ywdt", "工作动态", 1),
            column("zwgk", "政府信息公开", 2),
        ],
        list(reports),
    )


def model(content_: Content, cfg: SiteConfig | None = None, **flags) -> tuple[Site, Diagnostics]:
    diag = Diagnostics()
    site = build_site(cfg or config(), content_, diag, NOW, **flags)
    return site, diag


def pages_by_url(site: Site) -> dict:
    return {p.url: p for p in site.pages}


def test_column_tree_and_nav_follow_weights():
    site, diag = model(news_center())
    assert diag.ok
    assert [c.title for c in site.nav] == ["新闻中心", "政府信息公开"]
    assert [c.title for c in site.columns[("xwzx",)].children] == ["工作动态", "公示公告"]


def test_nav_from_config_keeps_its_order_and_unknown_names_are_errors():
    cfg = config(nav=["zwgk", "xwzx/gsgg", "xwzx/gsgh"])
    site, diag = model(news_center(), cfg)
    assert [c.key for c in site.nav] == ["zwgk", "xwzx/gsgg"]
    (problem,) = diag.errors
    assert "xwzx/gsgh" in problem.message
    assert "did you mean 'xwzx/gsgg'" in problem.hint


def test_breadcrumbs_come_from_the_column_tree():
    r = report("xwzx/gsgg", "notice", "2020-12-23")
    site, _ = model(news_center(r))
    page = pages_by_url(site)[r.url]
    assert page.kind == "report"
    assert [(c.title, c.url) for c in page.breadcrumbs] == [
        (TITLE, "/"),
        ("新闻中心", "/xwzx/"),
        ("公示公告", "/xwzx/gsgg/"),
    ]
    column_page = pages_by_url(site)["/xwzx/gsgg/"]
    assert [c.url for c in column_page.breadcrumbs] == ["/", "/xwzx/", "/xwzx/gsgg/"]


def test_default_permalink_is_section_year_slug():
    r = report("xwzx/gsgg", "fzzf-report", "2020-12-23")
    site, _ = model(news_center(r))
    assert r.url == "/xwzx/gsgg/2020/fzzf-report/"
    assert site.reports == [r]


def test_custom_permalink_pattern():
    r = report("xwzx/gsgg", "fzzf-report", "2020-03-05")
    model(news_center(r), config(permalink="/:year/:month/:day/:slug/"))
    assert r.url == "/2020/03/05/fzzf-report/"
    r2 = report("xwzx/gsgg", "notice", "2021-01-02")
    model(news_center(r2), config(permalink="/:section/:slug.html"))
    assert r2.url == "/xwzx/gsgg/notice.html"


def test_pagination_pages_and_urls():
    reports = [report("xwzx/gsgg", f"n{i}", f"2020-01-{i:02d}") for i in range(1, 6)]
    site, _ = model(news_center(*reports), config(per_page=2))
    lists = [p for p in site.pages if p.kind == "column" and p.column.key == "xwzx/gsgg"]
    assert [p.url for p in lists] == ["/xwzx/gsgg/", "/xwzx/gsgg/page/2/", "/xwzx/gsgg/page/3/"]
    # Newest first, per_page on each page, the rest on the last one.
    assert [[r.slug for r in p.reports] for p in lists] == [["n5", "n4"], ["n3", "n2"], ["n1"]]
    first, second, last = (p.paginator for p in lists)
    assert (first.prev_url, first.next_url) == (None, "/xwzx/gsgg/page/2/")
    assert (second.prev_url, second.next_url) == ("/xwzx/gsgg/", "/xwzx/gsgg/page/3/")
    assert (last.prev_url, last.next_url) == ("/xwzx/gsgg/page/2/", None)
    assert all(p.paginator.count == 3 for p in lists)


def test_an_empty_column_still_has_one_page():
    site, _ = model(news_center())
    page = pages_by_url(site)["/zwgk/"]
    assert page.reports == [] and page.paginator.count == 1


def test_year_archives_site_wide_and_per_column():
    a = report("xwzx/gsgg", "a", "2020-12-23")
    b = report("xwzx/ywdt", "b", "2020-05-01")
    c = report("xwzx/gsgg", "c", "2021-02-01")
    d = report("zwgk", "d", "2019-03-01")
    site, _ = model(news_center(a, b, c, d))
    pages = pages_by_url(site)
    assert site.years == [2021, 2020, 2019]
    assert [r.slug for r in pages["/2020/"].reports] == ["a", "b"]
    assert pages["/2020/"].kind == "year" and pages["/2020/"].column is None
    # Year archive groups follow the column order (工作动态 before 公示公告 by weight).
    assert [g.column.title for g in pages["/2020/"].groups] == ["工作动态", "公示公告"]
    assert [r.slug for r in pages["/xwzx/gsgg/2020/"].reports] == ["a"]
    assert [r.slug for r in pages["/xwzx/2020/"].reports] == ["a", "b"]  # the whole subtree
    assert "/xwzx/gsgg/2019/" not in pages
    assert pages["/xwzx/gsgg/"].years == [2021, 2020]
    assert [c.url for c in pages["/xwzx/gsgg/2020/"].breadcrumbs][-1] == "/xwzx/gsgg/2020/"


def test_series_holds_every_year_in_order_and_uses_the_configured_slug():
    name = "法治政府建设年度报告"
    r2020 = report("xwzx/gsgg", "r2020", "2020-12-23", series=name, year=2020)
    r2018 = report("xwzx/gsgg", "r2018", "2019-03-20", series=name, year=2018)
    r2019 = report("xwzx/gsgg", "r2019", "2020-03-24", series=name, year=2019)
    other = report("xwzx/gsgg", "other", "2020-06-01")
    cfg = config(series={name: SeriesInfo(name, "fzzf-annual", "年度报告")})
    site, _ = model(news_center(r2020, r2018, r2019, other), cfg)
    series = site.series[name]
    assert series.url == "/series/fzzf-annual/"
    assert [r.year for r in series.reports] == [2018, 2019, 2020]
    pages = pages_by_url(site)
    assert pages["/series/fzzf-annual/"].kind == "series"
    assert pages[r2019.url].series is series
    assert pages[other.url].series is None
    assert "/series/" in pages


def test_series_without_config_is_named_by_its_title():
    r = report("xwzx/gsgg", "r", "2020-12-23", series="政府信息公开工作年度报告")
    site, _ = model(news_center(r))
    assert site.series["政府信息公开工作年度报告"].url == "/series/政府信息公开工作年度报告/"


def test_prev_and_next_stay_within_the_column():
    a = report("xwzx/gsgg", "a", "2020-01-01")
    b = report("xwzx/gsgg", "b", "2020-02-01")
    c = report("xwzx/gsgg", "c", "2020-03-01")
    elsewhere = report("xwzx/ywdt", "x", "2020-02-15")
    site, _ = model(news_center(a, b, c, elsewhere))
    pages = pages_by_url(site)
    assert (pages[c.url].newer, pages[c.url].older) == (None, b)
    assert (pages[b.url].newer, pages[b.url].older) == (c, a)
    assert (pages[a.url].newer, pages[a.url].older) == (b, None)
    assert (pages[elsewhere.url].newer, pages[elsewhere.url].older) == (None, None)


def test_same_date_orders_by_weight_then_url():
    a = report("xwzx/gsgg", "b-second", "2020-01-01")
    b = report("xwzx/gsgg", "a-first", "2020-01-01")
    c = report("xwzx/gsgg", "z-pinned", "2020-01-01", weight=-1)
    site, _ = model(news_center(a, b, c))
    assert [r.slug for r in site.reports] == ["z-pinned", "a-first", "b-second"]


def test_home_page_groups_latest_reports_of_each_top_column():
    reports = [report("xwzx/gsgg", f"g{i}", f"2020-01-{i:02d}") for i in range(1, 5)]
    reports.append(report("xwzx/ywdt", "y1", "2020-01-10"))
    reports.append(report("zwgk", "z1", "2019-01-01"))
    site, _ = model(news_center(*reports), config(home_per_column=3))
    home = pages_by_url(site)["/"]
    assert home.kind == "home"
    assert [(g.column.title, [r.slug for r in g.reports]) for g in home.groups] == [
        ("新闻中心", ["y1", "g4", "g3"]),
        ("政府信息公开", ["z1"]),
    ]
    assert home.years == [2020, 2019]


def test_drafts_future_and_expired_are_left_out_and_counted():
    kept = report("xwzx/gsgg", "kept", "2020-01-01")
    draft = report("xwzx/gsgg", "draft", "2020-01-02", draft=True)
    future = report("xwzx/gsgg", "future", "2099-01-01")
    expired = report(
        "xwzx/gsgg", "expired", "2021-01-01", expires=dt.datetime(2021, 2, 28, tzinfo=ZONE)
    )
    not_yet = report(
        "xwzx/gsgg", "not-yet", "2021-01-01", expires=dt.datetime(2099, 2, 28, tzinfo=ZONE)
    )
    everything = [kept, draft, future, expired, not_yet]
    site, diag = model(news_center(*everything))
    assert diag.ok
    assert {r.slug for r in site.reports} == {"kept", "not-yet"}
    assert site.left_out == {"draft": 1, "future": 1, "expired": 1}
    urls = pages_by_url(site)
    assert "/xwzx/gsgg/2099/future/" not in urls
    assert "/2099/" not in urls

    for flag, slug in [("drafts", "draft"), ("future", "future"), ("expired", "expired")]:
        site, _ = model(news_center(*everything), **{flag: True})
        assert slug in {r.slug for r in site.reports}, flag
        assert flag.rstrip("s") not in site.left_out
        assert sum(site.left_out.values()) == 2


def test_select_is_pure_and_uses_the_given_now():
    r = report("xwzx/gsgg", "r", "2024-06-02")
    assert select([r], NOW, False, False, False) == ([], {"future": 1})
    later = NOW + dt.timedelta(days=2)
    assert select([r], later, False, False, False) == ([r], {})


def test_two_reports_on_one_url_is_an_error_naming_both_files():
    a = report("xwzx/gsgg", "same", "2020-01-01")
    b = report("xwzx/gsgg", "same", "2020-06-01", title="另一篇")
    b.source = "content/xwzx/gsgg/other-file.md"
    _site, diag = model(news_center(a, b))
    (problem,) = diag.errors
    assert "/xwzx/gsgg/2020/same/" in problem.message
    text = str(problem)
    assert "content/xwzx/gsgg/same.md" in text and "content/xwzx/gsgg/other-file.md" in text
    assert "slug" in problem.hint


def test_a_report_clashing_with_a_generated_page_is_an_error():
    # A report slugged like a sub-column lands on that column's list page.
    r = report("xwzx", "gsgg", "2020-01-01")
    _site, diag = model(news_center(r), config(permalink="/:section/:slug/"))
    (problem,) = diag.errors
    assert "/xwzx/gsgg/" in problem.message
    assert "content/xwzx/gsgg.md" in str(problem)
    # With a file pattern, the slug "index" would overwrite the column's index.html.
    r2 = report("xwzx/gsgg", "index", "2020-01-01")
    _site, diag = model(news_center(r2), config(permalink="/:section/:slug.html"))
    (problem,) = diag.errors
    assert "/xwzx/gsgg/index.html" in problem.message


def test_a_slug_that_climbs_out_is_an_error_and_gets_no_page():
    r = report("xwzx/gsgg", "../../../../evil", "2020-01-01")
    site, diag = model(news_center(r))
    (problem,) = diag.errors
    assert problem.path == "content/xwzx/gsgg/../../../../evil.md"
    assert "leave the output folder" in problem.message
    assert site.reports == []
    assert all(".." not in p.url for p in site.pages)


def test_every_page_has_its_own_output_file():
    reports = [report("xwzx/gsgg", f"n{i}", f"2020-01-{i:02d}") for i in range(1, 4)]
    site, _ = model(news_center(*reports), config(per_page=1))
    outputs = [p.output for p in site.pages]
    assert len(outputs) == len(set(outputs))
    assert {"index.html", "404.html", "xwzx/gsgg/page/3/index.html"} <= set(outputs)
