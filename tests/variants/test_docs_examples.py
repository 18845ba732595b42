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
