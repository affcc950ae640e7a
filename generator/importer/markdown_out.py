"""Write a recognised document as a report: YAML front matter and Markdown text.

Headings as ``##``–``#####`` with their numbers, bold as ``**…**``, links, footnotes
``[^1]``, images beside the report, tables as pipe tables (HTML tables with rowspan and
colspan when cells are merged), the signature and date with the theme's classes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from .model import OBJECT, Atom, Para, Table
from .recognise import Item, Recognised

MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
# What would make a paragraph a heading, a quote or a list item (``1. `` needs its blank).
LINE_START = re.compile(r"^(\s*)([#>]|[-+](?=\s)|\d+(?=[.)]\s))")


def quote_yaml(value: str) -> str:
    """A YAML double-quoted scalar, Chinese kept readable (as scaffold's ``_quote``)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Writer:
    """Renders one document; remembers the footnotes and images it has used."""

    images_folder: str  # e.g. notice-2021-images (relative to the report)
    footnote_texts: dict[str, str]
    footnotes: dict[str, int] = field(default_factory=dict)  # Word key → number in text
    images: dict[str, bytes] = field(default_factory=dict)  # file name → bytes
    images_without_alt: set[str] = field(default_factory=set)

    # inline ---------------------------------------------------------------------------
    def inline(self, atoms: list[Atom], in_table: bool = False) -> str:
        out = []
        for run in _runs(atoms):
            out.append(self._run(run, in_table))
        return "".join(out)

    def _run(self, run: list[Atom], in_table: bool) -> str:
        first = run[0]
        if first.image is not None:
            return self._image(first)
        if first.footnote:
            return self._footnote(first.footnote)
        text = "".join(a.ch for a in run)
        core = text.strip()
        if not core:
            return text
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        body = escape(core, in_table)
        if first.href:
            body = f"[{body}]({_url(first.href)})"
        if first.bold and first.italic:
            body = f"***{body}***"
        elif first.bold:
            body = f"**{body}**"
        elif first.italic:
            body = f"*{body}*"
        return lead + body + trail

    def _image(self, atom: Atom) -> str:
        image = atom.image
        assert image is not None
        self.images[image.name] = image.data
        if not image.alt:
            self.images_without_alt.add(image.name)
        alt = escape(image.alt)
        return f"![{alt}]({quote(self.images_folder)}/{image.name})"

    def _footnote(self, key: str) -> str:
        if key not in self.footnote_texts:
            return ""
        number = self.footnotes.setdefault(key, len(self.footnotes) + 1)
        return f"[^{number}]"

    def html_inline(self, atoms: list[Atom]) -> str:
        out = []
        for run in _runs(atoms):
            first = run[0]
            if first.image is not None:
                self._image(first)
                src = html.escape(f"{quote(self.images_folder)}/{first.image.name}")
                out.append(f'<img src="{src}" alt="{html.escape(first.image.alt)}">')
                continue
            if first.footnote:
                continue
            text = html.escape("".join(a.ch for a in run), quote=False)
            if first.href:
                text = f'<a href="{html.escape(first.href)}">{text}</a>'
            if first.bold:
                text = f"<strong>{text}</strong>"
            if first.italic:
                text = f"<em>{text}</em>"
            out.append(text)
        return "".join(out)

    # blocks ---------------------------------------------------------------------------
    def paragraph(self, para: Para) -> str:
        text = self.inline(para.atoms)
        return LINE_START.sub(_escape_start, text, count=1)

    def item(self, item: Item, number: int) -> str:
        if item.kind == "table" and item.table is not None:
            return self.table(item.table)
        assert item.para is not None
        if item.kind == "heading":
            return "#" * item.level + " " + self.inline(item.para.atoms)
        if item.kind == "list":
            marker = f"{number}." if item.list_kind == "number" else "-"
            return f"{marker} {self.inline(item.para.atoms)}"
        return self.paragraph(item.para)

    def table(self, table: Table) -> str:
        return (
            self.html_table(table) if table.merged or _needs_html(table) else self.pipe_table(table)
        )

    def pipe_table(self, table: Table) -> str:
        width = max(len(row) for row in table.rows)
        lines = []
        for index, row in enumerate(table.rows):
            cells = [self._cell_md(c.paras) for c in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + " --- |" * width)
        return "\n".join(lines)

    def _cell_md(self, paras: list[Para]) -> str:
        return "<br>".join(self.inline(p.atoms, in_table=True) for p in paras)

    def html_table(self, table: Table) -> str:
        head_rows = max((c.rowspan for c in table.rows[0]), default=1)
        lines = ['<table markdown="1">', "<thead>"]
        for index, row in enumerate(table.rows):
            if index == head_rows:
                lines += ["</thead>", "<tbody>"]
            cells = []
            for cell in row:
                attrs = ""
                if cell.colspan > 1:
                    attrs += f' colspan="{cell.colspan}"'
                if cell.rowspan > 1:
                    attrs += f' rowspan="{cell.rowspan}"'
                content = "<br>".join(self.html_inline(p.atoms) for p in cell.paras)
                if index < head_rows:
                    scope = "colgroup" if cell.colspan > 1 else "col"
                    cells.append(f'<th scope="{scope}"{attrs}>{content}</th>')
                else:
                    cells.append(f"<td{attrs}>{content}</td>")
            lines.append("<tr>" + "".join(cells) + "</tr>")
        lines.append("</thead>" if head_rows >= len(table.rows) else "</tbody>")
        lines.append("</table>")
        return "\n".join(lines)

    def footnote_block(self) -> str:
        return "\n".join(
            f"[^{n}]: {escape(self.footnote_texts[key])}" for key, n in self.footnotes.items()
        )


def _escape_start(match: re.Match[str]) -> str:
    """``# x`` → ``\\# x``, ``2. x`` → ``2\\. x``: a paragraph, not a heading or a list."""
    mark = match.group(2)
    return match.group(1) + (mark + "\\" if mark[0].isdigit() else "\\" + mark)


def _needs_html(table: Table) -> bool:
    """Rows of unequal length cannot be a pipe table."""
    return len({len(row) for row in table.rows}) > 1


def _runs(atoms: list[Atom]) -> list[list[Atom]]:
    """Atoms grouped by formatting; each image or footnote reference alone."""
    runs: list[list[Atom]] = []
    for atom in atoms:
        key = (atom.bold, atom.italic, atom.href)
        if (
            runs
            and atom.ch != OBJECT
            and runs[-1][0].ch != OBJECT
            and (runs[-1][0].bold, runs[-1][0].italic, runs[-1][0].href) == key
        ):
            runs[-1].append(atom)
        else:
            runs.append([atom])
    return runs


def escape(text: str, in_table: bool = False) -> str:
    text = MD_SPECIAL.sub(r"\\\1", text).replace("&", "&amp;").replace("<", "&lt;")
    return text.replace("|", "\\|") if in_table else text


def _url(href: str) -> str:
    return quote(href, safe=":/?#[]@!$&'*+,;=%~.-_")


def front_matter(fields: dict[str, object]) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if value in (None, "", []):
            continue
        if isinstance(value, dt.date):
            lines.append(f"{key}: {value.isoformat()}")
        else:
            lines.append(f"{key}: {quote_yaml(str(value))}")
    return "\n".join([*lines, "---", ""])


def render_report(found: Recognised, fields: dict[str, object], writer: Writer) -> str:
    """The whole report file."""
    blocks = _body_blocks(found.items, writer)
    if found.attachments:
        blocks.append("附件：")
        blocks.append("\n".join(f"{n}. {escape(t)}" for n, t in enumerate(found.attachments, 1)))
    for para in found.signature:
        blocks.append(writer.paragraph(para) + "\n{: .signature }")
    if found.written_para is not None:
        blocks.append(writer.paragraph(found.written_para) + "\n{: .signing-date }")
    blocks += _body_blocks(found.after, writer)
    if found.imprint:
        blocks.append("* * *")
        blocks += [writer.paragraph(p) for p in found.imprint]
    notes = writer.footnote_block()
    if notes:
        blocks.append(notes)
    return front_matter(fields) + "\n" + "\n\n".join(b for b in blocks if b.strip()) + "\n"


def _body_blocks(items: list[Item], writer: Writer) -> list[str]:
    """Each item as Markdown; consecutive list items of one kind form one list."""
    blocks: list[str] = []
    number = 0
    previous = ""
    for item in items:
        kind = item.list_kind if item.kind == "list" else ""
        number = number + 1 if kind == "number" and previous == "number" else 1
        text = writer.item(item, number)
        if kind and previous == kind:
            blocks[-1] += "\n" + text
        else:
            blocks.append(text)
        previous = kind
    return blocks
