"""The short form of a derivation: the papers'-notation chains and verdicts, irmd's own steps in an appendix."""
import pytest

from irmd.analytic.library import build
from irmd.cli import main
from irmd.derivations import to_latex
from irmd.verify import verify


@pytest.fixture(scope="module")
def certificate():
    return verify(build("common-value-auction", {"N": "2"}), dps=20)


def test_the_short_form_moves_the_verifiers_steps_to_an_appendix(certificate):
    long, short = to_latex(certificate), to_latex(certificate, short=True)
    assert "As checked by irmd" in long and "Appendix" not in long
    body, appendix = short.split(r"\section*{Appendix: the verifier's own steps}") if (
        r"\section*{Appendix" in short) else short.split("Appendix: the verifier's own steps")
    assert "As checked by irmd" not in body and "In the papers' notation:" in body
    assert body.count(r"\emph{Status:}") == long.count(r"\emph{Status:}")      # every verdict stays in the body
    assert appendix.count("claim ") == long.count("As checked by irmd")        # every machine chain is kept


def test_derive_short_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "short.tex"
    assert main(["derive", "common-value-auction", "--short", "--dps", "20", "-o", str(path)]) == 0
    assert "the verifier's own steps" in path.read_text()
