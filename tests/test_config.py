"""sitegen.yaml: defaults, types, unknown keys, and messages that name the key and its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitegen_testkit import run_cli, write_site

from generator.config import SiteConfig, load_config
from generator.errors import Diagnostics


def load(tmp_path: Path, text: str) -> tuple[SiteConfig | None, Diagnostics]:
    (tmp_path / "sitegen.yaml").write_text(text, encoding="utf-8")
    diag = Diagnostics()
    return load_config(tmp_path, diag), diag


def only_error(diag: Diagnostics):
    assert len(diag.errors) == 1, [str(p) for p in diag.errors]
    return diag.errors[0]


def test_defaults_fill_every_key_not_given(tmp_path):
    config, diag = load(tmp_path, "title: 灌南县人民政府\n")
    assert diag.ok and not diag.warnings
    assert config is not None
    assert config.title == "灌南县人民政府"
    assert config.language == "zh-CN"
    assert config.timezone == "Asia/Shanghai"
    assert config.theme == "default"
    assert config.per_page == 20
    assert config.permalink == "/:section/:year/:slug/"
    assert config.base_url == ""
    assert config.base_path == "/"
    assert config.footer and not any(config.footer.values())  # every footer field empty
    assert config.nav == []
    assert config.series == {}
    assert config.site_id_code == ""


def test_values_given_override_defaults(tmp_path):
    config, diag = load(
        tmp_path,
        "title: T\nbase_url: https://www.example.gov.cn/xxgk\nper_page: 5\n"
        "language: en\ntimezone: Asia/Urumqi\nkeywords: 法治，政府, 报告\n"
        "footer:\n  phone: 0518-1234\n  postcode: 222500\n",
    )
    assert diag.ok, [str(p) for p in diag.errors]
    assert config.per_page == 5
    assert config.language == "en"
    assert config.timezone == "Asia/Urumqi"
    # A base_url without the trailing slash still names a folder.
    assert config.base_url == "https://www.example.gov.cn/xxgk/"
    assert config.base_path == "/xxgk/"
    assert config.site_domain == "www.example.gov.cn"
    assert config.absolute("/xwzx/") == "https://www.example.gov.cn/xxgk/xwzx/"
    assert config.keywords == ["法治", "政府", "报告"]
    # Every footer field is text, numbers included, and unset ones are empty.
    assert config.footer["postcode"] == "222500"
    assert config.footer["phone"] == "0518-1234"
    assert config.footer["icp"] == ""


def test_unknown_key_is_an_error_with_its_line_and_a_did_you_mean_hint(tmp_path):
    config, diag = load(tmp_path, "title: T\nbase_url: https://h.cn/\nper_pgae: 10\n")
    assert config is None
    problem = only_error(diag)
    assert "per_pgae" in problem.message
    assert problem.line == 3
    assert "did you mean 'per_page'" in problem.hint
    assert str(problem).startswith(f"{tmp_path / 'sitegen.yaml'}:3: ")


def test_unknown_key_without_a_close_match_points_to_the_reference(tmp_path):
    _config, diag = load(tmp_path, "title: T\nzzzz: 1\n")
    problem = only_error(diag)
    assert "zzzz" in problem.message and problem.line == 2
    assert "did you mean" not in problem.hint
    assert "README" in problem.hint


def test_unknown_nested_footer_key_names_the_dotted_key(tmp_path):
    _config, diag = load(tmp_path, "title: T\nfooter:\n  sponsor: 办公室\n  phon: 123\n")
    problem = only_error(diag)
    assert "footer.phon" in problem.message
    assert problem.line == 4
    assert "did you mean 'phone'" in problem.hint


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("title: T\nper_page: ten\n", "per_page", 2),
        ("title: T\nper_page: true\n", "per_page", 2),  # a YAML bool is not a number
        ("title: T\n\nsearch: maybe\n", "search", 3),
        ("title: T\nnav: xwzx\n", "nav", 2),
        ("title: [a, b]\n", "title", 1),
        ("title: T\nfooter: 灌南县\n", "footer", 2),
    ],
)
def test_wrong_type_names_the_key_and_its_line(tmp_path, text, key, line):
    config, diag = load(tmp_path, text)
    assert config is None
    problem = only_error(diag)
    assert f"'{key}'" in problem.message
    assert "must be" in problem.message
    assert problem.line == line
    assert problem.hint


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("title: T\nbase_url: www.example.gov.cn\n", "base_url", 2),
        ("title: T\ntimezone: Mars/Olympus\n", "timezone", 2),
        ("title: T\nmain_color: red\n", "main_color", 2),
        ("title: T\npermalink: /:section/:year/\n", "permalink", 2),
        ("title: T\npermalink: /:section/:yaer/:slug/\n", "permalink", 2),
        ("title: T\npermalink: /../:slug/\n", "permalink", 2),
        ("title: T\nper_page: 0\n", "per_page", 2),
        ("title: T\nseries:\n  法治:\n    slug: a/b\n", "slug", 4),
    ],
)
def test_bad_values_are_errors_naming_the_key_and_line(tmp_path, text, key, line):
    config, diag = load(tmp_path, text)
    assert config is None
    problem = only_error(diag)
    assert key in problem.message
    assert problem.line == line
    assert problem.hint


def test_missing_title_is_an_error(tmp_path):
    config, diag = load(tmp_path, "base_url: https://h.cn/\n")
    assert config is None
    problem = only_error(diag)
    assert "title" in problem.message and "required" in problem.message


def test_every_config_problem_is_reported_together(tmp_path):
    _config, diag = load(tmp_path, "title: T\nper_page: ten\ntitel: x\nfooter:\n  icq: 1\n")
    found = {(p.line, p.message.split("'")[1]) for p in diag.errors}
    assert found == {(2, "per_page"), (3, "titel"), (5, "footer.icq")}


def test_malformed_yaml_names_the_line(tmp_path):
    config, diag = load(tmp_path, "title: T\nfooter:\n  sponsor: a\n phone: b\n")
    assert config is None
    problem = only_error(diag)
    assert "malformed YAML" in problem.message
    assert problem.line == 4


def test_a_config_that_is_not_a_mapping_is_an_error(tmp_path):
    config, diag = load(tmp_path, "- title\n- base_url\n")
    assert config is None
    assert "'key: value' lines" in only_error(diag).message


def test_a_missing_config_says_how_to_make_one(tmp_path):
    diag = Diagnostics()
    assert load_config(tmp_path, diag) is None
    problem = only_error(diag)
    assert "no site configuration" in problem.message
    assert "sitegen init" in problem.hint


def test_series_config_gives_each_series_its_slug(tmp_path):
    config, diag = load(
        tmp_path,
        "title: T\nseries:\n  法治政府建设年度报告:\n    slug: fzzf-annual\n    description: 年报\n",
    )
    assert diag.ok
    info = config.series["法治政府建设年度报告"]
    assert (info.slug, info.description) == ("fzzf-annual", "年报")


def test_cli_prints_config_errors_as_path_line_message_hint(tmp_path):
    site = write_site(tmp_path / "site", {}, config="title: T\nbase_url: https://h.cn/\ntitel: x\n")
    result = run_cli("build", "--source", site, "--output", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"{site / 'sitegen.yaml'}:3: unknown key 'titel' (did you mean 'title'?)" in result.stderr
    )
    assert not (tmp_path / "out").exists()
