/* Cohort page: POST /api/cohort, poll progress, then distributions of the readouts. */
"use strict";

(() => {
  const progress = document.getElementById("cohort-progress");
  const select = document.getElementById("cohort-readout");
  let result = null;

  /** Find per-person readout columns in a cohort result: {name: [values]}. */
  function columnsOf(res) {
    const candidates = [res.readouts, res.endpoints, res.values, res.table, res.people, res.individuals, res];
    for (const c of candidates) {
      if (!c) continue;
      if (Array.isArray(c) && c.length && typeof c[0] === "object") {
        const keys = Object.keys(c[0]).filter((k) => typeof c[0][k] === "number");
        if (keys.length) return Object.fromEntries(keys.map((k) => [k, c.map((r) => r[k])]));
      } else if (typeof c === "object" && !Array.isArray(c)) {
        const cols = Object.fromEntries(Object.entries(c).filter(([, v]) => Array.isArray(v) && v.length && typeof v[0] === "number"));
        if (Object.keys(cols).length) return cols;
      }
    }
    return {};
  }

  function quantile(sorted, q) {
    if (!sorted.length) return null;
    const pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  function summary(cols, units, sex) {
    return hs.orderKeys(Object.keys(cols)).map((k) => {
      const xs = cols[k].filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
      const mean = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
      const outside = xs.filter((x) => hs.flag(k, x, sex)).length;
      return { readout: k, mean, sd, q025: quantile(xs, 0.025), median: quantile(xs, 0.5), q975: quantile(xs, 0.975), unit: (units && units[k]) || "", ref: hs.rangeText(k, sex), outside: hs.rangeText(k, sex) ? outside / (xs.length || 1) : null };
    });
  }

  const CALL_NAMES = { XLSA: "XLSA (sideroblastic anaemia)", XLP: "XLP (protoporphyria)", carrier: "carrier, unaffected", none: "no disease" };

  /** Disease shares and penetrance first: what the cohort says, before the numbers behind it. */
  function showShares(res) {
    const box = document.getElementById("cohort-shares");
    const shares = Object.entries(res.disease_shares || {}).sort((a, b) => b[1] - a[1]);
    let html = shares.map(([call, share]) => `<span class="share" data-call="${hs.escapeHTML(call)}"><b>${hs.pct(share)}</b> ${hs.escapeHTML(CALL_NAMES[call] || call)}</span>`).join("");
    if (res.penetrance !== null && res.penetrance !== undefined) {
      html = `<span class="share" id="cohort-penetrance"><b>${hs.pct(res.penetrance)}</b> penetrance (XLSA or XLP)</span>` + html;
    }
    box.innerHTML = html || `<span class="muted">no disease calls in this result</span>`;
  }

  function render(res) {
    result = res;
    const cols = columnsOf(res);
    const units = res.units || {};
    const keys = hs.orderKeys(Object.keys(cols));
    const sex = res.sex === "male" || res.sex === "female" ? res.sex : null;
    const current = select.value;
    showShares(res);
    select.innerHTML = keys.map((k) => `<option value="${hs.escapeHTML(k)}">${hs.escapeHTML(hs.readoutTitle(k, units[k]))}</option>`).join("");
    select.value = keys.includes(current) ? current : keys.includes("hb_g_dl") ? "hb_g_dl" : keys[0] || "";
    const tbody = document.querySelector("#cohort-summary tbody");
    const rows = summary(cols, units, sex);
    tbody.innerHTML = rows.map((r) => {
      const l = hs.label(r.readout, r.unit);
      const v = (x) => hs.readoutValue(r.readout, x);
      return `<tr data-readout="${hs.escapeHTML(r.readout)}"><th scope="row">${hs.escapeHTML(l.name)}</th><td>${hs.escapeHTML(l.unit)}</td><td>${v(r.median)}</td><td>${v(r.q025)}</td><td>${v(r.q975)}</td><td>${v(r.mean)}</td><td>${v(r.sd)}</td><td class="muted">${hs.escapeHTML(r.ref)}</td><td>${r.outside === null ? "" : hs.pct(r.outside)}</td></tr>`;
    }).join("");
    plot();
    const table = keys.length ? cols[keys[0]].map((_, i) => Object.fromEntries(keys.map((k) => [k, cols[k][i]]))) : [];
    hs.enable("cohort", "json", () => hs.saveJSON("hemesim-cohort.json", res));
    hs.enable("cohort", "csv", () => hs.saveText("hemesim-cohort.csv", hs.toCSV(table), "text/csv"));
    hs.enable("cohort", "png", () => Plotly.downloadImage("cohort-chart", { format: "png", filename: "hemesim-cohort", width: 1000, height: 500 }));
  }

  function plot() {
    if (!result) return;
    const cols = columnsOf(result);
    const key = select.value;
    if (!key) return;
    const l = hs.label(key, (result.units || {})[key] || "");
    const xs = cols[key].map((x) => (typeof x === "number" ? x * (l.scale || 1) : x));
    Plotly.react("cohort-chart", [{ type: "histogram", x: xs, marker: { color: "#b3261e" }, nbinsx: 40 }],
      { margin: { l: 60, r: 20, t: 10, b: 50 }, xaxis: { title: { text: hs.readoutTitle(key, l.unit) } }, yaxis: { title: { text: "people" } }, bargap: 0.05 },
      { displaylogo: false, responsive: true });
  }

  async function poll(job) {
    for (;;) {
      const view = await hs.fetchJSON("/api/cohort/" + job);
      if (view.progress === null || view.progress === undefined) progress.removeAttribute("value");
      else progress.value = view.progress;
      if (view.status === "done") {
        progress.value = 1;
        const failed = view.result.n_ok !== undefined ? view.result.n - view.result.n_ok : 0;
        hs.status("cohort-status", `Done: ${view.request.n} people (${view.result.kind || ""}; spread: ${view.result.spread || ""}) in ${hs.fmt(view.elapsed_s)} s.` + (failed ? ` ${failed} simulations failed and are left out.` : ""), "ok");
        render(view.result);
        if (view.result.cli) hs.setText("cohort-cli", view.result.cli);
        document.body.dataset.ready = "cohort";
        return;
      }
      if (view.status === "error") {
        hs.status("cohort-status", view.error, "error");
        return;
      }
      const done = view.progress ? ` ${Math.round(100 * view.progress)}%` : "";
      hs.status("cohort-status", `${view.status === "queued" ? "Queued" : "Running"}…${done} ${hs.fmt(view.elapsed_s, 2)} s`, "busy");
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  document.getElementById("cohort-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const n = parseInt(document.getElementById("cohort-n").value, 10);
    const seed = parseInt(document.getElementById("cohort-seed").value, 10);
    const hgvs = document.getElementById("cohort-hgvs").value.trim();
    const population = document.getElementById("cohort-population").value;
    const uncertainty = document.getElementById("cohort-uncertainty").checked;
    const body = { n, seed, population, uncertainty };
    if (hgvs) body.hgvs = hgvs;
    progress.value = 0;
    hs.status("cohort-status", "Starting…", "busy");
    try {
      const job = await hs.fetchJSON("/api/cohort", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      await poll(job.job);
    } catch (err) {
      hs.status("cohort-status", err.message, "error");
    }
  });
  select.addEventListener("change", plot);
})();
