"""The output folder is safe to point at a real folder: sitegen writes only into a folder
that is empty, absent or its own, removes only files its marker says it wrote, and a
failure at any moment (disk full, permission denied, a file too large, a crash in a
worker) leaves the previous output byte-identical with a located message, never a
traceback.

Faults are injected by replacing os.write / os.replace / os.rename / write_file with
functions that raise at the Nth call: the tests run as root in CI, where chmod does not
stop writes.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest
from sitegen_testkit import (
    NOW,
    build_fails,
    build_into,
    column_md,
    read_page,
    report_md,
    run_cli,
    snapshot,
    write_site,
)

import generator.writer as writer_module
from generator.writer import MARKER, OutputWriter, manifest_bytes

WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EACCES: "permission denied",
    errno.EFBIG: "too large",
}


def make(root: Path, reports: int = 4) -> Path:
    files: dict[str, str] = {
        "content/gsgg/_index.md": column_md("公示公告"),
        "content/zwgk/_index.md": column_md("政务公开", 2),
        "content/zwgk/files/a.txt": "附件内容\n",
    }
    for i in range(reports):
        column = "gsgg" if i % 2 else "zwgk"
        files[f"content/{column}/r{i}.md"] = report_md(f"报告{i}", f"2020-0{i % 9 + 1}-1{i % 10}")
    return write_site(root, files)


def edit(site: Path) -> None:
    """Change every page (the title), add a report and delete one: a rebuild then
    replaces, creates and removes files."""
    config = site / "sitegen.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("测试县人民政府", "测试县人民政府办公室"),
        encoding="utf-8",
    )
    (site / "content/gsgg/new.md").write_text(report_md("新报告", "2021-03-04"), encoding="utf-8")
    (site / "content/gsgg/r1.md").unlink()


def cli_build(site: Path, out: Path, *args: str):
    return run_cli("build", "--source", site, "--output", out, "--jobs", "1", *args)


def no_staging(out: Path) -> None:
    assert not list(out.parent.glob(f".{out.name}.staging-*"))


def failed_cleanly(result, out: Path, before: dict[str, bytes]) -> str:
    """The common checks of a failed build; returns its stderr."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "output/ was left as it was" in result.stderr
    assert snapshot(out) == before
    no_staging(out)
    return result.stderr


class FailAt:
    """Calls ``real`` but raises OSError(code) at the Nth call (``every``: at each call from
    the Nth on); counts only calls whose first argument passes ``only``."""

    def __init__(self, real, n: int, code: int, every: bool = False, only=None):
        self.real, self.n, self.code, self.every, self.only = real, n, code, every, only
        self.calls = 0

    def __call__(self, *args, **kwargs):
        if self.only is None or self.only(args[0]):
            self.calls += 1
            if self.calls == self.n or (self.every and self.calls > self.n):
                raise OSError(self.code, os.strerror(self.code), str(args[0]))
        return self.real(*args, **kwargs)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A site built once into out/, then edited: (site, out, snapshot of out)."""
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    result = cli_build(site, out)
    assert result.exit_code == 0, result.output
    edit(site)
    return site, out, snapshot(out)


@pytest.mark.parametrize("code", sorted(WORDS))
@pytest.mark.parametrize("n", [1, 7])
def test_a_write_error_while_staging_leaves_the_output_as_it_was(built, monkeypatch, code, n):
    site, out, before = built
    monkeypatch.setattr(os, "write", FailAt(os.write, n, code))
    stderr = failed_cleanly(cli_build(site, out), out, before)
    assert WORDS[code] in stderr
    (line,) = [x for x in stderr.splitlines() if x.startswith("error: ")]
    assert line.startswith(f"error: {out}/")  # the output file it was writing


def test_a_write_error_in_a_worker_process_is_a_located_message(tmp_path, monkeypatch):
    site = make(tmp_path / "site", reports=120)  # enough pages for two workers
    out = tmp_path / "out"
    assert cli_build(site, out).exit_code == 0
    edit(site)
    before = snapshot(out)
    # forked workers inherit the patch; each fails from its third file on
    monkeypatch.setattr(
        writer_module, "write_file", FailAt(writer_module.write_file, 3, errno.EFBIG, every=True)
    )
    result = run_cli("build", "--source", site, "--output", out, "--jobs", "2")
    stderr = failed_cleanly(result, out, before)
    assert "too large" in stderr and f"error: {out}/" in stderr


def output_calls(out: Path):
    """Only calls on the output folder or its staging folder count (not the cache's)."""
    prefixes = (str(out) + os.sep, str(out.parent / f".{out.name}.staging-"))
    return lambda path: str(path) == str(out) or str(path).startswith(prefixes)


@pytest.mark.parametrize(
    ("name", "code", "links"),
    [
        ("replace", errno.ENOSPC, True),
        ("rename", errno.EACCES, True),
        ("link", errno.EFBIG, True),
        ("replace", errno.EACCES, False),
        ("rename", errno.ENOSPC, False),
    ],
    ids=["replace", "rename", "link", "replace-no-links", "rename-no-links"],
)
def test_a_failure_at_any_step_of_the_switch_leaves_the_output_byte_identical(
    tmp_path, monkeypatch, name, code, links
):
    """os.replace / os.rename / os.link fail at the 1st, 2nd, … call: each time the
    previous output (with a file of the user's) stays exactly as it was. ``links``
    False: a file system without hard links (the switch moves old files aside)."""
    pristine = tmp_path / "pristine"
    site, out = pristine / "site", pristine / "out"
    make(site)
    assert cli_build(site, out).exit_code == 0
    (out / "webmaster-notes.txt").write_bytes(b"mine")
    edit(site)
    expected = tmp_path / "expected"
    build_into(site, expected, jobs=1)  # a clean build of the edited site
    (expected / "webmaster-notes.txt").write_bytes(b"mine")
    new = snapshot(expected)
    scene_site, scene_out = tmp_path / "site", tmp_path / "out"
    real = getattr(os, name)
    failures = 0
    for n in range(1, 300):
        for folder in (scene_site, scene_out):
            if folder.exists():
                shutil.rmtree(folder)
        shutil.copytree(site, scene_site, symlinks=True)
        shutil.copytree(out, scene_out, symlinks=True)
        before = snapshot(scene_out)
        with monkeypatch.context() as patch:
            if not links:
                patch.setattr(os, "link", FailAt(os.link, 1, errno.EPERM, every=True))
            fault = FailAt(getattr(os, name), n, code, only=output_calls(scene_out))
            patch.setattr(os, name, fault)
            result = cli_build(scene_site, scene_out)
        assert getattr(os, name) is real
        if result.exit_code == 0:  # a step that has a fallback (a hard link), or none failed
            assert snapshot(scene_out) == new, n
            no_staging(scene_out)
        else:
            stderr = failed_cleanly(result, scene_out, before)
            assert WORDS[code] in stderr, (n, stderr)
            assert f"error: {scene_out}" in stderr
            failures += 1
        if fault.calls < n:  # the build made fewer calls: every one has failed once
            break
    assert n > (10 if name == "replace" else 1)  # the switch was really exercised
    if name != "link":
        assert failures == n - 1


def test_a_first_build_puts_the_staged_tree_in_place_with_one_rename(tmp_path, monkeypatch):
    site = make(tmp_path / "site")
    out = tmp_path / "deep" / "out"
    replace = FailAt(os.replace, 0, 0, only=output_calls(out))
    link = FailAt(os.link, 0, 0)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "link", link)
    build_into(site, out, jobs=1)
    assert (replace.calls, link.calls) == (1, 0)
    no_staging(out)


def test_output_under_a_regular_file_is_a_located_message(tmp_path):
    site = make(tmp_path / "site")
    blocker = tmp_path / "somefile.txt"
    blocker.write_bytes(b"keep me")
    result = cli_build(site, blocker / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(blocker) in result.stderr and "is a file" in result.stderr
    (problem,) = build_fails(site, blocker)  # the CLI's own option check says so too
    assert "is a file" in problem.message
    assert blocker.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "somefile.txt"]


def test_a_folder_of_the_users_own_files_is_refused_and_kept(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "documents"
    (out / "photos").mkdir(parents=True)
    (out / "thesis.pdf").write_bytes(b"%PDF my thesis")
    (out / "photos/a.jpg").write_bytes(b"JPEG")
    before = snapshot(out)
    result = cli_build(site, out)
    failed_cleanly(result, out, before)
    assert "holds files sitegen did not write" in result.stderr
    assert "thesis.pdf" in result.stderr and "--force" in result.stderr


def test_force_lists_the_users_files_then_removes_them(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "documents"
    (out / "photos").mkdir(parents=True)
    (out / "thesis.pdf").write_bytes(b"%PDF my thesis")
    (out / "photos/a.jpg").write_bytes(b"JPEG")
    (out / "index.html").write_bytes(b"an old hand-made page")
    result = cli_build(site, out, "--force")
    assert result.exit_code == 0, result.output
    listed = [
        line.split()[-1] for line in result.stderr.splitlines() if line.startswith("  remove ")
    ]
    assert listed == ["index.html", "photos/a.jpg", "thesis.pdf"]
    assert result.stderr.index("remove thesis.pdf") < len(result.stderr)
    assert "2 removed" in result.stdout  # index.html was replaced, the others removed
    assert not (out / "thesis.pdf").exists() and not (out / "photos").exists()
    clean = tmp_path / "clean"
    build_into(site, clean, jobs=1)
    assert snapshot(out) == snapshot(clean)
    # the folder is sitegen's now: an ordinary build goes into it
    assert cli_build(site, out).exit_code == 0


def test_an_empty_folder_is_accepted(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "empty"
    out.mkdir()
    result = cli_build(site, out)
    assert result.exit_code == 0, result.output
    assert (out / MARKER).is_file()


@pytest.mark.parametrize(
    "where",
    ["content", "templates", "static", "i18n", "themes", "content/sub", "content/gsgg", "."],
)
def test_output_folders_inside_the_site_folders_are_refused(tmp_path, where):
    site = make(tmp_path / "site")
    for name in ("templates", "static", "i18n", "themes"):
        (site / name).mkdir(exist_ok=True)
    before = snapshot(site)
    result = cli_build(site, site / where)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "output folder" in result.stderr
    assert snapshot(site) == before
    assert not list(site.rglob(".*staging*"))


def test_an_output_folder_containing_the_site_is_refused(tmp_path):
    site = make(tmp_path / "parent" / "site")
    problems = build_fails(site, tmp_path / "parent")
    assert "contains the site folder" in problems[0].message
    problems = build_fails(site, tmp_path, force=True)  # --force does not lift it
    assert "contains the site folder" in problems[0].message


def test_a_file_the_user_adds_to_the_output_survives_rebuilds(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    build_into(site, out, jobs=1)
    (out / "baidu_verify_abc.html").write_bytes(b"verification")
    (out / "zwgk/extra").mkdir(parents=True)
    (out / "zwgk/extra/list.xls").write_bytes(b"table")
    edit(site)  # r1 is deleted: its page goes, the user's files stay
    result = cli_build(site, out)
    assert result.exit_code == 0, result.output
    assert (out / "baidu_verify_abc.html").read_bytes() == b"verification"
    assert (out / "zwgk/extra/list.xls").read_bytes() == b"table"
    assert "2 file(s) here were not written by sitegen" in result.stderr
    assert "baidu_verify_abc.html" in result.stderr
    assert not (out / "gsgg/2020/r1").exists()
    assert "1 removed" in result.stdout
    clean = tmp_path / "clean"
    build_into(site, clean, jobs=1)
    mine = {"baidu_verify_abc.html", "zwgk/extra/list.xls"}
    assert {k: v for k, v in snapshot(out).items() if k not in mine} == snapshot(clean)


def test_a_user_file_where_a_new_page_goes_is_not_overwritten(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    build_into(site, out, jobs=1)
    (out / "gsgg/2021/new").mkdir(parents=True)
    (out / "gsgg/2021/new/index.html").write_bytes(b"hand-made")
    edit(site)
    before = snapshot(out)
    stderr = failed_cleanly(cli_build(site, out), out, before)
    assert f"error: {out}/gsgg/2021/new/index.html" in stderr
    assert "not written by sitegen" in stderr
    result = cli_build(site, out, "--force")
    assert result.exit_code == 0, result.output
    assert b"hand-made" not in (out / "gsgg/2021/new/index.html").read_bytes()


def test_the_marker_lists_exactly_the_files_sitegen_wrote(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    build_into(site, out, jobs=1)
    files = set(snapshot(out)) - {MARKER}
    data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert data["generator"] == "sitegen" and data["files"] == sorted(files)
    edit(site)
    build_into(site, out, jobs=1)
    data = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert data["files"] == sorted(set(snapshot(out)) - {MARKER})
    assert "gsgg/2021/new/index.html" in data["files"]
    assert not any(f.startswith("gsgg/2020/r1/") for f in data["files"])


def test_a_damaged_marker_is_refused_until_forced(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    build_into(site, out, jobs=1)
    (out / MARKER).write_bytes(b"{not json")
    before = snapshot(out)
    stderr = failed_cleanly(cli_build(site, out), out, before)
    assert "damaged" in stderr and "--force" in stderr
    assert cli_build(site, out, "--force").exit_code == 0
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["generator"] == "sitegen"


def writer_with(out: Path, owned: set[str], files: dict[str, bytes]) -> OutputWriter:
    """An output folder holding ``owned`` files of an earlier build; a writer staging ``files``."""
    for rel in owned:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"old " + rel.encode())
    (out / MARKER).write_bytes(manifest_bytes(owned))
    writer = OutputWriter(out)
    for rel, data in files.items():
        writer.put(rel, data)
    writer.put(MARKER, manifest_bytes(set(files)))
    return writer


@pytest.mark.parametrize("n", range(1, 8))
def test_a_file_that_becomes_a_folder_and_back_is_switched_all_or_nothing(tmp_path, monkeypatch, n):
    """Old: a (file), b/index.html; new: a/index.html, b (file). A failure at any rename
    restores the old tree; without failure the new one is in place."""
    out = tmp_path / "out"
    out.mkdir()
    writer = writer_with(
        out, {"a", "b/index.html", "c.html"}, {"a/index.html": b"A", "b": b"B", "c.html": b"C"}
    )
    before = snapshot(out)
    fault = FailAt(os.replace, n, errno.ENOSPC, only=output_calls(out))
    monkeypatch.setattr(os, "replace", fault)
    try:
        writer.commit()
    except writer_module.OutputFailed as exc:
        assert "the disk is full" in exc.problem.message
        assert snapshot(out) == before
    else:
        assert fault.calls < n
        after = snapshot(out)
        assert {k: after[k] for k in ("a/index.html", "b", "c.html")} == {
            "a/index.html": b"A",
            "b": b"B",
            "c.html": b"C",
        }
    no_staging(out)


def test_the_dev_servers_own_files_are_kept_and_not_reported(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "dev"
    build_into(site, out, jobs=1, dev=True)
    (out / "_sitegen").mkdir(exist_ok=True)
    (out / "_sitegen/errors.js").write_text("(function(e){})([]);", encoding="utf-8")
    edit(site)
    result = build_into(site, out, jobs=1, dev=True)
    assert (out / "_sitegen/errors.js").is_file()
    assert not any("not written by sitegen" in w.message for w in result.warnings)


def test_a_cache_that_cannot_be_saved_is_a_warning(tmp_path, monkeypatch):
    import generator.cache as cache_module

    site = make(tmp_path / "site")
    out = tmp_path / "out"

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(site / ".sitegen-cache"))

    monkeypatch.setattr(cache_module.BuildCache, "save", full_disk)
    result = build_into(site, out, jobs=1)
    assert any("build cache could not be saved" in w.message for w in result.warnings)
    assert read_page(out, "/").title is not None
    assert NOW.year == 2024


def test_staging_folders_of_killed_builds_are_swept(tmp_path):
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    build_into(site, out, jobs=1)
    dead = 2**22 + 12345  # above the largest pid_max Linux allows: no such process
    staged = tmp_path / f".out.staging-{dead}" / "new" / "index.html"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"half")
    switching = tmp_path / f".out.staging-{dead + 1}" / "old"
    switching.mkdir(parents=True)
    (switching / "1").write_bytes(b"previous page")
    edit(site)
    result = build_into(site, out, jobs=1)
    assert not staged.parent.parent.exists()
    assert (switching / "1").read_bytes() == b"previous page"
    assert any(w.path == str(switching.parent) for w in result.warnings)


def test_an_output_built_before_the_marker_is_taken_when_the_cache_vouches_for_it(tmp_path):
    """A folder an earlier sitegen built (no marker) is sitegen's when every file in it is
    as the build cache recorded; one file more, and it is refused."""
    site = make(tmp_path / "site")
    out = tmp_path / "out"
    build_into(site, out, jobs=1)
    (out / MARKER).unlink()  # as an older sitegen left it
    edit(site)
    build_into(site, out, jobs=1)
    assert (out / MARKER).is_file() and not (out / "gsgg/2020/r1").exists()
    (out / MARKER).unlink()
    (out / "added-later.txt").write_bytes(b"mine")
    before = snapshot(out)
    stderr = failed_cleanly(cli_build(site, out), out, before)
    assert "added-later.txt" in stderr and "--force" in stderr


def test_a_write_error_on_the_dev_servers_quick_path_is_a_message(tmp_path, monkeypatch, capsys):
    from generator.build import BuildOptions
    from generator.serve import Rebuilder

    site = make(tmp_path / "site")
    out = tmp_path / "dev"
    options = BuildOptions(source=site, output=out, dev=True, jobs=1, now=NOW)
    rebuild = Rebuilder(options, echo=lambda _: None)
    assert rebuild() is not None
    report = site / "content/gsgg/r1.md"
    report.write_text(report.read_text(encoding="utf-8") + "\n追加。\n", encoding="utf-8")
    before = {k: v for k, v in snapshot(out).items() if not k.startswith("_sitegen/")}
    with monkeypatch.context() as patch:
        patch.setattr(os, "write", FailAt(os.write, 1, errno.ENOSPC))
        assert rebuild({report}) is None  # failed: reported, the last good pages stay
    assert {k: v for k, v in snapshot(out).items() if not k.startswith("_sitegen/")} == before
    no_staging(out)
    assert "the disk is full" in capsys.readouterr().err
    assert rebuild({report}) is not None  # the disk has room again
