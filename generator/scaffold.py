"""`sitegen init` and `sitegen new`: a new site skeleton, and new reports from an archetype."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import CONFIG_NAME, SiteConfig, load_config
from .content import INDEX_NAME
from .dates import site_now
from .errors import BuildFailed, Diagnostics, Problem
from .messages import _
from .theme import theme_search_path
from .writer import explain

SITE_CONFIG = """\
# sitegen site configuration. Every key is described in the README ("Site configuration").
title: {title}                    # 网站名称 (required)
description: ""                   # one sentence about the site
# The address the site is published at, with its sub-path. QR codes, feeds and the
# sitemap need it. Example: https://www.example.gov.cn/xxgk/
base_url: ""
language: zh-CN                   # zh-CN or en (the theme's UI strings and sitegen's messages)
timezone: Asia/Shanghai
theme: default
per_page: 20                      # reports per column page
permalink: /:section/:year/:slug/ # tokens: :section :year :month :day :slug
main_color: "#a4161a"             # the one main colour (keep 4.5:1 contrast with white)
site_id_code: ""                  # 网站标识码 (10 characters)
# nav: [gsgg]                     # columns in the header navigation (default: top folders)
# series:                         # yearly report series: an ASCII slug for their pages
#   法治政府建设年度报告: {{slug: fzzf-annual}}
# Site search (站内搜索): the header box, /search/ and its static index (searchindex/)
search: {search}
footer:                           # every empty item is left out of the footer
  sponsor: ""                     # 主办单位
  organizer: ""                   # 承办单位
  address: ""
  phone: ""
  postcode: ""
  email: ""
  icp: ""                         # ICP备案号, e.g. 苏ICP备05005881号
  police_record: ""               # 公安备案号, e.g. 苏公网安备32072402000123号
  dzjg_image: ""                  # 党政机关网站标识: a file under static/
  dzjg_link: ""
  error_report_url: ""            # 我为政府网站找错
"""

COLUMN_INDEX = """\
---
title: 公示公告
description: 发布公告、公示和年度报告。
weight: 1
---
"""


DEFAULT_ZONE = "Asia/Shanghai"  # the timezone of SITE_CONFIG below


def _quote(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), Chinese kept readable."""
    return json.dumps(value, ensure_ascii=False)


def _slugify(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug


def _render_archetype(site: Path, config: SiteConfig | None, values: dict[str, object]) -> str:
    """The report archetype: the site's archetypes/report.md, else the theme's."""
    folders = [site / "archetypes"]
    theme = config.theme if config else "default"
    probe = config or SiteConfig(root=site, title="")
    folders += [d / theme / "archetypes" for d in theme_search_path(probe)]
    for folder in folders:
        file = folder / "report.md"
        if file.is_file():
            template = jinja2.Template(file.read_text(encoding="utf-8"), keep_trailing_newline=True)
            return template.render(**values)
    raise BuildFailed(
        [
            Problem(
                str(site),
                _("no archetype report.md found"),
                None,
                _("put one in archetypes/report.md"),
            )
        ]
    )


GITIGNORE = "/output/\n.sitegen-cache/\n.*.staging-*/\n.sitegen-search-*/\n"


@dataclass
class InitResult:
    created: list[Path]
    kept: list[Path]  # files that existed already: never overwritten


def init_site(target: Path, title: str, now: dt.datetime | None = None) -> InitResult:
    """Create a site skeleton that builds as it is.

    Refuses a folder that has a sitegen.yaml; in any other folder it writes only the
    files that are missing and keeps (never overwrites) those that exist.
    """
    if (target / CONFIG_NAME).exists():
        raise BuildFailed(
            [
                Problem(
                    str(target / CONFIG_NAME),
                    _("a site already exists here"),
                    None,
                    _("choose an empty folder"),
                )
            ]
        )
    today = site_now(zoneinfo.ZoneInfo(DEFAULT_ZONE), now).date()
    column = target / "content" / "gsgg"
    search = "true"
    example = column / f"{today.year}-example-notice.md"
    files = {
        target / CONFIG_NAME: SITE_CONFIG.format(title=_quote(title), search=search),
        column / INDEX_NAME: COLUMN_INDEX,
        example: lambda: _render_archetype(
            target,
            None,
            {
                "title": _quote(f"{today.year}年示例公告"),
                "date": today.isoformat(),
                "source": _quote(title),
                "slug": f"example-notice-{today.year}",
                "year": today.year,
            },
        ),
        target / ".gitignore": GITIGNORE,
    }
    result = InitResult([], [])
    try:
        for folder in (column, target / "templates", target / "static"):
            folder.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            if os.path.lexists(path):
                result.kept.append(path)
                continue
            _write_new(path, text() if callable(text) else text)
            result.created.append(path)
    except OSError as exc:
        where = exc.filename if exc.filename is not None else target
        raise BuildFailed([explain(exc, where)]) from None
    return result


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (O_EXCL: never replaces one that appeared)."""
    with path.open("x", encoding="utf-8") as file:
        file.write(text)


def new_report(
    site: Path, path: Path, title: str | None, now: dt.datetime | None = None
) -> tuple[Path, list[Path]]:
    """Write a new report from the archetype; the column is the folder it is put in.
    It is dated ``now`` in the site's time zone (see :func:`site_now`)."""
    diag = Diagnostics()
    config = load_config(site, diag)
    if config is None:
        raise BuildFailed(diag.errors)
    now = site_now(config.zone, now)
    content = site / "content"
    target = (
        path
        if path.is_absolute()
        else (content / path if path.parts[0] != "content" else site / path)
    )
    if target.suffix != ".md":
        target = target.with_suffix(".md")
    target = target.resolve()
    if not target.is_relative_to(content.resolve()):
        raise BuildFailed(
            [
                Problem(
                    str(path),
                    _("new reports go inside content/"),
                    None,
                    _("e.g. {example}", example="sitegen new xwzx/gsgg/2024-notice.md"),
                )
            ]
        )
    if target.exists():
        raise BuildFailed(
            [Problem(str(target), _("the file already exists"), None, _("choose another name"))]
        )
    column_dir = target.parent
    created = []
    if column_dir != content.resolve() and not (column_dir / INDEX_NAME).exists():
        column_dir.mkdir(parents=True, exist_ok=True)
        (column_dir / INDEX_NAME).write_text(
            f"---\ntitle: {_quote(column_dir.name)}\nweight: 10\n---\n", encoding="utf-8"
        )
        created.append(column_dir / INDEX_NAME)
    source = config.title
    text = _render_archetype(
        site,
        config,
        {
            "title": _quote(title or target.stem),
            "date": now.date().isoformat(),
            "source": _quote(source),
            "slug": _slugify(target.stem) or f"report-{now:%Y%m%d}",
            "year": now.year,
        },
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target, created
