"""`sitegen import`: Word files in, one report each in a column, and what was recognised.

Checks the site and the column, expands folders to the .docx (and .doc/.wps, to say how
to convert them) inside, reads and recognises each file, writes the report and its
images, and never replaces an existing report unless asked to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_NAME
from ..content import INDEX_NAME
from .markdown_out import Writer, render_report
from .reader import Unreadable, read_docx
from .recognise import Recognised, recognise

WORD_SUFFIXES = (".docx", ".doc", ".wps", ".docm", ".dotx", ".rtf")
# Formats a browser cannot show (the importer still extracts them).
NOT_FOR_BROWSERS = (".emf", ".wmf", ".tif", ".tiff")


class ImportProblem(Exception):
    """A problem with the whole import (site, column): nothing was written."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Outcome:
    """What happened to one file: the report written, or why not; and what was seen."""

    source: Path
    report: Path | None = None
    error: str = ""
    hint: str = ""
    lines: list[str] = field(default_factory=list)  # recognised: key, value
    unmapped: list[str] = field(default_factory=list)


def column_folder(site: Path, column: str) -> Path:
    if not (site / CONFIG_NAME).is_file():
        raise ImportProblem(
            f"{site / CONFIG_NAME}: no site here",
            "run the command in the site folder or pass --source DIR",
        )
    parts = [p for p in column.replace("\\", "/").strip("/").split("/") if p]
    if not parts or any(p in (".", "..") or p.startswith(".") for p in parts):
        raise ImportProblem(f"--to {column!r} is not a column folder", "e.g. --to xwzx/gsgg")
    folder = site / "content" / Path(*parts)
    if not (folder / INDEX_NAME).is_file():
        rel = Path("content", *parts, INDEX_NAME).as_posix()
        raise ImportProblem(
            f"column '{'/'.join(parts)}' does not exist (no {rel})",
            f"create it: mkdir -p {Path('content', *parts).as_posix()} and write {rel} with "
            "front matter '---\\ntitle: 公示公告\\n---', or choose an existing column",
        )
    return folder


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder gives its Word files (not Word's ~$ lock files), sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in WORD_SUFFIXES and not p.name.startswith("~$")
            )
        else:
            files.append(path)
    return files


def slug_for(path: Path, found: Recognised) -> str:
    """An ASCII file name: from the Word file's name, else from the 文号, else a hash."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-").lower()
    if re.search(r"[a-z]", slug):
        return slug
    match = re.search(r"〔(\d{4})〕(\d+)号", found.doc_no)
    if match:
        return f"doc-{match[1]}-{match[2]}"
    digest = hashlib.sha1(path.stem.encode("utf-8")).hexdigest()[:8]
    return f"import-{digest}"


def import_file(
    path: Path, folder: Path, force: bool, date: dt.date | None, today: dt.date
) -> Outcome:
    outcome = Outcome(path)
    if not path.is_file():
        outcome.error, outcome.hint = "no such file", "check the name"
        return outcome
    try:
        document = read_docx(path)
        found = recognise(document)
    except Unreadable as exc:
        outcome.error, outcome.hint = exc.message, exc.hint
        return outcome
    except Exception as exc:  # a .docx python-docx reads in a way nobody foresaw: no traceback
        outcome.error = f"could not be read ({type(exc).__name__}: {exc})"
        outcome.hint = "re-save it as .docx in WPS or Word, and report the file if it persists"
        return outcome
    slug = slug_for(path, found)
    target = folder / f"{slug}.md"
    images = folder / f"{slug}-images"
    if target.exists() and not force:
        outcome.error = f"{target} already exists"
        outcome.hint = "use --force to replace it, or rename the Word file"
        return outcome
    title = found.title or path.stem
    when = date or found.written_date or today
    fields: dict[str, object] = {
        "title": title,
        "date": when,
        "source": found.signature[0].plain if found.signature else "",
        "doc_no": found.doc_no,
        "publisher": found.signature[0].plain if found.signature and found.doc_no else "",
        "written_date": found.written_date,
        "recipient": found.recipient,
    }
    writer = Writer(images.name, document.footnotes)
    text = render_report(found, fields, writer)
    try:
        _write(target, text, images, writer.images, force)
    except OSError as exc:
        outcome.error = f"cannot write {target} ({exc.strerror or exc})"
        outcome.hint = "check that the folder is writable"
        return outcome
    outcome.report = target
    outcome.lines = _summary(found, title, when, date, writer)
    outcome.unmapped = _unmapped(found, document.unmapped, writer)
    return outcome


def _write(target: Path, text: str, images: Path, files: dict[str, bytes], force: bool) -> None:
    """Images first, then the report through a temporary file (never half a report)."""
    if images.exists() and force:
        shutil.rmtree(images)
    if files:
        images.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (images / name).write_bytes(data)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(temp, target)


def _summary(
    found: Recognised,
    title: str,
    when: dt.date,
    given: dt.date | None,
    writer: Writer,
) -> list[str]:
    def line(name: str, value: object, missing: str = "not found") -> str:
        return f"{name}: {value if value not in (None, '', 0, []) else missing}"

    levels = ", ".join(f"{'#' * lvl} {n}" for lvl, n in sorted(found.headings.items()))
    count = sum(found.headings.values())
    date_from = "--date" if given else ("成文日期" if found.written_date else "today: no 成文日期")
    tables = [i.table for i in found.items + found.after if i.table is not None]
    merged = sum(1 for t in tables if t.merged)
    lines = [
        line("title", title if found.title else f"{title} (not found: the file name)"),
        line("发文机关标志", found.masthead),
        line("文号 doc_no", found.doc_no),
        line("主送机关 recipient", found.recipient),
        f"headings: {count}" + (f" ({levels})" if count else ""),
        f"run-in leads (一是…) in bold: {found.leads}"
        + (
            f"; numbered paragraphs with a bold first sentence: {found.run_in}"
            if found.run_in
            else ""
        ),
        line(
            "attachments",
            f"{len(found.attachments)} ({'；'.join(found.attachments)}): listed in the text under "
            "附件, no files (add the files, then list them in attachments: {title, file})"
            if found.attachments
            else "",
            "none",
        ),
        line("signature", " / ".join(p.plain for p in found.signature)),
        line(
            "成文日期 written_date",
            f"{found.written_date.isoformat()} ({found.written_para.plain})"
            if found.written_date and found.written_para
            else "",
        ),
        f"date: {when.isoformat()} (from {date_from})",
        line(
            "版记",
            "; ".join(p.plain for p in found.imprint)
            + (f" (印发 {found.printed_by} {found.printed_date})" if found.printed_by else ""),
            "none",
        ),
        f"tables: {len(tables)}" + (f" ({merged} with merged cells, as HTML)" if merged else ""),
        f"images: {len(writer.images)}"
        + (f" (in {writer.images_folder}/)" if writer.images else ""),
        f"footnotes: {len(writer.footnotes)}",
    ]
    return lines


def _unmapped(found: Recognised, lost: dict[str, int], writer: Writer) -> list[str]:
    out = [f"{what}: {n}" for what, n in sorted(lost.items())]
    out += [f"{what}: {n}" for what, n in sorted(found.unmapped.items())]
    if writer.images_without_alt:
        names = ", ".join(sorted(writer.images_without_alt))
        out.append(f"images without a description (empty alt text; add one): {names}")
    odd = sorted(n for n in writer.images if n.lower().endswith(NOT_FOR_BROWSERS))
    if odd:
        out.append(f"images browsers cannot show (convert them to PNG): {', '.join(odd)}")
    if found.attachments:
        out.append("attachment files (the .docx names only their titles)")
    return out
