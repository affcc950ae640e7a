"""Parse YAML and remember the line of every mapping key, for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml


class YamlError(Exception):
    """A YAML syntax error with the line where the parser stopped (1-based)."""

    def __init__(self, message: str, line: int | None):
        self.message = message
        self.line = line
        super().__init__(message)


@dataclass
class YamlDoc:
    """Parsed data plus the 1-based line of each key path, e.g. ``("footer", "phone")``."""

    data: Any
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line(self, *keys: str, default: int | None = None) -> int | None:
        """Line of a key path, or of its nearest parent that has one."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return default


def _walk(node: yaml.Node, prefix: tuple[str, ...], offset: int, out: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*prefix, str(key_node.value))
            out[key] = key_node.start_mark.line + 1 + offset
            _walk(value_node, key, offset, out)


# libyaml's parser when PyYAML was built with it: the same results, many times faster.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps an impossible date such as 2020-13-45 as text.

    PyYAML raises a bare ValueError for those; as text, the caller can report the field.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def parse_yaml(text: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; ``line_offset`` shifts reported lines (front matter)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(problem, line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), None) from None
    finally:
        loader.dispose()
    lines: dict[tuple[str, ...], int] = {}
    _walk(node, (), line_offset, lines)
    return YamlDoc(data, lines)
