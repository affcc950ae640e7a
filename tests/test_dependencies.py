"""Declared dependencies: every template reads only what its page declares, and the
cache holes that template sniffing left are closed (a cached build == a clean build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitegen_testkit import (
    NOW,
    build_fails,
    build_into,
    column_md,
    copy_sample,
    messages,
    report_md,
    snapshot,
    write_site,
)

from generator.build import BuildOptions, load_site
from generator.errors import Diagnostics
from generator.incremental.recorder import RecordingRenderer
from generator.render import PageRenderer


def record(source: Path) -> tuple[list[str], int]:
    """Render every page with recording proxies; the undeclared reads, and the pages
    (each rendered byte for byte as the build renders it)."""
    site, theme = load_site(BuildOptions(source=source, now=NOW), Diagnostics())
    recording = RecordingRenderer(site, theme)
    plain = PageRenderer(site, theme)
    for page in site.pages:
        assert recording.render(page) == plain.render(page), page.url
    return recording.problems, len(site.pages)


def rich_site(root: Path) -> Path:
    """Nested columns, a series, attachments, search and feeds: every page kind."""
    config = (
        "title: 测试县人民政府\nbase_url: https://www.example.gov.cn/xxgk/\nsearch: true\n"
        "series:\n  年度报告:\n    slug: annual\n    description: 每年一份。\n"
    )
    files: dict[str, str | bytes] = {
        "content/xwzx/_index.md": column_md("新闻中心", 1),
        "content/xwzx/gsgg/_index.md": column_md("公示公告", 2, "通知与公告"),
        "content/zwgk/_index.md": column_md("政务公开", 3),
        "content/zwgk/files/a.pdf": b"%PDF-1.4 a",
        "content/top.md": report_md("首页直属", "2021-01-02"),
    }
    for n in range(12):
        files[f"content/xwzx/gsgg/n{n}.md"] = report_md(
            f"公告{n}", f"20{18 + n % 4}-03-0{1 + n % 8}"
        )
    for year in (2019, 2020, 2021):
        files[f"content/zwgk/r{year}.md"] = report_md(
            f"{year}年度报告",
            f"{year + 1}-01-15",
            series="年度报告",
            attachments=[{"title": "附件", "file": "files/a.pdf"}],
        )
    return write_site(root, files, config)


@pytest.mark.parametrize("which", ["sample", "rich"])
def test_every_template_reads_only_what_its_page_declares(tmp_path, which):
    source = copy_sample(tmp_path / "s") if which == "sample" else rich_site(tmp_path / "s")
    problems, pages = record(source)
    assert pages > 20
    assert problems == []


def test_a_template_reading_an_undeclared_facet_is_named(tmp_path):
    source = rich_site(tmp_path / "s")
    (source / "templates").mkdir()
    (source / "templates/404.html").write_text(
        "{{ site.reports|length }} {{ site.columns[('xwzx',)].body }}", encoding="utf-8"
    )
    problems, _ = record(source)
    assert any(
        "404 page /404.html" in p and "site.reports" in p and "'reports'" in p for p in problems
    ), problems
    assert any("body text of column 'xwzx'" in p for p in problems), problems


def test_a_sites_own_template_reading_more_is_still_rebuilt(tmp_path):
    """A site template reading every report on a page that does not declare it: the
    build sees the read and keys the page by it from then on."""
    source = rich_site(tmp_path / "s")
    (source / "templates").mkdir()
    (source / "templates/404.html").write_text(
        "{% for r in site.reports %}{{ r.title }};{% endfor %}", encoding="utf-8"
    )
    out = tmp_path / "out"
    build_into(source, out)
    (source / "content/xwzx/gsgg/n3.md").write_text(report_md("改过的标题", "2021-03-04"), "utf-8")
    build_into(source, out)
    assert "改过的标题;" in (out / "404.html").read_text(encoding="utf-8")


def clean(source: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    build_into(source, out, cache=False, jobs=1)
    return snapshot(out)


def sitemap_locs(out: Path) -> set[str]:
    return set(re.findall(r"<loc>([^<]*)</loc>", (out / "sitemap.xml").read_text("utf-8")))


def test_sitemap_xml_follows_a_new_report_and_a_changed_slug(tmp_path):
    source = rich_site(tmp_path / "s")
    out = tmp_path / "out"
    build_into(source, out)
    (source / "content/xwzx/gsgg/new.md").write_text(report_md("新的", "2020-03-02"), "utf-8")
    build_into(source, out)
    locs = sitemap_locs(out)
    assert "https://www.example.gov.cn/xxgk/xwzx/gsgg/2020/new/" in locs
    assert snapshot(out) == clean(source, tmp_path, "clean1")
    text = report_md("新的", "2020-03-02", slug="renamed")
    (source / "content/xwzx/gsgg/new.md").write_text(text, "utf-8")
    build_into(source, out)
    locs = sitemap_locs(out)
    assert "https://www.example.gov.cn/xxgk/xwzx/gsgg/2020/renamed/" in locs
    assert "https://www.example.gov.cn/xxgk/xwzx/gsgg/2020/new/" not in locs
    assert snapshot(out) == clean(source, tmp_path, "clean2")


def test_a_column_body_edit_renders_no_page_again(tmp_path):
    source = rich_site(tmp_path / "s")
    out = tmp_path / "out"
    build_into(source, out)
    index = source / "content/xwzx/_index.md"
    index.write_text(column_md("新闻中心", 1) + "\n这段正文没有页面显示。\n", "utf-8")
    result = build_into(source, out)
    assert result.written == 0
    assert snapshot(out) == clean(source, tmp_path, "clean")


def test_a_cached_build_fails_like_a_clean_one_when_an_attachment_goes(tmp_path):
    source = rich_site(tmp_path / "s")
    out = tmp_path / "out"
    build_into(source, out)
    before = snapshot(out)
    (source / "content/zwgk/files/a.pdf").unlink()
    cached = messages(build_fails(source, out))
    fresh = messages(build_fails(source, tmp_path / "clean", cache=False, jobs=1))
    assert cached == fresh
    assert len(cached) == 3 and all("does not exist" in m for m in cached)
    assert snapshot(out) == before
    (source / "content/zwgk/files/a.pdf").write_bytes(b"%PDF-1.4 longer now")
    build_into(source, out)
    assert snapshot(out) == clean(source, tmp_path, "clean2")
