"""Validate mappings of YAML against declared keys: unknown keys, wrong types, typos."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostics
from .yamlsource import YamlDoc

TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping of keys",
    float: "a number",
}


@dataclass(frozen=True)
class Key:
    """One allowed key: its types, default and an optional extra check returning an error."""

    types: tuple[type, ...]
    default: Any = None
    check: Callable[[Any], str | None] | None = None
    example: str = ""


def did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def type_ok(value: Any, types: tuple[type, ...]) -> bool:
    # YAML's `true` is an int to Python; never accept a bool where a number is meant.
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def describe_types(types: tuple[type, ...]) -> str:
    return " or ".join(TYPE_NAMES.get(t, t.__name__) for t in types)


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
            hint = did_you_mean(name, list(keys)) or "remove it or check the reference in README.md"
            if unknown_is_error:
                diag.error(path, f"unknown key '{dotted}{name}'", line, hint)
            continue
        if value is None and spec.default is not None:
            value = spec.default
        if value is not None and not type_ok(value, spec.types):
            example = f", e.g. {dotted}{name}: {spec.example}" if spec.example else ""
            diag.error(
                path,
                f"'{dotted}{name}' must be {describe_types(spec.types)}, "
                f"not {type(value).__name__} {value!r}",
                line,
                f"write it as {describe_types(spec.types)}{example}",
            )
            continue
        if value is not None and spec.check is not None:
            problem = spec.check(value)
            if problem:
                hint = (
                    f"e.g. {dotted}{name}: {spec.example}"
                    if spec.example
                    else "see the reference in README.md"
                )
                diag.error(path, f"'{dotted}{name}': {problem}", line, hint)
                continue
        result[name] = value
    for name, spec in keys.items():
        result.setdefault(name, copy.deepcopy(spec.default))
    return result
