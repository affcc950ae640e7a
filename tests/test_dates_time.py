"""发布时间 with the time of day when the front matter gives one, on the report page and in
feeds; automatic summaries and descriptions without the addressee, signature and date."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest
from sitegen_testkit import build_into, column_md, meta, read_page, report_md

from generator.body_parts import message_text

ATOM = "{http://www.w3.org/2005/Atom}"


def build(make_site, tmp_path, date: str, body: str = "正文内容。\n", **fields):
    files = {
        "content/gsgg/_index.md": column_md("公示公告"),
        "content/gsgg/notice.md": report_md("通知", date=date, body=body, **fields),
    }
    output = tmp_path / "out"
    build_into(make_site(files), output)
    return output


@pytest.mark.parametrize(
    "written, shown, iso",
    [
        ("2021-03-18 10:00", "2021-03-18 10:00", "2021-03-18T10:00:00+08:00"),
        ("2021-03-18T09:05:30", "2021-03-18 09:05", "2021-03-18T09:05:30+08:00"),
        ("2021年03月18日 14:30", "2021-03-18 14:30", "2021-03-18T14:30:00+08:00"),
        ("2021-03-18", "2021-03-18", "2021-03-18T00:00:00+08:00"),
        ("2021年3月18日", "2021-03-18", "2021-03-18T00:00:00+08:00"),
    ],
)
def test_published_time_on_the_page_and_in_the_feed(make_site, tmp_path, written, shown, iso):
    output = build(make_site, tmp_path, written, index_no="X/2021-1")
    page = read_page(output, "/gsgg/2021/notice/")
    time = page.find(class_="report-meta").find("time")
    assert time.get_text() == shown
    assert dt.datetime.fromisoformat(time["datetime"]) == dt.datetime.fromisoformat(iso)
    cells = {
        th.get_text(): th.find_next_sibling("td").get_text()
        for th in page.select("table.disclosure th")
    }
    assert cells["发布日期"] == shown
    assert meta(page, "PubDate") == iso[:16].replace("T", " ")
    feed = ElementTree.parse(output / "gsgg/feed.xml").getroot()
    (entry,) = feed.iter(f"{ATOM}entry")
    published = dt.datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    assert published == dt.datetime.fromisoformat(iso)


NOTICE = """连云港市人民政府：

现将我县2020年法治政府建设情况报告如下。

## 一、主要举措

全年办理行政复议案件56件。

灌南县人民政府

2021年3月5日
"""

IMPORTED = """各乡镇人民政府，县各委、办、局：
{: .recipient }

请认真贯彻执行。

灌南县人民政府办公室
{: .signature }

二〇二一年三月五日
{: .signing-date }
"""


def test_the_summary_skips_addressee_signature_and_date(make_site, tmp_path):
    output = build(make_site, tmp_path, "2021-03-18", NOTICE)
    page = read_page(output, "/gsgg/2021/notice/")
    description = meta(page, "Description")
    assert description == "现将我县2020年法治政府建设情况报告如下。 全年办理行政复议案件56件。"
    feed = ElementTree.parse(output / "gsgg/feed.xml").getroot()
    (entry,) = feed.iter(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary").text == description
    listed = read_page(output, "/gsgg/").get_text()
    assert "连云港市人民政府：" not in listed and "2021年3月5日" not in listed


@pytest.mark.parametrize(
    "body, kept",
    [
        (
            NOTICE,
            "现将我县2020年法治政府建设情况报告如下。\n\n## 一、主要举措\n\n全年办理行政复议案件56件。",
        ),
        (IMPORTED, "请认真贯彻执行。"),
        # One block: signature lines and the date, as typed with line breaks.
        ("正文。\n\n灌南县司法局\n灌南县财政局\n2021年3月5日\n", "正文。"),
        # A last paragraph that says something is no signature.
        ("正文。\n\n本通知自2021年3月5日起施行。\n", "正文。\n\n本通知自2021年3月5日起施行。"),
        # A first line ending in '：' that is a long sentence is kept.
        (
            "根据" + "某" * 70 + "的规定，现通知如下：\n\n一、…\n",
            "根据" + "某" * 70 + "的规定，现通知如下：\n\n一、…",
        ),
        ("", ""),
    ],
)
def test_message_text(body, kept):
    assert message_text(body) == kept


def test_a_given_summary_is_kept(make_site, tmp_path):
    output = build(make_site, tmp_path, "2021-03-18", NOTICE, summary="一句话摘要。")
    assert meta(read_page(output, "/gsgg/2021/notice/"), "Description") == "一句话摘要。"
