"""The manifest of a build (``pages.sgc``): what the last build wrote into its output
folder, each page with its key, and the fingerprint and summary that let a build with
nothing to do return at once.

Every file of the cache carries a checksum (see ``cachefile``): a damaged one is
discarded with one warning and its part is made again, as in a clean build. A build and
the dev server keep separate manifests (``.sitegen-cache/`` and
``.sitegen-cache/serve/``), so neither invalidates the other; they share the report
store and the compiled templates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, cachefile
from ..cachefile import Damaged
from ..errors import Diagnostics
from ..messages import _
from ..writer import file_stats
from . import reports
from .digest import code_digest
from .reports import ReportMemo

if TYPE_CHECKING:  # the no-op check loads this module, and none of the model
    from ..pages.catalogue import CatalogueRows

CACHE_DIR = ".sitegen-cache"
SERVE_DIR = "serve"  # the dev server's own output and manifest, under CACHE_DIR
MANIFEST = "pages.sgc"  # marshal: ten times faster than JSON for 20,000 entries
REPORTS = reports.FOLDER
SERVE_SITE = "site"  # the dev server's output folder, under SERVE_DIR
TEMPLATES = "templates"  # Jinja's compiled templates
CATALOGUE = "catalogue.sgc"  # marshal: the catalogue's rows (pages.catalogue.CatalogueRows)


def serve_output(source: Path) -> Path:
    """The output folder of ``sitegen serve`` for the site in ``source``."""
    return source / CACHE_DIR / SERVE_DIR / SERVE_SITE


def is_serve_output(source: Path, output: Path) -> bool:
    return output.resolve() == serve_output(source).resolve()


class BuildCache:
    """page output path → [key, size, mtime_ns] of the file the last build wrote.

    It also remembers the fingerprint of the inputs and the state of the whole output
    folder, so that a build whose inputs and output are as the last one left them (and
    before any report becomes due or expires) does no work at all.
    """

    def __init__(self, root: Path, output: Path, enabled: bool = True, serve: bool = False):
        self.store = root / CACHE_DIR  # the report store and compiled templates: shared
        self.folder = self.store / SERVE_DIR if serve else self.store
        self.output = output
        self.enabled = enabled
        self.entries: dict[str, list] = {}
        self.reads: dict[str, list[str]] = {}  # facets pages read beyond their declaration
        self.copies: dict[str, list[int]] = {}  # copied file → source [size, mtime_ns, inode]
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
            self.reads = data.get("reads", {})
            self.copies = data.get("copies", {})
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
        folder = self.store / TEMPLATES
        if self.enabled and folder.is_dir():
            for path in sorted(folder.glob("*.sgc")):
                if not cachefile.is_sound(path):
                    self._discard(path)

    def warn_damage(self, diag: Diagnostics) -> None:
        """One warning for all the damaged cache files this build found."""
        if not self.damaged:
            return
        shown = [f"{CACHE_DIR}/{p.relative_to(self.store).as_posix()}" for p in self.damaged]
        message = (
            _(
                "the build cache was damaged and is rebuilt ({count} files: {files})",
                count=len(shown),
                files=", ".join(shown),
            )
            if len(shown) > 1
            else _("the build cache was damaged and is rebuilt")
        )
        hint = _(
            "nothing to do: this build made the damaged parts again; if it happens often, "
            "check the disk"
        )
        diag.warn(shown[0], message, hint=hint)
        self.warned = [shown[0], message, None, hint]

    def reports(self) -> ReportMemo:
        """Reports loaded by earlier builds (see :mod:`.reports`)."""
        if not self.enabled:
            return ReportMemo()
        return reports.load(self.store, self._discard)

    def catalogue_rows(self) -> dict:
        """The catalogue's rows as the last build made them (shared with the dev server:
        they do not depend on the output folder)."""
        path = self.store / CATALOGUE
        if not self.enabled:
            return {}
        try:
            data = marshal.loads(cachefile.read(path))
            if not isinstance(data, dict):
                raise Damaged
        except FileNotFoundError:
            return {}
        except (OSError, Damaged, ValueError, EOFError, TypeError):
            self._discard(path)
            return {}
        if data.get("version") != __version__ or data.get("code") != code_digest():
            return {}
        return data.get("rows", {})

    def save_catalogue_rows(self, rows: CatalogueRows) -> None:
        """Keep the rows this build showed, when they are not what the last build kept."""
        if self.enabled and rows.changed():
            data = {"version": __version__, "code": code_digest(), "rows": rows.used}
            try:
                payload = marshal.dumps(data)
            except ValueError:  # a value marshal cannot keep: the next build makes the rows
                return
            self.store.mkdir(parents=True, exist_ok=True)
            cachefile.write(self.store / CATALOGUE, payload)

    def save_reports(self, memo: ReportMemo) -> None:
        """Write the shards of the report store that changed in this build."""
        if self.enabled:
            reports.save(self.store, memo)

    def unchanged(self, fingerprint: str, now: dt.datetime, skip: str = "") -> dict | None:
        """The last build's summary when nothing it depends on has changed since (files
        under ``skip``, the dev server's own, are not compared)."""
        last = self.last
        if not self.enabled or last.get("fingerprint") != fingerprint:
            return None
        until = last.get("valid_until")
        if until and now >= dt.datetime.fromisoformat(until):
            return None
        files: dict[str, list[int]] = {}
        file_stats(self.output, files)
        recorded = last.get("outputs") or {}
        if skip:
            files = {rel: s for rel, s in files.items() if not rel.startswith(skip)}
            recorded = {rel: s for rel, s in recorded.items() if not rel.startswith(skip)}
        if files != recorded:
            return None
        return last.get("summary")

    def fresh(self, rel: str, key: str, stats: dict[str, list[int]]) -> bool:
        """True when output/rel is exactly what the last build made from the same key
        (``stats``: the output folder as it is now, from the writer's scan)."""
        entry = self.entries.get(rel)
        if not self.enabled or entry is None or entry[0] != key:
            return False
        return stats.get(rel) == entry[1:]

    def copied(self, rel: str, source: list[int], stats: dict[str, list[int]]) -> bool:
        """True when output/rel is the copy the last build made of a source file that has
        not changed since (same size, modification time and inode)."""
        if not self.enabled or self.copies.get(rel) != source:
            return False
        now = stats.get(rel)
        return now is not None and now == (self.last.get("outputs") or {}).get(rel)

    def save(
        self,
        keys: dict[str, str],
        outputs: dict[str, list[int]],
        fingerprint: str = "",
        valid_until: dt.datetime | None = None,
        summary: dict | None = None,
        reads: dict[str, list[str]] | None = None,
        copies: dict[str, list[int]] | None = None,
        template_refs: dict[str, list] | None = None,
    ) -> None:
        """Record the keys of the pages now in output/ and the stats of all its files
        (and the templates each template source refers to, for the next build's keys)."""
        if not self.enabled:
            return
        pages = {rel: [key, *outputs[rel]] for rel, key in keys.items() if rel in outputs}
        if summary is not None and self.warned is not None:
            kept = [w for w in summary.get("warnings", []) if w != self.warned]
            summary = {**summary, "warnings": kept}
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": __version__,
            "output": self.output_id,
            "fingerprint": fingerprint,
            "valid_until": valid_until.isoformat() if valid_until else None,
            "summary": summary,
            "outputs": outputs,
            "pages": pages,
            "reads": {rel: found for rel, found in (reads or {}).items() if rel in pages},
            "copies": {rel: sig for rel, sig in (copies or {}).items() if rel in outputs},
            "template_refs": template_refs or {},
        }
        cachefile.write(self.folder / MANIFEST, marshal.dumps(data))
        gitignore = self.store / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
