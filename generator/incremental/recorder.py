"""A recording proxy of ``site`` and ``page``: which facets a template really reads.

The dependency test renders every page with its templates seeing :class:`Watched`
proxies instead of the model, and each read is checked against the page's declaration
(``Page.depends``): a facet of ``site`` the page does not declare, a column's body text
(no facet covers it), a field of another page that the ``pages`` facet does not cover, a
report neither shown by the page nor covered by a declared facet. A template that
escapes the cache so is named, with the page and what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import SiteConfig
from ..content import Attachment, Column, Report
from ..pages import model
from ..pages.catalogue import Filters
from ..pages.model import Crumb, Group, Page, Paginator, Series, Site
from ..pages.topics import Topic
from ..render import PageRenderer
from .facets import PAGE_FIELDS

MODEL_TYPES = (
    Site,
    Page,
    Report,
    Column,
    Series,
    Group,
    Paginator,
    Crumb,
    Attachment,
    SiteConfig,
    Topic,
    Filters,
)
# Facets whose digest covers the reports reached through them in full.
REPORT_FACETS = {model.REPORTS, model.SERIES}


class Recorder:
    """Collects what one page's templates read that its declaration does not cover."""

    def __init__(self, page: Page):
        self.page = page
        self.declared = page.depends.facets
        self.shown = set(page.depends.reports)
        self.problems: list[str] = []
        self.proxies: dict[tuple[int, str], Watched] = {}  # one per object: `is sameas` holds

    def _problem(self, what: str) -> None:
        message = f"{self.page.kind} page {self.page.url} ({self.page.template}): {what}"
        if message not in self.problems:
            self.problems.append(message)

    def need(self, facet: str, what: str) -> None:
        if facet not in self.declared:
            self._problem(f"reads {what}, but does not declare the facet '{facet}'")

    def check(self, target: object, name: str, via: str) -> str:
        """Check one attribute read; returns the facet (or 'page') what it gives is under."""
        if isinstance(target, Site):
            facet = model.SITE_FACETS.get(name)
            if facet is None:
                self._problem(f"reads site.{name}, which no facet covers")
                return via
            self.need(facet, f"site.{name}")
            return facet
        if isinstance(target, SiteConfig):
            self.need(model.CONFIG, f"config.{name}")
        elif isinstance(target, Column):
            if name == "body":
                self._problem(
                    f"reads the body text of column {target.key!r}, which no facet covers"
                )
            else:
                self.need(model.COLUMNS, f"column.{name}")
        elif isinstance(target, Report):
            covered = target.source in self.shown if via == "page" else via in REPORT_FACETS
            if not covered:
                self._problem(
                    f"reads {name} of report {target.source} (reached through '{via}'), "
                    "which it neither shows nor covers by a facet"
                )
        elif isinstance(target, Page) and target is not self.page and name not in PAGE_FIELDS:
            self._problem(f"reads {name} of another page, which the 'pages' facet does not cover")
        return via

    def wrap(self, value: Any, via: str) -> Any:
        if isinstance(value, MODEL_TYPES):
            proxy = self.proxies.get((id(value), via))
            if proxy is None:
                proxy = self.proxies[id(value), via] = Watched(value, self, via)
            return proxy
        if isinstance(value, list):
            return [self.wrap(v, via) for v in value]
        if isinstance(value, tuple):
            return tuple(self.wrap(v, via) for v in value)
        if isinstance(value, dict):
            return {k: self.wrap(v, via) for k, v in value.items()}
        return value


class Watched:
    """A model object whose attribute reads go through a :class:`Recorder`."""

    __slots__ = ("_recorder", "_target", "_via")

    def __init__(self, target: object, recorder: Recorder, via: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_via", via)

    def __getattr__(self, name: str) -> Any:
        target, recorder = self._target, self._recorder
        value = getattr(target, name)
        if name.startswith("__"):
            return value
        via = recorder.check(target, name, self._via)
        if callable(value) and not isinstance(value, type):
            return lambda *a, **k: recorder.wrap(value(*a, **k), via)
        return recorder.wrap(value, via)

    def __eq__(self, other: object) -> bool:
        other = other._target if isinstance(other, Watched) else other
        return self._target == other

    def __hash__(self) -> int:
        return hash(id(self._target))

    def __bool__(self) -> bool:
        return True


class Current:
    """A global of the templates (``site``, ``config``) seen through the recorder of the
    page being rendered (imported macros keep the globals they were first given)."""

    __slots__ = ("_renderer", "_target", "_via")

    def __init__(self, target: object, renderer: RecordingRenderer, via: str):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_renderer", renderer)
        object.__setattr__(self, "_via", via)

    def __getattr__(self, name: str) -> Any:
        recorder = self._renderer.recorder
        if recorder is None or name.startswith("__"):
            return getattr(self._target, name)
        return getattr(recorder.wrap(self._target, self._via), name)


class RecordingRenderer(PageRenderer):
    """Renders pages as the build does, with the templates seeing recording proxies;
    :attr:`problems` lists every read a page did not declare."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []
        self.recorder: Recorder | None = None
        self.env.globals["t"] = self._t(self.translate)
        self.env.globals["site"] = Current(self.site, self, "site")
        self.env.globals["config"] = Current(self.config, self, "config")

    def _t(self, translate: Callable[..., str]) -> Callable[..., str]:
        def t(key: str, **values: Any) -> str:
            if self.recorder is not None:
                self.recorder.need(model.STRINGS, f"the UI string {key!r}")
            return translate(key, **values)

        return t

    def context(self, page: Page) -> dict[str, Any]:
        ctx = super().context(page)
        self.recorder = Recorder(page)
        ctx["page"] = Watched(page, self.recorder, "page")
        return ctx

    def render(self, page: Page) -> str:
        try:
            return super().render(page)
        finally:
            if self.recorder is not None:
                self.problems += self.recorder.problems
            self.recorder = None
