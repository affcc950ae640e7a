"""置顶, 外链, 专题, 图片新闻 and the series checks, read back from built sites.

Every expected list is worked out here from the front matter the test writes, never
from sitegen's own model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urljoin

from sitegen_testkit import (
    MINIMAL_CONFIG,
    NOW,
    ZONE,
    build_fails,
    build_into,
    column_md,
    messages,
    read_page,
    report_md,
    write_site,
)

from generator.check import check_site

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def resolve(page_url: str, href: str) -> str:
    """The site path (or address) an href of the page at ``page_url`` points to."""
    if "://" in href:
        return href
    return unquote(urljoin("https://h" + page_url, href)[len("https://h") :])


def list_items(output: Path, url: str, selector: str = "main .report-list li") -> list[dict]:
    soup = read_page(output, url)
    items = []
    for li in soup.select(selector):
        a = li.find("a")
        items.append(
            {
                "title": a.find(string=True, recursive=False).strip(),
                "href": resolve(url, a["href"]),
                "pinned": li.select_one(".pin-mark") is not None,
                "pin_text": li.select_one(".pin-mark").get_text()
                if li.select_one(".pin-mark")
                else "",
                "rel": a.get("rel"),
                "external_text": a.select_one(".visually-hidden").get_text()
                if a.select_one(".visually-hidden")
                else "",
                "source": li.select_one(".item-source").get_text()
                if li.select_one(".item-source")
                else "",
            }
        )
    return items


# --- 置顶 -------------------------------------------------------------------------------

PINS = {  # slug: (date, top)
    "a": ("2024-01-01", None),
    "b": ("2024-02-01", True),
    "c": ("2024-03-01", None),
    "d": ("2023-05-01", "2024-12-31"),
    "e": ("2024-04-01", "2024-05-31"),
    "f": ("2023-01-01", "2024-06-01 11:00"),
    "g": ("2023-05-01", True),  # same date as d: ordered by file
}


def pinned_at(top: object, now: dt.datetime) -> bool:
    if top is True:
        return True
    if not isinstance(top, str):
        return False
    if ":" in top:
        return now < dt.datetime.fromisoformat(top).replace(tzinfo=ZONE)
    day = dt.date.fromisoformat(top)
    return now.date() <= day


def expected_order(now: dt.datetime) -> list[str]:
    pinned = sorted(
        (s for s, (_, top) in PINS.items() if pinned_at(top, now)),
        key=lambda s: (PINS[s][0], [-ord(ch) for ch in s]),
        reverse=True,
    )
    rest = sorted((s for s in PINS if s not in pinned), key=lambda s: PINS[s][0], reverse=True)
    return pinned + rest


def pin_site(tmp_path: Path) -> Path:
    files = {"content/tzgg/_index.md": column_md("通知公告", 1)}
    for slug, (date, top) in PINS.items():
        fields = {"top": top} if top is not None else {}
        files[f"content/tzgg/{slug}.md"] = report_md(f"通知{slug}", date, **fields)
    return write_site(tmp_path / "site", files)


def test_pinned_reports_come_first_in_a_stable_order(tmp_path: Path) -> None:
    site = pin_site(tmp_path)
    for now in (
        NOW,
        dt.datetime(2024, 12, 31, 23, 59, tzinfo=ZONE),
        dt.datetime(2025, 1, 1, tzinfo=ZONE),
    ):
        out = tmp_path / f"out-{now:%Y%m%d%H%M}"
        build_into(site, out, now=now)
        order = expected_order(now)
        items = list_items(out, "/tzgg/")
        assert [i["title"] for i in items] == [f"通知{s}" for s in order], now
        marked = [i["title"] for i in items if i["pinned"]]
        assert marked == [f"通知{s}" for s in order if pinned_at(PINS[s][1], now)]
        assert {i["pin_text"] for i in items if i["pinned"]} <= {"置顶"}
        home = list_items(out, "/", "main .block .report-list li")
        assert [i["title"] for i in home] == [f"通知{s}" for s in order]
        # The year archive stays in date order, without marks.
        year = list_items(out, "/tzgg/2024/", "main .report-list li")
        dates_2024 = sorted(
            (s for s in PINS if PINS[s][0].startswith("2024")),
            key=lambda s: PINS[s][0],
            reverse=True,
        )
        assert [i["title"] for i in year] == [f"通知{s}" for s in dates_2024]
        assert not any(i["pinned"] for i in year)
    # At NOW: b and g for good, d until the end of 2024-12-31 (d before g: same date, by file).
    assert expected_order(NOW)[:3] == ["b", "d", "g"]


def test_an_ending_pin_makes_the_next_build_redo_the_lists(tmp_path: Path) -> None:
    site = pin_site(tmp_path)
    out = tmp_path / "out"
    build_into(site, out, now=dt.datetime(2024, 12, 31, 12, 0, tzinfo=ZONE))
    assert [i["title"] for i in list_items(out, "/tzgg/") if i["pinned"]] == [
        "通知b",
        "通知d",
        "通知g",
    ]
    build_into(site, out, now=dt.datetime(2025, 1, 1, 0, 1, tzinfo=ZONE))  # cache kept
    assert [i["title"] for i in list_items(out, "/tzgg/") if i["pinned"]] == ["通知b", "通知g"]


def test_a_top_that_is_no_date_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/tzgg/_index.md": column_md("通知公告"),
            "content/tzgg/x.md": report_md("X", top="明年"),
        },
    )
    problems = messages(build_fails(site))
    assert any(p.startswith("content/tzgg/x.md:4: cannot read 'top' '明年'") for p in problems), (
        problems
    )


# --- 外链 -------------------------------------------------------------------------------

LINK = "https://www.lyg.gov.cn/zglygzfmhwz/tzgg/content/abc.html"


def link_site(tmp_path: Path, **extra: object) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "content/tzgg/_index.md": column_md("通知公告"),
            "content/tzgg/own.md": report_md("本站通知", "2024-03-01"),
            "content/tzgg/outside.md": report_md(
                "市政府通知", "2024-04-01", body="", link=LINK, source="连云港市人民政府", **extra
            ),
            "content/tzgg/bare.md": report_md(
                "省政府通知", "2024-02-01", body="", link="https://www.jiangsu.gov.cn/art/1.html"
            ),
        },
    )


def test_a_link_item_is_listed_with_its_address_and_has_no_page(tmp_path: Path) -> None:
    site = link_site(tmp_path)
    out = tmp_path / "out"
    build_into(site, out)
    items = {i["title"]: i for i in list_items(out, "/tzgg/")}
    assert items["市政府通知"]["href"] == LINK
    assert items["市政府通知"]["rel"] == ["external"]
    assert "外部链接" in items["市政府通知"]["external_text"]
    assert items["市政府通知"]["source"] == "连云港市人民政府"
    assert items["省政府通知"]["source"] == "www.jiangsu.gov.cn"  # no source: the host
    assert items["本站通知"]["href"] == "/tzgg/2024/own/" and not items["本站通知"]["rel"]
    assert not (out / "tzgg/2024/outside").exists() and not (out / "tzgg/2024/bare").exists()
    pages = {p.relative_to(out).as_posix() for p in out.rglob("index.html")}
    assert "tzgg/2024/own/index.html" in pages
    # The report page of own.md has no neighbour that is a link item.
    soup = read_page(out, "/tzgg/2024/own/")
    assert LINK not in str(soup.select_one("main"))
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert LINK not in sitemap and "outside" not in sitemap
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert f'href="{LINK}"' in feed
    assert check_site(out, "/xxgk/").problems == []


def test_a_link_must_be_an_http_address(tmp_path: Path) -> None:
    for value, part in (
        ("javascript:alert(1)", "'javascript:'"),
        ("ftp://example.com/a", "'ftp:'"),
        ("/tzgg/own/", "not an http"),
        ("https://", "no host"),
    ):
        site = write_site(
            tmp_path / f"site-{abs(hash(value))}",
            {
                "content/tzgg/_index.md": column_md("通知公告"),
                "content/tzgg/x.md": report_md("X", link=value),
            },
        )
        problems = messages(build_fails(site))
        assert any(
            p.startswith("content/tzgg/x.md:4: 'link' must be the address") and part in p
            for p in problems
        ), (value, problems)


def test_a_link_item_with_attachments_is_an_error(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/tzgg/_index.md": column_md("通知公告"),
            "content/tzgg/files/a.pdf": b"%PDF-1.4",
            "content/tzgg/x.md": report_md(
                "X", link=LINK, attachments=[{"title": "附件", "file": "files/a.pdf"}]
            ),
        },
    )
    problems = messages(build_fails(site))
    assert any("content/tzgg/x.md:5: a report with 'link' has no page" in p for p in problems), (
        problems
    )


# --- 专题 -------------------------------------------------------------------------------

TOPIC_CONFIG = MINIMAL_CONFIG + (
    "per_page: 2\n"
    "topics:\n"
    "  八五普法:\n    slug: bwpf\n    description: 八五普法专题说明\n    banner: images/bwpf.png\n"
    "  优化营商环境:\n    slug: yshj\n    title: 优化营商环境专栏\n"
)
TOPIC_REPORTS = {  # path: (date, topics)
    "xwzx/ywdt/a.md": ("2024-01-05", ["八五普法"]),
    "xwzx/ywdt/b.md": ("2023-11-05", ["八五普法", "优化营商环境"]),
    "zwgk/zcwj/c.md": ("2024-03-05", ["优化营商环境"]),
    "zwgk/zcwj/d.md": ("2022-02-05", "八五普法，优化营商环境"),
    "zwgk/zcwj/e.md": ("2024-05-05", ["八五普法"]),
    "zwgk/zcwj/f.md": ("2024-05-06", []),
    "xwzx/ywdt/g.md": ("2021-05-06", ["八五普发"]),  # a slip: a warning, and a page
}


def topic_site(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {
        "content/xwzx/_index.md": column_md("新闻中心", 1),
        "content/xwzx/ywdt/_index.md": column_md("要闻动态", 1),
        "content/zwgk/_index.md": column_md("政府信息公开", 2),
        "content/zwgk/zcwj/_index.md": column_md("政策文件", 1),
        "static/images/bwpf.png": PNG,
    }
    for path, (date, topics) in TOPIC_REPORTS.items():
        files[f"content/{path}"] = report_md(f"报告{Path(path).stem}", date, topics=topics)
    return write_site(tmp_path / "site", files, TOPIC_CONFIG)


def expected_topic(name: str) -> list[str]:
    def names(value: object) -> list[str]:
        return value if isinstance(value, list) else [v for v in str(value).split("，") if v]

    chosen = [p for p, (_, topics) in TOPIC_REPORTS.items() if name in names(topics)]
    return [
        f"报告{Path(p).stem}"
        for p in sorted(chosen, key=lambda p: TOPIC_REPORTS[p][0], reverse=True)
    ]


def topic_listing(out: Path, url: str) -> list[str]:
    titles: list[str] = []
    while url:
        titles += [i["title"] for i in list_items(out, url)]
        nxt = read_page(out, url).select_one('main .pagination a[rel="next"]')
        url = resolve(url, nxt["href"]) if nxt else ""
    return titles


def test_topic_pages_list_exactly_their_reports_newest_first(tmp_path: Path) -> None:
    site = topic_site(tmp_path)
    out = tmp_path / "out"
    result = build_into(site, out)
    assert topic_listing(out, "/topics/bwpf/") == expected_topic("八五普法")
    assert topic_listing(out, "/topics/yshj/") == expected_topic("优化营商环境")
    assert topic_listing(out, "/topics/八五普发/") == expected_topic("八五普发")
    assert (out / "topics/bwpf/page/2/index.html").is_file()  # 4 reports, 2 a page
    soup = read_page(out, "/topics/bwpf/")
    assert soup.select_one("main h1").get_text() == "八五普法"
    assert soup.select_one("main .lead").get_text() == "八五普法专题说明"
    banner = soup.select_one("main img.topic-banner")
    assert (out / resolve("/topics/bwpf/", banner["src"]).lstrip("/")).read_bytes() == PNG
    assert read_page(out, "/topics/yshj/").select_one("main h1").get_text() == "优化营商环境专栏"
    index = read_page(out, "/topics/")
    cards = [
        (resolve("/topics/", a["href"]), a.get_text())
        for a in index.select("main .topic-card h2 a")
    ]
    assert cards == [
        ("/topics/bwpf/", "八五普法"),
        ("/topics/yshj/", "优化营商环境专栏"),
        ("/topics/八五普发/", "八五普发"),
    ]
    warnings = [str(w) for w in result.warnings]
    assert any(
        w.startswith("content/xwzx/ywdt/g.md: the topic '八五普发' is not in the topics")
        and "did you mean '八五普法'?" in w
        for w in warnings
    ), warnings


def test_a_topic_banner_must_be_a_static_file(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + "topics:\n  八五普法:\n    slug: bwpf\n    banner: images/none.png\n"
    site = write_site(
        tmp_path / "site",
        {
            "content/a/_index.md": column_md("栏目"),
            "content/a/x.md": report_md("X", topics=["八五普法"]),
        },
        config,
    )
    problems = messages(build_fails(site))
    assert any(
        "topics.八五普法.banner 'images/none.png' is not a file under static/" in p
        for p in problems
    ), problems


# --- 图片新闻 ---------------------------------------------------------------------------


def gallery_site(tmp_path: Path, count: int = 7) -> Path:
    files: dict[str, str | bytes] = {
        "content/xwzx/_index.md": column_md("新闻中心", 1),
        "content/xwzx/tpxw/_index.md": "---\ntitle: 图片新闻\nlayout: gallery\n---\n",
        "content/xwzx/ywdt/_index.md": column_md("要闻动态", 2),
        "content/xwzx/ywdt/other.md": report_md(
            "不是图片新闻", "2024-05-30", image="/xwzx/tpxw/images/p1.png"
        ),
    }
    for n in range(1, count + 1):
        files[f"content/xwzx/tpxw/images/p{n}.png"] = PNG + bytes([n])
        image = {"image": f"images/p{n}.png"} if n != 3 else {}
        files[f"content/xwzx/tpxw/p{n}.md"] = report_md(f"图片{n}", f"2024-05-{n:02d}", **image)
    return write_site(tmp_path / "site", files)


def test_a_gallery_column_lists_cover_images_and_the_home_page_shows_a_carousel(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    build_into(gallery_site(tmp_path), out)
    soup = read_page(out, "/xwzx/tpxw/")
    items = soup.select("main .gallery-grid .gallery-item")
    assert [i.select_one(".gallery-title").get_text() for i in items] == [
        f"图片{n}" for n in range(7, 0, -1)
    ]
    for item in items:
        n = int(item.select_one(".gallery-title").get_text()[2:])
        img = item.select_one("img")
        if n == 3:
            assert img is None and item.select_one(".gallery-placeholder") is not None
        else:
            assert img["alt"] == ""  # the title next to it names the link
            assert (
                out / resolve("/xwzx/tpxw/", img["src"]).lstrip("/")
            ).read_bytes() == PNG + bytes([n])
        assert resolve("/xwzx/tpxw/", item.select_one("a")["href"]) == f"/xwzx/tpxw/2024/p{n}/"
    home = read_page(out, "/")
    slides = home.select("main .carousel .carousel-slide")
    # The newest five with a cover, of gallery columns only (not 要闻动态's report).
    expected = [n for n in range(7, 0, -1) if n != 3][:5]
    assert [resolve("/", s.select_one("a")["href"]) for s in slides] == [
        f"/xwzx/tpxw/2024/p{n}/" for n in expected
    ]
    dots = home.select("main .carousel .carousel-dots a")
    assert [d["href"] for d in dots] == [f"#{s['id']}" for s in slides]
    assert home.select_one("main .carousel-controls").has_attr("hidden")  # shown by carousel.js


def test_a_missing_cover_image_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a/_index.md": column_md("栏目"),
            "content/a/x.md": report_md("X", image="images/none.png"),
        },
    )
    problems = messages(build_fails(site))
    assert any(
        p.startswith("content/a/x.md:4: cover image file 'images/none.png' does not exist")
        for p in problems
    ), problems


def test_no_carousel_without_a_gallery_column(one_report_output: Path) -> None:
    assert read_page(one_report_output, "/").select_one(".carousel") is None


# --- series -----------------------------------------------------------------------------

SERIES = "法治政府建设年度报告"


def series_site(tmp_path: Path, reports: dict[str, dict]) -> Path:
    files = {"content/ndbg/_index.md": column_md("年度报告")}
    for name, fields in reports.items():
        files[f"content/ndbg/{name}.md"] = report_md(f"报告{name}", **fields)
    return write_site(tmp_path / "site", files)


def test_a_series_report_without_year_says_which_year_it_took(tmp_path: Path) -> None:
    site = series_site(tmp_path, {"r2020": {"date": "2021-03-15", "series": SERIES}})
    result = build_into(site, tmp_path / "out")
    warnings = [str(w) for w in result.warnings]
    assert (
        "content/ndbg/r2020.md:4: in the series '法治政府建设年度报告' without 'year': taken as the "
        "report on 2021, the year of its date 2021-03-15 (add year: 2020 if it reports on the year "
        "before (or year: 2021 to confirm))"
    ) in warnings, warnings


def test_two_reports_of_one_series_and_year_are_an_error_naming_both(tmp_path: Path) -> None:
    site = series_site(
        tmp_path,
        {
            "a2020": {"date": "2021-03-15", "series": SERIES},  # takes 2021 from its date
            "b2021": {"date": "2022-03-01", "series": SERIES, "year": 2021},
            "c2019": {"date": "2020-03-01", "series": SERIES, "year": 2019},
        },
    )
    problems = messages(build_fails(site))
    both = [p for p in problems if "two reports of the series" in p]
    assert both == [
        "content/ndbg/b2021.md: two reports of the series '法治政府建设年度报告' are on the year 2021: "
        "this one and content/ndbg/a2020.md (set year: to the year each one reports on (the year "
        "before its date, for a report published early in the next year))"
    ], problems


def test_a_series_name_close_to_another_gets_did_you_mean(tmp_path: Path) -> None:
    site = series_site(
        tmp_path,
        {
            "a": {"date": "2021-03-15", "series": SERIES, "year": 2020},
            "b": {"date": "2022-03-15", "series": SERIES, "year": 2021},
            "c": {"date": "2023-03-15", "series": "法治政府建设年度报吿", "year": 2022},
        },
    )
    warnings = [str(w) for w in build_into(site, tmp_path / "out").warnings]
    close = [w for w in warnings if "is close to the series" in w]
    assert close == [
        "content/ndbg/c.md: the series '法治政府建设年度报吿' is close to the series "
        "'法治政府建设年度报告' (did you mean '法治政府建设年度报告'? A series is one name written "
        "the same way in every report)"
    ], warnings


def test_unrelated_series_names_give_no_warning(tmp_path: Path) -> None:
    site = series_site(
        tmp_path,
        {
            "a": {"date": "2021-03-15", "series": SERIES, "year": 2020},
            "b": {"date": "2022-03-15", "series": "政府信息公开工作年度报告", "year": 2021},
        },
    )
    warnings = [str(w) for w in build_into(site, tmp_path / "out").warnings]
    assert not [w for w in warnings if "is close to" in w], warnings


def test_site_search_finds_a_link_item_by_title_and_source(tmp_path: Path) -> None:
    from generator.search_query import SearchIndex

    site = link_site(tmp_path)
    config = site / "sitegen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("search: false", "search: true"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    build_into(site, out)
    index = SearchIndex(out / "searchindex")
    assert [index.url(h) for h in index.hits("市政府通知")] == [LINK]
    assert [index.url(h) for h in index.hits("连云港市人民政府")] == [LINK]
    assert [index.url(h) for h in index.hits("本站通知")] == ["/tzgg/2024/own/"]
