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
from ..messages import N_, _
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
            _("{file}: no site here", file=site / CONFIG_NAME),
            _("run the command in the site folder or pass --source DIR"),
        )
    parts = [p for p in column.replace("\\", "/").strip("/").split("/") if p]
    if not parts or any(p in (".", "..") or p.startswith(".") for p in parts):
        raise ImportProblem(
            _("--to {column} is not a column folder", column=repr(column)),
            _("e.g. {example}", example="--to xwzx/gsgg"),
        )
    folder = site / "content" / Path(*parts)
    if not (folder / INDEX_NAME).is_file():
        rel = Path("content", *parts, INDEX_NAME).as_posix()
        raise ImportProblem(
            _("column '{column}' does not exist (no {file})", column="/".join(parts), file=rel),
            _(
                "create it: mkdir -p {folder} and write {file} with "
                "front matter '---\\ntitle: 公示公告\\n---', or choose an existing column",
                folder=Path("content", *parts).as_posix(),
                file=rel,
            ),
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
        outcome.error, outcome.hint = _("no such file"), _("check the name")
        return outcome
    try:
        document = read_docx(path)
        found = recognise(document)
    except Unreadable as exc:
        outcome.error, outcome.hint = exc.message, exc.hint
        return outcome
    except Exception as exc:  # a .docx python-docx reads in a way nobody foresaw: no traceback
        outcome.error = _("could not be read ({reason})", reason=f"{type(exc).__name__}: {exc}")
        outcome.hint = _("re-save it as .docx in WPS or Word, and report the file if it persists")
        return outcome
    slug = slug_for(path, found)
    target = folder / f"{slug}.md"
    images = folder / f"{slug}-images"
    if target.exists() and not force:
        outcome.error = _("{file} already exists", file=target)
        outcome.hint = _("use --force to replace it, or rename the Word file")
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
        outcome.error = _("cannot write {file} ({reason})", file=target, reason=exc.strerror or exc)
        outcome.hint = _("check that the folder is writable")
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
    def line(label: str, value: object, missing: str = N_("not found")) -> str:
        """``label: value``; ``label`` and ``missing`` are N_-marked English texts."""
        shown = value if value not in (None, "", 0, []) else _(missing)
        return _("{label}: {value}", label=_(label), value=shown)

    levels = ", ".join(f"{'#' * lvl} {n}" for lvl, n in sorted(found.headings.items()))
    count = sum(found.headings.values())
    date_from = (
        "--date" if given else (_("成文日期") if found.written_date else _("today: no 成文日期"))
    )
    tables = [i.table for i in found.items + found.after if i.table is not None]
    merged = sum(1 for t in tables if t.merged)
    imprint = "; ".join(p.plain for p in found.imprint)
    lines = [
        line(
            N_("title"),
            title if found.title else _("{title} (not found: the file name)", title=title),
        ),
        line(N_("发文机关标志"), found.masthead),
        line(N_("文号 doc_no"), found.doc_no),
        line(N_("主送机关 recipient"), found.recipient),
        _("headings: {count} ({levels})", count=count, levels=levels)
        if count
        else _("headings: {count}", count=count),
        _(
            "run-in leads (一是…) in bold: {leads}; numbered paragraphs with a bold first "
            "sentence: {run_in}",
            leads=found.leads,
            run_in=found.run_in,
        )
        if found.run_in
        else _("run-in leads (一是…) in bold: {leads}", leads=found.leads),
        line(
            N_("attachments"),
            _(
                "{count} ({titles}): listed in the text under 附件, no files (add the files, "
                "then list them in attachments: {{title, file}})",
                count=len(found.attachments),
                titles="；".join(found.attachments),
            )
            if found.attachments
            else "",
            N_("none"),
        ),
        line(N_("signature"), " / ".join(p.plain for p in found.signature)),
        line(
            N_("成文日期 written_date"),
            f"{found.written_date.isoformat()} ({found.written_para.plain})"
            if found.written_date and found.written_para
            else "",
        ),
        _("date: {date} (from {source})", date=when.isoformat(), source=date_from),
        line(
            N_("版记"),
            _(
                "{imprint} (印发 {by} {date})",
                imprint=imprint,
                by=found.printed_by,
                date=found.printed_date,
            )
            if found.printed_by
            else imprint,
            N_("none"),
        ),
        _("tables: {count} ({merged} with merged cells, as HTML)", count=len(tables), merged=merged)
        if merged
        else _("tables: {count}", count=len(tables)),
        _("images: {count} (in {folder}/)", count=len(writer.images), folder=writer.images_folder)
        if writer.images
        else _("images: {count}", count=len(writer.images)),
        _("footnotes: {count}", count=len(writer.footnotes)),
    ]
    return lines


def _unmapped(found: Recognised, lost: dict[str, int], writer: Writer) -> list[str]:
    """What could not be carried over; the keys of ``lost`` and ``found.unmapped`` are
    N_-marked English texts."""
    out = [_("{what}: {count}", what=_(what), count=n) for what, n in sorted(lost.items())]
    out += [
        _("{what}: {count}", what=_(what), count=n) for what, n in sorted(found.unmapped.items())
    ]
    if writer.images_without_alt:
        names = ", ".join(sorted(writer.images_without_alt))
        out.append(
            _("images without a description (empty alt text; add one): {names}", names=names)
        )
    odd = sorted(n for n in writer.images if n.lower().endswith(NOT_FOR_BROWSERS))
    if odd:
        out.append(
            _("images browsers cannot show (convert them to PNG): {names}", names=", ".join(odd))
        )
    if found.attachments:
        out.append(_("attachment files (the .docx names only their titles)"))
    return out
