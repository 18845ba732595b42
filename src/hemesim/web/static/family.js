/* Family page: PED upload or in-page editing -> POST /api/risk -> pedigree SVG and risk table. */
"use strict";

(() => {
  const STANDARD = ["fid", "iid", "pid", "mid", "sex", "phen"];
  const EXAMPLE_OPTIONS = { isolated_case: { fitness_male: "0", disease: "xlsa" } };
  let columns = STANDARD.slice();
  let rows = [];
  let last = null;

  /* ---------------------------------------------------------------- PED text <-> rows */
  function parsePed(text) {
    let header = null;
    const out = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith("#")) {
        const names = line.slice(1).trim().split(/\s+/);
        if (names.length >= 6 && !header && out.length === 0 && /^(fid|family|famid|family_id)$/i.test(names[0])) header = names;
        continue;
      }
      out.push(line.split(/\s+/));
    }
    const names = header ? STANDARD.concat(header.slice(6).map((n) => n.toLowerCase())) : STANDARD.slice();
    const width = Math.max(names.length, ...out.map((r) => r.length));
    for (let i = names.length; i < width; i++) names.push("extra" + (i - 5));
    columns = names;
    rows = out.map((fields) => Object.fromEntries(names.map((n, i) => [n, fields[i] !== undefined ? fields[i] : "."])));
  }

  function pedText() {
    const needsHeader = columns.length > 6;
    const lines = [];
    if (needsHeader) lines.push("#" + columns.join(" "));
    for (const r of rows) lines.push(columns.map((c) => (r[c] === undefined || r[c] === "" ? "." : r[c])).join(" "));
    return lines.join("\n") + "\n";
  }

  function ensureColumn(name) {
    if (!columns.includes(name)) {
      columns.push(name);
      for (const r of rows) if (r[name] === undefined) r[name] = ".";
    }
  }

  /* ---------------------------------------------------------------- editor table */
  const select = (options, current, field, name) =>
    `<select data-field="${field}" aria-label="${hs.escapeHTML(name)}">${options.map(([v, label]) => `<option value="${v}"${String(current) === v ? " selected" : ""}>${label}</option>`).join("")}</select>`;

  function drawTable() {
    const tbody = document.querySelector("#members tbody");
    tbody.innerHTML = "";
    rows.forEach((r, i) => {
      const tr = document.createElement("tr");
      tr.dataset.index = i;
      const phen = ["1", "2"].includes(r.phen) ? r.phen : "0";
      const who = `member ${i + 1}`;
      tr.innerHTML =
        `<td><input data-field="iid" value="${hs.escapeHTML(r.iid)}" size="6" maxlength="40" aria-label="id of ${who}"></td>` +
        `<td><input data-field="pid" value="${hs.escapeHTML(r.pid)}" size="6" maxlength="40" aria-label="father of ${who}"></td>` +
        `<td><input data-field="mid" value="${hs.escapeHTML(r.mid)}" size="6" maxlength="40" aria-label="mother of ${who}"></td>` +
        `<td>${select([["1", "male"], ["2", "female"]], r.sex, "sex", `sex of ${who}`)}</td>` +
        `<td>${select([["0", "unknown"], ["1", "unaffected"], ["2", "affected"]], phen, "phen", `affected status of ${who}`)}</td>` +
        `<td>${select([[".", "not tested"], ["positive", "positive"], ["negative", "negative"]], r.carrier_test || ".", "carrier_test", `carrier test of ${who}`)}</td>` +
        `<td><button type="button" class="remove" title="remove this member" aria-label="remove ${who}">✕</button></td>`;
      tbody.appendChild(tr);
    });
    document.getElementById("ped-text").value = pedText();
  }

  document.querySelector("#members tbody").addEventListener("change", (event) => {
    const tr = event.target.closest("tr");
    const field = event.target.dataset.field;
    if (!tr || !field) return;
    if (field === "carrier_test") ensureColumn("carrier_test");
    rows[Number(tr.dataset.index)][field] = event.target.value.trim() || "0";
    document.getElementById("ped-text").value = pedText();
    compute();
  });
  document.querySelector("#members tbody").addEventListener("click", (event) => {
    if (!event.target.classList.contains("remove")) return;
    const tr = event.target.closest("tr");
    const removed = rows.splice(Number(tr.dataset.index), 1)[0];
    for (const r of rows) {
      if (r.pid === removed.iid || r.mid === removed.iid) { r.pid = "0"; r.mid = "0"; }
    }
    drawTable();
    compute();
  });
  document.getElementById("add-member").addEventListener("click", () => {
    const fid = rows.length ? rows[0].fid : "fam";
    let n = rows.length + 1;
    while (rows.some((r) => r.iid === "new" + n)) n++;
    const row = Object.fromEntries(columns.map((c) => [c, "."]));
    Object.assign(row, { fid, iid: "new" + n, pid: "0", mid: "0", sex: "2", phen: "0" });
    rows.push(row);
    drawTable();
    compute();
  });

  /* ---------------------------------------------------------------- risk request */
  function options() {
    const out = {};
    for (const el of document.querySelectorAll("#family-form fieldset [name]")) {
      if (el.value !== "") out[el.name] = el.value;
    }
    return out;
  }

  function cli(opts) {
    const parts = ["hemesim risk family.ped"];
    for (const [k, v] of Object.entries(opts)) parts.push(`--${k.replace(/_/g, "-")} ${hs.shq(v)}`);
    parts.push("--json");
    return parts.join(" ");
  }

  function formFor(text, opts, withSvg) {
    const form = new FormData();
    form.append("file", new Blob([text], { type: "text/plain" }), "family.ped");
    for (const [k, v] of Object.entries(opts)) form.append(k, v);
    if (withSvg) form.append("svg", "true");
    return form;
  }

  let seq = 0;
  async function compute() {
    if (!rows.length) return;
    const mine = ++seq;
    const opts = options();
    const text = pedText();
    const form = formFor(text, opts, true);
    hs.status("family-status", "Computing…", "busy");
    try {
      const result = await hs.fetchJSON("/api/risk", { method: "POST", body: form });
      if (mine !== seq) return;
      last = { result, text, opts };
      render(result);
      if (typeof hsSegregation !== "undefined") hsSegregation.update(text);  // segregation.js
      hs.setText("family-cli", cli(opts));
      hs.status("family-status", `Exact X-linked likelihood; log-likelihood ${hs.fmt(result.log_likelihood)}.`, "ok");
      document.body.dataset.ready = "family";
    } catch (err) {
      if (mine === seq) hs.status("family-status", err.message, "error");
    }
  }

  function render(result) {
    const box = document.getElementById("pedigree");
    box.innerHTML = result.svg || "";
    const tbody = document.querySelector("#risks tbody");
    tbody.innerHTML = "";
    for (const m of result.individuals) {
      const tr = document.createElement("tr");
      tr.dataset.id = m.id;
      const female = m.sex === "female";
      tr.innerHTML = `<td>${hs.escapeHTML(m.id)}</td><td>${m.sex}</td><td class="p-carrier">${hs.pct(m.p_carrier)}</td>` +
        `<td class="p-affected">${hs.pct(m.p_affected)}</td><td>${female ? hs.pct(m.p_affected_son) : "–"}</td><td>${female ? hs.pct(m.p_carrier_daughter) : "–"}</td>`;
      tbody.appendChild(tr);
    }
    const table = result.individuals.map((m) => ({ id: m.id, family: m.family, sex: m.sex, p_carrier: m.p_carrier, p_affected: m.p_affected, p_affected_son: m.p_affected_son, p_carrier_daughter: m.p_carrier_daughter }));
    hs.enable("family", "json", () => { const copy = Object.assign({}, last.result); delete copy.svg; hs.saveJSON("hemesim-risk.json", copy); });
    hs.enable("family", "csv", () => hs.saveText("hemesim-risk.csv", hs.toCSV(table), "text/csv"));
    hs.enable("family", "svg", () => hs.saveText("hemesim-pedigree.svg", last.result.svg || "", "image/svg+xml"));
    hs.enable("family", "ped", () => hs.saveText("family.ped", last.text, "text/plain"));
    hs.enable("family", "pdf", async () => {
      try {
        const response = await fetch("/api/risk/pdf", { method: "POST", body: formFor(last.text, last.opts, false) });
        if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
        hs.saveBlob("hemesim-family.pdf", await response.blob());
      } catch (err) {
        hs.status("family-status", "PDF: " + err.message, "error");
      }
    });
  }

  /* ---------------------------------------------------------------- inputs */
  function load(text) {
    parsePed(text);
    drawTable();
    compute();
  }

  document.getElementById("ped-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const limit = Number(document.body.dataset.maxUpload || 262144);
    if (file.size > limit) { hs.status("family-status", `That file is larger than ${limit} bytes; is it a PED file?`, "error"); return; }
    const text = await file.text();
    if (/\.json$/i.test(file.name) || /^\s*[[{]/.test(text)) {
      // the editor works on PED rows; POST /api/risk and `hemesim risk` read pedigreejs JSON
      hs.status("family-status", `${file.name}: pedigreejs JSON; this page edits PED files. Compute its risks with hemesim risk ${hs.shq(file.name)} --json, or POST it to /api/risk (curl -F file=@${hs.shq(file.name)}).`, "error");
      return;
    }
    load(text);
  });
  document.getElementById("ped-apply").addEventListener("click", () => load(document.getElementById("ped-text").value));
  async function loadExample(name) {
    try {
      const response = await fetch("/api/pedigree/examples/" + encodeURIComponent(name));
      if (!response.ok) throw new Error(response.statusText);
      for (const [k, v] of Object.entries(EXAMPLE_OPTIONS[name] || {})) document.getElementById("opt-" + k).value = v;
      load(await response.text());
    } catch (err) {
      hs.status("family-status", "Could not load the example: " + err.message, "error");
    }
  }
  for (const button of document.querySelectorAll("button.example-ped")) {
    button.addEventListener("click", () => loadExample(button.dataset.example));
  }
  document.getElementById("example-select").addEventListener("change", (event) => {
    if (event.target.value) loadExample(event.target.value);
  });
  hs.fetchJSON("/api/pedigree/examples").then((res) => {
    const select = document.getElementById("example-select");
    for (const ex of res.examples) {
      const option = document.createElement("option");
      option.value = ex.name;
      option.textContent = ex.name.replace(/_/g, " ") + (ex.description ? " – " + ex.description.slice(0, 60) : "");
      select.appendChild(option);
    }
  }).catch(() => {});
  for (const el of document.querySelectorAll("#family-form fieldset [name]")) el.addEventListener("change", compute);
  document.getElementById("family-form").addEventListener("submit", (e) => e.preventDefault());
})();
