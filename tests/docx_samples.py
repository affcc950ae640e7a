"""Word files shaped like real government documents, made with python-docx for the tests.

A 通知 with 发文机关标志, 文号, a two-line title, 主送机关, four heading levels, 一是 leads,
a table with merged cells, a simple one, a footnote (python-docx cannot make one: the
footnotes part is written by hand), a hyperlink, a described image, a bullet list, 附件
lines, signature, 成文日期 in 〇 digits and 版记; and a report with none of that.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTE_TEXT = "数据来源：县统计局2020年统计公报。"
FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {FOOTNOTE_TEXT}</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""

TITLE = "关于印发灌南县2021年法治政府建设工作要点的通知"
DOC_NO = "灌政发〔2021〕12号"
RECIPIENT = "各乡镇人民政府，县各委办局，县各直属单位"
IMAGE_ALT = "县政府大楼"
SIGNATURE = "灌南县人民政府"
CC = "抄送：县委办公室，县人大常委会办公室，县政协办公室。"


def paragraph(document, text: str = "", *, align=None, size: float | None = None, bold=None):
    para = document.add_paragraph()
    if text:
        run = para.add_run(text)
        if size:
            run.font.size = Pt(size)
        if bold is not None:
            run.bold = bold
    if align is not None:
        para.alignment = align
    return para


def add_hyperlink(para, url: str, text: str) -> None:
    rid = para.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    para._p.append(link)


def add_footnote(document, para) -> None:
    part = Part(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        FOOTNOTES_XML.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    run = OxmlElement("w:r")
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    run.append(ref)
    para._p.append(run)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (164, 22, 26)).save(buffer, "PNG")
    return buffer.getvalue()


def notice(path: Path) -> Path:
    """A 通知 as county governments send it (GB/T 9704 layout, no heading styles)."""
    d = docx.Document()
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    paragraph(d, "灌南县人民政府文件", align=center, size=36)
    paragraph(d)
    paragraph(d, "灌政发[2021]12号", align=center, size=16)
    paragraph(d, "关于印发灌南县2021年法治政府", align=center, size=22)
    paragraph(d, "建设工作要点的通知", align=center, size=22)
    paragraph(d, "")
    paragraph(d, RECIPIENT + "：", size=16)
    paragraph(
        d,
        "\u3000\u3000现将《灌南县2021年法治政府建设工作要点》印发给你们，请认真贯彻执行。 ",
        size=16,
    )
    paragraph(d, "一、总体要求", size=16)
    intro = paragraph(
        d, "\u3000\u3000坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。", size=16
    )
    add_footnote(d, intro)
    paragraph(d, "二、主要任务", size=16)
    paragraph(d, "（一）深化“放管服”改革", size=16)
    para = paragraph(d, "一是深化行政审批制度改革。坚持“非必要不审批”，", size=16)
    para.add_run("\n").font.size = Pt(16)  # a soft line break inside the paragraph
    para.add_run("全面推行告知承诺制。").font.size = Pt(16)
    paragraph(d, "二是优化营商环境。落实《优化营商环境条例》，详见", size=16)
    add_hyperlink(d.paragraphs[-1], "https://www.example.gov.cn/yshj/", "营商环境专栏")
    paragraph(d, "1．推进“一网通办”", size=16)
    paragraph(d, "（1）全面梳理政务服务事项", size=16)
    paragraph(
        d,
        "2.各部门要按照职责分工，认真落实各项工作任务，确保各项措施落到实处，取得实效，"
        "并于每季度末将工作进展情况报送县司法局，全年工作总结于12月底前报送。",
        size=16,
    )
    paragraph(d, "三、保障措施", size=16)
    d.add_paragraph("加强组织领导", style="List Bullet")
    d.add_paragraph("强化督查考核", style="List Bullet")
    merged = d.add_table(rows=3, cols=3)
    merged.style = "Table Grid"
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "任务分工"
    merged.cell(0, 2).text = "完成时限"
    merged.cell(1, 0).merge(merged.cell(2, 0)).text = "县司法局"
    merged.cell(1, 1).text = "行政复议"
    merged.cell(1, 2).text = "6月底"
    merged.cell(2, 1).text = "法治宣传"
    merged.cell(2, 2).text = "12月底"
    simple = d.add_table(rows=2, cols=2)
    simple.cell(0, 0).text = "指标"
    simple.cell(0, 1).text = "目标值"
    simple.cell(1, 0).text = "行政复议纠错率|占比"
    simple.cell(1, 1).text = "≥10%"
    d.add_picture(io.BytesIO(png_bytes()))
    d.inline_shapes[-1]._inline.docPr.set("descr", IMAGE_ALT)
    paragraph(d, "附件：1．灌南县2021年法治政府建设工作要点", size=16)
    paragraph(d, "\u3000\u3000\u30002．重点任务分工表", size=16)
    paragraph(d, "\u3000" * 12 + SIGNATURE, align=right, size=16)
    paragraph(d, "二〇二一年三月五日", align=right, size=16)
    paragraph(d, "（此件公开发布）", size=16)
    paragraph(d, CC, size=14)
    paragraph(d, "灌南县人民政府办公室\u3000\u3000\u3000\u30002021年3月5日印发", size=14)
    d.save(path)
    return path


def plain_report(path: Path) -> Path:
    """A report as staff write it: a left-aligned title line and paragraphs, nothing else."""
    d = docx.Document()
    d.add_paragraph("灌南县司法局2020年度工作总结")
    d.add_paragraph("2020年，县司法局在县委、县政府的坚强领导下，各项工作取得新成效。")
    d.add_paragraph("")
    d.add_paragraph("全年共办理法律援助案件356件，**挽回**经济损失1200万元。")
    d.save(path)
    return path
