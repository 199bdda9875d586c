"""One schema: the loader, the JSON Schemas and the docs agree; text prints as typed; every
stage's error is located."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import FIFTH, ROOT, TempProject, build_and_check, pdftext
from publish.source import schema as s
from publish.source import schemadoc
from publish.build import Project, build
from publish.cli import main
from publish.source.load import load
from publish.source.yamlsource import Node, read

BAD = ROOT / "tests" / "bad" / "mmsp"
ISSUES = [p / "issue.yaml" for p in Project(ROOT).all_issues()]
SERIES = sorted((ROOT / "issues").glob("*/series.yaml"))
LAYOUTS = sorted((ROOT / "layouts").glob("*/layout.yaml"))


def json_value(node: Node):
    """A file's values as a YAML 1.2 language server in an editor sees them."""
    if isinstance(node.value, dict):
        return {k: json_value(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [json_value(v) for v in node.value]
    v = node.value
    if v is None:
        return None
    if node.tag == "bool" and v in ("true", "false", "True", "False", "TRUE", "FALSE"):
        return v.lower() == "true"
    if node.tag == "int" and re.fullmatch(r"[-+]?[0-9]+", v):
        return int(v)
    if node.tag in ("int", "float") and re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)"
                                                     r"([eE][-+]?[0-9]+)?", v):
        return float(v)
    return v


def validator(kind: str):
    schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


# -- the schema accepts the archive and rejects the bad cases --------------------------

@pytest.mark.parametrize("path", ISSUES, ids=lambda p: str(p.parent.relative_to(ROOT)))
def test_every_archive_issue_loads_and_meets_the_json_schema(path):
    assert load(path).pages
    errors = list(validator("issue").iter_errors(json_value(read(path))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.mark.parametrize("path", SERIES + LAYOUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_series_and_layout_file_meets_its_json_schema(path):
    kind = "series" if path.name == "series.yaml" else "layout"
    errors = list(validator(kind).iter_errors(json_value(read(path))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


# Bad cases only the loader can judge (they need the file system, the whole plan or the
# raw bytes); every other one the JSON Schema rejects too, so an editor marks it.
LOADER_ONLY = {
    "alias-bomb": "aliases", "binary-garbage": "bytes", "not-utf8": "bytes",
    "syntax-error": "YAML syntax", "python-tag": "tags", "duplicate-key": "YAML parse",
    "empty": "empty file", "duplicate-ids": "across the plan",
    "unknown-article-reference": "across the plan", "pages-out-of-order": "across the plan",
    "empty-section": "across blocks", "spread-not-facing": "across the plan",
    "image-missing": "file system", "image-outside": "file system",
    "image-absolute": "file system", "image-file-url": "file system",
    "image-http": "file system", "impossible-date": "calendar",
    "image-decompression-bomb": "image file", "image-empty": "image file",
    "image-eps-as-png": "image file", "image-garbage": "image file",
    "image-jpeg-named-png": "image file", "image-svg-as-png": "image file",
    "image-text-as-jpeg": "image file", "image-truncated-jpeg": "image file",
    "image-truncated-png": "image file", "image-heic": "image file",
    "image-heic-as-jpeg": "image file",
}
BAD_CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("case", BAD_CASES)
def test_each_bad_case_is_rejected_by_the_loader_and_where_it_can_by_the_json_schema(case):
    with pytest.raises(Exception) as error:
        load(BAD / case / "issue.yaml")
    assert type(error.value).__name__ == "IssueError"
    if case not in LOADER_ONLY:
        assert list(validator("issue").iter_errors(json_value(read(BAD / case / "issue.yaml"))))


# -- the docs and the JSON Schemas are generated, and current ---------------------------

def test_schema_files_and_doc_tables_are_current(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code = main(["schema", "--check"])
    assert code == 0, capsys.readouterr().out


def test_docs_have_a_table_for_every_shape_and_a_section_for_every_block():
    documented = []
    for doc in schemadoc.DOCS:
        documented += schemadoc.documented_shapes((ROOT / doc).read_text())
    assert sorted(documented) == sorted(shape.name for shape in s.SHAPES)
    text = (ROOT / "docs" / "format.md").read_text()
    for kind in s.TOP_LEVEL:
        assert f"### `{kind}`" in text, kind


def test_a_table_row_says_what_the_schema_says():
    table = schemadoc.table(s.FIGURE)
    assert "| `height` | millimetres (5-280) |  | 45 | the picture's height |" in table
    assert "| `span` | `column` or `page` |  | `column` |" in table
    assert "| `id` | id (a-z, 0-9, -) | required |  |" in schemadoc.table(s.ARTICLE)


def test_a_stale_schema_file_is_named(tmp_path, monkeypatch, capsys):
    project = tmp_path / "p"
    (project / "issues").mkdir(parents=True)
    (project / "layouts").mkdir()
    (project / "schema").mkdir()
    (project / "schema" / "issue.schema.json").write_text("{}\n")
    monkeypatch.chdir(project)
    assert main(["schema", "--check"]) == 1
    out = capsys.readouterr().out
    assert "out of date: schema/issue.schema.json (run 'publish schema')" in out
    assert main(["schema"]) == 0
    assert main(["schema", "--check"]) == 0


@pytest.mark.parametrize("path", ISSUES + SERIES + LAYOUTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_names_its_schema_on_its_first_line(path):
    kind = {"issue.yaml": "issue", "series.yaml": "series", "layout.yaml": "layout"}[path.name]
    first = path.read_text().splitlines()[0]
    assert first == schemadoc.modeline(kind, path, ROOT), \
        f"{path}: make the first line: {schemadoc.modeline(kind, path, ROOT)}"


# -- text is text -----------------------------------------------------------------------

# (where it is typed, the value, what YAML 1.1 would have printed)
TRAPS = [
    ("event date", "14:30", "870"),
    ("table cell", "0710", "456"),
    ("table cell", "1.50", "1.5"),
    ("article kicker", "12_000", "12000"),
    ("banner", "NO", "False"),
    ("quote name", "yes", "True"),
    ("quote role", "on", "True"),
    ("figure caption", "2017-05-01", "2017-05-01 00:00"),
]
TRAP_ISSUE = """\
number: 1
date: 2020-01
pages:
  - page: 1
    blocks:
      - banner: NO
      - article:
          id: traps
          kicker: 12_000
          title: Traps
          body:
            - Typed as written.
            - quote: {text: Quoted, name: yes, role: on}
            - figure: {caption: 2017-05-01, height: 10}
            - table: {rows: [[0710, 1.50]]}
            - events: {items: [{title: Meeting, dates: [{place: Beijing, date: 14:30}]}]}
  - page: 2
    blocks: []
"""


@pytest.fixture(scope="module")
def trap_pdf(tmp_path_factory):
    project = TempProject(tmp_path_factory.mktemp("traps") / "project")
    series = project.root / "issues" / "mmsp"
    (series / "traps").mkdir(parents=True)
    shutil.copy(ROOT / "issues" / "mmsp" / "series.yaml", series)
    (series / "traps" / "issue.yaml").write_text(TRAP_ISSUE)
    built = build(series / "traps", tmp_path_factory.mktemp("out"))
    return pdftext(built.pdf)


@pytest.mark.parametrize("where,typed,yaml11", TRAPS, ids=[f"{t[0]}:{t[1]}" for t in TRAPS])
def test_yaml_11_trap_prints_as_typed(trap_pdf, where, typed, yaml11):
    # Case folded: a layout may set a name or a banner in capitals.
    tokens = [t.casefold() for t in re.findall(r"[\w.:-]+", trap_pdf)]
    assert typed.casefold() in tokens, f"{where}: {typed!r} not printed"
    assert yaml11.casefold() not in tokens, f"{where}: printed as {yaml11!r}"


def test_numbers_and_true_false_fields_still_read_as_such(tmp_path):
    project = TempProject(tmp_path / "project")
    issue = project.copy_issue(FIFTH)
    project.edit(issue, "          id: green-card\n", "          id: green-card\n"
                                                     "          keep_together: yes\n")
    loaded = load(issue)
    article = next(a for _, a in loaded.articles() if a.id == "green-card")
    assert loaded.number == 5 and article.keep_together is True and loaded.pages[1].columns == 3


# -- located errors at every stage --------------------------------------------------------

def layout_project(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """A project with the real base layout, an 'mmsp' layout of the given files and a copy
    of the 5th issue; returns (project, issue folder)."""
    project = TempProject(tmp_path / "project")
    (project.root / "layouts").unlink()
    layouts = project.root / "layouts"
    layouts.mkdir()
    shutil.copytree(ROOT / "layouts" / "base", layouts / "base")
    (layouts / "mmsp").mkdir()
    files = {"layout.yaml": "extends: base\n", **files}
    for name, text in files.items():
        (layouts / "mmsp" / name).parent.mkdir(parents=True, exist_ok=True)
        (layouts / "mmsp" / name).write_text(text)
    return project.root, project.copy_issue(FIFTH)


def run(args, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_series_names_a_layout_that_does_not_exist_with_the_issue_problems_too(tmp_path, capsys):
    root, issue = layout_project(tmp_path, {})
    series = root / "issues" / "mmsp" / "series.yaml"
    series.write_text(series.read_text().replace("layout: mmsp", "layout: mmssp"))
    (issue / "issue.yaml").write_text((issue / "issue.yaml").read_text().replace(
        "number: 5", "number: five"))
    code, _, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err == (
        f"publish: {series}:10:9: layout: no layout 'mmssp' in {root / 'layouts'} "
        "(no mmssp/layout.yaml)\n  hint: did you mean 'mmsp'?\n"
        f"{issue / 'issue.yaml'}:4:9: number: expected a whole number, found text 'five'\n")
    assert not (tmp_path / "out").exists()


LAYOUT_ERRORS = [
    ("stylesheets as text", "extends: base\nstylesheets: my.css\n",
     "layout.yaml:2:14: stylesheets: expected a list, found text 'my.css'"),
    ("misspelt field", "extends: base\ndecsription: x\n",
     "layout.yaml:2:1: decsription: unknown field\n  hint: did you mean 'description'?"),
    ("extends a path", "extends: ../../etc\n",
     "layout.yaml:1:10: extends: '../../etc' is not a valid id: use lower-case letters, "
     "digits and '-'\n  hint: a layout extends another folder in layouts/ by its name, such "
     "as 'base'; not a path"),
    ("extends an absolute path", "extends: /etc\n",
     "layout.yaml:1:10: extends: '/etc' is not a valid id: use lower-case letters, "
     "digits and '-'\n  hint: a layout extends another folder in layouts/ by its name, such "
     "as 'base'; not a path"),
    ("extends a misspelt layout", "extends: bse\n",
     "layout.yaml:1:10: extends: no layout 'bse' in {layouts} (no bse/layout.yaml)\n"
     "  hint: did you mean 'base'?"),
    ("stylesheet outside", "extends: base\nstylesheets: [../base/base.css]\n",
     "layout.yaml:2:15: stylesheets[0]: '../base/base.css' is not a file in {layouts}/mmsp"),
]


@pytest.mark.parametrize("name,manifest,message", LAYOUT_ERRORS, ids=[e[0] for e in LAYOUT_ERRORS])
def test_layout_manifest_error_is_located(tmp_path, capsys, name, manifest, message):
    root, issue = layout_project(tmp_path, {"layout.yaml": manifest})
    code, _, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    layouts = root / "layouts"
    assert err == f"publish: {layouts}/mmsp/" + message.format(layouts=layouts) + "\n"
    assert not (tmp_path / "out").exists()


TEMPLATE_ERRORS = [
    ("missing name", {"blocks/banner.html": "<h2>\n{{ block.txt|t }}</h2>\n"},
     "{layouts}/mmsp/blocks/banner.html:2: 'publish.source.model.Banner object' has no attribute "
     "'txt'; see docs/layouts.md for what a template gets"),
    ("python internals", {"blocks/banner.html": "<h2>{{ ''.__class__.__mro__ }}</h2>\n"},
     "{layouts}/mmsp/blocks/banner.html:1: the template tried something a layout may not do "
     "(access to attribute '__class__' of 'str' object is unsafe.); layouts are sandboxed"),
    ("changing a list", {"blocks/banner.html": "{% set seen = [] %}\n{{ seen.append(1) }}\n"},
     "{layouts}/mmsp/blocks/banner.html:2: the template tried something a layout may not do "
     "(access to attribute 'append' of 'list' object is unsafe.); layouts are sandboxed"),
    ("syntax", {"blocks/banner.html": "<h2>{{ block.text|t </h2>\n"},
     "{layouts}/mmsp/blocks/banner.html:1: template syntax: unexpected '/'"),
    ("contract", {"placed.html": "{% set block = placed.block %}<div>{% include 'blocks/' ~ "
                                 "block.kind ~ '.html' %}</div>\n"},
     "layout 'mmsp' breaks the template contract: the HTML has no id=\"p1-1-foreword\" "
     "(foreword block), which the check needs; see {layouts}/mmsp/placed.html (25 more "
     "missing). The ids a layout must keep are in docs/layouts.md"),
]


@pytest.mark.parametrize("name,files,message", TEMPLATE_ERRORS, ids=[e[0] for e in TEMPLATE_ERRORS])
def test_template_error_names_file_line_and_what_went_wrong(tmp_path, capsys, name, files,
                                                            message):
    root, issue = layout_project(tmp_path, files)
    code, _, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err == "publish: " + message.format(layouts=root / "layouts") + "\n"
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_symlinked_template_out_of_layouts_is_refused(tmp_path, capsys):
    root, issue = layout_project(tmp_path, {})
    secret = tmp_path / "secret.html"
    secret.write_text("SECRET")
    (root / "layouts" / "mmsp" / "blocks").mkdir()
    (root / "layouts" / "mmsp" / "blocks" / "banner.html").symlink_to(secret)
    code, _, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err == (f"publish: {root}/layouts/mmsp/blocks/banner.html: template "
                   f"'blocks/banner.html' is a link to {secret}, outside {root}/layouts; a "
                   "layout's templates must be inside layouts/\n")


def test_symlinked_layout_folder_out_of_layouts_is_refused(tmp_path, capsys):
    root, issue = layout_project(tmp_path, {})
    outside = tmp_path / "elsewhere"
    shutil.move(root / "layouts" / "mmsp", outside)
    (root / "layouts" / "mmsp").symlink_to(outside, target_is_directory=True)
    code, _, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    series = root / "issues" / "mmsp" / "series.yaml"
    assert code == 2
    assert err == (f"publish: {series}:10:9: layout: layout 'mmsp' is a link to {outside}, "
                   f"outside {root}/layouts; a layout must be a folder inside layouts/\n")


def test_css_warnings_are_shown_with_their_file_and_strict_fails_on_them(tmp_path, capsys,
                                                                         monkeypatch):
    root, issue = layout_project(tmp_path, {"layout.yaml": "extends: base\nstylesheets: "
                                                           "[my.css]\n",
                                            "my.css": ".banner { colr: red; }\n"})
    monkeypatch.chdir(root)
    code, out, _ = run(["build", issue, "--out", tmp_path / "out", "--no-check"], capsys)
    assert code == 0
    assert "\n  warning: layouts/mmsp/my.css:1:11: Ignored `colr: red`, unknown property.\n" \
        in out + "\n"
    code, out, err = run(["build", issue, "--out", tmp_path / "strict", "--strict"], capsys)
    assert code == 2
    assert err == ("publish: --strict: the layout has warnings; nothing was written\n"
                   "  warning: layouts/mmsp/my.css:1:11: Ignored `colr: red`, unknown "
                   "property.\n")
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())


def test_an_unwritable_output_folder_is_a_plain_message_and_exit_2(tmp_path, capsys):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    code, _, err = run(["build", FIFTH, "--out", not_a_folder / "dist"], capsys)
    assert code == 2
    assert err == (f"publish: cannot write {not_a_folder}/dist/mmsp-2017-05.pdf: "
                   f"{not_a_folder} is not a folder\n")


def test_an_internal_error_has_its_own_exit_code(tmp_path, capsys, monkeypatch):
    import publish.build

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(publish.build, "build_editions", broken)  # what `publish build` runs
    code, _, err = run(["build", FIFTH, "--out", tmp_path], capsys)
    assert code == 3
    assert err == (f"publish: {FIFTH}: internal error (ZeroDivisionError: division by zero); "
                   "nothing was written. Run again with PUBLISH_DEBUG=1 for the traceback, and please report it.\n")


def test_help_lists_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for line in ("  2    bad input or usage", "  3    internal error", "  130  interrupted"):
        assert line in out


# -- the format gaps, in a real build and check -----------------------------------------

def test_new_fields_print_and_the_issue_still_passes_its_check(tmp_path):
    project = TempProject(tmp_path / "project")
    issue = project.copy_issue(FIFTH)
    series = project.root / "issues" / "mmsp" / "series.yaml"
    series.write_text(series.read_text().replace(
        "masthead: NEWSLETTER\n", "masthead: NEWSLETTER\ntagline: Dialogue in motion\n"))
    project.edit(issue, "  - page: 3\n", "  - page: 3\n    index_label: RESEARCH AND LAW\n")
    project.edit(issue, "            role: Head of Office, IOM Liaison office in China\n",
                 "            role: |\n              Head of Office\n"
                 "              IOM Liaison office in China\n")
    project.edit(issue, "                caption: Dr. Jean-Pierre Gauci, Research Fellow, British "
                        "Institute of International and Comparative Law\n",
                 "                caption: |\n                  Dr. Jean-Pierre Gauci\n"
                 "                  Research Fellow\n"
                 "                source: Photo archive of the training\n"
                 "                credit: © IOM\n")
    project.edit(issue, "          id: green-card\n", "          id: green-card\n"
                                                     "          keep_together: true\n")
    built, report = build_and_check(issue, tmp_path / "out")
    assert report.ok, report.format()
    cover, page3 = pdftext(built.pdf, 1, 1), pdftext(built.pdf, 3, 3)
    assert "Dialogue in motion" in cover
    assert "PAGE 3: RESEARCH AND LAW" in cover
    assert "Head of Office\nIOM Liaison office in China" in cover
    assert "Dr. Jean-Pierre Gauci\nResearch Fellow" in page3
    assert "Photo archive of the training" in page3


def test_series_field_errors_and_an_unparsable_issue_are_reported_together(tmp_path, capsys):
    root, issue = layout_project(tmp_path, {})
    series = root / "issues" / "mmsp" / "series.yaml"
    series.write_text(series.read_text().replace("saddle_stitched: false",
                                                 "sadle_stitched: false"))
    (issue / "issue.yaml").write_text("number: 5\ndate: [2017\n")
    code, _, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err == (
        f"publish: {series}:12:1: sadle_stitched: unknown field\n"
        "  hint: did you mean 'saddle_stitched'?\n"
        f"{issue / 'issue.yaml'}:3:1: YAML syntax: while parsing a flow sequence expected ',' "
        "or ']', but got '<stream end>' (the structure opened at line 2, column 7 is not "
        "closed)\n")


# -- every field of the schema reaches the model ------------------------------------------

def sample(shape: s.Shape, prefix: str) -> dict:
    """A mapping with every field of shape set, each text a marker naming its field."""
    out = {}
    for f in shape.fields:
        value = sample_value(f, f"{prefix}.{f.name}")
        if value is not None:
            out[f.name] = value
    return out


def sample_value(f: s.Field, marker: str):
    t = f.type
    if t in ("text", "rich", "string", "flow"):
        return marker
    if t == "id":
        return "x" + re.sub(r"[^a-z0-9]+", "-", marker.lower())
    if t in ("int", "mm"):
        return f.high if t == "int" else f.low + 1
    if t == "bool":
        return not f.default
    if t == "choice":
        return f.choices[-1]
    if t == "lines":
        return [marker]
    if t == "shape":
        return sample(f.item, marker)
    if t == "list":
        if isinstance(f.item, s.Shape):
            return [sample(f.item, marker)]
        return {"text": [marker], "string": [marker], "language": ["en"],
                "row": [[marker]]}[f.item]
    return None  # image, page, year-month, blocks: set by the caller


def test_every_text_field_of_the_schema_reaches_the_model(tmp_path):
    series = sample(s.SERIES, "series")
    series["layout"] = "mmsp"
    issue = sample(s.ISSUE, "issue")
    issue.update(number=1, date="2020-01")
    issue["pages"][0].update(page="1", continues=False, blocks=[{kind: sample(s.BLOCKS[kind], kind)}
                                               for kind in s.TOP_LEVEL])
    (tmp_path / "s" / "i").mkdir(parents=True)
    (tmp_path / "s" / "series.yaml").write_text(json.dumps(series, ensure_ascii=False))
    (tmp_path / "s" / "i" / "issue.yaml").write_text(json.dumps(issue, ensure_ascii=False))
    assert not list(validator("issue").iter_errors(issue))
    assert not list(validator("series").iter_errors(series))
    model = repr(load(tmp_path / "s" / "i"))
    markers = re.findall(r"(?:series|issue|%s)\.[a-z_.]+" % "|".join(s.TOP_LEVEL),
                         json.dumps([series, issue]))
    assert len(markers) > 60
    missing = [marker for marker in markers if f"'{marker}'" not in model]
    assert not missing, missing
