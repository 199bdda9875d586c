"""Page references laid out twice, not three times: a patch to WeasyPrint 70.

A `[pag.](page:id)` reference is `target-counter(attr(href), page)`. WeasyPrint records,
for each generated content that needs a page number, which counters it misses: its own
(`counter(page)`) and its targets' (`target-counter(...)`), so that a page is laid out
again once the numbers are known. Two slips in WeasyPrint 70's compute_content_list
make it record them wrongly:
- the target of `attr(href)` is recorded under the name None, not under the id the
  attribute names, so laying out the target's page never updates the reference;
- its list of a target's missing counters takes the place of the content's own list, so
  `page` is recorded as a counter of the reference's own page.
The references still come out right, by the second slip: a page holding one is laid out,
its "own page counter" is seen to have changed (from nothing), it is laid out again, now
with the numbers of targets laid out meanwhile; then the number of pages is known, which
changes its counters again, and it is laid out a third time. The 6th issue's cover was
laid out three times, half a second each (as a grid then).

The patch rewrites what was recorded, after compute_content_list ran, as it meant it
(the targets under their ids, the content's own counters apart): a target's page then
updates the reference and marks its page for one more layout, and nothing else does.
"""
from __future__ import annotations

WEASYPRINT_VERSION = "70.0"


def install() -> bool:
    import weasyprint
    from weasyprint.formatting_structure import build
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(build.compute_content_list, "_publish_patched", False):
        return True
    original = build.compute_content_list

    def compute_content_list(content_list, parent_box, counter_values, css_token,
                             parse_again, target_collector, *args, **kwargs):
        key = (parent_box, css_token)
        fresh = target_collector.collecting and key not in target_collector.counter_lookup_items
        result = original(content_list, parent_box, counter_values, css_token, parse_again,
                          target_collector, *args, **kwargs)
        item = target_collector.counter_lookup_items.get(key) if fresh else None
        if item is not None and css_token == "content":
            own, targets = _missing(content_list, parent_box, counter_values, target_collector)
            if own or targets:
                item.missing_counters, item.missing_target_counters = own, targets
            else:
                del target_collector.counter_lookup_items[key]
        return result

    compute_content_list._publish_patched = True
    compute_content_list._publish_original = original
    build.compute_content_list = compute_content_list
    return True


def _missing(content_list, box, counter_values, target_collector):
    """The counters the content misses, its own and its targets' (by id), as WeasyPrint 70's
    compute_content_list goes through the content: it stops at a target not yet seen."""
    own: list[str] = []
    targets: dict[str, list[str]] = {}
    for type_, value in content_list:
        if type_ in ("counter()", "counters()"):
            name, counter_type = value[0], value[-1]
            if counter_type != "none" and name not in counter_values and name not in own:
                own.append(name)
        elif type_ in ("target-counter()", "target-counters()", "target-text()"):
            if type_ != "target-text()" and value[-1] == "none":
                continue
            anchor = _anchor(value[0], box)
            target = target_collector.target_lookup_items.get(anchor)
            if target is None or target.state != "up-to-date":
                break
            if type_ != "target-text()":
                name = value[1]
                if name not in target.target_box.cached_counter_values:
                    names = targets.setdefault(anchor, [])
                    if name not in names:
                        names.append(name)
    return own, targets


def _anchor(anchor_token, box) -> str | None:
    """The id a target token names, `attr()` read from the box's element (as WeasyPrint's
    TargetCollector.lookup_target reads it)."""
    from weasyprint.css.targets import anchor_name_from_token
    from weasyprint.urls import get_url_tuple
    if anchor_token[0] == "attr()":
        attr_name, type_, fallback = anchor_token[1]
        value = box.element.get(attr_name, fallback)
        if type_ == "string":
            anchor_token = ("string", value)
        elif type_ == "url":
            anchor_token = ("url", get_url_tuple(value, box.style.base_url))
    return anchor_name_from_token(anchor_token)
