"""Images of a report body load in the browser: from the file system (``--relative``) and
served under a sub-path, each with the pixel size of its file (naturalWidth), lazy ones too
once scrolled to; and a CSV table of the same page passes the axe check."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page, Route
from sitegen_testkit import column_md, http_server, report_md, write_site

from generator.build import BuildOptions, build

from .conftest import DESKTOP, NOW, TIMEOUT_MS, make_handler

pytestmark = pytest.mark.e2e

SIZES = {"大楼": (800, 600), "图标": (40, 30), "标志": (320, 100)}
BODY = (
    "第一段。\n\n"
    + "正文段落。\n\n" * 40
    + "![大楼](images/big.png)\n\n![图标](images/small.gif)\n\n![标志](/shared/logo.jpg)\n\n"
    '::: csv files/t.csv caption="表1 案件情况"\n'
)


def picture(size: tuple[int, int], fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (164, 22, 26)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def image_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = write_site(
        tmp_path_factory.mktemp("e2e-images") / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/notice.md": report_md("图片通知", body=BODY),
            "content/gsgg/images/big.png": picture(SIZES["大楼"], "PNG"),
            "content/gsgg/images/small.gif": picture(SIZES["图标"], "GIF"),
            "content/shared/logo.jpg": picture(SIZES["标志"], "JPEG"),
            "content/gsgg/files/t.csv": "类型,件数\n行政复议,56\n行政诉讼,12\n".encode("gbk"),
        },
        config="title: 测试县人民政府\nbase_url: https://www.example.gov.cn/xxgk/\n",
    )
    return source


def build_to(source: Path, out: Path, relative: bool) -> Path:
    build(BuildOptions(source=source, output=out, relative=relative, now=NOW))
    return out


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def block(route: Route) -> None:
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), block)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert outside == []


def natural_sizes(page: Page) -> dict[str, tuple[int, int]]:
    """Each body image scrolled into view and loaded: alt → (naturalWidth, naturalHeight)."""
    images = page.locator("#report-body img")
    sizes = {}
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        handle = image.element_handle()
        page.wait_for_function("img => img.complete", arg=handle)
        sizes[image.get_attribute("alt")] = tuple(
            image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        )
    return sizes


def test_images_load_from_the_file_system(image_site, tmp_path, page):
    out = build_to(image_site, tmp_path / "relative", relative=True)
    page.goto((out / "gsgg/2020/notice/index.html").as_uri())
    assert natural_sizes(page) == SIZES


def test_images_load_under_a_sub_path_and_the_page_passes_axe(image_site, tmp_path, page):
    out = build_to(image_site, tmp_path / "served", relative=False)
    with http_server(make_handler(out)) as origin:
        page.goto(f"{origin}/xxgk/gsgg/2020/notice/")
        assert natural_sizes(page) == SIZES
        assert page.locator("#report-body table caption").inner_text() == "表1 案件情况"
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
