"""Pixels of Playwright screenshots, for contrast measurements: a small PNG decoder (8-bit RGB or RGBA,
non-interlaced, as Chromium writes them) and the WCAG contrast ratio."""

from __future__ import annotations

import struct
import zlib

Pixel = tuple[int, int, int]


def decode_png(data: bytes) -> tuple[int, int, list[Pixel]]:
    """(width, height, pixels row by row) of an 8-bit RGB(A) PNG; alpha is dropped."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, chunks, header = 8, b"", b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, "unsupported PNG"
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(chunks)
    stride = width * step
    previous = bytearray(stride)
    pixels: list[Pixel] = []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            line[x] = (line[x] + _predict(kind, left, up, corner)) & 0xFF
        pixels += [(line[i], line[i + 1], line[i + 2]) for i in range(0, stride, step)]
        previous = line
    return width, height, pixels


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    """The PNG filter's predictor (0 none, 1 sub, 2 up, 3 average, 4 Paeth)."""
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    guess = left + up - corner
    near = min((abs(guess - left), 0), (abs(guess - up), 1), (abs(guess - corner), 2))[1]
    return (left, up, corner)[near]


def luminance(pixel: Pixel) -> float:
    """WCAG relative luminance of an sRGB pixel."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in pixel]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: Pixel, b: Pixel) -> float:
    """WCAG contrast ratio of two pixels (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
