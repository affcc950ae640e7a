"""Write the output folder safely: stage everything, then swap in only what changed.

Nothing in ``output/`` is touched until the whole build has succeeded; files whose bytes
did not change keep their modification time (rsync and object-store syncs upload only
changes); files the new build no longer makes are removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .urls import is_inside


def file_stats(folder: Path | str, into: dict[str, list[int]], prefix: str = "") -> None:
    """rel path → [size, mtime_ns] of every file below ``folder`` (os.scandir, and no
    Path object per folder: an output folder has one folder per report)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            file_stats(entry.path, into, rel + "/")
        elif entry.is_file():
            stat = entry.stat()
            into[rel] = [stat.st_size, stat.st_mtime_ns]


# O_BINARY: no newline translation on Windows; O_CLOEXEC: not inherited by other processes.
WRITE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


def write_file(path: str, data: bytes) -> None:
    """Create or replace a file, its folders too, in as few system calls as can be: a
    build writes thousands (open() also asks whether the file is a terminal and where it
    stands; os.makedirs first looks whether each folder exists)."""
    folder = os.path.dirname(path)
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    fd = os.open(path, WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class UnsafeOutput(Exception):
    pass


def check_output_dir(output: Path, source: Path) -> None:
    """Refuse an output folder whose cleaning would destroy the site's own files."""
    output = output.resolve()
    source = source.resolve()
    if output == source or source.is_relative_to(output):
        raise UnsafeOutput(
            f"the output folder {output} contains the site itself; choose another, e.g. --output output"
        )
    if (output / "sitegen.yaml").exists() or (output / "content").is_dir():
        raise UnsafeOutput(f"{output} looks like a site folder (it has sitegen.yaml or content/)")


class OutputWriter:
    def __init__(self, output: Path):
        self.output = output.resolve()
        self.stage = self.output.parent / f".{self.output.name}.staging-{os.getpid()}"
        self.produced: set[str] = set()
        self.changed: list[str] = []
        self.unchanged = 0
        self.kept: list[str] = []
        self.stats: dict[str, list[int]] = {}
        self.scanned = False
        # No output folder yet (a first or clean build): nothing to compare with, no
        # symbolic links inside it to follow; every file goes straight to the stage.
        self.fresh = not self.output.exists()

    def keep(self, prefix: str) -> None:
        """Leave files under ``prefix`` alone when cleaning (e.g. the dev server's own files)."""
        self.kept.append(prefix)

    def _target(self, rel: str) -> Path:
        target = (self.output / rel).resolve()
        if not target.is_relative_to(self.output) or target == self.output:
            raise UnsafeOutput(f"refusing to write {rel!r} outside the output folder")
        return target

    def stage_file(self, rel: str, data: bytes) -> bool:
        """Stage ``data`` for output/rel unless the file already holds it; True if staged.

        Only touches the file system, so worker processes may call it; the process that
        owns the writer then calls :meth:`record`.
        """
        if self.fresh:
            if rel.startswith("/") or not is_inside(rel) or not rel.strip("/"):
                raise UnsafeOutput(f"refusing to write {rel!r} outside the output folder")
        else:
            target = self._target(rel)
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    return False
            except OSError:
                pass
        write_file(os.path.join(self.stage, rel), data)
        return True

    def put(self, rel: str, data: bytes) -> None:
        self.record(rel, self.stage_file(rel, data))

    def record(self, rel: str, changed: bool) -> None:
        """Account for a file that another process staged (or found unchanged)."""
        self.produced.add(rel)
        if changed:
            self.changed.append(rel)
        else:
            self.unchanged += 1

    def current(self, rel: str) -> Path:
        """Where the bytes of a produced file are now: staged when changed, else in output/."""
        staged = self.stage / rel
        return staged if staged.is_file() else self.output / rel

    def keep_existing(self, prefix: str) -> bool:
        """Mark the files already under ``prefix`` in output/ as produced (reused as they are)."""
        folder = self.output / prefix
        if not folder.is_dir():
            return False
        for path in folder.rglob("*"):
            if path.is_file():
                self.produced.add(path.relative_to(self.output).as_posix())
                self.unchanged += 1
        return True

    def copy(self, rel: str, source: Path) -> None:
        self.put(rel, source.read_bytes())

    def scan(self) -> dict[str, list[int]]:
        """Read the output folder's file stats once (the cache compares against them)."""
        self.stats = {}
        file_stats(self.output, self.stats)
        self.scanned = True
        return self.stats

    def commit(self, prune: bool = True) -> int:
        """Move staged files into place and, with ``prune``, delete the files this build
        did not produce; returns files removed.

        Afterwards ``stats`` holds [size, mtime_ns] of every file in the output folder.
        """
        if self.fresh and not self.output.exists():
            # A first build: the staged tree is the whole output; one rename puts it in place.
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.stage.mkdir(parents=True, exist_ok=True)
            os.replace(self.stage, self.output)
            self.scan()
            return 0
        if not self.scanned:
            self.scan()
        for rel in self.changed:
            target = self.output / rel
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.stage / rel, target)
            stat = target.stat()
            self.stats[rel] = [stat.st_size, stat.st_mtime_ns]
        kept = tuple(self.kept)
        stale = [
            rel
            for rel in self.stats
            if prune and rel not in self.produced and not rel.startswith(kept)
        ]
        for rel in stale:
            del self.stats[rel]
            path = self.output / rel
            if path.is_file():
                path.unlink()
            folder = path.parent
            while folder != self.output and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        self.abort()
        return len(stale)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)
