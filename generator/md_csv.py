"""CSV tables in a report body: a line of its own ``::: csv files/table.csv caption="表1 …"``
becomes a table with the file's first row as column headers (``<th scope="col">``, from
``markdown_ext.Tables``, which also wraps it in a region that scrolls on phones) and the
caption as ``<caption>``.

The file was checked by the build (``content.check_body_uses``: it exists, is published,
reads as UTF-8 or GB18030/GBK, its rows fit the header); its path comes as a fact in
``md.sitegen_facts``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor

from .body_uses import CSV_LINE, parse_csv_line
from .csv_table import CsvTable, read_csv_table

NUMBER = re.compile(r"[-+]?[\d,，.]+%?")


class CsvTables(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return CSV_LINE.search(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = CSV_LINE.search(block)
        assert match is not None
        before, after = block[: match.start()].rstrip("\n"), block[match.end() :].lstrip("\n")
        if after:
            blocks.insert(0, after)
        if before:
            self.parser.parseBlocks(parent, [before])
        target, caption, _problem = parse_csv_line(match.group(1))
        facts: dict[str, tuple] = getattr(self.parser.md, "sitegen_facts", None) or {}
        fact = facts.get(f"csv:{target}")
        table = read_csv_table(fact[0]) if fact is not None else None
        if not isinstance(table, CsvTable):
            etree.SubElement(parent, "p").text = match.group(0).strip()
            return
        parent.append(table_element(table, caption))


def table_element(table: CsvTable, caption: str) -> etree.Element:
    element = etree.Element("table", {"class": "csv-table"})
    if caption:
        etree.SubElement(element, "caption").text = caption
    row = etree.SubElement(etree.SubElement(element, "thead"), "tr")
    for cell in table.header:
        etree.SubElement(row, "th").text = cell
    body = etree.SubElement(element, "tbody")
    for cells in table.rows:
        row = etree.SubElement(body, "tr")
        for cell in cells:
            td = etree.SubElement(row, "td")
            td.text = cell
            if cell and NUMBER.fullmatch(cell):
                td.set("class", "num")
    return element


def register(md: markdown.Markdown) -> None:
    # Before tables (75) and paragraphs (10): the line is a block of its own.
    md.parser.blockprocessors.register(CsvTables(md.parser), "sitegen_csv", 76)
