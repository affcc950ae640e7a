"""The file format of the build cache: a payload behind a header with its checksum.

Each file is ``MAGIC``, a 16-byte blake2b digest of the payload, then the payload. A file
that is short, has another header or whose payload does not match its digest (a flipped
bit, a half-written or foreign file) reads as damaged, never as data. Files are written
to a temporary name and moved into place, so a build that is stopped leaves no half file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MAGIC = b"sitegen-cache 1\n"
DIGEST_SIZE = 16
# Compiled templates; the name carries the escaping policy: code compiled under another
# is not reused.
TEMPLATE_CACHE_NAME = "__jinja2_%s.esc-hxs.sgc"


class Damaged(Exception):
    """A cache file whose bytes are not what sitegen wrote."""


def pack(payload: bytes) -> bytes:
    return MAGIC + hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() + payload


def unpack(data: bytes) -> bytes:
    """The payload of a cache file's bytes; ``Damaged`` when they do not check out."""
    start = len(MAGIC) + DIGEST_SIZE
    if len(data) < start or not data.startswith(MAGIC):
        raise Damaged
    payload = memoryview(data)[start:]
    if hashlib.blake2b(payload, digest_size=DIGEST_SIZE).digest() != data[len(MAGIC) : start]:
        raise Damaged
    return bytes(payload)


def read(path: Path) -> bytes:
    """The payload of a cache file (``OSError`` when it cannot be read, ``Damaged``)."""
    return unpack(path.read_bytes())


def write(path: Path, payload: bytes) -> None:
    """Write a cache file atomically: a temporary file beside it, then a rename."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(pack(payload))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def is_sound(path: Path) -> bool:
    """True when the file reads back as sitegen wrote it."""
    try:
        read(path)
    except (OSError, Damaged):
        return False
    return True
