"""Parsing: accepted forms, equivalences and one-line errors."""

import pytest

from hemesim.errors import VariantError
from hemesim.variants.parse import parse


@pytest.mark.parametrize(
    "text",
    [
        "NP_000023.2:p.(Arg452His)",
        "p.Arg452His",
        "p.R452H",
        "R452H",
        "Arg452His",
        "NP_000023.2:p.R452H",
        "p.(R452H)",
        "NP_000023:p.Arg452His",
    ],
)
def test_protein_forms_are_equivalent(text: str) -> None:
    p = parse(text)
    assert (p.level, p.edit, p.p_start, p.ref, p.alt) == ("p", "sub", 452, "R", "H")


@pytest.mark.parametrize("text", ["Q548X", "p.Gln548*", "p.Gln548Ter", "p.(Gln548Ter)", "Gln548X"])
def test_stop_forms(text: str) -> None:
    p = parse(text)
    assert (p.edit, p.p_start, p.alt) == ("nonsense", 548, "*")


@pytest.mark.parametrize(
    "text", ["p.Glu569Glyfs*24", "p.Glu569GlyfsTer24", "p.E569GfsX24", "p.(Glu569GlyfsTer24)"]
)
def test_frameshift_forms(text: str) -> None:
    p = parse(text)
    assert (p.edit, p.p_start, p.alt, p.fs_ter) == ("fs", 569, "G", 24)


@pytest.mark.parametrize(
    ("text", "edit", "start", "end"),
    [
        ("NM_000032.5:c.1355G>A", "sub", "1355", "1355"),
        ("c.1355G>A", "sub", "1355", "1355"),
        ("NM_000032.5(ALAS2):c.1706_1709delAGTG", "del", "1706", "1709"),
        ("c.1734del", "del", "1734", "1734"),
        ("c.10dup", "dup", "10", "10"),
        ("c.10_11insA", "ins", "10", "11"),
        ("c.10delinsAT", "delins", "10", "10"),
        ("c.100+1G>A", "sub", "100+1", "100+1"),
        ("c.-30C>T", "sub", "-30", "-30"),
        ("c.*5A>G", "sub", "*5", "*5"),
    ],
)
def test_c_forms(text: str, edit: str, start: str, end: str) -> None:
    p = parse(text)
    assert (p.level, p.edit, str(p.start), str(p.end)) == ("c", edit, start, end)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("NM_000033.4:c.1A>G", "unknown transcript 'NM_000033.4'"),
        ("NM_000032.3:c.1355G>A", "version NM_000032.3 is not supported"),
        ("NM_000032.4:c.-60C>T", "UTR numbering may differ"),
        ("NM_000032.5:p.Arg452His", "transcript, so use c."),
        ("NP_000023.2:c.1355G>A", "protein, so use p."),
        ("c.1355G>", "expected e.g."),
        ("hello", "expected e.g."),
        ("", "empty"),
        ("c.0A>G", "no c.0"),
        ("c.10_12inv", "not supported"),
        ("g.55009055A>G", "needs its chromosome"),
        ("NC_000023.10:g.55009055A>G", "GRCh37 is not supported"),
        ("NC_000001.11:g.55009055A>G", "ALAS2 lies on NC_000023.11"),
        ("X-100-A-G", "outside ALAS2 and its flanks"),
        ("chr7-55014830-G-A", "expected e.g."),
        ("X-55014830-G-A,T", "one ALT allele at a time"),
        ("X-55014830-A-G", "VCF REF A at chrX:55,014,830 is not the reference base G"),
        ("NC_000023.11:g.55014830A>G", "stated reference A at chrX:55,014,830"),
        ("c.10_20insA", "adjacent"),
        ("p.Arg5?", "Met1"),
        ("p.?", "no specific change"),
    ],
)
def test_errors_are_one_line_and_say_the_expected_form(text: str, match: str) -> None:
    with pytest.raises(VariantError, match=match) as info:
        parse(text)
    assert "\n" not in str(info.value)


def test_non_text_is_rejected() -> None:
    with pytest.raises(VariantError, match="must be text"):
        parse(1355)  # type: ignore[arg-type]
