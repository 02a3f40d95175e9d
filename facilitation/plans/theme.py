"""A plan's ``theme:``: the projector's accent colour, light or dark, and a logo.

The colours are checked here, against the page each mode draws on, so that a plan cannot
make the projector unreadable: an accent marks bars and rules (graphics, WCAG 1.4.11:
3:1 against the page) and carries the numbers written on bars (1.4.3: white or ink,
whichever contrasts more, must reach 4.5:1).

The logo is a file in the plans folder, named by the plan. The name is checked wherever
a plan is read; the file itself where the folder is known (a plan file, a plan saved in the
app) and again each time it is served (``logo_file``), since files change. Only PNG, JPEG
and WebP, told by their first bytes rather than their name: an SVG can carry script.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from yaml.nodes import ScalarNode

from ..charts import INK, WHITE, contrast
from .model import THEME_MODES, Theme
from .reader import NULL, Fields, Reader, join

THEME_FIELDS = ("accent", "mode", "logo")
HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")
# The page each mode draws on; static/css/screen-theme.css paints the same.
PAPER = {"light": "#ffffff", "dark": "#121418"}
GRAPHICS_RATIO = 3.0  # WCAG 1.4.11: bars and rules against the page
TEXT_RATIO = 4.5  # WCAG 1.4.3: numbers written on an accent-coloured bar
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_NAME = 100
LOGO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpe?g|webp)\Z", re.IGNORECASE)
LOGO_TYPES = (
    # (what the file starts with, at which offset, its Content-Type)
    ((b"\x89PNG\r\n\x1a\n", 0), "image/png"),
    ((b"\xff\xd8\xff", 0), "image/jpeg"),
    ((b"WEBP", 8), "image/webp"),  # after "RIFF" and the length
)


class LogoProblem(ValueError):
    """Why a logo file cannot be used, worded for the plan's author."""


def read_theme(reader: Reader, fields: Fields, folder: Path | None) -> Theme:
    """The plan's ``theme:``; with ``folder``, its logo file is checked too."""
    theme = reader.section(
        fields,
        "theme",
        THEME_FIELDS,
        'a set of fields: accent (a colour like "#1d5e9e"), mode (light or dark) and logo',
    )
    if theme is None:
        return Theme()
    mode = _mode(reader, theme)
    accent = _accent(reader, theme, mode)
    logo = _logo(reader, theme, folder)
    return Theme(accent=accent, mode=mode, logo=logo)


def _scalar(reader: Reader, fields: Fields, name: str, what: str) -> tuple[str, ScalarNode | None]:
    entry = fields.get(name)
    if entry is None:
        return "", None
    node = entry[1]
    if not isinstance(node, ScalarNode):
        reader.error(node, join(fields.path, name), f"must be {what}")
        return "", None
    return ("" if node.tag == NULL else node.value.strip()), node


def _mode(reader: Reader, fields: Fields) -> str:
    value, node = _scalar(reader, fields, "mode", " or ".join(THEME_MODES))
    if node is None or (not value and node.tag == NULL):
        return THEME_MODES[0]
    if value not in THEME_MODES:
        reader.error(node, join(fields.path, "mode"), f"must be {' or '.join(THEME_MODES)}")
        return THEME_MODES[0]
    return value


def _accent(reader: Reader, fields: Fields, mode: str) -> str:
    path = join(fields.path, "accent")
    value, node = _scalar(reader, fields, "accent", 'a colour like "#1d5e9e"')
    if node is None:
        return ""
    if not value:
        # `accent: #1d5e9e` unquoted is a comment to YAML, so the field reads as empty.
        reader.error(
            node,
            path,
            'needs a colour in quotes, like accent: "#1d5e9e" (YAML reads an unquoted # as '
            "the start of a comment)",
        )
        return ""
    if not HEX.match(value):
        reader.error(
            node, path, f'must be a colour written #rrggbb, like "#1d5e9e" (not {value!r})'
        )
        return ""
    problem = accent_problem(value.lower(), mode)
    if problem:
        reader.error(node, path, problem)
        return ""
    return value.lower()


def accent_problem(accent: str, mode: str) -> str | None:
    """Why ``accent`` cannot be used on the ``mode`` page, or None when it can."""
    paper = PAPER[mode]
    against_page = contrast(accent, paper)
    if against_page < GRAPHICS_RATIO:
        return (
            f"{accent} contrasts {against_page:.2f}:1 with the {mode} page ({paper}); bars "
            f"and rules need at least {GRAPHICS_RATIO:.0f}:1: choose a "
            f"{'darker' if mode == 'light' else 'lighter'} colour"
        )
    on_bar = max(contrast(accent, WHITE), contrast(accent, INK))
    if on_bar < TEXT_RATIO:
        return (
            f"{accent} is a mid-tone: the numbers written on its bars reach only "
            f"{on_bar:.2f}:1 in white or black, under the {TEXT_RATIO}:1 text needs; choose a "
            "darker or lighter colour"
        )
    return None


def _logo(reader: Reader, fields: Fields, folder: Path | None) -> str:
    path = join(fields.path, "logo")
    value, node = _scalar(reader, fields, "logo", "the name of an image file, like logo.png")
    if node is None or not value:
        return ""
    problem = logo_name_problem(value)
    if problem is None and folder is not None:
        try:
            logo_file(folder, value)
        except LogoProblem as why:
            problem = str(why)
    if problem:
        reader.error(node, path, problem)
        return ""
    return value


def logo_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a logo in the plans folder, or None when it can."""
    if "/" in name or "\\" in name or name.startswith("."):
        return (
            "must be the name of a file in the plans folder itself, like logo.png: "
            "no folders, no '..' and no absolute path"
        )
    if len(name) > MAX_LOGO_NAME:
        return f"must be a file name of at most {MAX_LOGO_NAME} characters"
    if not LOGO_NAME.match(name):
        return (
            "must be a PNG, JPEG or WebP image named with letters, digits, '.', '-' or '_' "
            "(like logo.png); SVG is not accepted, as it can carry script"
        )
    return None


def logo_file(folder: str | Path, name: str) -> tuple[bytes, str]:
    """(the bytes, the Content-Type) of the logo ``name`` in ``folder``; LogoProblem when
    the name, the file or its contents will not do."""
    problem = logo_name_problem(name)
    if problem is not None:
        raise LogoProblem(problem)
    path = Path(folder) / name
    try:
        # O_NOFOLLOW: a link in the folder could point anywhere on the server.
        # O_NONBLOCK: a FIFO named like an image must not hang the request that opens it.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        handle = os.open(path, flags)
    except FileNotFoundError:
        raise LogoProblem(f"there is no file {name} in the plans folder") from None
    except OSError:
        if path.is_symlink():
            raise LogoProblem(
                f"{name} is a link to another file: copy the image into the plans folder"
            ) from None
        raise LogoProblem(f"{name} cannot be read") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise LogoProblem(f"{name} is not a file")
    with os.fdopen(handle, "rb") as file:
        if info.st_size > MAX_LOGO_BYTES:
            raise LogoProblem(
                f"{name} is too big: at most {MAX_LOGO_BYTES // 1024} KB "
                f"(this one has {-(-info.st_size // 1024)} KB)"
            )
        data = file.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:  # it grew since
        raise LogoProblem(f"{name} is too big: at most {MAX_LOGO_BYTES // 1024} KB")
    for (magic, offset), content_type in LOGO_TYPES:
        if data[offset : offset + len(magic)] == magic and (offset == 0 or data[:4] == b"RIFF"):
            return data, content_type
    raise LogoProblem(
        f"{name} is not a PNG, JPEG or WebP image (by its contents, whatever its name says)"
    )


def logo_names(folder: str | Path) -> list[str]:
    """The image files in ``folder`` a plan may name as its logo (for the editor)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(
        path.name
        for path in folder.iterdir()
        if logo_name_problem(path.name) is None and path.is_file() and not path.is_symlink()
    )
