"""sitegen's own QR encoder: module for module what segno makes, and readable by ZXing."""

from __future__ import annotations

import re

import pytest
import segno
import zxingcpp
from PIL import Image

from generator import qr

URL = "https://www.example.gov.cn/xxgk/xwzx/gsgg/2021/%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C/"


def payload_for(version: int) -> str:
    """The shortest ASCII URL (not empty) that needs ``version`` at level M in byte mode."""
    length = next(n for n in range(1, 3000) if qr.version_for(n) == version)
    return (URL * 40)[:length]


def segno_data(payload: bytes, version: int, capacity: int) -> bytes:
    """The data codewords as segno writes them: a whole zero byte follows a terminator
    that ends on a byte boundary (ISO 18004 adds none; decoders stop at the terminator)."""
    count_bits = 8 if version <= 9 else 16
    used = 4 + count_bits + 8 * len(payload)
    value = (0b0100 << count_bits | len(payload)) << 8 * len(payload) | int.from_bytes(payload)
    terminator = min(4, capacity * 8 - used)
    value <<= terminator
    used += terminator
    value <<= 8 - used % 8
    data = value.to_bytes((used + 8 - used % 8) // 8, "big")[:capacity]
    return data + (b"\xec\x11" * capacity)[: capacity - len(data)]


def modules(rows: str) -> list[str]:
    return rows.split("\n")


@pytest.mark.parametrize("version", range(1, 41))
def test_every_module_matches_segno(version: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Function patterns, format and version information, Reed–Solomon blocks, their
    interleaving, the placement zigzag and mask 0 all as segno's encoder has them."""
    monkeypatch.setattr(qr, "_data_codewords", segno_data)
    text = payload_for(version)
    code = segno.make(text, error="m", micro=False, boost_error=False, mode="byte", mask=0)
    size, rows = qr.qr_rows(text)
    assert size == code.symbol_size(border=0)[0]
    expected = ["".join("1" if m else "0" for m in row) for row in code.matrix]
    assert modules(rows) == expected


def rasterise(size: int, rows: str, scale: int = 4) -> Image.Image:
    border = qr.QUIET_ZONE
    image = Image.new("L", ((size + 2 * border) * scale,) * 2, 255)
    for y, row in enumerate(modules(rows)):
        for x, module in enumerate(row):
            if module == "1":
                box = ((x + border) * scale, (y + border) * scale)
                image.paste(0, (*box, box[0] + scale, box[1] + scale))
    return image


@pytest.mark.parametrize("version", [1, 2, 5, 7, 10, 15, 20, 27, 33, 40])
def test_zxing_reads_the_codes_exactly(version: int) -> None:
    text = payload_for(version)
    size, rows = qr.qr_rows(text)
    assert size == 4 * version + 17
    results = zxingcpp.read_barcodes(rasterise(size, rows))
    assert [r.text for r in results] == [text]


def path_modules(d: str, size: int) -> list[str]:
    """Replay the path's relative commands; the dark modules its strokes cover."""
    grid = [["0"] * size for _ in range(size)]
    match = re.match(r"M(\d+) (\d+)\.5", d)
    assert match
    x, y = int(match[1]) - qr.QUIET_ZONE, int(match[2]) - qr.QUIET_ZONE
    for command, dx, dy in re.findall(r"([hm])(-?\d+)(?: (-?\d+))?", d[match.end() :]):
        if command == "h":
            for i in range(int(dx)):
                grid[y][x + i] = "1"
        x, y = x + int(dx), y + int(dy or 0)
    return ["".join(row) for row in grid]


def test_the_svg_draws_exactly_the_dark_modules() -> None:
    svg = qr.qr_svg(URL, "扫一扫打开当前页 <二维码>")
    size, rows = qr.qr_rows(URL)
    full = size + 2 * qr.QUIET_ZONE
    assert f'viewBox="0 0 {full} {full}"' in svg
    assert 'aria-label="扫一扫打开当前页 &lt;二维码&gt;"' in svg
    d = re.search(r' d="([^"]+)"', svg)
    assert d
    assert path_modules(d[1], size) == modules(rows)


def test_a_payload_too_long_for_any_version_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        qr.qr_rows("x" * 2400)
