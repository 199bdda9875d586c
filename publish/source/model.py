"""The content model: what an issue is, independent of YAML and of any layout.

Every class is a frozen dataclass. Text fields hold the editor's markup source
(a small Markdown subset); turning it into HTML is the compose stage's job.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Union

from . import anchors


@dataclass(frozen=True)
class Text:
    """A text in English, Chinese, or both (a bilingual pair)."""

    en: str | None = None
    zh: str | None = None

    @property
    def plain(self) -> str:
        return " / ".join(t for t in (self.en, self.zh) if t)


@dataclass(frozen=True)
class Signature:
    name: Text
    role: Text | None = None


@dataclass(frozen=True)
class Contact:
    name: Text
    organisation: Text | None
    en: tuple[str, ...]
    zh: tuple[str, ...]


# Blocks. `kind` names the block in YAML and the partial that renders it.

@dataclass(frozen=True)
class Banner:
    kind: ClassVar[str] = "banner"
    text: Text


@dataclass(frozen=True)
class Quote:
    kind: ClassVar[str] = "quote"
    text: Text
    name: Text | None = None
    role: Text | None = None


def _alt_word(alt: "Text | None") -> str | None:
    """`caption` or `decorative` when an alt is one of the format's two words."""
    word = alt.plain.strip().lower() if alt is not None else None
    return word if word in ("caption", "decorative") else None


@dataclass(frozen=True)
class Figure:
    kind: ClassVar[str] = "figure"
    image: Path | None  # absolute, checked to exist inside the issue folder
    caption: Text | None
    credit: Text | None
    height: float  # millimetres
    span: str  # "column" or "page"
    source: Text | None = None  # where the picture comes from, printed apart from the credit
    subject: str = "photo"  # what the picture is (YAML `kind`): photo, logo, chart, map, slide, graphic
    fit: str = "cover"  # how the photo fills its frame: "cover" (cropped) or "contain"
    focus: tuple[float, float] = (0.5, 0.5)  # the point kept in view when cropped, 0-1 from top left
    bleed: str | None = None  # "left", "right" or "both": runs off that page edge to the bleed
    intent: str = "relative"  # rendering intent to the output condition: relative or perceptual
    alt: Text | None = None  # for a screen reader; "caption" and "decorative" are words of the format

    # The heights the fit may give it (mm); a placeholder also keeps within the layout's
    # bounds, a picture moves only within a range the issue gives.
    min_height: float | None = None
    max_height: float | None = None

    @property
    def decorative(self) -> bool:
        return _alt_word(self.alt) == "decorative"

    @property
    def described(self) -> str | None:
        """What a screen reader says for the picture; None when the issue does not say."""
        if self.decorative:
            return ""
        if _alt_word(self.alt) == "caption":
            return self.caption.plain if self.caption else None
        return self.alt.plain if self.alt else None

    @property
    def flexible(self) -> bool:
        return self.image is None or (self.min_height is not None or self.max_height is not None)


@dataclass(frozen=True)
class QR:
    kind: ClassVar[str] = "qr"
    data: str
    caption: Text | None
    size: float  # millimetres
    placeholder: bool = False  # the data is not the real address yet: a proof, not press
    alt: Text | None = None

    @property
    def decorative(self) -> bool:
        return _alt_word(self.alt) == "decorative"

    @property
    def described(self) -> str:
        """What a screen reader says: the alt, the caption (`alt: caption`) or the payload."""
        if self.decorative:
            return ""
        if _alt_word(self.alt) == "caption" and self.caption:
            return self.caption.plain
        if self.alt and _alt_word(self.alt) != "caption":
            return self.alt.plain
        return f"QR code: {self.data}"


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    caption: Text | None
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    row_headers: bool
    source: Text | None


@dataclass(frozen=True)
class QAItem:
    q: Text
    a: Text


@dataclass(frozen=True)
class QA:
    kind: ClassVar[str] = "qa"
    title: Text | None
    items: tuple[QAItem, ...]


@dataclass(frozen=True)
class EventDate:
    place: Text | None
    date: Text | None


@dataclass(frozen=True)
class Event:
    title: Text
    dates: tuple[EventDate, ...]


@dataclass(frozen=True)
class Events:
    kind: ClassVar[str] = "events"
    title: Text | None
    items: tuple[Event, ...]


@dataclass(frozen=True)
class Panel:
    kind: ClassVar[str] = "panel"
    title: Text | None
    subtitle: Text | None
    body: tuple["Flow", ...]
    columns: int
    span: str
    style: str = "panel"  # "panel", "promo" or "summary": the layout's look for it
    uncertain: str | None = None  # why the text is not yet certain: a proof, not press
    keep_together: bool = False  # never split across columns or pages


@dataclass(frozen=True)
class Promo:
    kind: ClassVar[str] = "promo"
    title: Text | None
    subtitle: Text | None
    body: tuple["Flow", ...]
    qr: QR | None


@dataclass(frozen=True)
class Summary:
    kind: ClassVar[str] = "summary"
    title: Text
    body: Text


@dataclass(frozen=True)
class Foreword:
    kind: ClassVar[str] = "foreword"
    title: Text
    body: Text
    closing: Text | None
    signature: Signature | None


@dataclass(frozen=True)
class Index:
    kind: ClassVar[str] = "index"
    title: Text | None
    numbers: bool


@dataclass(frozen=True)
class Contacts:
    kind: ClassVar[str] = "contacts"
    offices: tuple[Contact, ...]


@dataclass(frozen=True)
class Funders:
    kind: ClassVar[str] = "funders"
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Article:
    kind: ClassVar[str] = "article"
    id: str
    title: Text
    index_title: Text | None
    in_index: bool
    kicker: Text | None
    body: tuple["Flow", ...]
    line: int = 0
    uncertain: str | None = None  # why the text is not yet certain: a proof, not press
    keep_together: bool = False  # never split across columns or pages

    @property
    def listed_title(self) -> Text:
        return self.index_title or self.title


# What can stand in the flow of an article or panel: rich text or a block.
Flow = Union[Text, Quote, Figure, QR, Panel, Table, QA, Events, Promo]
Block = Union[Article, Banner, Quote, Figure, QR, Panel, Table, QA, Events, Promo,
              Summary, Foreword, Index, Contacts, Funders]


@dataclass(frozen=True)
class Placed:
    """A block on the page plan, with the anchor id its start and end carry in the PDF."""

    anchor: str
    block: Block


@dataclass(frozen=True)
class Page:
    """One entry of the page plan: a page, or a spread of pages, and its blocks."""

    first: int
    last: int
    columns: int
    blocks: tuple[Placed, ...]
    line: int = 0
    continues: bool = False  # the previous page's flow runs on to this page, no page break
    balance: bool = False  # end the columns level (for a page its text does not fill)
    index_label: Text | None = None  # a section label the index prints after the page number
    body_size: float | None = None  # body text in points, when the layout's size does not fit

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}/{self.last}"

    @property
    def anchor(self) -> str:
        return anchors.page(self.first)


@dataclass(frozen=True)
class Series:
    slug: str
    file: Path
    title: Text
    short_title: str
    masthead: Text
    tagline: Text | None
    publisher: str
    layout: str
    language: str
    saddle_stitched: bool
    require_languages: tuple[str, ...]
    running_header: Text | None
    running_footer: Text | None
    contacts: tuple[Contact, ...]
    funders: tuple[Text, ...]
    names: tuple[str, ...] = ()  # never hyphenated (with those compose finds in the text)


@dataclass(frozen=True)
class Issue:
    series: Series
    file: Path
    slug: str  # e.g. "mmsp-2017-05": the PDF's file name without .pdf
    number: int
    label: Text
    year: int
    month: int
    date_label: Text
    title: Text
    headline: Text | None
    pages: tuple[Page, ...] = field(default=())

    @property
    def folder(self) -> Path:
        return self.file.parent

    @property
    def page_count(self) -> int:
        return self.pages[-1].last if self.pages else 0

    def runs(self) -> list[list[Page]]:
        """Page entries grouped into continuous flows (a page that continues joins the run before)."""
        runs: list[list[Page]] = []
        for page in self.pages:
            if page.continues and runs:
                runs[-1].append(page)
            else:
                runs.append([page])
        return runs

    def end_limit(self, page: Page) -> int:
        """The last page a block planned on page may end on: later if the next page continues it."""
        following = [p for p in self.pages if p.first > page.first]
        if following and following[0].continues:
            return following[0].last
        return page.last

    def articles(self) -> list[tuple[Page, Article]]:
        return [(p, pl.block) for p in self.pages for pl in p.blocks
                if isinstance(pl.block, Article)]

    def indexed(self) -> list[tuple[Page, Article]]:
        return [(p, a) for p, a in self.articles() if a.in_index]
