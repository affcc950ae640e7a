"""Parse YAML safely and remember the line of every mapping key, for error messages.

Besides syntax, four things are refused or repaired here, for every YAML file sitegen
reads (front matter, ``sitegen.yaml``, UI strings):

- a key given twice in one mapping (YAML would silently keep the last one);
- a document that aliases (``*name``) make larger than :data:`MAX_ALIAS_EXPANSION` values,
  or that refers to itself (the "billion laughs" bomb: a few lines that expand to 10⁹);
- control characters in text (escapes such as ``"\\x08"``): removed, and listed in
  :attr:`YamlDoc.removed` so that the caller can warn;
- the slips of an editor typing with a Chinese input method (:mod:`generator.yamlslips`):
  a full-width colon after a key, full-width spaces as indentation, a full-width comma
  between the items of a list, each reported at its own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .messages import N_, _
from .text import strip_invalid
from .yamlslips import find_slip

# How many values aliases may add to a document. Front matter and site configurations
# have tens to hundreds of values and need no aliases at all; 100,000 keeps any document
# that uses them honestly while a bomb is refused before anything is built from it.
MAX_ALIAS_EXPANSION = 100_000
MERGE_KEY = "tag:yaml.org,2002:merge"


class YamlError(Exception):
    """A YAML problem with the line where it is (1-based) and, when known, a hint."""

    def __init__(self, message: str, line: int | None, hint: str = ""):
        self.message = message
        self.line = line
        self.hint = hint
        super().__init__(message)


@dataclass
class YamlDoc:
    """Parsed data plus the 1-based line of each key path, e.g. ``("footer", "phone")``."""

    data: Any
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)
    # (line, characters) of every text that had control characters removed
    removed: list[tuple[int, str]] = field(default_factory=list)

    def line(self, *keys: str, default: int | None = None) -> int | None:
        """Line of a key path, or of its nearest parent that has one."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return default


def describe_chars(chars: str) -> str:
    """'U+0008, U+FFFF' for the characters removed from a text (each named once)."""
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expanded_sizes(root: yaml.Node) -> dict[int, int]:
    """How many values each node stands for once aliases are expanded, by ``id(node)``;
    raises :class:`YamlError` for a node that contains itself. Linear in the number of
    distinct nodes (shared nodes are counted once and their size reused)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    cap = 10 * MAX_ALIAS_EXPANSION  # sizes beyond this need not be exact
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = min(cap, 1 + sum(sizes[id(c)] for c in _children(node)))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlError(
                _("an alias (*name) refers to the value that contains it"),
                node.start_mark.line + 1,
                _("write the value out instead of using '&' anchors and '*' aliases"),
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes


def _check_aliases(root: yaml.Node, offset: int) -> None:
    """Refuse a document that aliases blow up (billion laughs) or make recursive."""
    try:
        sizes = _expanded_sizes(root)
    except YamlError as exc:
        raise YamlError(exc.message, (exc.line or 1) + offset, exc.hint) from None
    if sizes[id(root)] - len(sizes) <= MAX_ALIAS_EXPANSION:
        return
    line = root.start_mark.line + 1
    message = _(
        "aliases (*name) expand the YAML to more than {count} values",
        count=f"{MAX_ALIAS_EXPANSION:,}",
    )
    if isinstance(root, yaml.MappingNode):
        total = 0
        for key_node, value_node in root.value:
            total += sizes[id(key_node)] + sizes[id(value_node)]
            if total > MAX_ALIAS_EXPANSION:
                line = key_node.start_mark.line + 1
                message = _(
                    "aliases (*name) expand the YAML to more than {count} values by the key '{key}'",
                    count=f"{MAX_ALIAS_EXPANSION:,}",
                    key=key_node.value,
                )
                break
    raise YamlError(
        message,
        line + offset,
        _("write the values out instead of using '&' anchors and '*' aliases"),
    )


def _walk(root: yaml.Node, offset: int) -> dict[tuple[str, ...], int]:
    """The line of every key path outside sequences; a key given twice in one mapping
    (anywhere, sequences included) is an error."""
    out: dict[tuple[str, ...], int] = {}
    # (node, its key path; None inside a sequence, where lines are not recorded)
    stack: list[tuple[yaml.Node, tuple[str, ...] | None]] = [(root, ())]
    while stack:
        node, prefix = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, None) for item in node.value)
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            name = strip_invalid(str(key_node.value))[0]
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != MERGE_KEY:
                ident = (key_node.tag, key_node.value)
                if ident in seen:
                    first = seen[ident]
                    raise YamlError(
                        _(
                            "key '{key}' is given twice (lines {first} and {line})",
                            key=name,
                            first=first,
                            line=line,
                        )
                        if first != line
                        else _(
                            "key '{key}' is given twice (both on line {line})", key=name, line=line
                        ),
                        line,
                        _("keep one of the two lines: YAML would silently use the last one"),
                    )
                seen[ident] = line
            key = None if prefix is None else (*prefix, name)
            if key is not None:
                out[key] = line
            stack.append((value_node, key))
    return out


# libyaml's parser when PyYAML was built with it: the same results, many times faster.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps an impossible date such as 2020-13-45 as text, and removes
    control characters from text (recording them in ``removed``).

    PyYAML raises a bare ValueError for impossible dates; as text, the caller can report
    the field.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.removed: list[tuple[int, str]] = []

    def construct_scalar(self, node: yaml.Node) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str):
            value, dropped = strip_invalid(value)
            if dropped:
                self.removed.append((node.start_mark.line + 1, dropped))
        return value

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


# What the YAML parser says (libyaml's words, and PyYAML's where they differ), in an
# editor's words. A problem not listed is shown as the parser says it.
PARSER_PROBLEMS = {
    "mapping values are not allowed in this context": N_(
        "a second ':' where a value is expected (put a value with ':' in quotes)"
    ),
    "mapping values are not allowed here": N_(
        "a second ':' where a value is expected (put a value with ':' in quotes)"
    ),
    "could not find expected ':'": N_("a line without ':' where a 'key: value' line is expected"),
    "did not find expected key": N_("a line indented differently from the keys around it"),
    "found character that cannot start any token": N_(
        "a character that cannot start a value (a tab, or '@' or '`' at the start)"
    ),
    "found a tab character that violates indentation": N_(
        "a tab used for indentation (indent with spaces)"
    ),
    "found unexpected end of stream": N_("a quote or bracket that is opened and never closed"),
    "found undefined alias": N_("an alias (*name) with no anchor (&name) before it"),
    "found unknown escape character": N_(
        "an unknown escape with '\\' inside double quotes (use single quotes)"
    ),
    "did not find expected ',' or ']'": N_("a list in '[ ]' that is not closed with ']'"),
    "did not find expected ',' or '}'": N_("a mapping in '{{ }}' that is not closed with '}}'"),
    "did not find expected node content": N_("a value is missing"),
    "found unexpected ':'": N_("a ':' where none can be"),
    "expected <block end>, but found '-'": N_(
        "a '-' list item indented differently from the others"
    ),
    "block sequence entries are not allowed in this context": N_(
        "a '-' list item on the line of a key (start the list on the next line)"
    ),
}


def parser_problem(problem: str) -> str:
    """The parser's problem in the editor's language (as it is when not known)."""
    known = PARSER_PROBLEMS.get(problem)
    if known is None and problem.startswith("found character '\\t'"):
        known = PARSER_PROBLEMS["found a tab character that violates indentation"]
    return _(known) if known else problem


def _syntax_error(exc: yaml.YAMLError, text: str, offset: int) -> YamlError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        slip = find_slip(text, offset, before=line)
        if slip is not None:
            return YamlError(slip.message, slip.line, slip.hint)
        return YamlError(parser_problem(exc.problem or exc.context or "invalid YAML"), line)
    if isinstance(exc, yaml.reader.ReaderError):
        # A raw control character: the reader gives its position in the text, not a line.
        # libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters.
        seen = text.encode("utf-8", "surrogatepass") if _SafeBase is not yaml.SafeLoader else text
        line = seen[: exc.position].count("\n" if seen is text else b"\n") + 1 + offset
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return YamlError(
            _(
                "the text has the control character U+{code}, which YAML does not allow",
                code=f"{char:04X}",
            ),
            line,
            _("delete it (it is invisible in most editors: retype the line)"),
        )
    return YamlError(str(exc), None)


def parse_yaml(text: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; ``line_offset`` shifts reported lines (front matter)."""
    slip = find_slip(text, line_offset)
    if slip is not None:
        raise YamlError(slip.message, slip.line, slip.hint)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None)
        if "*" in text:  # only aliases can make a document larger than its text
            _check_aliases(node, line_offset)
        lines = _walk(node, line_offset)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, line_offset) from None
    finally:
        loader.dispose()
    removed = [(line + line_offset, chars) for line, chars in loader.removed]
    return YamlDoc(data, lines, removed)
