"""Hypothesis strategies: hostile inputs for each reader, mixing valid forms with damage."""

from __future__ import annotations

from hypothesis import strategies as st

_ODD_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_DIGITS = st.sampled_from(["0", "1", "2", "9", "-9", "\u0664", "\uff15", "1e308", "nan", "."])
_TOKENS = st.one_of(
    st.sampled_from(["f", "a", "b", "c", "0", ".", "1", "2", "M", "F", "male", "#x", "x_note"]),
    _DIGITS,
    st.text(alphabet="abc01._-#\u00e9", min_size=1, max_size=8),
)
_HEADER = st.sampled_from(
    [
        "",
        "#fid iid pid mid sex phen\n",
        "#fid iid pid mid sex phen carrier_test\n",
        "#fid iid pid mid sex phen carier_test\n",
        "#fid iid pid mid sex phen x_note genotype\n",
        "#family id father mother sex affected proband deceased\n",
    ]
)


_VALID_LINES = st.sampled_from(
    [
        "f gf 0 0 1 2",
        "f gm 0 0 2 1",
        "f mum gf gm 2 0",
        "f dad 0 0 1 1",
        "f son dad mum 1 2",
        "f girl dad mum 2 -9",
        "g x 0 0 M .",
    ]
)


@st.composite
def ped_text(draw: st.DrawFn) -> str:
    if draw(st.booleans()):  # mostly valid families, some lines damaged
        lines = draw(st.lists(_VALID_LINES, min_size=1, max_size=7, unique=True))
        if draw(st.booleans()):
            k = draw(st.integers(0, len(lines) - 1))
            lines[k] = lines[k] + " " + draw(_TOKENS)
        return "\n".join(lines) + "\n"
    lines = draw(
        st.lists(
            st.lists(_TOKENS, min_size=0, max_size=9).map(
                lambda ts: draw(st.sampled_from([" ", "\t"])).join(ts)
            ),
            max_size=8,
        )
    )
    if draw(st.booleans()):
        lines.append(draw(_ODD_TEXT))
    return draw(_HEADER) + "\n".join(lines) + "\n"


_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["M", "F", "U", "a", "b", "c", "", "x_note", "positive"]),
    _ODD_TEXT,
)
_PERSON = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "c", "d"]), "sex": st.sampled_from(["M", "F", "U", 1])},
    optional={
        "mother": st.sampled_from(["a", "b", "c", "d", ""]),
        "father": st.sampled_from(["a", "b", "c", "d", ""]),
        "affected": _JSON_LEAF,
        "status": _JSON_LEAF,
        "top_level": _JSON_LEAF,
        "famid": _JSON_LEAF,
        "carrier_test": _JSON_LEAF,
        "hemesim_extra": st.dictionaries(st.sampled_from(["x_a", "note", "B"]), _JSON_LEAF),
    },
)


@st.composite
def pedigreejs_text(draw: st.DrawFn) -> str:
    import json

    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(_ODD_TEXT)
    if kind == 1:
        depth = draw(st.integers(1, 2000))
        return "[" * depth + "]" * depth
    if kind == 2:
        return '[{"name": "a", "sex": "M", "status": ' + "9" * draw(st.integers(1, 6000)) + "}]"
    people = draw(st.lists(_PERSON, max_size=6))
    return json.dumps(people)


_HGVS = st.one_of(
    st.sampled_from(
        [
            "c.1642C>T",
            "p.Arg452Cys",
            "R452C",
            "c.1706_1709del",
            "NM_000032.5:c.1355G>A",
            "c.-206C>G",
            "p.(Arg452His)",
            "c.*5A>G",
            "Q548X",
            "p.Glu569Glyfs*24",
        ]
    ),
    st.builds(
        lambda a, b, c: f"{a}{b}{c}",
        st.sampled_from(["c.", "p.", "", "NM_000032.5:c.", "NP_000023.2:p.", "g.", "R"]),
        st.one_of(st.integers(-300, 3000).map(str), st.sampled_from(["\u0664\u0665\u0662", "0"])),
        st.sampled_from(["C>T", "del", "dup", "insA", "Cys", "H", "", "_10del", "G>", ">>"]),
    ),
    _ODD_TEXT,
)


@st.composite
def variant_file_text(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        body = draw(st.lists(st.one_of(_HGVS, st.just("# comment"), st.just("")), max_size=6))
        return "\n".join(body) + "\n"
    header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    rows = draw(
        st.lists(
            st.builds(
                lambda chrom, pos, ref, alt, info: f"{chrom}\t{pos}\t.\t{ref}\t{alt}\t.\t.\t{info}",
                st.sampled_from(["X", "chrX", "1", "", "X\tX"]),
                st.one_of(st.integers(55000000, 55100000), st.integers(-5, 5)).map(str),
                st.sampled_from(["A", "C", "G", "T", "AG", ".", "N", ""]),
                st.sampled_from(["A", "C", "G", "T", "<DEL>", ".", "A,C", ""]),
                st.sampled_from([".", "HGVS=c.1642C>T", "HGVSc=NM_000032.5:c.1642C>T", ""]),
            ),
            max_size=5,
        )
    )
    return header + "\n".join(rows) + "\n"


SET_ITEMS = st.one_of(
    st.builds(
        lambda n, v: f"{n}={v}",
        st.sampled_from(["ALAS2.kcat", "x", "", " ", "ALAS2_kcat"]),
        st.one_of(
            st.floats().map(repr),
            _DIGITS,
            st.text(alphabet="0123456789.e-+\u0663\uff11 ", max_size=8),
        ),
    ),
    _ODD_TEXT,
)


@st.composite
def web_body_text(draw: st.DrawFn) -> str:
    import json

    if draw(st.integers(0, 5)) == 0:
        return draw(_ODD_TEXT)
    keys = st.sampled_from(
        ["n", "seed", "hgvs", "population", "uncertainty", "until_h", "points", "set", "zz"]
    )
    values = st.one_of(
        _JSON_LEAF,
        st.integers(-(10**20), 10**20),
        st.lists(_JSON_LEAF, max_size=3),
        st.dictionaries(st.sampled_from(["ALAS2.kcat", "x"]), _JSON_LEAF, max_size=2),
    )
    return json.dumps(draw(st.dictionaries(keys, values, max_size=6)))


STRATEGIES = {
    "ped": ped_text(),
    "pedigreejs": pedigreejs_text(),
    "variant_lines": variant_file_text(),
    "hgvs": _HGVS,
    "set": SET_ITEMS,
    "web_body": web_body_text(),
}
