"""站内搜索 in the browser, through the real search page of the sample site under /xxgk/.

Truth is computed from the built HTML of the report pages (tests/test_search_index.py's
helpers: title, report body, front-matter fields, NFKC + case folding): for each query
the results, paged through to the end, are exactly the pages containing every word, in
the promised order, with the true count; filters and paging live in the address.
"""

from __future__ import annotations

import base64
import contextlib
import json
import random
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sitegen_testkit import copy_sample, http_server
from test_search_index import Truth, expected, norm, truths

from generator import search, search_index
from generator.build import BuildOptions, build
from generator.search_query import SearchIndex, in_column

from .conftest import DESKTOP, NOW, TIMEOUT_MS, make_handler
from .helpers import HOME, PREFIX, REPORT, REPORT_TITLE, ROOT, local_path
from .test_axe import blocking_violations, describe

pytestmark = pytest.mark.e2e

SEARCH = "/xxgk/search/"
NO_RESULTS = "没有找到相关信息，请换个关键词试试。"
OFFLINE = "站内搜索需要在已发布的网站上使用"
FOUND = re.compile(r"找到 (\d+) 条结果")
RESULT_LINKS = "ol#search-results li h2 a"
QUERIES = [
    "行政复议",
    "复议",
    "营商环境",
    "法",
    "政府",
    "2020",
    "12345",
    "灌政发〔2021〕12号",
    "行政 执法",
    "示例",
    "依法行政",
    "zzqxjw不存在的词语qq",
]


@pytest.fixture(scope="module")
def docs(site_dir: Path) -> list[Truth]:
    return truths(ROOT, site_dir)


@contextlib.contextmanager
def served_page(browser: Browser, out: Path) -> Iterator[tuple[Page, list[str]]]:
    """A page in a new context of ``browser``, ``out`` served as the site under /xxgk/, and
    the list the page's script errors are collected in."""
    errors: list[str] = []
    with http_server(make_handler(out)) as origin:
        context = browser.new_context(base_url=origin, viewport=DESKTOP, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield page, errors
        finally:
            context.close()


def search_url(q: str, column: str = "", year: str = "", page: int = 0) -> str:
    url = f"{SEARCH}?q={quote(q)}"
    if column:
        url += f"&column={quote(column)}"
    if year:
        url += f"&year={quote(year)}"
    if page:
        url += f"&page={page}"
    return url


def wait_done(page: Page) -> str:
    """Waits until the search page has answered the address it shows (a query, result page
    or filter chosen on the page, and back and forward, are answered without loading the
    page again); returns its status text."""
    page.wait_for_function(
        "() => document.getElementById('search-form').dataset.done === location.search"
    )
    return page.locator("#search-status").inner_text().strip()


def result_paths(page: Page) -> list[str]:
    return page.locator(RESULT_LINKS).evaluate_all("as => as.map(a => new URL(a.href).pathname)")


def all_results(page: Page, url: str) -> tuple[int | None, list[str]]:
    """(count shown, every result path) following the page links to the last page."""
    page.goto(url)
    return collect(page)


def collect(page: Page) -> tuple[int | None, list[str]]:
    """(count shown, every result path) of the query answered, following the page links."""
    status = wait_done(page)
    found = FOUND.fullmatch(status)
    paths: list[str] = []
    while True:
        paths += result_paths(page)
        following = page.locator("#search-pages a[rel=next]")
        if following.count() == 0:
            break
        following.click()
        wait_done(page)
    return (int(found.group(1)) if found else None), paths


def site_path(url: str) -> str:
    return PREFIX + url.lstrip("/")


@pytest.mark.parametrize("query", QUERIES)
def test_results_are_exactly_the_pages_containing_the_query(
    page: Page, docs: list[Truth], query: str
) -> None:
    want = [site_path(u) for u in expected(docs, query)]
    count, paths = all_results(page, search_url(query))
    assert paths == want, f"{query!r}: results differ from the pages containing it"
    if want:
        assert count == len(want)
        expect(page.locator("#search-hint")).to_be_hidden()
    else:
        assert page.locator("#search-status").inner_text().strip() == NO_RESULTS
        expect(page.locator("#search-hint")).to_be_visible()
        expect(page.locator("ol#search-results li")).to_have_count(0)


def test_a_search_page_without_the_early_requests_finds_the_same(
    page: Page, docs: list[Truth]
) -> None:
    """A theme's own search page without search.html's early request: search.js asks for
    the index's first file itself, with the same results."""
    page.add_init_script(
        "Object.defineProperty(window, 'sitegenIndex', {set() {}, get() { return undefined; }})"
    )
    for query in ("行政复议", "法", "zzqxjw不存在的词语qq"):
        want = [site_path(u) for u in expected(docs, query)]
        count, paths = all_results(page, search_url(query))
        assert paths == want, query
        assert count == (len(want) or None)


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[Truth]]]:
    """The sample site with 5 results a page (per_page: 5), served under /xxgk/."""
    source = copy_sample(tmp_path_factory.mktemp("search-paging") / "site")
    config = source / "sitegen.yaml"
    text = re.sub(r"^per_page:.*\n", "", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text + "\nper_page: 5\n", encoding="utf-8")
    out = source.parent / "public"
    build(BuildOptions(source=source, output=out, now=NOW))
    with http_server(make_handler(out)) as origin:
        yield origin, truths(source, out)


def test_paging_in_the_address_and_the_back_button(
    browser: Browser, small_pages: tuple[str, list[Truth]]
) -> None:
    origin, docs = small_pages
    want = [site_path(u) for u in expected(docs, "法")]
    assert len(want) > 10, "法 should fill more than two pages of 5"
    context = browser.new_context(base_url=origin, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        count, paths = all_results(page, search_url("法"))
        assert count == len(want)
        assert paths == want, "paging through every page gives each match once, in order"
        page.goto(search_url("法"))
        wait_done(page)
        assert result_paths(page) == want[:5]
        expect(page.locator("#search-pages a[aria-current=page]")).to_have_text("1")
        page.locator("#search-pages a[rel=next]").click()
        wait_done(page)
        assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
        assert result_paths(page) == want[5:10]
        expect(page.locator("#search-pages a[aria-current=page]")).to_have_text("2")
        page.go_back()
        wait_done(page)
        assert "page" not in parse_qs(urlsplit(page.url).query)
        assert result_paths(page) == want[:5]
        page.goto(search_url("法", page=3))
        wait_done(page)
        assert result_paths(page) == want[10:15]
        assert FOUND.fullmatch(page.locator("#search-status").inner_text().strip())
    finally:
        context.close()
    assert not errors, errors


@pytest.mark.parametrize(
    ("column", "year"), [("xwzx", ""), ("zwgk/ndbg", ""), ("", "2022"), ("xwzx", "2020")]
)
def test_filters_in_the_address_apply_to_all_matches(
    page: Page, docs: list[Truth], column: str, year: str
) -> None:
    query = "法"
    matching = [d for d in docs if norm(query) in d.text]
    want = [
        site_path(u)
        for u in expected(docs, query)
        if any(
            d.url == u and in_column(d.column, column) and (not year or d.year == year)
            for d in matching
        )
    ]
    count, paths = all_results(page, search_url(query, column, year))
    assert paths == want
    assert count == (len(want) or None)
    expect(page.locator("select#search-column")).to_have_value(column)
    expect(page.locator("select#search-year")).to_have_value(year)


def test_filter_counts_and_choosing_a_filter(page: Page, docs: list[Truth]) -> None:
    matching = [d for d in docs if "法" in d.text]
    page.goto(search_url("法"))
    wait_done(page)
    for d_year in sorted({d.year for d in docs}):
        n = sum(1 for d in matching if d.year == d_year)
        expect(page.locator(f"select#search-year option[value='{d_year}']")).to_have_text(
            re.compile(rf"（{n}）$")
        )
    n = sum(1 for d in matching if in_column(d.column, "xwzx"))
    expect(page.locator("select#search-column option[value='xwzx']")).to_have_text(
        re.compile(rf"（{n}）$")
    )
    page.locator("select#search-column").select_option("xwzx")
    page.locator("#search-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"column=xwzx"))
    assert FOUND.fullmatch(wait_done(page)).group(1) == str(n)
    assert all(p.startswith(f"{PREFIX}xwzx/") for p in result_paths(page))


@pytest.mark.parametrize(("query", "year"), [("法", ""), ("法", "2022"), ("行政复议", "")])
def test_shards_of_one_month_give_the_same_results(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, query: str, year: str
) -> None:
    """The sample built with shards of at most one report (so of one month): the browser
    merges them as it merges year shards; the year filter reads each shard's year."""
    monkeypatch.setattr(search, "SHARD_REPORTS", 1)
    source = copy_sample(tmp_path / "site")
    out = tmp_path / "public"
    build(BuildOptions(source=source, output=out, now=NOW))
    names = [s["name"] for s in json.loads((out / "searchindex/meta.json").read_bytes())["shards"]]
    assert [name[:4] for name in names].count("2022") > 1  # a year split into months
    docs = truths(source, out)
    want = [site_path(u) for u in expected(docs, query) if any(
        d.url == u and (not year or d.year == year) for d in docs)]  # fmt: skip
    with served_page(browser, out) as (page, errors):
        count, paths = all_results(page, search_url(query, year=year))
    assert want and paths == want
    assert count == len(want)
    assert not errors, errors


@pytest.fixture(scope="module")
def frequent_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[Truth]]]:
    """The sample built with every string seen more than twice in a shard frequent, so
    the browser looks words up by tokens of three to six characters, served under /xxgk/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "FREQUENT", 2)
        source = copy_sample(tmp_path_factory.mktemp("search-frequent") / "site")
        out = source.parent / "public"
        build(BuildOptions(source=source, output=out, now=NOW))
    longest = max(len(t) for s in SearchIndex(out / "searchindex").shards for t in s.frequent)
    assert longest == search_index.LONGEST - 1
    with http_server(make_handler(out)) as origin:
        yield origin, truths(source, out)


@pytest.mark.parametrize("query", [*QUERIES, "法治政府建设", "依法行政工作", "行政复议 法"])
def test_longer_tokens_give_the_pages_containing_the_query(
    browser: Browser, frequent_site: tuple[str, list[Truth]], query: str
) -> None:
    origin, docs = frequent_site
    want = [site_path(u) for u in expected(docs, query)]
    errors: list[str] = []
    context = browser.new_context(base_url=origin, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        count, paths = all_results(page, search_url(query))
    finally:
        context.close()
    assert paths == want, f"{query!r}: results differ from the pages containing it"
    assert count == (len(want) or None)
    assert not errors, errors


def submit(page: Page, query: str) -> None:
    """Types a query into the search page's own form and submits it with Enter."""
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"\?q=" + re.escape(quote(query))))


def test_queries_on_the_search_page_are_answered_in_it(page: Page, docs: list[Truth]) -> None:
    """Queries, result pages and filters chosen on the search page are answered without
    loading it again (the page's own state survives), with the address of a plain GET, and
    back and forward go through them."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(SEARCH)
    page.evaluate("window.sameDocument = true")
    queries = ["行政复议", "法", "zzqxjw不存在的词语qq", "营商环境"]
    firsts = {}
    for query in queries:
        submit(page, query)
        want = [site_path(u) for u in expected(docs, query)]
        count, paths = collect(page)
        assert paths == want, query
        assert count == (len(want) or None)
        if not want:
            expect(page.locator("#search-status")).to_have_text(NO_RESULTS)
            expect(page.locator("#search-hint")).to_be_visible()
        else:
            expect(page.locator("#search-hint")).to_be_hidden()
        firsts[query] = want[: len(result_paths(page)) or None]
    assert parse_qs(urlsplit(page.url).query)["q"] == ["营商环境"]
    # back through the result pages and queries, each answered again from the address
    page.goto(search_url("法"))
    wait_done(page)
    page.evaluate("window.sameDocument = true")
    first = result_paths(page)
    page.locator("#search-pages a[rel=next]").click()
    wait_done(page)
    second = result_paths(page)
    expect(page.locator("#search-status")).to_be_focused()
    submit(page, "行政复议")
    wait_done(page)
    page.go_back()
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    wait_done(page)
    assert result_paths(page) == second
    page.go_back()
    wait_done(page)
    assert result_paths(page) == first
    expect(page.locator("input#search-q")).to_have_value("法")
    page.go_forward()
    page.go_forward()
    wait_done(page)
    assert result_paths(page) == [site_path(u) for u in expected(docs, "行政复议")][: len(first)]
    expect(page.locator("input#search-q")).to_have_value("行政复议")
    # a filter chosen and submitted on the page
    page.locator("select#search-year").select_option("2022")
    page.locator("#search-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"year=2022"))
    want = [
        site_path(u)
        for u in expected(docs, "行政复议")
        if any(d.url == u and d.year == "2022" for d in docs)
    ]
    assert collect(page)[1] == want
    assert page.evaluate("window.sameDocument") is True
    assert not errors, errors


def test_a_page_left_open_reads_the_index_published_since(browser: Browser, tmp_path: Path) -> None:
    """The site is published again while the search page is open, with a report added that
    renumbers the reports of its year's shard: the next query on the page reads the new
    index (tables and chunks of one publication), with exactly the pages containing it."""
    source = copy_sample(tmp_path / "site")
    out = tmp_path / "public"
    build(BuildOptions(source=source, output=out, now=NOW))
    with served_page(browser, out) as (page, errors):
        all_results(page, search_url("行政复议"))
        page.evaluate("window.sameDocument = true")
        (source / "content/xwzx/gsgg/2020-aaa-added.md").write_text(
            "---\ntitle: 关于征集意见的公告\ndate: 2020-01-02\n---\n\n"
            "本公告征集行政复议工作意见，联系电话见附件。\n",
            encoding="utf-8",
        )
        build(BuildOptions(source=source, output=out, now=NOW))
        docs = truths(source, out)
        for query in ["征集行政复议工作意见", "行政复议", "法"]:
            want = [site_path(u) for u in expected(docs, query)]
            submit(page, query)
            count, paths = collect(page)
            assert want and paths == want, query
            assert count == len(want)
        assert page.evaluate("window.sameDocument") is True
    assert not errors, errors


def test_title_matches_first_and_the_whole_query_marked(page: Page, docs: list[Truth]) -> None:
    page.goto(search_url("行政复议"))
    wait_done(page)
    first = page.locator("ol#search-results li").first
    expect(first.locator("h2 a")).to_contain_text("行政复议")
    marks = page.locator("ol#search-results li .result-excerpt mark").all_inner_texts()
    assert marks and set(marks) == {"行政复议"}, marks


def test_header_box_then_search_page_then_open_result(page: Page) -> None:
    page.goto(HOME)
    box = page.locator("form.search-box input#site-search-q")
    box.fill("营商环境")
    box.press("Enter")
    page.wait_for_url(re.compile(re.escape(SEARCH) + r"\?"))
    expect(page.locator("input#search-q")).to_have_value("营商环境")
    wait_done(page)
    page.locator(RESULT_LINKS).filter(has_text=REPORT_TITLE).first.click()
    page.wait_for_url(re.compile(re.escape(REPORT) + "$"))
    assert local_path(page).startswith(PREFIX)
    expect(page.locator("main h1")).to_have_text(REPORT_TITLE)


def test_results_are_a_list_of_links_and_the_count_is_announced(page: Page) -> None:
    page.goto(search_url("行政复议"))
    wait_done(page)
    status = page.locator("#search-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_attribute("role", "status")
    assert page.locator("ol#search-results > li").count() == page.locator(RESULT_LINKS).count() > 0
    for select in ("search-column", "search-year"):
        expect(page.locator(f"label[for={select}]")).to_have_count(1)


@pytest.mark.parametrize("query", ["行政复议", "法", "zzqxjw不存在的词语qq"])
def test_no_serious_axe_violation(page: Page, query: str) -> None:
    page.goto(search_url(query))
    wait_done(page)
    violations = blocking_violations(page)
    assert not violations, f"axe on {SEARCH}?q={query}:\n{describe(violations)}"


def test_offline_the_box_says_search_needs_the_published_site(
    browser: Browser, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    build(BuildOptions(source=ROOT, output=out, relative=True, now=NOW))
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto((out / "index.html").as_uri())
        expect(page.locator("form.search-box .search-offline")).to_contain_text(OFFLINE)
        page.goto((out / "search" / "index.html").as_uri() + "?q=" + quote("行政复议"))
        expect(page.locator("#search-status")).to_contain_text(OFFLINE)
    finally:
        context.close()
    assert not errors, errors


def test_long_reports_excerpts_come_from_the_block_holding_the_match(
    browser: Browser, tmp_path: Path
) -> None:
    """Reports of 20,000 characters whose text normalises longer than it is (…… and ㈠
    become three characters each) with a term first found deep in the body: each result
    loads one text file, the one whose excerpt holds the term, marked."""
    source = copy_sample(tmp_path / "site")
    filler = "依据有关规定，现将工作情况说明如下……㈠各部门按照职责分工落实。"
    depths = {"a": 10, "b": 300, "c": 650}  # sentences before the term
    for name, depth in depths.items():
        sentences = [f"第{i}项{filler}" for i in range(700)]
        sentences.insert(depth, "本段落记载甲骨文献整理的进展。")
        (source / f"content/xwzx/gsgg/2021-long-{name}.md").write_text(
            f"---\ntitle: 长篇工作说明{name}\ndate: 2021-06-0{len(name)}\n---\n\n"
            + "\n\n".join("".join(sentences[i : i + 20]) for i in range(0, 701, 20))
            + "\n",
            encoding="utf-8",
        )
    out = tmp_path / "public"
    build(BuildOptions(source=source, output=out, now=NOW))
    docs = truths(source, out)
    want = [site_path(u) for u in expected(docs, "甲骨文献整理")]
    assert len(want) == 3
    texts: list[str] = []
    with served_page(browser, out) as (page, errors):
        page.on("request", lambda r: texts.append(r.url) if "/t/" in r.url else None)
        count, paths = all_results(page, search_url("甲骨文献整理"))
        excerpts = page.locator("ol#search-results li .result-excerpt")
        marks = [excerpts.nth(i).locator("mark").all_inner_texts() for i in range(excerpts.count())]
    assert sorted(paths) == sorted(want) and count == 3
    assert marks == [["甲骨文献整理"]] * 3
    blocks = sorted(urlsplit(u).path.rsplit("/", 1)[1].partition(".")[2] for u in texts)
    assert len(texts) == 3 and blocks[0] == "" and all(blocks[1:]), blocks  # two deep ones
    assert not errors, errors


def test_inflate_js_decompresses_what_zlib_compresses(page: Page) -> None:
    """inflate.js against Python's zlib: random and repetitive data of many sizes, every
    level (stored, fixed and dynamic blocks), the fixed-code strategy; a damaged stream
    (any byte changed) is refused or decodes to the same bytes, never to others."""
    page.set_content("<!DOCTYPE html><title>inflate</title>")
    page.add_script_tag(path=str(ROOT / "themes/default/static/js/inflate.js"))
    rng = random.Random(3)
    cases: list[tuple[bytes, bytes]] = []
    for n in range(240):
        size = rng.choice([0, 1, 2, 50, 300, 4_000, 70_000])
        letters = "行政复议法治 abc\n".encode()[: rng.randint(1, 20)]
        data = rng.randbytes(size) if n % 3 == 0 else bytes(rng.choices(letters, k=size))
        strategy = zlib.Z_FIXED if n % 7 == 0 else zlib.Z_DEFAULT_STRATEGY
        packer = zlib.compressobj(rng.choice([0, 1, 6, 9]), zlib.DEFLATED, 15, 8, strategy)
        cases.append((data, packer.compress(data) + packer.flush()))
    decoded = page.evaluate(
        """cases => cases.map(c => {
            const bytes = Uint8Array.from(atob(c), ch => ch.charCodeAt(0));
            return btoa(String.fromCharCode(...window.sitegenInflate(bytes)));
        })""",
        [base64.b64encode(z).decode() for _, z in cases],
    )
    assert [base64.b64decode(d) for d in decoded] == [data for data, _ in cases]
    original = "行政复议".encode() * 200
    packed = zlib.compress(original, 9)
    damaged = [
        packed[:at] + bytes([packed[at] ^ 0x10]) + packed[at + 1 :] for at in range(len(packed))
    ]
    outcomes = page.evaluate(
        """cases => cases.map(c => {
            const bytes = Uint8Array.from(atob(c), ch => ch.charCodeAt(0));
            try { return btoa(String.fromCharCode(...window.sitegenInflate(bytes))); }
            catch (e) { return String(e.message).startsWith("inflate: ") ? null : String(e); }
        })""",
        [base64.b64encode(z).decode() for z in damaged],
    )
    assert all(o is None or base64.b64decode(o) == original for o in outcomes), outcomes
