"""`sitegen check`: verify a built site: links, fragments, assets, titles, languages, origins."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .linkprobe import probe_all
from .messages import _
from .relink import srcset_spans

ASSET_TAGS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("track", "src"),
    ("input", "src"),
    ("video", "poster"),
    ("object", "data"),
}
# url(…) and @import '…' in CSS: inline style attributes and <style> elements.
CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""",
    re.I,
)


def css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS loads."""
    found = []
    for match in CSS_URL.finditer(css):
        url = next((g for g in match.groups() if g is not None), "")
        if url.strip():
            found.append(url.strip())
    return found


@dataclass
class PageScan:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, bool]] = field(default_factory=list)  # (url, is_asset)
    title: str = ""
    lang: str = ""


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._in_title = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.scan.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.scan.ids.add(values["name"])
        if tag == "html":
            self.scan.lang = values.get("lang", "")
        if tag == "title":
            self._in_title = True
        if tag == "style":
            self._in_style = True
        for url in css_urls(values.get("style", "")):
            self.scan.links.append((url, True))
        for name in ("srcset", "imagesrcset"):
            value = values.get(name, "")
            for start, end in srcset_spans(value):
                self.scan.links.append((value[start:end], True))
        if tag == "link" and values.get("rel") in ("canonical", "alternate"):
            return  # canonical and feed links are absolute on purpose
        for name in ("href", "src", "poster", "data"):
            if values.get(name) and (name != "data" or tag == "object"):
                self.scan.links.append((values[name], (tag, name) in ASSET_TAGS))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.scan.title += data
        if self._in_style:
            self.scan.links += [(url, True) for url in css_urls(data)]


def scan_html(text: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(text)
    return scanner.scan


@dataclass(frozen=True)
class Broken:
    """One link of a page that does not work: the page, the link as written, why (in the
    editor's words) and what kind of failure it is (``missing``, ``fragment``, ``outside``,
    ``origin``, ``malformed``, ``external``)."""

    page: str  # relative to the output folder
    link: str
    reason: str
    kind: str = ""

    def __str__(self) -> str:
        return _("{page}: {link} ({reason})", page=self.page, link=self.link, reason=self.reason)


@dataclass
class CheckResult:
    pages: int
    problems: list[str]
    external: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files not checked, and why
    broken: list[Broken] = field(default_factory=list)  # the link problems among ``problems``
    external_broken: list[Broken] = field(default_factory=list)  # outbound, page = first page


def _resolve(root: Path, page_rel: str, target: str, base_path: str) -> Path | None:
    """The file a same-site link points to, or None when it leaves the site."""
    path = unquote(target)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        joined = path[len(base_path) :]
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), path))
        if target.endswith("/") or not path:
            joined += "/"
    if joined.startswith(".."):
        return None
    file = root / joined.lstrip("./") if joined not in (".", "./") else root
    if joined.endswith("/") or _is_dir(file):
        file = file / "index.html"
    return file


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a NUL byte or an over-long name in a link
        return False


def check_site(
    root: Path, base_path: str = "/", external: bool = False, timeout: float = 10.0
) -> CheckResult:
    root = root.resolve()
    pages = sorted(p for p in root.rglob("*.html") if p.is_file())
    scans: dict[str, PageScan] = {}
    notes: list[str] = []
    for page in pages:
        rel = page.relative_to(root).as_posix()
        try:
            scans[rel] = scan_html(page.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            notes.append(
                _("{page}: skipped (not UTF-8: an attachment? its links are not checked)", page=rel)
            )
        except OSError as exc:
            notes.append(
                _(
                    "{page}: skipped (cannot read it: {reason})",
                    page=rel,
                    reason=exc.strerror or exc,
                )
            )
    problems: list[str] = []
    broken: list[Broken] = []
    outbound: dict[str, str] = {}  # link → the first page that has it

    def bad(rel: str, link: str, reason: str, kind: str) -> None:
        broken.append(Broken(rel, link, reason, kind))
        problems.append(str(broken[-1]))

    for rel, scan in scans.items():
        if not scan.title.strip():
            problems.append(_("{page}: <title> (missing or empty)", page=rel))
        if not scan.lang:
            problems.append(_("{page}: <html lang> (missing)", page=rel))
        for link, is_asset in scan.links:
            link = link.strip(" \t\n\r\f")
            try:
                parts = urlsplit(link)
            except ValueError:
                bad(rel, link, _("malformed URL"), "malformed")
                continue
            if parts.scheme in ("mailto", "tel", "javascript", "data"):
                continue
            if parts.scheme or link.startswith("//"):
                if is_asset:
                    bad(rel, link, _("asset loaded from another origin"), "origin")
                elif parts.scheme in ("http", "https"):
                    outbound.setdefault(link, rel)
                continue
            if not parts.path:
                target_rel, target_file = rel, root / rel
            else:
                target_file = _resolve(root, rel, parts.path, base_path)
                if target_file is None:
                    bad(rel, link, _("points outside the site"), "outside")
                    continue
                target_rel = (
                    target_file.relative_to(root).as_posix()
                    if target_file.is_relative_to(root)
                    else ""
                )
            if not _is_file(target_file):
                bad(rel, link, _("no such file"), "missing")
                continue
            if parts.fragment:
                target_scan = scans.get(target_rel)
                if target_scan is not None and unquote(parts.fragment) not in target_scan.ids:
                    bad(
                        rel,
                        link,
                        _("no element with id '{id}'", id=unquote(parts.fragment)),
                        "fragment",
                    )
    failures: list[Broken] = []
    if external:
        reasons = probe_all(sorted(outbound), timeout)
        failures = [
            Broken(outbound[link], link, why, "external") for link, why in reasons.items() if why
        ]
    return CheckResult(
        len(scans),
        problems,
        [_("{link} ({reason})", link=f.link, reason=f.reason) for f in failures],
        notes,
        broken,
        failures,
    )
