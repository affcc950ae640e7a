"""content/: the column tree from folders, and the validated fields of each report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sitegen_testkit import ZONE, column_md, report_md

from generator.config import load_config
from generator.content import Content, load_content
from generator.errors import Diagnostics


def load(site: Path) -> tuple[Content, Diagnostics]:
    diag = Diagnostics()
    config = load_config(site, diag)
    assert config is not None, [str(p) for p in diag.errors]
    return load_content(config, diag), diag


def by_slug(content: Content) -> dict:
    return {r.slug: r for r in content.reports}


def test_column_tree_from_folders_with_index_files(make_site):
    site = make_site(
        {
            "content/xwzx/_index.md": column_md("新闻中心", 1, "要闻与公告"),
            "content/xwzx/gsgg/_index.md": column_md("公示公告", 2),
            "content/xwzx/ywdt/_index.md": column_md("工作动态", 1),
            "content/xwzx/gsgg/tzgg/_index.md": column_md("通知公告", 0),
            "content/xwzx/gsgg/tzgg/a.md": report_md(),
            "content/zwgk/_index.md": column_md("政府信息公开", 2),
        }
    )
    content, diag = load(site)
    assert diag.ok and not diag.warnings
    columns = content.columns
    assert set(columns) == {
        (),
        ("xwzx",),
        ("xwzx", "gsgg"),
        ("xwzx", "ywdt"),
        ("xwzx", "gsgg", "tzgg"),
        ("zwgk",),
    }
    root = columns[()]
    # Children are ordered by weight, not by folder name.
    assert [c.title for c in root.children] == ["新闻中心", "政府信息公开"]
    assert [c.title for c in columns[("xwzx",)].children] == ["工作动态", "公示公告"]
    deep = columns[("xwzx", "gsgg", "tzgg")]
    assert [c.title for c in deep.ancestors] == ["新闻中心", "公示公告"]
    assert deep.url == "/xwzx/gsgg/tzgg/"
    assert columns[("xwzx",)].description == "要闻与公告"
    assert content.reports[0].column == ("xwzx", "gsgg", "tzgg")


def test_equal_weights_fall_back_to_folder_order(make_site):
    site = make_site(
        {
            "content/b/_index.md": column_md("乙"),
            "content/a/_index.md": column_md("甲"),
            "content/c/_index.md": column_md("丙"),
        }
    )
    content, _ = load(site)
    assert [c.path for c in content.columns[()].children] == [("a",), ("b",), ("c",)]


def test_a_folder_of_reports_without_index_is_a_column_named_after_the_folder(make_site):
    site = make_site({"content/tzgg/a.md": report_md()})
    content, diag = load(site)
    assert diag.ok
    assert content.columns[("tzgg",)].title == "tzgg"


def test_a_folder_of_files_only_is_copied_as_assets(make_site):
    site = make_site(
        {
            "content/zcwj/_index.md": column_md("政策文件"),
            "content/zcwj/a.md": report_md(),
            "content/zcwj/files/a.pdf": b"%PDF-1.4\n",
            "content/zcwj/files/b.csv": "a,b\n",
            "content/zcwj/files/.hidden": "x",
        }
    )
    content, _ = load(site)
    assert ("zcwj", "files") not in content.columns
    assert [a.as_posix() for a in content.assets] == ["zcwj/files/a.pdf", "zcwj/files/b.csv"]


def test_report_fields_are_read(make_site):
    site = make_site(
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/2020-fzzf-report.md": report_md(
                title="灌南县人民政府2020年度法治政府建设工作报告",
                date="2020-12-23 09:30",
                source="灌南县司法局",
                recipient="连云港市人民政府",
                series="法治政府建设年度报告",
                year=2020,
                tags="法治政府建设、年度报告",
                index_no="11320724/2020-00150",
                publisher="灌南县人民政府",
                doc_no="灌政发〔2020〕1号",
                written_date="2020-12-20",
                validity="有效",
                custom_field="模板可用",
            ),
        }
    )
    content, diag = load(site)
    assert diag.ok and not diag.warnings
    (report,) = content.reports
    assert report.title == "灌南县人民政府2020年度法治政府建设工作报告"
    assert report.date == dt.datetime(2020, 12, 23, 9, 30, tzinfo=ZONE)
    assert report.source_org == "灌南县司法局"
    assert report.recipient == "连云港市人民政府"
    assert report.series == "法治政府建设年度报告"
    assert report.year == 2020
    assert report.tags == ["法治政府建设", "年度报告"]
    assert report.slug == "2020-fzzf-report"  # the file name when no slug is given
    assert report.source == "content/gsgg/2020-fzzf-report.md"
    assert report.has_disclosure
    assert report.disclosure["doc_no"] == "灌政发〔2020〕1号"
    assert report.disclosure["written_date"] == "2020-12-20"
    assert report.extra == {"custom_field": "模板可用"}  # unknown keys stay for templates


def test_year_defaults_to_the_publication_year(make_site):
    site = make_site({"content/a/r.md": report_md(date="2021-03-01")})
    content, _ = load(site)
    assert content.reports[0].year == 2021
    assert not content.reports[0].has_disclosure


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-12-23", dt.datetime(2020, 12, 23, tzinfo=ZONE)),
        ("2020-12-23 09:30", dt.datetime(2020, 12, 23, 9, 30, tzinfo=ZONE)),
        ("2020/12/23", dt.datetime(2020, 12, 23, tzinfo=ZONE)),
        ("2020年12月23日", dt.datetime(2020, 12, 23, tzinfo=ZONE)),
        ("2020-12-23T09:30:00+00:00", dt.datetime(2020, 12, 23, 9, 30, tzinfo=dt.UTC)),
    ],
)
def test_dates_editors_write_are_understood(make_site, value, expected):
    site = make_site({"content/a/r.md": f"---\ntitle: 报告\ndate: '{value}'\n---\n"})
    content, diag = load(site)
    assert diag.ok
    assert content.reports[0].date == expected


def test_a_likely_typo_of_a_known_key_is_a_warning(make_site):
    site = make_site(
        {"content/a/r.md": "---\ntitle: 报告\ndate: 2020-12-23\nsoruce: 司法局\n---\n"}
    )
    content, diag = load(site)
    assert diag.ok
    (warning,) = diag.warnings
    assert warning.path == "content/a/r.md"
    assert warning.line == 4
    assert "soruce" in warning.message
    assert "did you mean 'source'" in warning.hint
    assert content.reports[0].extra == {"soruce": "司法局"}


def test_wrong_type_of_a_report_key_names_key_and_line(make_site):
    site = make_site(
        {
            "content/a/r.md": "---\ntitle: 报告\ndate: 2020-12-23\n\ndraft: 也许\nyear: 二〇二〇\n---\n"
        }
    )
    content, diag = load(site)
    assert content.reports == []
    found = {(p.line, p.message.split("'")[1]) for p in diag.errors}
    assert found == {(5, "draft"), (6, "year")}


def test_missing_title_and_date_are_both_reported(make_site):
    site = make_site({"content/a/r.md": "---\nsource: 司法局\n---\n正文\n"})
    content, diag = load(site)
    assert content.reports == []
    assert sorted(p.message for p in diag.errors) == ["'date' is missing", "'title' is missing"]


def test_unparseable_date_names_the_date_line(make_site):
    site = make_site({"content/a/r.md": "---\ntitle: 报告\n\ndate: 去年冬天\n---\n"})
    _content, diag = load(site)
    (problem,) = diag.errors
    assert problem.line == 4
    assert "去年冬天" in problem.message and "date" in problem.message
    assert "2020-12-23" in problem.hint


def test_a_non_ascii_slug_works_with_a_warning(make_site):
    site = make_site({"content/a/r.md": report_md(slug="法治报告")})
    content, diag = load(site)
    assert diag.ok
    assert content.reports[0].slug == "法治报告"
    (warning,) = diag.warnings
    assert "percent-encoded" in warning.message
    assert warning.line == 4


def test_a_non_ascii_file_name_is_a_non_ascii_slug(make_site):
    site = make_site({"content/a/年度报告.md": report_md()})
    content, diag = load(site)
    assert content.reports[0].slug == "年度报告"
    assert len(diag.warnings) == 1


@pytest.mark.parametrize("slug", ["../../evil", "a/b", "..", ".hidden", "a\\b"])
def test_a_slug_that_is_not_one_safe_segment_is_an_error(make_site, slug):
    site = make_site({"content/a/r.md": report_md(slug=slug)})
    content, diag = load(site)
    assert content.reports == []
    (problem,) = diag.errors
    assert problem.line == 4
    assert "slug" in problem.message


def test_attachments_point_into_the_content_folder(make_site):
    site = make_site(
        {
            "content/zcwj/r.md": report_md(
                attachments=[
                    {"title": "附件1 任务分工", "file": "files/a.csv"},
                    "files/b.pdf",
                    {"title": "外部链接", "file": "https://www.gov.cn/a.pdf"},
                ]
            ),
            "content/zcwj/files/a.csv": "a,b\n1,2\n",
            "content/zcwj/files/b.pdf": b"%PDF",
        }
    )
    content, diag = load(site)
    assert diag.ok
    a, b, c = content.reports[0].attachments
    assert (a.title, a.href, a.size) == ("附件1 任务分工", "/zcwj/files/a.csv", 8)
    assert (b.title, b.href) == ("b.pdf", "/zcwj/files/b.pdf")
    assert (c.href, c.size) == ("https://www.gov.cn/a.pdf", None)


@pytest.mark.parametrize(
    ("file", "message"),
    [("files/missing.pdf", "does not exist"), ("../../sitegen.yaml", "outside the content folder")],
)
def test_bad_attachments_are_errors(make_site, file, message):
    site = make_site(
        {"content/zcwj/r.md": report_md(attachments=[{"title": "附件", "file": file}])}
    )
    content, diag = load(site)
    assert content.reports == []
    (problem,) = diag.errors
    assert message in problem.message
    assert problem.line == 4


def test_every_bad_file_is_reported_in_one_pass(make_site):
    site = make_site(
        {
            "content/a/empty.md": "",
            "content/a/good.md": report_md(),
            "content/a/nodate.md": "---\ntitle: 报告\n---\n",
            "content/b/noclose.md": "---\ntitle: 报告\ndate: 2020-12-23\n",
        }
    )
    content, diag = load(site)
    assert [r.slug for r in content.reports] == ["good"]
    assert sorted(p.path for p in diag.errors) == [
        "content/a/empty.md",
        "content/a/nodate.md",
        "content/b/noclose.md",
    ]


def test_missing_content_folder_is_an_error(tmp_path):
    (tmp_path / "sitegen.yaml").write_text("title: T\n", encoding="utf-8")
    diag = Diagnostics()
    config = load_config(tmp_path, diag)
    load_content(config, diag)
    (problem,) = diag.errors
    assert problem.path == "content"
    assert "does not exist" in problem.message


def test_an_implausible_year_is_an_error_with_a_hint(make_site):
    site = make_site({"content/a/r.md": report_md(year=20)})
    content, diag = load(site)
    assert content.reports == []
    (problem,) = diag.errors
    assert (problem.line, problem.message) == (4, "'year' 20 is not a plausible year")
    assert "year: 2020" in problem.hint


def test_parsing_across_processes_gives_the_same_reports_and_problems_in_file_order(
    make_site, monkeypatch
):
    files = {"content/a/_index.md": column_md("甲栏目")}
    bad = 0
    for i in range(60):
        text = report_md(f"报告{i}", f"2020-01-{i % 28 + 1:02d}", tittle="拼错的键")
        if i % 17 == 5:
            text = "没有前置元数据\n"
        elif i % 13 == 7:
            text = report_md(f"报告{i}", "不是日期")
        bad += i % 17 == 5 or i % 13 == 7
        files[f"content/a/r{i:02d}.md"] = text
    site = make_site(files)
    serial, serial_diag = load(site)
    monkeypatch.setattr("generator.content.PARSE_MIN_PER_WORKER", 10)
    diag = Diagnostics()
    config = load_config(site, diag)
    assert config is not None
    forked = load_content(config, diag, workers=2)
    assert forked.reports == serial.reports
    assert len(forked.reports) == 60 - bad
    assert diag.errors == serial_diag.errors
    assert [p.path for p in diag.errors] == sorted(p.path for p in diag.errors)
    assert len(diag.errors) == bad
    assert diag.warnings == serial_diag.warnings
    assert len(diag.warnings) >= 60 - bad  # the misspelt key, once per report read
