"""The check's report: one line per page, then the problems; or the same as JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    rule: str  # e.g. "starts-on-page", "font-embedded"
    message: str
    page: int | None = None
    anchor: str | None = None

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{self.severity}: {where}{self.message} [{self.rule}]"


@dataclass
class PageLine:
    page: int  # first page of the plan entry (a spread is one line)
    expected: list[str]  # anchors the plan puts on this page
    found: list[str]  # anchors whose start the PDF has on this page
    ok: bool = True
    last: int = 0  # last page, for a spread

    @property
    def label(self) -> str:
        return f"{self.page}/{self.last}" if self.last > self.page else str(self.page)


@dataclass
class Report:
    pdf: Path
    issue: Path
    planned_pages: int
    pdf_pages: int
    pages: list[PageLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, severity: str, rule: str, message: str, page: int | None = None,
            anchor: str | None = None) -> None:
        self.findings.append(Finding(severity, rule, message, page, anchor))
        if severity == "error" and page is not None:
            for line in self.pages:
                if line.page <= page <= max(line.page, line.last):
                    line.ok = False

    def format(self) -> str:
        head = (f"check {self.pdf} against {self.issue}: {self.pdf_pages} pages "
                f"(plan: {self.planned_pages})")
        lines = [head]
        for p in self.pages:
            status = "ok  " if p.ok else "FAIL"
            expected = ", ".join(p.expected) or "-"
            extra = ""
            if set(p.found) != set(p.expected):
                extra = "   found: " + (", ".join(p.found) or "nothing")
            lines.append(f"  page {p.label:>3}  {status}  {expected}{extra}")
        if self.findings:
            lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s):")
            lines.extend(f"  {f}" for f in sorted(
                self.findings, key=lambda f: (f.severity != "error", f.page or 0)))
        else:
            lines.append("all checks passed")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({
            "pdf": str(self.pdf), "issue": str(self.issue), "ok": self.ok,
            "planned_pages": self.planned_pages, "pdf_pages": self.pdf_pages,
            "pages": [asdict(p) for p in self.pages],
            "findings": [asdict(f) for f in self.findings],
        }, indent=2, ensure_ascii=False)
