"""Read a Markdown source file: decode it and split its YAML front matter from the body."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics
from .yamlsource import YamlDoc, YamlError, parse_yaml

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
    return "an unknown encoding"


def decode(raw: bytes, shown: str, diag: Diagnostics) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = guess_encoding(raw)
        diag.error(
            shown,
            f"the file is not UTF-8 (it looks like {encoding})",
            line,
            f"convert it, e.g. iconv -f {encoding} -t UTF-8 '{shown}' > converted.md, "
            "or re-save it as UTF-8 in your editor",
        )
        return None


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
            "the file is empty",
            1,
            "add front matter between '---' lines with at least title and date, or delete it",
        )
        return None
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        if not require_meta:
            return SourceFile(path, shown, YamlDoc({}), text, 1, digest)
        diag.error(
            shown,
            "the file does not start with front matter",
            1,
            "put '---' on the first line, then title: and date:, then '---' again",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            end = index
            break
    else:
        diag.error(
            shown,
            "the front matter has no closing '---'",
            1,
            "add a line '---' after the last front-matter key",
        )
        return None
    try:
        meta = parse_yaml("\n".join(lines[1:end]), line_offset=1)
    except YamlError as exc:
        diag.error(
            shown,
            f"malformed YAML in the front matter: {exc.message}",
            exc.line,
            "check the indentation, and quote values that contain ':' or start with '*', '[' or '{'",
        )
        return None
    if meta.data is None:
        meta.data = {}
    if not isinstance(meta.data, dict):
        diag.error(shown, "the front matter must be 'key: value' lines", 2, "e.g. title: 某某报告")
        return None
    body = "\n".join(lines[end + 1 :])
    return SourceFile(path, shown, meta, body, end + 2, digest)
