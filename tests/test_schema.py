"""One validator for sitegen.yaml, report front matter and _index.md: the same mistake
gets the same message, hint and line wherever it is made; one splitter for keyword lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitegen_testkit import build_fails, build_into, meta, read_page

from generator.config import load_config
from generator.errors import Diagnostics, Problem

CONFIG = "title: 测试县人民政府\nbase_url: https://www.example.gov.cn/\nsearch: false\n"
COLUMN = "---\ntitle: 公示公告\n---\n"
REPORT_HEAD = "---\ntitle: 报告\ndate: 2020-12-23\n"


def config_problems(tmp_path: Path, extra_line: str) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings of a sitegen.yaml with ``extra_line`` as its 4th line."""
    head = "title: 测试县人民政府\nbase_url: https://www.example.gov.cn/\nlanguage: zh-CN\n"
    (tmp_path / "sitegen.yaml").write_text(head + extra_line + "\n", encoding="utf-8")
    diag = Diagnostics()
    load_config(tmp_path, diag)
    return diag.errors, diag.warnings


def report_problems(make_site, line: str) -> list[Problem]:
    """Errors of a build whose one report has ``line`` as the 4th line of its front matter."""
    site = make_site(
        {
            "content/gsgg/_index.md": COLUMN,
            "content/gsgg/r.md": f"{REPORT_HEAD}{line}\n---\n正文\n",
        },
        config=CONFIG,
    )
    return build_fails(site)


# (a line of sitegen.yaml, a line of front matter with the same mistake, the key, the
# message both must give with {key} for the key, and a part of the hint)
SAME_MISTAKE = [
    (
        "search: 是",
        "draft: 是",
        "must be true or false, not text ('是')",
        "write it as true or false",
    ),
    ("per_page: [1, 2]", "weight: [1, 2]", "must be a whole number, not a list ([…])", ""),
    ("per_page:", "weight:", "has no value", "or remove the line"),
    (
        "description: {a: 1}",
        "summary: {a: 1}",
        "must be text, not a group of 'name: value' lines ({…})",
        "quotes",
    ),
    ("keywords: [[甲]]", "keywords: [[甲]]", "item 1 of {key} must be text, not a list ([…])", ""),
]


@pytest.mark.parametrize(("config_line", "report_line", "message", "hint"), SAME_MISTAKE)
def test_the_same_mistake_gets_the_same_message_in_the_config_and_in_front_matter(
    tmp_path, make_site, config_line, report_line, message, hint
):
    config_errors, _ = config_problems(tmp_path, config_line)
    report_errors = report_problems(make_site, report_line)
    for errors, line, path in (
        (config_errors, config_line, str(tmp_path / "sitegen.yaml")),
        (report_errors, report_line, "content/gsgg/r.md"),
    ):
        key = line.split(":")[0]
        expected = message.replace("{key}", f"'{key}'")
        if "{key}" not in message:
            expected = f"'{key}' {message}"
        assert [(p.path, p.line, p.message) for p in errors] == [(path, 4, expected)], errors
        assert hint in errors[0].hint


def test_a_typo_of_a_key_is_named_alike_an_error_in_the_config_a_warning_in_front_matter(
    tmp_path, make_site
):
    errors, _ = config_problems(tmp_path, "sereis: {}")
    assert [(p.line, p.message, p.hint) for p in errors] == [
        (4, "unknown key 'sereis'", "did you mean 'series'?")
    ]
    site = make_site(
        {
            "content/gsgg/_index.md": COLUMN,
            "content/gsgg/r.md": (
                f"{REPORT_HEAD}sereis: 年报\nimages: [a.png]\nphotos: [a.png]\n---\n正文\n"
            ),
        },
        config=CONFIG,
    )
    result = build_into(site)
    # 'photos' (a key of its own, kept for templates) is no typo of 'tags'; 'images' is
    # one letter from the cover image's key 'image'
    assert [(w.path, w.line, w.message, w.hint) for w in result.warnings] == [
        (
            "content/gsgg/r.md",
            4,
            "unknown key 'sereis' is kept for templates",
            "did you mean 'series'?",
        ),
        (
            "content/gsgg/r.md",
            5,
            "unknown key 'images' is kept for templates",
            "did you mean 'image'?",
        ),
    ]


def test_a_column_index_is_checked_by_the_same_validator(make_site):
    site = make_site(
        {"content/gsgg/_index.md": "---\ntitle: 公示公告\nweight: heavy\n---\n"}, config=CONFIG
    )
    [problem] = build_fails(site)
    assert (problem.path, problem.line, problem.message) == (
        "content/gsgg/_index.md",
        3,
        "'weight' must be a whole number, not text ('heavy')",
    )


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("甲，乙、丙;丁", ["甲", "乙", "丙", "丁"]),
        ("' 甲 , ,乙 '", ["甲", "乙"]),
        ("[甲, ' 乙 ', 2020]", ["甲", "乙", "2020"]),
    ],
)
def test_keywords_are_split_alike_in_the_config_and_in_front_matter(make_site, written, words):
    config = CONFIG + f"keywords: {written}\n"
    site = make_site(
        {
            "content/gsgg/_index.md": f"---\ntitle: 公示公告\nkeywords: {written}\n---\n",
            "content/gsgg/r.md": f"{REPORT_HEAD}keywords: {written}\ntags: {written}\n---\n正文\n",
        },
        config=config,
    )
    output = site.parent / "out"
    build_into(site, output)
    home = read_page(output, "/")
    column = read_page(output, "/gsgg/")
    report = read_page(output, "/gsgg/2020/r/")
    assert meta(home, "keywords") == ",".join(words)
    assert meta(column, "ColumnKeywords") == ",".join(words)
    assert meta(report, "Keywords") == ",".join(words)
