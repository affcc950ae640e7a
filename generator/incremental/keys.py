"""Page keys: a page is rendered again only when its key changes.

A key is a hash of the code and library versions, the build flags, the config, the
templates the page uses (with all they extend, include or import), the page's own fields,
and what the page declares (``Page.depends``): the digest of each report it shows and
of each site-level facet it reads. Nothing else goes in, and nothing is guessed from
the text of templates.
"""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
import jinja2.meta

from ..content import Report
from ..pages.model import Page, Site, own_values
from ..render import template_ids  # the renderer's own rule for the ids bodies avoid
from .digest import code_digest, hash_parts
from .facets import Facets, config_digest, report_digest


class TemplateDigests:
    """The digest of a template together with every template it extends, includes or
    imports, so that editing one template re-renders only the pages that use it."""

    def __init__(self, env: jinja2.Environment, known_refs: dict[str, list] | None = None):
        self.env = env
        self.memo: dict[str, str] = {}
        # The templates each template source refers to (None: a name computed at run time),
        # by the digest of the source: parsing every template again costs more than the
        # rest of a one-report rebuild's keys. ``refs`` is what this build used.
        self.known_refs = known_refs or {}
        self.refs: dict[str, list] = {}

    def of(self, name: str) -> str:
        if name in self.memo:
            return self.memo[name]
        self.memo[name] = hash_parts("cycle", name)  # a template that includes itself
        try:
            source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            self.memo[name] = hash_parts("missing", name)
            return self.memo[name]
        source_digest = hash_parts("template source", source)
        referenced = self.known_refs.get(source_digest)
        if referenced is None:
            try:
                referenced = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
            except jinja2.TemplateSyntaxError:
                referenced = []
        self.refs[source_digest] = referenced
        names = sorted(r for r in referenced if r is not None)
        if None in referenced:  # a template name computed at run time: depend on all of them
            names = [n for n in sorted(self.env.list_templates()) if n != name]
        parts = [name, source, *(self.of(ref) for ref in names)]
        self.memo[name] = hash_parts(*parts)
        return self.memo[name]


def own_fields(page: Page) -> str:
    """The fields a page shows, as text: reports and columns by their identity (their
    ``repr``; what a report holds is in its digest, a column's in the ``columns`` facet)."""
    return repr(own_values(page))


class PageKeys:
    """Computes page keys, hashing each report, template and facet once."""

    def __init__(
        self,
        site: Site,
        strings: dict[str, str],
        flags: str,
        env: jinja2.Environment,
        template_refs: dict[str, list] | None = None,
    ):
        self.base = hash_parts(code_digest(), flags, config_digest(site))
        self.reports = {r.source: report_digest(r) for r in site.reports}
        self.templates = TemplateDigests(env, template_refs)
        self.facets = Facets(site, strings, lambda: template_ids(env), self.reports)

    def report_changed(self, report: Report) -> set[str]:
        """Take in a report whose file was edited in place (the dev server's quick path);
        returns the facets whose digest changed with it."""
        self.reports[report.source] = report_digest(report)
        old = self.facets.forget(reports_only=True)
        return {name for name, digest in old.items() if self.facets.digest(name) != digest}

    def key(self, page: Page, extra: Iterable[str] = ()) -> str:
        """The page's key from its declaration; ``extra``: facets its templates were seen
        reading beyond it (a site's own template, say)."""
        depends = page.depends
        facets = depends.facets.union(extra) if extra else depends.facets
        parts = [self.base, self.templates.of(page.template), own_fields(page)]
        parts += [self.reports.get(source, "") for source in depends.reports]
        parts += self.facets.parts(facets)
        return hash_parts(*parts)
