/* Variant page: the ACMG/AMP classification panel (GET /api/classification).
   variant.js calls hsAcmg.show(hgvs) once a variant is interpreted. */
"use strict";

const hsAcmg = (() => {
  let seq = 0;
  const pubmed = (html) =>
    html.replace(/PMID[:\s]*(\d{6,9})/g, (m, id) => `<a href="https://pubmed.ncbi.nlm.nih.gov/${id}/" target="_blank" rel="noopener noreferrer">PMID:${id}</a>`);
  const cls = (name) => name.toLowerCase().replace(/[^a-z]+/g, "-");

  function row(c) {
    const pts = c.points ? (c.points > 0 ? "+" : "") + c.points : "";
    return `<tr class="acmg-${c.met === true ? "met" : c.met === false ? "not-met" : "unknown"}"><th>${hs.escapeHTML(c.label)}</th><td>${pts}</td><td>${pubmed(hs.escapeHTML(c.evidence))}</td></tr>`;
  }

  function render(data) {
    const box = document.getElementById("acmg-panel");
    const met = data.criteria.filter((c) => c.met === true);
    const notMet = data.criteria.filter((c) => c.met === false);
    const unknown = data.criteria.filter((c) => c.met === null);
    box.innerHTML =
      `<p><span id="acmg-class" class="badge acmg-${cls(data.class)}">${hs.escapeHTML(data.class)}</span> ` +
      `for <strong>${hs.escapeHTML(data.disease)}</strong>: <span id="acmg-points">${data.points}</span> points ` +
      `(${hs.escapeHTML(met.map((c) => c.label).join(", ") || "no criterion met")})</p>` +
      `<p class="small">${hs.escapeHTML(data.disease_basis)}. ${hs.escapeHTML(data.method)}.</p>` +
      (met.length ? `<table id="acmg-met" class="data"><thead><tr><th>criterion</th><th>points</th><th>evidence</th></tr></thead><tbody>${met.map(row).join("")}</tbody></table>` : "") +
      `<details><summary>Not met (${notMet.length})</summary><table class="data"><tbody>${notMet.map(row).join("")}</tbody></table></details>` +
      `<details><summary>Not evaluated: the data are not in hemesim (${unknown.length})</summary><table class="data"><tbody>${unknown.map(row).join("")}</tbody></table></details>` +
      (data.notes && data.notes.length ? `<p class="small muted">${data.notes.map(hs.escapeHTML).join(" ")}</p>` : "");
    document.body.dataset.acmg = "ready";
  }

  let current = "";
  function query(hgvs) {
    const params = new URLSearchParams({ hgvs });
    const af = document.getElementById("acmg-af");
    const deNovo = document.getElementById("acmg-de-novo");
    if (af && af.value.trim() !== "") params.set("allele_frequency", af.value.trim());
    if (deNovo && deNovo.value) params.set("de_novo", deNovo.value);
    return "/api/classification?" + params.toString();
  }

  async function show(hgvs) {
    const mine = ++seq;
    current = hgvs;
    const box = document.getElementById("acmg-panel");
    if (!box) return;
    delete document.body.dataset.acmg;
    box.innerHTML = `<p class="status busy">Classifying…</p>`;
    try {
      const data = await hs.fetchJSON(query(hgvs));
      if (mine === seq) render(data);
    } catch (err) {
      if (mine === seq) box.innerHTML = `<p class="status error">${hs.escapeHTML(err.message)}</p>`;
    }
  }

  for (const id of ["acmg-af", "acmg-de-novo"]) {
    const el = document.getElementById(id);
    if (el) el.addEventListener("change", () => { if (current) show(current); });
  }

  return { show };
})();
