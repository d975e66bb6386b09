// The latent serve dashboard: runs, live loss curves per term (server-sent events), pictures, configuration, comparison.
"use strict";
const colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
let current = null;   // { close() } of the open view
const ticked = new Set();

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
const api = (run, what) => "/api/runs/" + run.split("/").map(encodeURIComponent).join("/") + "/" + what;
async function json(url) { const r = await fetch(url); if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); }

// Term names of epoch rows: train_X / val_X columns -> X.
function terms(rows) {
  const names = new Set();
  for (const r of rows) for (const k of Object.keys(r)) { const m = /^(train|val)_(.+)$/.exec(k); if (m) names.add(m[2]); }
  return [...names];
}

// A chart of one quantity: x = epoch, one series per (label, column).
function chart(parent, title, series) {
  const box = el("div", { class: "chart", "data-term": title });
  box.append(el("h3", {}, title));
  parent.append(box);
  // The chart fills its grid cell (the page is responsive: cells of at least 420 px across the full width).
  const width = Math.max(320, box.clientWidth || 600);
  const opts = {
    width, height: 260,
    scales: { x: { time: false } },
    axes: [{ label: "epoch" }, {}],
    series: [{ label: "epoch" }, ...series.map((s, i) => ({ label: s.label, stroke: colours[i % colours.length], width: 2, points: { show: true, size: 5 } }))],
  };
  const plot = new uPlot(opts, [[], ...series.map(() => [])], box);
  return {
    set(rowsPerSeries) {
      // Shared x: the union of epochs; a series without a value at an epoch has null there.
      const xs = [...new Set(rowsPerSeries.flatMap(rows => rows.map(r => r.epoch)))].sort((a, b) => a - b);
      const data = [xs, ...series.map((s, i) => { const m = new Map(rowsPerSeries[i].map(r => [r.epoch, r[s.column]])); return xs.map(x => m.has(x) ? m.get(x) : null); })];
      plot.setData(data);
      box.dataset.points = String(xs.length);
    },
  };
}

async function openRun(run) {
  if (current) current.close();
  document.querySelectorAll("#runs a").forEach(a => a.classList.toggle("selected", a.dataset.run === run));
  const view = document.getElementById("view");
  view.replaceChildren(el("h2", {}, "Run " + run));
  const charts = el("div", { class: "charts", id: "charts" });
  const pictures = el("div", { class: "pictures", id: "pictures" });
  const details = el("div", { id: "details" });
  view.append(el("h3", {}, "Loss per term (training and validation)"), charts, el("h3", {}, "Pictures"), pictures, details);
  const rows = await json(api(run, "history"));
  const shown = new Map();
  function draw() {
    for (const t of terms(rows)) {
      if (!shown.has(t)) shown.set(t, chart(charts, t, [{ label: "train", column: "train_" + t }, { label: "validation", column: "val_" + t }]));
      shown.get(t).set([rows, rows]);
    }
  }
  draw();
  await showPictures(run, pictures);
  await showDetails(run, details);
  // Live: new epoch lines from the event file.
  const source = new EventSource(api(run, "events"));
  let seen = rows.length, refresh = null;
  source.onmessage = ev => {
    const o = JSON.parse(ev.data);
    if (o.type !== "epoch" || o.stage !== null) return;
    if (seen > 0) { seen--; return; } // already in the history
    rows.push(o);
    draw();
    clearTimeout(refresh);
    refresh = setTimeout(() => { showPictures(run, pictures); showDetails(run, details); }, 500);
    document.getElementById("status").textContent = "epoch " + o.epoch + "/" + o.epochs;
  };
  current = { close() { source.close(); } };
}

async function showPictures(run, parent) {
  const files = await json(api(run, "pictures"));
  parent.replaceChildren(...files.map(f => el("figure", {}, el("img", { src: api(run, "files/" + encodeURIComponent(f)) + "?t=" + Date.now(), alt: f }), el("figcaption", {}, f))));
  if (files.length === 0) parent.append(el("p", { class: "hint" }, "No pictures yet (written when training ends)."));
}

async function showDetails(run, parent) {
  const d = await json(api(run, "details"));
  parent.replaceChildren();
  if (d.metrics) {
    const t = el("table", { id: "metrics" });
    for (const [k, v] of Object.entries(d.metrics)) t.append(el("tr", {}, el("td", {}, k), el("td", {}, typeof v === "number" ? String(+v.toPrecision(6)) : String(v))));
    parent.append(el("h3", {}, "Metrics"), t);
  }
  if (d.options) parent.append(el("h3", {}, "Options (options.yaml)"), el("pre", {}, d.options));
  if (d.training) {
    const t = el("table", {});
    for (const [k, v] of Object.entries(d.training)) t.append(el("tr", {}, el("td", {}, k), el("td", {}, String(v))));
    parent.append(el("h3", {}, "Configuration"), t);
  }
}

async function openComparison(runs) {
  if (current) current.close();
  const view = document.getElementById("view");
  view.replaceChildren(el("h2", {}, "Comparison of " + runs.join(", ")));
  const charts = el("div", { class: "charts", id: "comparison" });
  view.append(el("p", { class: "hint" }, "Validation loss per term (training where a run has no validation), shared axes."), charts);
  const histories = await Promise.all(runs.map(r => json(api(r, "history"))));
  const all = new Set(histories.flatMap(terms));
  for (const t of all) {
    const series = runs.map((r, i) => ({ label: r, column: histories[i].some(x => x["val_" + t] != null) ? "val_" + t : "train_" + t }));
    chart(charts, t, series).set(histories);
  }
  current = { close() {} };
}

async function listRuns() {
  const runs = await json("/api/runs");
  const ul = document.getElementById("runs");
  ul.replaceChildren(...runs.map(r => {
    const box = el("input", { type: "checkbox", "data-run": r });
    box.checked = ticked.has(r);
    box.onchange = () => { box.checked ? ticked.add(r) : ticked.delete(r); document.getElementById("compare").disabled = ticked.size < 2; };
    const a = el("a", { "data-run": r }, r);
    a.onclick = () => openRun(r);
    return el("li", {}, box, " ", a);
  }));
  if (runs.length === 0) ul.append(el("li", { class: "hint" }, "No runs here yet."));
}

document.getElementById("compare").onclick = () => openComparison([...ticked]);
listRuns().then(() => { const first = document.querySelector("#runs a"); if (first && !location.hash) first.click(); });
