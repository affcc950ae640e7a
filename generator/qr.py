"""QR codes of page URLs as inline SVG (扫一扫打开当前页), made at build time.

A site makes one code per report page, thousands per build, so the encoder here is
written for that one case and for speed (ISO/IEC 18004): byte mode, error correction
level M, data mask 0 (any mask decodes; scoring all eight would cost ten times the
encoding). Everything that depends only on the version (function patterns, the order
in which data modules are placed, the mask) is worked out once per version; encoding a
URL is then integer arithmetic and one C-level gather. The tests check every module
against segno's encoder for all 40 versions and decode rendered codes with ZXing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

QUIET_ZONE = 4  # modules of white border, as the QR standard asks

# Level M: error correction codewords per block, and blocks, for versions 1–40.
ECC_PER_BLOCK = (0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
                 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28)  # fmt: skip
BLOCKS = (0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
          23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49)  # fmt: skip
LEVEL_M = 0b00
MASK = 0

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _EXP[_i + 255] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D


def _multiply(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@cache
def _ecc_rows(degree: int) -> tuple[int, ...]:
    """For each leading factor 0–255, the generator polynomial times it, as one integer."""
    divisor = [0] * (degree - 1) + [1]  # coefficients, highest power first, monic omitted
    root = 1
    for _ in range(degree):
        for j in range(degree):
            divisor[j] = _multiply(divisor[j], root)
            if j + 1 < degree:
                divisor[j] ^= divisor[j + 1]
        root = _multiply(root, 0x02)
    return tuple(int.from_bytes(bytes(_multiply(c, f) for c in divisor), "big") for f in range(256))


def _ecc(data: bytes, degree: int) -> bytes:
    """Reed–Solomon remainder of ``data`` (polynomial division, the remainder as an int)."""
    rows = _ecc_rows(degree)
    shift = 8 * (degree - 1)
    full = (1 << (8 * degree)) - 1
    rem = 0
    for byte in data:
        rem = ((rem << 8) & full) ^ rows[(rem >> shift) ^ byte]
    return rem.to_bytes(degree, "big")


def _raw_modules(version: int) -> int:
    """Modules left for data and error correction once function patterns are drawn."""
    result = (16 * version + 128) * version + 64
    if version >= 2:
        aligns = version // 7 + 2
        result -= (25 * aligns - 10) * aligns - 55
        if version >= 7:
            result -= 36
    return result


def _data_capacity(version: int) -> int:
    """Data codewords of a version at level M."""
    return _raw_modules(version) // 8 - ECC_PER_BLOCK[version] * BLOCKS[version]


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    aligns = version // 7 + 2
    step = 26 if version == 32 else (version * 4 + aligns * 2 + 1) // (aligns * 2 - 2) * 2
    size = version * 4 + 17
    return [6, *sorted(size - 7 - i * step for i in range(aligns - 1))]


def _bch(data: int, bits: int, poly: int) -> int:
    rem = data
    for _ in range(bits):
        rem = (rem << 1) ^ ((rem >> (bits - 1)) * poly)
    return data << bits | rem


@dataclass(frozen=True)
class _Layout:
    """What every code of one version shares."""

    size: int
    capacity: int  # data codewords
    cells: str  # "0"/"1" per module of the function patterns, row by row
    gather: itemgetter  # (cells + data bits + "\n") → the rows, each ending in "\n"
    data_modules: int
    mask: int  # the data mask over the data modules, in placement order


@cache
def _layout(version: int) -> _Layout:
    size = version * 4 + 17
    dark = [[False] * size for _ in range(size)]
    function = [[False] * size for _ in range(size)]

    def put(x: int, y: int, value: bool | int) -> None:
        dark[y][x] = bool(value)
        function[y][x] = True

    for i in range(size):  # timing patterns
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):  # finders with their separators
        for dy in range(-4, 5):
            for dx in range(-4, 5):
                if 0 <= cx + dx < size and 0 <= cy + dy < size:
                    put(cx + dx, cy + dy, max(abs(dx), abs(dy)) not in (2, 4))
    positions = _alignment_positions(version)
    last = len(positions) - 1
    for i, ax in enumerate(positions):
        for j, ay in enumerate(positions):
            if (i, j) in ((0, 0), (0, last), (last, 0)):
                continue  # the finders are there
            for dy in range(-2, 3):
                for dx in range(-2, 3):
                    put(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1)
    fmt = _bch(LEVEL_M << 3 | MASK, 10, 0x537) ^ 0x5412
    for i in range(15):
        bit = fmt >> i & 1
        if i < 6:
            put(8, i, bit)
        elif i < 8:
            put(8, i + 1, bit)
        elif i == 8:
            put(7, 8, bit)
        else:
            put(14 - i, 8, bit)
        if i < 8:
            put(size - 1 - i, 8, bit)
        else:
            put(8, size - 15 + i, bit)
    put(8, size - 8, True)  # the dark module
    if version >= 7:
        info = _bch(version, 12, 0x1F25)
        for i in range(18):
            a, b = size - 11 + i % 3, i // 3
            put(a, b, info >> i & 1)
            put(b, a, info >> i & 1)

    order: list[int] = []  # data modules in placement order: two-column zigzag from the right
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1  # skip the vertical timing pattern
        upward = (right + 1) & 2 == 0
        for vert in range(size):
            y = size - 1 - vert if upward else vert
            for x in (right, right - 1):
                if not function[y][x]:
                    order.append(y * size + x)
    cells = "".join("1" if dark[y][x] else "0" for y in range(size) for x in range(size))
    where = {cell: size * size + k for k, cell in enumerate(order)}
    newline = size * size + len(order)
    indexes = []
    for y in range(size):
        indexes.extend(where.get(y * size + x, y * size + x) for x in range(size))
        indexes.append(newline)
    mask = 0
    for cell in order:  # mask 0: modules where (row + column) is even are inverted
        mask = mask << 1 | (sum(divmod(cell, size)) % 2 == 0)
    return _Layout(size, _data_capacity(version), cells, itemgetter(*indexes), len(order), mask)


def _data_codewords(payload: bytes, version: int, capacity: int) -> bytes:
    """One byte-mode segment, the terminator, bit padding and the pad codewords."""
    count_bits = 8 if version <= 9 else 16
    value = (0b0100 << count_bits | len(payload)) << 8 * len(payload) | int.from_bytes(payload)
    used = 4 + count_bits + 8 * len(payload)
    terminator = min(4, capacity * 8 - used)
    padding = (-(used + terminator)) % 8
    value <<= terminator + padding
    data = value.to_bytes((used + terminator + padding) // 8, "big")
    return data + (b"\xec\x11" * capacity)[: capacity - len(data)]


def _final_message(data: bytes, version: int) -> bytes:
    """The data split into blocks, each with its error correction, interleaved."""
    blocks, degree = BLOCKS[version], ECC_PER_BLOCK[version]
    raw = _raw_modules(version) // 8
    short_blocks = blocks - raw % blocks
    short_len = raw // blocks - degree  # data codewords of a short block
    parts: list[tuple[bytes, bytes]] = []
    start = 0
    for i in range(blocks):
        end = start + short_len + (i >= short_blocks)
        parts.append((data[start:end], _ecc(data[start:end], degree)))
        start = end
    out = bytearray()
    for i in range(short_len + 1):
        out.extend(block[i] for block, _ in parts if i < len(block))
    for i in range(degree):
        out.extend(ecc[i] for _, ecc in parts)
    return bytes(out)


def version_for(length: int) -> int:
    """The smallest version whose level-M capacity holds ``length`` bytes."""
    for version in range(1, 41):
        count_bits = 8 if version <= 9 else 16
        if 4 + count_bits + 8 * length <= _data_capacity(version) * 8:
            return version
    raise ValueError(f"too long for a QR code: {length} bytes")


def qr_rows(text: str) -> tuple[int, str]:
    """The code of ``text``: its size and its modules, row by row ("1" dark), each row
    followed by a newline."""
    payload = text.encode("utf-8")
    version = version_for(len(payload))
    layout = _layout(version)
    words = _final_message(_data_codewords(payload, version, layout.capacity), version)
    bits = int.from_bytes(words) << (layout.data_modules - 8 * len(words)) ^ layout.mask
    modules = layout.cells + format(bits, f"0{layout.data_modules}b") + "\n"
    return layout.size, "".join(layout.gather(modules))[:-1]


_RUNS = re.compile("1+|0*\n|0+")


@cache
def _run_tokens(size: int) -> dict[str, str]:
    """Path commands for each run of a row, all relative: a dark run draws a line of its
    length, a light one moves on; the end of a row moves back to the next row's start."""
    tokens = {"\n": f"m-{size} 1"}
    for k in range(1, size + 1):
        tokens["1" * k] = f"h{k}"
        tokens["0" * k] = f"m{k} 0"
        tokens["0" * k + "\n"] = f"m{k - size} 1"
    return tokens


def qr_path(size: int, rows: str, border: int) -> str:
    """SVG path data for a 1-unit-wide stroke along each row: one command per run, found
    and translated in C (a code has several hundred runs)."""
    tokens = _run_tokens(size)
    return f"M{border} {border}.5" + "".join(map(tokens.__getitem__, _RUNS.findall(rows)))


def qr_svg(url: str, label: str) -> str:
    """An accessible inline SVG QR code encoding ``url`` exactly."""
    size, rows = qr_rows(url)
    full = size + 2 * QUIET_ZONE
    name = html.escape(label)
    return (
        f'<svg role="img" aria-label="{name}" viewBox="0 0 {full} {full}" class="qr-code" '
        f'xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges"><title>{name}</title>'
        f'<rect width="{full}" height="{full}" fill="#fff"/>'
        f'<path fill="none" stroke="#000" d="{qr_path(size, rows, QUIET_ZONE)}"/></svg>'
    )
