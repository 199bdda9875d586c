"""The next issue of a series as YAML text: what recurs from the latest issue, placeholders
for the rest, and every other kind of block as a commented example.

Written as text, not dumped from a structure, so the file keeps its comments and reads
like one an editor wrote.
"""
from __future__ import annotations

import json

from ..source import model as m
from ..errors import IssueError, Problem
from ..project import ISSUE_FILE
from ..source.load import load

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/issue.schema.json"
MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
          "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]


def latest_issue(series_dir) -> m.Issue:
    """The series' issue with the highest number. An issue that does not load might be the
    latest (its number is not known), so the next one is not started past it: its
    problems are raised, to be fixed first."""
    issues, broken = [], []
    for path in sorted(series_dir.glob(f"*/{ISSUE_FILE}")):
        try:
            issues.append(load(path))
        except IssueError as e:
            broken.append((path, e.problems))
    if broken:
        raise IssueError([problem for path, problems in broken for problem in [
            Problem(path, "does not load, so the series' latest issue and its number are not "
                          "known; fix it (or move it out of the series) before starting the "
                          "next issue"), *problems]])
    if not issues:
        raise IssueError([Problem(series_dir, f"has no issue to start from (no */{ISSUE_FILE} "
                                              "that loads); copy one from docs/format.md")])
    return max(issues, key=lambda i: (i.number, i.year, i.month))


def next_issue_yaml(latest: m.Issue, when: str) -> str:
    first = latest.pages[0]
    last = latest.pages[-1]
    columns = latest.pages[1].columns if len(latest.pages) > 1 else 2
    cover = [_cover_block(p.block) for p in first.blocks if p.block.kind in ("foreword", "index")]
    closing = [f"      - {p.block.kind}: {{}}" for p in last.blocks
               if p.block.kind in ("contacts", "funders")]
    year, month = when.split("-")
    series = latest.series.short_title or latest.series.slug
    lines = [
        SCHEMA_LINE,
        f"# {series}, issue {latest.number + 1}, {MONTHS[int(month) - 1].title()} {year}: "
        f"started by `publish new` from {latest.folder.name}.",
        "# Replace the placeholders (in capitals, and the 'Write ...' text); every field and",
        "# every kind of block is described in docs/format.md.",
        f"number: {latest.number + 1}",
        f"date: {when}",
        "",
        "pages:",
        "  - page: 1",
        "    blocks:",
        *cover,
        "",
        "  - page: 2",
        f"    columns: {columns}",
        "    blocks:",
        "      - banner: THE HEADING OF THIS PAGE'S SECTION",
        "      - article:",
        "          id: first-story",
        "          title: THE HEADLINE OF THE FIRST STORY",
        "          body: |",
        "            Write the story here. A blank line starts a new paragraph; *italic*,",
        "            **bold** and [a link](https://example.org) are all the markup there is.",
        "",
        "            The second paragraph.",
        "",
        "  - page: 3",
        f"    columns: {columns}",
        "    blocks:",
        "      - article:",
        "          id: second-story",
        "          title: THE HEADLINE OF THE SECOND STORY",
        "          body: |",
        "            Write the second story here.",
        *EXAMPLES,
        "",
        "  - page: 4",
        f"    columns: {columns}",
        "    blocks:",
        "      - article:",
        "          id: last-story",
        "          title: THE HEADLINE OF THE LAST STORY",
        "          body: |",
        "            Write the last story here.",
        *closing,
        "",
    ]
    return "\n".join(lines)


def _cover_block(block) -> str:
    if block.kind == "index":
        fields = {}
        if block.title is not None:
            fields["title"] = _text(block.title)
        if not block.numbers:
            fields["numbers"] = "false"
        return "      - index: {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"
    lines = ["      - foreword:"]
    if block.title is not None and block.title.en != "FOREWORD":
        lines.append(f"          title: {_text(block.title)}")
    lines += ["          body: |",
              "            Write the foreword here. Point to a story's page with "
              "[pg.](page:first-story):",
              "            the layout prints the page it lands on."]
    if block.closing is not None:
        lines.append(f"          closing: {_text(block.closing)}")
    if block.signature is not None:
        sig = block.signature
        lines.append(f"          signature: {{name: {_text(sig.name)}"
                     + (f", role: {_text(sig.role)}" if sig.role is not None else "") + "}")
    return "\n".join(lines)


def _text(text: m.Text) -> str:
    """A text as YAML flow: a quoted string, or an {en, zh} pair (JSON strings are YAML)."""
    def q(s):
        return json.dumps(s, ensure_ascii=False)
    if text.zh is None:
        return q(text.en)
    if text.en is None:
        return f"{{zh: {q(text.zh)}}}"
    return f"{{en: {q(text.en)}, zh: {q(text.zh)}}}"


# Every other kind of block, as it would stand in a page's blocks; remove the '# ' to use one.
EXAMPLES = """\
      # A pull quote:
      # - quote: {text: A sentence worth repeating in large type., name: A NAME, role: A ROLE}
      # A picture (its file in this folder; without image: a captioned frame of its size;
      # alt: what a screen reader says of it, or caption, or decorative):
      # - figure: {image: photo.jpg, caption: What the picture shows, credit: © A Photographer, height: 45,
      #            alt: Two people at a table sign a document}
      # A QR code (placeholder: true until data is the real address):
      # - qr: {data: "https://example.org", caption: Scan to read more, placeholder: true}
      # An infobox, with a table inside:
      # - panel:
      #     title: A PANEL'S TITLE
      #     body:
      #       - Text of the panel.
      #       - table:
      #           header: ["", "2018", "2019"]
      #           row_headers: true
      #           rows:
      #             - [Permits, "120", "140"]
      #           source: "Source: where the figures come from"
      # Questions and answers:
      # - qa: {title: QUESTIONS AND ANSWERS, items: [{q: "A question?", a: Its answer.}]}
      # A list of events:
      # - events:
      #     title: "...and other key activities"
      #     items:
      #       - {title: A MEETING, dates: [{place: Beijing, date: 3 May}]}
      # A promotional box:
      # - promo: {title: AN APP, subtitle: Its line, body: What it does., qr: {data: "https://example.org", placeholder: true}}
      # A boxed summary:
      # - summary: {title: Summary, body: The story in two lines.}""".split("\n")
