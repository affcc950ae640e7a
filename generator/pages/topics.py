"""The 专题 page kind: topic pages ``/topics/<slug>/`` (paged, newest first) and the index ``/topics/``.

A topic is named in front matter (``topics: [八五普法]``) and described in sitegen.yaml
(``topics:`` name → title, slug, description, banner). A name the config does not know
gets a warning with a "did you mean" and a page of its own under its name (percent-
encoded, like a series without a slug); a name that cannot be one folder is an error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..config import SiteConfig
from ..content import Report, segment_problem
from ..errors import Diagnostics
from ..messages import _
from .common import paginate
from .model import LAYOUT, Crumb, Page, Site

INDEX_URL = "/topics/"


@dataclass
class Topic:
    name: str
    slug: str
    title: str
    description: str = ""
    banner: str = ""  # a file under static/
    reports: list[Report] = field(default_factory=list)  # newest first

    @property
    def url(self) -> str:
        return f"{INDEX_URL}{self.slug}/"


def collect_topics(config: SiteConfig, reports: list[Report], diag: Diagnostics) -> list[Topic]:
    """Topics with their reports (``reports`` newest first), in the order of the config,
    then the unknown ones by name. A topic of the config with no report has no page."""
    by_name: dict[str, list[Report]] = {}
    for report in reports:
        for name in report.topics:
            by_name.setdefault(name, []).append(report)
    known = list(config.topics)
    topics: list[Topic] = []
    for name in known + sorted(n for n in by_name if n not in config.topics):
        items = by_name.get(name)
        if not items:
            continue
        info = config.topics.get(name)
        if info is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = (
                _("did you mean {name}?", name=repr(close[0]))
                if close
                else _(
                    "describe it in sitegen.yaml: topics: {{{name}: {{slug: …, description: …}}}}",
                    name=name,
                )
            )
            diag.warn(
                items[-1].source,
                _(
                    "the topic {name} is not in the topics of sitegen.yaml: its page has no "
                    "description and uses the name in its address",
                    name=repr(name),
                ),
                None,
                hint,
            )
        slug = info.slug if info is not None and info.slug else name
        problem = segment_problem(slug)
        if problem is not None:
            diag.error(
                items[-1].source,
                _(
                    "the topic {name} cannot be its own address /topics/…/: the name {problem}",
                    name=repr(name),
                    problem=problem,
                ),
                None,
                _(
                    "give the topic a slug in sitegen.yaml (topics: {{{name}: {{slug: bwpf}}}})",
                    name=name,
                ),
            )
            continue
        topics.append(
            Topic(
                name,
                slug,
                (info.title if info is not None else "") or name,
                info.description if info is not None else "",
                info.banner if info is not None else "",
                items,
            )
        )
    return topics


def topic_pages(topics: list[Topic], per_page: int, site_title: str) -> list[Page]:
    """The topics index and every topic's pages; each page shows its own reports."""
    if not topics:
        return []
    home = Crumb(site_title, "/")
    index_crumb = Crumb("", INDEX_URL, "topics_index")
    pages = [
        Page(
            "topics",
            INDEX_URL,
            "topics.html",
            "topics",
            subject=topics,  # each Topic holds its reports: the page declares them all
            breadcrumbs=[home, index_crumb],
            facets=LAYOUT,
        )
    ]
    for topic in topics:
        for paginator, items in paginate(topic.url, topic.reports, per_page):
            pages.append(
                Page(
                    "topic",
                    paginator.urls[paginator.number - 1],
                    "topic.html",
                    topic.title,
                    reports=items,
                    paginator=paginator,
                    subject=topic,
                    breadcrumbs=[home, index_crumb, Crumb(topic.title, topic.url)],
                    facets=LAYOUT,
                )
            )
    return pages


def make(site: Site) -> list[Page]:
    """The pages of the topics the site model collected (``site.topics``)."""
    return topic_pages(site.topics, site.config.per_page, site.config.title)
