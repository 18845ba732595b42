/* Variant explorer: validate as you type, then interpretation, domain map, phenotype charts. */
"use strict";

(() => {
  const input = document.getElementById("hgvs");
  const msg = document.getElementById("hgvs-msg");
  const readoutSelect = document.getElementById("readout");
  const treatmentSelect = document.getElementById("treatment");
  const state = { hgvs: "", report: null, xi: null, treatments: null, note: null, domains: null };
  let seq = 0;  // the current load; an answer for an earlier one is dropped
  let lazy = null;  // the current variant's deferred panels: {start(), stop(), done: Promise}
  /* Plotly (4.6 MB) loads in parallel with the API requests; charts wait for it. */
  const plotlyReady = new Promise((resolve) => {
    const tag = document.getElementById("plotly-js");
    if (window.Plotly || !tag) resolve();
    else tag.addEventListener("load", () => resolve(), { once: true });
  });
  const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"] };

  const value = (entry) => (entry && typeof entry === "object" ? entry.value : entry);
  const unitOf = (pred, key) => {
    const entry = pred && pred.phenotype ? pred.phenotype[key] : null;
    return entry && typeof entry === "object" ? entry.unit || "" : "";
  };

  function setMessage(text, kind) {
    msg.textContent = text;
    msg.className = "msg" + (kind ? " " + kind : "");
    input.setAttribute("aria-invalid", kind === "error" ? "true" : "false");
  }

  /* ---------------------------------------------------------------- domain map */
  function drawDomains(residue) {
    const box = document.getElementById("domain-map");
    const d = state.domains;
    if (!d) return;
    const W = 900, L = d.length, x = (p) => 20 + ((p - 1) / L) * (W - 40);
    const tracks = [
      (r) => r.kind === "region" && /presequence|N-terminal region|catalytic core$|C-terminal extension/.test(r.name),
      (r) => r.kind === "region" && /subdomain/.test(r.name),
      (r) => r.kind === "region" && /loop|helix/.test(r.name),
      (r) => r.kind === "region" && /window/.test(r.name),
    ];
    const colours = ["#8fb3d9", "#b9d3a8", "#e8b77d", "#d7a2c5", "#9ed0cc", "#f1d27b"];
    let svg = `<svg viewBox="0 0 ${W} 180" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="ALAS2 protein domain map">`;
    svg += `<rect width="${W}" height="180" fill="#fff"/>`;
    tracks.forEach((pred, t) => {
      d.regions.filter(pred).forEach((r, i) => {
        const y = 14 + t * 30;
        svg += `<g class="region"><title>${hs.escapeHTML(r.name)} ${r.start}-${r.end}\n${hs.escapeHTML(r.source)}</title>`;
        svg += `<rect x="${x(r.start)}" y="${y}" width="${Math.max(2, x(r.end + 1) - x(r.start))}" height="22" rx="3" fill="${colours[(i + t * 2) % colours.length]}" stroke="#5b6470" stroke-width="0.6"/>`;
        const w = x(r.end + 1) - x(r.start);
        const short = r.name.replace(/ \(.*\)$/, "");
        if (w > short.length * 5.6) svg += `<text x="${x(r.start) + 4}" y="${y + 15}" font-size="11">${hs.escapeHTML(short)}</text>`;
        svg += `</g>`;
      });
    });
    d.regions.filter((r) => r.kind === "site").forEach((r) => {
      svg += `<g class="site"><title>${hs.escapeHTML(r.name)}</title><line x1="${x(r.start)}" x2="${x(r.start)}" y1="136" y2="148" stroke="#b3261e" stroke-width="1.5"/></g>`;
    });
    svg += `<line x1="20" x2="${W - 20}" y1="142" y2="142" stroke="#5b6470"/>`;
    for (const tick of [1, 100, 200, 300, 400, 500, L]) {
      svg += `<text x="${x(tick)}" y="162" font-size="10" text-anchor="middle" fill="#5b6470">${tick}</text>`;
    }
    if (residue) {
      const rx = x(residue);
      svg += `<g id="variant-marker"><line x1="${rx}" x2="${rx}" y1="4" y2="150" stroke="#111" stroke-width="2"/>`;
      svg += `<path d="M${rx - 6},0 L${rx + 6},0 L${rx},8 z" fill="#111"/>`;
      svg += `<text x="${Math.min(rx + 6, W - 80)}" y="177" font-size="11" font-weight="600">residue ${residue}</text></g>`;
    }
    svg += `<text x="20" y="177" font-size="10" fill="#5b6470">red ticks: catalytic and binding sites · ${hs.touch ? "tap" : "hover"} for names and sources</text>`;
    svg += `</svg>`;
    box.innerHTML = svg;
  }

  /* ---------------------------------------------------------------- interpretation */
  function showReport(rep) {
    const dl = document.getElementById("variant-summary");
    const rows = [
      ["input", rep.input],
      ["cDNA", rep.hgvs_c || "–"],
      ["protein", rep.hgvs_p || "–"],
      ["consequence", (rep.consequence || "").replace(/_/g, " ")],
      ["residue", rep.domain && rep.domain.residue ? rep.domain.residue : "–"],
      ["lies in", rep.domain && rep.domain.regions && rep.domain.regions.length ? rep.domain.regions.join("; ") : "–"],
      ["reference check", rep.reference_check || "–"],
    ];
    dl.innerHTML = rows.map(([k, v]) => `<dt>${hs.escapeHTML(k)}</dt><dd>${hs.escapeHTML(v)}</dd>`).join("");
    const effect = rep.effect || {};
    const badge = document.getElementById("effect-class");
    badge.textContent = (effect.class || "unknown").replace(/_/g, " ");
    badge.className = "badge " + (effect.class || "");
    showFactors(effect);
    document.getElementById("effect-rationale").textContent = (effect.rationale || "") + (effect.source ? " Source: " + effect.source : "");
    const known = document.getElementById("known-record");
    if (rep.known) {
      const k = rep.known;
      const fields = ["phenotype", "mechanism", "activity_percent_of_wt", "pyridoxine_responsive", "certainty", "source", "notes"];
      known.innerHTML = `<table class="data"><tbody>${fields
        .filter((f) => k[f] !== undefined && k[f] !== "" && k[f] !== null)
        .map((f) => `<tr><th scope="row">${hs.escapeHTML(hs.fieldName(f))}</th><td>${hs.escapeHTML(typeof k[f] === "boolean" ? (k[f] ? "yes" : "no") : k[f])}</td></tr>`)
        .join("")}</tbody></table>`;
    } else {
      known.innerHTML = `<p class="muted">Not in hemesim's curated list; the effect comes from rules (see the rationale).</p>`;
    }
    drawDomains(rep.domain ? rep.domain.residue : null);
    showGenome(rep);
  }

  /* Effect factors by what they change (hemesim.web.display), as multiples of the normal
     enzyme, with the 95 % range and the basis where the report gives them; changed ones first
     in the order of the Effect, then the unchanged. */
  function showFactors(effect) {
    const params = effect.parameters || {};
    const keys = Object.keys(params);
    const ranges = effect.ranges_95 || {};
    const basis = effect.factor_basis || {};
    const rows = [...keys.filter((k) => params[k] !== 1), ...keys.filter((k) => params[k] === 1)];
    document.querySelector("#effect-factors tbody").innerHTML = rows.map((k) => {
      const f = hs.factorLabel(k);
      const v = params[k];
      const r = Array.isArray(ranges[k]) ? `${hs.fmt(ranges[k][0], 2)}-${hs.fmt(ranges[k][1], 2)}` : "–";
      const how = f.reading ? `<br><small class="muted">${hs.escapeHTML(f.reading)}; model: ${hs.escapeHTML(f.parameter)}</small>` : "";
      return `<tr data-factor="${hs.escapeHTML(k)}"${v !== 1 ? ' class="changed"' : ""}><th scope="row">${hs.escapeHTML(f.name)}${how}</th>` +
        `<td>${hs.fmt(v)}</td><td>${r}</td><td>${hs.escapeHTML(basis[k] || (v === 1 ? "unchanged" : effect.basis || ""))}</td></tr>`;
    }).join("");
  }

  /* ---------------------------------------------------------------- genome coordinates */
  function showGenome(rep) {
    const dl = document.getElementById("variant-genome");
    const note = document.getElementById("variant-genome-note");
    if (!dl) return;
    const g = rep.grch38;
    const vcf = g && g.vcf ? `${g.vcf.chrom} ${g.vcf.pos} ${g.vcf.ref} ${g.vcf.alt}` : "–";
    const rows = g
      ? [
          ["location", rep.location ? rep.location.label : "–"],
          ["VCF (CHROM POS REF ALT)", vcf],
          ["g. HGVS", g.hgvs_g || "–"],
        ]
      : [["location", "protein-level input: no genomic position"]];
    dl.innerHTML = rows.map(([k, v]) => `<dt>${hs.escapeHTML(k)}</dt><dd>${hs.escapeHTML(v)}</dd>`).join("");
    const notes = (g && g.notes ? g.notes : []).concat(rep.reference_note ? ["Reference: " + rep.reference_note] : []);
    note.textContent = notes.join(" · ");
  }

  /* ---------------------------------------------------------------- charts */
  function readoutKeys() {
    const pred = state.xi ? state.xi.male : null;
    if (!pred || !pred.phenotype) return [];
    const keys = Object.keys(pred.phenotype).filter((k) => typeof value(pred.phenotype[k]) === "number");
    return hs.orderKeys(keys);
  }

  function fillReadouts() {
    const keys = readoutKeys();
    const gain = state.report && state.report.effect && state.report.effect.class === "gain_of_function";
    const current = readoutSelect.dataset.chosen || (gain ? "ep_total_ug_dl_rbc" : "hb_g_dl");
    readoutSelect.innerHTML = keys.map((k) => `<option value="${hs.escapeHTML(k)}">${hs.escapeHTML(hs.readoutTitle(k, unitOf(state.xi.male, k)))}</option>`).join("");
    readoutSelect.value = keys.includes(current) ? current : keys[0] || "";
  }

  function plotXi() {
    const key = readoutSelect.value;
    const data = state.xi;
    if (!data || !key) return;
    const l = hs.label(key, unitOf(data.male, key));
    const unit = l.unit;
    const scale = l.scale || 1;
    const ys = data.female.map((p) => value(p.phenotype[key]) * scale);
    const calls = data.female.map((p) => p.disease);
    const male = value(data.male.phenotype[key]) * scale;
    const traces = [
      { x: data.xi, y: ys, text: calls, mode: "lines+markers", name: "woman (heterozygous)", line: { color: "#b3261e" }, hovertemplate: "xi %{x:.2f}<br>%{y:.3g} " + unit + "<br>call: %{text}<extra>woman</extra>" },
      { x: [0, 1], y: [male, male], text: [data.male.disease, data.male.disease], mode: "lines", name: "man (hemizygous)", line: { color: "#1f4e79", dash: "dash" }, hovertemplate: "%{y:.3g} " + unit + "<br>call: %{text}<extra>man</extra>" },
    ];
    const layout = {
      margin: { l: 70, r: 20, t: 20, b: 50 },
      xaxis: { title: { text: "fraction of erythroid cells expressing the variant (X-inactivation)" }, range: [0, 1] },
      yaxis: { title: { text: hs.readoutTitle(key, unit) } },
      legend: { orientation: "h", y: 1.12 },
      shapes: [{ type: "line", x0: 0.5, x1: 0.5, yref: "paper", y0: 0, y1: 1, line: { color: "#8a94a0", dash: "dot", width: 1 } }],
    };
    Plotly.react("xi-chart", traces, layout, PLOT_CONFIG);
  }

  function plotTreatments() {
    const key = readoutSelect.value;
    const data = state.treatments;
    if (!data || !key) return;
    const names = Object.keys(data.treatments);
    const l = hs.label(key, unitOf(data.treatments[names[0]], key));
    const unit = l.unit;
    const ys = names.map((t) => value(data.treatments[t].phenotype[key]) * (l.scale || 1));
    const calls = names.map((t) => data.treatments[t].disease || "");
    Plotly.react(
      "treatment-chart",
      [{ type: "bar", x: names, y: ys, text: calls, textposition: "auto", marker: { color: names.map((t) => (t === "none" ? "#8a94a0" : "#2e7d32")) }, hovertemplate: "%{x}: %{y:.3g} " + unit + "<br>call: %{text}<extra></extra>" }],
      { margin: { l: 70, r: 20, t: 10, b: 40 }, yaxis: { title: { text: hs.readoutTitle(key, unit) } } },
      PLOT_CONFIG
    );
  }

  function showCalls(xi) {
    const mid = xi.female[Math.floor(xi.female.length / 2)];
    const affectedFrom = xi.female.find((p) => p.disease && p.disease !== "carrier" && p.disease !== "none");
    const idx = affectedFrom ? xi.female.indexOf(affectedFrom) : -1;
    const grade = (p) => {  // WHO anaemia grade and the years to iron overload, as the CLI prints them
      const a = p.severity && p.severity.anemia;
      const parts = [a ? (a.anemic ? `${a.grade} anaemia (WHO)` : "no anaemia (WHO)") : ""];
      const y = p.iron && p.iron.summary ? p.iron.summary.years_to_overload : null;
      if (typeof y === "number") parts.push(`iron overload (ferritin > 300 µg/L) after about ${hs.fmt(y, 2)} years`);
      const text = parts.filter(Boolean).join(", ");
      return text ? ` (${text})` : "";
    };
    let text = `Man (hemizygous): ${xi.male.disease}${grade(xi.male)}. Woman with random X-inactivation (0.5): ${mid.disease}${grade(mid)}.`;
    text += idx >= 0 ? ` The typical woman is called ${affectedFrom.disease} from X-inactivation ${hs.fmt(xi.xi[idx], 2)} towards the variant (the penetrance below counts all women).` : " The typical woman reaches no disease call on this grid (the penetrance below counts all women).";
    document.getElementById("calls").textContent = text;
    showReadoutTable(xi.male, mid);
  }

  /* Clinical readouts of the man and of a woman at xi 0.5: names, units, reference ranges and
     flags (hemesim.report.labels, as the CLI prints them). */
  function showReadoutTable(male, woman) {
    const tbody = document.querySelector("#pheno-table tbody");
    const keys = hs.orderKeys(Object.keys(male.phenotype).filter((k) => typeof value(male.phenotype[k]) === "number" && hs.label(k).clinical));
    const cell = (k, p, sex) => {
      const v = value(p.phenotype[k]);
      const f = hs.flag(k, v, sex);
      const ref = hs.rangeText(k, sex);
      const entry = p.phenotype[k];
      const iv = entry && Array.isArray(entry.interval_95) && entry.interval_95.length === 2 ? ` <span class="muted">(95 %: ${hs.readoutValue(k, entry.interval_95[0])}-${hs.readoutValue(k, entry.interval_95[1])})</span>` : "";
      return `<td class="${f ? "flag-" + f : ""}">${hs.readoutValue(k, v)}${f ? " " + (f === "low" ? "L" : "H") : ""}${iv}</td><td class="muted">${hs.escapeHTML(ref)}</td>`;
    };
    tbody.innerHTML = keys.map((k) => {
      const l = hs.label(k, unitOf(male, k));
      return `<tr data-readout="${hs.escapeHTML(k)}"><th scope="row">${hs.escapeHTML(l.name)}</th><td>${hs.escapeHTML(l.unit)}</td>${cell(k, male, "male")}${cell(k, woman, "female")}</tr>`;
    }).join("");
  }

  function chartError(id, text) {
    const el = document.getElementById(id);
    if (window.Plotly) Plotly.purge(el);
    el.innerHTML = `<p class="status error">${hs.escapeHTML(text)}</p>`;
  }

  function disable(kind) {
    const button = document.getElementById("variant-dl-" + kind);
    if (button) { button.disabled = true; button.onclick = null; }
  }

  function clearChart(id, html) {
    const el = document.getElementById(id);
    if (window.Plotly) Plotly.purge(el);
    el.innerHTML = html || "";
  }

  /* Forget every prediction shown (charts, calls, readout list, CSV/PNG downloads), so that
     nothing of a previous variant or treatment stays beside the current one. */
  function clearPredictions() {
    state.xi = null;
    state.treatments = null;
    state.note = null;
    if (lazy) lazy.stop();
    lazy = null;
    clearChart("xi-chart");
    clearChart("treatment-chart");
    clearChart("penetrance-chart");
    document.getElementById("penetrance-text").textContent = "";
    readoutSelect.innerHTML = "";
    const calls = document.getElementById("calls");
    calls.textContent = "";
    calls.className = "calls";
    document.querySelector("#pheno-table tbody").innerHTML = "";
    disable("csv");
    disable("png");
    delete document.body.dataset.charts;
    delete document.body.dataset.drawn;
  }

  /* No phenotype for this variant (an effect no rule quantifies, or a failed prediction):
     the interpretation stays, the reason replaces the calls and the charts. */
  function showNoPrediction(reason) {
    clearPredictions();
    state.note = reason;
    const calls = document.getElementById("calls");
    calls.textContent = reason;
    calls.className = "calls status error";
    const none = `<p class="status muted">No chart: no phenotype was predicted (see above).</p>`;
    clearChart("xi-chart", none);
    clearChart("treatment-chart", none);
    document.body.dataset.charts = "none";
  }

  function xiRows() {
    const data = state.xi;
    if (!data) return [];
    const keys = readoutKeys();
    const row = (sex, xi, p) => Object.assign({ sex, xi, disease: p.disease }, Object.fromEntries(keys.map((k) => [k, value(p.phenotype[k])])));
    return [row("male", 1, data.male), ...data.female.map((p, i) => row("female", data.xi[i], p))];
  }

  function updateCli() {
    const q = hs.shq(state.hgvs);
    const t = treatmentSelect.value;
    const treat = t !== "none" ? ` --treat ${t}` : "";
    hs.setText(
      "variant-cli",
      `hemesim variant ${q} --json\n` +
        `hemesim variant ${q} --sex female --xi 0.5${treat} --json   # one point of the chart\n` +
        `hemesim report ${q} -o report.html --json   # the whole chart, untreated`
    );
  }

  /* ---------------------------------------------------------------- loading */
  /* What the page asks the server for, in order of need (the server computes on one worker, in
     turn): the interpretation and the X-inactivation panel at once (the top of the page and its
     main chart); the treatment comparison and the female penetrance (2000 simulated women, 1-3 s)
     only when their section comes near the screen, so that a variant looked at and left at once
     leaves no work behind that would hold up the next one. */

  /** Mark the page drawn once the interpretation, the readout table and the main chart are in
      (body[data-drawn=main]; the benchmark's "drawn" mark). */
  function markDrawn() {
    if (document.body.dataset.ready === "variant" && document.querySelector("#xi-chart .main-svg")) {
      document.body.dataset.drawn = "main";
      if (window.performance && performance.mark) performance.mark("hemesim:variant-drawn");
    }
  }

  async function load(hgvs) {
    const mine = ++seq;
    state.hgvs = hgvs;
    state.report = null;
    clearPredictions();
    disable("json");
    delete document.body.dataset.ready;
    document.getElementById("variant-result").hidden = false;
    updateCli();
    const report = hs.fetchJSON("/api/variant?hgvs=" + encodeURIComponent(hgvs));
    const xi = xiRequest(hgvs);
    report.catch(() => {});  // awaited below; keeps an early failure from being "unhandled"
    const charts = loadCharts(mine, xi, report);
    try {
      const rep = await report;
      if (mine !== seq) return;
      state.report = rep;
      if (msg.textContent.startsWith("Checking")) setMessage("valid: " + [rep.hgvs_c, rep.hgvs_p].filter(Boolean).join(" / "), "ok");
      showReport(rep);
      if (typeof hsAcmg !== "undefined") hsAcmg.show(hgvs);  // ACMG panel (acmg.js)
      document.body.dataset.ready = "variant";
      markDrawn();
    } catch (err) {
      if (mine !== seq) return;
      seq++;  // nothing of this variant is drawn
      clearPredictions();
      document.getElementById("variant-result").hidden = true;  // nothing of the last variant
      setMessage(err.message, "error");
      return;
    }
    hs.enable("variant", "json", async () => {
      if (lazy) { lazy.start(); await lazy.done; }  // the download holds every panel
      const data = { variant: state.report, phenotype_xi: state.xi, treatments: state.treatments };
      if (state.note) data.prediction_note = state.note;
      hs.saveJSON("hemesim-variant.json", data);
    });
    await charts;
  }

  /** Start the X-inactivation panel's request for the current variant and treatment. */
  function xiRequest(hgvs) {
    const t = treatmentSelect.value;
    const xi = hs.fetchJSON(`/api/phenotype/xi?hgvs=${encodeURIComponent(hgvs)}&treatment=${encodeURIComponent(t)}&points=11`);
    xi.catch(() => {});  // handled where it is awaited
    return xi;
  }

  async function loadCharts(mine, xiPending, reportPending) {
    const hgvs = state.hgvs;
    const pending = xiPending || xiRequest(hgvs);
    clearPredictions();
    document.getElementById("xi-chart").innerHTML = `<p class="status busy">Predicting phenotypes…</p>`;
    try {
      const xi = await pending;
      if (mine !== seq) return;
      if (reportPending) await reportPending.catch(() => null);  // the default readout follows the effect class
      if (mine !== seq) return;
      state.xi = xi;
      showCalls(xi);
      fillReadouts();
      await plotlyReady;
      if (mine !== seq) return;
      document.getElementById("xi-chart").innerHTML = "";
      plotXi();
      hs.enable("variant", "csv", () => hs.saveText("hemesim-phenotype-xi.csv", hs.toCSV(xiRows()), "text/csv"));
      hs.enable("variant", "png", () => Plotly.downloadImage("xi-chart", { format: "png", filename: "hemesim-phenotype-xi", width: 1000, height: 500 }));
      document.body.dataset.charts = "main";
      markDrawn();
    } catch (err) {
      // 422: the server's reason ("no phenotype predicted for ...: its effect on ALAS2 is uncertain")
      if (mine === seq) showNoPrediction(err.status === 422 ? err.message : "Phenotype prediction unavailable: " + err.message);
      return;
    }
    lazy = deferPanels(mine, hgvs);
    await lazy.done;
  }

  /** The treatment comparison and the penetrance, requested when either section is within
      about half a screen of view (or when the JSON download asks for them). */
  function deferPanels(mine, hgvs) {
    let begin;
    const started = new Promise((resolve) => { begin = resolve; });
    const targets = ["treatment-chart", "penetrance-chart"].map((id) => document.getElementById(id));
    let observer = null;
    const start = () => { if (observer) observer.disconnect(); observer = null; begin(); };
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) start(); }, { rootMargin: "0px 0px 50% 0px" });
      targets.forEach((el) => observer.observe(el));
    } else {
      start();
    }
    for (const [id, text] of [["treatment-chart", "Comparing treatments…"], ["penetrance-chart", "Simulating 2000 women…"]]) {
      document.getElementById(id).innerHTML = `<p class="status muted">${text} (computed when this section is in view)</p>`;
    }
    const done = started.then(() => (mine === seq ? loadDeferred(mine, hgvs) : null));
    const stop = () => { if (observer) observer.disconnect(); observer = null; };
    return { start, stop, done };
  }

  async function loadDeferred(mine, hgvs) {
    const t = treatmentSelect.value;
    document.getElementById("treatment-chart").innerHTML = `<p class="status busy">Comparing treatments…</p>`;
    document.getElementById("penetrance-chart").innerHTML = `<p class="status busy">Simulating 2000 women…</p>`;
    const treatments = hs.fetchJSON(`/api/phenotype/treatments?hgvs=${encodeURIComponent(hgvs)}&sex=male`);
    const penetrance = hs.fetchJSON(`/api/phenotype/penetrance?hgvs=${encodeURIComponent(hgvs)}&treatment=${encodeURIComponent(t)}`);
    penetrance.catch(() => {});  // awaited below
    try {
      const tr = await treatments;
      if (mine !== seq) return;
      state.treatments = tr;
      document.getElementById("treatment-chart").innerHTML = "";
      plotTreatments();
    } catch (err) {
      if (mine !== seq) return;
      state.treatments = null;
      chartError("treatment-chart", "Treatment comparison unavailable: " + err.message);
    }
    try {
      const pen = await penetrance;
      if (mine !== seq) return;
      plotPenetrance(pen);
    } catch (err) {
      if (mine !== seq) return;
      document.getElementById("penetrance-text").textContent = "";
      chartError("penetrance-chart", "Penetrance unavailable: " + err.message);
    }
    if (mine === seq) document.body.dataset.charts = "ready";
  }

  /* The one female penetrance (hemesim.phenotype.penetrance): headline and by age. */
  function plotPenetrance(pen) {
    const ages = Object.keys(pen.by_age || {});
    const share = (x) => (typeof x === "number" ? (100 * x).toFixed(1) + " %" : "n/a");
    const typical = typeof pen.typical_penetrance === "number" ? ` (the typical woman: ${share(pen.typical_penetrance)})` : "";
    document.getElementById("penetrance-text").textContent =
      `P(${pen.disease === "none" ? "disease" : pen.disease}) for a heterozygous woman at ${Math.round(pen.age_years)} years: ${share(pen.penetrance)}${typical}.`;
    document.getElementById("penetrance-chart").innerHTML = "";
    Plotly.react(
      "penetrance-chart",
      [{ x: ages.map(Number), y: ages.map((a) => pen.by_age[a]), mode: "lines+markers", name: "penetrance", line: { color: "#b3261e" }, hovertemplate: "%{x} y: %{y:.1%}<extra></extra>" }],
      { margin: { l: 70, r: 20, t: 10, b: 50 }, xaxis: { title: { text: "age (years)" } }, yaxis: { title: { text: "P(disease), heterozygous woman" }, range: [0, 1], tickformat: ".0%" } },
      PLOT_CONFIG
    );
  }

  const check = hs.debounce(async () => {
    const text = input.value.trim();
    if (!text) { setMessage("Type a variant; it is checked as you type.", ""); return; }
    try {
      const res = await hs.fetchJSON("/api/variant/validate?hgvs=" + encodeURIComponent(text));
      setMessage(res.message, res.valid ? "ok" : "error");
      if (res.valid && text !== state.hgvs) load(text);
    } catch (err) {
      setMessage(err.message, "error");
    }
  }, 300);

  input.addEventListener("input", check);
  document.getElementById("variant-form").addEventListener("submit", (e) => { e.preventDefault(); check(); });
  readoutSelect.addEventListener("change", () => { readoutSelect.dataset.chosen = readoutSelect.value; plotXi(); plotTreatments(); });
  treatmentSelect.addEventListener("change", () => { if (state.hgvs) { updateCli(); loadCharts(++seq); } });  // the interpretation stays
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => { input.value = button.dataset.hgvs; check(); });
  }

  hs.fetchJSON("/api/domains").then((d) => { state.domains = d; if (state.report) drawDomains(state.report.domain && state.report.domain.residue); }).catch(() => {});
  const initial = new URLSearchParams(window.location.search).get("hgvs");
  if (initial) {
    // a link (?hgvs=): no typing to wait for; /api/variant says what is wrong with a bad one
    input.value = initial;
    setMessage("Checking " + initial.trim() + "…", "");
    load(initial.trim());
  }
})();
