/* Pathway page: sliders -> /api/pathway -> arrows and circles of the two SVG maps. */
"use strict";

(() => {
  const sliders = ["alas2", "plp", "iron"];
  const GREY = [154, 165, 177], BLUE = [33, 102, 172], RED = [178, 24, 43];
  let last = null;
  let hgvsValid = "";

  const mix = (a, b, t) => a.map((x, i) => Math.round(x + (b[i] - x) * t));
  function colour(ratio) {
    if (ratio === null || ratio === undefined || !(ratio > 0)) return "rgb(154,165,177)";
    const t = Math.max(-1, Math.min(1, Math.log2(ratio) / 3));
    const c = t < 0 ? mix(GREY, BLUE, -t) : mix(GREY, RED, t);
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  function multiplier(key) {
    return Math.pow(10, parseFloat(document.getElementById("slider-" + key).value));
  }

  function describe(el) {
    const ratio = el.ratio === null || el.ratio === undefined ? "" : `<br>${hs.fmt(el.ratio)} × normal`;
    const id = el.model_id ? `<br><span class="muted">model id ${hs.escapeHTML(el.model_id)}</span>` : "";
    if (el.value === null || el.value === undefined) {
      return `<b>${hs.escapeHTML(el.label)}</b><br>${hs.escapeHTML(el.note || "not in the model")}${id}`;
    }
    const step = el.step ? ` (step ${el.step})` : "";
    const what = el.step || el.unit.includes("/h") ? "flux" : "concentration";
    return `<b>${hs.escapeHTML(el.label)}</b>${step}<br>${what}: ${hs.fmt(el.value)} ${hs.escapeHTML(el.unit)}${ratio}${id}`;
  }

  function paint(panel, state) {
    const svg = document.getElementById("map-" + panel);
    if (!svg) return;
    for (const [elId, el] of Object.entries(state.elements)) {
      const g = document.getElementById(panel + "-" + elId);
      if (!g) continue;
      g.__data = el;
      const missing = (el.value === null || el.value === undefined) && !el.note;
      const ratio = missing ? null : el.ratio === null || el.ratio === undefined ? 1 : el.ratio;
      if (elId.startsWith("arrow-")) {
        const path = g.querySelector("path");
        path.setAttribute("stroke", missing ? "#c3cad3" : colour(ratio));
        const width = missing ? 2 : Math.max(1.2, Math.min(11, 4 * Math.sqrt(Math.max(ratio, 0))));
        path.setAttribute("stroke-width", width.toFixed(2));
        path.setAttribute("stroke-dasharray", missing ? "5 4" : "none");
      } else {
        const circle = g.querySelector("circle");
        circle.setAttribute("fill", missing ? "#eef1f4" : colour(ratio));
        const r = missing ? 9 : Math.max(6, Math.min(20, 13 * Math.pow(Math.max(ratio, 1e-6), 0.25)));
        circle.setAttribute("r", r.toFixed(1));
        circle.setAttribute("stroke-dasharray", missing ? "3 3" : "none");
      }
    }
  }

  /* Back to the unpainted drawing (no values, no tooltips): a variant map left from an earlier
     variant must not stay under the caption of another. */
  function unpaint(panel) {
    const svg = document.getElementById("map-" + panel);
    if (!svg) return;
    for (const g of svg.querySelectorAll("g.arrow, g.node")) {
      g.__data = null;
      const path = g.querySelector("path");
      const circle = g.querySelector("circle");
      if (g.classList.contains("arrow") && path) {
        path.setAttribute("stroke", "#9aa5b1");
        path.setAttribute("stroke-width", "3");
        path.setAttribute("stroke-dasharray", "none");
      } else if (circle) {
        circle.setAttribute("fill", "#dfe5ec");
        circle.setAttribute("r", "13");
        circle.setAttribute("stroke-dasharray", "none");
      }
    }
  }

  function readoutRows(data) {
    const units = data.readout_units || {};
    return hs.orderKeys(Object.keys(data.normal.readouts)).map((k) => ({
      readout: k,
      normal: data.normal.readouts[k],
      variant: data.variant ? data.variant.readouts[k] : null,
      unit: units[k] || "",
    }));
  }

  function elementRows(data) {
    const rows = [];
    for (const panel of ["normal", "variant"]) {
      if (!data[panel]) continue;
      for (const [elId, el] of Object.entries(data[panel].elements)) {
        rows.push({ panel, element: elId, label: el.label, model_id: el.model_id || "", value: el.value, unit: el.unit, ratio_to_normal: el.ratio });
      }
    }
    return rows;
  }

  /* data: the /api/pathway answer; refused: the reason the variant was not drawn (the map of
     the normal cell is still shown). */
  function render(data, refused) {
    last = refused ? Object.assign({}, data, { variant_refused: refused }) : data;
    paint("normal", data.normal);
    const fig = document.getElementById("variant-figure");
    if (data.variant) {
      paint("variant", data.variant);
      fig.classList.remove("dim");
      const rep = data.variant_report || {};
      const cls = rep.effect ? rep.effect.class : "";
      hs.setText("caption-variant", `${rep.hgvs_p || rep.hgvs_c || data.settings.hgvs} · ${cls.replace(/_/g, " ")} (hemizygous)`);
    } else {
      unpaint("variant");
      fig.classList.add("dim");
      hs.setText("caption-variant", refused ? `${hgvsValid}: not drawn (see the message above)` : "(enter a variant above)");
    }
    const tbody = document.querySelector("#readouts tbody");
    tbody.innerHTML = "";
    for (const row of readoutRows(data)) {
      const tr = document.createElement("tr");
      const l = hs.label(row.readout, row.unit);
      const cell = (v) => {
        const f = hs.flag(row.readout, v, "male");
        return `<td class="${f ? "flag-" + f : ""}">${hs.readoutValue(row.readout, v)}${f ? " " + (f === "low" ? "L" : "H") : ""}</td>`;
      };
      tr.dataset.readout = row.readout;
      tr.innerHTML = `<td>${hs.escapeHTML(l.name)}</td>${cell(row.normal)}${data.variant ? cell(row.variant) : "<td>–</td>"}<td>${hs.escapeHTML(l.unit || row.unit)}</td><td>${hs.escapeHTML(hs.rangeText(row.readout, "male"))}</td>`;
      tbody.appendChild(tr);
    }
    hs.setText("pathway-cli", data.cli_variant ? `${data.cli}   # normal\n${data.cli_variant}   # variant` : data.cli);
    const saved = last;
    hs.enable("pathway", "json", () => hs.saveJSON("hemesim-pathway.json", saved));
    hs.enable("pathway", "csv", () => hs.saveText("hemesim-pathway.csv", hs.toCSV(elementRows(data)), "text/csv"));
    hs.enable("pathway", "svg", () => hs.saveText("hemesim-pathway-normal.svg", hs.svgText(document.getElementById("map-normal")), "image/svg+xml"));
    hs.enable("pathway", "png", () => hs.savePNG("hemesim-pathway-normal.png", document.getElementById("map-normal")));
    if (refused) {
      hs.status("pathway-status", `Simulated the normal cell only; the variant is not drawn: ${refused}`, "error");
    } else {
      hs.status("pathway-status", `Simulated. ${hs.touch ? "Tap" : "Hover over"} an arrow or circle for values.`, "ok");
    }
    document.body.dataset.ready = "pathway";
  }

  let seq = 0;
  async function update() {
    const params = new URLSearchParams();
    for (const key of sliders) {
      const m = multiplier(key);
      hs.setText("out-" + key, "×" + hs.fmt(m, 2));
      params.set(key, m.toFixed(4));
    }
    if (hgvsValid) params.set("hgvs", hgvsValid);
    const mine = ++seq;
    hs.status("pathway-status", "Simulating…", "busy");
    try {
      const data = await hs.fetchJSON("/api/pathway?" + params.toString());
      if (mine === seq) render(data);
    } catch (err) {
      if (mine !== seq) return;
      if (err.status === 422 && params.has("hgvs")) {
        // the variant was refused (e.g. "no phenotype predicted ...: its effect on ALAS2 is
        // uncertain"): draw the normal cell at these settings and say why the variant is not
        params.delete("hgvs");
        try {
          const data = await hs.fetchJSON("/api/pathway?" + params.toString());
          if (mine === seq) render(data, err.message);
          return;
        } catch (err2) {
          if (mine === seq) hs.status("pathway-status", "Could not simulate: " + err2.message, "error");
          return;
        }
      }
      hs.status("pathway-status", "Could not simulate: " + err.message, "error");
    }
  }
  const updateSoon = hs.debounce(update, 200);

  const checkVariant = hs.debounce(async () => {
    const input = document.getElementById("pathway-hgvs");
    const text = input.value.trim();
    const msg = document.getElementById("pathway-hgvs-msg");
    if (!text) {
      msg.textContent = "";
      msg.className = "msg";
      if (hgvsValid) { hgvsValid = ""; update(); }
      return;
    }
    try {
      const res = await hs.fetchJSON("/api/variant/validate?hgvs=" + encodeURIComponent(text));
      msg.textContent = res.message;
      msg.className = "msg " + (res.valid ? "ok" : "error");
      input.setAttribute("aria-invalid", res.valid ? "false" : "true");
      const next = res.valid ? text : "";
      if (next !== hgvsValid) { hgvsValid = next; update(); }
    } catch (err) {
      msg.textContent = err.message;
      msg.className = "msg error";
    }
  }, 300);

  for (const key of sliders) document.getElementById("slider-" + key).addEventListener("input", updateSoon);
  document.getElementById("pathway-hgvs").addEventListener("input", checkVariant);
  document.getElementById("pathway-form").addEventListener("submit", (e) => e.preventDefault());
  document.getElementById("pathway-reset").addEventListener("click", () => {
    for (const key of sliders) document.getElementById("slider-" + key).value = "0";
    update();
  });

  for (const svg of document.querySelectorAll("svg.pathway")) {
    const over = (event) => {
      const g = event.target.closest("g.arrow, g.node");
      if (g && g.__data) hs.showTip(event, describe(g.__data));
    };
    svg.addEventListener("mousemove", over);
    svg.addEventListener("click", over);  // a tap on a touch screen
    svg.addEventListener("mouseleave", hs.hideTip);
    svg.addEventListener("focusin", (event) => {
      const g = event.target.closest("g.arrow, g.node");
      if (!g || !g.__data) return;
      const box = g.getBoundingClientRect();
      hs.showTip({ clientX: box.right, clientY: box.top }, describe(g.__data));
    });
    svg.addEventListener("focusout", hs.hideTip);
  }

  const initial = new URLSearchParams(window.location.search).get("hgvs");
  if (initial) {
    document.getElementById("pathway-hgvs").value = initial;
    checkVariant();
  }
  update();
})();
