"""A plan's ``theme:`` (plans/theme.py): the accent's contrast on its mode's page, the mode,
and the logo, by name wherever a plan is read and by its file where the folder is known."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitation.plans import PlanInvalid, load_plan, parse_plan, stored
from facilitation.plans.model import Theme
from facilitation.plans.theme import MAX_LOGO_BYTES, LogoProblem, logo_file, logo_names
from tests.support.contrast import contrast_ratio
from tests.support.images import JPEG, SVG, WEBP, png

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = (ROOT / "sessions" / "data-for-public-benefit.yaml").read_text(encoding="utf-8")
HEAD = """\
title: A workshop
description: What it is for.
privacy_notice: What we keep.
sectors: [Health, Housing]
stages:
  - {key: a, title: A, prompt: P, type: info}
theme:
"""  # the theme's fields start on line 8


def problems(theme: str, folder: Path | None = None) -> list[str]:
    with pytest.raises(PlanInvalid) as raised:
        parse_plan(HEAD + theme, "themed", folder)
    return [str(error) for error in raised.value.errors]


def test_a_plan_without_a_theme_keeps_the_apps_look():
    assert parse_plan(HEAD.replace("theme:\n", ""), "plain").theme == Theme()
    assert parse_plan(HEAD, "empty-theme").theme == Theme()  # `theme:` with nothing


def test_the_built_in_plan_has_no_theme():
    assert load_plan(ROOT / "sessions" / "data-for-public-benefit.yaml").theme == Theme()


def test_a_theme_is_read():
    theme = parse_plan(HEAD + '  accent: "#0B6E4F"\n  mode: light\n', "t").theme
    assert theme == Theme(accent="#0b6e4f", mode="light", logo="")
    dark = parse_plan(HEAD + "  accent: '#7fd1ae'\n  mode: dark\n", "t").theme
    assert dark == Theme(accent="#7fd1ae", mode="dark", logo="")


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        (
            "  accent: #1d5e9e\n",
            'line 8: theme.accent: needs a colour in quotes, like accent: "#1d5e9e" '
            "(YAML reads an unquoted # as the start of a comment)",
        ),
        (
            '  accent: "blue"\n',
            "line 8: theme.accent: must be a colour written #rrggbb, like \"#1d5e9e\" (not 'blue')",
        ),
        ('  accent: "#12345"\n', "line 8: theme.accent: must be a colour written #rrggbb"),
        ('  accent: ["#000000"]\n', 'line 8: theme.accent: must be a colour like "#1d5e9e"'),
        (
            '  accent: "#ffd700"\n',
            "line 8: theme.accent: #ffd700 contrasts 1.40:1 with the light page (#ffffff); "
            "bars and rules need at least 3:1: choose a darker colour",
        ),
        (
            '  accent: "#1d5e9e"\n  mode: dark\n',
            "line 8: theme.accent: #1d5e9e contrasts 2.76:1 with the dark page (#121418); "
            "bars and rules need at least 3:1: choose a lighter colour",
        ),
        (
            '  accent: "#787878"\n',
            "line 8: theme.accent: #787878 is a mid-tone: the numbers written on its bars reach "
            "only 4.42:1 in white or black",
        ),
        ("  mode: dusk\n", "line 8: theme.mode: must be light or dark"),
        ("  colours: x\n", "line 8: theme.colours: unknown field 'colours'"),
        ("  logo: ../logo.png\n", "line 8: theme.logo: must be the name of a file in the plans "),
        ("  logo: /etc/logo.png\n", "line 8: theme.logo: must be the name of a file in the plans "),
        ("  logo: img/logo.png\n", "line 8: theme.logo: must be the name of a file in the plans "),
        ("  logo: .hidden.png\n", "line 8: theme.logo: must be the name of a file in the plans "),
        ("  logo: logo.svg\n", "line 8: theme.logo: must be a PNG, JPEG or WebP image"),
        ("  logo: logo.gif\n", "line 8: theme.logo: must be a PNG, JPEG or WebP image"),
    ],
)
def test_a_broken_theme_is_told_by_line_and_field(theme, expected):
    assert [p for p in problems(theme) if p.startswith(expected)], problems(theme)


def test_the_contrast_in_a_message_is_the_wcag_ratio():
    # Worked out independently (tests/support/contrast.py), so the loader's maths is checked.
    assert round(contrast_ratio("#ffd700", "#ffffff"), 2) == 1.40
    assert round(contrast_ratio("#1d5e9e", "#121418"), 2) == 2.76


def test_a_theme_that_is_not_a_mapping_is_refused():
    assert problems("  - dark\n") == [
        'line 8: theme: must be a set of fields: accent (a colour like "#1d5e9e"), '
        "mode (light or dark) and logo"
    ]


# The logo file, where the folder is known ------------------------------------------------


def themed_file(folder: Path, logo: str) -> Path:
    path = folder / "themed.yaml"
    path.write_text(BUILTIN + f"theme:\n  mode: dark\n  accent: '#7fd1ae'\n  logo: {logo}\n")
    return path


@pytest.mark.parametrize(
    ("name", "data"), [("logo.png", png()), ("logo.jpg", JPEG), ("logo.webp", WEBP)]
)
def test_a_plan_file_names_a_logo_beside_it(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    plan = load_plan(themed_file(tmp_path, name))
    assert plan.theme == Theme(accent="#7fd1ae", mode="dark", logo=name)


def file_problems(folder: Path, logo: str) -> list[str]:
    with pytest.raises(PlanInvalid) as raised:
        load_plan(themed_file(folder, logo))
    return [f"{e.field}: {e.message}" for e in raised.value.errors]


def test_a_missing_logo_is_told(tmp_path):
    assert file_problems(tmp_path, "logo.png") == [
        "theme.logo: there is no file logo.png in the plans folder"
    ]


def test_a_logo_that_is_not_an_image_by_its_bytes_is_refused(tmp_path):
    (tmp_path / "logo.png").write_bytes(SVG)  # an SVG renamed .png
    assert file_problems(tmp_path, "logo.png") == [
        "theme.logo: logo.png is not a PNG, JPEG or WebP image "
        "(by its contents, whatever its name says)"
    ]


def test_a_logo_too_big_is_refused(tmp_path):
    (tmp_path / "logo.png").write_bytes(png() + b"\0" * MAX_LOGO_BYTES)
    [problem] = file_problems(tmp_path, "logo.png")
    assert problem.startswith("theme.logo: logo.png is too big: at most 512 KB (this one has ")


def test_a_logo_that_links_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png())
    plans = tmp_path / "plans"
    plans.mkdir()
    os.symlink(outside / "secret.png", plans / "logo.png")
    assert file_problems(plans, "logo.png") == [
        "theme.logo: logo.png is a link to another file: copy the image into the plans folder"
    ]
    with pytest.raises(LogoProblem):
        logo_file(plans, "logo.png")
    assert logo_names(plans) == []


def test_logo_file_gives_the_type_by_the_bytes(tmp_path):
    (tmp_path / "a.png").write_bytes(png())
    (tmp_path / "b.jpeg").write_bytes(JPEG)
    (tmp_path / "c.webp").write_bytes(WEBP)
    (tmp_path / "d.svg").write_bytes(SVG)
    (tmp_path / "e.png").mkdir()
    assert logo_file(tmp_path, "a.png") == (png(), "image/png")
    assert logo_file(tmp_path, "b.jpeg")[1] == "image/jpeg"
    assert logo_file(tmp_path, "c.webp")[1] == "image/webp"
    for name in ("d.svg", "e.png", "../a.png", "missing.png"):
        with pytest.raises(LogoProblem):
            logo_file(tmp_path, name)
    assert logo_names(tmp_path) == ["a.png", "b.jpeg", "c.webp"]


def test_a_plan_read_without_its_folder_checks_only_the_name():
    # A session's own copy of the plan is read so; the file is checked when served.
    assert parse_plan(HEAD + "  logo: logo.png\n", "t").theme.logo == "logo.png"


def test_a_fifo_named_like_a_logo_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "logo.png")
    with pytest.raises(LogoProblem, match="is not a file"):
        logo_file(tmp_path, "logo.png")


def test_a_plan_saved_in_the_app_names_a_logo_of_the_plans_folder(tmp_path):
    source = HEAD + "  logo: logo.png\n"
    with pytest.raises(PlanInvalid, match="there is no file logo.png in the plans folder"):
        stored.validate(source, "saved", tmp_path)
    (tmp_path / "logo.png").write_bytes(png())
    assert stored.validate(source, "saved", tmp_path).theme.logo == "logo.png"
