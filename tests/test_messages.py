"""Messages in the editor's language: the PO catalogue, the choice of language, and the
common errors, the summary line and --help in Chinese and in English."""

from __future__ import annotations

import ast
import inspect
import string
import subprocess
from pathlib import Path

import pytest
from sitegen_testkit import ROOT

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
    assert missing == [], "add these to a generator/locale/zh_CN/*.po file:\n" + "\n".join(
        missing
    )


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
    text = r'''# translator comment
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
'''
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
