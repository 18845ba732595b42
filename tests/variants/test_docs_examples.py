"""The examples in docs/variants.md give the values the page shows."""

import re
from pathlib import Path

import hemesim

DOC = Path(__file__).resolve().parents[2] / "docs" / "variants.md"


def test_python_example_values() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block is not None
    shown = dict(re.findall(r"^(report\.[\w.]+)\s+# '([^']+)'", block.group(1), re.M))
    report = hemesim.variant("NM_000032.5:c.1355G>A")
    assert shown == {
        "report.hgvs_p": report.hgvs_p,
        "report.effect.effect_class": "loss_of_function",
    }
    assert report.effect.effect_class == "loss_of_function"


def test_table_examples_interpret() -> None:
    for example in ("p.Leu7del", "c.2dup", "c.1764dup", "c.1764_*1insA", "c.-1_1insA"):
        assert hemesim.variant(example).consequence


def test_accepted_input_table_examples_interpret() -> None:
    """Every example in the 'Accepted input' table of docs/variants.md is accepted."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Accepted input", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "`" in ln]
    examples = [
        ex
        for ln in rows
        for ex in re.findall(r"`([^`]+)`", ln.split("|")[2])
        if re.match(r"(c\.|p\.|NM_|NP_|NC_|X|chrX|23-|R452H|Arg|Q548X)", ex) and ex not in ("=",)
    ]
    assert len(examples) > 20
    for ex in examples:
        assert hemesim.variant(ex).consequence, ex
    report = hemesim.variant("NM_000032.5:c.1355G>A")
    assert report.grch38 is not None
    assert report.grch38["hgvs_g"] == "NC_000023.11:g.55014829C>T"  # shown in the python block
