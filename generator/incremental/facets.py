"""The digest of each site-level facet a page may declare (see ``generator.pages.model``).
(The input folders the facets come from are ``fingerprint.SITE_INPUTS``.)

A facet's digest covers everything a template can reach through it: the ``series`` facet
covers its reports in full, the ``columns`` facet every field of every column except its
body text (which no page shows), the ``pages`` facet the fields of each page that
``site.pages`` is read for (kind, url, title, template, lastmod).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping
from itertools import chain

from ..content import Column, Report
from ..pages import model
from ..pages.model import Site
from .digest import hash_parts

# Fields of a column every page may show (its body text is not one of them).
COLUMN_FIELDS = (
    "key",
    "title",
    "description",
    "weight",
    "keywords",
    "column_type",
    "template",
    "layout",
)
# Fields of the pages of ``site.pages`` that its facet covers.
PAGE_FIELDS = ("kind", "url", "output", "is_html", "title", "template", "lastmod")
# Its digest: the text fields joined (no text of the model holds a NUL: YAML's control
# characters are removed), then the lastmods; ``output`` and ``is_html`` follow from ``url``.
_page_texts = operator.attrgetter("kind", "url", "title", "template")
_page_lastmod = operator.attrgetter("lastmod")


def report_digest(report: Report) -> str:
    """Everything of a report comes from its file's bytes, except what the model adds."""
    attachments = [(a.title, a.href, a.size) for a in report.attachments]
    facts = repr(sorted(report.facts.items()))  # what its body uses outside its file
    return hash_parts(
        report.digest,
        report.url,
        "/".join(report.column),
        repr(attachments),
        facts,
        str(report.pinned),
    )


def config_digest(site: Site) -> str:
    config = site.config
    return hash_parts(
        repr(sorted((k, v) for k, v in vars(config).items() if k not in ("root", "lines")))
    )


def _json(value: object) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


def column_digest(column: Column) -> list:
    return [getattr(column, name) for name in COLUMN_FIELDS] + [[c.key for c in column.children]]


class Facets:
    """Facet digests of one site, each made once when a page first asks for it.

    ``reports`` maps Report.source to its digest (shared with the page keys)."""

    def __init__(
        self,
        site: Site,
        strings: Mapping[str, str],
        template_ids: Callable[[], frozenset[str]],
        reports: Mapping[str, str],
    ):
        self.site = site
        self.reports = reports
        self.memo: dict[str, str] = {}
        self.parts_memo: dict[frozenset[str], list[str]] = {}  # see parts()
        self.of_reports: set[str] = set()  # facets whose digest took in report digests
        self._making = ""
        self.makers: dict[str, Callable[[], str]] = {
            model.CONFIG: lambda: config_digest(site),
            model.STRINGS: lambda: hash_parts(_json(sorted(strings.items()))),
            model.COLUMNS: lambda: hash_parts(
                _json([column_digest(c) for c in site.columns.values()]),
                _json([c.key for c in site.nav]),
            ),
            model.YEARS: lambda: hash_parts(_json(site.years)),
            model.SERIES: lambda: hash_parts(
                _json(
                    [
                        (s.name, s.slug, s.description, [self._r(r) for r in s.reports])
                        for s in site.series.values()
                    ]
                )
            ),
            model.REPORTS: lambda: hash_parts(*(self._r(r) for r in site.reports)),
            model.PAGES: lambda: hash_parts(
                "\0".join(chain.from_iterable(map(_page_texts, site.pages))),
                repr(list(map(_page_lastmod, site.pages))),
            ),
            model.TEMPLATE_IDS: lambda: hash_parts(*sorted(template_ids())),
            model.ASSETS: lambda: hash_parts(*site.assets),
            model.SELECTION: lambda: hash_parts(
                _json([site.left_out, site.files_left_out, site.valid_until])
            ),
        }

    def _r(self, report: Report) -> str:
        self.of_reports.add(self._making)
        return self.reports.get(report.source, "")

    def digest(self, name: str) -> str:
        found = self.memo.get(name)
        if found is None:
            maker = self.makers.get(name)
            if maker is None:
                raise KeyError(f"no page may declare the unknown facet {name!r}")
            self._making = name
            found = self.memo[name] = maker()
        return found

    def parts(self, names: frozenset[str]) -> list[str]:
        """``name=digest`` of each facet named, in name order: a page key's part (pages
        share a few sets of facets, so each set is made once until :meth:`forget`)."""
        found = self.parts_memo.get(names)
        if found is None:
            found = [f"{name}={self.digest(name)}" for name in sorted(names)]
            self.parts_memo[names] = found
        return found

    def forget(self, reports_only: bool = False) -> dict[str, str]:
        """Drop the digests made so far, or with ``reports_only`` those that took in the
        digest of a report (a report's text changed, nothing else); returns them."""
        self.parts_memo = {}
        if not reports_only:
            old, self.memo = self.memo, {}
            return old
        old = {name: self.memo.pop(name) for name in self.of_reports if name in self.memo}
        return old
