"""The document as the importer sees it: paragraphs of formatted characters, tables, images.

A paragraph is a list of :class:`Atom`: one character each, with its formatting, so that
cleaning (spaces, numbering) and recognition (bold leads) can cut anywhere without
caring where Word's runs began and ended. Images and footnote references are atoms too
(their character is U+FFFC, left out of :attr:`Para.plain`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

OBJECT = "\ufffc"


@dataclass(frozen=True)
class Image:
    name: str  # file name inside the images folder, e.g. image1.png
    data: bytes
    alt: str = ""


@dataclass(frozen=True)
class Atom:
    ch: str  # one character, or OBJECT for an image or a footnote reference
    bold: bool = False
    italic: bool = False
    href: str = ""
    footnote: str = ""  # the footnote's key when this atom is a reference
    image: Image | None = None


@dataclass
class Para:
    atoms: list[Atom]
    align: str = ""  # left, center, right, justify or "" (not set)
    size: float = 0.0  # the largest font size of its text, in points (0: unknown)
    style: str = ""  # the paragraph style's name
    heading: int = 0  # level of a Word heading style (Heading 1 → 1), -1 for Title
    list_kind: str = ""  # bullet or number when Word numbers it as a list
    number: str = ""  # the label of Word's automatic numbering ("一、", "1.")
    indent: int = 0  # leading spaces before cleaning (signatures are pushed right with them)

    @property
    def text(self) -> str:
        return "".join(a.ch for a in self.atoms)

    @property
    def plain(self) -> str:
        return self.text.replace(OBJECT, "")

    @property
    def images(self) -> list[Image]:
        return [a.image for a in self.atoms if a.image is not None]

    def is_empty(self) -> bool:
        return not self.plain.strip() and not any(a.ch == OBJECT for a in self.atoms)

    def plain_to_atom(self, n: int) -> int:
        """The atom index where the first ``n`` characters of :attr:`plain` end."""
        seen = 0
        for index, atom in enumerate(self.atoms):
            if seen == n:
                return index
            if atom.ch != OBJECT:
                seen += 1
        return len(self.atoms)

    def with_atoms(self, atoms: list[Atom]) -> Para:
        return replace(self, atoms=atoms)


@dataclass
class Cell:
    paras: list[Para]
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]]

    @property
    def merged(self) -> bool:
        return any(c.colspan > 1 or c.rowspan > 1 for row in self.rows for c in row)


Block = Para | Table


@dataclass
class WordDocument:
    blocks: list[Block]
    footnotes: dict[str, str] = field(default_factory=dict)  # key → text
    unmapped: dict[str, int] = field(default_factory=dict)  # what could not be carried over

    def lost(self, what: str, n: int = 1) -> None:
        self.unmapped[what] = self.unmapped.get(what, 0) + n


def atoms_of(text: str, **fmt: object) -> list[Atom]:
    return [Atom(ch, **fmt) for ch in text]  # type: ignore[arg-type]
