"""CLI: the GRCh38 / VCF / ClinVar input forms, the genomic output, and the bad-input contract
(exit 2, one line naming the field; a JSON error object with --json) for each new form."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hemesim.cli.main import app

runner = CliRunner()


def test_json_has_the_grch38_block_and_the_reference_note() -> None:
    result = runner.invoke(app, ["variant", "NC_000023.11:g.55014830G>A", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hgvs_c"] == "NM_000032.5:c.1354C>T"
    assert data["grch38"]["vcf"] == {"chrom": "X", "pos": 55014830, "ref": "G", "alt": "A"}
    assert data["grch38"]["hgvs_g"] == "NC_000023.11:g.55014830G>A"
    assert data["reference_check"] == "base" and "not proven" in data["reference_note"]


def test_text_shows_the_genomic_forms_and_the_caveat() -> None:
    result = runner.invoke(app, ["variant", "NM_000032.5(ALAS2):c.1354C>T (p.Arg452Cys)"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "GRCh38 (VCF) X 55014830 G A" in out
    assert "NC_000023.11:g.55014830G>A" in out
    assert "base (bases are those of a copy of RefSeq NM_000032" in out


BAD = [
    "X-55014830-C-A",  # wrong REF
    "NC_000023.10:g.55014830G>A",  # GRCh37
    "X-1-A-G",  # outside ALAS2
    "NM_000032.5(ALAS2):c.1354C>T (p.Arg452His)",  # the title's p. contradicts its c.
    "c.100+1G>A",  # c.100 is not an exon end
]

# one interpreter runs hemesim's real entry point (run(), which maps errors to exit 2) on every
# bad input, with and without --json, and reports exit code and stderr lines of each
_SCRIPT = """
import contextlib, io, json, sys
from hemesim.cli.main import run
out = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    sys.argv = ["hemesim", *argv]
    code = 0
    with contextlib.redirect_stderr(err):
        try:
            run()
        except SystemExit as exc:
            code = exc.code
    out.append([code, err.getvalue().strip().splitlines()])
print(json.dumps(out))
"""


def test_bad_genomic_input_exits_2_with_one_line() -> None:
    argvs = [["variant", t] for t in BAD] + [["variant", t, "--json"] for t in BAD]
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(argvs)], capture_output=True, text=True
    )
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for argv, (code, lines) in zip(argvs, results, strict=True):
        assert code == 2 and len(lines) == 1, (argv, code, lines)
        if "--json" in argv:
            err = json.loads(lines[0])
            assert err["code"] == 2 and err["error"].startswith("variant "), argv
        else:
            assert lines[0].startswith("error: variant "), argv


def test_variants_reads_a_plain_vcf(tmp_path: Path) -> None:
    vcf = tmp_path / "plain.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "chrX\t55014830\t.\tG\tA,T\t.\t.\t.\n"
    )
    result = runner.invoke(app, ["variants", str(vcf), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert [r["report"]["hgvs_c"] for r in rows] == [
        "NM_000032.5:c.1354C>T",
        "NM_000032.5:c.1354C>A",
    ]
