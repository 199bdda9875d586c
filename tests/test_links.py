"""Links out of the project: an issue, series or layout file that is a symbolic link to a
file elsewhere is refused without being opened (nothing of it printed), and `publish
schema` never writes through a link that leads out of the project."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIFTH, ROOT, TempProject
from publish.cli import main

SECRET = "DB_PASSWORD=hunter2\nroot:x:0:0:root:/root:/bin/bash\n"


def run(args, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "elsewhere" / "secret.env"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


@pytest.fixture
def linked(tmp_path):
    """A project of its own layouts (so a layout file can be a link) and the 5th issue."""
    project = TempProject(tmp_path / "project")
    (project.root / "layouts").unlink()
    shutil.copytree(ROOT / "layouts", project.root / "layouts")
    return project, project.copy_issue(FIFTH)


def relink(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


def refused(path: Path, target: Path, where: str) -> str:
    return (f"{path}: is a link to {target}, outside {where}; publish reads and writes only "
            "files inside the project, so it was not opened")


@pytest.mark.parametrize("command", ["build", "check", "watch"])
def test_an_issue_file_linked_out_of_the_project_is_not_opened(linked, secret, tmp_path,
                                                                capsys, command):
    project, issue = linked
    relink(issue / "issue.yaml", secret)
    args = [command, issue / "issue.yaml"] + (["--out", tmp_path / "out"] if command != "check"
                                              else ["--pdf", tmp_path / "none.pdf"])
    code, out, err = run(args, capsys)
    assert code == 2, err
    assert err == "publish: " + refused(issue / "issue.yaml", secret,
                                        "the project's issues/ folder") + "\n"
    assert "hunter2" not in out + err and "root:" not in out + err
    assert not (tmp_path / "out").exists()


def test_a_series_file_linked_out_of_the_project_is_not_opened(linked, secret, tmp_path, capsys):
    project, issue = linked
    series = issue.parent / "series.yaml"
    relink(series, secret)
    code, out, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err.startswith("publish: " + refused(series, secret, "the project's issues/ folder"))
    assert "hunter2" not in out + err and "root:" not in out + err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_layout_file_linked_out_of_the_project_is_not_opened(linked, secret, tmp_path, capsys):
    project, issue = linked
    manifest = project.root / "layouts" / "mmsp" / "layout.yaml"
    secret.write_text("extends: base\nDB_PASSWORD: hunter2\n")  # keys an error would name
    relink(manifest, secret)
    code, out, err = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert err == "publish: " + refused(manifest, secret, project.root / "layouts") + "\n"
    assert "hunter2" not in out + err and "DB_PASSWORD" not in out + err
    assert not (tmp_path / "out").exists()


def test_a_link_that_stays_inside_the_project_is_followed(linked, tmp_path, capsys):
    project, issue = linked
    shared = project.root / "issues" / "mmsp" / "shared" / "issue.yaml"
    shared.parent.mkdir()
    shutil.move(issue / "issue.yaml", shared)
    (issue / "issue.yaml").symlink_to(shared)
    from publish.source.load import load
    assert load(issue).number == 5


@pytest.fixture
def schema_project(tmp_path, monkeypatch) -> Path:
    project = tmp_path / "p"
    for folder in ("issues", "layouts", "schema", "docs"):
        (project / folder).mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "format.md", project / "docs" / "format.md")
    monkeypatch.chdir(project)
    return project


def test_schema_never_writes_through_a_link_out_of_the_project(schema_project, secret, capsys):
    link = schema_project / "schema" / "issue.schema.json"
    link.symlink_to(secret)
    before = {p: p.read_bytes() for p in schema_project.rglob("*") if p.is_file()}
    code, out, err = run(["schema"], capsys)
    assert (code, out) == (2, "")
    assert err == ("publish: " + refused(link, secret, "the project") + "\nnothing was written\n")
    assert secret.read_text() == SECRET and link.is_symlink()
    assert {p: p.read_bytes() for p in schema_project.rglob("*") if p.is_file()} == before
    assert run(["schema", "--check"], capsys)[0] == 2 and secret.read_text() == SECRET


def test_schema_never_writes_into_a_folder_linked_out_of_the_project(schema_project, tmp_path,
                                                                     capsys):
    elsewhere = tmp_path / "elsewhere-schema"
    elsewhere.mkdir()
    (schema_project / "schema").rmdir()
    (schema_project / "schema").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = run(["schema"], capsys)
    assert code == 2 and "outside the project" in err and "Traceback" not in err
    assert list(elsewhere.iterdir()) == []


def test_schema_does_not_read_or_rewrite_a_doc_linked_out_of_the_project(schema_project,
                                                                         tmp_path, capsys):
    doc = schema_project / "docs" / "format.md"
    outside = tmp_path / "format-elsewhere.md"
    shutil.move(doc, outside)
    doc.symlink_to(outside)
    text = outside.read_text()
    code, _, err = run(["schema"], capsys)
    assert code == 2 and err.startswith("publish: " + refused(doc, outside, "the project"))
    assert outside.read_text() == text and not any((schema_project / "schema").iterdir())


def test_schema_replaces_a_link_inside_the_project_instead_of_writing_through_it(
        schema_project, capsys):
    kept = schema_project / "docs" / "kept.json"
    kept.write_text("{}\n")
    link = schema_project / "schema" / "issue.schema.json"
    link.symlink_to(kept)
    assert run(["schema"], capsys)[0] == 0
    assert kept.read_text() == "{}\n" and not link.is_symlink() and '"$schema"' in link.read_text()
