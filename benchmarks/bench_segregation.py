"""Cosegregation Bayes factor: hemesim's exact engine vs the FLB of the R package segregatr.

segregatr (M. D. Vigeland and C. Carrizosa; FLB = the full-likelihood Bayes factor of Thompson,
Easton & Goldgar 2003, with an X-linked model, ``Xchrom = TRUE``) is the established
implementation. This script draws random X-linked families (seeded), computes the Bayes factor of
each with :func:`hemesim.genetics.segregation.segregation` (mutation rates 0, founders from the
allele frequency: segregatr's model) and with ``segregatr::FLB`` in one R process, and prints:

* agreement: the largest relative difference |BF_hemesim / BF_segregatr - 1| over all families;
* speed: total compute time of each side (R start-up and package loading excluded, timed inside
  R with ``proc.time``), and the ratio.

segregatr and its dependencies (pedtools, pedprobr, pedmut, kinship2) are not part of hemesim and
are not installed by it. Point ``HEMESIM_R_LIBS`` at an R library that holds them (the script
adds it to ``.libPaths()``); without R or segregatr the script says so and exits 0.

Usage: python benchmarks/bench_segregation.py [--families 200] [--seed 1] [--max-size 30]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from hemesim.genetics.pedigree import Individual, Pedigree
from hemesim.genetics.segregation import segregation

R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
lib <- Sys.getenv("HEMESIM_R_LIBS")
if (nzchar(lib)) .libPaths(c(strsplit(lib, ":")[[1]], .libPaths()))
ok <- suppressWarnings(suppressMessages(requireNamespace("segregatr", quietly = TRUE)))
if (!ok) { cat("NO_SEGREGATR\n"); quit(status = 3) }
suppressMessages(library(segregatr))
d <- read.csv(args[1], colClasses = "character", na.strings = character(0))
par <- read.csv(args[2])
out <- data.frame(family = integer(0), flb = numeric(0))
t0 <- proc.time()[["elapsed"]]
for (k in unique(d$family)) {
  s <- d[d$family == k, ]
  p <- par[par$family == as.integer(k), ]
  x <- ped(id = s$id, fid = s$fid, mid = s$mid, sex = as.integer(s$sex), validate = FALSE)
  pick <- function(v) { r <- s$id[v]; if (length(r)) r else NULL }
  bf <- tryCatch(FLB(x,
    carriers = pick(s$geno %in% c("A", "NA")),
    homozygous = pick(s$geno == "AA"),
    noncarriers = pick(s$geno %in% c("N", "NN")),
    freq = p$q, affected = pick(s$aff == "2"), unknown = pick(s$aff == "0"),
    proband = s$id[s$proband == "1"],
    penetrances = list(male = c(p$phenocopy, p$pen_male),
                       female = c(p$phenocopy, p$pen_het, p$pen_hom)),
    Xchrom = TRUE), error = function(e) { message("family ", k, ": ", conditionMessage(e)); NA })
  out <- rbind(out, data.frame(family = as.integer(k), flb = bf))
}
elapsed <- proc.time()[["elapsed"]] - t0
write.csv(out, args[3], row.names = FALSE)
cat(sprintf("ELAPSED %.6f\n", elapsed))
"""


def _family(rng: np.random.Generator, max_size: int, causal: bool, params: dict) -> Pedigree:
    """A random family: founder couple, 2-4 generations, spouses from outside, one cousin
    marriage in about a fifth of the families (a loop). Genotypes are simulated from one carrier
    founder; phenotypes from the penetrances (``causal``) or independently of the genotype."""
    people: list[dict] = []

    def add(sex: str, father: str | None, mother: str | None, gen: int) -> str:
        iid = f"i{len(people) + 1}"
        people.append({"id": iid, "sex": sex, "father": father, "mother": mother, "gen": gen})
        return iid

    couples = [(add("male", None, None, 0), add("female", None, None, 0), 0)]
    generations = int(rng.integers(2, 5))
    while couples and len(people) < max_size:
        father, mother, gen = couples.pop(0)
        if gen >= generations:
            continue
        for _ in range(int(rng.integers(1, 5))):
            if len(people) >= max_size:
                break
            sex = "male" if rng.random() < 0.5 else "female"
            child = add(sex, father, mother, gen + 1)
            if rng.random() < 0.55 and len(people) + 1 < max_size:
                spouse = add("female" if sex == "male" else "male", None, None, gen + 1)
                pair = (child, spouse) if sex == "male" else (spouse, child)
                couples.append((*pair, gen + 1))
    if rng.random() < 0.2:  # cousin marriage: two grandchildren of the founders
        g2 = [p for p in people if p["gen"] >= 2 and p["father"] is not None]
        men = [p["id"] for p in g2 if p["sex"] == "male"]
        women = [p["id"] for p in g2 if p["sex"] == "female"]
        if men and women and len(people) < max_size:
            child = add("male" if rng.random() < 0.5 else "female", men[0], women[-1], 9)
            people[-1]["id"] = "c" + child  # marks the loop
    # spouses who got no children would be unconnected founders: drop them
    parents = {p["father"] for p in people} | {p["mother"] for p in people}
    people = [p for p in people if p["father"] is not None or p["id"] in parents]
    # genotypes: one founder woman carries the allele; transmission without mutation
    founders_f = [p["id"] for p in people if p["father"] is None and p["sex"] == "female"]
    source = founders_f[int(rng.integers(len(founders_f)))]
    allele: dict[str, int] = {}
    for p in people:  # file order: parents before children
        if p["father"] is None:
            allele[p["id"]] = 1 if p["id"] == source else 0
        elif p["sex"] == "male":
            m = allele[p["mother"]]
            allele[p["id"]] = int(rng.random() < 0.5) if m == 1 else m // 2
        else:
            from_mother = (
                int(rng.random() < 0.5) if allele[p["mother"]] == 1 else allele[p["mother"]] // 2
            )
            allele[p["id"]] = from_mother + int(allele[p["father"]] > 0)
    members = []
    for p in people:
        a = allele[p["id"]]
        if p["sex"] == "male":
            pen = params["pen_male"] if a else params["phenocopy"]
        else:
            pen = [params["phenocopy"], params["pen_het"], params["pen_hom"]][a]
        if not causal:
            pen = 0.3
        affected = bool(rng.random() < pen)
        status = None if rng.random() < 0.1 else affected
        genotype = None
        if rng.random() < 0.5:
            genotype = ("N", "A")[a] if p["sex"] == "male" else ("NN", "NA", "AA")[a]
        p.update(affected=status, genotype=genotype)
        members.append(p)
    carriers = [p for p in members if allele[p["id"]] > 0]
    proband = carriers[int(rng.integers(len(carriers)))]
    proband.update(affected=True, genotype="A" if proband["sex"] == "male" else "NA")
    if allele[proband["id"]] == 2:
        proband["genotype"] = "AA"
    return Pedigree(
        Individual(
            p["id"],
            p["sex"],
            p["father"],
            p["mother"],
            affected=p["affected"],
            genotype=p["genotype"],
            proband=p is proband,
        )
        for p in members
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-size", type=int, default=30)
    args = ap.parse_args()
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("skipped: Rscript not found (install R and segregatr to compare; see docstring)")
        return
    rng = np.random.default_rng(args.seed)
    grid = [
        {"pen_male": 1.0, "pen_het": 0.05, "pen_hom": 1.0, "phenocopy": 0.001, "q": 1e-4},
        {"pen_male": 0.9, "pen_het": 0.5, "pen_hom": 0.9, "phenocopy": 0.01, "q": 1e-3},
        {"pen_male": 0.8, "pen_het": 0.25, "pen_hom": 0.8, "phenocopy": 0.05, "q": 0.01},
    ]
    families, settings = [], []
    for k in range(args.families):
        params = grid[k % len(grid)]
        families.append(_family(rng, args.max_size, causal=k % 2 == 0, params=params))
        settings.append(params)
    ours = []
    t0 = time.perf_counter()
    for ped, p in zip(families, settings, strict=True):
        r = segregation(
            ped,
            penetrance_male=p["pen_male"],
            penetrance_female_het=p["pen_het"],
            penetrance_female_hom=p["pen_hom"],
            phenocopy=p["phenocopy"],
            allele_frequency=p["q"],
            mu_female=0.0,
            mu_male=0.0,
        )
        ours.append(r.bayes_factor)
    t_ours = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        with (tmpd / "peds.csv").open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["family", "id", "fid", "mid", "sex", "aff", "geno", "proband"])
            for k, ped in enumerate(families):
                for ind in ped:
                    aff = {None: "0", False: "1", True: "2"}[ind.affected]
                    w.writerow([k, ind.id, ind.father or "0", ind.mother or "0",
                                1 if ind.sex == "male" else 2, aff, ind.genotype or "",
                                int(ind.proband)])  # fmt: skip
        with (tmpd / "params.csv").open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["family", "pen_male", "pen_het", "pen_hom", "phenocopy", "q"])
            for k, p in enumerate(settings):
                w.writerow([k, p["pen_male"], p["pen_het"], p["pen_hom"], p["phenocopy"], p["q"]])
        (tmpd / "flb.R").write_text(R_SCRIPT, encoding="utf-8")
        proc = subprocess.run(
            [rscript, str(tmpd / "flb.R"), str(tmpd / "peds.csv"), str(tmpd / "params.csv"),
             str(tmpd / "out.csv")],
            capture_output=True, text=True, env=os.environ.copy(),
        )  # fmt: skip
        if "NO_SEGREGATR" in proc.stdout:
            print("skipped: the R package segregatr is not installed (set HEMESIM_R_LIBS to an R "
                  "library holding segregatr, pedtools, pedprobr, pedmut, kinship2)")  # fmt: skip
            return
        if proc.returncode != 0:
            print("segregatr failed:", proc.stderr.strip()[-2000:], file=sys.stderr)
            sys.exit(1)
        t_r = float(proc.stdout.split("ELAPSED")[1].split()[0])
        with (tmpd / "out.csv").open() as fh:
            theirs = {
                int(row["family"]): float(row["flb"])
                for row in csv.DictReader(fh)
                if row["flb"] != "NA"
            }
    failed = [line for line in proc.stderr.splitlines() if line.startswith("family ")]
    if failed:
        print(f"segregatr failed on {len(failed)} families (compared on the rest):")
        for line in failed[:5]:
            print("  " + line)
    rel = [
        0.0 if ours[k] == theirs[k] else abs(ours[k] - theirs[k]) / abs(theirs[k]) for k in theirs
    ]
    sizes = [len(p) for p in families]
    loops = sum(1 for p in families if any(ind.id.startswith("c") for ind in p))
    print(f"families: {len(families)} (sizes {min(sizes)}-{max(sizes)}, mean "
          f"{np.mean(sizes):.1f}, {loops} with a cousin marriage; seed {args.seed}); BF from "
          f"{min(ours):.3g} to {max(ours):.3g}")  # fmt: skip
    print(f"agreement on {len(rel)}: max |BF_hemesim/BF_segregatr - 1| = {max(rel):.2e} "
          f"(median {np.median(rel):.2e})")  # fmt: skip
    print(f"time: hemesim {t_ours:.3f} s, segregatr {t_r:.3f} s (inside R), "
          f"ratio segregatr/hemesim = {t_r / t_ours:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
