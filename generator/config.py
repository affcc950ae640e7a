"""Load and validate ``sitegen.yaml``: defaults, types, and messages that name the key."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .contrast import check_main_color
from .errors import Diagnostics
from .frontmatter import decode, warn_removed
from .intervals import check_interval
from .messages import N_, _
from .schema import TEXT, Key, validate_mapping, value_phrase, word_list, wrong_type
from .urls import CONTROL, absolute_url, check_link, normalise_base_url
from .walk import check_pattern
from .yamlsource import YamlDoc, YamlError, parse_yaml

CONFIG_NAME = "sitegen.yaml"
PERMALINK_TOKENS = (":section", ":year", ":month", ":day", ":slug")


def _check_base_url(value: str) -> str | None:
    """Why ``value`` cannot be the site's address (``base_url`` and ``--base-url`` alike)."""
    if not value:
        return None
    example = "https://www.example.gov.cn/xxgk/"
    if CONTROL.search(value) or " " in value.strip():
        return _(
            "{value} contains spaces or control characters (write it as {example})",
            value=repr(value),
            example=example,
        )
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        if value.startswith("/"):
            return _(
                "{value} is a path, not an address: give the whole address with "
                "https:// and the host, e.g. https://www.example.gov.cn{path}",
                value=repr(value),
                path=value,
            )
        if not parts.scheme or "." in parts.scheme:
            return _(
                "{value} has no scheme: add https:// in front (https://{rest})",
                value=repr(value),
                rest=value.lstrip("/"),
            )
        return _("must be an absolute http(s) URL such as {example}", example=example)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 (a port that is not a number raises)
    except ValueError:
        return _(
            "{value} has an invalid host or port (write it as {example})",
            value=repr(value),
            example=example,
        )
    if not host:
        return _("{value} has no host (write it as {example})", value=repr(value), example=example)
    if parts.username is not None or parts.password is not None:
        return _("must not contain a user name or password")
    if parts.query or parts.fragment:
        return _("must not have a query or fragment")
    return None


def base_url_problem(value: str, where: str, line: int | None, diag: Diagnostics) -> bool:
    """Report a bad site address given outside sitegen.yaml (``--base-url``)."""
    problem = _check_base_url(value)
    if problem:
        diag.error(where, problem, line, _("e.g. --base-url https://www.example.gov.cn/xxgk/"))
    return problem is not None


def _check_static_file(value: str) -> str | None:
    """A file under static/ (its path), never an address or another scheme."""
    link = check_link(value)
    if link.kind == "path":
        return None
    return _(
        "{problem}: name a file under static/ such as images/dzjg.png",
        problem=link.problem or repr(value),
    )


def _check_timezone(value: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return _("unknown time zone {value} (use a name such as Asia/Shanghai)", value=repr(value))
    return None


def _check_color(value: str) -> str | None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return _("{value} is not a colour like #a4161a (six hex digits)", value=repr(value))
    return None


def _check_permalink(value: str) -> str | None:
    if ":slug" not in value:
        return _("the pattern must contain :slug so that every report gets its own URL")
    unknown = {t for t in re.findall(r":[a-z]+", value) if t not in PERMALINK_TOKENS}
    if unknown:
        return _(
            "unknown token(s) {unknown}; known: {known}",
            unknown=", ".join(sorted(unknown)),
            known=", ".join(PERMALINK_TOKENS),
        )
    if ".." in value.split("/"):
        return _("must not contain '..'")
    return None


def _positive(value: int) -> str | None:
    return None if value >= 1 else _("must be 1 or more")


def _check_language(value: str) -> str | None:
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return _("{value} is not a language tag like zh-CN or en", value=repr(value))
    return None


def _check_ignore(value: list) -> str | None:
    for item in value:
        if not isinstance(item, str):
            return _("each pattern must be text, not {actual}", actual=value_phrase(item))
        problem = check_pattern(item)
        if problem:
            return _("pattern {pattern}: {problem}", pattern=repr(item), problem=problem)
    return None


FOOTER_KEYS: dict[str, Key] = {
    "sponsor": Key((str,), "", example="灌南县人民政府办公室"),  # 主办单位
    "organizer": Key((str,), "", example="灌南县大数据管理局"),  # 承办单位
    "address": Key((str,), ""),
    "phone": Key((str,), ""),
    "postcode": Key((str, int), ""),
    "email": Key((str,), ""),
    "icp": Key((str,), "", example="苏ICP备05005881号"),
    "police_record": Key((str,), "", example="苏公网安备32072402000123号"),
    "dzjg_image": Key((str,), "", _check_static_file),  # 党政机关网站标识, under static/
    "dzjg_link": Key((str,), ""),
    "error_report_url": Key((str,), ""),  # 我为政府网站找错
    "copyright": Key((str,), ""),
}

SERIES_KEYS: dict[str, Key] = {
    "slug": Key((str,), ""),
    "description": Key((str,), ""),
}

TOPIC_KEYS: dict[str, Key] = {
    "title": Key((str,), ""),
    "slug": Key((str,), ""),
    "description": Key((str,), ""),
    "banner": Key((str,), "", _check_static_file),  # a file under static/
}


def _check_site_path(value: str) -> str | None:
    segments = value.strip("/").split("/")
    if not value.startswith("/") or any(s in ("", ".", "..") or "\\" in s for s in segments):
        return f"{value!r} is not a path of the site such as /xxgk/catalogue/"
    return None


CATALOGUE_KEYS: dict[str, Key] = {
    "path": Key((str,), "/xxgk/catalogue/", _check_site_path, "/xxgk/catalogue/"),
    "per_page": Key((int,), 20, _positive, "20"),
}

SITE_KEYS: dict[str, Key] = {
    "title": Key((str,), None, example="灌南县人民政府"),
    "description": Key((str,), ""),
    "keywords": Key((list, str), [], example="[灌南县, 法治政府]", items=TEXT),
    "base_url": Key((str,), "", _check_base_url, "https://www.example.gov.cn/xxgk/"),
    "language": Key((str,), "zh-CN", _check_language, "zh-CN"),
    "timezone": Key((str,), "Asia/Shanghai", _check_timezone, "Asia/Shanghai"),
    "theme": Key((str,), "default"),
    "per_page": Key((int,), 20, _positive, "20"),
    "home_per_column": Key((int,), 8, _positive, "8"),
    "permalink": Key((str,), "/:section/:year/:slug/", _check_permalink, "/:section/:year/:slug/"),
    "summary_length": Key((int,), 120, _positive, "120"),
    "toc_min_headings": Key((int,), 4, _positive, "4"),
    "main_color": Key((str,), "#a4161a", _check_color, "'#a4161a'"),
    "logo": Key((str,), ""),
    "favicon": Key((str,), ""),
    "site_domain": Key((str,), ""),
    "site_id_code": Key((str,), ""),  # 网站标识码
    "nav": Key((list,), [], example="[xwzx, xwzx/gsgg, zwgk]", items=TEXT),
    "series": Key((dict,), {}),
    "topics": Key((dict,), {}),  # 专题 by name: title, slug, description, banner
    "catalogue": Key((dict,), {}),  # 政府信息公开目录: path, per_page
    "search": Key((bool,), True),
    "footer": Key((dict,), {}),
    # `sitegen audit`: update intervals by column type, and the home page's (see audit/).
    "audit": Key((dict,), {}),
    # Globs of files under content/ that are never read nor published (see walk.py).
    "ignore": Key((list,), [], _check_ignore, "['*.psd', 内部资料/]"),
}


AUDIT_KEYS: dict[str, Key] = {
    "update_rules": Key((dict,), {}),
    "home_every": Key((str,), "2w", check_interval, "2w"),
}


@dataclass
class AuditSettings:
    """``audit:`` of sitegen.yaml: column-type words → update interval (tried in order, before
    the built-in ones), and the home page's interval."""

    update_rules: dict[str, str] = field(default_factory=dict)
    home_every: str = "2w"


def _audit_settings(values: dict, doc: YamlDoc, shown: str, diag: Diagnostics) -> AuditSettings:
    settings = validate_mapping(values or {}, AUDIT_KEYS, doc, shown, diag, ("audit",))
    rules: dict[str, str] = {}
    for word, every in (settings["update_rules"] or {}).items():
        problem = check_interval(every)
        if problem:
            line = doc.line("audit", "update_rules", str(word))
            diag.error(
                shown,
                _("'{key}': {problem}", key=f"audit.update_rules.{word}", problem=problem),
                line,
                "e.g. 动态: 2w",
            )
            continue
        rules[str(word)] = str(every).strip().lower()
    return AuditSettings(rules, str(settings["home_every"]).strip().lower())


@dataclass
class SeriesInfo:
    name: str
    slug: str
    description: str = ""


@dataclass
class TopicInfo:
    name: str
    slug: str
    title: str = ""
    description: str = ""
    banner: str = ""  # a file under static/


@dataclass
class SiteConfig:
    """The validated site configuration, with every default filled in."""

    root: Path
    title: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    base_url: str = ""
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    theme: str = "default"
    per_page: int = 20
    home_per_column: int = 8
    permalink: str = "/:section/:year/:slug/"
    summary_length: int = 120
    toc_min_headings: int = 4
    main_color: str = "#a4161a"
    logo: str = ""
    favicon: str = ""
    site_domain: str = ""
    site_id_code: str = ""
    nav: list[str] = field(default_factory=list)
    series: dict[str, SeriesInfo] = field(default_factory=dict)
    topics: dict[str, TopicInfo] = field(default_factory=dict)
    catalogue_path: str = "/xxgk/catalogue/"
    catalogue_per_page: int = 20
    search: bool = True
    footer: dict[str, Any] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)  # globs under content/ to leave out
    audit: AuditSettings = field(default_factory=lambda: AuditSettings())
    # 1-based line of each key path in sitegen.yaml, for later messages (theme, nav).
    lines: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    @property
    def base_path(self) -> str:
        """The sub-path the site is served under, e.g. ``/xxgk/`` (``/`` when none)."""
        path = urlsplit(self.base_url).path if self.base_url else "/"
        return path if path.endswith("/") else path + "/"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def override_base_url(self, value: str) -> None:
        """Use another (valid) site address, e.g. from ``--base-url``."""
        if self.site_domain == urlsplit(self.base_url).netloc:
            self.site_domain = ""  # it came from the old address
        self.base_url = normalise_base_url(value)
        self.site_domain = self.site_domain or urlsplit(self.base_url).netloc

    def absolute(self, url_path: str) -> str:
        """Canonical absolute URL of a site path such as ``/xwzx/``; '' without base_url."""
        return absolute_url(self.base_url, url_path)


# Footer values that become links (href): a safe scheme or a path of the site only.
FOOTER_LINKS = ("dzjg_link", "error_report_url")


def _check_footer_links(
    footer: dict[str, str], doc: YamlDoc, shown: str, diag: Diagnostics
) -> None:
    for key in FOOTER_LINKS:
        value = footer.get(key, "")
        if not value:
            continue
        link = check_link(value)
        line = doc.line("footer", key)
        if link.kind == "refused":
            diag.error(
                shown,
                _("'{key}': {problem}", key=f"footer.{key}", problem=link.problem),
                line,
                link.hint,
            )
        elif link.kind == "path" and not link.value.startswith("/"):
            # The footer is on every page: a relative path would point somewhere else
            # from each of them.
            diag.error(
                shown,
                _(
                    "'{key}' {value} is neither an address nor a path of the site",
                    key=f"footer.{key}",
                    value=repr(value),
                ),
                line,
                _("write a full address (https://…) or a path from the site root (/sitemap/)"),
            )
        else:
            footer[key] = link.value


def load_config(root: Path, diag: Diagnostics) -> SiteConfig | None:
    """Read ``root/sitegen.yaml``; problems go to ``diag`` and give ``None``."""
    path = root / CONFIG_NAME
    shown = str(path)
    if not path.is_file():
        diag.error(
            shown,
            _("no site configuration found"),
            hint=_(
                "run the command in your site folder, pass --source, or create one with 'sitegen init {folder}'",
                folder=root,
            ),
        )
        return None
    text = decode(path.read_bytes(), shown, diag)
    if text is None:
        return None
    try:
        doc = parse_yaml(text)
    except YamlError as exc:
        hint = exc.hint or _("check indentation and quotes")
        diag.error(shown, _("malformed YAML: {problem}", problem=exc.message), exc.line, hint)
        return None
    warn_removed(doc, shown, diag)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        diag.error(
            shown,
            _("the configuration must be 'key: value' lines"),
            1,
            _("e.g. title: 某某县人民政府"),
        )
        return None
    before = len(diag.errors)
    values = validate_mapping(data, SITE_KEYS, doc, shown, diag)
    # A title of the wrong type or without a value has had its error already; only a
    # missing or empty one is reported here.
    if "title" not in data or data["title"] == "":
        diag.error(shown, _("'title' is required"), 1, _("add e.g. title: 灌南县人民政府"))
    footer = validate_mapping(values["footer"] or {}, FOOTER_KEYS, doc, shown, diag, ("footer",))
    footer = {k: str(v) if v is not None else "" for k, v in footer.items()}
    _check_footer_links(footer, doc, shown, diag)
    series = {
        name: SeriesInfo(name, info["slug"], info["description"])
        for name, info in _named_groups(
            "series",
            values["series"] or {},
            SERIES_KEYS,
            doc,
            shown,
            diag,
            not_mapping=lambda name, spec: (
                wrong_type(f"series.{name}", (dict,), spec),
                _("e.g. {example}", example=f"series: {{{name}: {{slug: fzzf-annual}}}}"),
            ),
            bad_slug=N_("series slug {slug} may use only letters, digits, - and _"),
            slug_hint=_("e.g. {example}", example="slug: fzzf-annual"),
        ).items()
    }
    audit = _audit_settings(values["audit"], doc, shown, diag)
    topics = _topics(values["topics"] or {}, doc, shown, diag)
    catalogue = validate_mapping(
        values["catalogue"] or {}, CATALOGUE_KEYS, doc, shown, diag, ("catalogue",)
    )
    if len(diag.errors) > before:
        return None
    check_main_color(values["main_color"], shown, doc.line("main_color"), diag)
    base_url = normalise_base_url(values["base_url"])
    return SiteConfig(
        root=root,
        title=values["title"],
        description=values["description"],
        keywords=word_list(values["keywords"]),
        base_url=base_url,
        language=values["language"],
        timezone=values["timezone"],
        theme=values["theme"],
        per_page=values["per_page"],
        home_per_column=values["home_per_column"],
        permalink=values["permalink"],
        summary_length=values["summary_length"],
        toc_min_headings=values["toc_min_headings"],
        main_color=values["main_color"],
        logo=values["logo"],
        favicon=values["favicon"],
        site_domain=values["site_domain"] or urlsplit(base_url).netloc,
        site_id_code=values["site_id_code"],
        nav=[str(n).strip("/") for n in values["nav"]],
        series=series,
        topics=topics,
        catalogue_path="/" + catalogue["path"].strip("/") + "/",
        catalogue_per_page=catalogue["per_page"],
        search=values["search"],
        footer=footer,
        ignore=list(values["ignore"]),
        audit=audit,
        lines=doc.lines,
    )


def _topics(data: dict, doc: YamlDoc, shown: str, diag: Diagnostics) -> dict[str, TopicInfo]:
    """专题 of the config by name; a slug is one plain folder name under /topics/."""
    example = "topics: {八五普法: {slug: bwpf, description: …}}"
    groups = _named_groups(
        "topics",
        data,
        TOPIC_KEYS,
        doc,
        shown,
        diag,
        not_mapping=lambda name, spec: (
            _("topic {name} must be a mapping", name=repr(name)),
            _("e.g. {example}", example=example),
        ),
        bad_slug=N_("topic slug {slug} may use only letters, digits, - and _"),
        slug_hint=_("e.g. slug: bwpf"),
    )
    return {
        name: TopicInfo(name, info["slug"], info["title"], info["description"], info["banner"])
        for name, info in groups.items()
    }


def _named_groups(
    section: str,
    data: dict,
    keys: dict[str, Key],
    doc: YamlDoc,
    shown: str,
    diag: Diagnostics,
    *,
    not_mapping: Callable[[str, object], tuple[str, str]],
    bad_slug: str,
    slug_hint: str,
) -> dict[str, dict[str, Any]]:
    """The groups of ``section`` (``series:``, ``topics:``) by name, each the mapping of
    ``keys`` it gives; ``slug`` ('' when none) must be one plain folder name.

    ``not_mapping(name, value)`` is the error and hint for a group that is not a mapping;
    ``bad_slug`` (untranslated, with ``{slug}``) the error for a slug that is not plain."""
    groups: dict[str, dict[str, Any]] = {}
    for key, spec in data.items():
        name = str(key)
        if not isinstance(spec, dict):
            message, hint = not_mapping(name, spec)
            diag.error(shown, message, doc.line(section, name), hint)
            continue
        info = validate_mapping(spec, keys, doc, shown, diag, (section, name))
        info["slug"] = slug = info["slug"] or ""
        if slug and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", slug):
            diag.error(
                shown, _(bad_slug, slug=repr(slug)), doc.line(section, name, "slug"), slug_hint
            )
        groups[name] = info
    return groups
