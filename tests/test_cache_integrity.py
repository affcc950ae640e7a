"""A damaged build cache is never published: each file under .sitegen-cache/ carries a
checksum, and a flipped byte, a truncated file or garbage is discarded with one warning,
after which the output is byte for byte what a clean build makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitegen_testkit import NOW, build_into, column_md, report_md, snapshot, write_site

from generator import cachefile
from generator.build import BuildResult
from generator.cache import CACHE_DIR, MANIFEST, REPORTS, TEMPLATES, BuildCache
from generator.theme import TemplateCache

WARNING = "the build cache was damaged and is rebuilt"
GARBAGE = bytes(range(256)) * 3


def make_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/news/_index.md": column_md("新闻动态", weight=1),
            "content/news/a.md": report_md("甲报告", "2020-03-01", "第一段。\n"),
            "content/news/b.md": report_md("乙报告", "2021-04-02", "第二段。\n"),
            "content/notice/_index.md": column_md("通知公告", weight=2),
            "content/notice/c.md": report_md("丙通知", "2022-05-03", "第三段。\n"),
        },
    )


def cached(source: Path, jobs: int = 1) -> BuildResult:
    return build_into(source, source.parent / "out", jobs=jobs)


def clean(source: Path, name: str) -> dict[str, bytes]:
    """The truth: a build without the cache, in one process, into a folder of its own."""
    build_into(source, source.parent / name, cache=False, jobs=1)
    return snapshot(source.parent / name)


def damage_warnings(result: BuildResult) -> list:
    return [w for w in result.warnings if WARNING in w.message]


def cache_file(source: Path, kind: str) -> Path:
    folder = source / CACHE_DIR
    if kind == "manifest":
        return folder / MANIFEST
    found = sorted((folder / (REPORTS if kind == "shard" else TEMPLATES)).glob("*.sgc"))
    assert found, f"no {kind} file in the cache"
    return found[0]


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "flip":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :]
    elif how == "truncate":
        data = data[: len(data) // 2]
    else:
        data = GARBAGE
    path.write_bytes(data)


def edit_report(source: Path, n: int) -> None:
    (source / "content/news/a.md").write_text(
        report_md(f"甲报告（第{n}次修订）", "2020-03-01", f"修订后的第{n}段。\n"), encoding="utf-8"
    )


def every_cache_file_sound(source: Path) -> bool:
    files = [p for p in (source / CACHE_DIR).rglob("*.sgc")]
    return bool(files) and all(cachefile.is_sound(p) for p in files)


@pytest.mark.parametrize("edit", [False, True], ids=["same", "edited"])
@pytest.mark.parametrize("how", ["flip", "truncate", "garbage"])
@pytest.mark.parametrize("kind", ["manifest", "shard", "template"])
def test_damaged_cache_builds_as_clean(tmp_path: Path, kind: str, how: str, edit: bool) -> None:
    source = make_site(tmp_path / "site")
    cached(source)
    target = cache_file(source, kind)
    damage(target, how)
    if edit:
        edit_report(source, 1)
    result = cached(source)
    assert snapshot(tmp_path / "out") == clean(source, "clean1")
    # A damaged shard or template is not read by a build that finds nothing changed (its
    # output is as the intact manifest records it); the next build that reads it warns.
    if kind != "manifest" and not edit:
        assert damage_warnings(result) == []
        edit_report(source, 2)
        result = cached(source)
        assert snapshot(tmp_path / "out") == clean(source, "clean2")
    warned = damage_warnings(result)
    assert len(warned) == 1, result.warnings
    assert warned[0].path == f"{CACHE_DIR}/{target.relative_to(source / CACHE_DIR).as_posix()}"
    assert every_cache_file_sound(source)
    # Not repeated: neither by a build that does nothing nor by one that renders again.
    assert damage_warnings(cached(source)) == []
    edit_report(source, 3)
    again = cached(source)
    assert damage_warnings(again) == []
    assert again.written > 0
    assert snapshot(tmp_path / "out") == clean(source, "clean3")


def test_every_kind_of_cache_file_is_checksummed(tmp_path: Path) -> None:
    source = make_site(tmp_path / "site")
    cached(source)
    files = sorted(p for p in (source / CACHE_DIR).rglob("*") if p.is_file())
    stored = [p for p in files if p.name != ".gitignore"]
    assert {p.relative_to(source / CACHE_DIR).parts[0] for p in stored} == {
        MANIFEST,
        REPORTS,
        TEMPLATES,
    }
    assert all(p.suffix == ".sgc" and cachefile.is_sound(p) for p in stored), stored


def test_no_op_path_does_not_trust_a_damaged_manifest(tmp_path: Path) -> None:
    source = make_site(tmp_path / "site")
    cached(source)
    out = (tmp_path / "out").resolve()
    fingerprint_cache = BuildCache(source, out)
    assert fingerprint_cache.last  # intact: the no-op path could be taken
    damage(source / CACHE_DIR / MANIFEST, "flip")
    broken = BuildCache(source, out)
    assert broken.last == {} and broken.entries == {}
    assert broken.unchanged(fingerprint_cache.last["fingerprint"], NOW) is None
    assert broken.damaged == [source / CACHE_DIR / MANIFEST]


def test_damaged_templates_with_workers(tmp_path: Path) -> None:
    source = make_site(tmp_path / "site")
    cached(source, jobs=2)
    for path in sorted((source / CACHE_DIR / TEMPLATES).glob("*.sgc")):
        damage(path, "flip")
    edit_report(source, 1)
    result = cached(source, jobs=2)
    assert snapshot(tmp_path / "out") == clean(source, "clean")
    assert len(damage_warnings(result)) == 1
    assert every_cache_file_sound(source)


def test_template_cache_treats_a_bad_file_as_missing(tmp_path: Path) -> None:
    """Jinja's loader on its own (as in a worker) compiles again instead of running it."""
    import jinja2

    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "x.html").write_text("<p>{{ a }}</p>", encoding="utf-8")
    store = tmp_path / "bc"
    store.mkdir()

    def render() -> str:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            bytecode_cache=TemplateCache(str(store), cachefile.TEMPLATE_CACHE_NAME),
        )
        return env.get_template("x.html").render(a="一")

    assert render() == "<p>一</p>"
    (stored,) = store.glob("*.sgc")
    for how in ("flip", "truncate", "garbage"):
        damage(stored, how)
        assert render() == "<p>一</p>"
        assert cachefile.is_sound(stored)


def test_unpack_rejects_every_single_flipped_byte() -> None:
    packed = cachefile.pack(b"payload " * 50)
    assert cachefile.unpack(packed) == b"payload " * 50
    for i in range(len(packed)):
        bad = packed[:i] + bytes([packed[i] ^ 1]) + packed[i + 1 :]
        with pytest.raises(cachefile.Damaged):
            cachefile.unpack(bad)
    with pytest.raises(cachefile.Damaged):
        cachefile.unpack(packed[:-1])
