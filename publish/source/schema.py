"""The issue, series and layout formats, written down once.

Every mapping an editor writes is a Shape: its fields, each with a type, whether
it is required, its default and a line of documentation. The loader reads files
by these shapes (unknown keys, missing required fields and types come from here),
`publish schema` writes the JSON Schemas in schema/ and the field tables of
docs/format.md from them, and a test fails when either is stale.

Types (the `type` of a Field):
  text        one line of text, or a bilingual pair {en, zh}
  rich        rich text (paragraphs, lists), or a bilingual pair
  flow        rich text, or a list mixing rich-text strings and in-flow blocks
  string      plain text, not bilingual
  id          lower-case letters, digits and '-'
  int         a whole number (low..high)
  mm          a number of millimetres (low..high)
  pt          a number of points (low..high)
  number      a plain number, such as a factor (low..high)
  bool        true or false
  choice      one of `choices`
  year-month  a year and month such as 2017-05
  page        a page number (2) or a spread (4/5)
  image       a path inside the issue folder
  point       [x, y], two numbers from 0 to 1 (a point in a picture, from its top left)
  lines       a list of plain text lines
  list        a list of `item` (a type name or a Shape)
  shape       a mapping of `item` (a Shape)
  blocks      a list of blocks, each a mapping with one key, its kind
  empty       nothing, or an empty mapping ({})
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
YEAR_MONTH_PATTERN = r"^\d{4}-(0?[1-9]|1[0-2])(-\d{1,2})?$"
PAGE_PATTERN = r"^\d+(\s*/\s*\d+)?$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    doc: str
    required: bool = False
    default: Any = None  # what an absent field means (documentation and JSON Schema)
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    item: "str | Shape | None" = None
    hint: str | None = None  # said with a value of the wrong form


@dataclass(frozen=True)
class Shape:
    name: str
    doc: str
    fields: tuple[Field, ...]
    # The field a text given instead of the mapping stands for (`banner: TEXT`).
    text_form: str | None = None

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


F = Field
_UNCERTAIN = F("uncertain", "string", "why the text is not yet certain (e.g. \"reading order of "
                                      "paragraph 3 not restored\"); the check calls such an issue "
                                      "a proof, not ready for press")
_KEEP = F("keep_together", "bool", "keep it whole in one column (for a short one)", default=False)
_SPAN = F("span", "choice", "`column`, or `page` for the full width of the page",
          default="column", choices=("column", "page"))

# -- series ------------------------------------------------------------------

CONTACT = Shape("contact", "An office printed by a `contacts` block.", (
    F("name", "text", "the office's name", required=True),
    F("organisation", "text", "a wordmark above the name"),
    F("en", "lines", "the English lines, one string per printed line"),
    F("zh", "lines", "the Chinese lines, one string per printed line"),
))

SERIES = Shape("series", "What every issue of a series shares (`issues/<series>/series.yaml`).", (
    F("title", "text", "the project title on the masthead", required=True),
    F("layout", "id", "a folder under layouts/", required=True,
      hint="the name of a folder in layouts/, such as 'mmsp'; not a path"),
    F("short_title", "string", "a short name for the series, for your own files (not printed)",
      default="the series folder's name"),
    F("masthead", "text", "the word in large type on the cover", default="NEWSLETTER"),
    F("tagline", "text", "a line under the masthead word on every cover (e.g. the project's "
                         "motto)"),
    F("publisher", "string", "the PDF's author", default=""),
    F("language", "choice", "the main language of the text", default="en", choices=("en", "zh")),
    F("saddle_stitched", "bool", "true: the page count must be a multiple of 4", default=False),
    F("require_languages", "list", "languages that must appear in the PDF (masthead, contacts)",
      item="language"),
    F("running_header", "text", "printed on every page but the cover"),
    F("running_footer", "text", "printed beside the page number"),
    F("contacts", "list", "offices printed by a `contacts` block", item=CONTACT),
    F("funders", "list", "lines printed by a `funders` block", item="text"),
    F("names", "list", "names never hyphenated, besides those found in the text (one that "
                       "only ever opens a sentence, e.g. Hermoso)", item="string"),
))

# -- blocks ------------------------------------------------------------------

SIGNATURE = Shape("signature", "Who signs a foreword.", (
    F("name", "text", "the signatory", required=True),
    F("role", "text", "their role; a `|` block keeps its line breaks"),
))
QA_ITEM = Shape("qa item", "A question and its answer.", (
    F("q", "text", "the question", required=True),
    F("a", "rich", "the answer", required=True),
))
EVENT_DATE = Shape("event date", "Where and when an event took place; or just a text such as "
                                 "`July 2021`.", (
    F("place", "text", "e.g. Beijing"),
    F("date", "text", "free-form: `2021-07-05`, `July 2021`, `5-6 July`"),
), text_form="date")
EVENT = Shape("event", "One event of an `events` list.", (
    F("title", "text", "the event", required=True),
    F("dates", "list", "where and when", item=EVENT_DATE),
))

_ALT = F("alt", "text", "what the picture shows, said by a screen reader in the screen edition; "
                       "`caption` lets the caption stand in, `decorative` marks a picture that "
                       "says nothing (drawn as an artifact)")

QR_FIELDS = (
    F("data", "string", "the text or URL encoded", required=True),
    F("caption", "text", "printed under the code"),
    F("size", "mm", "the code's width and height, its quiet zone (four modules of white on every "
             "side, which readers need to find it) included", default=25, low=10, high=120),
    F("placeholder", "bool", "true when `data` is not the real address yet: the check calls the "
                             "issue a proof until it is replaced", default=False),
    _ALT,
)

BLOCKS: dict[str, Shape] = {}


def _block(shape: Shape) -> Shape:
    BLOCKS[shape.name] = shape
    return shape


ARTICLE = _block(Shape("article", "An article: a headline and its text, listed in the index.", (
    F("id", "id", "unique in the issue; used by `[pg.](page:id)` and the index", required=True),
    F("title", "text", "the headline", required=True),
    F("body", "flow", "the text; a list mixes rich-text strings with in-flow blocks",
      required=True),
    F("index_title", "text", "what the cover index prints, if it differs from `title`"),
    F("in_index", "bool", "listed in the cover index", default=True),
    F("kicker", "text", "a small line above the title"),
    _KEEP,
    _UNCERTAIN,
)))
BANNER = _block(Shape("banner", "A section heading across all columns, over the articles that "
                                "follow. Written as text: `- banner: NEW RULES`.", (
    F("text", "text", "the heading", required=True),
), text_form="text"))
QUOTE = _block(Shape("quote", "A pull quote with its attribution.", (
    F("text", "text", "the quotation", required=True),
    F("name", "text", "who said it"),
    F("role", "text", "their role"),
)))
FIGURE = _block(Shape("figure", "A photograph, logo, chart or map; without `image`, a framed "
                                "placeholder of the declared size is printed with the caption.", (
    F("image", "image", "relative to the issue folder; PNG or JPEG"),
    F("caption", "text", "under the picture; a `|` block keeps its line breaks"),
    F("credit", "text", "e.g. \"© Richard Fairbrother, IOM\""),
    F("source", "text", "where the picture or data comes from, on a line of its own"),
    F("height", "mm", "the picture's height", default=45, low=5, high=280),
    F("min_height", "mm", "the least height the fit may give it (a photo cropped to fit; "
                          "docs/fit.md)", low=5, high=280),
    F("max_height", "mm", "the most height the fit may give it", low=5, high=280),
    _SPAN,
    F("kind", "choice", "what the picture is; printed on its placeholder (\"PHOTOGRAPH\", "
                        "\"CHART\"...)", default="photo",
      choices=("photo", "logo", "chart", "map", "slide", "graphic")),
    F("fit", "choice", "how the picture fills its frame (the column's width by `height`): "
                       "`cover` fills it and crops what overflows, `contain` shows it whole",
      default="cover", choices=("cover", "contain")),
    F("focus", "point", "the point of the picture kept in view when `cover` crops it: "
                        "`[x, y]` from its top left, each 0 to 1", default="[0.5, 0.5]"),
    F("bleed", "choice", "runs off the page's `left` or `right` edge (or `both`) to the "
                         "bleed edge, over the margin", choices=("left", "right", "both")),
    F("intent", "choice", "how colours outside the press's gamut are brought in: "
                          "`relative` colorimetric (with black-point compensation) keeps "
                          "those it can exactly, `perceptual` compresses all of them (for "
                          "a very saturated picture)", default="relative",
      choices=("relative", "perceptual")),
    _ALT,
)))
QR = _block(Shape("qr", "A QR code.", QR_FIELDS))
PANEL = _block(Shape("panel", "An infobox; panels nest as sub-panels.", (
    F("body", "flow", "rich text, or a list of rich-text strings and in-flow blocks",
      required=True),
    F("title", "text", "the heading"),
    F("subtitle", "text", "a line under the heading"),
    F("columns", "int", "text columns inside the panel", default=1, low=1, high=3),
    _SPAN,
    _KEEP,
    _UNCERTAIN,
)))
TABLE = _block(Shape("table", "A table, usually inside a panel.", (
    F("rows", "list", "each row a list of texts, as long as the header", required=True,
      item="row"),
    F("caption", "text", "above the table"),
    F("header", "list", "the column headings", item="text"),
    F("row_headers", "bool", "the first cell of each row is a heading", default=False),
    F("source", "text", "a credit line under the table"),
)))
QA = _block(Shape("qa", "Questions and answers.", (
    F("items", "list", "the questions", required=True, item=QA_ITEM),
    F("title", "text", "the heading"),
)))
EVENTS = _block(Shape("events", "A list of events with their places and dates.", (
    F("items", "list", "the events", required=True, item=EVENT),
    F("title", "text", "e.g. \"...and other key activities\""),
)))
PROMO = _block(Shape("promo", "A promotional box, with an optional QR code.", (
    F("title", "text", "the heading", required=True),
    F("subtitle", "text", "a line under the heading"),
    F("body", "flow", "rich text, or a list of rich-text strings and in-flow blocks"),
    F("qr", "shape", "a QR code (a `qr` block's fields)", item=Shape("qr", "", QR_FIELDS)),
)))
SUMMARY = _block(Shape("summary", "A boxed summary.", (
    F("body", "rich", "the summary", required=True),
    F("title", "text", "the heading", default="Summary"),
)))
FOREWORD = _block(Shape("foreword", "The cover's foreword.", (
    F("body", "rich", "the foreword", required=True),
    F("title", "text", "the heading", default="FOREWORD"),
    F("closing", "text", "e.g. \"Enjoy your reading!\""),
    F("signature", "shape", "the signatory", item=SIGNATURE),
)))
INDEX = _block(Shape("index", "The printed table of contents, generated from the plan: every "
                              "article not marked `in_index: false`, under the page it starts "
                              "on. `- index: {}` takes the defaults.", (
    F("title", "text", "a heading, e.g. \"INSIDE\""),
    F("numbers", "bool", "`false` prints a plain bulleted list without page numbers",
      default=True),
)))
CONTACTS = _block(Shape("contacts", "The contact footer: every office of the series (or of the "
                                    "issue's `contacts`). No fields: `- contacts: {}`.", ()))
FUNDERS = _block(Shape("funders", "The funder line: the series (or issue) `funders`. No fields: "
                                  "`- funders: {}`.", ()))

IN_FLOW = ("quote", "figure", "qr", "panel", "table", "qa", "events", "promo")
TOP_LEVEL = ("article", "banner", "foreword", "index", "summary", "contacts", "funders") + IN_FLOW

# -- issue -------------------------------------------------------------------

PAGE = Shape("page", "One entry of the page plan: a page or a spread, and its blocks.", (
    F("page", "page", "the page number, or a spread of two facing pages such as `4/5`",
      required=True),
    F("blocks", "blocks", "the blocks, in order; `[]` for a page left empty", required=True),
    F("columns", "int", "text columns", default=2, low=1, high=3),
    F("continues", "bool", "the previous page's flow runs on to this page, without a page break",
      default=False),
    F("balance", "bool", "end the columns level (for a page its text does not fill)",
      default=False),
    F("index_label", "text", "a section label the cover index prints after the page number "
                             "(\"PAGE 3: MMSP II EVENTS IN 2020\")"),
    F("body_size", "pt", "a pin: body text at this size on this page, where the layout's (9 pt "
                         "in the base layout) is not wanted; the fit moves only the other "
                         "levers; headings keep theirs", low=6, high=14),
))

ISSUE = Shape("issue", "One issue (`issues/<series>/<issue>/issue.yaml`).", (
    F("number", "int", "the issue's number", required=True, low=0, high=100000),
    F("date", "year-month", "year and month, e.g. 2017-05", required=True),
    F("pages", "list", "the page plan, in order", required=True, item=PAGE),
    F("label", "text", "the issue label", default="\"5th Issue\" from number"),
    F("date_label", "text", "the printed date", default="\"MAY 2017\" from date"),
    F("title", "text", "overrides the series title on this cover", default="the series title"),
    F("headline", "text", "a line under the masthead"),
    F("contacts", "list", "overrides the series contacts", item=CONTACT),
    F("funders", "list", "overrides the series funders", item="text"),
))

# -- layout ------------------------------------------------------------------

RANGE = Shape("range", "A lever's bounds; either end left out keeps the parent layout's.", (
    F("min", "number", "the least value", low=-100, high=100),
    F("max", "number", "the most value", low=-100, high=100),
))

FIT = Shape("fit", "What the fit stage may change so that each page's content fills its columns "
                   "(docs/fit.md); a value left out keeps the parent layout's.", (
    F("tolerance", "mm", "how far short of its foot (or of a band pinned there) a column may end",
      default=15, low=0, high=100),
    F("space", "shape", "the space between blocks, as a factor of the layout's "
                        "(base: 0.6 to 1.6)", item=RANGE),
    F("figures", "shape", "a placeholder figure's height, as a factor of its declared height "
                          "(base: 0.7 to 1.4)", item=RANGE),
    F("body", "shape", "the body text size in points (base: 8 to 10)", item=RANGE),
    F("leading", "shape", "the line height, a multiple of the text size (base: 1.25 to 1.5)",
      item=RANGE),
    F("tracking", "shape", "the letter spacing in em, 0.01 being 1 % (base: -0.01 to 0.01)",
      item=RANGE),
))

FROZEN_PAGE = Shape("frozen page", "The settings the fit chose for one run of pages.", (
    F("page", "page", "the run's first page (a spread: `4/5`)", required=True),
    F("space", "number", "the factor on the space between blocks", default=1, low=0, high=10),
    F("figures", "number", "the factor on placeholder heights", default=1, low=0.05, high=10),
    F("body", "pt", "the body text size", low=4, high=30),
    F("leading", "number", "the line height", low=0.5, high=4),
    F("tracking", "number", "the letter spacing, em", default=0, low=-0.2, high=0.2),
))

FROZEN = Shape("frozen fit", "An issue's fit.yaml: the settings `publish build --freeze-fit` "
                             "wrote, used as they are while the file is there.", (
    F("pages", "list", "one entry per run of pages the fit set", required=True,
      item=FROZEN_PAGE),
))

LAYOUT = Shape("layout", "A layout folder's manifest (`layouts/<name>/layout.yaml`).", (
    F("description", "string", "what the layout looks like"),
    F("extends", "id", "the layout this one extends (a folder under layouts/, by name): "
                       "templates are looked up here first, then there",
      hint="a layout extends another folder in layouts/ by its name, such as 'base'; "
           "not a path"),
    F("stylesheets", "list", "CSS files in this folder, applied after the parent's",
      item="string"),
    F("fit", "shape", "the bounds of the fit stage and its fill tolerance (docs/fit.md)",
      item=FIT),
))

SHAPES = (SERIES, CONTACT, ISSUE, PAGE, *BLOCKS.values(), SIGNATURE, QA_ITEM, EVENT, EVENT_DATE,
          LAYOUT)
