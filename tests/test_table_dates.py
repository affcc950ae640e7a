"""Dates in the table cells of a report body are kept whole (``<span class="date">``), and
nothing else of the page changes."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from sitegen_testkit import build_into, column_md, read_page, report_md, write_site

from generator.table_dates import DATE, keep_dates_whole

BODY = """\
2021-04-30 前完成，正文里的日期不包。

| 事项 | 时间 |
| --- | --- |
| 受理 | 2021-04-30 |
| 办结 | 2021年5月6日至2021年5月31日 |
| 编号 | 12021-04-301 与 2021-04-30x |

<table><tr><th>2020-1-2</th><td><a href="/x/">2020-12-31</a> 后</td></tr></table>
"""


def test_dates_in_cells_are_wrapped_and_nothing_else(tmp_path):
    site = write_site(
        tmp_path / "site",
        {
            "content/gg/_index.md": column_md("公告"),
            "content/gg/a.md": report_md("时间表", "2021-04-01", BODY, slug="a"),
        },
    )
    out = tmp_path / "out"
    build_into(site, out)
    body = read_page(out, "/gg/2021/a/").select_one(".report-body")
    wrapped = [s.get_text() for s in body.select("span.date")]
    # The truth: every date the pattern sees inside a cell's text, in document order.
    expected = [d for cell in body.select("td, th") for d in DATE.findall(cell.get_text())]
    assert (
        wrapped
        == expected
        == [
            "2021-04-30",
            "2021年5月6日",
            "2021年5月31日",
            "2020-1-2",
            "2020-12-31",
        ]
    )
    assert all(s.find_parent(["td", "th"]) is not None for s in body.select("span.date"))
    assert body.find("p").get_text().startswith("2021-04-30 前完成")
    assert body.find("p").find("span") is None


def test_without_tables_the_html_is_untouched():
    html = "<p>2021-04-30</p><p>a < b 2021-04-30 <td</p>"
    assert keep_dates_whole(html) == html


def test_stray_brackets_and_unclosed_cells():
    html = "<td>2021-04-30 < 2021-05-01</td><td>2020-01-01"
    got = BeautifulSoup(keep_dates_whole(html), "html.parser")
    assert [s.get_text() for s in got.select("span.date")] == [
        "2021-04-30",
        "2021-05-01",
        "2020-01-01",
    ]
    hostile = "<td>" + "<" * 50_000 + "2021-04-30"
    assert keep_dates_whole(hostile).endswith('<span class="date">2021-04-30</span>')
    assert re.sub(r"</?span[^>]*>", "", keep_dates_whole(hostile)) == hostile


def test_the_text_before_the_first_cell_is_never_read_differently():
    # keep_dates_whole splits only from the first cell tag on; the reference splits the
    # whole text. Random mixtures of cell tags (any case), stray brackets, other tags
    # and dates give the same HTML both ways.
    import random

    from generator.table_dates import CELL, DATE, TAG

    def whole(html: str) -> str:
        if not CELL.search(html) or not DATE.search(html):
            return html
        parts, depth = TAG.split(html), 0
        for i, part in enumerate(parts):
            if i % 2:
                cell = CELL.match(part)
                if cell:
                    depth = max(depth - 1, 0) if cell.group(1) else depth + 1
            elif depth and part:
                parts[i] = DATE.sub(r'<span class="date">\1</span>', part)
        return "".join(parts)

    rng = random.Random(20261204)
    pieces = ["<td>", "</td>", "<th class=x>", "</TH>", "<TD/>", "<table>", "<tr>", "<", ">",
              "2021-04-30", "2021年4月30日", "x", "文", "<a href='2021-01-01'>", "</a>", "<td",
              "1", "-", "<b>", "/", "."]  # fmt: skip
    for _ in range(20000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert keep_dates_whole(html) == whole(html), html
