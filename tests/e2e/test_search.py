"""站内搜索 (Pagefind) in the browser: the header box, the search page, its filters."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .helpers import HOME, PREFIX, REPORT, REPORT_TITLE, local_path
from .test_axe import blocking_violations, describe

pytestmark = pytest.mark.e2e

SEARCH = "/xxgk/search/"
NO_RESULTS = "没有找到相关信息，请换个关键词试试。"
FOUND = re.compile(r"找到 \d+ 条结果")
RESULT_LINKS = "ol#search-results li h2 a"


def search_url(q: str, column: str = "", year: str = "") -> str:
    url = f"{SEARCH}?q={quote(q)}"
    if column:
        url += f"&column={quote(column)}"
    if year:
        url += f"&year={quote(year)}"
    return url


def wait_done(page: Page) -> str:
    """Waits until the search page reports a result count or no results; returns that text."""
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(f"{FOUND.pattern}|{re.escape(NO_RESULTS)}"))
    return status.inner_text()


def result_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(RESULT_LINKS).all_inner_texts()]


def result_paths(page: Page) -> list[str]:
    return page.locator(RESULT_LINKS).evaluate_all("as => as.map(a => new URL(a.href).pathname)")


def expect_report_found(page: Page, query: str) -> None:
    text = wait_done(page)
    assert FOUND.fullmatch(text.strip()), f"{query!r}: status {text!r}"
    expect(page.locator(RESULT_LINKS).filter(has_text=REPORT_TITLE).first).to_be_visible()
    titles = result_titles(page)
    assert REPORT_TITLE in titles, f"{query!r}: {REPORT_TITLE} not among {titles}"


def test_header_box_then_search_page_then_open_result(page: Page) -> None:
    page.goto(HOME)
    box = page.locator("form.search-box input#site-search-q")
    box.fill("行政复议")
    box.press("Enter")
    page.wait_for_url(re.compile(re.escape(SEARCH) + r"\?"))
    assert local_path(page) == SEARCH
    expect(page.locator("input#search-q")).to_have_value("行政复议")
    expect_report_found(page, "行政复议")

    page.locator("input#search-q").fill("营商环境")
    page.locator("input#search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(quote("营商环境"))))
    expect(page.locator("#search-status")).not_to_have_text("")
    expect_report_found(page, "营商环境")

    page.locator(RESULT_LINKS).filter(has_text=REPORT_TITLE).first.click()
    page.wait_for_url(re.compile(re.escape(REPORT) + "$"))
    assert local_path(page).startswith(PREFIX)
    expect(page.locator("main h1")).to_have_text(REPORT_TITLE)


def test_part_of_a_compound_word_is_found(page: Page) -> None:
    page.goto(search_url("营商"))
    expect_report_found(page, "营商")


def test_nonsense_query_shows_no_results(page: Page) -> None:
    page.goto(search_url("zzqqxx"))
    assert wait_done(page).strip() == NO_RESULTS
    expect(page.locator("ol#search-results li")).to_have_count(0)


# (column, whether 执法 must find something there: the 年报 may not mention it)
@pytest.mark.parametrize(("column", "some"), [("zwgk/ndbg", False), ("xwzx", True)])
def test_column_filter_via_url(page: Page, column: str, some: bool) -> None:
    page.goto(search_url("执法", column=column))
    expect(page.locator("select#search-column")).to_have_value(column)
    wait_done(page)
    paths = result_paths(page)
    assert paths or not some, f"执法 finds nothing in column {column}"
    wrong = [p for p in paths if f"{PREFIX}{column}/" not in p]
    assert not wrong, f"column {column}: results outside it: {wrong}"


def test_column_filter_via_select(page: Page) -> None:
    page.goto(search_url("执法"))
    wait_done(page)
    unfiltered = result_paths(page)
    assert unfiltered, "执法 finds nothing at all"
    page.locator("select#search-column").select_option("zwgk/ndbg")
    # the filter re-runs the search: wait until every result shown is in the column
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('ol#search-results li h2 a'))
                 .every(a => new URL(a.href).pathname.includes('/zwgk/ndbg/'))"""
    )
    wait_done(page)
    wrong = [p for p in result_paths(page) if "/xxgk/zwgk/ndbg/" not in p]
    assert not wrong, wrong


@pytest.mark.parametrize("year", ["2020", "2022"])
def test_year_filter(page: Page, year: str) -> None:
    page.goto(search_url("执法", year=year))
    expect(page.locator("select#search-year")).to_have_value(year)
    wait_done(page)
    paths = result_paths(page)
    assert paths, f"执法 finds nothing in {year}"
    wrong = [p for p in paths if f"/{year}/" not in p]
    assert not wrong, f"year {year}: results from other years: {wrong}"


def test_year_filter_finds_the_seed_report(page: Page) -> None:
    page.goto(search_url("行政复议", year="2020"))
    expect_report_found(page, "行政复议 (2020)")
    assert all("/2020/" in p for p in result_paths(page))


def test_no_serious_axe_violation_with_results(page: Page) -> None:
    page.goto(search_url("行政复议"))
    expect_report_found(page, "行政复议")
    violations = blocking_violations(page)
    assert not violations, f"axe on {SEARCH} with results:\n{describe(violations)}"


def test_result_links_stay_under_the_sub_path(page: Page) -> None:
    page.goto(search_url("行政复议"))
    expect_report_found(page, "行政复议")
    hrefs = page.locator(RESULT_LINKS).evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs
    wrong = [h for h in hrefs if not h.startswith(PREFIX)]
    assert not wrong, f"result links outside {PREFIX}: {wrong}"
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, f"{href}: HTTP {response.status}"
        assert urlsplit(response.url).path.startswith(PREFIX)
