"""Read a Markdown source file: decode it and split its YAML front matter from the body."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import Diagnostics
from .messages import _
from .text import INVALID_CHARS, strip_invalid
from .yamlsource import YamlDoc, YamlError, describe_chars, parse_yaml

FENCE = "---"


@dataclass
class SourceFile:
    """A decoded source: front matter (with key lines) and the Markdown body."""

    path: Path
    shown: str  # the path as printed in messages, relative to the site
    meta: YamlDoc
    body: str
    body_line: int  # 1-based line where the body starts
    digest: str = ""  # hash of the file's bytes (the build cache's key of its content)


def guess_encoding(raw: bytes) -> str:
    """Name the likely encoding of bytes that are not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for name in ("gb18030", "big5"):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return name.upper()
    return _("an unknown encoding")


def decode(raw: bytes, shown: str, diag: Diagnostics) -> str | None:
    """The text of a UTF-8 file (a BOM is dropped); else an error that says how to convert
    it, and ``None``. Every text file sitegen reads (reports, templates, UI strings) comes
    through here."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = guess_encoding(raw)
        suffix = PurePosixPath(shown).suffix or ".txt"
        diag.error(
            shown,
            _("the file is not UTF-8 (it looks like {encoding})", encoding=encoding),
            line,
            _(
                "convert it, e.g. iconv -f {encoding} -t UTF-8 '{file}' > converted{suffix}, "
                "or re-save it as UTF-8 in your editor",
                encoding=encoding,
                file=shown,
                suffix=suffix,
            ),
        )
        return None


def warn_removed(doc: YamlDoc, shown: str, diag: Diagnostics) -> None:
    """Warn once per line about control characters taken out of YAML text."""
    for line, chars in doc.removed:
        diag.warn(
            shown,
            _("control characters removed from the text: {chars}", chars=describe_chars(chars)),
            line,
            _(
                "they are invisible and not allowed in feeds and pages; retype the value "
                "or remove the escape"
            ),
        )


def clean_body(body: str, shown: str, first_line: int, diag: Diagnostics | None) -> str:
    """The body without characters no page may carry; warns at the first line with one."""
    first = INVALID_CHARS.search(body)
    if first is None:
        return body
    cleaned, dropped = strip_invalid(body)
    if diag is not None:
        diag.warn(
            shown,
            _("control characters removed from the text: {chars}", chars=describe_chars(dropped)),
            first_line + body.count("\n", 0, first.start()),
            _("they are invisible (often pasted from another program); retype the line"),
        )
    return cleaned


def read_source(
    path: Path,
    shown: str,
    diag: Diagnostics,
    require_meta: bool = True,
):
    """Return a :class:`SourceFile`, or ``None`` after reporting why it cannot be read."""
    raw = path.read_bytes()
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    text = decode(raw, shown, diag)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        diag.error(
            shown,
            _("the file is empty"),
            1,
            _("add front matter between '---' lines with at least title and date, or delete it"),
        )
        return None
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        if not require_meta:
            return SourceFile(path, shown, YamlDoc({}), clean_body(text, shown, 1, diag), 1, digest)
        diag.error(
            shown,
            _("the file does not start with front matter"),
            1,
            _("put '---' on the first line, then title: and date:, then '---' again"),
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            end = index
            break
    else:
        diag.error(
            shown,
            _("the front matter has no closing '---'"),
            1,
            _("add a line '---' after the last front-matter key"),
        )
        return None
    try:
        meta = parse_yaml("\n".join(lines[1:end]), line_offset=1)
    except YamlError as exc:
        diag.error(
            shown,
            _("malformed YAML in the front matter: {problem}", problem=exc.message),
            exc.line,
            exc.hint
            or _(
                "check the indentation, and quote values that contain ':' or start with "
                "'*', '[' or '{{'"
            ),
        )
        return None
    warn_removed(meta, shown, diag)
    if meta.data is None:
        meta.data = {}
    if not isinstance(meta.data, dict):
        diag.error(
            shown, _("the front matter must be 'key: value' lines"), 2, _("e.g. title: 某某报告")
        )
        return None
    body = clean_body("\n".join(lines[end + 1 :]), shown, end + 2, diag)
    return SourceFile(path, shown, meta, body, end + 2, digest)
