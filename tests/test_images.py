"""Images of a report body and the cover image: published with the report, linked right
under a sub-path and from the file system, sized from their files, checked with lines."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from PIL import Image
from sitegen_testkit import (
    build_fails,
    build_into,
    column_md,
    messages,
    read_page,
    report_md,
)

from generator.image_size import image_size
from generator.urls import output_file

PAGE = "/gsgg/2020/notice/"


def picture(size: tuple[int, int], fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (164, 22, 26)).save(buffer, fmt, **options)
    return buffer.getvalue()


def site_files(body: str, **fields: object) -> dict[str, str | bytes]:
    return {
        "content/gsgg/_index.md": column_md("公示公告"),
        "content/gsgg/notice.md": report_md("通知", body=body, **fields),
        "content/gsgg/images/big.png": picture((800, 600)),
        "content/gsgg/images/small.gif": picture((40, 30), "GIF"),
        "content/shared/logo.jpg": picture((320, 100), "JPEG"),
    }


def body_images(output: Path, url: str = PAGE):
    return read_page(output, url).find(id="report-body").find_all("img")


def resolved_file(output: Path, page_url: str, src: str, relative: bool = False) -> Path:
    """The output file an <img src> of the page at page_url loads (as a browser joins it)."""
    page_file = output / output_file(page_url)
    if relative:  # file://: the src is relative to the page's own file
        return (page_file.parent / unquote(src)).resolve()
    target = unquote(urljoin("https://h.example" + page_url, src))
    return output / output_file(target.removeprefix("https://h.example"))


BODY = (
    "正文。\n\n![县政府大楼](images/big.png)\n\n![图标](images/small.gif)\n\n"
    "![标志](/shared/logo.jpg)\n"
)


@pytest.mark.parametrize("relative", [False, True])
def test_relative_and_root_images_resolve_to_their_files(make_site, tmp_path, relative):
    site = make_site(site_files(BODY))
    output = tmp_path / "out"
    build_into(site, output, relative=relative)
    sources = {
        "县政府大楼": site / "content/gsgg/images/big.png",
        "图标": site / "content/gsgg/images/small.gif",
        "标志": site / "content/shared/logo.jpg",
    }
    images = body_images(output)
    assert [img["alt"] for img in images] == list(sources)
    for img in images:
        loaded = resolved_file(output, PAGE, img["src"], relative)
        assert loaded.read_bytes() == sources[img["alt"]].read_bytes()


def test_images_resolve_under_a_sub_path(make_site, tmp_path):
    site = make_site(
        site_files(BODY), config="title: 测试\nbase_url: https://www.example.gov.cn/xxgk/\n"
    )
    output = tmp_path / "out"
    build_into(site, output)
    for img in body_images(output):
        # Served at /xxgk/: the page is /xxgk/gsgg/2020/notice/ and the output is /xxgk/.
        target = unquote(urljoin("https://www.example.gov.cn/xxgk" + PAGE, img["src"]))
        assert target.startswith("https://www.example.gov.cn/xxgk/")
        rel = target.removeprefix("https://www.example.gov.cn/xxgk")
        assert (output / output_file(rel)).is_file(), img["src"]


def test_sizes_from_the_files_and_lazy_loading_for_large_ones(make_site, tmp_path):
    site = make_site(site_files(BODY))
    output = tmp_path / "out"
    build_into(site, output)
    images = {img["alt"]: img for img in body_images(output)}
    for alt, file in [
        ("县政府大楼", "content/gsgg/images/big.png"),
        ("图标", "content/gsgg/images/small.gif"),
        ("标志", "content/shared/logo.jpg"),
    ]:
        with Image.open(site / file) as truth:
            assert (int(images[alt]["width"]), int(images[alt]["height"])) == truth.size
    assert images["县政府大楼"].get("loading") == "lazy"
    assert images["标志"].get("loading") == "lazy"
    assert images["图标"].get("loading") is None  # small: loads at once


def test_an_authors_size_is_kept(make_site, tmp_path):
    site = make_site(site_files("![图](images/big.png){: width=400 }\n"))
    output = tmp_path / "out"
    build_into(site, output)
    (img,) = body_images(output)
    assert img["width"] == "400" and not img.has_attr("height")


def test_a_raw_html_image_is_published_too(make_site, tmp_path):
    site = make_site(site_files('<p><img src="images/big.png" alt="大楼"></p>\n'))
    output = tmp_path / "out"
    build_into(site, output)
    (img,) = body_images(output)
    assert (
        resolved_file(output, PAGE, img["src"]).read_bytes()
        == (site / "content/gsgg/images/big.png").read_bytes()
    )
    assert (img["width"], img["height"]) == ("800", "600")


def test_a_missing_image_is_an_error_with_file_and_line(make_site, tmp_path):
    body = "第一段。\n\n第二段。\n\n![缺失](images/none.png)\n"
    site = make_site(site_files(body))
    problems = build_fails(site, tmp_path / "out")
    # report_md: 4 lines of front matter, a blank line, then the body from line 6.
    assert messages(problems) == [
        "content/gsgg/notice.md:10: image file 'images/none.png' does not exist "
        "(put it at content/gsgg/images/none.png or fix the path)"
    ]


def test_an_image_outside_the_content_folder_is_an_error(make_site, tmp_path):
    site = make_site(site_files("![外](../../sitegen.yaml.png)\n"))
    problems = build_fails(site, tmp_path / "out")
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("content/gsgg/notice.md", 6, "image ../../sitegen.yaml.png is outside the content folder")
    ]


def test_an_image_without_alt_text_is_a_warning(make_site, tmp_path):
    site = make_site(site_files("正文。\n\n![](images/big.png)\n"))
    result = build_into(site, tmp_path / "out")
    found = [(w.path, w.line, w.message) for w in result.warnings if "alt text" in w.message]
    assert found == [("content/gsgg/notice.md", 8, "image images/big.png has no alt text")]


def test_an_ignored_image_is_an_error_not_a_leak(make_site, tmp_path):
    files = site_files("![内部](内部资料/plan.png)\n")
    files["content/gsgg/内部资料/plan.png"] = picture((10, 10))
    site = make_site(
        files, config="title: 测试\nbase_url: https://h.example/\nignore: [内部资料/]\n"
    )
    problems = build_fails(site, tmp_path / "out")
    assert [(p.line, p.message) for p in problems] == [
        (
            6,
            "image content/gsgg/内部资料/plan.png cannot be published: it is matched by an "
            "ignore: pattern of sitegen.yaml",
        )
    ]


def test_images_of_a_draft_stay_unpublished(make_site, tmp_path):
    files = site_files("正文。\n")
    files["content/gsgg/draft.md"] = report_md(
        "草稿", draft=True, body="![草稿图](draft-images/a.png)\n"
    )
    files["content/gsgg/draft-images/a.png"] = picture((10, 10))
    site = make_site(files)
    output = tmp_path / "out"
    build_into(site, output)
    assert not (output / "gsgg/draft-images/a.png").exists()
    assert (output / "gsgg/images/big.png").exists()  # not used by a draft: published


def test_an_image_shared_by_a_draft_and_a_published_report_is_published(make_site, tmp_path):
    files = site_files("![大楼](images/big.png)\n")
    files["content/gsgg/draft.md"] = report_md("草稿", draft=True, body="![大楼](images/big.png)\n")
    site = make_site(files)
    output = tmp_path / "out"
    build_into(site, output)
    assert (output / "gsgg/images/big.png").exists()


def test_a_deleted_image_is_found_by_a_cached_build(make_site, tmp_path):
    site = make_site(site_files(BODY))
    output = tmp_path / "out"
    build_into(site, output)
    (site / "content/gsgg/images/small.gif").unlink()
    problems = build_fails(site, output)
    assert [(p.line, p.message) for p in problems] == [
        (10, "image file 'images/small.gif' does not exist")
    ]


def test_a_resized_image_re_renders_the_page_in_a_cached_build(make_site, tmp_path):
    site = make_site(site_files(BODY))
    output = tmp_path / "out"
    build_into(site, output)
    (site / "content/gsgg/images/big.png").write_bytes(picture((1024, 512)))
    build_into(site, output)
    big = next(img for img in body_images(output) if img["alt"] == "县政府大楼")
    assert (big["width"], big["height"]) == ("1024", "512")


def test_cover_image(make_site, tmp_path):
    site = make_site(site_files("正文。\n", image="images/big.png"))
    output = tmp_path / "out"
    build_into(site, output)
    page = read_page(output, PAGE)
    expected = "https://h.example/gsgg/images/big.png"
    assert page.find("meta", attrs={"name": "Image"})["content"].endswith("/gsgg/images/big.png")
    og = page.find("meta", attrs={"property": "og:image"})["content"]
    assert unquote(og).endswith("/gsgg/images/big.png") and og.startswith("http")
    assert expected.rsplit("/", 1)[1] == "big.png"
    assert (output / "gsgg/images/big.png").is_file()


def test_a_missing_cover_image_is_an_error_at_its_line(make_site, tmp_path):
    site = make_site(site_files("正文。\n", image="images/none.jpg"))
    problems = build_fails(site, tmp_path / "out")
    assert [(p.line, p.message) for p in problems] == [
        (4, "cover image file 'images/none.jpg' does not exist")
    ]


def test_a_cover_image_from_another_site_is_an_error(make_site, tmp_path):
    site = make_site(site_files("正文。\n", image="https://cdn.example/a.jpg"))
    problems = build_fails(site, tmp_path / "out")
    assert [p.message for p in problems] == [
        "cover image https://cdn.example/a.jpg must be a file of the site, not an address"
    ]


def test_the_cover_image_of_a_draft_is_not_published(make_site, tmp_path):
    files = site_files("正文。\n")
    files["content/gsgg/draft.md"] = report_md("草稿", draft=True, image="cover/a.png")
    files["content/gsgg/cover/a.png"] = picture((10, 10))
    site = make_site(files)
    output = tmp_path / "out"
    build_into(site, output)
    assert not (output / "gsgg/cover/a.png").exists()


@pytest.mark.parametrize(
    "fmt, options",
    [
        ("PNG", {}),
        ("JPEG", {}),
        ("JPEG", {"progressive": True}),
        ("GIF", {}),
        ("WEBP", {}),
        ("WEBP", {"lossless": True}),
    ],
)
def test_image_size_reads_the_header(tmp_path, fmt, options):
    file = tmp_path / "x"
    file.write_bytes(picture((123, 45), fmt, **options))
    assert image_size(file) == (123, 45)


def test_image_size_of_a_jpeg_with_exif_and_of_no_image(tmp_path):
    file = tmp_path / "x.jpg"
    exif = Image.Exif()
    exif[0x010E] = "说明" * 3000  # a large APP1 segment before the frame header
    buffer = io.BytesIO()
    Image.new("RGB", (77, 66)).save(buffer, "JPEG", exif=exif.tobytes())
    file.write_bytes(buffer.getvalue())
    assert image_size(file) == (77, 66)
    file.write_bytes(b"not an image at all")
    assert image_size(file) is None
    file.write_bytes(b"\xff\xd8\xff")  # cut short
    assert image_size(file) is None


def test_a_reference_style_image_is_published(make_site, tmp_path):
    site = make_site(site_files("正文。\n\n![大楼][楼]\n\n[楼]: images/big.png\n"))
    output = tmp_path / "out"
    build_into(site, output)
    (img,) = body_images(output)
    assert (
        resolved_file(output, PAGE, img["src"]).read_bytes()
        == (site / "content/gsgg/images/big.png").read_bytes()
    )
    assert (img["width"], img["height"]) == ("800", "600")


def test_a_missing_reference_style_image_is_an_error_at_its_use(make_site, tmp_path):
    site = make_site(site_files("正文。\n\n![大楼][楼]\n\n[楼]: images/none.png\n"))
    assert [(p.line, p.message) for p in build_fails(site, tmp_path / "out")] == [
        (8, "image file 'images/none.png' does not exist")
    ]
