"""What a report body uses from outside its own file, found in its Markdown with lines:
images (``![alt](images/x.png)``, ``<img src>``), cross-references to other reports
(``[文件](ref:xwzx/gsgg/2020-report.md)``) and CSV tables (``::: csv data/t.csv``).

The scan is a pure function of the body, kept with the report in the build cache; the
checks against the files (do they exist, are they published) run at every build
(``content.check_body_uses``), so a cached report is checked again.
"""

from __future__ import annotations

import bisect
import html
import re
import shlex
from dataclasses import dataclass
from urllib.parse import unquote

from .messages import _

# Every pattern runs in linear time on any text: an attempt never reads past the next
# bracket ('[', ']') or '<' or the end of its line, so hostile input cannot stall a build.
# ``![alt](target "title")`` and ``![alt](<target with spaces>)`` (no brackets in alt).
IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(\s*(?:<([^>\n]*)>|([^\s)]+))")
# ``![alt][id]`` / ``![alt][]`` / ``![alt]`` with a definition ``[id]: images/x.png``.
IMAGE_REFERENCE = re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?(?!\()")
DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*(?:<([^>\n]*)>|(\S+))", re.M)
IMG_TAG = re.compile(r"<img\b[^<>]*>", re.I)
TAG_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
# ``[text](ref:path#fragment)``: the target's file, relative to content/ or to the report.
REF = re.compile(r"\]\(\s*<?ref:([^\s)>]+)>?")
REF_PREFIX = "ref:"
# A line of its own: ``::: csv path/to/table.csv caption="表1 …"`` (the path may be quoted).
CSV_LINE = re.compile(r"^[ ]{0,3}:::[ \t]*csv[ \t]+(.*)$", re.M)
FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)", re.M | re.S)
CSV_EXAMPLE = '::: csv files/table.csv caption="表1 …"'
INLINE_CODE = re.compile(r"`[^`\n]+`")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class BodyUse:
    kind: str  # "image", "ref" or "csv"
    target: str  # as written: images/x.png, xwzx/gsgg/a.md#二, data/t.csv
    line: int  # line in the report file
    text: str = ""  # an image's alt text, a table's caption
    problem: str = ""  # what is wrong with how it is written (a csv line)


def _without_code(body: str) -> str:
    """The body with fenced code blocks and inline code blanked (their lines kept), so
    that examples of the syntax in code are not taken for uses."""
    text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    return INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text) if "`" in text else text


def scan_body(body: str, first_line: int = 1) -> tuple[BodyUse, ...]:
    """Every image, cross-reference and CSV table of a body, in the order written."""
    if "![" not in body and "<img" not in body.lower() and "ref:" not in body and ":::" not in body:
        return ()
    text = _without_code(body)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        return first_line + bisect.bisect_right(starts, pos) - 1

    found: list[tuple[int, BodyUse]] = []
    for m in IMAGE.finditer(text):
        target = m.group(2) if m.group(2) is not None else m.group(3)
        found.append((m.start(), BodyUse("image", target.strip(), line(m.start()), m.group(1))))
    definitions: dict[str, str] = {}
    for m in DEFINITION.finditer(text):
        target = m.group(2) if m.group(2) is not None else m.group(3)
        definitions.setdefault(_label(m.group(1)), target.strip())
    if definitions:
        for m in IMAGE_REFERENCE.finditer(text):
            target = definitions.get(_label(m.group(2) or m.group(1)))
            if target is not None:
                found.append((m.start(), BodyUse("image", target, line(m.start()), m.group(1))))
    for m in IMG_TAG.finditer(text):
        attributes = {
            a.group(1).lower(): html.unescape(next(g for g in a.groups()[1:] if g is not None))
            for a in TAG_ATTRIBUTE.finditer(m.group(0))
        }
        if "src" in attributes:
            alt = attributes.get("alt", "")
            found.append(
                (m.start(), BodyUse("image", attributes["src"].strip(), line(m.start()), alt))
            )
    for m in REF.finditer(text):
        found.append((m.start(), BodyUse("ref", m.group(1), line(m.start()))))
    for m in CSV_LINE.finditer(text):
        target, caption, problem = parse_csv_line(m.group(1))
        found.append((m.start(), BodyUse("csv", target, line(m.start()), caption, problem)))
    return tuple(use for _, use in sorted(found, key=lambda item: item[0]))


def _label(text: str) -> str:
    """A reference label as Markdown matches it: case and runs of spaces do not count."""
    return " ".join(text.split()).lower()


def parse_csv_line(rest: str) -> tuple[str, str, str]:
    """(path, caption, problem) from what follows ``::: csv``."""
    try:
        words = shlex.split(rest)
    except ValueError:
        return "", "", _("an unclosed quote; write {example}", example=CSV_EXAMPLE)
    if not words:
        return "", "", _("no file named; write {example}", example=CSV_EXAMPLE)
    target, caption = words[0], ""
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if sep and key == "caption":
            caption = value
        else:
            return (
                target,
                "",
                _("'{word}' is not understood; only caption=\"…\" may follow the file", word=word),
            )
    return target, caption, ""


def is_local(target: str) -> bool:
    """True for a path of the site (not an address of another site, a data: URL, a #)."""
    return bool(target) and not SCHEME.match(target) and not target.startswith(("//", "#"))


def content_path(target: str, folder: str, base_path: str = "/") -> str | None:
    """The path under content/ that a local target written in a report of ``folder``
    (its folder under content/, '' for the top) names: from the site root (with or
    without the base path) when it starts with '/', else from the report's folder.
    None when it leads outside content/."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if path.startswith("/"):
        if base_path != "/" and path.startswith(base_path):
            path = "/" + path[len(base_path) :]
        joined = path
    else:
        joined = "/" + (folder + "/" if folder else "") + path
    parts: list[str] = []
    for part in joined.split("/"):
        if part == "..":
            if not parts:
                return None  # above content/ (normpath would stop at the root)
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts) or None


def ref_path(target: str, folder: str) -> str | None:
    """The content/ path of a cross-reference: relative to the report when it starts with
    './' or '../', else from content/ (a leading '/' allowed)."""
    path = unquote(target.split("#", 1)[0]).replace("\\", "/")
    if path.startswith(("./", "../")):
        return content_path(path, folder)
    return content_path("/" + path.lstrip("/"), folder)
