"""Validate mappings of YAML against declared keys: unknown keys, wrong types, typos."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
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


def wrong_type(key: str, types: tuple[type, ...], value: Any) -> str:
    """The message for a value of the wrong kind: "'draft' must be true or false, not …"."""
    return _(
        "'{key}' must be {expected}, not {actual}",
        key=key,
        expected=type_phrase(types),
        actual=value_phrase(value),
    )


@dataclass(frozen=True)
class Key:
    """One allowed key: its types, default and an optional extra check returning an error."""

    types: tuple[type, ...]
    default: Any = None
    check: Callable[[Any], str | None] | None = None
    example: str = ""


def did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return _("did you mean '{key}'?", key=close[0]) if close else ""


def type_ok(value: Any, types: tuple[type, ...]) -> bool:
    # YAML's `true` is an int to Python; never accept a bool where a number is meant.
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def validate_mapping(
    data: Mapping[str, Any],
    keys: Mapping[str, Key],
    doc: YamlDoc,
    path: str,
    diag: Diagnostics,
    prefix: tuple[str, ...] = (),
    unknown_is_error: bool = True,
) -> dict[str, Any]:
    """Return the mapping with defaults filled in; report every problem to ``diag``."""
    result: dict[str, Any] = {}
    dotted = ".".join(prefix) + "." if prefix else ""
    for name, value in data.items():
        name = str(name)
        line = doc.line(*prefix, name)
        spec = keys.get(name)
        if spec is None:
            hint = did_you_mean(name, list(keys)) or _(
                "remove it or check the reference in README.md"
            )
            if unknown_is_error:
                diag.error(path, _("unknown key '{key}'", key=dotted + name), line, hint)
            continue
        if value is None and spec.default is not None:
            value = spec.default
        if value is not None and not type_ok(value, spec.types):
            hint = (
                _(
                    "write it as {expected}, e.g. {example}",
                    expected=type_phrase(spec.types),
                    example=f"{dotted}{name}: {spec.example}",
                )
                if spec.example
                else _("write it as {expected}", expected=type_phrase(spec.types))
            )
            diag.error(path, wrong_type(dotted + name, spec.types, value), line, hint)
            continue
        if value is not None and spec.check is not None:
            problem = spec.check(value)
            if problem:
                hint = (
                    _("e.g. {example}", example=f"{dotted}{name}: {spec.example}")
                    if spec.example
                    else _("see the reference in README.md")
                )
                diag.error(
                    path, _("'{key}': {problem}", key=dotted + name, problem=problem), line, hint
                )
                continue
        result[name] = value
    for name, spec in keys.items():
        result.setdefault(name, copy.deepcopy(spec.default))
    return result
