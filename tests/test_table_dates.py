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
