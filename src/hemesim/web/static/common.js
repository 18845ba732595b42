/* hemesim: helpers shared by the pages (no external code; Plotly is served locally). */
"use strict";

const hs = (() => {
  /** Fetch JSON; throw an Error whose message is the server's one-line detail. */
  async function fetchJSON(url, options = {}) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error("the hemesim server did not answer (is it still running?)");
    }
    let body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    if (!response.ok) {
      const detail = body && body.detail ? (typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)) : response.statusText;
      const error = new Error(detail);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  /** Format a number with 3 significant digits (or "n/a"). */
  function fmt(value, digits = 3) {
    if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
    if (typeof value !== "number") return String(value);
    if (value === 0) return "0";
    const a = Math.abs(value);
    if (a >= 1e5 || a < 1e-3) return value.toExponential(digits - 1);
    return Number(value.toPrecision(digits)).toString();
  }

  function pct(value) {
    if (value === null || value === undefined) return "n/a";
    if (value > 0 && value < 0.001) return "<0.1%";
    return (100 * value).toFixed(1) + "%";
  }

  function saveBlob(filename, blob) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function saveText(filename, text, mime) {
    saveBlob(filename, new Blob([text], { type: mime || "text/plain" }));
  }

  function saveJSON(filename, obj) {
    saveText(filename, JSON.stringify(obj, null, 2), "application/json");
  }

  /** Rows (array of objects) -> CSV text with a header from the first row's keys.
   *  Text cells starting with = + - @ tab or CR get a leading ' (OWASP CSV injection rule),
   *  so a spreadsheet shows them instead of running them; numbers stay numbers. */
  function toCSV(rows) {
    if (!rows.length) return "";
    const keys = Object.keys(rows[0]);
    const cell = (v) => {
      if (v === null || v === undefined) return "";
      let s = String(v);
      if (typeof v !== "number" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    return [keys.map(cell).join(","), ...rows.map((r) => keys.map((k) => cell(r[k])).join(","))].join("\n") + "\n";
  }

  /** Serialise an inline SVG element to standalone SVG text. */
  function svgText(svg) {
    const clone = svg.cloneNode(true);
    clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
  }

  /** Rasterise an inline SVG element to a PNG download. */
  function savePNG(filename, svg, scale = 2) {
    const text = svgText(svg);
    const box = svg.viewBox.baseVal;
    const width = (box && box.width) || svg.clientWidth;
    const height = (box && box.height) || svg.clientHeight;
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => saveBlob(filename, blob), "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  function enable(prefix, kind, handler) {
    const button = document.getElementById(prefix + "-dl-" + kind);
    if (!button) return;
    button.disabled = false;
    button.onclick = handler;
  }

  function setText(id, text) {
    const el = document.getElementById(id);
    if (el) el.textContent = text;
  }

  function status(id, text, kind) {
    const el = document.getElementById(id);
    if (!el) return;
    el.textContent = text;
    el.className = "status" + (kind ? " " + kind : "");
  }

  /** Shell-quote one argument for the CLI box. */
  function shq(s) {
    return /^[A-Za-z0-9_.:=\/+-]+$/.test(s) ? s : "'" + String(s).replace(/'/g, "'\\''") + "'";
  }

  const tooltip = () => document.getElementById("tooltip");

  function showTip(event, html) {
    const tip = tooltip();
    if (!tip) return;
    tip.innerHTML = html;
    tip.hidden = false;
    const x = (event.clientX || 0) + 14;
    const y = (event.clientY || 0) + 14;
    tip.style.left = Math.min(x, window.innerWidth - tip.offsetWidth - 8) + "px";
    tip.style.top = Math.min(y, window.innerHeight - tip.offsetHeight - 8) + "px";
  }

  function hideTip() {
    const tip = tooltip();
    if (tip) tip.hidden = true;
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }


  /* ---------------------------------------------------------------- readout labels */
  /* Display names, units, rounding and reference ranges from hemesim.report.labels (the same
     module the CLI uses), embedded in each page as JSON in a data attribute (no inline script). */
  const LABELS = (() => {
    const el = document.getElementById("hs-labels");
    const none = { order: [], labels: {}, ranges: {} };
    try { return el ? JSON.parse(el.dataset.json) : none; } catch (err) { return none; }
  })();

  function label(key, unit) {
    const known = LABELS.labels[key];
    if (known) return known;
    if (key.startsWith("param:")) {  // a cohort's sampled model parameter (hemesim.web.display)
      const p = (LABELS.parameters || {})[key.slice(6)];
      return { name: p ? p.name : "Model parameter (" + key.slice(6) + ")", unit: unit || (p ? p.unit : ""), decimals: null, scale: 1, clinical: false };
    }
    const name = key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
    return { name, unit: unit || "", decimals: null, scale: 1, clinical: false };
  }

  /** An effect factor's name, how to read it and the model parameter it multiplies. */
  function factorLabel(key) {
    const f = (LABELS.effect_factors || {})[key];
    return f || { name: key.replace(/_factor$/, "").replace(/_/g, " "), reading: "", parameter: "" };
  }

  /** A curated record field's name ("Activity (% of normal enzyme)"). */
  function fieldName(key) {
    return (LABELS.record_fields || {})[key] || key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  }

  /** "Haemoglobin (g/dL)"; an unknown key gets a name built from it and the given unit. */
  function readoutTitle(key, unit) {
    const l = label(key, unit);
    return l.unit ? `${l.name} (${l.unit})` : l.name;
  }

  /** The stored value of a readout scaled and rounded for reading (as the CLI prints it). */
  function readoutValue(key, value) {
    if (value === null || value === undefined || typeof value !== "number" || !Number.isFinite(value)) return fmt(value);
    const l = label(key);
    const v = value * (l.scale || 1);
    if (l.decimals === null || l.decimals === undefined) return fmt(v);
    const text = v.toLocaleString("en-US", { minimumFractionDigits: l.decimals, maximumFractionDigits: l.decimals });
    if (v !== 0 && Number(v.toFixed(l.decimals)) === 0) return fmt(v, 2);  // no false 0
    return text;
  }

  function range(key, sex) {
    return (LABELS.ranges[sex || "any"] || {})[key] || null;
  }

  /** "13.0-16.9", "< 80" or "" in the shown unit of the readout. */
  function rangeText(key, sex) {
    const r = range(key, sex);
    if (!r) return "";
    if (r.low !== null && r.high !== null) return `${readoutValue(key, r.low)}-${readoutValue(key, r.high)}`;
    if (r.high !== null) return `< ${readoutValue(key, r.high)}`;
    return r.low !== null ? `> ${readoutValue(key, r.low)}` : "";
  }

  /** "low", "high" or "" against the reference range, comparing the value as shown. */
  function flag(key, value, sex) {
    const r = range(key, sex);
    if (!r || typeof value !== "number" || !Number.isFinite(value)) return "";
    const l = label(key);
    let v = value;
    if (l.decimals !== null && l.decimals !== undefined) v = Number((value * l.scale).toFixed(l.decimals)) / l.scale;
    if (r.low !== null && v < r.low) return "low";
    if (r.high !== null && v > r.high) return "high";
    return "";
  }

  /** Clinical readouts first (in the labels' order), then the rest, param:* last. */
  function orderKeys(keys) {
    const order = LABELS.order || Object.keys(LABELS.labels);
    const rank = (k) => {
      const l = LABELS.labels[k];
      if (l) return [l.clinical ? 0 : 1, order.indexOf(k)];
      return [k.startsWith("param:") ? 3 : 2, 0];
    };
    return [...keys].sort((a, b) => {
      const ra = rank(a), rb = rank(b);
      return ra[0] - rb[0] || ra[1] - rb[1] || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  /* ---------------------------------------------------------------- zoom and pan */
  /* A .zoom-viewport holds one SVG; buttons zoom it, the viewport scrolls (pans, by finger or
     mouse). On a narrow screen the map starts at data-readable x its natural size, so that its
     text stays readable, instead of shrinking to the screen width. */
  function zoomable(viewport) {
    let zoom = null;  // null: fit the width
    const tools = document.createElement("div");
    tools.className = "zoom-tools";
    const what = viewport.dataset.zoom || "map";
    tools.innerHTML =
      `<button type="button" data-z="out" aria-label="zoom out of the ${escapeHTML(what)}">−</button>` +
      `<button type="button" data-z="in" aria-label="zoom into the ${escapeHTML(what)}">+</button>` +
      `<button type="button" data-z="fit" aria-label="fit the ${escapeHTML(what)} to the width">fit</button>` +
      `<span><span class="touch-word">swipe</span><span class="mouse-word">scroll</span> to pan</span>`;
    viewport.parentNode.insertBefore(tools, viewport);
    const natural = (svg) => (svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) || svg.width.baseVal.value || svg.clientWidth || 800;
    function apply() {
      const svg = viewport.querySelector("svg");
      if (!svg) return;
      // fit: the viewport's width (a drawing with data-grow="no" is not enlarged past 1:1)
      svg.style.maxWidth = zoom === null && viewport.dataset.grow === "no" ? natural(svg) + "px" : "none";
      svg.style.height = "auto";
      svg.style.width = zoom === null ? "100%" : Math.round(natural(svg) * zoom) + "px";
    }
    function initial() {
      const svg = viewport.querySelector("svg");
      if (!svg) return;
      const readable = parseFloat(viewport.dataset.readable || "1");
      zoom = viewport.clientWidth < natural(svg) * readable ? readable : null;
      apply();
    }
    tools.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const svg = viewport.querySelector("svg");
      if (!svg) return;
      const current = zoom === null ? viewport.clientWidth / natural(svg) : zoom;
      if (button.dataset.z === "in") zoom = Math.min(4, current * 1.25);
      else if (button.dataset.z === "out") zoom = Math.max(0.2, current / 1.25);
      else zoom = null;
      apply();
    });
    new MutationObserver(() => (zoom === null ? initial() : apply())).observe(viewport, { childList: true });
    initial();
  }
  for (const viewport of document.querySelectorAll(".zoom-viewport")) zoomable(viewport);

  /** True on a touch screen without hover (the pages then say "tap" rather than "hover"). */
  const touch = window.matchMedia("(hover: none), (pointer: coarse)").matches;

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (!button) return;
    const code = document.getElementById(button.dataset.copy);
    if (code && navigator.clipboard) {
      navigator.clipboard.writeText(code.textContent).then(
        () => { button.textContent = "copied"; setTimeout(() => (button.textContent = "copy"), 1200); },
        () => {}
      );
    }
  });

  return { fetchJSON, debounce, fmt, pct, saveBlob, saveText, saveJSON, toCSV, svgText, savePNG, enable, setText, status, shq, showTip, hideTip, escapeHTML, label, factorLabel, fieldName, readoutTitle, readoutValue, rangeText, flag, orderKeys, touch };
})();
