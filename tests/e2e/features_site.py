"""A small site with the list features (catalogue, gallery, topics), built once per
worker for the browser tests, with the rows the catalogue must show worked out from the
front matter written here."""

from __future__ import annotations

from pathlib import Path

from sitegen_testkit import MINIMAL_CONFIG, column_md, report_md, write_site

CATALOGUE = "/gk/ml/"  # catalogue.path of the site
PER_PAGE = 3
CATEGORIES = ("综合政务", "城乡建设", "公共安全")
PUBLISHERS = ("灌南县人民政府", "灌南县司法局")
VALIDITIES = ("有效", "失效", "废止")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xa8\xaa\xaa\x06\x00\x03\xf2\x01\xf9\xa1\x8d\x0c\x8b"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def documents() -> list[dict[str, str]]:
    """11 documents, newest first, with every filter value used."""
    docs = []
    for n in range(11):
        year = 2023 - n // 4  # all before the tests' now (2024-06-01)
        docs.append(
            {
                "slug": f"doc{n:02d}",
                "title": f"关于第{n + 1}项工作的通知",
                "date": f"{year}-{12 - n % 4 * 3:02d}-0{1 + n % 5}",
                "index_no": f"11320724014180357X/{year}-{n + 1:05d}",
                "doc_no": f"灌政发〔{year}〕{n + 1}号",
                "publisher": PUBLISHERS[n % 2],
                "category": CATEGORIES[n % 3],
                "validity": VALIDITIES[n % 3] if n % 4 else "有效",
            }
        )
    return sorted(docs, key=lambda d: d["date"], reverse=True)


def build_features_site(folder: Path) -> Path:
    files: dict[str, str | bytes] = {
        "content/zwgk/_index.md": column_md("政府信息公开", 2),
        "content/xwzx/_index.md": column_md("新闻中心", 1),
        "content/xwzx/tpxw/_index.md": "---\ntitle: 图片新闻\nlayout: gallery\nweight: 1\n---\n",
    }
    for doc in documents():
        fields = {k: v for k, v in doc.items() if k not in ("slug", "title", "date")}
        files[f"content/zwgk/{doc['slug']}.md"] = report_md(
            doc["title"], doc["date"], topics=["依法行政"], **fields
        )
    for n in range(1, 5):
        files[f"content/xwzx/tpxw/images/p{n}.png"] = PNG
        files[f"content/xwzx/tpxw/p{n}.md"] = report_md(
            f"图片新闻第{n}条", f"2024-05-0{n}", image=f"images/p{n}.png"
        )
    config = MINIMAL_CONFIG + (
        f"catalogue:\n  path: {CATALOGUE}\n  per_page: {PER_PAGE}\n"
        "topics:\n  依法行政:\n    slug: yfxz\n    description: 依法行政专题\n"
    )
    return write_site(folder, files, config)
