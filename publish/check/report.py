"""The check's report: one line per page, the problems (root causes first), the measured
preflight facts, and a last line with the verdict; or the same as JSON or JUnit XML."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

SEVERITIES = ("error", "warning", "proof")
ROOT_CAUSES = ("destinations", "text-map", "pages")  # said first: the details follow from them
# Rules that are not about one plan entry: each is its own JUnit test case.
PREFLIGHT_RULES = ("font-embedded", "font-subset", "font-source", "missing-glyph", "trim-box",
                   "bleed-box", "geometry", "image-resolution", "output-intent", "colour",
                   "metadata", "languages", "page-count", "destinations", "text-map",
                   "ink-limit", "rich-black", "hairline", "overprint", "spot-colour",
                   "output-profile", "annotation", "word-spacing")
PROOF_KINDS = {"placeholder": ("placeholder figure", "placeholder figures"),
               "qr-placeholder": ("QR code with a placeholder payload",
                                  "QR codes with a placeholder payload"),
               "uncertain": ("passage marked uncertain", "passages marked uncertain"),
               "empty": ("empty section", "empty sections"),
               "web-only": ("web-only phrase", "web-only phrases"),
               # The press preflight's (press.py): proofs, errors under --press.
               "ink-limit": ("colour over the ink limit", "colours over the ink limit"),
               "rich-black": ("small text in rich black", "small texts in rich black"),
               "hairline": ("hairline", "hairlines"),
               "overprint": ("overprint fault", "overprint faults"),
               "spot-colour": ("undeclared spot colour", "undeclared spot colours"),
               "output-profile": ("output profile not known by its content",
                                  "output profiles not known by their content"),
               "annotation": ("annotation for the screen", "annotations for the screen"),
               "underfill": ("column short of its foot", "columns short of their foot"),
               "image-resolution": ("photo below print resolution",
                                    "photos below print resolution"),
               # The screen edition's (verdict.py).
               "alt": ("picture without alternative text", "pictures without alternative text")}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error", "warning" or "proof" (stands between the PDF and press)
    rule: str  # e.g. "starts-on-page", "font-embedded", "placeholder"
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
    preflight: dict = field(default_factory=dict)  # measured facts for a printer
    fit: list[dict] = field(default_factory=list)  # what the fit stage moved, per run

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def proofs(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "proof"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def press_ready(self) -> bool:
        return not self.errors and not self.proofs

    def add(self, severity: str, rule: str, message: str, page: int | None = None,
            anchor: str | None = None) -> None:
        self.findings.append(Finding(severity, rule, message, page, anchor))
        if severity == "error" and page is not None:
            for line in self.pages:
                if line.page <= page <= max(line.page, line.last):
                    line.ok = False

    def ordered(self) -> list[Finding]:
        def key(f: Finding):
            cause = ROOT_CAUSES.index(f.rule) if f.rule in ROOT_CAUSES else len(ROOT_CAUSES)
            return cause, SEVERITIES.index(f.severity), f.page or 0
        return sorted(self.findings, key=key)

    def verdict(self) -> str:
        """"ready for press", or "proof: " and what stands between the PDF and press, by page."""
        if self.press_ready:
            return "ready for press"
        by_page: dict[int, dict[str, int]] = {}
        for f in self.findings:
            if f.severity == "warning":
                continue
            kind = f.rule if f.rule in PROOF_KINDS else "error"
            counts = by_page.setdefault(f.page or 0, {})
            counts[kind] = counts.get(kind, 0) + 1
        parts = []
        for page in sorted(by_page):
            said = []
            order = ["error", *PROOF_KINDS]
            for kind, n in sorted(by_page[page].items(), key=lambda kv: order.index(kv[0])):
                one, many = PROOF_KINDS.get(kind, ("error", "errors"))
                said.append(f"{n} {one if n == 1 else many}")
            parts.append(f"{f'page {page}' if page else 'the file'}: {', '.join(said)}")
        return "proof: " + "; ".join(parts)

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
        problems = [f for f in self.ordered() if f.severity != "proof"]
        # Root causes first, then the details; a warning that is a root cause leads too.
        if problems:
            lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s):")
            lines.extend(f"  {f}" for f in problems)
        else:
            lines.append("all checks passed")
        if self.proofs:
            lines.append(f"{len(self.proofs)} item(s) for a proof, errors with --press:")
            lines.extend(f"  {f}" for f in self.ordered() if f.severity == "proof")
        lines.extend(format_fit(self.fit))
        lines.extend(format_preflight(self.preflight))
        lines.append(self.verdict())
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({
            "pdf": str(self.pdf), "issue": str(self.issue), "ok": self.ok,
            "press_ready": self.press_ready, "verdict": self.verdict(),
            "planned_pages": self.planned_pages, "pdf_pages": self.pdf_pages,
            "pages": [asdict(p) for p in self.pages],
            "findings": [asdict(f) for f in self.ordered()],
            "preflight": self.preflight,
            "fit": self.fit,
        }, indent=2, ensure_ascii=False)

    def to_junit(self) -> str:
        """JUnit XML for CI: one test case per plan entry and one per preflight rule."""
        suite = ET.Element("testsuite", name=f"publish check {self.pdf.name}")
        cases = 0
        failures = 0

        def case(classname: str, name: str, found: list[Finding]) -> None:
            nonlocal cases, failures
            cases += 1
            element = ET.SubElement(suite, "testcase", classname=classname, name=name)
            errors = [f for f in found if f.severity == "error"]
            if errors:
                failures += 1
                failure = ET.SubElement(element, "failure", message=errors[0].message,
                                        type=errors[0].rule)
                failure.text = "\n".join(str(f) for f in errors)
            others = [f for f in found if f.severity != "error"]
            if others:
                ET.SubElement(element, "system-out").text = "\n".join(str(f) for f in others)

        for line in self.pages:
            pages = range(line.page, max(line.page, line.last) + 1)
            found = [f for f in self.findings if f.page in pages
                     and f.rule not in PREFLIGHT_RULES]
            case("plan", f"page {line.label}: {', '.join(line.expected) or '-'}", found)
        for rule in PREFLIGHT_RULES:
            case("preflight", rule, [f for f in self.findings if f.rule == rule])
        rest = [f for f in self.findings if f.page is None and f.rule not in PREFLIGHT_RULES]
        case("verdict", self.verdict(), rest)
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def format_fit(runs: list[dict]) -> list[str]:
    """What the fit stage moved, one line per page it set ("page 3: body 8.8 pt, leading
    1.32, figure 3.1 40 -> 36 mm; fill 6 mm"), and its advice where a page cannot fit."""
    moved = [r for r in runs if r.get("moved") or r.get("advice")]
    if not moved:
        return []
    lines = [f"fitted: {sum(1 for r in runs if r.get('moved'))} of {len(runs)} page(s) set "
             "apart from the layout's own setting:"]
    for r in moved:
        line = f"  page {r.get('page')}: {r.get('moved') or 'as the layout sets it'}"
        if r.get("fill_mm") is not None:
            line += f"; fill {r['fill_mm']:g} mm"
        lines.append(line)
        if r.get("advice"):
            lines.append(f"    cannot fit: {r['advice']}")
    return lines


def format_preflight(facts: dict) -> list[str]:
    """The measured facts a prepress desk asks for, one line each."""
    if not facts:
        return []
    lines = ["preflight (measured):"]
    trims = facts.get("trim_mm") or []
    bleed = facts.get("bleed_mm")
    lines.append("  trim " + (", ".join(f"{w:.1f} x {h:.1f} mm" for w, h in trims) or "none")
                 + (f", bleed {bleed:.1f} mm" if bleed is not None else ", no bleed box"))
    intent = facts.get("output_intent")
    lines.append("  output intent " + (
        f"{intent['subtype']} \"{intent['condition']}\""
        + (f" (registry {intent['registry']})" if intent["registry"] else "")
        + f", {intent['components']}-component profile" if intent else "none"))
    fonts = facts.get("fonts") or []
    lines.append(f"  fonts ({len(fonts)}): " + (", ".join(
        f["name"] + ("" if f["embedded"] else " NOT EMBEDDED")
        + ("" if f["subset"] or not f["embedded"] else " (whole)") for f in fonts) or "none"))
    profile = facts.get("output_profile")
    if profile:
        lines.append(f"  output profile \"{profile['description']}\" ({profile['space']} "
                     f"{profile['class']}, ICC {profile['version']}, {profile['bytes']} bytes, "
                     f"sha256 {profile['sha256']}"
                     + (f", {profile['known_as']}" if profile["known_as"] else ", not known")
                     + ")")
    ink = facts.get("ink")
    if ink:
        lines.append(f"  max ink {ink['percent']:.0f}% (page {ink['page']}, {ink['object']}; "
                     f"limit {ink['limit']}%)")
    if facts.get("thinnest_line_pt") is not None:
        lines.append(f"  thinnest line {facts['thinnest_line_pt']:.3f} pt")
    if facts.get("spot_colours"):
        lines.append("  spot colours: " + ", ".join(facts["spot_colours"]))
    if facts.get("overprint_faults"):
        lines.append(f"  overprint faults: {facts['overprint_faults']}")
    small = facts.get("smallest_text")
    if small:
        lines.append(f"  smallest text {small['pt']:.1f} pt (page {small['page']})")
    feet = facts.get("column_feet")
    if feet and feet["pages"]:
        lines.append(f"  column feet, mm short of the foot (tolerance {feet['tolerance_mm']:g} "
                     "mm): " + "; ".join(
                         f"page {p['page']} " + " ".join(f"{v:.0f}" for v in p["columns_short_mm"])
                         + (" (above the band)" if p["foot"] == "band" else "")
                         for p in feet["pages"]))
    images = facts.get("images") or []
    lines.append("  images: " + ("; ".join(
        f"page {i['page']} {i['pixels'][0]}x{i['pixels'][1]} px at {i['ppi']:.0f} ppi "
        f"{i['colour'].lstrip('/')}" for i in images) or "none"))
    return lines
