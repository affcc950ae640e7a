"""Markdown to HTML: Python-Markdown with tables, footnotes, attribute lists and a TOC.

Our own extension collects the table of contents, gives headings ids that keep their
Chinese text and stay unique with ``-2``, ``-3`` (never ``_1``), marks table header cells
with ``scope`` and wraps tables in a region that scrolls sideways on phones. Each document
runs only the processors and inline patterns that can act on it (:class:`Switchboard`),
and a plain document (headings, paragraphs, simple lists, bold leads: most laws and reports)
skips Python-Markdown altogether for ``md_plain``, which writes the same HTML and TOC.

A new extension registers its items here with one line; to keep the fast path for documents
it cannot act on, it also lists its trigger strings in :data:`OPTIONAL` (an item that is not
listed there is taken to act on any text, and keeps every document on Python-Markdown).
"""

from __future__ import annotations

import html
import operator
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode, unescape
from markdown.serializers import _escape_attrib_html
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from . import md_csv, md_images, md_refs
from .md_links import make_links_linear
from .md_plain import KNOWN, render_plain
from .table_dates import keep_dates_whole

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TOC_LEVELS = (2, 4)
TAG = re.compile(r"<[^>]*>")

# Python-Markdown runs every preprocessor, block processor, inline pattern, tree- and
# postprocessor on every document, and tries every inline pattern on every piece of
# text. Each item below can only act where one of its trigger strings occurs in the
# source (tabs become spaces and line ends "\n" before parsing, so they count for line
# breaks); items whose triggers a document lacks are left out while it is converted.
# Chinese reports seldom hold more than "*", so this saves almost half of the Markdown
# time. Items not listed (the core ones, and any from other extensions) always run.
INLINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n", "  \r", "\t"),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "not_strong": ("*", "_"),
    "strong_em": ("*",),
    "strong": ("*",),
    "emphasis": ("*",),
    "emphasis2": ("_",),
}
# registry (an attribute path of the Markdown instance) → item name → triggers
OPTIONAL: dict[str, dict[str, tuple[str, ...]]] = {
    "preprocessors": {"html_block": ("<",)},
    "parser.blockprocessors": {
        "markdown_block": ("<",),  # md_in_html: HTML blocks set aside by html_block
        "table": ("|",),
        "deflist": (":",),
        "quote": (">",),
        "footnote": ("[^",),
        "reference": ("[",),
        "sitegen_csv": (":::",),
    },
    "inlinePatterns": INLINE_TRIGGERS,
    "treeprocessors": {
        "footnote": ("[^",),
        "footnote-duplicate": ("[^",),
        "attr_list": ("{",),
        "unescape": ("\\",),  # undoes the placeholders of backslash escapes
        "sitegen_tables": ("|", "<", ":::"),  # tables come from pipes, md_in_html or CSV
        "sitegen_refs": ("ref:",),
    },
    "postprocessors": {"footnote": ("[^",), "sitegen_images": ("![", "<img", "<IMG")},
}


class Switchboard:
    """Keeps in one registry, document by document, only the items that can act on it."""

    def __init__(self, registry: markdown.util.Registry, triggers: dict[str, tuple[str, ...]]):
        self.registry = registry
        self.triggers = triggers
        order = list(registry._priority)  # a copy: reading an item sorts the list in place
        self.items = [(p.name, registry[p.name], p.priority) for p in order]
        self.active = {name for name, _, _ in self.items}

    def select(self, present: set[str]) -> None:
        """Register the items that have a trigger in ``present`` or need none."""
        wanted = {
            name
            for name, _, _ in self.items
            if name not in self.triggers or not present.isdisjoint(self.triggers[name])
        }
        if wanted == self.active:
            return
        for name in self.active - wanted:
            self.registry.deregister(name)
        for name, item, priority in self.items:
            if name in wanted and name not in self.active:
                self.registry.register(item, name, priority)
        self.active = wanted


def heading_text(element: etree.Element) -> str:
    return "".join(element.itertext()).strip()


def _footnote_ref(element: etree.Element) -> bool:
    return element.tag == "sup" and element.get("id", "").startswith("fnref")


def _raw_text(element: etree.Element) -> str:
    """The element's text without footnote references (still with stash placeholders)."""
    parts = [element.text or ""]
    for child in element:
        if not _footnote_ref(child):
            parts.append(_raw_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class Headings(Treeprocessor):
    """Unique, readable ids for headings that have none, and the table of contents.

    Ids keep the heading's Chinese text and become unique with ``-2``, ``-3`` (never
    ``_1``); an id the author set (``{: #id }``) is kept and never reused. The TOC lists
    h2–h4 as plain text (the template escapes it). Runs after inline parsing and after
    attr_list, so it sees the text and the author's ids.
    """

    def __init__(self, md: markdown.Markdown, reserved: frozenset[str] = frozenset()):
        super().__init__(md)
        self.reserved = reserved  # ids the page template uses itself

    def run(self, root: etree.Element) -> None:
        used: set[str] = {el.get("id") for el in root.iter() if el.get("id")} | self.reserved
        ids = HeadingIds(used)
        for element in root.iter():
            if element.tag not in HEADINGS:
                continue
            raw = HTML_PLACEHOLDER_RE.sub(self._stashed_text, _raw_text(element))
            element.set("id", ids.add(int(element.tag[1]), heading_name(raw), element.get("id")))
        self.md.toc_tokens = nest(ids.flat)  # type: ignore[attr-defined]

    def _stashed_text(self, match: re.Match[str]) -> str:
        """The text of raw HTML that inline parsing set aside (``<span>x</span>`` → x)."""
        raw = self.md.htmlStash.rawHtmlBlocks[int(match.group(1))]
        return TAG.sub("", raw) if isinstance(raw, str) else "".join(raw.itertext())


def heading_name(raw: str) -> str:
    """A heading's text as the TOC shows it and its id is made from (blanks collapsed)."""
    return " ".join(html.unescape(unescape(raw)).split())


class HeadingIds:
    """The ids and TOC entries of one document's headings, in document order."""

    def __init__(self, used: set[str]):
        self.used = used  # ids taken (by the author, the template, earlier headings)
        self.flat: list[dict] = []

    def add(self, level: int, name: str, given: str | None = None) -> str:
        """The heading's id: ``given`` (the author's), else one made from ``name``."""
        if not given:
            base = slugify_unicode(name, "-") or "section"
            given, n = base, 2
            while given in self.used:
                given = f"{base}-{n}"
                n += 1
            self.used.add(given)
        if TOC_LEVELS[0] <= level <= TOC_LEVELS[1]:
            self.flat.append({"level": level, "id": given, "name": name})
        return given


def nest(flat: list[dict]) -> list[dict]:
    """h2, h3, h3, h2 → two entries, the first with two children."""
    top: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        token["children"] = []
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else top).append(token)
        stack.append(token)
    return top


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
    def __init__(self, table_label: str = "表格 {n}", reserved_ids: frozenset[str] = frozenset()):
        super().__init__()
        self.table_label = table_label
        self.reserved_ids = reserved_ids

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After inline parsing (20) and attr_list (8): the author's ids are known.
        make_links_linear(md)
        md_images.register(md)
        md_refs.register(md)
        md_csv.register(md)
        md.treeprocessors.register(Headings(md, self.reserved_ids), "sitegen_headings", 6)
        md.treeprocessors.register(Tables(md, self.table_label), "sitegen_tables", 4)


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # nested {level, id, name, children}
    headings: int = 0


class MarkdownRenderer:
    """One reusable Markdown instance (reset between documents: cheaper than a new one)."""

    def __init__(
        self, table_label: str = "表格 {n}", reserved_ids: frozenset[str] = frozenset()
    ) -> None:
        self.md = markdown.Markdown(
            extensions=[
                "tables",
                "footnotes",
                "attr_list",
                "def_list",
                "md_in_html",
                "sane_lists",
                SitegenExtension(table_label, reserved_ids),
            ],
            extension_configs={
                "footnotes": {"BACKLINK_TITLE": "返回正文 %d"},
            },
            output_format="html",
        )

        self.reserved_ids = reserved_ids
        self.table_label = table_label
        self.make_switchboards()

    def make_switchboards(self) -> None:
        """One switchboard per registry of :data:`OPTIONAL`, over the items registered now."""
        self.switchboards = [
            Switchboard(operator.attrgetter(path)(self.md), triggers)
            for path, triggers in OPTIONAL.items()
        ]
        self.known = [KNOWN[path] for path in OPTIONAL]
        self.triggers = sorted(
            {t for items in OPTIONAL.values() for ts in items.values() for t in ts}
        )

    def select_for(self, text: str) -> None:
        """Register only the processors and patterns that can act on ``text``."""
        present = {t for t in self.triggers if t in text}
        for board in self.switchboards:
            board.select(present)

    def render(self, text: str, facts: dict[str, tuple] | None = None) -> Rendered:
        """``facts``: what the build found outside the report (content.check_body_uses)."""
        self.select_for(text)
        result = self.plain(text)
        if result is None:
            self.md.reset()
            self.md.sitegen_facts = facts or {}  # type: ignore[attr-defined]
            self.md.toc_tokens = []  # type: ignore[attr-defined]
            body = self.md.convert(text)
            tokens = self.md.toc_tokens  # type: ignore[attr-defined]
            result = Rendered(body, tokens, _count(tokens))
        result.html = keep_dates_whole(result.html)  # on both paths alike
        return result

    def plain(self, text: str) -> Rendered | None:
        """A plain document rendered without Python-Markdown (``md_plain``), the same
        HTML and TOC; None when the document is not plain or an item of another
        extension is active."""
        if any(
            not b.active <= known for b, known in zip(self.switchboards, self.known, strict=True)
        ):
            return None
        ids = HeadingIds(set(self.reserved_ids))
        body = render_plain(
            text,
            lambda level, raw: ids.add(level, heading_name(raw)),
            lambda n: _escape_attrib_html(self.table_label.format(n=n)),
        )
        if body is None:
            return None
        tokens = nest(ids.flat)
        return Rendered(body, tokens, _count(tokens))


def _count(tokens: list[dict]) -> int:
    return sum(1 + _count(t.get("children", [])) for t in tokens)
