"""Word's symbol characters (w:sym: a code in Symbol or Wingdings) as the Unicode they show."""

from __future__ import annotations

import unicodedata

# Symbol: Greek letters and the signs of mathematics, by the font's own codes.
_GREEK = dict(
    zip(
        "ABCDEFGHIKLMNOPQRSTUWXYZabcdefghiklmnopqrstuwxyz",
        "ΑΒΧΔΕΦΓΗΙΚΛΜΝΟΠΘΡΣΤΥΩΞΨΖαβχδεφγηικλμνοπθρστυωξψζ",
        strict=True,
    )
)
SYMBOL = {ord(code): char for code, char in _GREEK.items()} | {
    0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅", 0x5C: "∴", 0x5E: "⊥",
    0x7E: "∼", 0xA2: "′", 0xA3: "≤", 0xA5: "∞", 0xA7: "♣", 0xA8: "♦", 0xA9: "♥", 0xAA: "♠",
    0xAB: "↔", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB2: "″",
    0xB3: "≥", 0xB4: "×", 0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡",
    0xBB: "≈", 0xBC: "…", 0xC6: "∅", 0xC7: "∩", 0xC8: "∪", 0xCE: "∈", 0xCF: "∉", 0xD0: "∠",
    0xD1: "∇", 0xD2: "®", 0xD3: "©", 0xD4: "™", 0xD5: "∏", 0xD6: "√", 0xD7: "⋅", 0xD8: "¬",
    0xD9: "∧", 0xDA: "∨", 0xDB: "⇔", 0xDC: "⇐", 0xDD: "⇑", 0xDE: "⇒", 0xDF: "⇓", 0xE0: "◊",
    0xE2: "®", 0xE3: "©", 0xE4: "™", 0xE5: "∑", 0xF2: "∫",
}  # fmt: skip
# Wingdings: the boxes, ticks, bullets, circled numbers and arrows of forms and lists.
WINGDINGS = {
    0x28: "☎", 0x2A: "✉", 0x4A: "☺", 0x4C: "☹", 0x6C: "●", 0x6D: "❍", 0x6E: "■", 0x6F: "□",
    0x71: "❑", 0x72: "❒", 0x75: "◆", 0x76: "❖", 0x77: "⬥", 0x9E: "·", 0x9F: "•", 0xA0: "▪",
    0xA1: "○", 0xA4: "◉", 0xA5: "◎", 0xA7: "▪", 0xA8: "◻", 0xAA: "✦", 0xAB: "★", 0xD8: "➢",
    0xE8: "➔", 0xEF: "⇦", 0xF0: "⇨", 0xF1: "⇧", 0xF2: "⇩", 0xFB: "✗", 0xFC: "✓", 0xFD: "☒",
    0xFE: "☑",
} | {0x80 + n: chr(0x2460 + n - 1) for n in range(1, 11)} | {0x80: "⓪"}  # fmt: skip
FONTS = {"symbol": SYMBOL, "wingdings": WINGDINGS}


def symbol_text(font: str, code: str) -> str | None:
    """The character a w:sym shows, or None when it cannot be told (notice it instead).

    Word writes the code in hex, moved to U+F0xx for a symbol font; in a font that is not
    a symbol font the code is the character itself."""
    try:
        value = int(code, 16)
    except ValueError:
        return None
    table = FONTS.get(" ".join(font.lower().split()))
    if table is not None:
        if 0xF000 <= value <= 0xF0FF:
            value -= 0xF000
        return table.get(value)
    if (
        0xF000 <= value <= 0xF0FF
        or value > 0x10FFFF
        or font.lower().startswith(("wingdings", "webdings"))
    ):
        return None  # a symbol font we have no table for, or a private code
    char = chr(value)
    return char if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn") else None
