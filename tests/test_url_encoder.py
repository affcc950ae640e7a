"""One URL encoder (generator/urls.py): the links of pages, the absolute URLs of the
sitemap and the addresses of search results name a page the same way, whatever its slug."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from sitegen_testkit import BASE_URL, build_into, read_page

from generator.search_query import SearchIndex

COLUMN = "---\ntitle: 公示公告\n---\n"


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("no#1", "no%231"),
        ("a?b", "a%3Fb"),
        ("100%", "100%25"),
        ("通知 一", "%E9%80%9A%E7%9F%A5%20%E4%B8%80"),
    ],
)
def test_search_results_sitemap_and_links_encode_a_slug_alike(make_site, name, encoded):
    site = make_site(
        {
            "content/gsgg/_index.md": COLUMN,
            f"content/gsgg/{name}.md": "---\ntitle: 独一无二的标题\ndate: 2020-12-23\n---\n\n正文\n",
        },
        config=f"title: 测试\nbase_url: {BASE_URL}\nsearch: true\n",
    )
    output = site.parent / "out"
    build_into(site, output, jobs=1)
    path = f"/gsgg/2020/{encoded}/"  # README, URLs: every segment percent-encoded
    column = read_page(output, "/gsgg/")
    [href] = [
        a["href"] for a in column.select("main a") if a.get_text(strip=True) == "独一无二的标题"
    ]
    assert urljoin(BASE_URL + "gsgg/", href) == BASE_URL.rstrip("/") + path
    assert f"<loc>{BASE_URL.rstrip('/')}{path}</loc>" in (output / "sitemap.xml").read_text()
    index = SearchIndex(output / "searchindex")
    # the browser resolves the result's address against the site root (search.js)
    assert [index.url(h) for h in index.hits("独一无二")] == [path]
