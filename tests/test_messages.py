"""Messages in the editor's language: the PO catalogue, the choice of language, and the
common errors, the summary line and --help in Chinese and in English."""

from __future__ import annotations

import ast
import inspect
import re
import string
from pathlib import Path

import pytest
from sitegen_testkit import MINIMAL_CONFIG, ROOT, column_md, report_md, run_cli

from generator import messages
from generator.messages import LOCALE_DIR, PoError, _, load_catalogue, read_po

GENERATOR = ROOT / "generator"


def collect_msgids() -> dict[str, list[str]]:
    """Every text given as a literal to ``_()`` or ``N_()`` in generator/, and the help
    docstrings of the click commands in cli.py, with where each is."""
    found: dict[str, list[str]] = {}
    for file in sorted(GENERATOR.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        rel = file.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            text = None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                text = node.args[0].value
            elif isinstance(node, ast.FunctionDef) and file.name == "cli.py":
                commands = [
                    d
                    for d in node.decorator_list
                    if isinstance(d, ast.Call)
                    and isinstance(d.func, ast.Attribute)
                    and d.func.attr in ("command", "group")
                ]
                doc = ast.get_docstring(node, clean=False)
                if commands and doc:
                    text = inspect.cleandoc(doc)
            if text is not None:
                found.setdefault(text, []).append(f"{rel}:{node.lineno}")
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- the catalogue -------------------------------------------------------------------


def test_every_message_has_a_chinese_translation():
    catalogue = load_catalogue(LOCALE_DIR / "zh_CN")
    missing = [
        f"{places[0]}: {msgid!r}"
        for msgid, places in collect_msgids().items()
        if msgid not in catalogue.messages
    ]
    assert missing == [], "add these to a generator/locale/zh_CN/*.po file:\n" + "\n".join(missing)


# Calls that print what they are given, and how many leading arguments are not texts
# (the path of a problem, the kind of a link check).
PRINTING_CALLS = {
    "error": 1,
    "warn": 1,
    "Problem": 1,
    "Slip": 1,
    "LinkCheck": 2,
    "YamlError": 0,
    "UnsafeOutput": 0,
    "BadPattern": 0,
    "Unreadable": 0,
    "ImportProblem": 0,
    "ClickException": 0,
    "echo": 0,
    "secho": 0,
}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _has_words(node: ast.AST) -> bool:
    """A text with English words written right there (not through ``_()``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    return False


def test_no_message_bypasses_the_catalogue():
    """A sentence handed straight to a problem, an exception or click.echo would print in
    English whatever the language: every one goes through ``_()``."""
    found = []
    for file in sorted(GENERATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in PRINTING_CALLS:
                continue
            texts = node.args[PRINTING_CALLS[name] :] + [
                k.value for k in node.keywords if k.arg in ("message", "hint", "problem")
            ]
            found += [
                f"{file.relative_to(ROOT)}:{node.lineno}: {ast.unparse(t)}"
                for t in texts
                if _has_words(t)
            ]
    assert found == [], "\n".join(found)


def test_placeholders_match_between_msgid_and_msgstr():
    catalogue = load_catalogue(LOCALE_DIR / "zh_CN")
    wrong = [
        f"{catalogue.where[msgid]}: {sorted(fields(msgid))} vs {sorted(fields(msgstr))}"
        for msgid, msgstr in catalogue.messages.items()
        if fields(msgid) != fields(msgstr)
    ]
    assert wrong == []


def test_po_files_do_not_contradict_each_other():
    assert load_catalogue(LOCALE_DIR / "zh_CN").conflicts == []


def test_conflicting_duplicates_are_found(tmp_path):
    (tmp_path / "a.po").write_text('msgid "x"\nmsgstr "甲"\n', encoding="utf-8")
    (tmp_path / "b.po").write_text('msgid "x"\nmsgstr "乙"\n\nmsgid "y"\nmsgstr "丙"\n')
    (tmp_path / "c.po").write_text('msgid "x"\nmsgstr "甲"\n', encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert catalogue.messages == {"x": "甲", "y": "丙"}
    assert catalogue.conflicts == [("x", "a.po:1", "b.po:1")]


def test_po_reader_multiline_escapes_comments_and_fuzzy():
    text = r"""# translator comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#. extracted comment
#: generator/x.py:3
msgid "a \"quoted\" word"
msgstr "一个“引号”词"

#, fuzzy
msgid "fuzzy one"
msgstr "模糊"

#, python-format
msgid ""
"two "
"lines\n"
"and a tab\t{x}"
msgstr "两行\n和制表符\t{x}\\"

msgid "untranslated"
msgstr ""

msgctxt "menu"
msgid "open"
msgstr "打开（菜单）"

#~ msgid "obsolete"
#~ msgstr "废弃"
"""
    entries = {e.msgid: e for e in read_po(text)}
    assert entries['a "quoted" word'].msgstr == "一个“引号”词"
    assert entries['a "quoted" word'].line == 8
    assert entries["fuzzy one"].fuzzy
    assert entries["two lines\nand a tab\t{x}"].msgstr == "两行\n和制表符\t{x}\\"
    assert entries["open"].context == "menu"
    assert "" not in entries and "obsolete" not in entries


def test_po_reader_loading_skips_fuzzy_and_untranslated(tmp_path):
    (tmp_path / "m.po").write_text(
        '#, fuzzy\nmsgid "a"\nmsgstr "甲"\n\nmsgid "b"\nmsgstr ""\n\nmsgid "c"\nmsgstr "丙"\n',
        encoding="utf-8",
    )
    assert load_catalogue(tmp_path).messages == {"c": "丙"}


@pytest.mark.parametrize(
    "text",
    [
        'msgid "a"\n',  # no msgstr
        'msgid "a\nmsgstr "b"\n',  # unterminated string
        'msgid "a" "b"\nmsgstr "c"\n',  # two strings on one line
        'msgid "a"\nmsgstr "b"\nmsgstr "c"\n',
        '"continues nothing"\n',
        'msgid "a\\q"\nmsgstr "b"\n',
    ],
)
def test_po_reader_refuses_broken_files_with_their_line(text):
    with pytest.raises(PoError, match=r"x\.po:\d+"):
        read_po(text, "x.po")


# --- choosing the language -------------------------------------------------------------


def test_language_choice_order():
    env = {"SITEGEN_LANG": "en"}
    assert messages.choose("zh-CN", lambda: "en", env) == "zh-CN"
    assert messages.choose(None, lambda: "zh-CN", env) == "en"
    assert messages.choose(None, lambda: "en", {}) == "en"
    assert messages.choose(None, lambda: "zh_CN", {}) == "zh-CN"
    assert messages.choose(None, lambda: None, {}) == "zh-CN"  # the default site language
    assert messages.choose(None, lambda: "fr", {"SITEGEN_LANG": "klingon"}) == "zh-CN"


def test_message_in_both_languages():
    with messages.language("en"):
        assert _("attachment file {file} does not exist", file="'a.pdf'") == (
            "attachment file 'a.pdf' does not exist"
        )
    with messages.language("zh-CN"):
        assert _("attachment file {file} does not exist", file="'a.pdf'") == (
            "附件文件不存在：'a.pdf'"
        )


def test_every_message_is_a_valid_template():
    """Placeholders are names (a literal brace is written '{{'): ``_()`` formats them all."""
    catalogue = load_catalogue(LOCALE_DIR / "zh_CN")
    bad = []
    for msgid in collect_msgids():
        for text in (msgid, catalogue.messages.get(msgid, msgid)):
            try:
                names = fields(text)
            except ValueError as exc:
                bad.append(f"{text!r}: {exc}")
                continue
            if not all(name.isidentifier() for name in names):
                bad.append(f"{text!r}: placeholders {sorted(names)}")
            else:
                text.format(**dict.fromkeys(names, "x"))
    assert bad == []


# --- the common errors, in both languages, through the command line --------------------

COLUMN = {"content/gsgg/_index.md": column_md("公示公告")}


def build(site: Path, *lang: str, output: Path | None = None):
    out = output or site.parent / "out"
    return run_cli(*lang, "build", "--source", site, "--output", out)


def lines(stderr: str, prefix: str) -> list[str]:
    return [line[len(prefix) :] for line in stderr.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        (
            "---\ndate: 2020-12-23\n---\n正文\n",
            "content/gsgg/a.md:1: 'title' is missing (add a line such as title: "
            "灌南县人民政府2020年度法治政府建设工作报告)",
            "content/gsgg/a.md:1: 缺少标题 title（请加一行，例如 title: "
            "灌南县人民政府2020年度法治政府建设工作报告）",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-12-23\nsource: 司法局: 灌南\n---\n正文\n",
            "content/gsgg/a.md:4: malformed YAML in the front matter: a second ':' where a value "
            "is expected (check the indentation, and quote values that contain ':' or start "
            "with '*', '[' or '{')",
            "content/gsgg/a.md:4: 文件头的 YAML 格式有误：值的位置上又出现了一个 ':'"
            "（请检查缩进；值里有 ':'，或以 '*'、'[' 或 '{' 开头时，请加引号）",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-13-45\n---\n正文\n",
            "content/gsgg/a.md:3: cannot read 'date' '2020-13-45' as a date (write it as "
            "2020-12-23, '2020-12-23 09:30' or 2020年12月23日)",
            "content/gsgg/a.md:3: “date”的值 '2020-13-45' 不是日期（请写成 "
            "2020-12-23、'2020-12-23 09:30' 或 2020年12月23日）",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-12-23\nattachments: [{title: 附件1, file: files/a.pdf}]"
            "\n---\n正文\n",
            "content/gsgg/a.md:4: attachment file 'files/a.pdf' does not exist (check the file "
            "name, or put the file at content/gsgg/files/a.pdf)",
            "content/gsgg/a.md:4: 附件文件不存在：'files/a.pdf'（请检查文件名，或把文件放到 "
            "content/gsgg/files/a.pdf）",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-12-23\ntags: {法治: 1}\n---\n正文\n",
            "content/gsgg/a.md:4: 'tags' must be a list, not a group of 'name: value' lines "
            "({…}) (write it as a list, e.g. tags: [法治政府, 年度报告]; put text with ':' or '[' in "
            "quotes)",
            "content/gsgg/a.md:4: “tags”应为列表，不能是一组“名称: 值”（{…}）"
            "（请写成列表，例如 tags: [法治政府, 年度报告]；文字里有 ':' 或 '[' 时请加引号）",
        ),
        (
            "---\ntitle: 报告\ndate: 2020-12-23\ndraft: 是\n---\n正文\n",
            "content/gsgg/a.md:4: 'draft' must be true or false, not text ('是') "
            "(write it as true or false, e.g. draft: true)",
            "content/gsgg/a.md:4: “draft”应为是或否（true 或 false），不能是文字（'是'）"
            "（请写成是或否（true 或 false），例如 draft: true）",
        ),
    ],
)
def test_common_report_errors_in_both_languages(make_site, text, english, chinese):
    site = make_site({**COLUMN, "content/gsgg/a.md": text})
    result = build(site, "--lang", "en")
    assert result.exit_code == 1
    assert lines(result.stderr, "error: ") == [english]
    assert "build failed with 1 error(s); output/ was left as it was" in result.stderr
    result = build(site, "--lang", "zh-CN")
    assert result.exit_code == 1
    assert lines(result.stderr, "错误：") == [chinese]
    assert "生成失败，共 1 个错误；output/ 保持原样，没有改动" in result.stderr


def test_unknown_key_typo_in_both_languages(make_site):
    site = make_site(
        {**COLUMN, "content/gsgg/a.md": report_md("报告", sumary="摘要")},
        MINIMAL_CONFIG + "per_pgae: 10\n",
    )
    config = site / "sitegen.yaml"
    result = build(site, "--lang", "en")
    assert lines(result.stderr, "error: ") == [
        f"{config}:3: unknown key 'per_pgae' (did you mean 'per_page'?)"
    ]
    result = build(site, "--lang", "zh-CN")
    assert lines(result.stderr, "错误：") == [
        f"{config}:3: 不认识的项目“per_pgae”（是不是要写“per_page”？）"
    ]
    (config).write_text(MINIMAL_CONFIG + "search: false\n", encoding="utf-8")
    result = build(site, "--lang", "zh-CN")
    assert result.exit_code == 0
    assert lines(result.stderr, "警告：") == [
        "content/gsgg/a.md:4: 不认识的项目“sumary”，保留给模板使用（是不是要写“summary”？）"
    ]


SUMMARY_EN = re.compile(
    r"built (\d+) pages: (\d+) files written, (\d+) unchanged, (\d+) removed, "
    r"1 reports left out \(1 drafts; see --drafts/--future/--expired\) in \d+\.\d\d s"
)
SUMMARY_ZH = re.compile(
    r"已生成 (\d+) 个页面：写入 (\d+) 个文件，(\d+) 个未变，删除 (\d+) 个，"
    r"1 篇报告未发布（1 篇草稿；见 --drafts/--future/--expired），用时 \d+\.\d\d 秒"
)


def test_summary_line_in_both_languages(make_site, tmp_path):
    site = make_site(
        {
            **COLUMN,
            "content/gsgg/a.md": report_md("报告"),
            "content/gsgg/b.md": report_md("草稿", draft=True),
        }
    )
    english = build(site, "--lang", "en", output=tmp_path / "en")
    chinese = build(site, "--lang", "zh-CN", output=tmp_path / "zh")
    en = SUMMARY_EN.fullmatch(english.stdout.strip())
    zh = SUMMARY_ZH.fullmatch(chinese.stdout.strip())
    assert en and zh, (english.stdout, chinese.stdout)
    assert en.groups() == zh.groups()  # the same build, the same figures
    pages = len(list((tmp_path / "zh").rglob("*.html")))
    assert int(zh.group(1)) >= pages > 0


def test_help_in_both_languages():
    english = run_cli("--lang", "en", "build", "--help").stdout
    chinese = run_cli("--lang", "zh-CN", "build", "--help").stdout
    assert "Build the site into the output folder." in english
    assert "Include reports marked draft: true." in english
    assert "生成网站，写入输出文件夹。" in chinese
    assert "包括标为 draft: true 的草稿。" in chinese
    assert "Build the site" not in chinese
    assert re.match(r"用法：\S+ build \[OPTIONS\]\n", chinese) and "\n选项：\n" in chinese
    assert "-h, --help                显示本帮助后退出。" in chinese
    assert re.match(r"Usage: \S+ build \[OPTIONS\]\n", english) and "\nOptions:\n" in english
    top = run_cli("--lang", "zh-CN", "--help").stdout
    assert "边编辑边预览网站，保存后浏览器自动刷新。" in top  # the command list
    # and back: the help texts of the same process follow each command's language
    assert "Build the site into the output folder." in run_cli("build", "--help").stdout


def test_language_follows_the_site_then_env_then_lang(make_site, monkeypatch):
    site = make_site({**COLUMN, "content/gsgg/a.md": "---\ndate: 2020-12-23\n---\n"})
    monkeypatch.delenv("SITEGEN_LANG")
    assert "缺少标题 title" in build(site).stderr  # language: zh-CN is the default
    (site / "sitegen.yaml").write_text(MINIMAL_CONFIG + "language: en\n", encoding="utf-8")
    assert "'title' is missing" in build(site).stderr
    assert "Build the site" in run_cli("build", "--source", site, "--help").stdout
    monkeypatch.setenv("SITEGEN_LANG", "zh-CN")
    assert "缺少标题 title" in build(site).stderr
    assert "'title' is missing" in build(site, "--lang", "en").stderr


def test_errors_of_forked_workers_are_in_the_chosen_language(make_site):
    """Report files are read by forked worker processes: they inherit the language."""
    files = {f"content/gsgg/r{i:03}.md": report_md(f"报告{i}") for i in range(240)}
    files["content/gsgg/r117.md"] = report_md("坏日期", date="2020-13-45")
    site = make_site({**COLUMN, **files})
    result = run_cli(
        "--lang", "zh-CN", "build", "--source", site, "--output", site.parent / "o", "--jobs", "2"
    )
    assert lines(result.stderr, "错误：") == [
        "content/gsgg/r117.md:3: “date”的值 '2020-13-45' 不是日期（请写成 "
        "2020-12-23、'2020-12-23 09:30' 或 2020年12月23日）"
    ]


def test_serve_overlay_in_the_language_of_messages(tmp_path):
    from generator.errors import Problem
    from generator.serve import ERRORS_SCRIPT, write_errors_script

    problem = Problem("content/a.md", _("'title' is missing"), 1)
    with messages.language("zh-CN"):
        write_errors_script(tmp_path, [Problem("content/a.md", _("'title' is missing"), 1)])
    script = (tmp_path / ERRORS_SCRIPT).read_text(encoding="utf-8")
    assert script.startswith(
        'var sitegenErrorsHeading="sitegen：上次重新生成失败（1 个错误）",sitegenErrorsLang="zh-CN";'
    )
    assert script.rstrip().endswith('})(["content/a.md:1: 缺少标题 title"]);')
    write_errors_script(tmp_path, [problem])
    script = (tmp_path / ERRORS_SCRIPT).read_text(encoding="utf-8")
    assert script.startswith(
        'var sitegenErrorsHeading="sitegen: the last rebuild failed (1)",sitegenErrorsLang="en";'
    )
    assert script.rstrip().endswith("""})(["content/a.md:1: 'title' is missing"]);""")
