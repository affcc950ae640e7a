"""Render one page of the site model through the theme's Jinja templates, to bytes.

Writing them is the build's job (``generator.build``); nothing here touches output/."""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment
from markupsafe import Markup

from .body_parts import message_text
from .content import Report
from .errors import Problem
from .markdown_ext import MarkdownRenderer, Rendered
from .messages import _
from .pages.catalogue import CatalogueRows
from .pages.model import ALL_FACETS, SITE_FACETS
from .qr import qr_svg
from .relink import relink_site_paths
from .site import Page, Site
from .text import cut, plain_head
from .theme import Theme, make_environment
from .urls import Linker, check_link, encode_external, split_url


class RenderError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def template_problem(exc: Exception, page: Page, template_dirs: list[Path]) -> Problem:
    """Name the template file and line behind a Jinja error (Zola-style context chain)."""
    where = (
        _("while rendering {url} from {file}", url=page.url, file=page.source)
        if page.source
        else _("while rendering {url}", url=page.url)
    )
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(
            exc.filename or exc.name or "template",
            _("template syntax error: {problem}", problem=exc.message),
            exc.lineno,
            where,
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        searched = ", ".join(str(d) for d in template_dirs)
        return Problem(
            page.source or "template",
            _("template '{name}' not found", name=exc.name),
            None,
            _("{where}; looked in {folders}", where=where, folders=searched),
        )
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if f.filename.endswith((".html", ".xml", ".txt"))
    ]
    if frames:
        frame = frames[-1]
        return Problem(
            frame.filename, _("template error: {problem}", problem=exc), frame.lineno, where
        )
    return Problem(
        page.source or page.url,
        _("cannot render the page: {problem}", problem=repr(exc)),
        None,
        where,
    )


LITERAL_ID = re.compile(r"""\bid=["']([^"'{}<>\s]+)["']""")


def template_ids(env: Environment) -> frozenset[str]:
    """The literal ids the theme's templates write (``id="main"``): heading ids of a report
    body never take one of them, so a page never has an id twice."""
    ids: set[str] = set()
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        ids.update(LITERAL_ID.findall(source))
    return frozenset(ids)


def current_path(page: Page) -> str | None:
    """The site path links of a page start from (None: 404.html, served at any address)."""
    return None if page.kind == "404" else page.url


class SiteReads:
    """``site`` as templates see it: the model, with a note of each facet read (see
    ``pages.model.SITE_FACETS``), so that a template reading more than its page declares
    is still keyed right (``generator.incremental.keys``)."""

    def __init__(self, site: Site):
        self._site = site
        self.reads: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._site, name)
        self.reads.add(SITE_FACETS.get(name, "") or "*")
        return value


class PageRenderer:
    """Holds the Jinja environment and the Markdown renderer; renders pages one by one."""

    def __init__(
        self,
        site: Site,
        theme: Theme,
        file_urls: bool = False,
        dev: bool = False,
        bytecode_dir: Path | None = None,
        catalogue_rows: dict | None = None,
    ):
        self.site = site
        self.theme = theme
        self.config = site.config
        self.env = make_environment(theme, bytecode_dir)
        self.markdown = MarkdownRenderer(
            theme.strings.get("table_label", "表格 {n}"), template_ids(self.env)
        )
        self.linker = Linker(self.config.base_path, file_urls)
        # report file → the start of the plain text of its body, and whether it is all of it
        self._plain: dict[str, tuple[str, bool]] = {}
        self.env.filters["summary"] = self.summary
        self.env.filters["date"] = format_date
        self.env.filters["datetime"] = format_datetime
        self.env.filters["published"] = format_published
        self.site_reads = SiteReads(site)
        self.env.globals.update(
            site=self.site_reads,
            config=self.config,
            t=self.translate,
            dev=dev,
            catalogue_json=self.catalogue_json,
        )
        # The catalogue's rows as the last build made them (see CatalogueRows).
        self.catalogue = CatalogueRows(catalogue_rows)

    @jinja2.pass_context
    def catalogue_json(self, ctx: jinja2.runtime.Context, rows: list[Report]) -> Markup:
        """``catalogue_json(reports)``: the JSON array of the catalogue's rows, each with
        its href from the page being rendered (``pages.catalogue.CatalogueRows``)."""
        current = current_path(ctx["page"])
        context = (current, self.linker.base_path, self.linker.file_urls)
        return self.catalogue.json(rows, self.url_function(current), context)

    def translate(self, key: str, **values: Any) -> str:
        text = self.theme.strings.get(key, key)
        return text.format(**values) if values else text

    def summary(self, report: Report, length: int | None = None) -> str:
        length = length or self.config.summary_length
        text = report.summary or report.description
        if not text:  # a report is listed on many pages: its plain text is made once
            made = self._plain.get(report.file)
            if made is None or (not made[1] and len(made[0]) <= length):
                made = self._plain[report.file] = plain_head(message_text(report.text()), length)
            text = made[0]
        return cut(text, length)

    def forget(self, report: Report) -> None:
        """Drop what was worked out from a report's body (its file was edited)."""
        self._plain.pop(report.file, None)

    def markdown_of(self, report: Report) -> Rendered:
        return self.markdown.render(report.text(), report.facts)

    def site_links(self, html: str, current: str | None) -> str:
        """Links in a body written from the site root (``/xwzx/``) become page-relative,
        so that they keep working under a sub-path and from the file system."""
        return relink_site_paths(html, self.linker, current, self.config.base_path)

    def url_function(self, current: str | None) -> Callable[..., str]:
        """The templates' ``url(path, suffix='')``: a site path (or a relative one) to an
        href from the page ``current``; safe addresses (http(s), mailto, tel) as they are,
        encoded; a ``#fragment`` alone stays; anything else is treated as a path."""
        linker = self.linker

        def url(target: str, suffix: str = "") -> str:
            if target.startswith("/") and not target.startswith("//"):
                return linker.href(target, current, suffix)
            if target.startswith("#"):
                return target
            link = check_link(target)
            if link.kind == "external":
                return encode_external(link.value) + suffix
            return linker.href(target, current, suffix)

        return url

    def context(self, page: Page) -> dict[str, Any]:
        current = current_path(page)
        url = self.url_function(current)
        ctx: dict[str, Any] = {
            "page": page,
            "url": url,
            # An address an editor wrote (footer links): a site path may carry ?query#fragment.
            "link": lambda address: url(*split_url(address)),
            "asset": lambda path: url("/" + path.lstrip("/")),
            "absolute": self.config.absolute,
            # 404.html is served at whatever address was missing: it has no canonical URL.
            "canonical": "" if page.kind == "404" else self.config.absolute(page.url),
        }
        if page.report is not None:
            rendered = self.markdown_of(page.report)
            ctx["body"] = self.site_links(rendered.html, current)
            ctx["toc"] = rendered.toc if rendered.headings >= self.config.toc_min_headings else []
            # Made only when the page is rendered: the build cache keeps unchanged pages,
            # and so their QR codes, from one build to the next.
            canonical = ctx["canonical"]
            ctx["qr"] = qr_svg(canonical, self.translate("qr_label")) if canonical else ""
        return ctx

    def render(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
            return template.render(self.context(page))
        except Exception as exc:  # every template failure becomes a located problem
            raise RenderError(template_problem(exc, page, self.theme.template_dirs)) from None

    def page_bytes(self, page: Page) -> tuple[bytes, frozenset[str]]:
        """The page's file, as it is written, and the facets of ``site`` its templates
        read (raises :class:`RenderError`)."""
        reads = self.site_reads.reads
        reads.clear()
        data = self.render(page).encode("utf-8")
        found = frozenset(reads) if "*" not in reads else ALL_FACETS
        reads.clear()
        return data, found


def format_date(value: dt.datetime | dt.date | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


def format_datetime(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def format_published(report: Report) -> str:
    """发布时间 as the front matter gives it: with the time of day when it names one."""
    return format_datetime(report.date) if report.date_has_time else format_date(report.date)
