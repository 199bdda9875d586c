"""What a diff found: lines for the terminal and CI logs, and an HTML page to look at.

The HTML page names its pictures by relative paths (img/...), so the report
folder opens from disk, can be moved as a whole, and uploads as a CI artifact.
"""
from __future__ import annotations

from html import escape

from . import IssueDiff, Result
from .pages import PageDiff


def text(result: Result, where: str) -> str:
    lines = [f"publish diff: {result.after} against {result.before}, at {result.dpi} dpi"
             + (f", pages changed by more than {result.threshold:g}% of their pixels"
                if result.threshold else "")]
    lines += [f"{'reused':<10} {name}: the working tree's PDF from the last build, its inputs "
              "unchanged since" for name in result.reused]
    for item in result.issues:
        lines += [f"{kind:<10} {message}" for kind, message in _issue_lines(item, result)]
    changed = result.changed
    pages = sum(len(i.changed_pages) for i in changed)
    if changed:
        lines.append(f"{pages} page{'s' * (pages != 1)} changed in {len(changed)} of "
                     f"{_n(len(result.issues), 'issue')}; report: {where}")
    else:
        lines.append(f"nothing changed in {_n(len(result.issues), 'issue')}; report: {where}")
    return "\n".join(lines)


def _issue_lines(item: IssueDiff, result: Result) -> list[tuple[str, str]]:
    """(kind, message) for each line the issue needs: every changed page, then one line
    for the rest."""
    before = result.before
    if item.state == "same-inputs":
        return [("unchanged", f"{item.slug}: same inputs as {before}, not rebuilt")]
    if item.state == "identical":
        return [("unchanged", f"{item.slug}: {_n(item.pages_after, 'page')}, identical PDF")]
    if item.state == "new":
        return [("new issue", f"{item.slug}: {_n(item.pages_after, 'page')}, not at {before}")]
    if item.state == "removed":
        return [("removed", f"{item.slug}: {_n(item.pages_before, 'page')} at {before}, "
                            "gone now")]
    lines = []
    if item.state == "unbuilt-before":
        lines.append(("unbuilt", f"{item.slug}: did not build at {before}: "
                                 f"{item.error.splitlines()[0]}"))
    elif item.pages_before != item.pages_after:
        lines.append(("pages", f"{item.slug}: {_n(item.pages_before, 'page')} at {before}, "
                               f"{item.pages_after} now"))
    for page in item.changed_pages:
        lines.append(("changed", f"{item.slug} page {page.number}: {describe(page, before)}"))
    lines += [("unchanged", f"{item.slug}: {rest}")] if (rest := _unchanged(item)) else []
    return lines


def _unchanged(item: IssueDiff) -> str:
    """The pages that did not change, in one phrase: the same, or changed below the threshold."""
    same = [p.number for p in item.pages if not p.changed and p.share == 0]
    below = [p for p in item.pages if not p.changed and p.share > 0]
    parts = [f"{_pages(same)} the same"] if same else []
    if below:
        most = max(p.share for p in below)
        parts.append(f"{_pages([p.number for p in below])} changed below the threshold "
                     f"(at most {_percent(most)} of the pixels)")
    return "; ".join(parts)


def describe(page: PageDiff, before: str) -> str:
    if not page.before:
        return f"new page (none at {before})"
    if not page.after:
        return "removed page (none now)"
    left, top, right, bottom = page.box_mm
    return (f"{_percent(page.share)} of its pixels, within {left:g}-{right:g} mm across and "
            f"{top:g}-{bottom:g} mm down from the trim's top left")


def html(result: Result) -> str:
    changed = result.changed
    pages = sum(len(i.changed_pages) for i in changed)
    summary = (f"{pages} page{'s' * (pages != 1)} changed in {len(changed)} of "
               f"{_n(len(result.issues), 'issue')}." if changed else
               f"Nothing changed in {_n(len(result.issues), 'issue')}.")
    body = [f"<h1>publish diff</h1>",
            f"<p class=summary>{escape(result.after)} against {escape(result.before)}, "
            f"at {result.dpi} dpi. <b>{escape(summary)}</b></p>"]
    if pages:
        body.append("<p class=legend>Overlay: what both pages share in grey, "
                    "<span class=before>only before in red</span>, "
                    "<span class=after>only now in blue</span>, "
                    "<span class=colour>a colour change in orange</span>, framed in magenta. "
                    "Click a picture for its full size.</p>")
    for item in changed:
        body.append(f"<section class=issue><h2>{escape(item.slug)} "
                    f"<small>{escape(item.rel)}</small></h2>")
        for kind, message in _issue_lines(item, result):
            if kind not in ("changed", "unchanged"):
                body.append(f"<p class=note>{escape(message)}</p>")
        for page in item.changed_pages:
            body.append(_page(item, page, result))
        if rest := _unchanged(item):
            body.append(f"<p class=same>{escape(rest[0].upper() + rest[1:])}.</p>")
        body.append("</section>")
    rest = [i for i in result.issues if not i.changed]
    if rest:
        body.append("<section class=unchanged><h2>Unchanged</h2><ul>")
        body += [f"<li>{escape(message)}</li>"
                 for item in rest for _, message in _issue_lines(item, result)]
        body.append("</ul></section>")
    return _PAGE.format(title=escape(f"publish diff: {summary}"), body="\n".join(body))


def _page(item: IssueDiff, page: PageDiff, result: Result) -> str:
    columns = [("before", result.before), ("after", result.after), ("overlay", "overlay")]
    cells = []
    for kind, caption in columns:
        name = page.images.get(kind)
        if name:
            alt = f"{item.slug} page {page.number}, {caption}"
            cells.append(f"<figure><a href=\"img/{escape(name)}\"><img src=\"img/{escape(name)}\" "
                         f"alt=\"{escape(alt)}\"></a><figcaption>{escape(caption)}</figcaption>"
                         "</figure>")
        elif kind != "overlay":
            cells.append(f"<figure><div class=missing>no page {page.number}</div>"
                         f"<figcaption>{escape(caption)}</figcaption></figure>")
    return (f"<div class=page id=\"{escape(item.slug)}-p{page.number}\"><h3>page {page.number}"
            f" <small>{escape(describe(page, result.before))}</small></h3>"
            f"<div class=sides>{''.join(cells)}</div></div>")


def _percent(share: float) -> str:
    percent = share * 100
    return f"{percent:.2f}%" if percent >= 0.01 else f"{percent:.1g}%"


def _n(count: int | None, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return f"pages {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


_PAGE = """<!doctype html>
<html lang=en>
<head>
<meta charset=utf-8>
<title>{title}</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #f4f4f4; }}
h1 {{ margin: 0 0 .3em; }}
h2 small, h3 small {{ font-weight: normal; color: #555; margin-left: .5em; }}
section {{ background: #fff; padding: .5em 1em 1em; margin: 1em 0; border-radius: 4px; }}
.sides {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 1em; }}
figure {{ margin: 0; }}
figure img {{ width: 100%; border: 1px solid #bbb; display: block; background: #fff; }}
figcaption {{ text-align: center; color: #555; font-size: 13px; }}
.missing {{ aspect-ratio: 210 / 297; border: 1px dashed #999; display: grid;
            place-items: center; color: #777; }}
.before {{ color: #c80000; }} .after {{ color: #0096c8; }} .colour {{ color: #e08c00; }}
.note {{ color: #a40; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""
