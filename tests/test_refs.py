"""Cross-references ``[文件](ref:path.md)``: a link to another report by its file, which
follows its slug and the permalink pattern; a target that does not exist or is not
published is an error with file and line."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from sitegen_testkit import build_fails, build_into, column_md, messages, read_page, report_md

from generator.urls import output_file

SOURCE_URL = "/xwzx/2021/notice/"


def files(body: str, target_fields: dict | None = None) -> dict[str, str]:
    return {
        "content/xwzx/_index.md": column_md("新闻中心"),
        "content/xwzx/notice.md": report_md("通知", date="2021-03-01", body=body),
        "content/xwzx/gsgg/_index.md": column_md("公示公告"),
        "content/xwzx/gsgg/2020-report.md": report_md(
            "2020年度报告",
            date="2021-02-01",
            body="## 一、总体情况\n\n正文。\n",
            **(target_fields or {}),
        ),
    }


def linked_page(output: Path, href: str, page_url: str = SOURCE_URL) -> str:
    """The page a link of page_url leads to, as a site path."""
    return unquote(urljoin("https://h.example" + page_url, href)).removeprefix("https://h.example")


def body_links(output: Path, url: str = SOURCE_URL):
    return read_page(output, url).find(id="report-body").find_all("a")


def target_url(output: Path) -> str:
    """Where the target report's page was written (found by its title, not by its URL)."""
    for page in output.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if '<h1 class="report-title">2020年度报告</h1>' in text:
            return "/" + page.parent.relative_to(output).as_posix() + "/"
    raise AssertionError("no target page")


@pytest.mark.parametrize(
    "written",
    ["ref:xwzx/gsgg/2020-report.md", "ref:/xwzx/gsgg/2020-report.md", "ref:./gsgg/2020-report.md"],
)
def test_a_reference_links_to_the_report_page(make_site, tmp_path, written):
    site = make_site(files(f"见[年度报告]({written})。\n"))
    output = tmp_path / "out"
    build_into(site, output)
    (link,) = body_links(output)
    assert link.get_text() == "年度报告"
    assert linked_page(output, link["href"]) == target_url(output) == "/xwzx/gsgg/2021/2020-report/"


def test_a_reference_follows_slug_and_permalink(make_site, tmp_path):
    site = make_site(
        files("见[报告](ref:xwzx/gsgg/2020-report.md#一总体情况)。\n", {"slug": "fzzf-2020"}),
        config="title: 测试\nbase_url: https://h.example/\npermalink: /:section/:slug/\n",
    )
    output = tmp_path / "out"
    build_into(site, output)
    (link,) = body_links(output, "/xwzx/notice/")
    path, _, fragment = link["href"].partition("#")
    assert (
        linked_page(output, path, "/xwzx/notice/") == target_url(output) == "/xwzx/gsgg/fzzf-2020/"
    )
    target = read_page(output, target_url(output))
    assert target.find(id=unquote(fragment)) is not None


def test_a_reference_without_text_shows_the_title(make_site, tmp_path):
    site = make_site(files("见[](ref:xwzx/gsgg/2020-report.md)。\n"))
    output = tmp_path / "out"
    build_into(site, output)
    assert [a.get_text() for a in body_links(output)] == ["2020年度报告"]


def test_references_work_from_the_file_system(make_site, tmp_path):
    site = make_site(files("见[报告](ref:xwzx/gsgg/2020-report.md)。\n"))
    output = tmp_path / "out"
    build_into(site, output, relative=True)
    (link,) = body_links(output)
    page_file = output / output_file(SOURCE_URL)
    assert (page_file.parent / unquote(link["href"])).resolve() == (
        output / output_file(target_url(output))
    ).resolve()


def test_a_missing_target_is_an_error_with_file_and_line(make_site, tmp_path):
    site = make_site(files("第一段。\n\n见[报告](ref:xwzx/gsgg/2020-reprot.md)。\n"))
    problems = build_fails(site, tmp_path / "out")
    assert messages(problems) == [
        "content/xwzx/notice.md:8: cross-reference ref:xwzx/gsgg/2020-reprot.md: "
        "content/xwzx/gsgg/2020-reprot.md does not exist (did you mean ref:xwzx/gsgg/2020-report.md?)"
    ]


def test_a_draft_target_is_an_error(make_site, tmp_path):
    site = make_site(files("见[报告](ref:xwzx/gsgg/2020-report.md)。\n", {"draft": True}))
    problems = build_fails(site, tmp_path / "out")
    assert [(p.path, p.line, p.message) for p in problems] == [
        (
            "content/xwzx/notice.md",
            6,
            "cross-reference ref:xwzx/gsgg/2020-report.md: content/xwzx/gsgg/2020-report.md "
            "is a draft, not published",
        )
    ]
    build_into(site, tmp_path / "drafts", drafts=True)  # published with --drafts: no error


def test_a_target_that_is_no_report_is_an_error(make_site, tmp_path):
    f = files("见[附件](ref:xwzx/files/a.pdf)。\n")
    f["content/xwzx/files/a.pdf"] = "%PDF-1.4"
    problems = build_fails(make_site(f), tmp_path / "out")
    assert [p.message for p in problems] == [
        "cross-reference ref:xwzx/files/a.pdf: content/xwzx/files/a.pdf is not a report"
    ]


def test_a_reference_outside_content_is_an_error(make_site, tmp_path):
    problems = build_fails(make_site(files("[x](ref:../../sitegen.yaml)\n")), tmp_path / "out")
    assert [p.message for p in problems] == [
        "cross-reference ref:../../sitegen.yaml leads outside the content folder"
    ]


def test_a_renamed_target_is_found_by_a_cached_build(make_site, tmp_path):
    site = make_site(files("见[报告](ref:xwzx/gsgg/2020-report.md)。\n"))
    output = tmp_path / "out"
    build_into(site, output)
    target = site / "content/xwzx/gsgg/2020-report.md"
    target.rename(target.with_name("2020-annual.md"))
    problems = build_fails(site, output)
    assert [p.line for p in problems] == [6]


def test_a_new_slug_of_the_target_re_renders_the_linking_page(make_site, tmp_path):
    site = make_site(files("见[报告](ref:xwzx/gsgg/2020-report.md)。\n"))
    output = tmp_path / "out"
    build_into(site, output)
    target = site / "content/xwzx/gsgg/2020-report.md"
    target.write_text(target.read_text("utf-8").replace("title:", "slug: renamed\ntitle:"), "utf-8")
    build_into(site, output)
    (link,) = body_links(output)
    assert linked_page(output, link["href"]) == target_url(output) == "/xwzx/gsgg/2021/renamed/"


def test_a_reference_in_code_is_left_alone(make_site, tmp_path):
    site = make_site(files("```\n[x](ref:nowhere.md)\n```\n"))
    build_into(site, tmp_path / "out")


def test_syntax_in_inline_code_is_left_alone(make_site, tmp_path):
    site = make_site(files("写法：`[x](ref:nowhere.md)` 与 `![图](none.png)`。\n"))
    build_into(site, tmp_path / "out")
