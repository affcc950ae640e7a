"""站内搜索: index the report pages with Pagefind (extended build, which segments Chinese).

The index is made before anything in output/ changes: the pages to index are hard-linked
(no copying) into a scratch tree from where the writer holds their current bytes, the
Pagefind program indexes that tree, and its bundle goes through the same writer as the
pages, so a failure leaves output/ untouched and unchanged index files are not rewritten.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import Problem

BUNDLE = "pagefind"
INSTALL_HINT = (
    "install it with: pip install 'sitegen[search]' (or set search: false in sitegen.yaml)"
)


class SearchUnavailable(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def pagefind_binary() -> Path:
    """The Pagefind executable; the extended build (Chinese segmentation) when installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchUnavailable(
            Problem(
                "sitegen.yaml",
                "site search needs Pagefind, which is not installed",
                None,
                INSTALL_HINT,
            )
        ) from None
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchUnavailable(
            Problem("sitegen.yaml", "the Pagefind program was not found", None, INSTALL_HINT)
        )
    return Path(binary)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system: copy instead
        shutil.copyfile(source, target)


def build_index(
    files: Iterable[tuple[str, Path]], language: str, scratch_parent: Path
) -> dict[str, bytes]:
    """Pagefind's bundle for the given pages (output path → where its bytes are now)."""
    binary = pagefind_binary()
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=scratch_parent) as tmp:
        site = Path(tmp) / "site"
        out = Path(tmp) / BUNDLE
        site.mkdir()
        for rel, source in files:
            _link(source, site / rel)
        command = [
            str(binary),
            "--site",
            str(site),
            "--output-path",
            str(out),
            "--force-language",
            language.split("-")[0].lower(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise SearchUnavailable(
                Problem(
                    BUNDLE,
                    "building the search index failed: " + " / ".join(detail),
                    None,
                    "set search: false in sitegen.yaml to build without site search",
                )
            )
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }
