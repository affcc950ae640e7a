"""`sitegen init` and `sitegen new`: skeletons and reports that build as they are; --version
and --help."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sitegen_testkit import read_page, run_cli

from generator import __version__
from generator.build import BuildOptions, build


def front_matter(path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_init_makes_a_site_that_builds_as_it_is(tmp_path):
    site = tmp_path / "mysite"
    result = run_cli("init", site, "--title", "某县司法局")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "sitegen.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "某县司法局"
    reports = [p for p in (site / "content").rglob("*.md") if p.name != "_index.md"]
    assert len(reports) == 1
    out = tmp_path / "out"
    built = build(BuildOptions(source=site, output=out))
    assert built.pages > 3
    meta = front_matter(reports[0])
    page = read_page(out, f"/gsgg/{meta['date'].year}/{meta['slug']}/")
    assert page.h1.get_text(strip=True) == meta["title"]
    again = run_cli("init", site)
    assert again.exit_code == 1
    assert "a site already exists here" in again.output


def test_new_writes_a_dated_report_in_the_column_of_its_folder(tmp_path):
    site = tmp_path / "mysite"
    assert run_cli("init", site).exit_code == 0
    result = run_cli(
        "new", "xwzx/tzgg/2024-notice.md", "--title", "关于某事项的通知: 第一号", "--source", site
    )
    assert result.exit_code == 0, result.output
    report = site / "content" / "xwzx" / "tzgg" / "2024-notice.md"
    meta = front_matter(report)
    assert meta["title"] == "关于某事项的通知: 第一号"  # quoted safely in YAML
    assert meta["date"] == dt.date.today()
    assert meta["slug"] == "2024-notice"
    assert (site / "content" / "xwzx" / "tzgg" / "_index.md").is_file()
    out = tmp_path / "out"
    build(BuildOptions(source=site, output=out))
    page = read_page(out, f"/xwzx/tzgg/{dt.date.today().year}/2024-notice/")
    assert "关于某事项的通知" in page.h1.get_text()
    crumbs = [a.get_text(strip=True) for a in page.select("nav.breadcrumb a")]
    assert crumbs[-1] == "tzgg"
    exists = run_cli("new", "xwzx/tzgg/2024-notice.md", "--source", site)
    assert exists.exit_code == 1 and "already exists" in exists.output
    outside = run_cli("new", "../escape.md", "--source", site)
    assert outside.exit_code == 1 and "inside content/" in outside.output
    assert not (site / "escape.md").exists()


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", ["build", "serve", "check", "init", "new"])
def test_every_command_has_help_with_an_example(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"sitegen {command}" in result.output


def test_build_verbose_lists_the_files_written_and_quiet_prints_nothing(tmp_path):
    site = tmp_path / "mysite"
    assert run_cli("init", site).exit_code == 0
    out = tmp_path / "out"
    verbose = run_cli("build", "--source", site, "--output", out, "--verbose")
    assert verbose.exit_code == 0, verbose.output
    assert "wrote index.html" in verbose.output
    assert "built " in verbose.output
    quiet = run_cli("build", "--source", site, "--output", out, "--quiet")
    assert quiet.exit_code == 0
    assert quiet.output.strip() == ""
