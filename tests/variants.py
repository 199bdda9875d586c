"""Variants of an archive issue, as an editor makes them: one paragraph more, or one less.

For one page (or spread) of an archive issue, its longest article (by the words it
prints) is given one paragraph more, of about 60 words taken from another article of
the same issue, or one paragraph less (the one closest to 60 words, never the first).
The issue is copied into a temporary project of its own that shares the real layouts
and fonts, and edited there as text, so the rest of its YAML stays as written.

    for page, kind in plan(FIFTH): ...
    variant = make(FIFTH, "2", "shorter", tmp_path)
    built, report = build_and_check(variant.issue, tmp_path / "dist")

Used by tests/test_variants.py (the check tells the truth about a page that no longer
fits) and, once publish fits pages itself (issue 18), to show that every variant fits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import TempProject
from publish.check.text import block_tokens, tokens
from publish.source import model as m
from publish.source.load import load
from publish.source.yamlsource import Node, read

# Switch on when publish fits pages itself (issue 18's fit stage): every variant then fits,
# and the archive is no longer the one fitted by hand that some tests describe.
FITTING = True

KINDS = ("longer", "shorter")
WORDS = 60  # about this many words are added or removed
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")
_PLAIN = re.compile(r"[A-Za-z0-9 ,.;:'’“”\"()%/-]+")  # no markup, no Chinese


@dataclass(frozen=True)
class Paragraph:
    start: int  # 0-based line index of its first line in issue.yaml
    end: int  # one past its last line
    words: int
    text: str


@dataclass(frozen=True)
class Variant:
    source: Path  # the archive issue
    page: str  # the plan entry's label: "2", "4/5"
    kind: str  # "longer" or "shorter"
    article: str  # the id of the page's longest article
    words: int  # words added (longer) or removed (shorter)
    issue: Path  # the variant's issue folder, in its own temporary project

    @property
    def name(self) -> str:
        return f"{self.source.parent.name}-{self.source.name} page {self.page} {self.kind}"


def _article_nodes(source: Path) -> dict[str, tuple[int, Node]]:
    """Article id -> (index of its plan entry, its body node), from the issue's YAML."""
    root = read(source / "issue.yaml")
    out = {}
    for i, page in enumerate(root.value["pages"].value):
        for block in page.value["blocks"].value or []:
            if isinstance(block.value, dict) and "article" in block.value:
                fields = block.value["article"].value
                out[fields["id"].value] = (i, fields["body"])
    return out


def _paragraphs(lines: list[str], body: Node) -> list[list[Paragraph]]:
    """The paragraphs of an article's body, per block scalar (`|`) of it, in order."""
    parts = body.value if isinstance(body.value, list) else [body]
    out = []
    for part in parts:
        if not isinstance(part.value, str):
            continue  # an in-flow block (figure, quote, ...)
        first = part.line  # the `|` line, 1-based: the text starts on the next line
        if not lines[first - 1].rstrip().endswith(("|", "|-", "|+")):
            continue  # a one-line string
        k = first
        while k < len(lines) and not lines[k].strip():
            k += 1
        indent = len(lines[k]) - len(lines[k].lstrip())
        end = k
        while end < len(lines) and (not lines[end].strip() or
                                    len(lines[end]) - len(lines[end].lstrip()) >= indent):
            end += 1
        groups, start = [], None
        for j in range(k, end + 1):
            blank = j == end or not lines[j].strip()
            if start is None and not blank:
                start = j
            elif start is not None and blank:
                text = " ".join(line.strip() for line in lines[start:j])
                if not _LIST_ITEM.match(lines[start]):
                    groups.append(Paragraph(start, j, len(tokens(text)), text))
                start = None
        out.append(groups)
    return out


def _donated(issue: m.Issue, nodes, lines: list[str], taker: str) -> str:
    """About WORDS words of plain English from another article of the issue: the paragraph
    closest to WORDS words, cut at the sentence end nearest to WORDS if it is longer."""
    best = None
    for _, article in issue.articles():
        if article.id == taker or article.id not in nodes:
            continue
        for part in _paragraphs(lines, nodes[article.id][1]):
            for p in part:
                if p.words >= 40 and _PLAIN.fullmatch(p.text):
                    score = abs(p.words - WORDS) if p.words <= WORDS * 1.2 else p.words
                    if best is None or score < best[0]:
                        best = (score, p.text)
    if best is None:
        raise LookupError(f"no plain paragraph of 40 words or more outside '{taker}'")
    words = best[1].split()
    if len(words) <= WORDS * 1.2:
        return best[1]
    ends = [i + 1 for i, w in enumerate(words) if w.endswith(".") and i + 1 >= WORDS * 0.75]
    cut = min(ends, key=lambda i: abs(i - WORDS), default=WORDS)
    return " ".join(words[:cut]).rstrip(",;:") + ("" if words[cut - 1].endswith(".") else ".")


def _longest(page: m.Page) -> m.Article | None:
    articles = [pl.block for pl in page.blocks if isinstance(pl.block, m.Article)]
    return max(articles, key=lambda a: len(block_tokens(a)), default=None)


def plan(source: Path) -> list[tuple[str, str]]:
    """Every (page label, kind) of the issue a variant can be made of."""
    issue = load(source)
    nodes = _article_nodes(source)
    lines = (source / "issue.yaml").read_text(encoding="utf-8").splitlines()
    out = []
    for page in issue.pages:
        article = _longest(page)
        if article is None:
            continue
        out.append((page.label, "longer"))
        if _removable(_paragraphs(lines, nodes[article.id][1])):
            out.append((page.label, "shorter"))
    return out


def _removable(parts: list[list[Paragraph]]) -> list[Paragraph]:
    """Paragraphs that can go: not the article's first, nor the only one of its block scalar."""
    first = next((p for part in parts for p in part), None)
    return [p for part in parts if len(part) > 1 for p in part if p is not first]


def make(source: Path, page: str, kind: str, folder: Path) -> Variant:
    """The variant of source's page (its label) made longer or shorter, in a new temporary
    project under folder."""
    assert kind in KINDS, kind
    issue = load(source)
    entry = next(p for p in issue.pages if p.label == page)
    article = _longest(entry)
    assert article is not None, f"page {page} of {source} has no article"
    nodes = _article_nodes(source)
    lines = (source / "issue.yaml").read_text(encoding="utf-8").splitlines()
    parts = _paragraphs(lines, nodes[article.id][1])
    if kind == "longer":
        text = _donated(issue, nodes, lines, article.id)
        last = [p for part in parts for p in part][-1]
        indent = lines[last.start][:len(lines[last.start]) - len(lines[last.start].lstrip())]
        lines[last.end:last.end] = ["", indent + text]
        words = len(tokens(text))
    else:
        candidates = _removable(parts)
        assert candidates, f"article '{article.id}' has no paragraph that can go"
        gone = min(candidates, key=lambda p: (abs(p.words - WORDS), p.start))
        blank = gone.end < len(lines) and not lines[gone.end].strip()
        del lines[gone.start:gone.end + (1 if blank else 0)]
        words = gone.words
    project = TempProject(folder / f"{source.parent.name}-{source.name}-p{page.replace('/', '-')}"
                                   f"-{kind}")
    target = project.copy_issue(source, series=source.parent.name, name=source.name)
    (target / "issue.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Settings frozen for the issue as it was (issue 18's fit.yaml) are not the edit's.
    (target / "fit.yaml").unlink(missing_ok=True)
    return Variant(source, page, kind, article.id, words, target)
