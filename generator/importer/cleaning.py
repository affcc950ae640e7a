"""Stray spacing out of paragraphs: indentation with full-width spaces, spaces used to
spread a title (``通　知``), soft line breaks, leading and trailing blanks.

Chinese text takes no spaces: a run of blanks between two Chinese characters (or next to
Chinese punctuation) goes; elsewhere (``Word 文档``, ``办公室 2021年``) it becomes one space.
"""

from __future__ import annotations

import re
import unicodedata

from .model import OBJECT, Atom, Para

BLANKS = {" ", "\u3000", "\xa0", "\t", "\n", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff"}
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014]")


def is_cjk(ch: str) -> bool:
    return bool(CJK.match(ch))


def leading_blanks(para: Para) -> int:
    n = 0
    for atom in para.atoms:
        if atom.ch not in BLANKS:
            break
        n += 2 if atom.ch == "\u3000" else 1
    return n


def clean(para: Para) -> Para:
    """The paragraph with its blanks normalised; remembers how far it was pushed right."""
    indent = leading_blanks(para)
    atoms = [a for a in para.atoms if a.ch not in ("\u200b", "\ufeff")]
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        if atom.ch not in BLANKS:
            out.append(_narrow(atom))
            i += 1
            continue
        j = i
        while j < len(atoms) and atoms[j].ch in BLANKS:
            j += 1
        before = _visible_before(out)
        after = _visible_after(atoms, j)
        if before and after and not _joins(before, after):
            out.append(Atom(" ", atom.bold and atoms[j - 1].bold, atom.italic, atom.href))
        i = j
    cleaned = para.with_atoms(out)
    cleaned.indent = indent
    return cleaned


def _joins(before: str, after: str) -> bool:
    """Blanks between these two characters go: both Chinese, or one is a punctuation mark."""
    if is_cjk(before) and is_cjk(after):
        return True
    return any(is_cjk(ch) and unicodedata.category(ch)[0] == "P" for ch in (before, after))


def _narrow(atom: Atom) -> Atom:
    # Full-width digits and Latin letters (１２３, ＡＢＣ) read as their plain forms.
    if "\uff10" <= atom.ch <= "\uff5a" and atom.ch.isalnum():
        return Atom(unicodedata.normalize("NFKC", atom.ch), atom.bold, atom.italic, atom.href)
    return atom


def _visible_before(atoms: list[Atom]) -> str:
    for atom in reversed(atoms):
        if atom.ch != OBJECT:
            return atom.ch
    return ""


def _visible_after(atoms: list[Atom], start: int) -> str:
    for atom in atoms[start:]:
        if atom.ch != OBJECT and atom.ch not in BLANKS:
            return atom.ch
    return ""
