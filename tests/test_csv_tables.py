"""CSV tables in a report body: ``::: csv files/t.csv caption="…"`` renders the file as an
accessible table (caption, header cells with scope), from UTF-8 or GB18030/GBK files, and
a missing or malformed file is an error naming the report's line (and the CSV's)."""

from __future__ import annotations

import csv
import io

import pytest
from sitegen_testkit import build_fails, build_into, column_md, messages, read_page, report_md

PAGE = "/gsgg/2020/stats/"
ROWS = [
    ["案件类型", "收案数", "纠错率"],
    ["行政复议", "1,203", "12.5%"],
    ["行政诉讼", "87", ""],
    ["说明，含逗号", '含"引号"', "第三列"],
]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def site(make_site, body: str, data: bytes | None = None):
    files = {
        "content/gsgg/_index.md": column_md("公示公告"),
        "content/gsgg/stats.md": report_md("统计", body=body),
    }
    if data is not None:
        files["content/gsgg/files/t.csv"] = data
    return make_site(files)


BODY = '2020年情况如下。\n\n::: csv files/t.csv caption="表1 2020年案件情况"\n\n以上。\n'


@pytest.mark.parametrize(
    "encoding, bom", [("utf-8", False), ("utf-8", True), ("gbk", False), ("gb18030", False)]
)
def test_a_csv_table_is_rendered_accessibly(make_site, tmp_path, encoding, bom):
    output = tmp_path / "out"
    build_into(site(make_site, BODY, csv_bytes(ROWS, encoding, bom)), output)
    body = read_page(output, PAGE).find(id="report-body")
    table = body.find("table")
    assert table.find("caption").get_text() == "表1 2020年案件情况"
    header = table.find("thead").find_all("th")
    assert [th.get_text() for th in header] == ROWS[0]
    assert all(th["scope"] == "col" for th in header)
    rows = [
        [td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")
    ]
    assert rows == ROWS[1:]
    wrap = table.parent
    assert wrap["role"] == "region" and wrap["aria-label"] == "表1 2020年案件情况"
    assert [p.get_text() for p in body.find_all("p")] == ["2020年情况如下。", "以上。"]


def test_short_rows_are_padded_and_blank_lines_skipped(make_site, tmp_path):
    data = "甲,乙,丙\n1,2\n\n,,\n4,5,6\n".encode()
    output = tmp_path / "out"
    build_into(site(make_site, "::: csv files/t.csv\n", data), output)
    table = read_page(output, PAGE).find(id="report-body").find("table")
    assert table.find("caption") is None
    rows = [
        [td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")
    ]
    assert rows == [["1", "2", ""], ["4", "5", "6"]]


def test_a_missing_csv_is_an_error_with_file_and_line(make_site, tmp_path):
    problems = build_fails(site(make_site, BODY), tmp_path / "out")
    assert messages(problems) == [
        "content/gsgg/stats.md:8: CSV file 'files/t.csv' does not exist "
        "(put it at content/gsgg/files/t.csv or fix the path)"
    ]


def test_a_row_too_long_is_an_error_with_both_lines(make_site, tmp_path):
    data = "甲,乙\n1,2\n3,4,5\n".encode()
    problems = build_fails(site(make_site, BODY, data), tmp_path / "out")
    assert [(p.path, p.line, p.message) for p in problems] == [
        (
            "content/gsgg/stats.md",
            8,
            "CSV table content/gsgg/files/t.csv, line 3: row has 3 cells, the header row 2",
        )
    ]


def test_an_unclosed_quote_is_an_error(make_site, tmp_path):
    data = '甲,乙\n1,"2\n'.encode()
    problems = build_fails(site(make_site, BODY, data), tmp_path / "out")
    (problem,) = problems
    assert problem.line == 8
    assert problem.message.startswith("CSV table content/gsgg/files/t.csv, line ")
    assert "malformed" in problem.message


def test_a_file_in_no_known_encoding_is_an_error(make_site, tmp_path):
    problems = build_fails(site(make_site, BODY, b"\x81\x20\xff\xfe,1\n"), tmp_path / "out")
    assert [p.message for p in problems] == [
        "CSV table content/gsgg/files/t.csv: the CSV file is neither UTF-8 nor GB18030/GBK"
    ]


def test_an_empty_csv_is_an_error(make_site, tmp_path):
    problems = build_fails(site(make_site, BODY, b"\r\n"), tmp_path / "out")
    assert [p.message for p in problems] == [
        "CSV table content/gsgg/files/t.csv: the CSV file has no rows"
    ]


def test_a_badly_written_line_is_an_error(make_site, tmp_path):
    body = '::: csv files/t.csv title="x"\n'
    problems = build_fails(site(make_site, body, csv_bytes(ROWS)), tmp_path / "out")
    assert [(p.line, p.message) for p in problems] == [
        (6, "CSV table: 'title=x' is not understood; only caption=\"…\" may follow the file")
    ]


def test_an_edited_csv_re_renders_the_page_in_a_cached_build(make_site, tmp_path):
    source = site(make_site, BODY, csv_bytes(ROWS))
    output = tmp_path / "out"
    build_into(source, output)
    (source / "content/gsgg/files/t.csv").write_bytes(csv_bytes([["新表头"], ["新值"]]))
    build_into(source, output)
    table = read_page(output, PAGE).find(id="report-body").find("table")
    assert [th.get_text() for th in table.find_all("th")] == ["新表头"]


def test_the_csv_of_a_draft_is_not_published(make_site, tmp_path):
    files = {
        "content/gsgg/_index.md": column_md("公示公告"),
        "content/gsgg/stats.md": report_md("统计", draft=True, body=BODY),
        "content/gsgg/files/t.csv": csv_bytes(ROWS),
    }
    output = tmp_path / "out"
    build_into(make_site(files), output)
    assert not (output / "gsgg/files/t.csv").exists()
