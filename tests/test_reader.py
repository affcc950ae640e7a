"""Reader side of the built pages (issue 14), read back from the HTML: the reading tools in
the header of every page, one current navigation item, home blocks that never repeat a
report, the 信息公开 table without half-empty rows; and the main colour's contrast warning.
The browser checks of the same pages are in tests/e2e/test_reader.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitegen_testkit import build_into, column_md, report_md, write_site

from generator.config import load_config
from generator.contrast import contrast_ratio, relative_luminance, shown_ratio
from generator.errors import Diagnostics
from generator.urls import output_file


def read(out: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((out / output_file(url)).read_text(encoding="utf-8"), "html.parser")


# --------------------------------------------------------------- main colour contrast


@pytest.mark.parametrize(
    ("color", "ratio"),
    [
        # published WCAG figures for white text: 21:1 on black, 4.54:1 on #767676 (the
        # lightest grey that passes), 4.48:1 on #777777; #ffdd00 and #a4161a worked out
        # from their sRGB channels (relative luminance 0.7297 and 0.0854)
        ("#000000", 21.0),
        ("#767676", 4.54),
        ("#777777", 4.48),
        ("#ffdd00", 1.35),
        ("#a4161a", 7.75),
        ("#ffffff", 1.0),
    ],
)
def test_contrast_ratio_of_white_text(color: str, ratio: float) -> None:
    assert contrast_ratio(color, "#ffffff") == pytest.approx(ratio, abs=0.005)
    assert contrast_ratio("#ffffff", color) == contrast_ratio(color, "#ffffff")


def test_relative_luminance_ends_and_channels() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    # the channel weights of WCAG (0.2126 R + 0.7152 G + 0.0722 B)
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)
    assert relative_luminance("#0000ff") == pytest.approx(0.0722)
    # below 0.04045 the channel is linear: 10/255/12.92
    assert relative_luminance("#0a0a0a") == pytest.approx(10 / 255 / 12.92)


def test_shown_ratio_is_cut_never_rounded_up() -> None:
    assert shown_ratio(4.4999) == "4.49"
    assert shown_ratio(4.478) == "4.47"
    assert shown_ratio(21.0) == "21.00"


def load(tmp_path: Path, color: str) -> Diagnostics:
    (tmp_path / "sitegen.yaml").write_text(
        f'title: 灌南县人民政府\nlanguage: zh-CN\nmain_color: "{color}"\n', encoding="utf-8"
    )
    diag = Diagnostics()
    assert load_config(tmp_path, diag) is not None
    return diag


def test_light_main_colour_warns_with_its_ratio_and_line(tmp_path: Path) -> None:
    diag = load(tmp_path, "#ffdd00")
    assert diag.ok
    assert len(diag.warnings) == 1, [str(w) for w in diag.warnings]
    warning = diag.warnings[0]
    assert warning.line == 3
    assert warning.path.endswith("sitegen.yaml")
    # 1.3466…:1, shown cut to two decimals
    assert "main_color #ffdd00 gives white text a contrast of only 1.34:1" in warning.message
    assert "4.5:1" in warning.message
    assert "#a4161a" in warning.hint and "7.75:1" in warning.hint


def test_just_below_the_threshold_warns_and_at_it_does_not(tmp_path: Path) -> None:
    diag = load(tmp_path, "#777777")  # 4.478:1
    assert [w.message for w in diag.warnings] and "4.47:1" in diag.warnings[0].message
    assert not load(tmp_path, "#767676").warnings  # 4.54:1
    assert not load(tmp_path, "#a4161a").warnings


def test_the_build_prints_the_contrast_warning(tmp_path: Path) -> None:
    source = write_site(
        tmp_path / "site",
        {"content/news/_index.md": column_md("新闻"), "content/news/a.md": report_md()},
        config='title: T\nbase_url: https://h.cn/\nmain_color: "#ffdd00"\n',
    )
    result = build_into(source)
    assert any("1.34:1" in str(w) for w in result.warnings), result.warnings


def test_the_chinese_catalogue_has_the_contrast_messages() -> None:
    from generator import contrast

    po = (Path(contrast.__file__).parent / "locale" / "zh_CN" / "reader.po").read_text("utf-8")
    source = Path(contrast.__file__).read_text("utf-8")
    for msgid in (
        "main_color {color} gives white text a contrast of only {ratio}:1, below the "
        "4.5:1 that WCAG asks for (the navigation bar and buttons put white text on it)",
        "choose a darker colour, e.g. '{example}' ({example_ratio}:1)",
    ):
        assert f'msgid "{msgid}"' in po
        msgstr = po.split(f'msgid "{msgid}"\nmsgstr "', 1)[1].split('"\n', 1)[0]
        assert set(re.findall(r"\{\w+\}", msgstr)) == set(re.findall(r"\{\w+\}", msgid))
        first = msgid.split("{")[0][:30]
        assert first in source


# ------------------------------------------------------------------ the built pages

NESTED_COLUMNS = {
    "a": "新闻中心",
    "a/b": "公示公告",
    "a/b/c": "通知",
    "a/d": "工作动态",
    "e": "政府信息公开",
    "e/f": "政府信息公开年报",
    "g": "政策文件",
}
# (column, slug, date): a has its own report, a/d has no block of its own, e has none
NESTED_REPORTS = [
    ("a", "a1", "2021-01-05"),
    ("a/b", "b1", "2021-03-01"),
    ("a/b", "b2", "2021-02-01"),
    ("a/b", "b3", "2020-02-01"),
    ("a/b/c", "c1", "2021-04-01"),
    ("a/b/c", "c2", "2021-01-01"),
    ("a/b/c", "c3", "2019-01-01"),
    ("a/b/c", "c4", "2018-01-01"),
    ("a/d", "d1", "2021-05-01"),
    ("a/d", "d2", "2017-05-01"),
    ("e/f", "f1", "2021-03-31"),
    ("e/f", "f2", "2020-03-31"),
    ("g", "g1", "2020-06-01"),
]
NESTED_NAV = ["a", "a/b", "a/b/c", "e", "e/f", "g"]
PER_BLOCK = 3


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {
        f"content/{p}/_index.md": column_md(t, weight=i)
        for i, (p, t) in enumerate(NESTED_COLUMNS.items())
    }
    for column, slug, date in NESTED_REPORTS:
        files[f"content/{column}/{slug}.md"] = report_md(f"报告{slug}", date, "正文。\n")
    config = (
        "title: 测试县人民政府\nbase_url: https://www.example.gov.cn/xxgk/\n"
        f"home_per_column: {PER_BLOCK}\nnav: [{', '.join(NESTED_NAV)}]\n"
    )
    source = write_site(tmp_path_factory.mktemp("nested") / "site", files, config)
    out = source.parent / "out"
    build_into(source, out)
    return out


def home_blocks(out: Path) -> dict[str, list[str]]:
    """Block title → the slugs it lists, as the home page shows them."""
    soup = read(out, "/")
    blocks = {}
    for block in soup.select(".home-grid .block"):
        title = block.find("h2").get_text(strip=True)
        blocks[title] = [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in block.select("li a")]
    return blocks


def test_home_blocks_of_nested_columns_never_show_a_report_twice(nested: Path) -> None:
    blocks = home_blocks(nested)
    shown = [slug for slugs in blocks.values() for slug in slugs]
    assert len(shown) == len(set(shown)), blocks

    column_of = {slug: column for column, slug, _ in NESTED_REPORTS}
    date_of = {slug: date for _, slug, date in NESTED_REPORTS}
    path_of = {title: path for path, title in NESTED_COLUMNS.items()}

    def inside(column: str, parent: str) -> bool:
        return column == parent or column.startswith(parent + "/")

    for title, slugs in blocks.items():
        path = path_of[title]
        deeper = [p for p in NESTED_NAV if p != path and inside(p, path)]
        # the truth: reports under the block's column but under none of the deeper blocks,
        # newest first, at most PER_BLOCK of them
        mine = [s for s, c in column_of.items() if inside(c, path)]
        mine = [s for s in mine if not any(inside(column_of[s], p) for p in deeper)]
        expected = sorted(mine, key=lambda s: date_of[s], reverse=True)[:PER_BLOCK]
        assert slugs == expected, (title, slugs, expected)
    # 新闻中心 keeps its own report and 工作动态's (no block of its own); 政府信息公开 has
    # nothing left beside its 年报 block and is left out; every other nav column has a block
    assert blocks["新闻中心"] == ["d1", "a1", "d2"]
    assert "政府信息公开" not in blocks
    assert set(blocks) == {NESTED_COLUMNS[p] for p in NESTED_NAV} - {"政府信息公开"}


def nav_marks(soup: BeautifulSoup) -> list[tuple[str, str | None, bool]]:
    """(label, aria-current, marked as an ancestor) of each item of the main navigation."""
    return [
        (a.get_text(strip=True), a.get("aria-current"), "nav-ancestor" in (a.get("class") or []))
        for a in soup.select("nav.main-nav a")
    ]


@pytest.mark.parametrize(
    ("url", "current", "value", "ancestors"),
    [
        ("/", "首页", "page", []),
        ("/a/", "新闻中心", "page", []),
        ("/a/b/", "公示公告", "page", ["新闻中心"]),
        ("/a/b/c/", "通知", "page", ["新闻中心", "公示公告"]),
        ("/a/b/c/2021/c1/", "通知", "true", ["新闻中心", "公示公告"]),
        ("/a/d/", "新闻中心", "true", []),  # 工作动态 is not in the nav: its parent is current
        ("/a/2021/", "新闻中心", "true", []),
        ("/e/f/2021/f1/", "政府信息公开年报", "true", ["政府信息公开"]),
        ("/sitemap/", None, None, []),
        ("/2021/", None, None, []),
    ],
)
def test_one_current_nav_item_the_deepest(
    nested: Path, url: str, current: str | None, value: str | None, ancestors: list[str]
) -> None:
    marks = nav_marks(read(nested, url))
    currents = [(label, v) for label, v, _ in marks if v is not None]
    assert currents == ([(current, value)] if current else []), marks
    assert [label for label, _, ancestor in marks if ancestor] == ancestors
    assert all(v in (None, "page", "true") for _, v, _ in marks)


PAGE_KINDS = {
    "home": "/",
    "column": "/a/b/",
    "year": "/2021/",
    "column year": "/a/2021/",
    "report": "/a/b/2021/b1/",
    "sitemap": "/sitemap/",
    "404": "/404.html",
}


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_reading_tools_are_in_the_header_of_every_page(nested: Path, kind: str) -> None:
    soup = read(nested, PAGE_KINDS[kind])
    header = soup.select_one("header.site-header")
    group = header.select_one('.font-switch[role="group"]')
    buttons = group.find_all("button")
    assert [(b["data-font"], b.get_text(strip=True)) for b in buttons] == [
        ("large", "大"),
        ("medium", "中"),
        ("small", "小"),
    ]
    assert all(b.get("type") == "button" and b.has_attr("aria-pressed") for b in buttons)
    contrast = header.select_one("button.contrast-switch[data-contrast]")
    assert contrast.get_text(strip=True) == "长者模式" and contrast.has_attr("aria-pressed")
    # the pressed state is set by a script right after the buttons, before the first paint
    script = contrast.find_next_sibling("script")
    assert script is not None and "aria-pressed" in script.string
    # one set per page: none left in the report's meta line
    assert len(soup.select(".font-switch")) == 1 and len(soup.select(".contrast-switch")) == 1
    # the phone menu works without JavaScript: a <details> open in the HTML
    menu = soup.select_one("nav.main-nav details.nav-menu")
    assert menu.has_attr("open") and menu.find("summary").get_text(strip=True) == "栏目导航"


def test_disclosure_table_has_no_half_empty_row(tmp_path: Path) -> None:
    fields = {
        "index_no": "11370900004341590P/2017-00150",
        "publisher": "灌南县人民政府办公室",
        "doc_no": "灌政发〔2021〕12号",
        "written_date": "2021-04-30",
        "category": "综合政务",
        "validity": "有效",
        "disclosure": "主动公开",
        "keywords": ["法治政府"],
    }
    files = {"content/news/_index.md": column_md("新闻")}
    files["content/news/odd.md"] = report_md("九项", "2021-05-06", **fields)
    even = {k: v for k, v in fields.items() if k != "keywords"}
    files["content/news/even.md"] = report_md("八项", "2021-05-07", **even)
    source = write_site(tmp_path / "site", files)
    out = tmp_path / "out"
    build_into(source, out)
    for slug, count in (("odd", 9), ("even", 8)):
        table = read(out, f"/news/2021/{slug}/").select_one("table.disclosure")
        cols = [c.get("class") for c in table.select("colgroup col")]
        assert cols == [["disclosure-label"], ["disclosure-value"]] * 2
        rows = table.select("tbody tr")
        assert len(rows) == (count + 1) // 2
        labels = []
        for row in rows:
            cells = row.find_all(["th", "td"])
            # every row fills the 4 columns; no empty cell
            assert sum(int(c.get("colspan", 1)) for c in cells) == 4, row
            assert all(c.get_text(strip=True) for c in cells), row
            for th in row.find_all("th"):
                td = th.find_next_sibling("td")
                assert td["headers"] == [th["id"]]  # each value names its own label
                labels.append(th.get_text(strip=True))
        assert len(labels) == count and len(set(labels)) == count
        written = table.find(id="disclosure-written_date").find_next_sibling("td")
        assert written.select_one("span.date").get_text() == "2021-04-30"
