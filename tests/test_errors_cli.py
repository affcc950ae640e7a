"""Bad input through the command line: `path:line: message (hint)`, all at once, exit 1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitegen_testkit import (
    MINIMAL_CONFIG,
    build_into,
    column_md,
    report_md,
    run_cli,
    run_sitegen,
    snapshot,
)

from generator import __version__
from generator.errors import Diagnostics, Problem

GOOD = {
    "content/gsgg/_index.md": column_md("公示公告"),
    "content/gsgg/good.md": report_md("正常的报告"),
}


def build_cli(site: Path, *extra: str | Path):
    return run_cli("build", "--source", site, "--output", site.parent / "out", *extra)


def error_lines(stderr: str) -> list[str]:
    return [line[len("error: ") :] for line in stderr.splitlines() if line.startswith("error: ")]


def located(stderr: str, path: str, line: int | None) -> str:
    """The one error printed for ``path`` (at ``line``), checked to be `path:line: msg (hint)`."""
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    found = [e for e in error_lines(stderr) if e.startswith(where)]
    assert len(found) == 1, (where, stderr)
    assert re.fullmatch(r".+: .+ \(.+\)", found[0]), found[0]  # message and a hint
    return found[0][len(where) :]


@pytest.mark.parametrize(
    ("name", "text", "line", "message", "hint"),
    [
        (
            "malformed-yaml.md",
            "---\ntitle: 报告\ndate: 2020-12-23\nsource: 司法局: 灌南\n---\n正文\n",
            4,
            "malformed YAML in the front matter",
            "quote values",
        ),
        ("no-title.md", "---\ndate: 2020-12-23\n---\n正文\n", 1, "'title' is missing", "title:"),
        ("empty-title.md", "---\ntitle: ''\ndate: 2020-12-23\n---\n", 2, "'title' is missing", ""),
        ("no-date.md", "---\ntitle: 报告\n---\n正文\n", 1, "'date' is missing", "date: 2020-12-23"),
        (
            "bad-date.md",
            "---\ntitle: 报告\ndate: 2020-13-45\n---\n正文\n",
            3,
            "cannot read 'date' '2020-13-45' as a date",
            "2020-12-23",
        ),
        (
            "words-date.md",
            "---\ntitle: 报告\n\n\ndate: 十二月二十三日\n---\n",
            5,
            "cannot read 'date' '十二月二十三日' as a date",
            "2020年12月23日",
        ),
        ("empty.md", "", 1, "the file is empty", "title and date"),
        (
            "no-closing.md",
            "---\ntitle: 报告\ndate: 2020-12-23\n\n正文\n",
            1,
            "the front matter has no closing '---'",
            "add a line '---'",
        ),
        (
            "escape.md",
            "---\ntitle: 报告\ndate: 2020-12-23\nslug: ../../../outside\n---\n",
            4,
            "slug '../../../outside' contains '/'",
            "slug:",
        ),
        (
            "bad-type.md",
            "---\ntitle: 报告\ndate: 2020-12-23\ndraft: 是\n---\n",
            4,
            "'draft' must be true or false",
            "draft: true",
        ),
    ],
)
def test_each_bad_file_is_reported_with_path_line_message_and_hint(
    make_site, name, text, line, message, hint
):
    site = make_site({**GOOD, f"content/gsgg/{name}": text})
    result = build_cli(site)
    assert result.exit_code == 1
    reported = located(result.stderr, f"content/gsgg/{name}", line)
    assert reported.startswith(message)
    assert hint in reported
    assert len(error_lines(result.stderr)) == 1
    assert "build failed with 1 error(s)" in result.stderr
    assert not (site.parent / "out").exists()


def test_a_gb18030_file_names_the_encoding_and_iconv(make_site):
    data = "---\ntitle: 灌南县报告\ndate: 2020-12-23\n---\n正文\n".encode("gb18030")
    site = make_site({**GOOD, "content/gsgg/gbk.md": data})
    result = build_cli(site)
    assert result.exit_code == 1
    reported = located(result.stderr, "content/gsgg/gbk.md", 2)
    assert "not UTF-8" in reported and "GB18030" in reported
    assert "iconv -f GB18030 -t UTF-8 'content/gsgg/gbk.md'" in reported


def test_a_permalink_that_would_leave_the_output_is_a_config_error(make_site):
    site = make_site(GOOD, config=MINIMAL_CONFIG + "permalink: /../../:slug/\n")
    result = build_cli(site)
    assert result.exit_code == 1
    reported = located(result.stderr, str(site / "sitegen.yaml"), 3)
    assert reported == "'permalink': must not contain '..' (e.g. permalink: /:section/:year/:slug/)"
    assert not (site.parent / "out").exists()


def test_two_reports_on_one_url_name_both_files(make_site):
    site = make_site(
        {
            **GOOD,
            "content/gsgg/a.md": report_md("甲", slug="same"),
            "content/gsgg/b.md": report_md("乙", "2020-06-01", slug="same"),
        }
    )
    result = build_cli(site)
    assert result.exit_code == 1
    (error,) = error_lines(result.stderr)
    assert "/gsgg/2020/same/" in error
    assert "content/gsgg/a.md" in error and "content/gsgg/b.md" in error
    assert re.fullmatch(r"content/gsgg/[ab]\.md: .+ \(.+\)", error)


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        (
            '{% extends "base.html" %}\n{% block main %}\n<p>{{ page.report.no_such_field.x }}</p>\n'
            "{% endblock %}\n",
            3,
            "no_such_field",
        ),
        (
            '{% extends "base.html" %}\n{% block main %}\n\n<p>{% if %}</p>\n{% endblock %}\n',
            4,
            "template syntax error",
        ),
    ],
)
def test_a_template_error_names_the_site_template_and_line(make_site, template, line, message):
    site = make_site({**GOOD, "templates/report.html": template})
    result = build_cli(site)
    assert result.exit_code == 1
    errors = error_lines(result.stderr)
    assert errors
    where = f"{site / 'templates' / 'report.html'}:{line}: "
    assert all(e.startswith(where) for e in errors), errors
    assert message in errors[0]
    assert "/gsgg/2020/good/" in errors[0]  # the page being rendered is in the hint


def test_a_broken_partial_names_the_partial(make_site):
    site = make_site({**GOOD, "templates/partials/footer.html": "<footer>\n{{ config.nope.x }}\n"})
    result = build_cli(site)
    assert result.exit_code == 1
    errors = error_lines(result.stderr)
    assert errors and all(
        e.startswith(f"{site / 'templates' / 'partials' / 'footer.html'}:2: ") for e in errors
    )


def test_a_missing_theme_is_reported_with_its_line_and_the_themes_there_are(make_site):
    site = make_site(GOOD, config=MINIMAL_CONFIG + "theme: defualt\n")
    result = build_cli(site)
    assert result.exit_code == 1
    reported = located(result.stderr, "sitegen.yaml", 3)
    assert reported == "theme 'defualt' not found (did you mean 'default'?)"


def test_a_missing_theme_and_bad_content_are_reported_together(make_site):
    site = make_site(
        {**GOOD, "content/gsgg/empty.md": ""}, config=MINIMAL_CONFIG + "theme: nothing-like-it\n"
    )
    result = build_cli(site)
    assert result.exit_code == 1
    reported = located(result.stderr, "sitegen.yaml", 3)
    assert reported.startswith("theme 'nothing-like-it' not found")
    assert "available themes: default" in reported
    located(result.stderr, "content/gsgg/empty.md", 1)


def test_several_bad_files_are_all_reported_and_the_last_good_output_is_untouched(make_site):
    site = make_site(GOOD)
    out = site.parent / "out"
    assert build_cli(site).exit_code == 0
    before = snapshot(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    bad = {
        "content/gsgg/empty.md": ("", 1),
        "content/gsgg/no-date.md": ("---\ntitle: 报告\n---\n", 1),
        "content/other/bad-date.md": ("---\ntitle: 报告\ndate: 2020-02-30\n---\n", 3),
        "content/gbk.md": ("---\ntitle: 报告\n---\n".encode("gb18030"), 2),
        "content/gsgg/yaml.md": ("---\ntitle: 报告\ndate: [2020\n---\n", 4),
    }
    for rel, (data, _line) in bad.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (site / "content/gsgg/good.md").write_text(report_md("改过的标题"), encoding="utf-8")

    result = build_cli(site)
    assert result.exit_code == 1
    assert len(error_lines(result.stderr)) == len(bad)
    for rel, (_data, line) in bad.items():
        located(result.stderr, rel, line)
    assert f"build failed with {len(bad)} error(s)" in result.stderr
    assert snapshot(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes
    assert sorted(p.name for p in site.parent.iterdir()) == ["out", "site"]  # no staging left


def test_a_failed_render_leaves_the_last_good_output_untouched(make_site):
    site = make_site(GOOD)
    out = site.parent / "out"
    build_into(site, out)
    before = snapshot(out)
    (site / "templates").mkdir()
    (site / "templates/column.html").write_text("{{ nope.x }}\n", encoding="utf-8")
    (site / "content/gsgg/new.md").write_text(report_md("新报告"), encoding="utf-8")
    result = build_cli(site)
    assert result.exit_code == 1
    assert snapshot(out) == before


def test_warnings_do_not_fail_the_build(make_site):
    site = make_site({**GOOD, "content/gsgg/typo.md": report_md(sumary="摘要")})
    result = build_cli(site)
    assert result.exit_code == 0, result.stderr
    assert (
        "warning: content/gsgg/typo.md:4: unknown key 'sumary' is kept for templates "
        "(did you mean 'summary'?)" in result.stderr
    )
    assert result.stdout.strip().splitlines()[-1].startswith("built ")


def test_quiet_prints_nothing_on_success(make_site):
    site = make_site({**GOOD, "content/gsgg/typo.md": report_md(sumary="摘要")})
    result = build_cli(site, "--quiet")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_base_url_option_overrides_the_config(make_site):
    site = make_site(GOOD)
    result = build_cli(site, "--base-url", "https://other.example.cn/sub")
    assert result.exit_code == 0, result.stderr
    html = (site.parent / "out/gsgg/2020/good/index.html").read_text(encoding="utf-8")
    assert 'href="https://other.example.cn/sub/gsgg/2020/good/"' in html


def test_the_installed_command_reports_errors_relative_to_the_site(make_site):
    site = make_site({**GOOD, "content/gsgg/bad.md": "---\ntitle: 报告\ndate: 2020-13-01\n---\n"})
    done = run_sitegen("build", "--output", "../out", cwd=site)
    assert done.returncode == 1
    assert re.search(
        r"^error: content/gsgg/bad\.md:3: cannot read 'date' '2020-13-01' as a date \(.+\)$",
        done.stderr,
        re.M,
    ), done.stderr
    assert "Traceback" not in done.stderr
    done = run_sitegen("build", "--output", "out2", cwd=site.parent)  # not a site folder
    assert done.returncode == 1
    assert "sitegen.yaml: no site configuration found (" in done.stderr
    assert not (site.parent / "out2").exists()


def test_version_and_help():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout
    result = run_cli("build", "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "sitegen build" in result.stdout
    for option in ("--source", "--output", "--base-url", "--drafts", "--future", "--quiet"):
        assert option in result.stdout


def test_problem_format():
    assert str(Problem("content/a.md", "坏了", 3, "修一下")) == "content/a.md:3: 坏了 (修一下)"
    assert str(Problem("content/a.md", "坏了", None, "修一下")) == "content/a.md: 坏了 (修一下)"
    assert str(Problem("content/a.md", "坏了", 3)) == "content/a.md:3: 坏了"


def test_diagnostics_keep_every_error_and_each_warning_once():
    diag = Diagnostics()
    diag.error("a.md", "one", 1)
    diag.error("a.md", "one", 1)
    diag.warn("b.md", "w", 2)
    diag.warn("b.md", "w", 2)
    assert len(diag.errors) == 2 and len(diag.warnings) == 1
    assert not diag.ok


def test_one_broken_template_is_reported_once_with_the_count_of_pages(tmp_path):
    from sitegen_testkit import build_fails, column_md, report_md, write_site

    files = {"content/gsgg/_index.md": column_md("公示公告")}
    for n in range(3):
        files[f"content/gsgg/r{n}.md"] = report_md(title=f"报告{n}", slug=f"r{n}")
    files["templates/report.html"] = (
        '{% extends "base.html" %}\n{% block main %}\n{{ page.report.no_such_field }}\n'
        "{% endblock %}\n"
    )
    problems = build_fails(write_site(tmp_path / "site", files))
    broken = [p for p in problems if p.path.endswith("templates/report.html")]
    assert len(broken) == 1
    assert broken[0].line == 3
    assert "2 more page(s)" in broken[0].hint


def test_the_progress_bar_shows_on_a_terminal_and_passes_every_page(monkeypatch, capsys):
    import io
    import sys

    from generator import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    wrap = cli._progress("rendering")
    assert list(wrap(iter(range(300)), 300)) == list(range(300))
    assert "rendering" in terminal.getvalue()
    small = [1, 2, 3]
    assert wrap(small, 3) is small  # a small build shows no bar
