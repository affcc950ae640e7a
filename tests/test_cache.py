"""The build cache (<site>/.sitegen-cache/): cached, parallel and clean builds agree; edits of
a report, a template or the config re-render what they must; the cache is safe to delete and
notices output files changed by hand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitegen_testkit import NOW, ROOT, build_into, copy_sample, snapshot

from generator.build import BuildOptions, BuildResult
from generator.cache import CACHE_DIR, MANIFEST
from generator.serve import Rebuilder

MARKER = "<!-- cache-test-marker -->"


def disable_search(source: Path) -> None:
    config = source / "sitegen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").rstrip("\n") + "\nsearch: false\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "site"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "--n", "60", "--out", out],
        check=True,
        capture_output=True,
        timeout=60,
    )
    disable_search(out)
    return out


@pytest.fixture(params=["corpus", "sample"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A fresh copy of the generated corpus or the sample site (search off)."""
    if request.param == "corpus":
        template = request.getfixturevalue("corpus_template")
        return Path(shutil.copytree(template, tmp_path / "site"))
    source = copy_sample(tmp_path / "site")
    disable_search(source)
    return source


def cached(source: Path, **options: object) -> BuildResult:
    """An ordinary incremental build into <tmp>/out."""
    options.setdefault("jobs", 1)
    return build_into(source, source.parent / "out", **options)


def clean_serial(source: Path, name: str = "clean") -> dict[str, bytes]:
    """A build from scratch, without the cache, in this process."""
    output = source.parent / name
    shutil.rmtree(output, ignore_errors=True)
    result = build_into(source, output, cache=False, jobs=1)
    assert result.unchanged == 0
    return snapshot(output)


def reports(source: Path) -> list[Path]:
    return sorted(
        p
        for p in (source / "content").rglob("*.md")
        if p.name != "_index.md" and "draft" not in p.name
    )


def pages_containing(out: Path, files: list[str], text: str) -> list[str]:
    return sorted(rel for rel in files if text in (out / rel).read_text(encoding="utf-8"))


def test_cached_parallel_and_clean_builds_are_identical(site: Path):
    out = site.parent / "out"
    first = cached(site)
    assert first.written > 20 and first.unchanged == 0
    again = cached(site)
    assert again.written == 0 and again.files == []
    assert again.unchanged == first.written
    parallel_out = site.parent / "parallel"
    parallel = build_into(site, parallel_out, jobs=2)
    assert parallel.written == first.written
    if site.parent.joinpath("site", "content", "gsgg").is_dir():  # the corpus
        assert parallel.pages >= 100  # enough pages for jobs=2 to fork two workers
    expected = clean_serial(site)
    assert snapshot(out) == expected
    assert snapshot(parallel_out) == expected


def test_editing_one_report_rewrites_only_the_pages_showing_it(site: Path):
    out = site.parent / "out"
    first = cached(site)
    report = reports(site)[0]
    text = report.read_text(encoding="utf-8")
    report.write_text(text.rstrip("\n") + "\n\n缓存测试新增段落。\n", encoding="utf-8")
    result = cached(site)
    assert 0 < result.written <= max(10, first.written // 5), result.files
    pages_with_text = pages_containing(out, result.files, "缓存测试新增段落")
    assert len(pages_with_text) == 1 and pages_with_text[0].endswith("index.html")
    assert snapshot(out) == clean_serial(site)
    # the next build has nothing left to do
    assert cached(site).written == 0


def test_editing_a_template_rerenders_every_report(site: Path):
    out = site.parent / "out"
    first = cached(site)
    theme_report = ROOT / "themes" / "default" / "templates" / "report.html"
    text = theme_report.read_text(encoding="utf-8")
    assert "{% block main %}" in text
    override = site / "templates" / "report.html"
    assert not override.exists()
    override.parent.mkdir(exist_ok=True)
    override.write_text(text.replace("{% block main %}", "{% block main %}" + MARKER, 1), "utf-8")
    result = cached(site)
    html = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
    with_marker = pages_containing(out, html, MARKER)
    report_pages = pages_containing(out, html, 'class="report-body"')
    # Every published report page carries the marker (drafts, future and expired reports
    # have none), and no other page does.
    assert len(report_pages) >= len(reports(site)) - sum(first.left_out.values())
    assert sorted(with_marker) == sorted(report_pages)
    assert set(with_marker) <= set(result.files)
    assert result.written < first.written
    assert MARKER not in (out / "index.html").read_text(encoding="utf-8")


def test_changing_the_config_rerenders_pages(site: Path):
    out = site.parent / "out"
    cached(site)
    html_pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")}
    config = site / "sitegen.yaml"
    # Without the line it may have already (a key given twice is an error).
    kept = [
        line
        for line in config.read_text(encoding="utf-8").splitlines()
        if not line.startswith("main_color:")
    ]
    config.write_text("\n".join(kept) + '\nmain_color: "#123456"\n', encoding="utf-8")
    result = cached(site)
    assert html_pages <= set(result.files)
    assert "--main:#123456" in (out / "index.html").read_text(encoding="utf-8")


def test_cache_is_safe_to_delete_and_notices_hand_edits(site: Path):
    out = site.parent / "out"
    first = cached(site)
    expected = snapshot(out)
    cache_dir = site / CACHE_DIR
    assert (cache_dir / MANIFEST).is_file()
    shutil.rmtree(cache_dir)
    result = cached(site)
    assert result.written == 0 and result.unchanged == first.written
    assert snapshot(out) == expected
    assert (cache_dir / MANIFEST).is_file()

    # an output page edited by hand (its size changes) is rewritten
    page = out / "index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited by hand -->")
    assert cached(site).files == ["index.html"]
    assert snapshot(out) == expected

    # a same-size edit is noticed by the modification time
    data = page.read_bytes()
    stat = page.stat()
    position = data.index(b"<title>") + len(b"<title>")
    page.write_bytes(data[:position] + b"X" + data[position + 1 :])
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns - 5_000_000_000))
    assert page.stat().st_size == stat.st_size
    assert cached(site).files == ["index.html"]
    assert snapshot(out) == expected


def test_an_unchanged_site_is_not_even_loaded_again(site, monkeypatch):
    first = cached(site)
    import generator.build as build_module

    def must_not_load(*args, **kwargs):
        raise AssertionError("the site was loaded although nothing changed")

    monkeypatch.setattr(build_module, "load_site", must_not_load)
    again = cached(site)
    assert (again.written, again.removed) == (0, 0)
    assert again.pages == first.pages and again.left_out == first.left_out
    assert again.unchanged == first.written + first.unchanged


def test_the_shortcut_is_not_taken_when_an_input_or_the_output_changed(site):
    cached(site)
    out = site.parent / "out"
    (out / "index.html").unlink()
    assert cached(site).written == 1  # the missing page is made again
    report = next((site / "content").rglob("r*.md"), None) or next(
        p for p in (site / "content").rglob("*.md") if p.name != "_index.md"
    )
    report.write_text(report.read_text(encoding="utf-8") + "\n追加的一段。\n", encoding="utf-8")
    assert cached(site).written > 0


def test_a_report_becomes_due_although_no_file_changed(tmp_path):
    import datetime as dt

    from sitegen_testkit import column_md, report_md, write_site

    source = write_site(
        tmp_path / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/now.md": report_md(title="已发布", date="2020-01-01", slug="now"),
            "content/gsgg/later.md": report_md(title="明年发布", date="2031-01-01", slug="later"),
        },
    )
    out = tmp_path / "out"
    before = build_into(source, out, now=dt.datetime(2030, 6, 1, tzinfo=dt.UTC))
    assert before.left_out == {"future": 1}
    after = build_into(source, out, now=dt.datetime(2031, 6, 1, tzinfo=dt.UTC))
    assert after.left_out == {}
    assert (out / "gsgg" / "2031" / "later" / "index.html").is_file()


def test_a_template_edit_re_renders_only_the_pages_that_use_it(tmp_path):
    source = copy_sample(tmp_path / "site")
    disable_search(source)
    out = tmp_path / "out"
    build_into(source, out, jobs=1)
    series_pages = sorted(p.parent.name for p in (out / "series").glob("*/index.html"))
    assert len(series_pages) >= 2
    theme_template = ROOT / "themes" / "default" / "templates" / "series.html"
    text = theme_template.read_text(encoding="utf-8")
    assert "{% block main %}" in text
    (source / "templates").mkdir(exist_ok=True)
    (source / "templates" / "series.html").write_text(
        text.replace("{% block main %}", "{% block main %}" + MARKER, 1), encoding="utf-8"
    )
    result = build_into(source, out, jobs=1)
    assert sorted(result.files) == [f"series/{name}/index.html" for name in series_pages]
    for name in series_pages:
        assert MARKER in (out / "series" / name / "index.html").read_text(encoding="utf-8")


def test_front_matter_from_the_cache_is_never_stale_and_a_broken_cache_is_ignored(tmp_path):
    from sitegen_testkit import column_md, read_page, report_md, write_site

    source = write_site(
        tmp_path / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/a.md": report_md(title="旧标题", slug="a"),
        },
    )
    out = tmp_path / "out"
    build_into(source, out)
    report = source / "content" / "gsgg" / "a.md"
    report.write_text(report_md(title="新标题", slug="a"), encoding="utf-8")
    build_into(source, out)
    assert read_page(out, "/gsgg/2020/a/").h1.get_text(strip=True) == "新标题"
    for file in (source / CACHE_DIR).rglob("*"):
        if file.is_file() and file.name != ".gitignore":
            file.write_bytes(b"not a cache")
    report.write_text(report_md(title="第三个标题", slug="a"), encoding="utf-8")
    build_into(source, out)
    assert read_page(out, "/gsgg/2020/a/").h1.get_text(strip=True) == "第三个标题"


def test_a_template_that_lists_every_report_is_re_rendered_when_any_report_changes(tmp_path):
    from sitegen_testkit import column_md, read_page, report_md, write_site

    source = write_site(
        tmp_path / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/a.md": report_md(title="甲", slug="a"),
            "content/ywdt/_index.md": column_md("要闻动态"),
            "content/ywdt/b.md": report_md(title="乙", slug="b"),
            # A site template that shows every report, whatever the page.
            "templates/sitemap.html": '{% extends "base.html" %}{% block main %}'
            "{% for r in site.reports %}<p class=all>{{ r.title }}</p>{% endfor %}"
            "{% endblock %}",
        },
    )
    out = tmp_path / "out"
    build_into(source, out)
    (source / "content" / "ywdt" / "b.md").write_text(
        report_md(title="乙（已更新）", slug="b"), encoding="utf-8"
    )
    build_into(source, out)
    titles = [p.get_text() for p in read_page(out, "/sitemap/").select("p.all")]
    assert "乙（已更新）" in titles


def test_reports_from_the_cache_keep_their_warnings_dates_and_attachment_sizes(tmp_path):
    from sitegen_testkit import column_md, read_page, report_md, write_site

    source = write_site(
        tmp_path / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/a.md": report_md(
                title="甲",
                slug="报告",
                date="2020-12-23 23:30",
                attachments=[{"title": "附件", "file": "files/a.csv"}],
            ),
            "content/gsgg/files/a.csv": "a,b\n",
            "content/gsgg/b.md": report_md(title="乙", slug="b"),
        },
        "title: 某县\nbase_url: https://host/\ntimezone: Asia/Shanghai\n",
    )
    out = tmp_path / "out"
    first = build_into(source, out)
    assert any("not plain ASCII" in w.message for w in first.warnings)
    # Another report changes, so the build runs; the first report comes from the cache.
    (source / "content" / "gsgg" / "b.md").write_text(report_md(title="乙二", slug="b"))
    (source / "content" / "gsgg" / "files" / "a.csv").write_text("a,b\n" + "1,2\n" * 600)
    second = build_into(source, out)
    assert any("not plain ASCII" in w.message for w in second.warnings)
    page = read_page(out, "/gsgg/2020/报告/")
    assert "甲" in page.h1.get_text()
    assert "2.3 KB" in page.select_one(".attachments").get_text()  # 2404 bytes now
    # Dates were read in Asia/Shanghai; in UTC the same front matter is another instant.
    config = source / "sitegen.yaml"
    config.write_text(config.read_text().replace("Asia/Shanghai", "UTC"), encoding="utf-8")
    build_into(source, out)
    time_tag = read_page(out, "/gsgg/2020/报告/").select_one(".report-meta time")
    assert time_tag["datetime"] == "2020-12-23T23:30:00+00:00"


def test_a_deleted_report_disappears_from_the_output_and_its_lists(tmp_path):
    from sitegen_testkit import column_md, read_page, report_md, write_site

    source = write_site(
        tmp_path / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/a.md": report_md(title="留下的", slug="a"),
            "content/gsgg/b.md": report_md(title="删除的", slug="b"),
        },
    )
    out = tmp_path / "out"
    build_into(source, out)
    assert (out / "gsgg" / "2020" / "b" / "index.html").is_file()
    (source / "content" / "gsgg" / "b.md").unlink()
    result = build_into(source, out)
    assert result.removed >= 1
    assert not (out / "gsgg" / "2020" / "b").exists()
    titles = [a.get_text() for a in read_page(out, "/gsgg/").select(".report-list a")]
    assert titles == ["留下的"]


def test_a_moved_site_folder_still_reads_its_report_bodies(tmp_path):
    from sitegen_testkit import column_md, read_page, report_md, write_site

    source = write_site(
        tmp_path / "site",
        {
            "content/gsgg/_index.md": column_md("公示公告"),
            "content/gsgg/a.md": report_md(title="甲", slug="a", body="原来的正文。\n"),
        },
    )
    build_into(source, tmp_path / "out")
    moved = tmp_path / "moved"
    source.rename(moved)  # mtimes are kept: the cached reports still match their files
    build_into(moved, tmp_path / "out2")
    assert "原来的正文" in read_page(tmp_path / "out2", "/gsgg/2020/a/").get_text()


def dev_snapshot(output: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(output).items() if not rel.startswith("_sitegen/")}


def test_the_dev_servers_quick_path_gives_what_a_clean_build_gives(site: Path):
    """Body edits go through generator.live (only the pages showing the report are
    rendered); the output is then byte for byte a clean build of the edited site."""
    options = BuildOptions(source=site, output=site.parent / "dev", dev=True, jobs=1, now=NOW)
    rebuild = Rebuilder(options, echo=lambda _: None)
    first = rebuild()
    assert first is not None and rebuild.live is not None
    edited = reports(site)[:2]
    for i, path in enumerate(edited):
        with path.open("a", encoding="utf-8") as f:
            f.write(f"\n开发预览中追加的段落{i}，**加粗**与[链接](/)。\n")
    quick = rebuild.quick(set(edited))
    assert quick is not None, "a body edit should take the quick path"
    assert 1 <= quick.written < first.written / 3
    assert quick.written == len(quick.files)
    clean = clean_serial(site)
    # the dev build loads the overlay script on each page: compare with a clean dev build
    dev_clean = site.parent / "dev-clean"
    build_into(site, dev_clean, cache=False, jobs=1, dev=True)
    assert dev_snapshot(site.parent / "dev") == dev_snapshot(dev_clean)
    assert any("开发预览中追加的段落0" in data.decode() for data in clean.values())


def test_the_quick_path_steps_aside_for_other_changes(site: Path):
    options = BuildOptions(source=site, output=site.parent / "dev", dev=True, jobs=1, now=NOW)
    rebuild = Rebuilder(options, echo=lambda _: None)
    assert rebuild() is not None
    report = reports(site)[0]
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("title: ", "title: 改名", 1), encoding="utf-8")
    assert rebuild.quick({report}) is None  # a new title moves it in lists: a full build
    assert rebuild({report}) is not None
    assert rebuild.live is not None
    index = next((site / "content").rglob("_index.md"))
    assert rebuild.quick({index}) is None
    assert rebuild.quick({site / "sitegen.yaml"}) is None
    report.write_text("---\ntitle: [未闭合\n---\n正文\n", encoding="utf-8")
    assert rebuild({report}) is None  # the error is reported; the last good pages stay
    assert "未闭合" not in (site.parent / "dev" / "index.html").read_text(encoding="utf-8")


def test_a_reports_digest_enters_exactly_the_keys_of_the_pages_declaring_it(tmp_path):
    """A page's key changes with a report exactly when the page holds the report in one of
    its fields (the declaration Page.depends is made from them) or declares a facet that
    covers it (every report, or the series it is in)."""
    from generator.build import load_site
    from generator.errors import Diagnostics
    from generator.incremental.keys import PageKeys
    from generator.pages import model
    from generator.render import PageRenderer

    source = copy_sample(tmp_path / "site")
    site, theme = load_site(BuildOptions(source=source, now=NOW), Diagnostics())
    keys = PageKeys(site, theme.strings, "flags", PageRenderer(site, theme).env)
    before = {p.output: keys.key(p) for p in site.pages}
    assert len(site.reports) > 10
    in_series = {r.source for s in site.series.values() for r in s.reports}
    for report in site.reports:
        digest = keys.reports[report.source]
        keys.reports[report.source] = "changed"
        keys.facets.forget()
        changed = {p.output for p in site.pages if keys.key(p) != before[p.output]}
        expected = {
            p.output
            for p in site.pages
            if any(r is report for r in model.reports_in(p))
            or model.REPORTS in p.facets
            or (model.SERIES in p.facets and report.source in in_series)
        }
        assert changed == expected, report.source
        keys.reports[report.source] = digest
        keys.facets.forget()


def test_serve_and_build_keep_their_own_manifests(tmp_path, monkeypatch):
    """`sitegen serve` builds into .sitegen-cache/serve/site with its own manifest: a
    build after a serve (and a serve after a build) renders nothing, and so does a second
    start of the server."""
    from generator import build as build_module
    from generator.incremental.manifest import serve_output

    source = copy_sample(tmp_path / "site")
    disable_search(source)
    assert cached(source).written > 0
    options = BuildOptions(source=source, output=serve_output(source), dev=True, force=True)
    options.now, options.jobs = NOW, 1
    first = Rebuilder(options, echo=lambda _: None)()
    assert first is not None and first.written > 0
    loaded: list[object] = []
    monkeypatch.setattr(build_module, "load_site", lambda *a, **k: loaded.append(a))
    again = cached(source)
    assert (again.written, again.removed) == (0, 0)
    options = BuildOptions(source=source, output=serve_output(source), dev=True, force=True)
    options.now, options.jobs = NOW, 1
    second = Rebuilder(options, echo=lambda _: None)()
    assert second is not None and (second.written, second.removed) == (0, 0)
    assert loaded == []  # both were builds with nothing to do


def test_unchanged_static_files_and_attachments_are_not_read_again(tmp_path, monkeypatch):
    """Copied files are compared by the size, modification time and inode the manifest
    recorded (as rsync does); a changed source or a hand-edited output file is copied."""
    from generator.writer import OutputWriter

    source = copy_sample(tmp_path / "site")
    disable_search(source)
    out = source.parent / "out"
    cached(source)
    copied: list[str] = []
    original = OutputWriter.copy

    def counting(self: OutputWriter, rel: str, path: Path) -> None:
        copied.append(rel)
        original(self, rel, path)

    monkeypatch.setattr(OutputWriter, "copy", counting)
    report = reports(source)[0]
    report.write_text(report.read_text(encoding="utf-8") + "\n追加。\n", encoding="utf-8")
    cached(source)
    assert copied == []
    css = next((ROOT / "themes/default/static").rglob("*.css")).relative_to(
        ROOT / "themes/default/static"
    )
    (source / "static" / css).parent.mkdir(parents=True, exist_ok=True)
    (source / "static" / css).write_text("body{color:#000}\n", encoding="utf-8")
    attachment = next(p for p in (source / "content").rglob("*") if p.suffix in (".pdf", ".xls"))
    rel_attachment = attachment.relative_to(source / "content").as_posix()
    stat = attachment.stat()
    attachment.write_bytes(b"x" * stat.st_size)  # same size, a new modification time
    os.utime(attachment, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    (out / "robots.txt").write_text("changed by hand\n", encoding="utf-8")
    cached(source)
    assert sorted(copied) == sorted([css.as_posix(), rel_attachment])
    assert (out / css).read_text(encoding="utf-8") == "body{color:#000}\n"
    assert (out / rel_attachment).read_bytes() == b"x" * stat.st_size
    assert snapshot(out) == clean_serial(source)


def test_an_upgraded_library_re_renders_every_page(tmp_path, monkeypatch):
    """The versions of the libraries that shape the output are part of every key (and of
    the no-op fingerprint)."""
    from generator.incremental import digest
    from generator.render import PageRenderer

    source = copy_sample(tmp_path / "site")
    disable_search(source)
    first = cached(source)
    rendered: list[str] = []
    page_bytes = PageRenderer.page_bytes

    def counting(self: PageRenderer, page):  # type: ignore[no-untyped-def]
        rendered.append(page.output)
        return page_bytes(self, page)

    monkeypatch.setattr(PageRenderer, "page_bytes", counting)
    report = reports(source)[0]
    report.write_text(report.read_text(encoding="utf-8") + "\n追加。\n", encoding="utf-8")
    cached(source)
    assert 0 < len(rendered) < first.pages / 2  # an edit: only what shows the report
    rendered.clear()
    real = digest.metadata.version
    monkeypatch.setattr(
        digest.metadata, "version", lambda name: "99.0" if name == "markdown" else real(name)
    )
    for made in (digest.library_versions, digest.code_digest):
        made.cache_clear()
    try:
        assert "markdown=99.0" in digest.library_versions()
        cached(source)
    finally:
        monkeypatch.undo()
        for made in (digest.library_versions, digest.code_digest):
            made.cache_clear()
    assert len(rendered) == first.pages
