"""Every Python example in docs/risk.md runs (habit 10 of style.md), and the console examples
name files that exist."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "risk.md"
ROOT = DOC.parents[1]


def test_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, str(DOC), "exec"), {})


def test_example_files_named_in_the_doc_exist() -> None:
    names = set(re.findall(r"examples/([\w.]+\.ped)", DOC.read_text(encoding="utf-8")))
    assert names
    for name in names:
        assert (ROOT / "src" / "hemesim" / "genetics" / "examples" / name).is_file(), name
