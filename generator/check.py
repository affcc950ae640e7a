"""`sitegen check`: verify a built site: links, fragments, assets, titles, languages, origins."""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSET_TAGS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("iframe", "src"),
}


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
        if tag == "link" and values.get("rel") in ("canonical", "alternate"):
            return  # canonical and feed links are absolute on purpose
        for name in ("href", "src"):
            if values.get(name):
                self.scan.links.append((values[name], (tag, name) in ASSET_TAGS and tag != "a"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.scan.title += data


def scan_html(text: str) -> PageScan:
    scanner = _Scanner()
    scanner.feed(text)
    return scanner.scan


@dataclass
class CheckResult:
    pages: int
    problems: list[str]
    external: list[str] = field(default_factory=list)


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
    if joined.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file


def check_site(
    root: Path, base_path: str = "/", external: bool = False, timeout: float = 10.0
) -> CheckResult:
    root = root.resolve()
    pages = sorted(root.rglob("*.html"))
    scans = {
        p.relative_to(root).as_posix(): scan_html(p.read_text(encoding="utf-8")) for p in pages
    }
    problems: list[str] = []
    outbound: set[str] = set()
    for rel, scan in scans.items():
        if not scan.title.strip():
            problems.append(f"{rel}: <title> (missing or empty)")
        if not scan.lang:
            problems.append(f"{rel}: <html lang> (missing)")
        for link, is_asset in scan.links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "tel", "javascript", "data"):
                continue
            if parts.scheme or link.startswith("//"):
                if is_asset:
                    problems.append(f"{rel}: {link} (asset loaded from another origin)")
                elif parts.scheme in ("http", "https"):
                    outbound.add(link)
                continue
            if not parts.path:
                target_rel, target_file = rel, root / rel
            else:
                target_file = _resolve(root, rel, parts.path, base_path)
                if target_file is None:
                    problems.append(f"{rel}: {link} (points outside the site)")
                    continue
                target_rel = (
                    target_file.relative_to(root).as_posix()
                    if target_file.is_relative_to(root)
                    else ""
                )
            if not target_file.is_file():
                problems.append(f"{rel}: {link} (no such file)")
                continue
            if parts.fragment:
                target_scan = scans.get(target_rel)
                if target_scan is not None and unquote(parts.fragment) not in target_scan.ids:
                    problems.append(
                        f"{rel}: {link} (no element with id '{unquote(parts.fragment)}')"
                    )
    failures: list[str] = []
    if external:
        for link in sorted(outbound):
            reason = _probe(link, timeout)
            if reason:
                failures.append(f"{link} ({reason})")
    return CheckResult(len(pages), problems, failures)


def _probe(url: str, timeout: float) -> str:
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "sitegen-check"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return "" if response.status < 400 else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return str(getattr(exc, "reason", exc))
