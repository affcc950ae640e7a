"""A 外链 item in site search: its result opens the other site, says so to screen readers
(rel=external and hidden text, as in lists) and shows its 信息来源 — or the other site's host
when it names none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sitegen_testkit import MINIMAL_CONFIG, column_md, http_server, report_md, write_site

from generator.build import BuildOptions, build

from .conftest import NOW, make_handler
from .test_catalogue import open_context

pytestmark = pytest.mark.e2e


def site(folder: Path) -> Path:
    return write_site(
        folder,
        {
            "content/tzgg/_index.md": column_md("通知公告"),
            "content/tzgg/own.md": report_md("本县征地补偿公告", "2024-03-01"),
            "content/tzgg/city.md": report_md(
                "市级征地补偿标准",
                "2024-04-01",
                link="https://www.lyg.gov.cn/a/1.html",
                source="连云港市自然资源局",
            ),
            "content/tzgg/prov.md": report_md(
                "省级征地补偿办法", "2024-05-01", link="https://zrzy.jiangsu.gov.cn/b/2.html"
            ),
        },
        MINIMAL_CONFIG + "search: true\n",
    )


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("search-links")
    out = folder / "out"
    build(BuildOptions(source=site(folder / "site"), output=out, now=NOW))
    with http_server(make_handler(out)) as served:
        yield served


@pytest.fixture
def page(browser: Browser, origin: str) -> Iterator[Page]:
    context = open_context(browser, origin)
    yield context.new_page()
    context.close()


def test_link_items_in_results_open_the_other_site_and_say_so(page: Page) -> None:
    page.goto("/xxgk/search/?q=征地补偿")
    results = page.locator("#search-results li, .search-results li")
    expect(results).to_have_count(3)
    rows = results.evaluate_all(
        """items => items.map(li => {
             const a = li.querySelector('h2 a');
             return [a.href, a.rel, (a.querySelector('.visually-hidden') || {}).textContent || '',
                     li.querySelector('.result-meta').textContent];
           })"""
    )
    assert rows == [
        [
            "https://zrzy.jiangsu.gov.cn/b/2.html",
            "external",
            "（外部链接，将打开其他网站）",
            "通知公告 · zrzy.jiangsu.gov.cn · 2024-05-01",
        ],
        [
            "https://www.lyg.gov.cn/a/1.html",
            "external",
            "（外部链接，将打开其他网站）",
            "通知公告 · 连云港市自然资源局 · 2024-04-01",
        ],
        [page.url.split("/xxgk/")[0] + "/xxgk/tzgg/2024/own/", "", "", "通知公告 · 2024-03-01"],
    ]
