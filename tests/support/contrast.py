"""WCAG 2.2 contrast (success criterion 1.4.3), computed here independently of the app's
own helper (facilitation/charts.py), so a test checks the app rather than itself."""

from __future__ import annotations

# 4.5:1 for text under 24 px (18.66 px bold); 3:1 above. Chart labels are under 24 px.
NORMAL_TEXT = 4.5
LARGE_TEXT = 3.0

_NAMED = {"white": "#ffffff", "black": "#000000"}


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rgb``, ``#rrggbb``, ``rgb(r, g, b)`` or white/black as three 0-255 channels."""
    colour = _NAMED.get(colour.strip().lower(), colour.strip())
    if colour.startswith("rgb"):
        parts = colour[colour.index("(") + 1 : colour.index(")")].split(",")
        return tuple(int(float(part)) for part in parts[:3])  # type: ignore[return-value]
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    darker, lighter = sorted((relative_luminance(foreground), relative_luminance(background)))
    return (lighter + 0.05) / (darker + 0.05)


def required_ratio(size_px: float, bold: bool = False) -> float:
    large = size_px >= 24 or (bold and size_px >= 18.66)
    return LARGE_TEXT if large else NORMAL_TEXT
