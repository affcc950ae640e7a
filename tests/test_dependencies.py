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


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xa8\xaa\xaa\x06\x00\x03\xf2\x01\xf9\xa1\x8d\x0c\x8b"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
DISCLOSURE = {"publisher": "灌南县司法局", "category": "综合政务", "validity": "有效"}
BODY_USES = (
    "正文。\n\n![县政府大楼](images/p1.png)\n\n见[年度报告](ref:zwgk/r2020.md)。\n\n"
    '::: csv files/t.csv caption="表1 案件情况"\n'
)


def rich_site(root: Path) -> Path:
    """Nested columns, a series, attachments, search and feeds, 置顶 pins, 外链 items,
    专题, a 图片新闻 column with the home carousel, the 政府信息公开目录, and a body with an
    image, a cross-reference and a CSV table: every page kind and template."""
    config = (
        "title: 测试县人民政府\nbase_url: https://www.example.gov.cn/xxgk/\nsearch: true\n"
        "series:\n  年度报告:\n    slug: annual\n    description: 每年一份。\n"
        "topics:\n  依法行政:\n    slug: yfxz\n    description: 依法行政专题\n"
        "catalogue:\n  path: /zwgk/ml/\n  per_page: 2\n"
    )
    files: dict[str, str | bytes] = {
        "content/xwzx/_index.md": column_md("新闻中心", 1),
        "content/xwzx/gsgg/_index.md": column_md("公示公告", 2, "通知与公告"),
        "content/xwzx/tpxw/_index.md": "---\ntitle: 图片新闻\nlayout: gallery\nweight: 1\n---\n",
        "content/zwgk/_index.md": column_md("政务公开", 3),
        "content/zwgk/files/a.pdf": b"%PDF-1.4 a",
        "content/top.md": report_md("首页直属", "2021-01-02"),
        "content/xwzx/gsgg/pinned.md": report_md("置顶公告", "2018-01-01", top=True),
        "content/xwzx/gsgg/until.md": report_md("限时置顶", "2018-02-01", top="2030-01-01"),
        "content/xwzx/gsgg/link.md": report_md(
            "市政府通知", "2021-02-01", body="", link="https://www.lyg.gov.cn/a.html"
        ),
        "content/xwzx/gsgg/images/p1.png": PNG,
        "content/xwzx/gsgg/files/t.csv": "类别,件数\n行政复议,12\n",
        "content/xwzx/gsgg/uses.md": report_md(
            "图表与引用", "2021-04-01", body=BODY_USES, topics=["依法行政"]
        ),
    }
    for n in range(1, 4):
        files[f"content/xwzx/tpxw/images/p{n}.png"] = PNG
        files[f"content/xwzx/tpxw/p{n}.md"] = report_md(
            f"图片新闻第{n}条", f"2021-05-0{n}", image=f"images/p{n}.png"
        )
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
            topics=["依法行政", "未登记专题"],
            index_no=f"11320724014180357X/{year}-00001",
            doc_no=f"灌政发〔{year}〕1号",
            **DISCLOSURE,
        )
    return write_site(root, files, config)


def test_the_rich_site_has_every_page_kind(tmp_path):
    """The site of the dependency test covers every kind of the registry, and the list
    features it is made to show (so the proxies see their templates read)."""
    from generator.pages import KINDS

    site, _ = load_site(BuildOptions(source=rich_site(tmp_path / "s"), now=NOW), Diagnostics())
    kinds = {p.kind for p in site.pages}
    assert {"home", "column", "year", "report", "series", "topics", "topic", "catalogue"} <= kinds
    assert {"sitemap", "404", "sitemap_xml", "robots", "search", "feed"} <= kinds
    assert {k.__name__.rsplit(".", 1)[1] for k in KINDS} >= {"topics", "catalogue"}
    home = next(p for p in site.pages if p.kind == "home")
    assert [r.title for r in home.shows["carousel"]] == [f"图片新闻第{n}条" for n in (3, 2, 1)]
    assert home.reports[0].title in ("置顶公告", "限时置顶")  # pins first
    uses = next(r for r in site.reports if r.title == "图表与引用")
    assert sorted(k.split(":", 1)[0] for k in uses.facts) == ["csv", "image", "ref"]
    assert any(r.link for r in site.reports)


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
    attached = [m for m in cached if "attachment" in m]
    assert len(attached) == 3 and all("does not exist" in m for m in attached)
    assert snapshot(out) == before
    (source / "content/zwgk/files/a.pdf").write_bytes(b"%PDF-1.4 longer now")
    build_into(source, out)
    assert snapshot(out) == clean(source, tmp_path, "clean2")


def _delete(path: Path) -> None:
    path.unlink()


def _rename(path: Path) -> None:
    path.rename(path.with_name("renamed" + path.suffix))


def _change(path: Path) -> None:
    if path.suffix == ".png":  # another image: 2×1 pixels (the page gives width and height)
        data = bytearray(path.read_bytes())
        data[19] = 2
        path.write_bytes(bytes(data))
    elif path.suffix == ".csv":
        path.write_text("类别,件数\n行政诉讼,7\n", encoding="utf-8")
    else:
        path.write_text(path.read_text("utf-8").replace("2020年度报告", "改名的报告"), "utf-8")


OUTSIDE = {
    "image": "content/xwzx/gsgg/images/p1.png",
    "csv": "content/xwzx/gsgg/files/t.csv",
    "ref": "content/zwgk/r2020.md",
    "cover": "content/xwzx/tpxw/images/p2.png",
}


@pytest.mark.parametrize("edit", [_delete, _rename, _change], ids=["delete", "rename", "change"])
@pytest.mark.parametrize("what", list(OUTSIDE))
def test_a_cached_build_follows_what_a_body_uses_like_a_clean_one(tmp_path, what, edit):
    """An image, CSV file, cross-reference target or cover image deleted, renamed or
    changed after a build: the cached build fails with the clean build's messages (and
    leaves the output as it was), or writes the clean build's files."""
    source = rich_site(tmp_path / "s")
    out = tmp_path / "out"
    build_into(source, out)
    before = snapshot(out)
    edit(source / OUTSIDE[what])
    if edit is _change:
        build_into(source, out)
        assert snapshot(out) == clean(source, tmp_path, "clean")
        return
    fresh = messages(build_fails(source, tmp_path / "clean", cache=False, jobs=1))
    gone = OUTSIDE[what].rsplit("/", 1)[1]
    assert fresh and all(gone in m for m in fresh), fresh
    assert messages(build_fails(source, out)) == fresh
    assert snapshot(out) == before
