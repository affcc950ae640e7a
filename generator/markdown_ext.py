"""Markdown to HTML: Python-Markdown with tables, footnotes, attribute lists and a TOC.

Our own extension gives headings ids that keep their Chinese text and stay unique with
``-2``, ``-3`` (never ``_1``), marks table header cells with ``scope`` and wraps tables in
a region that scrolls sideways on phones.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def heading_text(element: etree.Element) -> str:
    return "".join(element.itertext()).strip()


class HeadingIds(Treeprocessor):
    """Unique, readable ids for headings that have none (runs before the TOC)."""

    def run(self, root: etree.Element) -> None:
        used: set[str] = {el.get("id") for el in root.iter() if el.get("id")}
        for element in root.iter():
            if element.tag not in HEADINGS or element.get("id"):
                continue
            base = slugify_unicode(heading_text(element), "-") or "section"
            candidate, n = base, 2
            while candidate in used:
                candidate = f"{base}-{n}"
                n += 1
            used.add(candidate)
            element.set("id", candidate)


class Tables(Treeprocessor):
    """``<th scope>`` for screen readers and a focusable region that scrolls sideways.

    Each region is named by the table's caption, else numbered ("表格 2"): regions of one
    page need distinct names.
    """

    def __init__(self, md: markdown.Markdown, label: str):
        super().__init__(md)
        self.label = label

    def run(self, root: etree.Element) -> None:
        count = 0
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                for section in child:
                    for cell in section.iter("th"):
                        cell.set("scope", cell.get("scope") or _scope(section.tag))
                wrapper = etree.Element(
                    "div", {"class": "table-wrap", "role": "region", "tabindex": "0"}
                )
                count += 1
                caption = child.find("caption")
                name = heading_text(caption) if caption is not None else ""
                wrapper.set("aria-label", name or self.label.format(n=count))
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)


def _scope(section: str) -> str:
    # Header cells in <thead> label columns; a <th> in the body labels its row.
    return "col" if section == "thead" else "row"


class SitegenExtension(Extension):
    def __init__(self, table_label: str = "表格 {n}"):
        super().__init__()
        self.table_label = table_label

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # attr_list runs at 8 and toc at 5: ids set by the author win, ours come before the TOC.
        md.treeprocessors.register(HeadingIds(md), "sitegen_heading_ids", 6)
        md.treeprocessors.register(Tables(md, self.table_label), "sitegen_tables", 4)


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # nested {level, id, name, children}
    headings: int = 0


class MarkdownRenderer:
    """One reusable Markdown instance (reset between documents: cheaper than a new one)."""

    def __init__(self, table_label: str = "表格 {n}") -> None:
        self.md = markdown.Markdown(
            extensions=[
                "tables",
                "footnotes",
                "attr_list",
                "def_list",
                "md_in_html",
                "sane_lists",
                "toc",
                SitegenExtension(table_label),
            ],
            extension_configs={
                "toc": {"slugify": slugify_unicode, "toc_depth": "2-4", "permalink": False},
                "footnotes": {"BACKLINK_TITLE": "返回正文 %d"},
            },
            output_format="html",
        )

    def render(self, text: str) -> Rendered:
        self.md.reset()
        html = self.md.convert(text)
        tokens = getattr(self.md, "toc_tokens", [])
        return Rendered(html, tokens, _count(tokens))


def _count(tokens: list[dict]) -> int:
    return sum(1 + _count(t.get("children", [])) for t in tokens)
