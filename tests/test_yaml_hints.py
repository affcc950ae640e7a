"""The slips of a Chinese input method in YAML (full-width colon, full-width spaces as
indentation, full-width comma in a list) are reported at their own line, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitegen_testkit import MINIMAL_CONFIG, column_md, report_md, run_cli

from generator.yamlsource import YamlError, parse_yaml

COLUMN = {"content/gsgg/_index.md": column_md("公示公告")}
TITLE = "灌南县人民政府2020年度法治政府建设工作报告"


def build(site: Path, *lang: str):
    return run_cli(*lang, "build", "--source", site, "--output", site.parent / "out")


def errors(stderr: str, prefix: str = "error: ") -> list[str]:
    return [line[len(prefix) :] for line in stderr.splitlines() if line.startswith(prefix)]


def test_full_width_colon_after_a_key_in_front_matter(make_site):
    text = f"---\ntitle：{TITLE}\ndate: 2020-12-23\n---\n正文\n"
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    result = build(site)
    assert result.exit_code == 1
    assert errors(result.stderr) == [
        "content/gsgg/a.md:2: malformed YAML in the front matter: a full-width colon '：' "
        f"after 'title' (write a half-width colon and a space after the key: title: {TITLE})"
    ]
    chinese = build(site, "--lang", "zh-CN")
    assert errors(chinese.stderr, "错误：") == [
        "content/gsgg/a.md:2: 文件头的 YAML 格式有误：“title”后面用了全角冒号“：”"
        f"（名称后面要用半角冒号加一个空格：title: {TITLE}）"
    ]


def test_full_width_colon_on_a_later_line_is_reported_there_not_at_the_next(make_site):
    # YAML itself stops at line 5 (the next key); the slip is on line 4.
    text = "---\ntitle: 报告\ndate: 2020-12-23\nsource：灌南县司法局\ndoc_no: 灌政发〔2021〕12号\n---\n"
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    (line,) = errors(build(site).stderr)
    assert line.startswith("content/gsgg/a.md:4: ")
    assert "a full-width colon '：' after 'source'" in line
    assert "source: 灌南县司法局" in line


def test_a_chinese_key_with_a_full_width_colon_is_found_when_yaml_fails(make_site):
    text = "---\ntitle: 报告\ndate: 2020-12-23\n来源：灌南县司法局\nauthor: 司法局\n---\n"
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    (line,) = errors(build(site).stderr)
    assert line.startswith("content/gsgg/a.md:4: ")
    assert "after '来源'" in line


def test_full_width_colon_in_sitegen_yaml(make_site):
    site = make_site(COLUMN, "title：灌南县人民政府\nbase_url: https://www.example.gov.cn/\n")
    result = build(site)
    assert errors(result.stderr) == [
        f"{site / 'sitegen.yaml'}:1: malformed YAML: a full-width colon '：' after 'title' "
        "(write a half-width colon and a space after the key: title: 灌南县人民政府)"
    ]


def test_full_width_spaces_as_indentation(make_site):
    config = MINIMAL_CONFIG + "footer:\n\u3000\u3000phone: 0518-83212345\n"
    site = make_site(COLUMN, config)
    result = build(site)
    assert errors(result.stderr) == [
        f"{site / 'sitegen.yaml'}:4: malformed YAML: the line is indented with full-width "
        "spaces (indent with half-width spaces: switch the input method to half-width (半角) "
        "and retype the spaces at the start of the line)"
    ]
    chinese = build(site, "--lang", "zh-CN")
    (line,) = errors(chinese.stderr, "错误：")
    assert line == (
        f"{site / 'sitegen.yaml'}:4: YAML 格式有误：这一行用全角空格缩进"
        "（缩进要用半角空格：把输入法切换到半角，重新输入行首的空格）"
    )


def test_full_width_comma_in_a_list(make_site):
    text = "---\ntitle: 报告\ndate: 2020-12-23\ntags: [法治，普法]\n---\n"
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    assert errors(build(site).stderr) == [
        "content/gsgg/a.md:4: malformed YAML in the front matter: a full-width comma '，' "
        "between the items of [法治，普法] (separate the items with a half-width comma: "
        "tags: [法治, 普法])"
    ]


def test_full_width_colon_inside_a_flow_mapping(make_site):
    text = "---\ntitle: 报告\ndate: 2020-12-23\nattachments: [{title：附件1, file: a.pdf}]\n---\n"
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    (line,) = errors(build(site).stderr)
    assert line == (
        "content/gsgg/a.md:4: malformed YAML in the front matter: a full-width colon '：' "
        "after 'title' (write a half-width colon and a space after the key: "
        "attachments: [{title: 附件1, file: a.pdf}])"
    )


def test_full_width_colon_in_a_block_list_item(make_site):
    text = (
        "---\ntitle: 报告\ndate: 2020-12-23\nattachments:\n  - title：附件1\n    file: a.pdf\n---\n"
    )
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    (line,) = errors(build(site).stderr)
    assert line.startswith("content/gsgg/a.md:5: ")
    assert "after 'title'" in line


@pytest.mark.parametrize(
    "text",
    [
        # Chinese text where full-width punctuation belongs: values, quotes, block scalars
        f"title: {TITLE}\nrecipient: 连云港市人民政府：\n",
        "title: \"关于：某事的通知\"\nsummary: '甲，乙'\n",
        "summary: |\n  各乡镇：\n  \u3000\u3000一、总体要求\ntitle: 报告\n",
        "attachments: [{title: 附件1：说明，共2页, file: a.pdf}]\n",
        "tags: 法治，普法\n",
        # a quoted text over several lines: its later lines are text, whatever they start with
        'title: "关于某事\n  a：b 的通知"\ndate: 2020-12-23\n',
        'summary: "长文本\n  \u3000\u3000第二行"\ntitle: 报告\n',
    ],
)
def test_full_width_punctuation_in_text_is_not_a_slip(text):
    parse_yaml(text)  # no YamlError


def test_a_slip_after_a_quoted_text_over_several_lines_is_still_found():
    with pytest.raises(YamlError) as info:
        parse_yaml('summary: "第一行\n  第二行"\ndate：2020-12-23\n')
    assert info.value.line == 3


def test_the_line_is_counted_in_the_file():
    with pytest.raises(YamlError) as info:
        parse_yaml("title: a\ndate：2020-12-23\n", line_offset=1)
    assert info.value.line == 3


def test_a_report_with_full_width_text_builds(make_site):
    body = report_md(TITLE, recipient="连云港市人民政府：", summary="本报告：一、二，三。")
    site = make_site({**COLUMN, "content/gsgg/a.md": body})
    assert build(site).exit_code == 0
