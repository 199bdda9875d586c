"""The preview page: pages as pictures in spreads, check problems pinned to them, a banner
when the latest build failed, and a reload whenever a build finishes (a long poll of /state)."""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>publish preview</title>
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #5f6368; color: #222; }
  header { position: sticky; top: 0; z-index: 2; background: #202124; color: #eee;
           padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
  header .source { font-weight: 600; }
  header .status.building::after { content: " (building...)"; color: #fbbc04; }
  #banner { display: none; background: #b3261e; color: white; padding: 12px 16px;
            white-space: pre-wrap; font-family: ui-monospace, monospace; }
  #banner.shown { display: block; }
  #banner strong { display: block; font-family: system-ui, sans-serif; margin-bottom: 4px; }
  #general { margin: 12px 16px; color: white; }
  main { display: flex; flex-direction: column; align-items: center; gap: 28px; padding: 24px; }
  .spread { display: flex; gap: 0; box-shadow: 0 2px 12px rgba(0, 0, 0, .5); }
  :root { --page: min(500px, 46vw); }
  .spread.cover { margin-left: var(--page); }
  .page { position: relative; margin: 0; background: white; width: var(--page); }
  .sheet { position: relative; }
  .page img { display: block; width: 100%; }
  .page figcaption { position: absolute; top: -22px; left: 0; color: #eee; font-size: 12px; }
  .page.problem { outline: 4px solid #b3261e; }
  .pins { margin: 0; padding: 6px 10px 8px 26px; background: #fdecea; font-size: 12px; }
  .pins li.warning { color: #7a4f01; }
  .pins li.error { color: #b3261e; }
  .pins li.proof { color: #1f4e8c; }
  .pins li.fit { color: #1d4f7a; }
  .marker { position: absolute; left: 0; right: 0; border-top: 3px dashed #b3261e; }
  .marker span { position: absolute; right: 4px; top: 2px; background: #b3261e; color: white;
                 font-size: 11px; padding: 1px 4px; }
</style>
</head>
<body>
<header><span class="source"></span><span class="status"></span></header>
<div id="banner" role="alert"></div>
<div id="general"></div>
<main id="pages"></main>
<script>
"use strict";
let version = -1;
const $ = (s) => document.querySelector(s);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function pinList(pins) {
  return el("ul", {class: "pins"}, ...pins.map(p =>
    el("li", {class: p.severity}, `${p.severity}: ${p.message} [${p.rule}]`)));
}

function show(s) {
  $(".source").textContent = s.source;
  const status = $(".status");
  status.textContent = s.error ? "the latest build failed" : s.summary;
  status.classList.toggle("building", s.building);
  const banner = $("#banner");
  banner.classList.toggle("shown", !!s.error);
  banner.replaceChildren();
  if (s.error) {
    banner.append(el("strong", {}, s.pages
      ? "This save does not build; the pages below are from the last one that did."
      : "This issue does not build yet."), s.error);
  }
  $("#general").replaceChildren(...(s.general.length ? [pinList(s.general)] : []));
  const main = $("#pages");
  main.dataset.version = s.good;
  main.replaceChildren(...s.spreads.map(numbers => {
    const spread = el("div", {class: "spread" + (numbers[0] === 1 ? " cover" : "")});
    for (const n of numbers) {
      const pins = s.pins[n] || [];
      const sheet = el("div", {class: "sheet"},
        el("img", {src: `page/${s.good}/${n}.png`, alt: `page ${n}`}));
      const page = el("figure", {class: "page", "data-page": n},
        el("figcaption", {}, `page ${n}`), sheet);
      for (const p of pins.filter(p => p.at !== null)) {
        const mark = el("div", {class: "marker"}, el("span", {}, p.message));
        mark.style.top = (p.at * 100) + "%";
        sheet.append(mark);
      }
      if (pins.some(p => p.severity === "error")) page.classList.add("problem");
      if (pins.length) page.append(pinList(pins));
      spread.append(page);
    }
    return spread;
  }));
}

async function follow() {
  for (;;) {
    try {
      const response = await fetch(`state?since=${version}`, {cache: "no-store"});
      const s = await response.json();
      if (s.version !== version) { version = s.version; show(s); }
    } catch (e) {
      $(".status").textContent = "the preview server has stopped";
      await new Promise(r => setTimeout(r, 1000));
    }
  }
}
follow();
</script>
</body>
</html>
"""
