"""The site built with relative links (``relative=True``) is browsable from the file system.

Opened as ``file://.../index.html``: home → a column → a year → a report, and back to 首页
through the breadcrumb; every page loads with its stylesheet, and no link on a report points
at a bare directory (a directory opened from the file system shows a listing, not the page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from generator.build import BuildOptions, build

from .conftest import DESKTOP, NOW, TIMEOUT_MS
from .helpers import REPORT_TITLE

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
COLUMN_TITLE = "公示公告"
YEAR_LINK = "2020年"


@pytest.fixture(scope="module")
def relative_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e-offline") / "public"
    build(BuildOptions(source=REPO_ROOT, output=out, relative=True, now=NOW))
    assert (out / "index.html").is_file(), "the relative build wrote no index.html"
    return out


@pytest.fixture
def file_page(browser: Browser) -> Iterator[Page]:
    """A page with no server behind it: anything over the network is blocked."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []

    def block(route: Route) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^https?://"), block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"script errors: {errors}"


def assert_loaded(page: Page, h1: str | re.Pattern[str] | None = None) -> None:
    """The page is a real page of the site (not a directory listing) and its CSS applied."""
    assert page.url.startswith("file://"), page.url
    assert page.url.endswith("/index.html"), page.url
    heading = page.locator("main h1")
    expect(heading).to_have_count(1)
    if h1 is not None:
        expect(heading).to_have_text(h1)
    header = page.locator("header.site-header")
    expect(header).to_have_count(1)
    style = header.evaluate(
        """h => { const s = getComputedStyle(h);
                  return {image: s.backgroundImage, border: s.borderTopWidth,
                          color: s.backgroundColor}; }"""
    )
    # unstyled, a <header> has no background and no border
    assert style["image"] != "none", f"{page.url}: site.css not applied ({style})"
    assert style["border"] != "0px", f"{page.url}: site.css not applied ({style})"
    # (a file: page cannot read its sheets' rules: the computed style above is the proof)
    loaded = page.evaluate(
        """() => Array.from(document.styleSheets)
                 .some(s => s.href && s.href.startsWith('file:') && s.href.endsWith('/css/site.css'))"""
    )
    assert loaded, f"{page.url}: css/site.css is not among the page's style sheets"


def test_click_through_from_the_file_system(relative_site: Path, file_page: Page) -> None:
    page = file_page
    home = (relative_site / "index.html").as_uri()
    page.goto(home)
    assert_loaded(page)

    page.locator("nav.main-nav a", has_text=COLUMN_TITLE).first.click()
    page.wait_for_load_state()
    assert_loaded(page, COLUMN_TITLE)
    assert page.url.endswith("/xwzx/gsgg/index.html"), page.url

    page.locator("nav.years-nav a", has_text=YEAR_LINK).click()
    page.wait_for_load_state()
    assert_loaded(page, re.compile("2020"))
    assert page.url.endswith("/xwzx/gsgg/2020/index.html"), page.url

    page.locator(".report-list a", has_text=REPORT_TITLE).click()
    page.wait_for_load_state()
    assert_loaded(page, REPORT_TITLE)
    assert page.url.endswith("/xwzx/gsgg/2020/fzzf-report-2020/index.html"), page.url

    page.locator("nav.breadcrumb a", has_text="首页").click()
    page.wait_for_load_state()
    assert_loaded(page)
    assert page.url == home, page.url


def test_report_links_name_files_not_directories(relative_site: Path, file_page: Page) -> None:
    page = file_page
    report = relative_site / "xwzx/gsgg/2020/fzzf-report-2020/index.html"
    page.goto(report.as_uri())
    assert_loaded(page, REPORT_TITLE)
    links = page.locator("a[href]").evaluate_all(
        "as => as.map(a => [a.getAttribute('href'), a.href])"
    )
    assert links, "the report has no link"
    wrong = []
    for raw, resolved in links:
        if raw.startswith("#"):
            continue
        parts = urlsplit(resolved)
        if parts.scheme != "file":  # external links (https:, mailto:) are not the site's
            continue
        name = parts.path.rsplit("/", 1)[-1]
        if not name or "." not in name:
            wrong.append(raw)
            continue
        target = Path(parts.path)
        if not target.exists():
            wrong.append(f"{raw} (missing)")
    assert not wrong, f"links to directories or missing files: {wrong}"
