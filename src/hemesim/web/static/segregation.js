/* Family page: cosegregation of a variant (POST /api/segregation) when genotypes are entered.
   family.js calls hsSegregation.update(pedText) after each risk computation. */
"use strict";

const hsSegregation = (() => {
  let seq = 0;
  let lastText = "";

  function hasGenotypes(text) {
    const lines = text.split(/\r?\n/);
    const header = lines.find((l) => l.startsWith("#") && /\bgenotype\b/i.test(l));
    if (!header) return false;
    const col = header.replace(/^#\s*/, "").trim().split(/\s+/).map((w) => w.toLowerCase()).indexOf("genotype");
    return lines.some((l) => l.trim() && !l.startsWith("#") && /^(N|A|NN|NA|AA)$/.test(l.trim().split(/\s+/)[col] || ""));
  }

  function render(res) {
    const box = document.getElementById("segregation-result");
    const bf = res.bayes_factor;
    const acmg = res.acmg || {};
    box.innerHTML =
      `<p><strong>Bayes factor <span id="segregation-bf">${hs.fmt(bf, 4)}</span></strong>` +
      (res.log10_bayes_factor === null ? "" : ` (log10 ${hs.fmt(res.log10_bayes_factor, 3)})`) +
      `: <span class="badge">${hs.escapeHTML(acmg.criterion || "neither PP1 nor BS4")}</span></p>` +
      `<p class="small">${hs.escapeHTML(acmg.evidence || "")}</p>` +
      `<p class="small">Penetrance: men ${hs.fmt(res.penetrance.male_hemizygous)}, heterozygous women ${hs.fmt(res.penetrance.female_heterozygous)}, homozygous women ${hs.fmt(res.penetrance.female_homozygous)}, phenocopy ${hs.fmt(res.penetrance.phenocopy_male)} (${hs.escapeHTML(res.penetrance.source)}).</p>` +
      `<p class="small">Probands: ${res.probands.map((p) => hs.escapeHTML(p.id + " (" + p.chosen_by + ")")).join(", ")}. ${hs.escapeHTML(res.conditioning)}.</p>` +
      (res.notes.length ? `<p class="small muted">${res.notes.map(hs.escapeHTML).join(" ")}</p>` : "");
    document.body.dataset.segregation = "ready";
  }

  async function compute(text) {
    const mine = ++seq;
    const box = document.getElementById("segregation-result");
    if (!box) return;
    if (!hasGenotypes(text)) {
      box.innerHTML = `<p class="muted">Add a <code>genotype</code> column (N/A for men, NN/NA/AA for women) to the PED text to weigh the family for or against the variant.</p>`;
      return;
    }
    const form = new FormData();
    form.append("file", new Blob([text], { type: "text/plain" }), "family.ped");
    const variant = document.getElementById("segregation-variant").value.trim();
    const het = document.getElementById("segregation-het").value.trim();
    if (variant) form.append("variant", variant);
    if (het) form.append("penetrance_female_het", het);
    box.innerHTML = `<p class="status busy">Computing the Bayes factor…</p>`;
    delete document.body.dataset.segregation;
    try {
      const res = await hs.fetchJSON("/api/segregation", { method: "POST", body: form });
      if (mine === seq) render(res);
    } catch (err) {
      if (mine === seq) box.innerHTML = `<p class="status error">${hs.escapeHTML(err.message)}</p>`;
    }
    const cli = ["hemesim segregation family.ped", "--variant " + hs.shq(variant || "HGVS")];
    if (het) cli.push("--penetrance-female-het " + hs.shq(het));
    hs.setText("segregation-cli", cli.join(" ") + " --json");
  }

  function update(text) { lastText = text; compute(text); }

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("segregation-run");
    if (button) button.addEventListener("click", () => compute(lastText));
  });

  return { update, hasGenotypes };
})();
