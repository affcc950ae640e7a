"""`sitegen import`: Word documents in, reports out; the built page read back.

The Word files are made with python-docx (tests/docx_samples.py) in the shape of real
government documents; each is imported with the CLI, the site is built, and the page is
compared with what the document says.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml
from docx_samples import (
    CC,
    DOC_NO,
    FOOTNOTE_TEXT,
    IMAGE_ALT,
    RECIPIENT,
    SIGNATURE,
    TITLE,
    notice,
    plain_report,
    png_bytes,
)
from sitegen_testkit import build_into, column_md, read_page, run_cli, write_site

from generator.importer.cleaning import clean
from generator.importer.model import Para, atoms_of
from generator.importer.numbering import Numbering
from generator.importer.official import normalise_doc_no, parse_date
from generator.urls import output_file

NOTICE_URL = "/gsgg/2021/notice/"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {"content/gsgg/_index.md": column_md("公示公告")})


def front(report: Path) -> dict:
    text = report.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def built_notice(site: Path, tmp_path: Path):
    docx_file = notice(tmp_path / "notice.docx")
    result = run_cli("import", docx_file, "--to", "gsgg", "--source", site)
    assert result.exit_code == 0, result.output
    output = tmp_path / "out"
    build_into(site, output)
    return result, output, read_page(output, NOTICE_URL)


def test_notice_front_matter(site: Path, tmp_path: Path) -> None:
    result, _, _ = built_notice(site, tmp_path)
    fields = front(site / "content/gsgg/notice.md")
    assert fields == {
        "title": TITLE,
        "date": dt.date(2021, 3, 5),
        "source": SIGNATURE,
        "doc_no": DOC_NO,  # written 灌政发[2021]12号 in the file
        "publisher": SIGNATURE,
        "written_date": dt.date(2021, 3, 5),  # 二〇二一年三月五日
        "recipient": RECIPIENT,
    }
    out = result.output
    for expected in (
        f"title: {TITLE}",
        f"文号 doc_no: {DOC_NO}",
        f"主送机关 recipient: {RECIPIENT}",
        "headings: 6 (## 3, ### 1, #### 1, ##### 1)",
        "run-in leads (一是…) in bold: 2",
        "attachments: 2",
        f"signature: {SIGNATURE}",
        "成文日期 written_date: 2021-03-05 (二〇二一年三月五日)",
        "版记: " + CC,
        "tables: 2 (1 with merged cells, as HTML)",
        "images: 1",
        "footnotes: 1",
        "not mapped: attachment files",
    ):
        assert expected in out, (expected, out)


def test_notice_page(site: Path, tmp_path: Path) -> None:
    _, _, page = built_notice(site, tmp_path)
    assert page.find("h1").get_text(strip=True) == TITLE
    disclosure = {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in page.select("table.disclosure th")
    }
    assert disclosure["文号"] == DOC_NO
    assert disclosure["成文日期"] == "2021-03-05"
    assert disclosure["发布机构"] == SIGNATURE
    body = page.find(id="report-body")
    headings = [(h.name, h.get_text(strip=True)) for h in body.find_all(["h2", "h3", "h4", "h5"])]
    assert headings == [
        ("h2", "一、总体要求"),
        ("h2", "二、主要任务"),
        ("h3", "（一）深化“放管服”改革"),
        ("h4", "1.推进“一网通办”"),
        ("h5", "（1）全面梳理政务服务事项"),
        ("h2", "三、保障措施"),
    ]
    leads = [p for p in body.find_all("p") if p.strong and p.contents[0] is p.strong]
    assert [p.strong.get_text() for p in leads] == [
        "一是深化行政审批制度改革。",
        "二是优化营商环境。",
    ]
    # the soft line break inside the first lead's paragraph is gone
    assert (
        leads[0].get_text() == "一是深化行政审批制度改革。坚持“非必要不审批”，全面推行告知承诺制。"
    )
    # a long numbered paragraph of body text stays a paragraph, its number kept as text
    assert any(p.get_text().startswith("2.各部门要按照职责分工") for p in body.find_all("p"))
    assert body.find("p", class_="recipient").get_text() == RECIPIENT + "："
    assert [p.get_text() for p in body.find_all("p", class_="signature")] == [SIGNATURE]
    assert body.find("p", class_="signing-date").get_text() == "二〇二一年三月五日"
    texts = [p.get_text() for p in body.find_all("p")]
    assert CC in texts and "灌南县人民政府办公室 2021年3月5日印发" in texts
    assert texts[0] != "" and not any(t != t.strip() or "\u3000" in t for t in texts)
    link = body.find("a", href="https://www.example.gov.cn/yshj/")
    assert link is not None and link.get_text() == "营商环境专栏"
    assert [li.get_text() for li in body.select("ul li")] == ["加强组织领导", "强化督查考核"]
    attachments = body.find("p", string="附件：").find_next_sibling("ol")
    assert [li.get_text() for li in attachments.find_all("li")] == [
        "灌南县2021年法治政府建设工作要点",
        "重点任务分工表",
    ]
    footnote = body.select_one("div.footnote li")
    assert FOOTNOTE_TEXT in footnote.get_text()
    assert body.select_one("sup a.footnote-ref")["href"] == "#" + footnote["id"]


def test_notice_tables(site: Path, tmp_path: Path) -> None:
    _, _, page = built_notice(site, tmp_path)
    merged, simple = page.find(id="report-body").find_all("table")
    head = merged.find("thead").find_all("th")
    assert [(th.get_text(), th.get("colspan"), th["scope"]) for th in head] == [
        ("任务分工", "2", "colgroup"),
        ("完成时限", None, "col"),
    ]
    rows = [
        [(td.get_text(), td.get("rowspan")) for td in tr.find_all("td")]
        for tr in merged.tbody.find_all("tr")
    ]
    assert rows == [
        [("县司法局", "2"), ("行政复议", None), ("6月底", None)],
        [("法治宣传", None), ("12月底", None)],
    ]
    assert [th.get_text() for th in simple.find_all("th")] == ["指标", "目标值"]
    assert [td.get_text() for td in simple.find_all("td")] == ["行政复议纠错率|占比", "≥10%"]
    assert all(t.parent.get("role") == "region" for t in (merged, simple))


def test_notice_image_extracted(site: Path, tmp_path: Path) -> None:
    _, output, page = built_notice(site, tmp_path)
    image = site / "content/gsgg/notice-images/image1.png"
    assert image.read_bytes() == png_bytes()
    img = page.find(id="report-body").find("img")
    assert img["alt"] == IMAGE_ALT
    # The Markdown links the image relative to the report file (the page, where it resolves:
    # test_notice_image_src_resolves).
    assert "](notice-images/image1.png)" in (site / "content/gsgg/notice.md").read_text("utf-8")
    assert (output / "gsgg/notice-images/image1.png").read_bytes() == png_bytes()


def test_notice_image_src_resolves(site: Path, tmp_path: Path) -> None:
    _, output, page = built_notice(site, tmp_path)
    src = page.find(id="report-body").find("img")["src"]
    target = unquote(urljoin(NOTICE_URL, src))
    assert (output / output_file(target)).read_bytes() == png_bytes()


def test_plain_report(site: Path, tmp_path: Path) -> None:
    source = plain_report(tmp_path / "summary-2020.docx")
    result = run_cli("import", source, "--to", "gsgg", "--source", site, "--date", "2021-01-15")
    assert result.exit_code == 0, result.output
    report = site / "content/gsgg/summary-2020.md"
    assert front(report) == {"title": "灌南县司法局2020年度工作总结", "date": dt.date(2021, 1, 15)}
    assert "文号 doc_no: not found" in result.output
    assert "date: 2021-01-15 (from --date)" in result.output
    output = tmp_path / "out"
    build_into(site, output)
    page = read_page(output, "/gsgg/2021/summary-2020/")
    assert page.find("h1").get_text() == "灌南县司法局2020年度工作总结"
    assert page.find("table", class_="disclosure") is None
    body = page.find(id="report-body")
    assert [p.get_text() for p in body.find_all("p")] == [
        "2020年，县司法局在县委、县政府的坚强领导下，各项工作取得新成效。",
        "全年共办理法律援助案件356件，**挽回**经济损失1200万元。",  # typed asterisks stay text
    ]
    assert body.find(["h2", "strong"]) is None


def test_never_overwrites_without_force(site: Path, tmp_path: Path) -> None:
    source = notice(tmp_path / "notice.docx")
    assert run_cli("import", source, "--to", "gsgg", "--source", site).exit_code == 0
    report = site / "content/gsgg/notice.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n编辑改过的内容。\n", encoding="utf-8")
    edited = report.read_bytes()
    again = run_cli("import", source, "--to", "gsgg", "--source", site)
    assert again.exit_code == 1
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert report.read_bytes() == edited
    forced = run_cli("import", source, "--to", "gsgg", "--source", site, "--force")
    assert forced.exit_code == 0, forced.output
    assert "编辑改过的内容" not in report.read_text(encoding="utf-8")
    assert front(report)["doc_no"] == DOC_NO


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_batch_goes_on_after_bad_files(site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a-old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "b-locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "c-damaged.docx").write_bytes(notice(tmp_path / "n.docx").read_bytes()[:3000])
    (folder / "d-text.docx").write_text("这不是Word文件", encoding="utf-8")
    (folder / "e-zip.docx").write_bytes(_zip({"readme.txt": b"x"}))
    (folder / "~$notice.docx").write_bytes(b"lock")  # Word's lock file: not a document
    notice(folder / "f-notice.docx")
    plain_report(folder / "g-summary.docx")
    result = run_cli("import", folder, "--to", "gsgg", "--source", site, "--date", "2021-03-08")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [line.split(": ")[1].rsplit("/", 1)[-1] for line in errors] == [
        "a-old.doc",
        "b-locked.docx",
        "c-damaged.docx",
        "d-text.docx",
        "e-zip.docx",
    ]
    assert all(
        "save it as .docx" in e and "libreoffice --headless --convert-to docx" in e for e in errors
    )
    assert "password-protected" in errors[1] and ".doc" in errors[0]
    assert (
        "damaged" in errors[2]
        and "not a Word .docx" in errors[3]
        and "not a Word document" in errors[4]
    )
    assert "imported 2 of 7 file(s); 5 failed" in result.output
    made = sorted(p.name for p in (site / "content/gsgg").glob("*.md"))
    assert made == ["_index.md", "f-notice.md", "g-summary.md"]
    build_into(site, tmp_path / "out")  # what was imported builds


def test_column_must_exist(site: Path, tmp_path: Path) -> None:
    source = plain_report(tmp_path / "x.docx")
    result = run_cli("import", source, "--to", "zwgk/zcwj", "--source", site)
    assert result.exit_code == 1
    assert "column 'zwgk/zcwj' does not exist" in result.stderr
    assert "content/zwgk/zcwj/_index.md" in result.stderr
    assert not (site / "content/zwgk").exists()
    no_site = run_cli("import", source, "--to", "gsgg", "--source", tmp_path)
    assert no_site.exit_code == 1 and "--source" in no_site.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("灌政发〔2021〕12号", "灌政发〔2021〕12号"),
        ("灌政发[2021]12号", "灌政发〔2021〕12号"),
        ("灌政发【2021】12号", "灌政发〔2021〕12号"),
        ("灌政办发（2021） 3号", "灌政办发〔2021〕3号"),
        ("灌司(2020)第7号", "灌司〔2020〕7号"),
        ("2021年3月5日", None),
        ("现将有关事项通知如下", None),
    ],
)
def test_doc_no(text: str, expected: str | None) -> None:
    assert normalise_doc_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年3月5日", dt.date(2021, 3, 5)),
        ("2021年 12月 31日", dt.date(2021, 12, 31)),
        ("二〇二一年三月五日", dt.date(2021, 3, 5)),
        ("二〇二〇年十二月二十三日", dt.date(2020, 12, 23)),
        ("二○一九年十月三十一日", dt.date(2019, 10, 31)),
        ("2021年2月30日", None),
        ("三月五日", None),
    ],
)
def test_dates(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u3000\u3000正文内容。 ", "正文内容。"),
        ("通\u3000\u3000知", "通知"),
        ("保存为 Word 文档", "保存为 Word 文档"),
        ("办公室\u3000\u30002021年3月5日印发", "办公室 2021年3月5日印发"),
        ("第一行\n第二行", "第一行第二行"),
        ("１２３ＡＢ", "123AB"),
    ],
)
def test_cleaning(raw: str, expected: str) -> None:
    assert clean(Para(atoms_of(raw))).plain == expected


NUMBERING_XML = b"""<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1\xe3\x80\x81"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="\xef\xbc\x88%2\xef\xbc\x89"/></w:lvl>
</w:abstractNum>
<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""


def test_automatic_numbering_labels() -> None:
    numbering = Numbering.from_xml(NUMBERING_XML)
    labels = [numbering.label("5", level)[0] for level in (0, 1, 1, 0, 1)]
    assert labels == ["一、", "（一）", "（二）", "二、", "（一）"]
    assert numbering.label("9", 0) == ("", "")


def test_word_heading_styles_without_numbers(site: Path, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("2023年度工作报告", 0)  # Word's Title style
    d.add_heading("工作回顾", 1)
    d.add_paragraph("全年完成各项任务。")
    d.add_heading("主要做法", 2)
    d.add_paragraph("一、加强队伍建设", style="Heading 1")  # the number decides the level
    d.save(tmp_path / "styled.docx")
    result = run_cli(
        "import", tmp_path / "styled.docx", "--to", "gsgg", "--source", site, "--date", "2024-01-05"
    )
    assert result.exit_code == 0, result.output
    output = tmp_path / "out"
    build_into(site, output)
    page = read_page(output, "/gsgg/2024/styled/")
    assert page.find("h1").get_text() == "2023年度工作报告"
    body = page.find(id="report-body")
    assert [(h.name, h.get_text()) for h in body.find_all(["h2", "h3"])] == [
        ("h2", "工作回顾"),
        ("h3", "主要做法"),
        ("h2", "一、加强队伍建设"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.加强组织领导。", "#### 1.加强组织领导。"),
        ("（2）建立工作台账", "##### （2）建立工作台账"),
        ("三、 下一步工作打算", "## 三、下一步工作打算"),
        (
            "1.加强组织领导。各乡镇要成立领导小组，明确责任分工。",
            "**1.加强组织领导。**各乡镇要成立领导小组，明确责任分工。",
        ),
        ("1.5亿元用于基础设施建设。", "1.5亿元用于基础设施建设。"),
        ("一是压实责任；二是强化督查。", "**一是压实责任；**二是强化督查。"),
    ],
)
def test_heading_rule(text: str, expected: str) -> None:
    from generator.importer.markdown_out import Writer
    from generator.importer.model import WordDocument
    from generator.importer.recognise import recognise

    document = WordDocument(blocks=[Para(atoms_of("标题")), Para(atoms_of(text))])
    found = recognise(document)
    assert found.title == "标题"
    assert Writer("x-images", {}).item(found.items[0], 1) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. 不是列表的长段落，而是正文的一部分，按原样保留。", "1\\. 不是列表"),
        ("# 号开头", "\\# 号开头"),
    ],
)
def test_paragraph_start_escaped(text: str, expected: str) -> None:
    from generator.importer.markdown_out import Writer

    assert Writer("x-images", {}).paragraph(Para(atoms_of(text))).startswith(expected)


def _docx(path: Path, lines: list[tuple[str, dict]]) -> Path:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    for text, fmt in lines:
        para = d.add_paragraph(style=fmt.get("style"))
        para.add_run(text).font.size = Pt(fmt.get("size", 16))
        para.alignment = fmt.get("align")
    d.save(path)
    return path


def test_masthead_without_wenjian_then_doc_no_then_title(site: Path, tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = {"align": WD_ALIGN_PARAGRAPH.CENTER}
    source = _docx(
        tmp_path / "reply.docx",
        [
            ("灌南县人民政府", {**center, "size": 36}),
            ("灌政复（2021）3号", {**center}),
            ("关于同意设立灌南县公共法律服务中心的批复", {**center, "size": 22}),
            ("县司法局：", {}),
            ("你局《关于设立公共法律服务中心的请示》收悉。经研究，同意设立。", {}),
            ("灌南县人民政府", {"align": WD_ALIGN_PARAGRAPH.RIGHT}),
            ("2021年4月2日", {"align": WD_ALIGN_PARAGRAPH.RIGHT}),
        ],
    )
    result = run_cli("import", source, "--to", "gsgg", "--source", site)
    assert result.exit_code == 0, result.output
    assert front(site / "content/gsgg/reply.md") == {
        "title": "关于同意设立灌南县公共法律服务中心的批复",
        "date": dt.date(2021, 4, 2),
        "source": "灌南县人民政府",
        "doc_no": "灌政复〔2021〕3号",
        "publisher": "灌南县人民政府",
        "written_date": dt.date(2021, 4, 2),
        "recipient": "县司法局",
    }
    assert "发文机关标志: 灌南县人民政府" in result.output


def test_numbered_heading_first_is_not_the_title(site: Path, tmp_path: Path) -> None:
    source = _docx(
        tmp_path / "points.docx",
        [("一、总体要求", {"style": "Heading 1"}), ("坚持依法行政，建设法治政府。", {})],
    )
    result = run_cli("import", source, "--to", "gsgg", "--source", site, "--date", "2021-05-01")
    assert result.exit_code == 0, result.output
    assert front(site / "content/gsgg/points.md")["title"] == "points"
    assert "## 一、总体要求" in (site / "content/gsgg/points.md").read_text(encoding="utf-8")
    assert "title: points (not found: the file name)" in result.output


def test_help_has_an_example() -> None:
    result = run_cli("import", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "sitegen import" in result.output


def test_signature_and_date_in_one_paragraph_with_a_soft_break() -> None:
    from generator.importer.model import WordDocument
    from generator.importer.recognise import recognise

    ending = Para(
        atoms_of("\u3000\u3000灌南县司法局\n\u3000\u3000二〇二〇年十二月二十三日"), align="right"
    )
    body = Para(atoms_of("现将有关事项通知如下，请遵照执行。"))
    found = recognise(WordDocument(blocks=[Para(atoms_of("关于某事项的通知")), body, ending]))
    assert [p.plain for p in found.signature] == ["灌南县司法局"]
    assert found.written_date == dt.date(2020, 12, 23)
    assert [i.para.plain for i in found.items] == ["现将有关事项通知如下，请遵照执行。"]
