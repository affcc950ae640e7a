"""Read a CSV file for a table in a report: UTF-8 (with or without BOM) or GB18030/GBK
(what Excel in China saves), every row as long as the first, or a problem with its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .messages import _

MAX_CSV_BYTES = 5 * 1024 * 1024  # a table on a page, not a data set


@dataclass(frozen=True)
class CsvProblem:
    message: str
    line: int | None = None  # line in the CSV file
    hint: str = ""


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[list[str]]
    encoding: str


def decode(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding): UTF-8 first (a BOM is dropped), else GB18030, a superset of GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def read_csv_table(path: str | Path) -> CsvTable | CsvProblem:
    try:
        size = Path(path).stat().st_size
        if size > MAX_CSV_BYTES:
            return CsvProblem(
                _(
                    "the CSV file is {size} MB; a table in a page may have at most 5 MB",
                    size=round(size / 1048576, 1),
                ),
                hint=_("attach the file for download instead of showing it as a table"),
            )
        raw = Path(path).read_bytes()
    except OSError as exc:
        return CsvProblem(_("the CSV file cannot be read: {reason}", reason=exc.strerror))
    decoded = decode(raw)
    if decoded is None:
        return CsvProblem(
            _("the CSV file is neither UTF-8 nor GB18030/GBK"),
            hint=_("save it again from Excel or WPS as CSV (UTF-8), or as CSV in GBK"),
        )
    text, encoding = decoded
    if "\x00" in text:
        return CsvProblem(
            _("the CSV file holds NUL characters (is it an .xlsx renamed to .csv?)"),
            hint=_("save it from Excel or WPS as CSV"),
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines, and Excel's rows of empty cells
            if rows and len(row) > len(rows[0]):
                extra = row[len(rows[0]) :]
                if any(cell.strip() for cell in extra):
                    return CsvProblem(
                        _(
                            "row has {count} cells, the header row {header}",
                            count=len(row),
                            header=len(rows[0]),
                        ),
                        reader.line_num,
                        _(
                            "give every row the columns of the first one (quote a cell "
                            'with a comma in it: "1,200")'
                        ),
                    )
                row = row[: len(rows[0])]
            rows.append([cell.strip() for cell in row])
    except csv.Error as exc:
        return CsvProblem(
            _("the CSV file is malformed: {reason}", reason=str(exc)),
            reader.line_num,
            _('a cell with a quote in it is written "say ""yes"""'),
        )
    if not rows:
        return CsvProblem(_("the CSV file has no rows"), hint=_("put the header row first"))
    width = len(rows[0])
    body = [row + [""] * (width - len(row)) for row in rows[1:]]
    return CsvTable(rows[0], body, encoding)
