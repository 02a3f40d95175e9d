"""``flask plan check`` and ``flask plan list``.

The commands run on a small Flask app holding only ``plan_cli`` and ``PLANS_DIR``, so these
tests need no database and no other part of the app.
"""

from __future__ import annotations

from textwrap import dedent

import pytest
from flask import Flask

from facilitation.plans.cli import plan_cli

VALID = dedent(
    """\
    title: A workshop
    description: What it is for.
    privacy_notice: What we keep.
    sectors: [Health, Housing]
    scenarios:
      - {key: one, title: One, summary: The first.}
    stages:
      - {key: a, title: A, prompt: P, type: info}
      - {key: b, title: B, prompt: P, type: scenario}
    """
)
BROKEN = dedent(
    """\
    title: A workshop
    privacy_notice: What we keep.
    sectors: [Health]
    stages:
      - key: a
        title: A
        promt: P
        type: choice
        items: [Only one]
    """
)


@pytest.fixture
def plans(tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "good.yaml").write_text(VALID)
    (folder / "broken.yaml").write_text(BROKEN)
    return folder


@pytest.fixture
def runner(plans):
    app = Flask(__name__)
    app.config["PLANS_DIR"] = str(plans)
    app.cli.add_command(plan_cli)
    return app.test_cli_runner()


def test_check_a_valid_plan(runner, plans):
    path = plans / "good.yaml"
    result = runner.invoke(args=["plan", "check", str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"{path}: ok (2 stages, 1 scenario)\n"
    assert result.stderr == ""


def test_check_prints_every_problem_with_its_line_and_exits_1(runner, plans):
    path = plans / "broken.yaml"
    result = runner.invoke(args=["plan", "check", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:1: description: is required",
        f"{path}:5: stages[1].prompt: is required",
        f"{path}:7: stages[1].promt: unknown field 'promt' (did you mean 'prompt'?)",
        f"{path}:9: stages[1].items: a choice needs at least 2 items",
    ]


def test_check_goes_through_every_file(runner, plans, tmp_path):
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("title: A\ndescription: x: y\n")
    missing = tmp_path / "missing.yaml"
    good = plans / "good.yaml"
    result = runner.invoke(args=["plan", "check", str(syntax), str(missing), str(good)])
    assert result.exit_code == 1
    assert result.stdout == f"{good}: ok (2 stages, 1 scenario)\n"
    assert result.stderr.splitlines() == [
        f"{syntax}:2: not valid YAML: mapping values are not allowed here",
        f"{missing}: cannot read the file: No such file or directory",
    ]


def test_check_names_a_bad_file_name_without_a_line(runner, tmp_path):
    path = tmp_path / "Bad Name.yaml"
    path.write_text(VALID)
    result = runner.invoke(args=["plan", "check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: 'Bad Name' is not a valid plan name")


def test_check_needs_a_file(runner):
    result = runner.invoke(args=["plan", "check"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_list_shows_titles_and_broken_plans(runner, plans):
    result = runner.invoke(args=["plan", "list"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "good    A workshop",
        "broken  INVALID (4 errors): see "
        f"`flask --app facilitation plan check {plans / 'broken.yaml'}`",
    ]


def test_list_another_folder(runner, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(args=["plan", "list", "--folder", str(empty)])
    assert result.exit_code == 0
    assert result.stdout == f"No plans in {empty}.\n"
