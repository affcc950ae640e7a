"""Markdown bodies: tables, footnotes, attribute lists, TOC and Chinese heading ids."""

from __future__ import annotations

import random

import markdown
import pytest
from bs4 import BeautifulSoup
from markdown.extensions import Extension
from sitegen_testkit import build_into, column_md, read_page, report_md, write_site

from generator.markdown_ext import MarkdownRenderer
from generator.md_links import make_links_linear


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def html(renderer: MarkdownRenderer, text: str) -> BeautifulSoup:
    return BeautifulSoup(renderer.render(text).html, "html.parser")


TABLE = """\
| 项目 | 2019年 | 2020年 |
|---|---:|---:|
| 行政复议案件 | 12 | 18 |
| 行政诉讼案件 | 25 | 29 |
"""


def test_tables_get_header_scopes_and_a_scrolling_wrapper(renderer):
    soup = html(renderer, TABLE)
    wrap = soup.select_one("div.table-wrap")
    assert wrap is not None
    assert wrap["role"] == "region" and wrap["tabindex"] == "0" and wrap["aria-label"]
    table = wrap.find("table")
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col", "col"]
    assert [td.get_text() for td in table.select("tbody tr:nth-of-type(2) td")] == [
        "行政诉讼案件",
        "25",
        "29",
    ]


def test_raw_html_tables_are_left_as_written(renderer):
    soup = html(
        renderer, "<table>\n<tbody>\n<tr><th>合计</th><td>47</td></tr>\n</tbody>\n</table>\n"
    )
    assert soup.find("th").get("scope") is None
    assert soup.select_one(".table-wrap") is None


def test_footnotes(renderer):
    soup = html(renderer, "依据条例[^1]制定。\n\n[^1]: 《中华人民共和国政府信息公开条例》\n")
    ref = soup.select_one("sup a.footnote-ref")
    assert ref["href"] == "#fn:1"
    note = soup.select_one("div.footnote li#fn\\:1")
    assert "政府信息公开条例" in note.get_text()
    assert note.select_one("a.footnote-backref")["href"] == "#fnref:1"


def test_attribute_lists(renderer):
    soup = html(renderer, "## 附件说明 {#fujian .note}\n\n重要段落\n{: .lead }\n")
    heading = soup.find("h2")
    assert heading["id"] == "fujian"
    assert heading["class"] == ["note"]
    assert soup.find("p")["class"] == ["lead"]


def test_heading_ids_keep_chinese_text(renderer):
    soup = html(renderer, "## 一、法治政府建设的主要举措和成效\n\n### （一）依法全面履行政府职能\n")
    assert soup.find("h2")["id"] == "一法治政府建设的主要举措和成效"
    assert soup.find("h3")["id"] == "一依法全面履行政府职能"


def test_heading_ids_are_unique_with_dash_numbers_never_underscores(renderer):
    text = "## 一、工作情况\n\n## 一、工作情况\n\n### 一、工作情况\n\n## 存在问题\n\n## 存在问题\n"
    soup = html(renderer, text)
    ids = [h["id"] for h in soup.find_all(["h2", "h3"])]
    assert ids == ["一工作情况", "一工作情况-2", "一工作情况-3", "存在问题", "存在问题-2"]
    assert not any("_" in i for i in ids)


def test_an_author_id_is_not_taken_by_a_generated_one(renderer):
    soup = html(renderer, "## 总结\n\n## 其他 {#总结}\n")
    ids = [h["id"] for h in soup.find_all("h2")]
    assert len(set(ids)) == 2
    assert "总结" in ids and "总结-2" in ids


def test_ids_start_fresh_for_each_document(renderer):
    renderer.render("## 总结\n")
    assert html(renderer, "## 总结\n").find("h2")["id"] == "总结"


def test_toc_lists_headings_with_their_ids(renderer):
    rendered = renderer.render("## 一、总体\n\n### （一）细项\n\n## 二、问题\n")
    assert rendered.headings == 3
    assert [(t["id"], t["level"]) for t in rendered.toc] == [("一总体", 2), ("二问题", 2)]
    assert rendered.toc[0]["children"][0]["id"] == "一细项"


def test_bold_run_in_lead_stays_inside_its_paragraph(renderer):
    soup = html(renderer, "**一是深化行政审批制度改革。**坚持改革目标，提升服务效能。\n")
    (paragraph,) = soup.find_all("p")
    strong = paragraph.find("strong")
    assert strong.get_text() == "一是深化行政审批制度改革。"
    assert paragraph.get_text() == "一是深化行政审批制度改革。坚持改革目标，提升服务效能。"
    assert paragraph.contents[0] is strong


def test_raw_html_in_the_body_is_kept(renderer):
    soup = html(renderer, '正文\n\n<div class="notice"><b>请注意</b></div>\n')
    assert soup.select_one("div.notice b").get_text() == "请注意"


def long_report(headings: int) -> str:
    body = "".join(f"## 第{n}部分\n\n内容{n}。\n\n" for n in range(1, headings + 1))
    return report_md("长报告", body=body)


def test_report_page_shows_a_toc_only_for_long_reports(make_site, tmp_path):
    site = make_site(
        {
            "content/a/long.md": long_report(4),
            "content/a/short.md": long_report(3).replace("长报告", "短报告"),
        }
    )
    out = tmp_path / "out"
    build_into(site, out)
    long_page = read_page(out, "/a/2020/long/")
    toc_links = [a["href"] for a in long_page.select("nav.toc a")]
    assert toc_links == ["#第1部分", "#第2部分", "#第3部分", "#第4部分"]
    for href in toc_links:
        assert long_page.find(id=href[1:]).name == "h2"
    assert read_page(out, "/a/2020/short/").select("nav.toc") == []


def test_toc_threshold_is_configurable(make_site, tmp_path):
    site = make_site(
        {"content/a/r.md": long_report(2)},
        config="title: T\nbase_url: https://h.cn/\ntoc_min_headings: 2\n",
    )
    build_into(site, tmp_path / "out")
    assert len(read_page(tmp_path / "out", "/a/2020/r/").select("nav.toc a")) == 2


class Unpruned(MarkdownRenderer):
    """Every processor and inline pattern on every document, as Python-Markdown does."""

    def select_for(self, text: str) -> None:
        pass


TRICKY = [
    "纯中文段落，没有任何标记。\n\n第二段。",
    "**一是**加强领导。*强调*与_下划线_和__粗体__。",
    "行末两个空格  \n换行；制表符\t\n也算；Windows 行尾  \r\n之后。",
    "链接 [政府网](https://www.gov.cn/) 与 ![图](a.png) 与 [引用][r]\n\n[r]: /x/",
    "脚注[^1]。\n\n[^1]: 注释内容，含 `代码` 与 <span>HTML</span>。",
    "自动链接 <https://www.gov.cn/> 与 <office@example.gov.cn>，实体 &copy; &#169; &amp; A&B。",
    "转义 \\*不是强调\\* 与 \\[不是链接\\]，反引号 `a*b*c`。",
    "- 列表项 *一*\n- 列表项 [二](/b/)\n\n1. 有序  \n   续行",
    "> 引用 **粗** 与 <b>原始</b>\n\n    缩进代码 *不处理*\n",
    "| 表 | 头 |\n|---|---|\n| *a* | [b](/b/) |\n| `c` | d&e |\n",
    "## 标题 *强调* {: #custom }\n\n### 三级 & 符号\n\n术语\n:   定义 **粗**",
    '<div markdown="1">\n*在 HTML 里* [链接](/x/)\n</div>',
    '<table markdown="1"><tr><th>表头</th></tr><tr><td>*单元格*</td></tr></table>',
    "定义术语\n: 不是定义（冒号前无缩进规则）\n\n术语二\n   :   缩进三格的定义",
    "网址 https://www.gov.cn/ 中的冒号：与全角冒号。",
    "> 引用块\n> 第二行 > 不是引用",
    "段落 {: .lead } 与 {#id} 与 {not attr}\n{: #para-id }",
    "反斜杠 \\\\ 两个，\\` 转义反引号，路径 C:\\Windows",
    "[^未定义脚注] 与 [普通方括号] 与 [空链接]()",
]


def test_leaving_out_processors_and_patterns_that_cannot_act_changes_nothing(sample_source):
    """Same HTML as with every processor and pattern, for tricky inputs and every sample report, in an
    order that switches patterns on and off between documents."""
    texts = TRICKY + [
        path.read_text(encoding="utf-8").split("---", 2)[-1]
        for path in sorted((sample_source / "content").rglob("*.md"))
    ]
    pruned, full = MarkdownRenderer(), Unpruned()
    for text in texts + texts[::-1]:
        expected = full.render(text)
        got = pruned.render(text)
        assert (got.html, got.toc) == (expected.html, expected.toc), text
    for board in pruned.switchboards:  # the last text is plain: the optional items were out
        assert board.active == {n for n, _, _ in board.items if n not in board.triggers}


def test_toc_names_and_ids_leave_out_markup_and_footnote_marks(renderer):
    rendered = renderer.render(
        "## 依法行政 & 政务公开 <span>专栏</span>\n\n### 复议[^1]\n\n### `代码` \\*号\n\n[^1]: 注。"
    )
    top = rendered.toc[0]
    assert top["name"] == "依法行政 & 政务公开 专栏"
    assert top["id"] == "依法行政-政务公开-专栏"
    assert [(c["name"], c["id"]) for c in top["children"]] == [
        ("复议", "复议"),
        ("代码 *号", "代码-号"),
    ]


def test_toc_text_is_escaped_once_on_the_page(make_site, tmp_path):
    body = "\n\n".join(f"## 第{i}部分 A&B <i>斜</i>\n\n内容。" for i in range(4))
    site = make_site({"content/a/r.md": report_md("报告", "2020-03-01", body=body)})
    build_into(site, tmp_path / "out")
    page = read_page(tmp_path / "out", "/a/2020/r/")
    links = page.select("nav.toc a")
    assert [a.get_text() for a in links][:2] == ["第0部分 A&B 斜", "第1部分 A&B 斜"]
    assert all(page.find(id=a["href"][1:]) is not None for a in links)


def test_heading_ids_never_repeat_an_id_of_the_page_template(tmp_path):
    # Headings named like the template's own ids (the skip link's #main, the body's
    # #report-body): every id of the built page stays unique, so #main still jumps to main.
    body = "## main\n\n文字。\n\n## report-body\n\n文字。\n\n## attachments-title\n\n文字。\n"
    site = write_site(
        tmp_path / "site",
        {
            "content/a/_index.md": column_md("栏目"),
            "content/a/r.md": report_md(slug="r", body=body),
        },
    )
    out = tmp_path / "out"
    build_into(site, out)
    page = read_page(out, "/a/2020/r/")
    ids = [el["id"] for el in page.select("[id]")]
    assert len(ids) == len(set(ids)), sorted(ids)
    headings = [h["id"] for h in page.select("#report-body h2")]
    assert headings == ["main-2", "report-body-2", "attachments-title-2"]
    assert page.select_one("main#main") is not None


class _LinearLinks(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        make_links_linear(md)


def _plain_and_linear() -> tuple[markdown.Markdown, markdown.Markdown]:
    names = ["tables", "footnotes", "attr_list", "def_list", "md_in_html", "sane_lists"]
    return markdown.Markdown(extensions=names), markdown.Markdown(
        extensions=[*names, _LinearLinks()]
    )


def test_linear_link_patterns_give_python_markdowns_own_results():
    # Random texts of brackets, parentheses, quotes and link syntax, with and without
    # reference definitions: the linear patterns must change no output at all.
    plain, linear = _plain_and_linear()
    rng = random.Random(20261201)
    pieces = ["[", "]", "(", ")", "![", "](", "'", '"', "<", ">", "a", " ", "\\", "*", "\n", "x y"]
    pieces += ["[a]", "[a][r]", "[r]", "(<u>)", '"t"', "[^1]", "http://e.cn/", "文"]
    tail = "\n\n[r]: /ref 'T'\n[a]: http://example.gov.cn/a\n[^1]: 注\n"
    for n in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        if n % 2:
            text += tail
        assert linear.reset().convert(text) == plain.reset().convert(text), repr(text)


def test_unclosed_brackets_are_linear_not_quadratic():
    # 40 KB of '[' (and of '[a](') took minutes: every '[' walked to the end of the text.
    # The result is compared with a short, equally unclosed text (no timing here; the
    # figures are in benchmarks/ and the issue note).
    for unit in ("[", "[a](", "!["):
        text = unit * (40_000 // len(unit))
        assert MarkdownRenderer().render(text).html == f"<p>{text}</p>"


def _benchmark_module(name: str):
    """A module of benchmarks/ (the corpus generators), imported from its file."""
    import importlib.util
    import sys
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "benchmarks"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # make_corpus imports laws beside it
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class WithoutPlainPath(MarkdownRenderer):
    """Every document through Python-Markdown (the fast path for plain documents off)."""

    def plain(self, text: str):
        return None


# Pieces at the edges of what the fast path accepts: each either renders as Python-Markdown
# renders it, or makes the fast path decline the document.
PLAIN_EDGES = [
    "## 第一章\u3000总则", "### 第一节\u3000一般规定", "#### 第一条", "# 一级", "###### 六级",
    "####### 七级", "##无空格", "## 尾随井号 ##", "## **粗标题**", "## \u3000前导全角空格",
    "## 重复", "## 重复", "## main", "**第一条**\u3000为了规范行政行为。", "**一是加强领导。**坚持依法。",
    "文中**加粗**与**再加粗**。", "**粗**", "***三星***", "****", "**未闭合", "a*b", "* 星号列表",
    "**跨\n行**", "**\u3000空白开头**", "- （一）第一项；", "- （二）第二项。", "- **粗**项",
    "-  两个空格", "-无空格", "+ 加号列表", "1. 有序", "1.不是空格", "100余人参加", "２０２０年",
    "１. 全角数字", "===", "---", "- - -", "> 引用", "    缩进代码", "\u3000全角空格开头",
    "行末空格 ", "行末全角\u3000", "两个  空格在中间", ":冒号开头", "12:00 时间", "http://x.cn/",
    "English words", "A类事项", "第一章\u3000总则\n第二章\u3000附则", "段落\n## 段中标题",
    "段落\n- 段中列表", "段落\n===", "制表\t符", "回车\r\n换行", "A&B", "<b>粗</b>", "[方括号]",
    "`代码`", "下_划_线", "{: .lead }", "表|格", "~波浪", "\x85NEL", "\u2028分隔", "反斜杠\\",
    "| 指标 | 2019年 |\n| --- | ---: |\n| 审批 | 12 |", "| 左 | 中 | 右 |\n| :--- | :-: | --: |\n| a | b | c |",
    "| **粗** | 二 |\n| --- | --- |\n| 三 | **四** |\n| 五 | 六 |", "| a | b |\n| --- | --- |",
    "| a | b |\n|---|---|\n| c | d |", "| a | b |\n| --- | --- |\n| c |", "| 单列 |\n| --- |\n| x |",
    "|  | b |\n| --- | --- |\n| c | d |", "| a | b |", "a | b\n--- | ---\n c | d", "- 项 | 表\n- - | -",
]  # fmt: skip
SEPARATORS = ["\n\n", "\n\n", "\n\n", "\n", "\n\n\n", "\n\n\n\n", " ", ""]


def _documents_for_the_plain_path() -> list[str]:
    laws = _benchmark_module("laws")
    corpus = _benchmark_module("make_corpus")
    rng = random.Random(20261202)
    pools = corpus.load_pools(corpus.SAMPLE_REPORT)
    clauses = laws.Clauses(rng, pools[2], pool=800)
    texts = [laws.law_body(rng, clauses, size, 2020) for size in (15_000, 40_000, 130_000)]
    texts += [laws.law_body(rng, clauses, 15_000 + 3_000 * i, 2010 + i) for i in range(8)]
    texts += [corpus.make_body(rng, pools, 2020) for _ in range(20)]  # reports: tables, lists
    return texts


def test_plain_documents_skip_python_markdown_with_the_same_html_and_toc(sample_source):
    """The fast path (md_plain) gives Python-Markdown's HTML and TOC byte for byte: on laws
    (chapters, sections, articles, items, bold leads), reports, the sample site, the tricky
    texts and random mixtures of pieces at the edges of what it accepts."""
    fast, full = (
        MarkdownRenderer(reserved_ids=frozenset({"main"})),
        WithoutPlainPath(reserved_ids=frozenset({"main"})),
    )
    generated = _documents_for_the_plain_path()
    sample = [
        path.read_text(encoding="utf-8").split("---", 2)[-1]
        for path in sorted((sample_source / "content").rglob("*.md"))
    ]
    accepted = []  # the pieces the fast path takes on their own, to be combined
    for piece in PLAIN_EDGES:
        fast.select_for(piece)
        if fast.plain(piece) is not None:
            accepted.append(piece)
    assert len(accepted) > 20
    rng = random.Random(7)
    mixed = []
    for n in range(4000):  # half of them of accepted pieces only
        pieces = accepted if n % 2 else PLAIN_EDGES
        parts = [rng.choice(pieces) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 12))]
        mixed.append("".join(parts))
    taken = 0
    for text in generated + sample + TRICKY + mixed:
        fast.select_for(text)
        taken += fast.plain(text) is not None
        got, expected = fast.render(text), full.render(text)
        assert (got.html, got.toc, got.headings) == (
            expected.html,
            expected.toc,
            expected.headings,
        ), text
    # The laws all take the fast path, and so do a good share of the random texts.
    for text in generated[:11]:
        fast.select_for(text)
        assert fast.plain(text) is not None
    assert taken > 250


def test_an_item_of_another_extension_keeps_documents_on_python_markdown(monkeypatch):
    # An inline pattern the fast path does not know of: it could act on plain text, so every
    # document goes through Python-Markdown, unless the item declares its trigger strings
    # (markdown_ext.OPTIONAL) and the document holds none of them.
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    from generator import markdown_ext

    text = "## 第一章\u3000总则\n\n第一条\u3000为了规范++重点++工作。\n"
    plain = "## 第一章\u3000总则\n\n第一条\u3000为了规范重点工作。\n"
    renderer = MarkdownRenderer()
    pattern = SimpleTagInlineProcessor(r"()\+\+(.+?)\+\+", "ins")
    renderer.md.inlinePatterns.register(pattern, "ins_test", 65)
    renderer.make_switchboards()
    assert "<ins>重点</ins>" in renderer.render(text).html
    renderer.select_for(plain)
    assert renderer.plain(plain) is None  # undeclared: Python-Markdown for every document
    monkeypatch.setitem(markdown_ext.OPTIONAL["inlinePatterns"], "ins_test", ("++",))
    renderer.make_switchboards()
    assert "<ins>重点</ins>" in renderer.render(text).html  # '++' present: Python-Markdown
    renderer.select_for(plain)
    assert renderer.plain(plain) is not None  # declared and absent: the fast path
    assert renderer.render(plain).html == WithoutPlainPath().render(plain).html
