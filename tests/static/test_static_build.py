"""Minified copies of our scripts and style sheets (facilitation/static_build.py): made by
esbuild module by module, each served only while its source is the one it was made from."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from facilitation import static_build
from tests.services import unavailable

MODULE = """\
// A comment no phone needs to download.
import { helper } from "./helper.js";

/** Why the page does this: a long explanation for the next engineer. */
export function describe(participantCount) {
  const address = `https://example.org/j/${participantCount}`; // "//" inside a template
  const pattern = /\\/\\/+/g; // a regular expression that looks like a comment
  return helper(address.replace(pattern, "//"));
}
"""
STYLE = """\
/* The phone's big button: a thumb's width. */
.answer-button {
  min-height: 48px;
  padding: 12px 16px;
}
"""


@pytest.fixture
def esbuild():
    path = static_build.ESBUILD
    if not path.exists():
        unavailable(f"esbuild is not installed ({path}): make vendor installs it")
    return path


@pytest.fixture
def static(tmp_path):
    folder = tmp_path / "static"
    (folder / "js").mkdir(parents=True)
    (folder / "css").mkdir()
    (folder / "vendor").mkdir()
    (folder / "js" / "page.js").write_text(MODULE)
    (folder / "js" / "helper.js").write_text("export const helper = (text) => text;\n")
    (folder / "css" / "phone.css").write_text(STYLE)
    (folder / "vendor" / "client.min.js").write_text("var a=1;\n")
    return folder


def test_each_file_is_minified_its_imports_and_strings_kept(static, esbuild):
    made = static_build.build(static, esbuild)
    assert sorted(made) == ["css/phone.css", "js/helper.js", "js/page.js"]  # not vendor/
    copies = static_build.minified(static)
    page = copies["js/page.js"].decode()
    assert len(page) < len(MODULE) / 2
    assert "comment" not in page and "next engineer" not in page
    assert 'from"./helper.js"' in page.replace(" ", "")  # still a module, same import
    assert "https://example.org/j/${" in page  # the template literal untouched
    assert b"min-height:48px" in copies["css/phone.css"]
    if shutil.which("node"):  # the copy is still a module node can run
        module = static / "vendor" / "min" / "js" / "page.js"
        script = f"import('{module.as_uri()}').then(m => console.log(m.describe(3)))"
        run = subprocess.run(
            ["node", "--input-type=module", "-e", script], capture_output=True, text=True
        )
        assert run.stdout.strip() == "https://example.org/j/3", run.stderr


def test_a_source_edited_since_the_build_is_served_as_it_is(static, esbuild):
    static_build.build(static, esbuild)
    (static / "js" / "page.js").write_text(MODULE + "\nexport const added = 1;\n")
    copies = static_build.minified(static)
    assert "js/page.js" not in copies
    assert "js/helper.js" in copies


def test_without_a_build_nothing_is_minified(static):
    assert static_build.minified(static) == {}
    record = static / "vendor" / "min" / "sources.json"
    record.parent.mkdir(parents=True)
    record.write_text("not json")
    assert static_build.minified(static) == {}


def test_a_second_build_replaces_the_first_whole(static, esbuild):
    static_build.build(static, esbuild)
    (static / "js" / "helper.js").unlink()
    made = static_build.build(static, esbuild)
    assert "js/helper.js" not in made
    assert not (static / "vendor" / "min" / "js" / "helper.js").exists()
    record = json.loads((static / "vendor" / "min" / "sources.json").read_text())
    assert set(record) == set(made)
    assert not list((static / "vendor").glob(".min-*"))


def test_the_app_serves_the_copy_while_its_source_is_unchanged(static, esbuild):
    from facilitation.static_assets import Manifest

    static_build.build(static, esbuild)
    served = Manifest(static).assets["js/page.js"]
    assert served.body == (static / "vendor" / "min" / "js" / "page.js").read_bytes()
    assert served.imports == ("js/helper.js",)  # read from the source
    assert not any(name.startswith("vendor/min") for name in Manifest(static).assets)
    (static / "js" / "page.js").write_text(MODULE.replace("participantCount", "count"))
    assert Manifest(static).assets["js/page.js"].body == (static / "js" / "page.js").read_bytes()


def test_a_copy_is_never_served_by_its_own_name(app):
    if not static_build.minified(static_build.STATIC):
        unavailable("no minified copies: make vendor makes them")
    http = app.test_client()
    assert http.get("/static/vendor/min/js/phone.js").status_code == 404
    assert http.get("/static/vendor/min/sources.json").status_code == 404
    assert http.get("/static/js/phone.js").status_code == 200
