"""Every sentence the body checks print has its Chinese translation in
generator/locale/zh_CN/body.po, with the same {placeholders}."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from generator.content import UNPUBLISHED_TARGET

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["generator/body_uses.py", "generator/csv_table.py", "generator/content.py"]
PO = ROOT / "generator/locale/zh_CN/body.po"
ENTRY = re.compile(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', re.M)


def message_ids() -> set[str]:
    found: set[str] = set(UNPUBLISHED_TARGET.values())
    for module in MODULES:
        for node in ast.walk(ast.parse((ROOT / module).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_is_translated_with_its_placeholders():
    entries = {unescape(a): unescape(b) for a, b in ENTRY.findall(PO.read_text(encoding="utf-8"))}
    ids = message_ids()
    assert sorted(i for i in ids if i not in entries) == []
    for msgid in ids:
        assert entries[msgid] and fields(entries[msgid]) == fields(msgid), msgid
