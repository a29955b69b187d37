"""QR codes as vector paths for the layouts to draw."""

from __future__ import annotations

from dataclasses import dataclass

import segno


@dataclass(frozen=True)
class QRCode:
    """A QR code as vector data for the layout to draw: modules per side and a path."""

    size: int
    path: str


def qr_code(data: str) -> QRCode:
    """Medium error correction survives print wear; each row of dark modules is one stroke."""
    code = segno.make(data, error="m", micro=False)
    strokes = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                strokes.append(f"M{start} {y + 0.5}h{x - start}")
            else:
                x += 1
    return QRCode(size=code.symbol_size(border=0)[0], path="".join(strokes))
