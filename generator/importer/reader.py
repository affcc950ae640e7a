"""Read a .docx into the importer's model (python-docx and its lxml tree).

Only this module knows Word's XML: paragraphs with their alignment, font sizes, styles and
automatic numbering; runs with bold, italic, hyperlinks, images and footnote references;
tables with merged cells; the footnotes and endnotes parts. A file that is not a readable
.docx raises :class:`Unreadable` with what it is and how to convert it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..messages import N_, _
from .model import OBJECT, Atom, Block, Cell, Image, Para, Table, WordDocument
from .numbering import Numbering

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ALIGN = {"center": "center", "right": "right", "end": "right", "both": "justify"}
ALIGN.update({"left": "left", "start": "left", "distribute": "justify"})
# Wrappers whose runs are part of the paragraph's text as it reads.
TRANSPARENT = {"ins", "smartTag", "customXml", "fldSimple", "bdo", "dir", "moveTo"}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def q(prefixed: str) -> str:
    prefix, name = prefixed.split(":")
    return f"{{{NS[prefix]}}}{name}"


class Unreadable(Exception):
    """The file is not a .docx the importer can read; ``hint`` says how to convert it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message = message
        self.hint = hint


def convert_hint(path: Path) -> str:
    return _(
        "open it in WPS or Word and save it as .docx (Word 文档), or convert it: "
        "libreoffice --headless --convert-to docx '{file}'",
        file=path,
    )


def check_signature(path: Path) -> None:
    """Refuse .doc/.wps, encrypted and damaged files before python-docx sees them."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise Unreadable(
            _("cannot open the file ({reason})", reason=exc.strerror), _("check the path")
        ) from exc
    if head == OLE_SIGNATURE:
        raise Unreadable(
            _(
                "this is not a .docx but an OLE compound file: a Word 97-2003 .doc, a WPS .wps, "
                "or a password-protected (encrypted) .docx"
            ),
            _("remove any password, then {how}", how=convert_hint(path)),
        )
    if not head.startswith(b"PK"):
        raise Unreadable(_("this is not a Word .docx file (not a zip package)"), convert_hint(path))
    try:
        with zipfile.ZipFile(path) as package:
            broken = package.testzip()
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(
            _("the .docx is damaged ({reason})", reason=exc), convert_hint(path)
        ) from exc
    if broken:
        raise Unreadable(
            _("the .docx is damaged (part {part} is corrupt)", part=broken), convert_hint(path)
        )
    if "word/document.xml" not in names:
        raise Unreadable(
            _("this zip file is not a Word document (no word/document.xml)"), convert_hint(path)
        )


def read_docx(path: Path) -> WordDocument:
    check_signature(path)
    try:
        document = docx.Document(str(path))
        return DocxReader(document).read()
    except Unreadable:
        raise
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise Unreadable(
            _("the .docx is damaged ({reason})", reason=exc), convert_hint(path)
        ) from exc


class DocxReader:
    """Walks one document's body; collects images and footnotes on the way."""

    def __init__(self, document: docx.document.Document):
        self.document = document
        self.part = document.part
        self.styles = {s.style_id: s for s in document.styles}
        self.default_size = _default_size(document)
        self.numbering = Numbering.from_xml(self._related_blob(RT.NUMBERING))
        self.images: dict[str, Image] = {}  # part name → image
        self.result = WordDocument(blocks=[])

    def _related_blob(self, reltype: str) -> bytes | None:
        for rel in self.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                return rel.target_part.blob
        return None

    def read(self) -> WordDocument:
        self.result.blocks = self.blocks(self.document.element.body)
        for reltype, prefix in ((RT.FOOTNOTES, ""), (RT.ENDNOTES, "e")):
            self.result.footnotes.update(_notes(self._related_blob(reltype), prefix))
        return self.result

    # blocks ---------------------------------------------------------------------------
    def blocks(self, parent: etree._Element) -> list[Block]:
        out: list[Block] = []
        for child in parent:
            if child.tag == w("p"):
                out.append(self.paragraph(child))
            elif child.tag == w("tbl"):
                out.append(self.table(child))
            elif child.tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    out.extend(self.blocks(content))
            elif child.tag == q("m:oMathPara"):
                self.result.lost(N_("equations"))
        return out

    def paragraph(self, p: etree._Element) -> Para:
        ppr = p.find(w("pPr"))
        style = self.styles.get(_val(ppr, "pStyle")) if ppr is not None else None
        style = style or self.document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        name = style.name if style is not None else ""
        para = Para(atoms=[], style=name or "")
        para.align = ALIGN.get(_val(ppr, "jc") or self._style_align(style), "")
        para.heading = _heading_level(name or "")
        self._numbering(para, ppr, style)
        base = self._style_run(style)
        sizes: list[float] = []
        para.atoms = self.inline(p, base, "", sizes)
        para.size = max(sizes) if sizes else (base.get("size") or self.default_size)
        return para

    def _style_align(self, style) -> str:
        while style is not None:
            ppr = style.element.find(w("pPr"))
            value = _val(ppr, "jc") if ppr is not None else ""
            if value:
                return value
            style = style.base_style
        return ""

    def _style_run(self, style) -> dict:
        """Bold, italic and size that a paragraph style gives its runs."""
        found: dict = {}
        while style is not None:
            rpr = style.element.find(w("rPr"))
            if rpr is not None:
                for key, value in _run_props(rpr).items():
                    found.setdefault(key, value)
            style = style.base_style
        return found

    def _numbering(self, para: Para, ppr, style) -> None:
        num_pr = ppr.find(w("numPr")) if ppr is not None else None
        from_style = False
        if num_pr is None and style is not None:
            holder = style
            while holder is not None and num_pr is None:
                sppr = holder.element.find(w("pPr"))
                num_pr = sppr.find(w("numPr")) if sppr is not None else None
                holder = holder.base_style
            from_style = num_pr is not None
        if num_pr is None:
            if "List Bullet" in para.style:
                para.list_kind = "bullet"
            elif "List Number" in para.style:
                para.list_kind = "number"
            return
        num_id = _val(num_pr, "numId")
        if not num_id or num_id == "0":
            return
        label, kind = self.numbering.label(num_id, int(_val(num_pr, "ilvl") or 0))
        if kind == "bullet" or (from_style and "List" in para.style):
            para.list_kind = kind
        else:
            para.number = label

    # inline ---------------------------------------------------------------------------
    def inline(self, node: etree._Element, base: dict, href: str, sizes: list[float]) -> list[Atom]:
        atoms: list[Atom] = []
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if child.tag == w("r"):
                atoms.extend(self.run(child, base, href, sizes))
            elif child.tag == w("hyperlink"):
                atoms.extend(self.inline(child, base, self._href(child), sizes))
            elif child.tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    atoms.extend(self.inline(content, base, href, sizes))
            elif child.tag == w("del") or child.tag == w("moveFrom"):
                self.result.lost(N_("deleted text of tracked changes (left out)"))
            elif tag in TRANSPARENT and child.tag.startswith(f"{{{W}}}"):
                atoms.extend(self.inline(child, base, href, sizes))
            elif child.tag in (q("m:oMath"), q("m:oMathPara")):
                self.result.lost(N_("equations"))
        return atoms

    def _href(self, link: etree._Element) -> str:
        rid = link.get(q("r:id"))
        if rid and rid in self.part.rels:
            return self.part.rels[rid].target_ref
        return ""  # a jump to a bookmark inside the document: kept as text

    def run(self, r: etree._Element, base: dict, href: str, sizes: list[float]) -> list[Atom]:
        rpr = r.find(w("rPr"))
        props = dict(base)
        if rpr is not None:
            style = self.styles.get(_val(rpr, "rStyle"))
            if style is not None:
                props.update(self._style_run(style))
            props.update(_run_props(rpr))
        bold, italic = bool(props.get("bold")), bool(props.get("italic"))
        atoms: list[Atom] = []
        for child in r:
            if child.tag == w("t"):
                atoms.extend(Atom(ch, bold, italic, href) for ch in child.text or "")
            elif child.tag in (w("tab"), w("ptab")):
                atoms.append(Atom(" ", bold, italic, href))
            elif child.tag in (w("br"), w("cr")):
                if child.get(w("type")) not in ("page", "column"):
                    atoms.append(Atom("\n", bold, italic, href))
            elif child.tag == w("noBreakHyphen"):
                atoms.append(Atom("-", bold, italic, href))
            elif child.tag in (w("footnoteReference"), w("endnoteReference")):
                prefix = "e" if child.tag == w("endnoteReference") else ""
                atoms.append(Atom(OBJECT, footnote=prefix + (child.get(w("id")) or "")))
            elif child.tag in (w("drawing"), w("pict"), q("mc:AlternateContent"), w("object")):
                atoms.extend(self.graphic(child))
        if any(a.ch.strip() for a in atoms):
            sizes.append(props.get("size") or self.default_size)
        return atoms

    def graphic(self, node: etree._Element) -> list[Atom]:
        if node.tag == q("mc:AlternateContent"):
            choice = node.find(q("mc:Choice"))
            node = choice if choice is not None else node
        if node.tag == w("object"):
            self.result.lost(N_("embedded objects (OLE, e.g. a worksheet or a chart)"))
            return []
        if node.find(".//" + q("w:txbxContent")) is not None:
            self.result.lost(N_("text boxes (their text is not imported)"))
            return []
        if (
            node.find(".//" + "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart")
            is not None
        ):
            self.result.lost(N_("charts"))
            return []
        atoms = []
        for blip in node.iter(q("a:blip"), q("v:imagedata")):
            rid = blip.get(q("r:embed")) or blip.get(q("r:id"))
            if not rid:
                self.result.lost(N_("linked images (the picture is not inside the file)"))
                continue
            image = self.image(rid, _description(node))
            if image is not None:
                atoms.append(Atom(OBJECT, image=image))
        return atoms

    def image(self, rid: str, alt: str) -> Image | None:
        part = self.part.related_parts.get(rid)
        if part is None:
            self.result.lost(N_("images whose picture is missing from the file"))
            return None
        key = str(part.partname)
        if key not in self.images:
            suffix = PurePosixPath(key).suffix.lower() or ".bin"
            self.images[key] = Image(f"image{len(self.images) + 1}{suffix}", part.blob, alt)
        image = self.images[key]
        return image if image.alt == alt else Image(image.name, image.data, alt)

    # tables ---------------------------------------------------------------------------
    def table(self, tbl: etree._Element) -> Table:
        rows: list[list[Cell]] = []
        origin: dict[int, Cell] = {}  # grid column → the cell that starts there, for vMerge
        for tr in tbl.iter(w("tr")):
            if _owner_table(tr) is not tbl:
                continue
            trpr = tr.find(w("trPr"))
            col = int(_val(trpr, "gridBefore") or 0) if trpr is not None else 0
            row: list[Cell] = []
            for tc in tr.findall(w("tc")):
                tcpr = tc.find(w("tcPr"))
                span = int(_val(tcpr, "gridSpan") or 1) if tcpr is not None else 1
                vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
                continues = vmerge is not None and vmerge.get(w("val"), "continue") == "continue"
                if continues and col in origin:
                    origin[col].rowspan += 1
                else:
                    cell = Cell(self._cell_paras(tc), colspan=span)
                    row.append(cell)
                    for c in range(col, col + span):
                        origin[c] = cell
                col += span
            rows.append(row)
        return Table(rows)

    def _cell_paras(self, tc: etree._Element) -> list[Para]:
        paras: list[Para] = []
        for block in self.blocks(tc):
            if isinstance(block, Table):
                self.result.lost(
                    N_("tables inside table cells (their text is kept, not their grid)")
                )
                paras.extend(p for row in block.rows for c in row for p in c.paras)
            else:
                paras.append(block)
        return paras


def _owner_table(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != w("tbl"):
        parent = parent.getparent()
    return parent


def _val(parent: etree._Element | None, name: str) -> str:
    if parent is None:
        return ""
    node = parent.find(w(name))
    return node.get(w("val"), "") if node is not None else ""


def _on(node: etree._Element) -> bool:
    return node.get(w("val"), "true") not in ("0", "false", "off", "none")


def _run_props(rpr: etree._Element) -> dict:
    props: dict = {}
    for name, key in (("b", "bold"), ("i", "italic")):
        node = rpr.find(w(name))
        if node is not None:
            props[key] = _on(node)
    size = rpr.find(w("sz"))
    if size is not None and (size.get(w("val")) or "").isdigit():
        props["size"] = int(size.get(w("val"))) / 2
    return props


def _default_size(document: docx.document.Document) -> float:
    defaults = document.styles.element.find(w("docDefaults"))
    if defaults is not None:
        size = defaults.find(f"{w('rPrDefault')}/{w('rPr')}/{w('sz')}")
        if size is not None and (size.get(w("val")) or "").isdigit():
            return int(size.get(w("val"))) / 2
    return 10.5  # Word's own default (五号)


def _heading_level(style_name: str) -> int:
    name = style_name.strip()
    if name in ("Title", "标题"):
        return -1
    for prefix in ("Heading ", "heading ", "标题 "):
        if name.startswith(prefix) and name[len(prefix) :].strip().isdigit():
            return int(name[len(prefix) :])
    return 0


def _description(node: etree._Element) -> str:
    """An image's alt text: the description Word keeps (docPr descr, else its title)."""
    for doc_pr in node.iter(q("wp:docPr")):
        text = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
        if text:
            return " ".join(text.split())
    for shape in node.iter(q("v:shape")):
        text = (shape.get("alt") or "").strip()
        if text:
            return " ".join(text.split())
    return ""


def _notes(blob: bytes | None, prefix: str) -> dict[str, str]:
    """Footnote (or endnote) texts by key; Word's separator notes are left out."""
    if not blob:
        return {}
    root = etree.fromstring(blob)
    notes = {}
    for note in root:
        if etree.QName(note).localname not in ("footnote", "endnote"):
            continue
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paras = ["".join(t.text or "" for t in p.iter(w("t"))).strip() for p in note.iter(w("p"))]
        notes[prefix + (note.get(w("id")) or "")] = " ".join(p for p in paras if p)
    return notes
