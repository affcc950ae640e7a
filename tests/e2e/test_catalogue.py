"""政府信息公开目录 in the browser: filters, 文号 search and pages against the rows
worked out from the front matter, the address keeps them, the back button works; without
JavaScript the static pages show the whole table; axe finds nothing serious."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sitegen_testkit import http_server

from generator.build import BuildOptions, build

from .conftest import DESKTOP, NOW, TIMEOUT_MS, make_handler
from .features_site import CATALOGUE, PER_PAGE, build_features_site, documents
from .test_axe import blocking_violations, describe

pytestmark = pytest.mark.e2e
URL = "/xxgk" + CATALOGUE


@pytest.fixture(scope="module")
def features_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("features")
    site = build_features_site(folder / "site")
    out = folder / "out"
    build(BuildOptions(source=site, output=out, now=NOW))
    with http_server(make_handler(out)) as origin:
        yield origin


def open_context(browser: Browser, origin: str, **options: object) -> BrowserContext:
    options.setdefault("viewport", DESKTOP)
    options.setdefault("locale", "zh-CN")
    context = browser.new_context(base_url=origin, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def js_page(browser: Browser, features_server: str) -> Iterator[Page]:
    context = open_context(browser, features_server)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def titles(page: Page) -> list[str]:
    return page.locator("main table.catalogue tbody tr td:nth-child(2) a").evaluate_all(
        "links => links.map(a => a.firstChild.textContent)"
    )


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def expected(**filters: str) -> list[str]:
    def keep(doc: dict[str, str]) -> bool:
        for key, value in filters.items():
            if key == "year" and not doc["date"].startswith(value):
                return False
            if key == "q" and value not in doc["doc_no"]:
                return False
            if key not in ("year", "q") and doc[key] != value:
                return False
        return True

    return [d["title"] for d in documents() if keep(d)]


def test_filters_narrow_the_table_and_stay_in_the_address(js_page: Page) -> None:
    page = js_page
    page.goto(URL)
    expect(page.locator("form.catalogue-filters")).to_be_visible()
    assert titles(page) == expected()[:PER_PAGE]
    page.select_option("#catalogue-category", "城乡建设")
    page.select_option("#catalogue-publisher", "灌南县司法局")
    page.get_by_role("button", name="筛选").click()
    want = expected(category="城乡建设", publisher="灌南县司法局")
    assert want, "the test data must give a non-empty result"
    expect(page.locator("main table.catalogue tbody tr")).to_have_count(min(len(want), PER_PAGE))
    assert titles(page) == want[:PER_PAGE]
    assert query(page) == {"category": ["城乡建设"], "publisher": ["灌南县司法局"]}
    status = page.locator("[data-catalogue-status]")
    expect(status).to_contain_text(f"共 {len(want)} 条")
    # The address opened anew gives the same view, with the form filled in.
    page.goto(URL + "?validity=失效&year=2022")
    want = expected(validity="失效", year="2022")
    assert titles(page) == want[:PER_PAGE]
    expect(page.locator("#catalogue-validity")).to_have_value("失效")
    expect(page.locator("#catalogue-year")).to_have_value("2022")


def test_doc_no_search_takes_any_brackets(js_page: Page) -> None:
    page = js_page
    page.goto(URL)
    doc = documents()[4]
    typed = doc["doc_no"].replace("〔", "[").replace("〕", "]")
    page.fill("#catalogue-q", typed)
    page.press("#catalogue-q", "Enter")
    expect(page.locator("main table.catalogue tbody tr")).to_have_count(
        len(expected(q=doc["doc_no"]))
    )
    assert titles(page) == expected(q=doc["doc_no"])
    assert query(page) == {"q": [typed]}
    page.fill("#catalogue-q", "灌政发〔1999〕")
    page.press("#catalogue-q", "Enter")
    expect(page.locator("main table.catalogue tbody tr")).to_have_count(0)
    expect(page.locator("[data-catalogue-status]")).to_contain_text("没有符合条件")


def test_pages_and_the_back_button(js_page: Page) -> None:
    page = js_page
    page.goto(URL + "?category=综合政务")
    want = expected(category="综合政务")
    assert len(want) > PER_PAGE
    page.locator('main .pagination a[rel="next"]').click()
    expect(page.locator('main .pagination a[aria-current="page"]')).to_have_text("2")
    assert titles(page) == want[PER_PAGE : 2 * PER_PAGE]
    assert query(page) == {"category": ["综合政务"], "page": ["2"]}
    page.go_back()
    expect(page.locator('main .pagination a[aria-current="page"]')).to_have_text("1")
    assert titles(page) == want[:PER_PAGE]
    assert query(page) == {"category": ["综合政务"]}
    page.go_forward()
    expect(page.locator('main .pagination a[aria-current="page"]')).to_have_text("2")
    assert titles(page) == want[PER_PAGE : 2 * PER_PAGE]
    # Clearing the filters gives the whole catalogue again, and back returns to the filter.
    page.get_by_role("link", name="清除条件").click()
    assert titles(page) == expected()[:PER_PAGE]
    assert query(page) == {}
    page.go_back()
    assert titles(page) == want[PER_PAGE : 2 * PER_PAGE]


def test_the_form_of_a_later_page_filters_from_the_first(js_page: Page) -> None:
    page = js_page
    page.goto(URL + "page/2/")
    assert titles(page) == expected()[PER_PAGE : 2 * PER_PAGE]
    page.select_option("#catalogue-validity", "废止")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**" + URL + "?validity=*")
    assert urlsplit(page.url).path == URL
    assert titles(page) == expected(validity="废止")[:PER_PAGE]


def test_without_javascript_the_static_pages_show_the_whole_table(
    browser: Browser, features_server: str
) -> None:
    context = open_context(browser, features_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(URL)
        expect(page.locator("form.catalogue-filters")).to_be_hidden()
        seen: list[str] = []
        while True:
            seen += titles(page)
            following = page.locator('main .pagination a[rel="next"]')
            if following.count() == 0:
                break
            following.click()
            page.wait_for_load_state()
        assert seen == expected()
        assert urlsplit(page.url).path == f"{URL}page/{-(-len(seen) // PER_PAGE)}/"
    finally:
        context.close()


@pytest.mark.parametrize("path", [URL, "/xxgk/topics/", "/xxgk/topics/yfxz/", "/xxgk/xwzx/tpxw/"])
def test_no_serious_axe_violation(js_page: Page, path: str) -> None:
    response = js_page.goto(path)
    assert response is not None and response.status == 200
    violations = blocking_violations(js_page)
    assert not violations, f"axe on {path}:\n{describe(violations)}"


def test_the_sample_sites_catalogue_passes_axe(page: Page) -> None:
    """The sample's catalogue (long 索引号 and titles in a wide table) with its filters."""
    response = page.goto("/xxgk/zwgk/catalogue/")
    assert response is not None and response.status == 200
    expect(page.locator("form.catalogue-filters")).to_be_visible()
    assert page.locator("main table.catalogue tbody tr").count() > 0
    violations = blocking_violations(page)
    assert not violations, f"axe on the sample catalogue:\n{describe(violations)}"
