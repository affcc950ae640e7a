"""The pixel size of a PNG, JPEG, GIF or WebP file, read from its header (no decoding).

Small on purpose: each format states its size in the first bytes (JPEG in the frame
header after its other segments), so a page can give every image ``width`` and
``height`` without a dependency.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

# JPEG start-of-frame markers (baseline, progressive, lossless …), not DHT/JPG/DAC.
SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(path: str | Path) -> tuple[int, int] | None:
    """(width, height) in pixels, or None when the file is none of the four formats
    (or is damaged, or cannot be read)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(32)
            size = _size(head, stream)
    except (OSError, struct.error):
        return None
    if size is None or size[0] <= 0 or size[1] <= 0:
        return None
    return size


def _size(head: bytes, stream: BinaryIO) -> tuple[int, int] | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp(head)
    if head[:2] == b"\xff\xd8":
        return _jpeg(stream)
    return None


def _webp(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        # The lossy frame header follows the chunk header (8 bytes) and a 3-byte tag.
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20:21] == b"\x2f":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    return None


def _jpeg(stream: BinaryIO) -> tuple[int, int] | None:
    """Walk the segments after SOI up to the first frame header."""
    stream.seek(2)
    while True:
        byte = stream.read(1)
        while byte and byte != b"\xff":  # stray bytes between segments
            byte = stream.read(1)
        while byte == b"\xff":  # fill bytes
            byte = stream.read(1)
        if not byte:
            return None
        marker = byte[0]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue  # markers without a length
        if marker in (0xD9, 0xDA):
            return None  # end of image, or scan data before any frame header
        length = struct.unpack(">H", stream.read(2))[0]
        if marker in SOF_MARKERS:
            height, width = struct.unpack(">xHH", stream.read(5))
            return width, height
        if length < 2:
            return None
        stream.seek(length - 2, 1)
