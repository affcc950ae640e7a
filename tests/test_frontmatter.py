"""Reading a source file: decoding, splitting the front matter, and the lines of its keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import Diagnostics
from generator.frontmatter import guess_encoding, read_source


def read(tmp_path: Path, data: str | bytes, require_meta: bool = True):
    path = tmp_path / "report.md"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    diag = Diagnostics()
    return read_source(path, "content/report.md", diag, require_meta), diag


def test_front_matter_and_body_are_split_with_key_lines(tmp_path):
    src, diag = read(
        tmp_path, "---\ntitle: 报告\ndate: 2020-12-23\nsource: 灌南县司法局\n---\n\n正文第一段。\n"
    )
    assert diag.ok
    assert src.meta.data == {
        "title": "报告",
        "date": dt.date(2020, 12, 23),
        "source": "灌南县司法局",
    }
    # Lines count from the top of the file, the opening '---' being line 1.
    assert src.meta.line("title") == 2
    assert src.meta.line("date") == 3
    assert src.meta.line("source") == 4
    assert src.body == "\n正文第一段。\n"
    assert src.body_line == 6


def test_nested_keys_have_their_own_lines(tmp_path):
    src, _ = read(
        tmp_path,
        "---\ntitle: 报告\ndate: 2020-12-23\nattachments:\n  - title: 附件1\n"
        "    file: a.pdf\ninterpretation:\n  url: https://x.cn/\n---\n",
    )
    assert src.meta.line("attachments") == 4
    assert src.meta.line("interpretation", "url") == 8
    # A key path that does not exist falls back to its nearest parent.
    assert src.meta.line("interpretation", "title") == 7


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    data = "\ufeff---\r\ntitle: 报告\r\ndate: 2020-12-23\r\n---\r\n正文\r\n".encode()
    src, diag = read(tmp_path, data)
    assert diag.ok
    assert src.meta.data["title"] == "报告"
    assert src.meta.line("date") == 3
    assert src.body == "正文\n"


def test_an_impossible_date_stays_text_for_the_date_check(tmp_path):
    # PyYAML raises a bare ValueError on 2020-13-45; it must not crash the build.
    src, diag = read(tmp_path, "---\ntitle: 报告\ndate: 2020-13-45\n---\n")
    assert diag.ok
    assert src.meta.data["date"] == "2020-13-45"


def test_malformed_yaml_reports_the_line_of_the_problem(tmp_path):
    src, diag = read(tmp_path, "---\ntitle: 报告\ndate: 2020-12-23\nsource: 司法局: 灌南\n---\n")
    assert src is None
    (problem,) = diag.errors
    assert problem.path == "content/report.md"
    assert problem.line == 4
    assert "malformed YAML" in problem.message
    assert "quote" in problem.hint


def test_missing_closing_fence(tmp_path):
    src, diag = read(tmp_path, "---\ntitle: 报告\ndate: 2020-12-23\n\n正文\n")
    assert src is None
    (problem,) = diag.errors
    assert "closing '---'" in problem.message
    assert problem.line == 1
    assert "---" in problem.hint


@pytest.mark.parametrize("data", ["", "\n\n", "  \n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, data):
    src, diag = read(tmp_path, data)
    assert src is None
    (problem,) = diag.errors
    assert problem.message == "the file is empty"
    assert problem.line == 1
    assert "title and date" in problem.hint


def test_a_file_without_front_matter_is_an_error_for_reports(tmp_path):
    src, diag = read(tmp_path, "# 标题\n\n正文\n")
    assert src is None
    (problem,) = diag.errors
    assert "does not start with front matter" in problem.message


def test_a_file_without_front_matter_is_all_body_when_allowed(tmp_path):
    src, diag = read(tmp_path, "# 标题\n\n正文\n", require_meta=False)
    assert diag.ok
    assert src.meta.data == {}
    assert src.body.startswith("# 标题")


def test_front_matter_that_is_not_a_mapping(tmp_path):
    src, diag = read(tmp_path, "---\n- title\n- date\n---\n")
    assert src is None
    assert "key: value" in diag.errors[0].message


def test_empty_front_matter_is_an_empty_mapping(tmp_path):
    src, diag = read(tmp_path, "---\n---\n正文\n")
    assert diag.ok
    assert src.meta.data == {}


def test_gb18030_file_names_the_encoding_and_iconv(tmp_path):
    data = "---\ntitle: 灌南县报告\ndate: 2020-12-23\n---\n正文\n".encode("gb18030")
    src, diag = read(tmp_path, data)
    assert src is None
    (problem,) = diag.errors
    assert "not UTF-8" in problem.message
    assert "GB18030" in problem.message
    assert "iconv -f GB18030 -t UTF-8" in problem.hint
    assert "content/report.md" in problem.hint
    assert problem.line == 2  # the first line with a byte that is not UTF-8


def test_utf16_is_named(tmp_path):
    assert guess_encoding("---\ntitle: 报告\n".encode("utf-16")) == "UTF-16"
    assert guess_encoding("报告".encode("gb18030")) == "GB18030"
