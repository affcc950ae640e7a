"""Check a YAML mapping against its declared keys: the one validator of ``sitegen.yaml``,
report front matter and columns' ``_index.md``.

It reports unknown keys (with a "did you mean" for typos), keys written without a value,
values and list items of the wrong type and what a key's own check finds, each at its line.
Every message about the type of a value is worded here, in editor's words (:func:`type_phrase`,
:func:`value_phrase`, :func:`wrong_type`, :func:`item_message`).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostics
from .messages import N_, _
from .yamlsource import YamlDoc

# What a key's value should be, in an editor's words: the first of these kinds among the
# types a key takes is what the editor means (a date may be written as text, a list as
# comma-separated text, a title as a number). One table for every wrong-type message.
TYPE_PHRASES: tuple[tuple[type, str], ...] = (
    (dt.date, N_("a date")),
    (list, N_("a list")),
    (dict, N_("a group of 'name: value' lines")),
    (bool, N_("true or false")),
    (str, N_("text")),
    (int, N_("a whole number")),
    (float, N_("a number")),
)
# Text as YAML gives it: a number written without quotes (index_no: 2020001) is text too.
TEXT = (str, int, float)
# How close an unknown key must be to a known one to be taken for its typo ('sereis' for
# 'series', 'per_pgae' for 'per_page'; not 'images' for 'tags').
KEY_CUTOFF = 0.75


@dataclass(frozen=True)
class Key:
    """One allowed key: its types, default, an extra check returning a problem, an
    example value for hints, and the types its items must have when it is a list."""

    types: tuple[type, ...]
    default: Any = None
    check: Callable[[Any], str | None] | None = None
    example: str = ""
    items: tuple[type, ...] = ()


def did_you_mean(name: str, choices: list[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=cutoff)
    return _("did you mean '{key}'?", key=close[0]) if close else ""


def type_ok(value: Any, types: tuple[type, ...]) -> bool:
    # YAML's `true` is an int to Python; never accept a bool where a number is meant.
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def is_text(value: Any) -> bool:
    """Text as YAML gives it: a string, or a number written without quotes."""
    return type_ok(value, TEXT)


def type_phrase(types: tuple[type, ...]) -> str:
    """What a value of one of ``types`` is called: "text", "a list", "a date" …"""
    for kind, phrase in TYPE_PHRASES:
        if kind in types:
            return _(phrase)
    return " / ".join(t.__name__ for t in types)


def value_phrase(value: Any) -> str:
    """What a YAML value is, in words, with the value: "a list ([…])", "text ('是')"."""
    if value is None:
        return _("nothing (an empty value)")
    if isinstance(value, bool):
        return _("true or false ({value})", value=str(value).lower())
    if isinstance(value, dict):
        return _("a group of 'name: value' lines ({{…}})")
    if isinstance(value, list):
        return _("a list ([…])")
    if isinstance(value, dt.date):
        return _("a date ({value})", value=value.isoformat())
    if isinstance(value, int | float):
        return _("a number ({value})", value=value)
    return _("text ({value})", value=repr(str(value)))


# What separates the words of a list written as text: keywords: 法治政府，年度报告、政务公开
WORD_SEPARATORS = re.compile(r"[,，;；、]")


def word_list(value: Any) -> list[str]:
    """The words of a list key written as a list or as text (``keywords``, ``tags``; the
    one splitter of such values), each stripped, empty ones left out."""
    items = WORD_SEPARATORS.split(value) if isinstance(value, str) else value or []
    return [word for word in (str(item).strip() for item in items) if word]


def wrong_type(key: str, types: tuple[type, ...], value: Any) -> str:
    """``'draft' must be true or false, not text ('是')``."""
    return _(
        "'{key}' must be {expected}, not {actual}",
        key=key,
        expected=type_phrase(types),
        actual=value_phrase(value),
    )


def item_message(number: int, name: str, types: tuple[type, ...], value: Any) -> str:
    """``item 2 of 'tags' must be text, not a list ([…])``."""
    return _(
        "item {number} of '{key}' must be {expected}, not {actual}",
        number=number,
        key=name,
        expected=type_phrase(types),
        actual=value_phrase(value),
    )


def attachment_message(field: str, number: int, value: Any) -> str:
    """``'title' of attachment 1 must be text, not a list ([…])``."""
    return _(
        "'{key}' of attachment {number} must be text, not {actual}",
        key=field,
        number=number,
        actual=value_phrase(value),
    )


def type_hint(name: str, spec: Key) -> str:
    """What to write instead: the kind of value, an example when the key has one, and the
    quotes that text with ':' or '[' needs."""
    expected = type_phrase(spec.types)
    example = f"{name}: {spec.example}"
    if spec.example and str in spec.types:
        return _(
            "write it as {expected}, e.g. {example}; put text with ':' or '[' in quotes",
            expected=expected,
            example=example,
        )
    if spec.example:
        return _("write it as {expected}, e.g. {example}", expected=expected, example=example)
    if str in spec.types:
        return _("write it as {expected}; put text with ':' or '[' in quotes", expected=expected)
    return _("write it as {expected}", expected=expected)


def validate_mapping(
    data: Mapping[Any, Any],
    keys: Mapping[str, Key],
    doc: YamlDoc,
    path: str,
    diag: Diagnostics,
    prefix: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The known keys of ``data``, checked, with defaults filled in; every problem goes to
    ``diag`` at its line (a key with a problem gets its default).

    An unknown key is an error, unless ``extra`` is given: then it is kept there as it is
    (front matter keeps such keys for templates), with a warning when it looks like a
    typo of a known key. A known key written without a value (``date:``, ``source: ~``)
    is an error: it is either unfinished or a mistake, and would otherwise print as
    "None" or vanish.
    """
    result: dict[str, Any] = {}
    for raw_name, value in data.items():
        name = str(raw_name)
        dotted = ".".join((*prefix, name))
        line = doc.line(*prefix, name)
        spec = keys.get(name)
        if spec is None:
            typo = did_you_mean(name, list(keys), KEY_CUTOFF)
            if extra is None:
                hint = typo or _("remove it or check the reference in README.md")
                diag.error(path, _("unknown key '{key}'", key=dotted), line, hint)
            else:
                extra[name] = value
                if typo:
                    diag.warn(
                        path, _("unknown key '{key}' is kept for templates", key=dotted), line, typo
                    )
            continue
        if value is None:
            expected = type_phrase(spec.types)
            hint = (
                _(
                    "write {expected}, e.g. {example}, or remove the line",
                    expected=expected,
                    example=f"{dotted}: {spec.example}",
                )
                if spec.example
                else _("write {expected}, or remove the line", expected=expected)
            )
            diag.error(path, _("'{key}' has no value", key=dotted), line, hint)
            continue
        if not type_ok(value, spec.types):
            diag.error(path, wrong_type(dotted, spec.types, value), line, type_hint(dotted, spec))
            continue
        if (
            spec.items
            and isinstance(value, list)
            and not _items_ok(dotted, spec, value, line, path, diag)
        ):
            continue
        if spec.check is not None:
            problem = spec.check(value)
            if problem:
                hint = (
                    _("e.g. {example}", example=f"{dotted}: {spec.example}")
                    if spec.example
                    else _("see the reference in README.md")
                )
                diag.error(path, _("'{key}': {problem}", key=dotted, problem=problem), line, hint)
                continue
        result[name] = value
    for name, spec in keys.items():
        result.setdefault(name, copy.deepcopy(spec.default))
    return result


def _items_ok(
    name: str, spec: Key, items: list[Any], line: int | None, path: str, diag: Diagnostics
) -> bool:
    """Items of a list of words (tags, keywords, nav) must be text, not lists or nothing."""
    for number, item in enumerate(items, 1):
        if not type_ok(item, spec.items):
            hint = (
                _(
                    "e.g. {example}; put an item with ',' or ':' in quotes",
                    example=f"{name}: {spec.example}",
                )
                if spec.example
                else _("put an item with ',' or ':' in quotes")
            )
            diag.error(path, item_message(number, name, spec.items, item), line, hint)
            return False
    return True
