// HardwareMaster's web page: everything it needs is served by the box (no CDN). Commands are POSTs (cookie sent,
// same origin); meters and values arrive on one WebSocket at 25 fps.
"use strict";
const $ = (id) => document.getElementById(id);
let registry = [], controls = new Map(), dragging = null, dragUntil = 0, values = [];

const fmt = (v, digits = 1) => (v === null || v === undefined) ? "–" : v.toFixed(digits);
const STAGE_NAMES = { trim: "Trim", hpf: "DC / high-pass", eq: "EQ", comp: "Compressor", width: "Width / M-S", loudness: "Loudness", target: "Target", limiter: "Limiter", dither: "Dither" };

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) });
  if (r.status === 401) location.reload();
  return r.status;
}

function toPosition(p, v) {
  if (p.taper === "logarithmic" && p.min > 0) return Math.round(1000 * Math.log(v / p.min) / Math.log(p.max / p.min));
  return Math.round(1000 * (v - p.min) / (p.max - p.min));
}
function fromPosition(p, pos) {
  const t = pos / 1000;
  let v = (p.taper === "logarithmic" && p.min > 0) ? p.min * Math.pow(p.max / p.min, t) : p.min + t * (p.max - p.min);
  if (p.taper === "linear" && p.step > 0) v = Math.round(v / p.step) * p.step;
  return Math.min(p.max, Math.max(p.min, v));
}
function show(p, v) {
  if (p.taper === "choice" && p.choices) return p.choices[Math.round(v)] || String(v);
  if (p.taper === "toggle") return v ? "on" : "off";
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits) + (p.unit ? " " + p.unit : "");
}

function build(state) {
  registry = state.registry;
  const stages = new Map();
  registry.forEach((p, i) => {
    if (!stages.has(p.stage)) stages.set(p.stage, []);
    stages.get(p.stage).push(i);
  });
  const root = $("stages");
  root.textContent = "";
  for (const [stage, indices] of stages) {
    const d = document.createElement("details");
    d.open = true; d.dataset.stage = stage;
    const s = document.createElement("summary");
    s.textContent = STAGE_NAMES[stage] || stage;
    d.appendChild(s);
    for (const i of indices) d.appendChild(control(i));
    root.appendChild(d);
  }
  const factory = $("factory");
  factory.textContent = "";
  for (const name of state.factoryPresets) {
    const b = document.createElement("button");
    b.textContent = name; b.dataset.preset = name;
    b.onclick = () => post("/api/preset", { name });
    factory.appendChild(b);
  }
  const slots = $("slots");
  slots.textContent = "";
  for (let n = 1; n <= state.userSlots; n++) {
    const row = document.createElement("div");
    row.className = "slot";
    const b = document.createElement("button");
    b.dataset.slot = n;
    b.onclick = () => post("/api/slot", { slot: n });
    // Saving overwrites the slot: a second press within 4 s confirms (as the box's PRESETS page does).
    const save = document.createElement("button");
    save.textContent = "Save"; save.dataset.save = n; save.className = "save";
    let armed = 0;
    save.onclick = () => {
      if (Date.now() < armed) { armed = 0; save.textContent = "Save"; save.classList.remove("confirm"); post("/api/slot/save", { slot: n }); return; }
      armed = Date.now() + 4000; save.textContent = "Confirm?"; save.classList.add("confirm");
      setTimeout(() => { if (armed && Date.now() >= armed) { armed = 0; save.textContent = "Save"; save.classList.remove("confirm"); } }, 4100);
    };
    row.append(b, save);
    slots.appendChild(row);
  }
  applySlots(state.slots);
  applyValues(state.values, state.preset, state.byp);
  system(state.system);
}

function control(i) {
  const p = registry[i];
  const row = document.createElement("div");
  row.className = "param";
  const label = document.createElement("label");
  label.textContent = p.name; label.htmlFor = "p-" + p.id;
  const out = document.createElement("output");
  let input;
  if (p.taper === "toggle") {
    input = document.createElement("input"); input.type = "checkbox";
    input.onchange = () => post("/api/param", { id: p.id, value: input.checked ? 1 : 0 });
  } else if (p.taper === "choice") {
    input = document.createElement("select");
    (p.choices || []).forEach((c, k) => { const o = document.createElement("option"); o.value = k; o.textContent = c; input.appendChild(o); });
    input.onchange = () => post("/api/param", { id: p.id, value: Number(input.value) });
  } else {
    input = document.createElement("input"); input.type = "range"; input.min = 0; input.max = 1000; input.step = 1;
    let last = 0;
    const send = () => { const v = fromPosition(p, Number(input.value)); out.textContent = show(p, v); post("/api/param", { id: p.id, value: v }); };
    input.oninput = () => { dragging = i; dragUntil = Date.now() + 500; const now = Date.now(); if (now - last > 50) { last = now; send(); } };
    input.onchange = () => { dragUntil = Date.now() + 300; send(); };
    input.ondblclick = () => post("/api/param", { id: p.id, value: p.def });
  }
  input.id = "p-" + p.id; input.dataset.id = p.id;
  row.append(label, input, out);
  controls.set(i, { input, out, p });
  return row;
}

function applySlots(names) {
  if (!names) return;
  document.querySelectorAll("#slots button[data-slot]").forEach((b) => {
    const name = names[Number(b.dataset.slot) - 1];
    b.textContent = b.dataset.slot + " · " + (name || "empty");
    b.disabled = !name; // an empty slot has nothing to recall
    b.classList.toggle("empty", !name);
  });
}

function applyValues(list, preset, byp) {
  values = list;
  for (const [i, c] of controls) {
    const v = list[i];
    if (v === undefined) continue;
    c.out.textContent = show(c.p, v);
    if (i === dragging && Date.now() < dragUntil) continue; // do not fight the finger
    if (c.p.taper === "toggle") c.input.checked = v !== 0;
    else if (c.p.taper === "choice") c.input.value = String(Math.round(v));
    else c.input.value = toPosition(c.p, v);
  }
  $("preset-name").textContent = preset || "(edited)";
  document.querySelectorAll("#factory button").forEach((b) => b.classList.toggle("current", b.dataset.preset === preset));
  bypass(byp);
}

function bypass(on) {
  const b = $("bypass-global");
  b.setAttribute("aria-pressed", on ? "true" : "false");
}
$("bypass-global").onclick = () => post("/api/bypass", { stage: "global", on: $("bypass-global").getAttribute("aria-pressed") !== "true" });
$("reset-loudness").onclick = () => post("/api/reset-loudness");

const BAR_FLOOR = -60;
function bar(id, db, floor = BAR_FLOOR, invert = false) {
  const el = $("b-" + id);
  let pct = 0;
  if (db !== null) pct = invert ? Math.min(100, db / 12 * 100) : Math.max(0, Math.min(100, (db - floor) / -floor * 100));
  el.style.width = pct + "%";
  $("m-" + id).textContent = fmt(db);
}

function meters(m) {
  bar("ipl", m.ipl); bar("ipr", m.ipr); bar("opl", m.opl); bar("opr", m.opr);
  bar("gr", m.gr, 0, true); bar("lgr", m.lgr, 0, true);
  for (const k of ["m", "s", "i", "tp", "tpmax", "lra", "plr"]) $("m-" + k).textContent = fmt(m[k]);
  $("m-corr").textContent = fmt(m.corr, 2);
  $("m-dist").textContent = m.dist === null ? "–" : (m.dist > 0 ? "+" : "") + m.dist.toFixed(1);
  $("m-target").textContent = fmt(m.target);
  bypass(m.byp);
  $("m-frames") && ($("m-frames").textContent = m.frames);
  lastMeters = m;
}
let lastMeters = null;

function system(s) {
  const dl = $("system");
  dl.textContent = "";
  const rows = Object.entries(s);
  if (lastMeters) rows.push(["cpu %", fmt(lastMeters.cpu)], ["deadline misses", lastMeters.miss], ["blocks", lastMeters.blocks]);
  for (const [k, v] of rows) {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v; dd.dataset.key = k;
    dl.append(dt, dd);
  }
}

document.querySelectorAll("nav button").forEach((b) => b.onclick = async () => {
  document.querySelectorAll("nav button").forEach((x) => x.classList.toggle("active", x === b));
  document.querySelectorAll(".page").forEach((p) => p.classList.toggle("active", p.id === "page-" + b.dataset.page));
  if (b.dataset.page === "system") { const r = await fetch("/api/state"); if (r.ok) system((await r.json()).system); }
});

function connect() {
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws.onopen = () => { $("link").textContent = "live"; $("link").classList.remove("off"); };
  ws.onmessage = (e) => {
    const f = JSON.parse(e.data);
    if (f.t === "m") meters(f);
    else if (f.t === "v") { applySlots(f.slots); applyValues(f.values, f.preset, f.byp); }
  };
  ws.onclose = () => { $("link").textContent = "offline"; $("link").classList.add("off"); setTimeout(connect, 1000); };
}

(async () => {
  const r = await fetch("/api/state");
  if (r.status === 401) { location.reload(); return; }
  build(await r.json());
  connect();
})();
