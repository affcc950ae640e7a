"""The build cache (``.sitegen-cache/``): do no more work than the change asks for.

- A build whose inputs (names, sizes, modification times) and output folder are as the last
  build left them, before any report becomes due or expires, does nothing at all.
- Otherwise each page gets a key: a hash of sitegen's code and version, the config, the UI
  strings, the column tree, years and series, the templates the page uses (with all they
  extend, include or import) and the bytes of every report the page shows. A page whose key
  and output file are unchanged is not rendered again.
- Reports whose files did not change are taken from the cache without reading them.

Every file of the cache carries a checksum (see ``cachefile``): a damaged one is discarded
with one warning and its part is made again, as in a clean build.

The cache is safe to delete; ``--no-cache`` ignores it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import marshal
import pickle
from pathlib import Path

import jinja2
import jinja2.meta

from . import __version__, cachefile
from .cachefile import Damaged
from .content import Report, ReportMemo
from .errors import Diagnostics
from .site import Page, Site
from .theme import Theme
from .writer import file_stats

CACHE_DIR = ".sitegen-cache"
MANIFEST = "pages.sgc"  # marshal: ten times faster than JSON for 20,000 entries
REPORTS = "reports"  # a folder: one pickle per top column (``*.sgc``)
TEMPLATES = "templates"  # Jinja's compiled templates


def _hash(*parts: str) -> str:
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def report_digest(report: Report) -> str:
    """Everything of a report comes from its file's bytes, except what the model adds."""
    attachments = [(a.title, a.href, a.size) for a in report.attachments]
    facts = repr(sorted(report.facts.items()))  # what its body uses outside its file
    return _hash(
        report.digest,
        report.url,
        "/".join(report.column),
        repr(attachments),
        facts,
        str(report.pinned),
    )


def files_digest(folders: list[Path]) -> str:
    parts: list[str] = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts.append(path.as_posix())
                    parts.append(hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
    return _hash(*parts)


@functools.cache
def code_digest() -> str:
    """sitegen's own source: an edited (editable) install must not reuse stale pages."""
    package = Path(__file__).resolve().parent
    return _hash(
        *(f"{p.name} {p.read_text(encoding='utf-8')}" for p in sorted(package.glob("*.py")))
    )


def site_digest(site: Site, theme: Theme, flags: str) -> str:
    """What every page depends on: config, theme files, column tree, years and series."""
    config = site.config
    config_text = repr(
        sorted((k, v) for k, v in vars(config).items() if k not in ("root", "lines"))
    )
    columns = [
        (c.key, c.title, c.description, c.weight, c.keywords, c.column_type, c.template, c.body)
        for c in site.columns.values()
    ]
    series = [
        (s.name, s.slug, [(r.url, r.title, r.year) for r in s.reports])
        for s in site.series.values()
    ]
    # Templates are not here: each page's key has the digest of the templates it uses.
    strings_dirs = [theme.dir / "i18n", config.root / "i18n"]
    return _hash(
        __version__,
        code_digest(),
        flags,
        config_text,
        files_digest(strings_dirs),
        json.dumps(
            [columns, series, site.years, [c.key for c in site.nav]],
            default=str,
            ensure_ascii=False,
        ),
    )


class TemplateDigests:
    """The digest of a template together with every template it extends, includes or
    imports, so that editing one template re-renders only the pages that use it; and
    whether any of them reads every report (``site.reports``), which the page key must
    then cover too."""

    WHOLE_SITE = ("site.reports", "reports_under(")

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.memo: dict[str, tuple[str, bool]] = {}

    def of(self, name: str) -> tuple[str, bool]:
        if name in self.memo:
            return self.memo[name]
        self.memo[name] = (_hash("cycle", name), False)  # a template that includes itself
        try:
            source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            self.memo[name] = (_hash("missing", name), False)
            return self.memo[name]
        try:
            referenced = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
        except jinja2.TemplateSyntaxError:
            referenced = []
        names = sorted(r for r in referenced if r is not None)
        if None in referenced:  # a template name computed at run time: depend on all of them
            names = [n for n in sorted(self.env.list_templates()) if n != name]
        parts = [name, source]
        whole_site = any(marker in source for marker in self.WHOLE_SITE)
        for ref in names:
            digest, reads_all = self.of(ref)
            parts.append(digest)
            whole_site = whole_site or reads_all
        self.memo[name] = (_hash(*parts), whole_site)
        return self.memo[name]


class PageKeys:
    """Computes page keys, hashing each report and each template once."""

    def __init__(self, site: Site, theme: Theme, flags: str, env: jinja2.Environment):
        self.base = site_digest(site, theme, flags)
        self.reports = {id(r): report_digest(r) for r in site.reports}
        self.templates = TemplateDigests(env)
        self.all_reports = _hash(*self.reports.values())

    def report_changed(self, report: Report) -> None:
        """Take in a report whose file was edited in place (the dev server's quick path)."""
        self.reports[id(report)] = report_digest(report)
        self.all_reports = _hash(*self.reports.values())

    def _r(self, report: Report | None) -> str:
        return self.reports.get(id(report), "") if report is not None else ""

    def key(self, page: Page) -> str:
        template, whole_site = self.templates.of(page.template)
        parts = [
            self.base,
            template,
            self.all_reports if whole_site else "",
            page.kind,
            page.url,
            page.template,
            page.title,
            str(page.year),
            page.column.key if page.column is not None else "",
            self._r(page.report),
            self._r(page.newer),
            self._r(page.older),
            ",".join(map(str, page.years)),
            str(page.lastmod),
        ]
        parts += [self._r(r) for r in page.reports]
        for group in page.groups:
            parts.append(group.column.key)
            parts += [self._r(r) for r in group.reports]
        if page.paginator is not None:
            parts += [str(page.paginator.number), *page.paginator.urls]
        if page.series is not None:
            parts += [self._r(r) for r in page.series.reports]
        for name, shown in sorted(page.shows.items()):  # what a page kind declares it shows
            parts += [name, *(self._r(r) for r in shown)]
        parts.append(repr(page.subject))
        return _hash(*parts)


def input_fingerprint(source: Path, flags: str) -> str:
    """A hash of the name, size and modification time of every file a build reads."""
    from .theme import PACKAGE_DIR

    folders = [
        source / n for n in ("content", "templates", "static", "i18n", "archetypes", "themes")
    ]
    folders += [PACKAGE_DIR, PACKAGE_DIR / "themes", PACKAGE_DIR.parent / "themes"]
    parts = [__version__, flags]
    config = source / "sitegen.yaml"
    if config.is_file():
        stat = config.stat()
        parts.append(f"sitegen.yaml {stat.st_size} {stat.st_mtime_ns}")
    seen: set[Path] = set()
    for folder in folders:
        real = folder.resolve()
        if real in seen or not real.is_dir():
            continue
        seen.add(real)
        stats: dict[str, list[int]] = {}
        file_stats(real, stats)
        parts.append(str(real))
        parts += [f"{rel} {size} {mtime}" for rel, (size, mtime) in sorted(stats.items())]
    return _hash(*parts)


class BuildCache:
    """page output path → [key, size, mtime_ns] of the file the last build wrote.

    It also remembers the fingerprint of the inputs and the state of the whole output
    folder, so that a build whose inputs and output are as the last one left them (and
    before any report becomes due or expires) does no work at all.
    """

    def __init__(self, root: Path, output: Path, enabled: bool = True):
        self.folder = root / CACHE_DIR
        self.output = output
        self.enabled = enabled
        self.entries: dict[str, list] = {}
        self.last: dict = {}
        self.output_id = str(output.resolve())
        self.damaged: list[Path] = []  # cache files found damaged (and discarded)
        self.warned: list | None = None  # the warning about them, not replayed by a no-op build
        if enabled:
            self._load_manifest()

    def _load_manifest(self) -> None:
        path = self.folder / MANIFEST
        try:
            data = marshal.loads(cachefile.read(path))
            if not isinstance(data, dict):
                raise Damaged
        except FileNotFoundError:
            return
        except (OSError, Damaged, ValueError, EOFError, TypeError):
            self.damaged.append(path)  # the next successful build writes it again
            return
        if data.get("output") == self.output_id and data.get("version") == __version__:
            self.entries = data.get("pages", {})
            self.last = data

    def _discard(self, path: Path) -> None:
        """Forget a damaged file, so that the next build does not find it again."""
        self.damaged.append(path)
        with contextlib.suppress(
            OSError
        ):  # then a later build warns again: better than trusting it
            path.unlink(missing_ok=True)

    def check_templates(self) -> None:
        """Discard damaged compiled templates before Jinja (or a worker) meets them."""
        folder = self.folder / TEMPLATES
        if self.enabled and folder.is_dir():
            for path in sorted(folder.glob("*.sgc")):
                if not cachefile.is_sound(path):
                    self._discard(path)

    def warn_damage(self, diag: Diagnostics) -> None:
        """One warning for all the damaged cache files this build found."""
        if not self.damaged:
            return
        shown = [f"{CACHE_DIR}/{p.relative_to(self.folder).as_posix()}" for p in self.damaged]
        more = f" ({len(shown)} files: {', '.join(shown)})" if len(shown) > 1 else ""
        message = f"the build cache was damaged and is rebuilt{more}"
        hint = "nothing to do: this build made the damaged parts again; if it happens often, check the disk"
        diag.warn(shown[0], message, hint=hint)
        self.warned = [shown[0], message, None, hint]

    def reports(self) -> ReportMemo:
        """Reports loaded by earlier builds (pickled: the cache is the site's own folder)."""
        known: dict[str, tuple] = {}
        timezones: dict[str, str] = {}
        folder = self.folder / REPORTS
        if self.enabled and folder.is_dir():
            for path in sorted(folder.glob("*.sgc")):
                try:
                    data = pickle.loads(cachefile.read(path))
                    if data["version"] != __version__ or data["code"] != code_digest():
                        continue
                    known.update(data["reports"])
                    timezones[data["shard"]] = data["timezone"]
                except (
                    OSError,
                    Damaged,
                    pickle.UnpicklingError,
                    EOFError,
                    KeyError,
                    AttributeError,
                    TypeError,
                    ValueError,
                ):
                    self._discard(path)  # its reports are read again and the shard rewritten
        return ReportMemo(known, timezones)

    def save_reports(self, memo: ReportMemo) -> None:
        """Write the shards of the report cache that changed in this build."""
        if not self.enabled:
            return
        folder = self.folder / REPORTS
        folder.mkdir(parents=True, exist_ok=True)
        for name in sorted(memo.dirty_shards()):
            target = folder / f"{_hash('shard', name)}.sgc"
            entries = memo.shard(name)
            if not entries:
                target.unlink(missing_ok=True)
                continue
            data = {
                "version": __version__,
                "code": code_digest(),
                "shard": name,
                "timezone": memo.timezone,
                "reports": entries,
            }
            cachefile.write(target, pickle.dumps(data, pickle.HIGHEST_PROTOCOL))

    def unchanged(self, fingerprint: str, now: dt.datetime) -> dict | None:
        """The last build's summary when nothing it depends on has changed since."""
        last = self.last
        if not self.enabled or last.get("fingerprint") != fingerprint:
            return None
        until = last.get("valid_until")
        if until and now >= dt.datetime.fromisoformat(until):
            return None
        files: dict[str, list[int]] = {}
        file_stats(self.output, files)
        if files != last.get("outputs"):
            return None
        return last.get("summary")

    def fresh(self, rel: str, key: str, stats: dict[str, list[int]]) -> bool:
        """True when output/rel is exactly what the last build made from the same key
        (``stats``: the output folder as it is now, from the writer's scan)."""
        entry = self.entries.get(rel)
        if not self.enabled or entry is None or entry[0] != key:
            return False
        return stats.get(rel) == entry[1:]

    def save(
        self,
        keys: dict[str, str],
        outputs: dict[str, list[int]],
        fingerprint: str = "",
        valid_until: dt.datetime | None = None,
        summary: dict | None = None,
    ) -> None:
        """Record the keys of the pages now in output/ and the stats of all its files."""
        if not self.enabled:
            return
        pages = {rel: [key, *outputs[rel]] for rel, key in keys.items() if rel in outputs}
        if summary is not None and self.warned is not None:
            kept = [w for w in summary.get("warnings", []) if w != self.warned]
            summary = {**summary, "warnings": kept}
        self.folder.mkdir(exist_ok=True)
        data = {
            "version": __version__,
            "output": self.output_id,
            "fingerprint": fingerprint,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "summary": summary,
            "outputs": outputs,
            "pages": pages,
        }
        cachefile.write(self.folder / MANIFEST, marshal.dumps(data))
        gitignore = self.folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
