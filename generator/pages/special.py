"""Pages of the whole site: the site map (网站地图), 404, sitemap.xml, robots.txt, search."""

from __future__ import annotations

from .catalogue import has_catalogue
from .model import LAYOUT, PAGES, SERIES, YEARS, Crumb, Page, Site
from .topics import INDEX_URL


def make(site: Site) -> list[Page]:
    config = site.config
    title = config.title
    pages = [
        Page(
            "sitemap",
            "/sitemap/",
            "sitemap.html",
            "sitemap",
            years=site.years,
            # The first page of each page kind of its own (topics, catalogue), for links.
            subject=features(site),
            breadcrumbs=[Crumb(title, "/"), Crumb("", "/sitemap/", "sitemap")],
            facets=LAYOUT | {SERIES},
        ),
        Page("404", "/404.html", "404.html", "404"),
    ]
    if config.base_url:  # the XML sitemap needs absolute URLs
        pages.append(
            Page("sitemap_xml", "/sitemap.xml", "sitemap.xml", "sitemap", facets=LAYOUT | {PAGES})
        )
    pages.append(Page("robots", "/robots.txt", "robots.txt", "robots"))
    if config.search:
        pages.append(
            Page(
                "search",
                "/search/",
                "search.html",
                "search",
                years=site.years,
                breadcrumbs=[Crumb(title, "/"), Crumb("", "/search/", "search_title")],
                facets=LAYOUT | {YEARS},
            )
        )
    return pages


def features(site: Site) -> list[tuple[str, str]]:
    """(kind, url) of the topics index and the catalogue, where the site has them."""
    found = [("topics", INDEX_URL)] if site.topics else []
    if has_catalogue(site.reports):
        found.append(("catalogue", site.config.catalogue_path))
    return found
