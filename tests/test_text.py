"""Summaries: plain text from Markdown, cut by characters for CJK, never inside a word or tag."""

from __future__ import annotations

import pytest
from sitegen_testkit import build_into, meta, read_page, report_md

from generator.text import cut, plain_text


def test_short_text_is_kept_whole():
    assert cut("灌南县法治政府建设", 20) == "灌南县法治政府建设"
    assert cut("  灌南县  ", 3) == "灌南县"


def test_cjk_is_cut_by_characters():
    text = "灌南县人民政府报告二〇二〇年度法治政府建设情况"
    assert cut(text, 7) == "灌南县人民政府…"
    assert len(cut(text * 10, 120)) == 121


def test_trailing_punctuation_is_dropped_before_the_ellipsis():
    assert cut("灌南县，法治政府建设", 4) == "灌南县…"
    assert cut("主要举措：深化改革", 5) == "主要举措…"


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("推进Windows系统国产化替代", 6, "推进…"),
        ("推进 government 建设", 8, "推进…"),
        ("采用 HTTPS 协议和 IPv6 网络", 13, "采用 HTTPS 协议和…"),
        ("完成 2020 年度任务", 5, "完成…"),
        ("灌南县 Guànnán County 报告", 7, "灌南县…"),  # pinyin with tone marks is Latin script
    ],
)
def test_latin_words_are_never_cut(text, length, expected):
    assert cut(text, length) == expected


def test_a_cut_at_a_word_boundary_keeps_the_word():
    assert cut("采用 HTTPS 协议", 8) == "采用 HTTPS…"


def test_plain_text_drops_markdown_and_html():
    source = (
        "## 一、总体情况\n\n"
        '**一是**推进<span class="hl">改革</span>，详见[通知](https://x.cn/a)。{: .lead}\n\n'
        "| 表 | 格 |\n|---|---|\n| 1 | 2 |\n\n"
        "- 列表项\n\n> 引文[^1]\n\n![图](a.png)\n"
    )
    assert plain_text(source) == "一是推进改革，详见通知。 列表项 引文"


def test_plain_text_drops_a_tag_that_spans_lines():
    assert plain_text('前文<a\nhref="x.html"\n>链接</a>后文') == "前文链接后文"


def test_list_summaries_and_meta_description_are_cut_and_contain_no_markup(make_site, tmp_path):
    body = (
        '<p class="lead">灌南县人民政府认真推进法治政府建设，' * 10
        + "</p>\n\n"
        + "**一是**深化改革。\n"
    )
    site = make_site(
        {"content/a/r.md": report_md("报告", body=body)},
        config="title: T\nbase_url: https://h.cn/\nsummary_length: 30\n",
    )
    out = tmp_path / "out"
    build_into(site, out)
    description = meta(read_page(out, "/a/2020/r/"), "description")
    assert description == cut("灌南县人民政府认真推进法治政府建设，" * 2, 30)
    assert description.endswith("…") and len(description) == 31
    assert "<" not in description and "class" not in description


def test_a_given_summary_is_used_as_it_is(make_site, tmp_path):
    site = make_site({"content/a/r.md": report_md("报告", summary="编辑写的摘要。", body="正文。")})
    out = tmp_path / "out"
    build_into(site, out)
    assert meta(read_page(out, "/a/2020/r/"), "description") == "编辑写的摘要。"


def _plain_text_reference(source: str) -> str:
    """plain_text as it was written first: every pattern on every text."""
    from generator import text as t

    out = t.strip_invalid(source)[0]
    for pattern in (t._HEADING, t._TABLE_ROW, t._LIST_MARKER):
        out = pattern.sub("", out)
    out = t._sub_links(out, "!", lambda _label: "")
    out = t._sub_links(out, "", lambda label: label)
    out = t._up_to_last(t._FOOTNOTE, out, "]", tail=1)
    out = t._up_to_last(t._HTML_TAG, out, ">")
    out = t._up_to_last(t._ATTR_LIST, out, "}")
    out = t._EMPHASIS.sub("", out)
    out = t._QUOTE.sub("", out)
    return t._SPACE.sub(" ", out).strip()


def test_plain_text_skips_patterns_without_changing_the_text():
    # Patterns run only where their characters occur, and blanks are collapsed by
    # str.split: random texts of Markdown marks and every kind of blank give the same text.
    import random

    rng = random.Random(20261202)
    pieces = ["#", "## 标题", "|", "| a | b |", "-", "- 项", "*", "+ ", "1. ", ".", ">", "> 引",
              "_", "`", "~", "[a](b)", "![i](p)", "[^1]", "<b>", "{: .x }", "文字", "word",
              "\n", "\n\n", " ", "\t", "\u3000", "\xa0", "\u2028", "\x85", "\x0b", "\x1c", "\r"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert plain_text(text) == _plain_text_reference(text), repr(text)


def test_plain_head_starts_the_whole_plain_text_and_gives_the_same_summary():
    # The head is taken only where it is exact: the start of the whole text's plain text,
    # so a summary cut from it is the summary cut from the whole (long bodies of every
    # kind of mark, blank and line end, with summaries of 1 to 60 characters).
    import random

    from generator.text import cut, plain_head

    rng = random.Random(20261203)
    pieces = ["#", "## 标题", "|", "| a | b |", "-", "- 项", "*", "+ ", "1. ", ".", ">", "> 引",
              "_", "`", "~", "[a](b)", "![i](p)", "[^1]", "<b>", "{: .x }", "文字", "word",
              "\n", "\n\n", " ", "\t", "\u3000", "\xa0", "\u2028", "\x85", "\x0b", "\x1c", "\r",
              "依法行政是政府工作的基本准则。", "Guànnán county 2020"]  # fmt: skip
    plain_pieces = [p for p in pieces if not any(c in p for c in "[<{")]
    heads = 0
    for _ in range(3000):
        # Mostly text without openers (where a head is taken), some with an opener late.
        body = [rng.choice(plain_pieces) for _ in range(rng.randint(0, 400))]
        if rng.random() < 0.3:
            body.insert(rng.randint(0, len(body)), rng.choice(pieces))
        text = "".join(body)
        length = rng.randint(1, 60)
        whole = plain_text(text)
        head, complete = plain_head(text, length)
        assert whole.startswith(head), repr(text)
        assert head == whole if complete else len(head) > length, repr(text)
        assert cut(head, length) == cut(whole, length), repr(text)
        heads += not complete
    assert heads > 500  # the head path was taken often enough to mean something
