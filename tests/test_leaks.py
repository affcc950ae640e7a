"""What is read from content/ and what gets published: links, special files, odd names,
files of unpublished reports, backups and system files, the ignore list, and the one
namespace of pages, static files and content files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sitegen_testkit import (
    MINIMAL_CONFIG,
    NOW,
    ROOT,
    build_fails,
    build_into,
    column_md,
    messages,
    report_md,
    run_cli,
    run_sitegen,
    snapshot,
)

from generator.build import BuildOptions, load_site
from generator.cli import summary_line
from generator.errors import Diagnostics

THEME_STATIC = ROOT / "themes" / "default" / "static"
SECRET = "root:x:0:0:secret line that must never be published\n"


def theme_static() -> set[str]:
    """The default theme's static files, listed from its folder (independent of sitegen)."""
    return {p.relative_to(THEME_STATIC).as_posix() for p in THEME_STATIC.rglob("*") if p.is_file()}


def page_outputs(source: Path, **options: object) -> set[str]:
    site, _theme = load_site(BuildOptions(source=source, now=NOW, **options), Diagnostics())  # type: ignore[arg-type]
    return {page.output for page in site.pages}


def output_files(output: Path) -> set[str]:
    """The site's files in output/ (not the writer's own bookkeeping: dot files at its top,
    such as the marker of the files it wrote; content never makes those)."""
    files = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    return {f for f in files if "/" in f or not f.startswith(".")}


def published_content(source: Path, output: Path, **options: object) -> set[str]:
    """The files of output/ that are neither pages nor the theme's static files; also
    asserts that output/ holds exactly pages + theme static files + those files."""
    files = output_files(output)
    extra = files - page_outputs(source, **options) - theme_static()
    assert files == page_outputs(source, **options) | theme_static() | extra
    return extra


def cli_build(site: Path, *args: str):
    result = run_cli("build", "--source", site, "--output", site.parent / "out", *args)
    assert "Traceback" not in result.output + result.stderr
    return result


def summary(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def warnings_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def errors_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


BASE = {
    "content/zcwj/_index.md": column_md("政策文件"),
    "content/zcwj/r.md": report_md("公开的报告"),
    "content/zcwj/files/ok.pdf": b"%PDF-1.4 ok\n",
}


# --- symbolic links, special files, names ------------------------------------------------------


def test_a_link_to_a_file_outside_the_site_is_not_followed(make_site, tmp_path):
    outside = tmp_path / "passwd"
    outside.write_text(SECRET, encoding="utf-8")
    site = make_site(BASE)
    os.symlink(outside, site / "content/zcwj/files/passwd.txt")
    os.symlink("/etc/passwd", site / "content/zcwj/files/etc-passwd.txt")
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    out = site.parent / "out"
    assert published_content(site, out) == {"zcwj/files/ok.pdf"}
    assert not any(SECRET.encode() in data for data in snapshot(out).values())
    warned = warnings_of(result)
    for name in ("passwd.txt", "etc-passwd.txt"):
        (line,) = [w for w in warned if f"content/zcwj/files/{name}:" in w]
        assert "symbolic link" in line and "outside the content folder" in line
    assert "2 files left out (2 symbolic links)" in summary(result)


def test_a_link_to_a_folder_is_not_followed(make_site, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "内部.pdf").write_bytes(b"%PDF secret")
    site = make_site(BASE)
    os.symlink(outside, site / "content/zcwj/private")
    os.symlink(site / "content/zcwj/files", site / "content/zcwj/again")  # inside, a folder
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    assert published_content(site, site.parent / "out") == {"zcwj/files/ok.pdf"}
    warned = "\n".join(warnings_of(result))
    assert "content/zcwj/private: a symbolic link to" in warned
    assert "content/zcwj/again: a symbolic link to the folder" in warned


def test_a_link_inside_the_content_folder_to_a_regular_file_is_published(make_site):
    site = make_site(BASE)
    os.symlink("ok.pdf", site / "content/zcwj/files/same.pdf")
    build_into(site)
    out = site.parent / "site-out"
    assert published_content(site, out) == {"zcwj/files/ok.pdf", "zcwj/files/same.pdf"}
    assert (out / "zcwj/files/same.pdf").read_bytes() == b"%PDF-1.4 ok\n"


def test_a_dangling_link_is_a_located_warning(make_site):
    site = make_site(BASE)
    os.symlink("gone.pdf", site / "content/zcwj/files/dangling.pdf")
    os.symlink("nowhere.md", site / "content/zcwj/dangling.md")
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    warned = "\n".join(warnings_of(result))
    assert (
        "content/zcwj/files/dangling.pdf: a symbolic link to 'gone.pdf', which does not" in warned
    )
    assert "content/zcwj/dangling.md: a symbolic link to 'nowhere.md'" in warned
    assert published_content(site, site.parent / "out") == {"zcwj/files/ok.pdf"}


def test_a_report_that_links_outside_is_not_read(make_site, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(report_md("外面的报告"), encoding="utf-8")
    site = make_site(BASE)
    os.symlink(outside, site / "content/zcwj/outside.md")
    result = build_into(site)
    assert [w.path for w in result.warnings if "symbolic link" in w.message] == [
        "content/zcwj/outside.md"
    ]
    assert not any(
        "外面的报告" in p.read_text("utf-8") for p in (site.parent / "site-out").rglob("*.html")
    )


def test_an_attachment_through_a_link_outside_is_refused(make_site, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF secret")
    site = make_site(
        {**BASE, "content/zcwj/a.md": report_md("带附件", attachments=["files/link.pdf"])}
    )
    os.symlink(outside, site / "content/zcwj/files/link.pdf")
    result = cli_build(site)
    assert result.exit_code == 1
    assert any(
        "content/zcwj/a.md:" in e and "outside the content folder" in e for e in errors_of(result)
    )
    assert not (site.parent / "out").exists()


def test_a_named_pipe_is_never_opened(make_site):
    site = make_site(BASE)
    os.mkfifo(site / "content/zcwj/files/pipe.pdf")
    os.mkfifo(site / "content/zcwj/pipe.md")
    os.mkfifo(site / "content/pipe.txt")
    # A separate process with a time limit: a build that opened the pipe would wait forever.
    done = run_sitegen("build", "--source", site, "--output", site.parent / "out")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for rel in ("content/zcwj/files/pipe.pdf", "content/zcwj/pipe.md", "content/pipe.txt"):
        assert f"warning: {rel}: a named pipe, not a regular file" in done.stderr
    assert published_content(site, site.parent / "out") == {"zcwj/files/ok.pdf"}
    assert "3 files left out (3 not regular files)" in done.stdout


def test_a_named_pipe_as_an_attachment_is_an_error_not_a_hang(make_site):
    site = make_site({**BASE, "content/zcwj/a.md": report_md("附件", attachments=["files/p.pdf"])})
    os.mkfifo(site / "content/zcwj/files/p.pdf")
    done = run_sitegen("build", "--source", site, "--output", site.parent / "out")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert re.search(
        r"error: content/zcwj/a\.md:\d+: attachment file 'files/p.pdf' is not a regular file",
        done.stderr,
    )


@pytest.mark.parametrize(
    ("raw", "shown", "hint"),
    [
        ("报告".encode("gbk") + b".md", r"\xb1\xa8\xb8\xe6.md", "it looks like GBK for '报告.md'"),
        (os.fsencode("\udcff\udcfe.pdf"), r"\xff\xfe.pdf", "rename it"),
    ],
)
def test_a_file_name_that_is_not_utf8_is_a_located_error(make_site, raw, shown, hint):
    site = make_site(BASE)
    with open(os.fsencode(site / "content/zcwj") + b"/" + raw, "wb") as file:
        file.write(report_md().encode("utf-8"))
    result = cli_build(site)
    assert result.exit_code == 1
    (error,) = errors_of(result)
    assert error.startswith(f"error: content/zcwj/{shown}: the file name is not valid UTF-8 (")
    assert hint in error
    assert not (site.parent / "out").exists()


def test_a_folder_name_that_is_not_utf8_is_a_located_error(make_site):
    site = make_site(BASE)
    folder = os.fsencode(site / "content") + b"/" + "附件".encode("gbk")
    os.mkdir(folder)
    with open(folder + b"/a.pdf", "wb") as file:
        file.write(b"%PDF")
    result = cli_build(site)
    assert result.exit_code == 1
    (error,) = errors_of(result)
    assert error.startswith(r"error: content/\xb8\xbd\xbc\xfe: the file name is not valid UTF-8")
    assert "convmv -f GBK -t UTF-8" in error


# --- files of reports that are not published ---------------------------------------------------

UNPUBLISHED = {
    "draft": {"draft": True},
    "future": {"date": "2030-01-01"},
    "expired": {"expires": "2021-01-01"},
}
FLAG = {"draft": "drafts", "future": "future", "expired": "expired"}


def unpublished_site(make_site, fields: dict, config: str | None = None) -> Path:
    body = (
        "见图：\n\n![图一](/zcwj/files/img.png)\n\n"
        "[送审稿](files/review.docx)、[原文](../../files/page-relative.pdf)、"
        "[共用](/xxgk/zcwj/files/shared.pdf)\n\n"
        '<img src="files/raw.jpg" alt="">\n\n[ref]: files/ref.xlsx\n'
    )
    fields = {"date": "2021-03-01", **fields}
    return make_site(
        {
            **BASE,
            "content/zcwj/internal.md": report_md(
                "内部送审稿",
                body=body,
                attachments=[{"title": "送审稿", "file": "files/internal.pdf"}, "files/shared.pdf"],
                **fields,
            ),
            "content/zcwj/public.md": report_md(
                "公开件", date="2021-02-01", attachments=["files/shared.pdf"]
            ),
            **{
                f"content/zcwj/files/{n}": b"bytes of " + n.encode()
                for n in (
                    "internal.pdf",
                    "shared.pdf",
                    "img.png",
                    "review.docx",
                    "page-relative.pdf",
                    "raw.jpg",
                    "ref.xlsx",
                )
            },
        },
        config,
    )


WITHHELD = {
    "zcwj/files/internal.pdf",
    "zcwj/files/img.png",
    "zcwj/files/review.docx",
    "zcwj/files/page-relative.pdf",
    "zcwj/files/raw.jpg",
    "zcwj/files/ref.xlsx",
}
ALL_FILES = {"zcwj/files/ok.pdf", "zcwj/files/shared.pdf"} | WITHHELD


@pytest.mark.parametrize("reason", sorted(UNPUBLISHED))
def test_files_of_an_unpublished_report_are_not_published(make_site, tmp_path, reason):
    site = unpublished_site(make_site, UNPUBLISHED[reason])
    out = tmp_path / "out"
    result = build_into(site, out)
    assert published_content(site, out) == ALL_FILES - WITHHELD
    assert result.files_left_out == {reason: len(WITHHELD)}
    label = {
        "draft": "of drafts",
        "future": "of future-dated reports",
        "expired": "of expired reports",
    }
    assert f", 6 files left out (6 {label[reason]}) in " in summary_line(result)

    included = build_into(site, out, **{FLAG[reason]: True})
    assert published_content(site, out, **{FLAG[reason]: True}) == ALL_FILES
    assert included.files_left_out == {}
    assert "files left out" not in summary_line(included)


def test_a_file_is_withheld_under_a_sub_path_written_with_the_base_path(make_site):
    site = unpublished_site(make_site, {"draft": True})
    result = build_into(site)
    assert result.files_left_out == {"draft": 6}
    # /xxgk/zcwj/files/shared.pdf (the base path of BASE_URL) means the shared file, which a
    # published report attaches: published.
    assert "zcwj/files/shared.pdf" in published_content(site, site.parent / "site-out")


def test_the_incremental_build_follows_a_report_going_from_draft_to_published_and_back(
    make_site, tmp_path
):
    site = unpublished_site(make_site, {"draft": True})
    out = tmp_path / "inc"
    build_into(site, out)
    report = site / "content/zcwj/internal.md"
    text = report.read_text("utf-8")
    report.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    again = build_into(site, out)
    assert again.files_left_out == {}
    clean = tmp_path / "clean"
    build_into(site, clean, cache=False, jobs=1)
    assert snapshot(out) == snapshot(clean)
    assert published_content(site, out) == ALL_FILES

    report.write_text(text, encoding="utf-8")
    back = build_into(site, out)
    assert back.removed == len(WITHHELD) + 1  # its files and its report page
    assert published_content(site, out) == ALL_FILES - WITHHELD


# --- backups, system files, the ignore list -----------------------------------------------------

BACKUPS = [
    "zcwj/r.md~",
    "zcwj/~$报告.docx",
    "zcwj/.~lock.报告.docx#",
    "zcwj/#r.md#",
    "zcwj/Thumbs.db",
    "zcwj/files/THUMBS.DB",
    "zcwj/desktop.ini",
    "zcwj/.DS_Store",
    "zcwj/old.bak",
    "zcwj/.r.md.swp",
    "zcwj/r.md.swo",
    "zcwj/upload.tmp",
    "zcwj/.hidden.pdf",
    ".git",  # a dot folder counts once, whatever it holds
    "_drafts",
]


def test_backups_and_system_files_are_never_published_nor_read(make_site):
    files = dict(BASE)
    for rel in BACKUPS:
        files[f"content/{rel}"] = report_md("备份里的标题")
    files["content/.git/config"] = files.pop("content/.git")
    files["content/_drafts/a.md"] = files.pop("content/_drafts")
    site = make_site(files)
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    out = site.parent / "out"
    assert published_content(site, out) == {"zcwj/files/ok.pdf"}
    assert not any("备份里的标题" in p.read_text("utf-8") for p in out.rglob("*.html"))
    assert warnings_of(result) == []
    n = len(BACKUPS)
    assert f", {n} files left out ({n} backups/system files) in " in summary(result)


def test_ignore_globs_of_the_config(make_site):
    config = MINIMAL_CONFIG + (
        "ignore:\n"
        "  - '*.psd'\n"  # a name, at any depth
        "  - 内部资料/\n"  # a folder name, at any depth
        "  - /zcwj/old-*.pdf\n"  # a path from content/
        "  - zcwj/**/draft-*\n"  # ** spans folders
        "  - notes\n"  # a name: file or folder
    )
    files = {
        **BASE,
        "content/a.psd": b"x",
        "content/zcwj/files/b.psd": b"x",
        "content/zcwj/内部资料/c.pdf": b"x",
        "content/内部资料": b"a file, not a folder: kept",
        "content/zcwj/old-1.pdf": b"x",
        "content/zcwj/files/old-2.pdf": b"not at the anchored path: kept",
        "content/zcwj/files/x/draft-1.pdf": b"x",
        "content/zcwj/draft-2.pdf": b"x",
        "content/zcwj/notes/n.pdf": b"x",
        "content/notes": b"x",
    }
    site = make_site(files, config)
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    assert published_content(site, site.parent / "out") == {
        "zcwj/files/ok.pdf",
        "内部资料",
        "zcwj/files/old-2.pdf",
    }
    assert ", 8 files left out (8 matched by ignore:) in " in summary(result)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("'*.psd'", "'ignore' must be a list"),
        ("[1]", "each pattern must be text"),
        ("['!keep.pdf']", "'!' (exceptions to an ignore pattern) is not supported"),
        ("['../x']", "'..' cannot appear"),
        ("['']", "an empty pattern"),
    ],
)
def test_bad_ignore_patterns_are_config_errors_with_their_line(make_site, value, message):
    site = make_site(BASE, MINIMAL_CONFIG + f"ignore: {value}\n")
    result = cli_build(site)
    assert result.exit_code == 1
    (error,) = errors_of(result)
    assert error.startswith("error: ") and "sitegen.yaml:3: " in error
    assert message in error


def test_markdown_files_are_reports_and_front_matter_in_other_files_is_not_published(make_site):
    site = make_site(
        {
            **BASE,
            "content/zcwj/long.markdown": report_md("长扩展名的报告", slug="long"),
            "content/zcwj/notice.txt": report_md("误存为文本的报告"),
            "content/zcwj/files/readme.txt": "纯文本，无前言。\n---\n",
            "content/zcwj/files/data.yaml": "---\na: 1\n---\nb: 2\n",
        }
    )
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    out = site.parent / "out"
    assert published_content(site, out) == {
        "zcwj/files/ok.pdf",
        "zcwj/files/readme.txt",
        "zcwj/files/data.yaml",
    }
    assert "长扩展名的报告" in (out / "zcwj/2020/long/index.html").read_text("utf-8")
    (warning,) = warnings_of(result)
    assert warning.startswith("warning: content/zcwj/notice.txt:1: starts with front matter")
    assert "(rename it to notice.md" in warning
    assert ", 1 files left out (1 non-Markdown files with front matter) in " in summary(result)


def test_the_summary_names_every_reason_on_one_line(make_site):
    site = unpublished_site(make_site, {"draft": True})
    (site / "content/zcwj/r.md~").write_text("备份", encoding="utf-8")
    (site / "content/zcwj/Thumbs.db").write_bytes(b"\0")
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    line = summary(result)
    assert len(result.stdout.strip().splitlines()) == 1
    assert re.fullmatch(
        r"built \d+ pages: \d+ files written, 0 unchanged, 0 removed, 1 reports left out "
        r"\(1 drafts; see --drafts/--future/--expired\), 8 files left out "
        r"\(2 backups/system files, 6 of drafts\) in \d+\.\d\d s",
        line,
    ), line
    # A rebuild where nothing changed (the build cache's shortcut) says the same.
    again = summary(cli_build(site))
    assert " 0 files written, " in again

    def left(text: str) -> str:
        return re.search(r"removed, (.*) in \d", text).group(1)

    assert left(again) == left(line)


# --- one namespace -------------------------------------------------------------------------------

CLASHES = {
    "content/zcwj/index.html": "the column page /zcwj/ (from content/zcwj/_index.md)",
    "content/index.html": "the home page /",
    "content/feed.xml": "the feed page /feed.xml",
    "content/sitemap.xml": "the sitemap_xml page /sitemap.xml",
    "content/404.html": "the 404 page /404.html",
    "content/robots.txt": "the robots page /robots.txt",
    "content/zcwj/2020/r/index.html": "the report page /zcwj/2020/r/ (from content/zcwj/r.md)",
    "content/css/site.css": str(THEME_STATIC / "css/site.css"),
    "static/index.html": "the home page /",
}


@pytest.mark.parametrize("fresh", [True, False], ids=["fresh", "incremental"])
def test_a_file_at_the_path_of_a_generated_file_is_an_error_naming_both(make_site, fresh):
    site = make_site(BASE)
    out = site.parent / "out"
    if not fresh:
        assert cli_build(site).exit_code == 0
    before = snapshot(out) if out.exists() else None
    for rel in CLASHES:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<p>不该出现</p>", encoding="utf-8")
    result = cli_build(site)
    assert result.exit_code == 1
    errors = errors_of(result)
    assert len(errors) == len(CLASHES)
    for rel, page in CLASHES.items():
        (error,) = [e for e in errors if e.startswith(f"error: {rel}: ")]
        assert f"it would replace {page}" in error
    assert (snapshot(out) if out.exists() else None) == before


def test_a_file_where_a_page_needs_a_folder_is_an_error(make_site):
    site = make_site({**BASE, "content/2020": b"a file named like the year archive"})
    problems = build_fails(site)
    assert messages(problems) == [
        "content/2020: clashes with a generated file: it is a file where the year page /2020/ "
        "needs a folder (output/2020/index.html) (rename or move the file: pages, static files "
        "and content files share one output folder)"
    ]


def test_content_under_the_search_index_folder_is_an_error(make_site):
    site = make_site(
        {**BASE, "content/searchindex/meta.json": "x"}, MINIMAL_CONFIG + "search: true\n"
    )
    (problem,) = build_fails(site)
    assert problem.path == "content/searchindex/meta.json"
    assert "the search index searchindex/" in problem.message


@pytest.mark.parametrize("key", ["logo", "favicon", "footer.dzjg_image"])
def test_a_logo_or_favicon_that_is_no_static_file_is_an_error_with_its_line(make_site, key):
    config = MINIMAL_CONFIG + (
        "footer:\n  dzjg_image: img/missing.png\n"
        if key == "footer.dzjg_image"
        else f"{key}: img/missing.png\n"
    )
    site = make_site(BASE, config)
    result = cli_build(site)
    assert result.exit_code == 1
    assert errors_of(result) == [
        f"error: sitegen.yaml:{4 if '.' in key else 3}: {key} 'img/missing.png' is not a file under static/ "
        "(put the file at static/img/missing.png or fix the path)"
    ]
    (site / "static/img").mkdir(parents=True)
    (site / "static/img/missing.png").write_bytes(b"\x89PNG")
    assert cli_build(site).exit_code == 0
    assert (site.parent / "out/img/missing.png").read_bytes() == b"\x89PNG"


def test_static_files_follow_the_same_rules(make_site, tmp_path):
    outside = tmp_path / "secret.css"
    outside.write_text(SECRET, encoding="utf-8")
    site = make_site({**BASE, "static/css/own.css": "a{}", "static/css/own.css~": "old"})
    os.symlink(outside, site / "static/css/linked.css")
    os.mkfifo(site / "static/css/pipe.css")
    done = run_sitegen("build", "--source", site, "--output", site.parent / "out")
    assert done.returncode == 0, done.stderr
    assert "warning: static/css/linked.css: a symbolic link" in done.stderr
    assert "warning: static/css/pipe.css: a named pipe" in done.stderr
    assert published_content(site, site.parent / "out") == {"zcwj/files/ok.pdf", "css/own.css"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("old.bak", "a backup or system file (the default ignore list)"),
        ("x.psd", "matched by an ignore: pattern of sitegen.yaml"),
    ],
)
def test_an_attachment_that_is_left_out_is_an_error(make_site, name, reason):
    site = make_site(
        {
            **BASE,
            "content/zcwj/a.md": report_md("附件被忽略", attachments=[f"files/{name}"]),
            f"content/zcwj/files/{name}": b"x",
        },
        MINIMAL_CONFIG + "ignore: ['*.psd']\n",
    )
    (problem,) = build_fails(site)
    assert problem.path == "content/zcwj/a.md"
    assert (
        problem.message
        == f"attachment content/zcwj/files/{name} cannot be published: it is {reason}"
    )


def test_a_cached_report_whose_attachment_is_gone_is_an_error(make_site, tmp_path):
    site = make_site({**BASE, "content/zcwj/a.md": report_md("附件", attachments=["files/ok.pdf"])})
    out = tmp_path / "out"
    build_into(site, out)
    before = snapshot(out)
    (site / "content/zcwj/files/ok.pdf").unlink()  # the report itself is unchanged (cached)
    (problem,) = build_fails(site, out)
    # the report is parsed again (a file it checks changed): the clean build's message
    assert problem.message == "attachment file 'files/ok.pdf' does not exist"
    assert build_fails(site, tmp_path / "clean", cache=False, jobs=1) == [problem]
    assert snapshot(out) == before


def test_an_index_file_with_the_long_ending_describes_its_column(make_site):
    site = make_site(
        {
            "content/zcwj/_index.markdown": column_md("长扩展名栏目"),
            "content/zcwj/r.markdown": report_md("报告", slug="r"),
        }
    )
    out = site.parent / "site-out"
    build_into(site)
    assert "长扩展名栏目" in (out / "zcwj/index.html").read_text("utf-8")
    assert published_content(site, out) == set()


def test_a_backup_with_a_name_that_is_not_utf8_is_simply_left_out(make_site):
    site = make_site(BASE)
    with open(
        os.fsencode(site / "content/zcwj") + b"/~$" + "报告".encode("gbk") + b".docx", "wb"
    ) as f:
        f.write(b"lock")
    result = cli_build(site)
    assert result.exit_code == 0, result.stderr
    assert ", 1 files left out (1 backups/system files) in " in summary(result)
