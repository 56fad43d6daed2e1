import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "decision-methods.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_has_examples():
    # then
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("block", BLOCKS, ids=[f"example{i}" for i in range(len(BLOCKS))])
def test_examples_in_the_docs_run(block):
    # when / then: every assert in the example holds
    exec(compile(block, str(DOC), "exec"), {})
