"""Find the columns and reports under ``content/`` and validate their front matter."""

from __future__ import annotations

import datetime as dt
import difflib
import html
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .body_uses import BodyUse, content_path, is_local, ref_path, scan_body
from .config import SiteConfig
from .csv_table import CsvProblem, read_csv_table
from .dates import EXAMPLES, gives_time, parse_date
from .errors import Diagnostics, Problem
from .frontmatter import SourceFile, clean_body, read_source
from .image_size import image_size
from .intervals import check_interval
from .listfields import list_fields, series_year_note
from .messages import N_, _
from .parallel import fork_map
from .schema import (
    TEXT,
    Key,
    attachment_message,
    is_text,
    validate_mapping,
    word_list,
    wrong_type,
)
from .text import INVALID_CHARS
from .urls import check_link, expand_permalink, is_inside, resolve_path, split_url
from .walk import IgnoreRules, Walk, left_out_counts, within

if TYPE_CHECKING:  # the build cache's store of reports (generator.incremental.reports)
    from .incremental.reports import ReportMemo

INDEX_NAME = "_index.md"
INDEX_NAMES = (INDEX_NAME, "_index.markdown")
REPORT_SUFFIXES = (".md", ".markdown")  # files with these endings are reports
DATA_SUFFIXES = (".yaml", ".yml")  # may start with '---' (a YAML document) and are no reports
SAFE_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

REPORT_KEYS: dict[str, Key] = {
    "title": Key(TEXT, example="灌南县人民政府2020年度法治政府建设工作报告"),
    "date": Key((str, dt.date), example="2020-12-23"),
    "source": Key(TEXT, "", example="灌南县司法局"),
    "summary": Key((str,), "", example="一句话摘要。"),
    "description": Key((str,), "", example="一句话摘要。"),
    "slug": Key((str, int), "", example="fzzf-report-2020"),
    "tags": Key((list, str), [], example="[法治政府, 年度报告]", items=TEXT),
    "keywords": Key((list, str), [], example="[法治政府, 年度报告]", items=TEXT),
    "author": Key((str,), "", example="灌南县司法局"),
    "draft": Key((bool,), False, example="true"),
    "expires": Key((str, dt.date), example="2025-12-31"),
    "lastmod": Key((str, dt.date), example="2021-01-05"),
    "series": Key((str,), "", example="法治政府建设年度报告"),
    "year": Key((int,), example="2020"),
    "recipient": Key((str,), "", example="连云港市人民政府："),
    "index_no": Key(TEXT, "", example="11320724014180357X/2020-00001"),
    "publisher": Key((str,), "", example="灌南县司法局"),
    "doc_no": Key(TEXT, "", example="灌政发〔2021〕12号"),
    "written_date": Key((str, dt.date), example="2020-12-20"),
    "category": Key((str,), "", example="综合政务"),
    "validity": Key((str,), "", example="有效"),
    "validity_date": Key((str, dt.date), example="2025-12-31"),
    "disclosure": Key((str,), "", example="主动公开"),
    "attachments": Key((list,), [], example="[{title: 附件1, file: files/a.pdf}]"),
    "interpretation": Key((dict,), example="{title: 政策解读, url: https://…}"),
    "template": Key((str,), "", example="report.html"),
    "weight": Key((int,), 0, example="1"),
    "image": Key((str,), "", example="images/cover.jpg"),
    "top": Key(
        (bool, str, dt.date), False, example="true"
    ),  # 置顶: true, or pinned until a date (pins.py)
    "link": Key(
        (str,), "", example="https://www.gov.cn/…"
    ),  # 外链: the item points to another site, no page is made
    "topics": Key((list, str), [], example="[八五普法]"),  # 专题 names (pages/topics.py)
}

COLUMN_KEYS: dict[str, Key] = {
    "title": Key(TEXT, example="公示公告"),
    "description": Key((str,), ""),
    "keywords": Key((list, str), [], example="[法治政府, 年度报告]", items=TEXT),
    "weight": Key((int,), 0, example="1"),
    "column_type": Key((str,), "", example="信息公开"),
    "template": Key((str,), "", example="column.html"),
    # How often the column must be updated, for `sitegen audit` (2w, 6m, 1y, never).
    "update_every": Key((str,), "", check_interval, "6m"),
    "layout": Key(
        (str,), "", example="gallery"
    ),  # "gallery": 图片新闻, a grid of cover images (pages/gallery.py)
}

VALIDITY = ("有效", "失效", "废止", "已修改", "部分失效")


@dataclass
class Attachment:
    title: str
    href: str  # site path such as /zwgk/zcwj/files/a.pdf, or an absolute URL
    size: int | None = None
    file: str = ""  # the attachment's file (absolute), when it is one of the site's


@dataclass
class Column:
    """A 栏目: a folder under content/, described by its ``_index.md``."""

    path: tuple[str, ...]
    title: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    weight: int = 0
    column_type: str = ""
    template: str = ""
    update_every: str = ""  # 2w, 6m, 1y or never; see intervals.py
    layout: str = ""
    source: str = ""
    body: str = ""
    parent: Column | None = field(default=None, repr=False)
    children: list[Column] = field(default_factory=list, repr=False)

    def __repr__(self) -> str:  # its identity (a page's key shows the column by it)
        return f"Column({self.key!r})"

    @property
    def key(self) -> str:
        return "/".join(self.path)

    @property
    def url(self) -> str:
        return "/" + "".join(p + "/" for p in self.path)

    @property
    def ancestors(self) -> list[Column]:
        chain: list[Column] = []
        node = self.parent
        while node is not None and node.path:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class Report:
    """One report or notice: validated front matter plus its Markdown source."""

    source: str  # path relative to the site folder, for messages
    column: tuple[str, ...]
    title: str
    date: dt.datetime
    slug: str
    body: str | None  # None when the report came from the build cache: see text()
    body_line: int = 1
    file: str = ""  # the source file (absolute), to read the body again
    summary: str = ""
    description: str = ""
    source_org: str = ""  # 信息来源
    tags: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    author: str = ""
    draft: bool = False
    expires: dt.datetime | None = None
    lastmod: dt.datetime | None = None
    series: str = ""
    year: int = 0
    recipient: str = ""
    disclosure: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    interpretation: dict[str, str] | None = None
    template: str = ""
    weight: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    url: str = ""  # set by the site model
    digest: str = ""  # hash of the source file's bytes
    refs: tuple[str, ...] = ()  # local files the body links or shows, as written (body_refs)
    # Files outside the report file that its checks looked at (absolute, as joined): a
    # cached report is used again only while each of them is as it was (incremental.reports).
    outside: tuple[str, ...] = ()
    top: bool = False  # 置顶 asked for in front matter
    top_until: dt.datetime | None = None  # the pin ends at this moment (None: never)
    pinned: bool = False  # set by the site model: pinned at the build's now
    link: str = ""  # 外链: an http(s) address; the item has no page of its own
    topics: list[str] = field(default_factory=list)
    uses: tuple[BodyUse, ...] = ()  # images, cross-references and CSV tables of the body
    image: str = ""  # the cover image (image:), a site path such as /xwzx/tpxw/images/a.jpg
    date_has_time: bool = False  # the front matter's date gives a time of day
    # What the checks of this build found outside the file (check_body_uses): kind:target →
    # fact. Part of the report's digest (incremental.facets.report_digest), never of its
    # front matter.
    facts: dict[str, tuple] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:  # its identity, which survives copying and pickling
        # Made once for the source it names (page keys repr every report a page shows).
        try:
            source, text = self._identity
            if source is self.source:
                return text
        except AttributeError:
            pass
        text = f"Report({self.source!r})"
        self._identity = (self.source, text)
        return text

    def text(self) -> str:
        """The Markdown body (read again from the file for a report from the cache)."""
        if self.body is None:
            with open(self.file, "rb") as file:
                raw = file.read().decode("utf-8-sig")
            if "\r" in raw:
                raw = raw.replace("\r\n", "\n").replace("\r", "\n")
            start = 0  # where line body_line starts ("" when the file has fewer lines)
            for _ in range(self.body_line - 1):
                start = raw.find("\n", start) + 1
                if not start:
                    start = len(raw)
                    break
            self.body = clean_body(raw[start:], self.source, self.body_line, None)
        return self.body

    @property
    def has_disclosure(self) -> bool:
        """True when any 信息公开 field is filled in (the header table is shown)."""
        return any(self.disclosure.values())


@dataclass
class Content:
    columns: dict[tuple[str, ...], Column]
    reports: list[Report]
    assets: list[PurePosixPath]  # non-Markdown files under content/, copied as they are
    # Entries of content/ the walk left out (relative to content/; a folder stands for all
    # in it) → reason, a key of walk.REASONS.
    left_out: dict[str, str] = field(default_factory=dict)


def _attachment_items_ok(src: SourceFile, items: list[Any], diag: Diagnostics) -> bool:
    """The title and file of each attachment must be text (a list would print as '[…]')."""
    for number, item in enumerate(items, 1):
        fields = item.items() if isinstance(item, dict) else [("file", item)]
        for key, value in fields:
            if key in ("title", "file") and value is not None and not is_text(value):
                diag.error(
                    src.shown,
                    attachment_message(key, number, value),
                    src.meta.line("attachments"),
                    _("e.g. {example}", example=f"attachments: {_example('attachments')}"),
                )
                return False
    return True


def _interpretation_ok(src: SourceFile, value: dict[str, Any] | None, diag: Diagnostics) -> bool:
    """The title and url of the policy interpretation are text when given."""
    for key, item in (value or {}).items():
        if str(key) in ("title", "url") and not is_text(item):
            diag.error(
                src.shown,
                wrong_type(f"interpretation.{key}", TEXT, item),
                src.meta.line("interpretation", str(key)),
                _("e.g. {example}", example=f"interpretation: {_example('interpretation')}"),
            )
            return False
    return True


def _example(name: str) -> str:
    return REPORT_KEYS[name].example if name in REPORT_KEYS else "…"


def _date(
    src: SourceFile, name: str, value: Any, config: SiteConfig, diag: Diagnostics
) -> dt.datetime | None:
    if value is None:
        return None
    parsed = parse_date(value, config.zone)
    if parsed is None:
        diag.error(
            src.shown,
            _("cannot read '{key}' {value} as a date", key=name, value=repr(value)),
            src.meta.line(name),
            _("write it as {examples}", examples=_(EXAMPLES)),
        )
    return parsed


def _attachments(
    src: SourceFile, items: list[Any], content_dir: Path, diag: Diagnostics, outside: list[str]
) -> list[Attachment]:
    result: list[Attachment] = []
    line = src.meta.line("attachments")
    folder = src.path.parent
    for item in items:
        if isinstance(item, str):
            item = {"title": PurePosixPath(item).name, "file": item}
        if not isinstance(item, dict) or not item.get("file"):
            diag.error(
                src.shown,
                _("each attachment needs a 'file' (and a 'title')"),
                line,
                _("e.g. {example}", example="attachments: [{title: 附件1, file: files/a.pdf}]"),
            )
            continue
        link = check_link(str(item["file"]))
        target = link.value
        title = str(item.get("title") or PurePosixPath(target).name)
        if link.kind == "refused":
            diag.error(src.shown, _("attachment: {problem}", problem=link.problem), line, link.hint)
            continue
        if link.kind == "external":
            result.append(Attachment(title, target))
            continue
        file = (content_dir / target.lstrip("/")) if target.startswith("/") else folder / target
        outside.append(str(file))
        file = file.resolve()
        if not within(file, content_dir.resolve()):  # the rule of the walk (walk.py)
            diag.error(
                src.shown,
                _("attachment {file} is outside the content folder", file=repr(target)),
                line,
                _("put the file inside content/, next to the report"),
            )
            continue
        if not file.is_file():
            what = (
                N_("attachment file {file} is not a regular file")
                if file.exists()
                else N_("attachment file {file} does not exist")
            )
            diag.error(
                src.shown,
                _(what, file=repr(target)),
                line,
                _(
                    "check the file name, or put the file at {path}",
                    path=file.relative_to(content_dir.resolve().parent),
                ),
            )
            continue
        rel = file.relative_to(content_dir.resolve()).as_posix()
        result.append(Attachment(title, "/" + rel, file.stat().st_size, str(file)))
    return result


def _cover_image(
    src: SourceFile, value: str, content_dir: Path, diag: Diagnostics, outside: list[str]
) -> str:
    """The cover image (``image:``) as a site path: a file of content/, relative to the
    report or from the site root, checked as attachments are; '' when none or wrong."""
    if not value:
        return ""
    line = src.meta.line("image")
    example = "e.g. image: images/cover.jpg"
    link = check_link(value)
    if link.kind == "refused":
        diag.error(src.shown, _("cover image {problem}", problem=link.problem), line, link.hint)
        return ""
    if link.kind == "external" or not is_local(value):
        diag.error(
            src.shown,
            _("cover image {target} must be a file of the site, not an address", target=value),
            line,
            _("put the image next to the report and name it, {example}", example=example),
        )
        return ""
    rel = content_path(value, _folder_of(src.shown))
    file = (content_dir / rel).resolve() if rel else None
    if file is None or not within(file, content_dir.resolve()):
        diag.error(
            src.shown,
            _("cover image {target} is outside the content folder", target=value),
            line,
            _("put the image inside content/, next to the report"),
        )
        return ""
    outside.append(str(file))
    if not file.is_file():
        diag.error(
            src.shown,
            _("cover image file '{target}' does not exist", target=value),
            line,
            _("put it at content/{path} or fix the path", path=rel),
        )
        return ""
    if image_size(file) is None:
        diag.warn(
            src.shown,
            _("cover image {target} is not a PNG, JPEG, GIF or WebP image", target=value),
            line,
            _("save it as JPEG or PNG"),
        )
    return "/" + file.relative_to(content_dir.resolve()).as_posix()


def _folder_of(shown: str) -> str:
    """The folder under content/ of a report named as messages name it (content/a/b.md)."""
    parts = shown.split("/")[1:-1]
    return "/".join(parts)


def _check_alt_text(src: SourceFile, uses: tuple[BodyUse, ...], diag: Diagnostics) -> None:
    """An image without alt text is a warning: screen readers say nothing of it."""
    for use in uses:
        if use.kind == "image" and not use.text.strip():
            diag.warn(
                src.shown,
                _("image {target} has no alt text", target=use.target),
                use.line,
                _("describe what it shows: ![县政府大楼](images/x.png)"),
            )


def _interpretation(
    src: SourceFile,
    value: dict[str, Any] | None,
    content_dir: Path,
    diag: Diagnostics,
    outside: list[str],
) -> dict[str, str] | None:
    """The policy interpretation link: ``url`` an address, or a site path (a relative one
    is resolved from the report's folder, as attachments are), and ``suffix`` its
    ``?query#fragment``."""
    if value is None:
        return None
    line = src.meta.line("interpretation")
    example = _("e.g. {example}", example="interpretation: {title: 政策解读, url: https://…}")
    fields = {"title": ""} | {str(k): str(v) for k, v in value.items() if v is not None}
    if not fields.get("url"):
        diag.error(src.shown, _("'interpretation' needs a url"), line, example)
        return None
    link = check_link(fields["url"])
    if link.kind == "refused":
        diag.error(
            src.shown, _("interpretation url: {problem}", problem=link.problem), line, link.hint
        )
        return None
    fields["url"], fields["suffix"] = link.value, ""
    if link.kind == "external":
        return fields
    path, fields["suffix"] = split_url(link.value)
    path = unquote(path)
    if path.startswith("/"):
        fields["url"] = path
        return fields
    try:
        folder = src.path.parent.relative_to(content_dir).as_posix()
    except ValueError:
        folder = "."
    joined = f"/{folder}/{path}"
    resolved = resolve_path(joined, "/")
    if not is_inside(joined):
        diag.error(
            src.shown,
            _("interpretation url {url} leads outside the content folder", url=repr(link.value)),
            line,
            _("link to a page of the site (/xwzx/zcjd/…) or to a file next to the report"),
        )
        return None
    hint = _(
        "a relative url names a file next to the report; for a page of the site write its "
        "path from the site root (/xwzx/zcjd/2020/jiedu/) or a https:// address"
    )
    target = content_dir / resolved.lstrip("/")
    outside.append(str(target))
    if resolved.lower().endswith(".md") or not target.exists():
        what = (
            N_("interpretation url {url}: content/{path} is a report's source file")
            if target.exists()
            else N_("interpretation url {url}: content/{path} is not in the content folder")
        )
        diag.error(
            src.shown,
            _(what, url=repr(link.value), path=resolved.lstrip("/")),
            line,
            hint,
        )
        return None
    fields["url"] = resolved
    return fields


MAX_NAME_BYTES = 255  # longest file or folder name of common file systems, in bytes


def segment_problem(name: str) -> str | None:
    """Why ``name`` cannot be one folder of a URL and of the output (``None``: it can)."""
    if not name:
        return _("is empty")
    bad = INVALID_CHARS.search(name)
    if bad is not None:
        char = bad.group()
        if "\udc80" <= char <= "\udcff":
            return _("has bytes that are not UTF-8 (a file name saved in GBK?)")
        return _("contains the control character U+{code}", code=f"{ord(char):04X}")
    for sep in ("/", "\\"):
        if sep in name:
            return _("contains '{separator}'", separator=sep)
    if name in (".", ".."):
        return _("is '{name}', which names a folder above or itself", name=name)
    if name.startswith("."):
        return _("starts with '.' (a hidden name)")
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        return _(
            "is {size} bytes long in UTF-8; a file name may have at most {most}",
            size=size,
            most=MAX_NAME_BYTES,
        )
    return None


def _shown_value(name: str) -> str:
    """A name for a message: its repr, shortened when long, never unprintable."""
    text = name if len(name) <= 40 else name[:40] + "…"
    return ascii(text) if INVALID_CHARS.search(text) else repr(text)


def check_slug(slug: str, src: SourceFile, diag: Diagnostics) -> bool:
    """A slug is one safe path segment: an error when not, a warning when not ASCII."""
    from_file = not src.meta.data.get("slug")
    line = None if from_file else src.meta.line("slug")
    problem = segment_problem(slug)
    if problem is not None:
        what = (
            N_("the file name, which gives the slug, {name} {problem}")
            if from_file
            else N_("slug {name} {problem}")
        )
        hint = (
            N_(
                "rename the file or set a slug of letters, digits and '-', e.g. slug: fzzf-report-2020"
            )
            if from_file
            else N_("use a slug of letters, digits and '-', e.g. slug: fzzf-report-2020")
        )
        diag.error(
            src.shown,
            _(what, name=_shown_value(slug), problem=problem),
            line,
            _(hint),
        )
        return False
    if not SAFE_SLUG.fullmatch(slug):
        diag.warn(
            src.shown,
            _("slug {slug} is not plain ASCII; its URL will be percent-encoded", slug=repr(slug)),
            line,
            _("set an ASCII slug such as slug: fzzf-report-2020"),
        )
    return True


def check_series(series: str, src: SourceFile, config: SiteConfig, diag: Diagnostics) -> bool:
    """A series without a slug in sitegen.yaml uses its name in /series/<name>/."""
    info = config.series.get(series)
    if not series or (info is not None and info.slug):
        return True
    problem = segment_problem(series)
    if problem is None:
        return True
    diag.error(
        src.shown,
        _(
            "series {name} cannot be its own URL /series/…/: the name {problem}",
            name=_shown_value(series),
            problem=problem,
        ),
        src.meta.line("series"),
        _(
            "give the series a slug in sitegen.yaml (series: {{{name}: {{slug: fzzf-annual}}}}), or name it without '/' and '..'",
            name=repr(series),
        ),
    )
    return False


def load_report(
    src: SourceFile, column: tuple[str, ...], config: SiteConfig, diag: Diagnostics
) -> Report | None:
    before = len(diag.errors)
    extra: dict[str, Any] = {}
    known = validate_mapping(src.meta.data, REPORT_KEYS, src.meta, src.shown, diag, extra=extra)
    if not _attachment_items_ok(src, known["attachments"], diag):
        known["attachments"] = []
    title = str(known["title"]).strip() if known.get("title") is not None else ""
    if not title and is_text(src.meta.data.get("title", "")):
        diag.error(
            src.shown,
            _("'title' is missing"),
            src.meta.line("title", default=1),
            _("add a line such as title: 灌南县人民政府2020年度法治政府建设工作报告"),
        )
    if known.get("date") is None and "date" not in src.meta.data:
        diag.error(
            src.shown,
            _("'date' is missing"),
            1,
            _("add a line such as date: 2020-12-23 ({examples})", examples=_(EXAMPLES)),
        )
    date = _date(src, "date", known.get("date"), config, diag)
    dates = {
        n: _date(src, n, known.get(n), config, diag)
        for n in ("expires", "lastmod", "written_date", "validity_date")
    }
    slug = str(known["slug"] or src.path.stem).strip()
    check_slug(slug, src, diag)
    check_series(known["series"].strip(), src, config, diag)
    wanted = known.get("interpretation")
    interpretation_value = wanted if _interpretation_ok(src, wanted, diag) else None
    year = known.get("year")
    if year is not None and not 1900 <= year <= 2200:
        diag.error(
            src.shown,
            _("'year' {year} is not a plausible year", year=year),
            src.meta.line("year"),
            _("write the year reported on, e.g. year: 2020"),
        )
    validity = known["validity"]
    if validity and validity not in VALIDITY:
        diag.warn(
            src.shown,
            _(
                "validity {value} is not one of {allowed}",
                value=repr(validity),
                allowed="/".join(VALIDITY),
            ),
            src.meta.line("validity"),
        )
    content_dir = config.root / "content"
    outside: list[str] = []
    attachments = _attachments(src, known["attachments"], content_dir, diag, outside)
    interpretation = _interpretation(src, interpretation_value, content_dir, diag, outside)
    extras = list_fields(src, known, config, diag)
    if year is None and known["series"].strip() and date is not None:
        series_year_note(src, known["series"].strip(), date, diag)
    cover = _cover_image(src, known["image"].strip(), content_dir, diag, outside)
    uses = scan_body(src.body, src.body_line)
    _check_alt_text(src, uses, diag)
    if len(diag.errors) > before or date is None:
        return None
    disclosure = {
        "index_no": str(known["index_no"]),
        "publisher": known["publisher"],
        "doc_no": str(known["doc_no"]),
        "written_date": dates["written_date"].date().isoformat() if dates["written_date"] else "",
        "category": known["category"],
        "validity": validity,
        "validity_date": dates["validity_date"].date().isoformat()
        if dates["validity_date"]
        else "",
        "disclosure": known["disclosure"],
    }
    return Report(
        source=src.shown,
        column=column,
        title=title,
        date=date,
        slug=slug,
        body=src.body,
        body_line=src.body_line,
        file=str(src.path.resolve()),
        summary=known["summary"].strip(),
        description=known["description"].strip(),
        source_org=str(known["source"]).strip(),
        tags=word_list(known["tags"]),
        keywords=word_list(known["keywords"]),
        author=known["author"],
        draft=known["draft"],
        expires=dates["expires"],
        lastmod=dates["lastmod"],
        series=known["series"].strip(),
        year=year or date.year,
        recipient=known["recipient"].strip(),
        disclosure=disclosure,
        attachments=attachments,
        interpretation=interpretation,
        template=known["template"],
        weight=known["weight"],
        extra=extra,
        digest=src.digest,
        refs=body_refs(src.body),
        outside=tuple(dict.fromkeys(outside)),
        uses=uses,
        image=cover,
        date_has_time=gives_time(known.get("date")),
        **extras,
    )


def load_column(src: SourceFile | None, path: tuple[str, ...], diag: Diagnostics) -> Column:
    if src is None:
        return Column(path=path, title=path[-1] if path else "")
    known = validate_mapping(src.meta.data, COLUMN_KEYS, src.meta, src.shown, diag, extra={})
    title = str(known.get("title") or "").strip()
    if not title and path:
        diag.warn(
            src.shown,
            _("the column has no title; its folder name is shown"),
            1,
            _("add title: 公示公告"),
        )
        title = path[-1]
    return Column(
        path=path,
        title=title,
        description=known["description"],
        keywords=word_list(known["keywords"]),
        weight=known["weight"],
        column_type=known["column_type"],
        template=known["template"],
        update_every=known["update_every"].strip().lower(),
        layout=str(known["layout"]).strip(),
        source=src.shown,
        body=src.body,
    )


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


PARSE_MIN_PER_WORKER = 400  # fewer files than this per process are parsed here

# What a worker makes of one report file: the report (or None), its errors and warnings.
Parsed = tuple["Report | None", list[Problem], list[Problem]]


def parse_report(config: SiteConfig, job: tuple[str, str, tuple[str, ...]]) -> Parsed:
    """Read and check one report file on its own (worker processes may call this)."""
    file, shown, column = job
    diag = Diagnostics()
    src = read_source(Path(file), shown, diag)
    report = load_report(src, column, config, diag) if src is not None else None
    if report is not None:
        report.body = None  # read again when a page needs it: less to send between processes
    return report, diag.errors, diag.warnings


def _load_reports(
    jobs: list[tuple[str, str, tuple[str, ...]]],
    config: SiteConfig,
    diag: Diagnostics,
    memo: ReportMemo | None,
    workers: int,
) -> list[Report]:
    """Reports in ``jobs`` order: unchanged ones from the memo, the others parsed, across
    processes when there are many; problems are reported in file order either way."""
    stats = [os.stat(file) for file, _, _ in jobs]
    hits: dict[int, tuple[Report, list[Problem]]] = {}
    if memo is not None:
        for i, (file, shown, _) in enumerate(jobs):
            hit = memo.get(shown, stats[i])
            if hit is not None:
                hit[0].file = os.path.abspath(file)  # the site folder may have moved since
                hits[i] = hit
    missing = [i for i in range(len(jobs)) if i not in hits]
    todo = [jobs[i] for i in missing]
    results = fork_map(parse_report, config, todo, workers, PARSE_MIN_PER_WORKER)
    parsed = dict(zip(missing, results, strict=True))
    reports = []
    for i, (_, shown, _) in enumerate(jobs):
        if i in hits:
            report, warnings = hits[i]
            errors: list[Problem] = []
        else:
            report, errors, warnings = parsed[i]
            if report is not None and memo is not None:
                memo.put(shown, stats[i], report, warnings)
        diag.errors.extend(errors)
        for warning in warnings:
            diag.warn(warning.path, warning.message, warning.line, warning.hint)
        if report is not None:
            reports.append(report)
    return reports


def _read_head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of a file that is (still) regular; b"" otherwise. Opened
    without blocking, so that a file swapped for a named pipe cannot make the build wait."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    except OSError:
        return b""
    finally:
        os.close(fd)


FENCE_LINE = re.compile(rb"---[ \t]*(?:\r\n|\n|\r)")
CLOSING_FENCE = re.compile(rb"(?:\r\n|\n|\r)---[ \t]*(?:\r\n|\n|\r|$)")


def has_front_matter(path: str) -> bool:
    """True when a file starts with a front-matter block: a '---' line, keys, '---'."""
    head = _read_head(path, 8)
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"---"):
        return False
    text = _read_head(path, 65536).removeprefix(b"\xef\xbb\xbf")
    first = FENCE_LINE.match(text)
    return first is not None and CLOSING_FENCE.search(text, first.end() - 1) is not None


def is_report_name(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES)


def load_content(
    config: SiteConfig, diag: Diagnostics, memo: ReportMemo | None = None, workers: int = 1
) -> Content:
    """Walk ``content/`` in a stable order; every problem goes to ``diag``. Report files
    are parsed by up to ``workers`` processes. Only what :class:`walk.Walk` lets through
    is read: regular files, links that stay inside content/, nothing on the ignore list."""
    root = config.root
    content_dir = root / "content"
    columns: dict[tuple[str, ...], Column] = {}
    jobs: list[tuple[str, str, tuple[str, ...]]] = []  # report file, as shown, its column
    assets: list[PurePosixPath] = []
    if not content_dir.is_dir():
        diag.error(
            _shown(content_dir, root),
            _("the content folder does not exist"),
            hint=_("create content/ with one folder per column (栏目)"),
        )
        return Content({(): Column((), config.title)}, [], [])
    prefix = _shown(content_dir, root) + "/"
    walk = Walk(content_dir, prefix[:-1], IgnoreRules.for_content(config.ignore), diag)
    for path, files in walk.folders():
        dirpath = os.path.join(content_dir, *path)
        here = "" if not path else "/".join(path) + "/"
        markdown = {f for f in files if is_report_name(f)}
        # A folder is a column when it says so (_index.md) or holds reports; a folder of
        # other files only (attachments, images) is copied as it is.
        is_column = not path or bool(markdown)
        if is_column:
            index_name = next((n for n in INDEX_NAMES if n in files), None)
            src = (
                read_source(Path(dirpath) / index_name, prefix + here + index_name, diag)
                if index_name
                else None
            )
            column = load_column(src, path, diag)
            if not path:
                column.title = column.title or config.title
            columns[path] = column
        for name in files:
            if is_column and name in markdown:
                if name in INDEX_NAMES:
                    continue
                jobs.append((os.path.join(dirpath, name), prefix + here + name, path))
            elif not name.lower().endswith(DATA_SUFFIXES) and has_front_matter(
                os.path.join(dirpath, name)
            ):
                walk.left_out[here + name] = "front_matter"
                diag.warn(
                    prefix + here + name,
                    _(
                        "starts with front matter but is not a .md file: left out, "
                        "neither published nor read as a report"
                    ),
                    1,
                    _(
                        "rename it to {name}.md to publish it as a report",
                        name=PurePosixPath(name).stem,
                    ),
                )
            else:
                assets.append(PurePosixPath(here + name))
    reports = _load_reports(jobs, config, diag, memo, workers)
    for path in list(columns):
        # A folder between two columns is a column too, even without its own _index.md.
        for n in range(1, len(path)):
            if path[:n] not in columns:
                columns[path[:n]] = Column(path=path[:n], title=path[n - 1])
                diag.warn(
                    f"content/{'/'.join(path[:n])}",
                    _("this folder has no _index.md; its folder name is shown as its title"),
                    hint=_("add _index.md with title: and weight:"),
                )
    columns = dict(sorted(columns.items()))
    for path, column in columns.items():
        if path:
            parent_path = path[:-1]
            while parent_path not in columns:
                parent_path = parent_path[:-1]
            column.parent = columns[parent_path]
            column.parent.children.append(column)
    for column in columns.values():
        column.children.sort(key=lambda c: (c.weight, c.path))
    return Content(columns, reports, assets, walk.left_out)


# Local targets in a Markdown body: inline links and images, reference definitions, and
# the attributes of raw HTML that load or link a file.
INLINE_LINK = re.compile(r"\]\(\s*(?:<([^>\n]*)>|([^\s)]+))")
REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))", re.M)
ATTRIBUTE = re.compile(
    r"\b(?:src|href|poster|data|srcset)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", re.I
)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def body_refs(body: str) -> tuple[str, ...]:
    """Every link or file a body refers to that is not on another site, as written."""
    found: list[str] = []
    # Each pattern runs only where the characters it needs occur (most bodies have none).
    for pattern, needs in ((INLINE_LINK, "]("), (REFERENCE, "]:")):
        if needs in body:
            for match in pattern.finditer(body):
                found.append(match.group(1) if match.group(1) is not None else match.group(2))
    for match in ATTRIBUTE.finditer(body) if "=" in body else ():
        value = next(g for g in match.groups() if g is not None)
        if "srcset" in match.group(0)[:7].lower():
            found += [part.split()[0] for part in value.split(",") if part.split()]
        else:
            found.append(value)
    kept = []
    for ref in found:
        ref = html.unescape(ref).strip()
        if ref and not SCHEME.match(ref) and not ref.startswith(("//", "#")):
            # Only what names a file ('files/a.pdf', not a page such as '/' or '../xwzx/'):
            # an edit that adds a link to a page keeps the dev server's quick path
            # (live.same_front_matter), one that adds a file does not (it may be withheld).
            last = ref.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
            if "." in last.strip("."):
                kept.append(ref)
    return tuple(dict.fromkeys(kept))


def _page_url(report: Report, config: SiteConfig) -> str:
    """The report's URL, or the one it would have (a report left out has none)."""
    if report.url:
        return report.url
    date = report.date
    return expand_permalink(
        config.permalink, "/".join(report.column), date.year, date.month, date.day, report.slug
    )


def _ref_paths(ref: str, report: Report, config: SiteConfig) -> set[str]:
    """The content/ paths a body reference may mean: a site path (with or without the
    base path), or a path relative to the report file or to its page."""
    from urllib.parse import unquote

    target = unquote(ref.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if not target:
        return set()
    if target.startswith("/"):
        bases = {target}
        base = config.base_path
        if base != "/" and target.startswith(base):
            bases.add("/" + target[len(base) :])
    else:
        page = _page_url(report, config)
        page_dir = page if page.endswith("/") else posixpath.dirname(page) + "/"
        folder = "/" + "".join(p + "/" for p in report.column)
        bases = {folder + target, page_dir + target}
    return {posixpath.normpath(b).lstrip("/") for b in bases}


def files_used(report: Report, config: SiteConfig, assets: set[str]) -> set[str]:
    """The files of content/ a report publishes: its attachments, its cover image and what
    its body uses (links, images, CSV tables)."""
    used = {a.href.lstrip("/") for a in report.attachments if a.file}
    if report.image:
        used.add(report.image.lstrip("/"))
    for ref in report.refs:
        used |= _ref_paths(ref, report, config) & assets
    folder = _folder_of(report.source)
    for use in report.uses:
        if use.kind != "ref" and is_local(use.target):
            rel = content_path(use.target, folder, config.base_path)
            if rel in assets:
                used.add(rel)
    return used


def _static_file(rel: str, config: SiteConfig) -> Path | None:
    """A file of the site's or the theme's static/ at a site path (``/images/logo.png``)."""
    from .theme import theme_search_path

    for folder in [config.root / "static"] + [
        d / config.theme / "static" for d in theme_search_path(config)
    ]:
        candidate = folder / rel
        if candidate.is_file():
            return candidate
    return None


def _image_fact(file: Path, src: str) -> tuple:
    size = image_size(file) or (0, 0)
    return (src, size[0], size[1], file.stat().st_mtime_ns)


def _check_image(
    report: Report,
    use: BodyUse,
    content: Content,
    config: SiteConfig,
    assets: set[str],
    diag: Diagnostics,
) -> None:
    """An image of the body is a published file of content/ (relative to the report or
    from the site root) or of static/; its site path and size become a fact."""
    if not is_local(use.target):
        return
    content_dir = config.root / "content"
    rel = content_path(use.target, _folder_of(report.source), config.base_path)
    if rel is None:
        diag.error(
            report.source,
            _("image {target} is outside the content folder", target=use.target),
            use.line,
            _("put the image inside content/, next to the report"),
        )
        return
    if rel in assets:
        report.facts[f"image:{use.target}"] = _image_fact(content_dir / rel, "/" + rel)
        return
    why = _left_out_by(rel, content.left_out)
    if why is not None:
        diag.error(
            report.source,
            _(
                "image content/{path} cannot be published: it is {why}",
                path=rel,
                why=WHY_NOT_PUBLISHED.get(why, why),
            ),
            use.line,
            _(
                "use a regular file inside content/ with a name not on the ignore list "
                "(see README, 'Files that are left out')"
            ),
        )
        return
    if not use.target.startswith("/"):
        # Written relative to the page's address (the way before images were published
        # with their report): it works as written.
        if _ref_paths(use.target, report, config) & assets:
            return
    elif (static := _static_file(rel, config)) is not None:
        report.facts[f"image:{use.target}"] = _image_fact(static, "/" + rel)
        return
    diag.error(
        report.source,
        _("image file '{target}' does not exist", target=use.target),
        use.line,
        _("put it at content/{path} or fix the path", path=rel),
    )


def _check_ref(
    report: Report,
    use: BodyUse,
    by_path: dict[str, Report],
    unpublished: dict[int, str],
    config: SiteConfig,
    diag: Diagnostics,
) -> None:
    """A cross-reference names the file of a published report; its URL becomes a fact."""
    hint = _(
        "write the report's file from content/ (ref:xwzx/gsgg/2020-report.md) or "
        "relative to this report (ref:./2020-report.md)"
    )
    rel = ref_path(use.target, _folder_of(report.source))
    if rel is None:
        diag.error(
            report.source,
            _("cross-reference ref:{target} leads outside the content folder", target=use.target),
            use.line,
            hint,
        )
        return
    target = by_path.get(rel)
    if target is not None and id(target) not in unpublished and target.url:
        report.facts[f"ref:{use.target}"] = (target.url, target.title)
        return
    if target is not None:
        what = UNPUBLISHED_TARGET[unpublished.get(id(target), "draft")]
        fix = _("publish that report first, or remove the link")
    elif (config.root / "content" / rel).exists():
        what = N_("cross-reference ref:{target}: content/{path} is not a report")
        fix = _("link to a file as it is: [附件](files/a.pdf)")
    else:
        what = N_("cross-reference ref:{target}: content/{path} does not exist")
        close = difflib.get_close_matches(rel, list(by_path), n=1, cutoff=0.6)
        fix = _("did you mean ref:{close}?", close=close[0]) if close else hint
    diag.error(report.source, _(what, target=use.target, path=rel), use.line, fix)


def _check_csv(
    report: Report,
    use: BodyUse,
    content: Content,
    config: SiteConfig,
    assets: set[str],
    diag: Diagnostics,
) -> None:
    """A CSV table names a published file of content/ that reads as a table."""
    example = '::: csv files/table.csv caption="表1 …"'
    if use.problem:
        diag.error(report.source, _("CSV table: {problem}", problem=use.problem), use.line)
        return
    rel = content_path(use.target, _folder_of(report.source)) if is_local(use.target) else None
    if rel is None:
        diag.error(
            report.source,
            _("CSV table {target} must be a file inside the content folder", target=use.target),
            use.line,
            _("put the file next to the report and name it: {example}", example=example),
        )
        return
    if rel not in assets:
        why = _left_out_by(rel, content.left_out)
        file = config.root / "content" / rel
        message = (
            _(
                "CSV table content/{path} cannot be published: it is {why}",
                path=rel,
                why=WHY_NOT_PUBLISHED.get(why, why),
            )
            if why is not None
            else _("CSV file '{target}' does not exist", target=use.target)
            if not file.exists()
            else _("CSV table content/{path} is not a regular file", path=rel)
        )
        diag.error(
            report.source,
            message,
            use.line,
            _("put it at content/{path} or fix the path", path=rel),
        )
        return
    file = config.root / "content" / rel
    table = read_csv_table(file)
    if isinstance(table, CsvProblem):
        where = (
            _(
                "CSV table content/{path}, line {line}: {problem}",
                path=rel,
                line=table.line,
                problem=table.message,
            )
            if table.line
            else _("CSV table content/{path}: {problem}", path=rel, problem=table.message)
        )
        diag.error(report.source, where, use.line, table.hint)
        return
    report.facts[f"csv:{use.target}"] = (str(file), file.stat().st_mtime_ns, file.stat().st_size)


# A cross-reference to a report that is not published, by the reason it is not.
UNPUBLISHED_TARGET = {
    "draft": N_("cross-reference ref:{target}: content/{path} is a draft, not published"),
    "future": N_(
        "cross-reference ref:{target}: content/{path} is dated in the future, not published"
    ),
    "expired": N_("cross-reference ref:{target}: content/{path} has expired, not published"),
}


def check_body_uses(
    content: Content,
    published: list[Report],
    unpublished: dict[int, str],
    config: SiteConfig,
    assets: set[str],
    diag: Diagnostics,
) -> None:
    """Check what the bodies of published reports use outside their files (images,
    cross-references, CSV tables) at every build, cached reports included, and record
    what was found as their facts (which renders and page keys read)."""
    by_path = {r.source.split("/", 1)[1]: r for r in content.reports}
    for report in published:
        report.facts = {}
        for use in report.uses:
            if use.kind == "image":
                _check_image(report, use, content, config, assets, diag)
            elif use.kind == "ref":
                _check_ref(report, use, by_path, unpublished, config, diag)
            elif use.kind == "csv":
                _check_csv(report, use, content, config, assets, diag)


def unpublished_reason(
    report: Report, now: dt.datetime, drafts: bool, future: bool, expired: bool
) -> str | None:
    """Why the model leaves a report out (draft, future-dated, expired), or None: the one
    rule for site.select and for the files of such reports."""
    if report.draft and not drafts:
        return "draft"
    if report.date > now and not future:
        return "future"
    if report.expires is not None and report.expires <= now and not expired:
        return "expired"
    return None


def _left_out_by(rel: str, left_out: dict[str, str]) -> str | None:
    """The reason a path was left out by the walk (itself or one of its folders)."""
    parts = rel.split("/")
    for n in range(len(parts), 0, -1):
        reason = left_out.get("/".join(parts[:n]))
        if reason is not None:
            return reason
    return None


# Why a file of content/ is not published, as an attachment error says it.
WHY_NOT_PUBLISHED = {
    "backup": N_("a backup or system file (the default ignore list)"),
    "ignored": N_("matched by an ignore: pattern of sitegen.yaml"),
    "link": N_("a symbolic link that is not followed"),
    "special": N_("not a regular file"),
    "front_matter": N_("a non-Markdown file with front matter"),
}


def published_files(
    content: Content,
    config: SiteConfig,
    diag: Diagnostics,
    now: dt.datetime,
    drafts: bool = False,
    future: bool = False,
    expired: bool = False,
) -> tuple[list[str], dict[str, int]]:
    """The files of content/ that are published, after the selection of reports; and how
    many files were left out, by reason (the walk's and the unpublished reports').

    A file that only unpublished reports use (as an attachment or from their text) is
    withheld; one that a published report uses is published. Each attachment of a
    published report must be a file the walk let through.
    """
    names = [a.as_posix() for a in content.assets]
    assets = set(names)
    published: list[Report] = []
    withheld: dict[str, str] = {}
    unpublished: dict[int, str] = {}
    for report in content.reports:
        reason = unpublished_reason(report, now, drafts, future, expired)
        if reason is None:
            published.append(report)
            continue
        unpublished[id(report)] = reason
        for rel in sorted(files_used(report, config, assets)):
            withheld.setdefault(rel, reason)
    check_body_uses(content, published, unpublished, config, assets, diag)
    for report in published:
        cover = [Attachment("", report.image, None, "image")] if report.image else []
        for attachment in report.attachments + cover:
            rel = attachment.href.lstrip("/")
            if attachment.file and rel not in assets:
                why = _left_out_by(rel, content.left_out)
                what = WHY_NOT_PUBLISHED.get(why or "", N_("not a file under content/"))
                diag.error(
                    report.source,
                    _(
                        "attachment content/{file} cannot be published: it is {what}",
                        file=rel,
                        what=_(what),
                    ),
                    hint=_(
                        "attach a regular file inside content/ with a name not on the "
                        "ignore list (see README, 'Files that are left out')"
                    ),
                )
        if withheld:
            for rel in files_used(report, config, assets):
                withheld.pop(rel, None)
    kept = [rel for rel in names if rel not in withheld]
    reasons = dict(content.left_out)
    reasons.update(withheld)
    return kept, left_out_counts(reasons)
