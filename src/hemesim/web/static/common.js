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

  return { fetchJSON, debounce, fmt, pct, saveBlob, saveText, saveJSON, toCSV, svgText, savePNG, enable, setText, status, shq, showTip, hideTip, escapeHTML };
})();
