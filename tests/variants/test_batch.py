"""Batch interpretation: bad lines are reported with their line number, the rest processed."""

from pathlib import Path

import pytest

from hemesim.errors import VariantError
from hemesim.variants.batch import COLUMNS, interpret_file


def test_list_file_with_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "v.txt"
    f.write_text("c.1355G>A\nR452Z\n\n# comment\nQ548X\nNM_000099.1:c.1A>G\np.Lys452His\n")
    result = interpret_file(f)
    assert [r.line for r in result.rows] == [1, 2, 5, 6, 7]
    assert [r.line for r in result.errors] == [2, 6, 7]
    assert "Arg" in result.errors[2].error and "Lys" in result.errors[2].error
    assert result.skipped == 2
    df = result.to_dataframe()
    assert list(df.columns) == list(COLUMNS)
    assert df.loc[df.line == 5, "effect_class"].item() == "gain_of_function"
    assert result.to_dict()["n_errors"] == 3


def test_vcf_keeps_only_alas2_records(tmp_path: Path) -> None:
    f = tmp_path / "v.vcf"
    f.write_text(
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "chr1\t100\t.\tA\tG\t.\t.\t.\n"
        "chrX\t55020000\t.\tC\tT\t.\t.\tCSQ=T|missense|ALAS2|NM_000032.5:c.1355G>A|x\n"
        "chrX\t55020001\t.\tC\tT\t.\t.\t.\n"
        "chrX\tabc\t.\tC\tT\t.\t.\t.\n"
    )
    result = interpret_file(f)
    assert result.skipped == 1
    assert [r.line for r in result.rows] == [4, 5, 6]
    assert result.rows[0].report is not None
    assert result.rows[0].report.hgvs_p == "NP_000023.2:p.(Arg452His)"
    # an unannotated record inside ALAS2 is read from its GRCh38 coordinates (it was refused):
    # chrX:55,020,001 lies 319 bp into intron 6 (exon 6 = 55,020,320-55,020,504, exon table)
    unannotated = result.rows[1].report
    assert unannotated is not None and unannotated.hgvs_c == "NM_000032.5:c.823+319G>A"
    assert "not an integer" in (result.rows[2].error or "")


def test_unreadable_file_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(VariantError, match="cannot be read"):
        interpret_file(tmp_path / "missing.txt")


def test_vcf_reads_every_annotated_allele_wherever_it_lies(tmp_path: Path) -> None:
    """A record with two ALT alleles gives a row per annotated allele (only the first was kept);
    an annotated record at GRCh37 coordinates is interpreted from its annotation (it was
    skipped silently); an unannotated ALT allele gets an error row."""
    vcf = tmp_path / "multi.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "X\t55013000\t.\tC\tT,A\t.\t.\tCSQ=T|missense_variant|ALAS2|NM_000032.5:c.1355G>A|,"
        "A|missense_variant|ALAS2|NM_000032.5:c.1354C>T|\n"
        "X\t55045000\t.\tC\tT\t.\t.\tCSQ=T|missense_variant|ALAS2|NM_000032.5:c.1355G>A|\n"
        "X\t55045000\t.\tC\tT\t.\t.\t.\n"
        "X\t55013000\t.\tC\tT,G\t.\t.\tCSQ=T|missense_variant|ALAS2|NM_000032.5:c.1355G>A|\n"
    )
    res = interpret_file(vcf)
    rows = [(r.line, r.report.hgvs_c if r.report else None, r.error) for r in res.rows]
    assert rows[:3] == [
        (3, "NM_000032.5:c.1355G>A", None),
        (3, "NM_000032.5:c.1354C>T", None),
        (4, "NM_000032.5:c.1355G>A", None),
    ]
    assert rows[3][0] == 6 and rows[3][1] == "NM_000032.5:c.1355G>A"
    assert rows[4][0] == 6 and "2 ALT alleles but 1" in str(rows[4][2])
    assert len(rows) == 5
    assert res.skipped == 1  # the unannotated record outside the GRCh38 span


def test_a_byte_order_mark_is_not_part_of_the_first_variant(tmp_path: Path) -> None:
    listing = tmp_path / "bom.txt"
    listing.write_text("\ufeffc.1355G>A\np.Arg452Cys\n", encoding="utf-8")
    res = interpret_file(listing)
    assert [r.error for r in res.rows] == [None, None]
    assert res.rows[0].report is not None
    assert res.rows[0].report.hgvs_c == "NM_000032.5:c.1355G>A"


def test_vcf_reads_snpeff_ann_and_ignores_symbolic_alleles(tmp_path: Path) -> None:
    """snpEff's ANN puts the transcript (field 7) and HGVS.c (field 10) in separate fields; its
    records were reported as having no annotation. gVCF's <NON_REF> and the spanning-deletion
    allele * are not alleles to interpret, so they get no error row."""
    ann = (
        "ANN=T|missense_variant|MODERATE|ALAS2|ENSG00000158578|transcript|NM_000032.5|"
        "protein_coding|9/11|c.1355G>A|p.Arg452His|1402/1937|1355/1764|452/587||"
    )
    vcf = tmp_path / "snpeff.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        f"X\t55013000\t.\tC\tT,<NON_REF>\t.\t.\t{ann}\n"
        f"X\t55013000\t.\tC\tT,*\t.\t.\t{ann}\n"
    )
    res = interpret_file(vcf)
    assert [(r.line, r.error) for r in res.rows] == [(3, None), (4, None)]
    assert all(r.report and r.report.hgvs_c == "NM_000032.5:c.1355G>A" for r in res.rows)


VCF_HEAD = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"


def test_unannotated_multiallelic_records_give_a_row_per_allele(tmp_path: Path) -> None:
    """chrX:55,014,830 is c.1354 (exon 9, minus strand: G on the plus strand is C on the mRNA,
    shared/data/README.md c.1354_1355 = CG); X and chrX are the same chromosome."""
    vcf = tmp_path / "plain.vcf"
    vcf.write_text(
        VCF_HEAD
        + "X\t55014830\t.\tG\tA,T,<NON_REF>\t.\t.\t.\n"
        + "chrX\t55014830\t.\tG\tA\t.\t.\t.\n"
        + "chr1\t55014830\t.\tG\tA\t.\t.\t.\n"
        + "X\t55014831\t.\tC\t<NON_REF>\t.\t.\tEND=55014900\n"  # a gVCF reference block
        + "X\t55014832\t.\tC\t.\t.\t.\t.\n"  # no ALT allele
    )
    res = interpret_file(vcf)
    got = [(r.line, r.report.hgvs_c if r.report else r.error) for r in res.rows]
    assert got == [
        (3, "NM_000032.5:c.1354C>T"),
        (3, "NM_000032.5:c.1354C>A"),
        (4, "NM_000032.5:c.1354C>T"),
    ]
    assert res.skipped == 3
    rec = res.to_records()[0]
    assert (rec["grch38_vcf"], rec["hgvs_g"]) == ("X-55014830-G-A", "NC_000023.11:g.55014830G>A")


def test_unannotated_wrong_ref_is_an_error_row(tmp_path: Path) -> None:
    vcf = tmp_path / "bad.vcf"
    vcf.write_text(VCF_HEAD + "X\t55014830\t.\tC\tA\t.\t.\t.\n")
    (row,) = interpret_file(vcf).rows
    assert row.error is not None and "not the reference base G" in row.error


def test_grch37_header_turns_coordinate_reading_off(tmp_path: Path) -> None:
    vcf = tmp_path / "b37.vcf"
    vcf.write_text(
        "##fileformat=VCFv4.2\n##reference=file:///ref/hs37d5.fa\n"
        + VCF_HEAD.split("\n", 1)[1]
        + "X\t55014830\t.\tG\tA\t.\t.\t.\n"
    )
    (row,) = interpret_file(vcf).rows
    assert row.error is not None and "GRCh38" in row.error
