"""The README's Python examples run as written (blocks marked <!-- readme-test -->), and the
commands it shows for the Python API exist."""
import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_marked_python_blocks_run():
    text = README.read_text()
    blocks = re.findall(r"<!-- readme-test -->\n```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README


def test_install_and_test_commands_match_ci():
    text = README.read_text()
    ci = (README.parent / ".ci" / "run").read_text()
    install = re.search(r"^(pip install .*?)\s+#", text, re.M).group(1).strip()
    assert install in ci
    assert re.search(r"^pytest\s+#", text, re.M) and re.search(r"^pytest$", ci, re.M)
