"""Benchmark a large variant list file (habit: ratios against a reference run in this process).

Issue 16 measured ~400 lines/s on 10^5-line variant files. The file here holds ``--lines`` lines
drawn (seeded) from every missense change of ALAS2 in one-letter shorthand (587 residues x 19)
and every one-base deletion and duplication of its coding sequence (1764 x 2), about 14,700
distinct descriptions, plus one line in 50 that is not a variant. Printed:

* the reference: the first ``--ref`` lines interpreted one by one with
  :func:`hemesim.variants.interpret.interpret` (the old per-line path), in lines/s;
* :func:`hemesim.variants.batch.interpret_file` on the whole file, in lines/s, and the ratio;
* the time to build the table (``to_dataframe``).

``--distinct K`` draws the lines from K of those descriptions (a lab file repeats variants).

Run: ``python benchmarks/bench_variant_file.py [--lines 100000] [--ref 1000] [--distinct 0]``.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from pathlib import Path

import numpy as np

from hemesim.errors import HemesimError
from hemesim.gene.reference import load_reference
from hemesim.variants.batch import interpret_file
from hemesim.variants.interpret import interpret


def all_descriptions() -> list[str]:
    """Every missense change in one-letter shorthand (``R452C``) and every one-base deletion and
    duplication of the coding sequence (``c.100del``, ``c.100dup``)."""
    ref = load_reference()
    protein = str(ref.protein)
    amino = "ACDEFGHIKLMNPQRSTVWY"
    missense = [f"{aa}{i + 1}{alt}" for i, aa in enumerate(protein) for alt in amino if alt != aa]
    indels = [f"c.{i}{kind}" for i in range(1, int(ref.cds_length) + 1) for kind in ("del", "dup")]
    return missense + indels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--ref", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--distinct", type=int, default=0, help="draw from this many descriptions (0: all)"
    )
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    pool = all_descriptions()
    if args.distinct:
        pool = [pool[int(k)] for k in rng.choice(len(pool), size=args.distinct, replace=False)]
    picks = rng.integers(0, len(pool), size=args.lines)
    lines = ["not-a-variant" if rng.random() < 0.02 else pool[int(k)] for k in picks]
    print(f"{args.lines:,} lines drawn from {len(pool):,} distinct descriptions")

    interpret("c.1A>G")  # load the reference and the grammar once
    t0 = time.perf_counter()
    for text in lines[: args.ref]:
        with contextlib.suppress(HemesimError):
            interpret(text)
    ref_rate = args.ref / (time.perf_counter() - t0)
    print(f"reference, one interpret() per line ({args.ref:,} lines): {ref_rate:,.0f} lines/s")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "variants.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        result = interpret_file(path)
        dt = time.perf_counter() - t0
        rate = args.lines / dt
        print(
            f"interpret_file, list ({len(result.rows):,} rows, {len(result.errors):,} errors): "
            f"{dt:.2f} s, {rate:,.0f} lines/s, {rate / ref_rate:.1f}x the reference"
        )
        t0 = time.perf_counter()
        result.to_dataframe()
        print(f"to_dataframe: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
