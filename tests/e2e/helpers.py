"""Paths of the sample site and small helpers shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/xxgk/"
BASE_URL = "https://www.example.gov.cn/xxgk/"  # base_url in sitegen.yaml

# One page of each type of the sample site, as opened in the browser.
HOME = "/xxgk/"
COLUMN = "/xxgk/xwzx/gsgg/"
PARENT_COLUMN = "/xxgk/xwzx/"
YEAR = "/xxgk/2020/"
REPORT = "/xxgk/xwzx/gsgg/2020/fzzf-report-2020/"
REPORT_TITLE = "灌南县人民政府2020年度法治政府建设工作报告"
OTHER_REPORT = "/xxgk/xwzx/gsgg/2022/fzzf-report-2021/"
SERIES = "/xxgk/series/fzzf-annual/"
SITEMAP = "/xxgk/sitemap/"
MISSING = "/xxgk/no-such-column/no-such-page/"
NDBG_COLUMN = "/xxgk/zwgk/ndbg/"

PAGES = {
    "home": HOME,
    "column": COLUMN,
    "year": YEAR,
    "report": REPORT,
    "series": SERIES,
    "sitemap": SITEMAP,
    "404": MISSING,
}


def canonical(path: str) -> str:
    """The absolute URL of a page opened at ``path`` (base_url + the path below /xxgk/)."""
    assert path.startswith(PREFIX), path
    return BASE_URL + path[len(PREFIX) :]


def local_path(page: Page) -> str:
    """The path of the page's current URL, e.g. ``/xxgk/xwzx/``."""
    from urllib.parse import urlsplit

    return urlsplit(page.url).path


def ndbg_report(page: Page) -> str:
    """The path of the newest 政府信息公开年报 (the report with wide tables), from its column."""
    page.goto(NDBG_COLUMN)
    links = page.locator(".report-list li a")
    assert links.count() > 0, "the 政府信息公开年报 column lists no report"
    path = links.first.evaluate("a => new URL(a.href).pathname")
    assert path.startswith(NDBG_COLUMN) and path != NDBG_COLUMN, path
    return path


def px(page: Page, selector: str, prop: str = "font-size") -> float:
    """A computed length in px of the first element matching ``selector``."""
    value = page.locator(selector).first.evaluate(
        "(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop
    )
    return float(value.removesuffix("px"))
