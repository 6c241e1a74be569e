"""Every figure the prose of a notebook states is one that the notebook's stored outputs show.

nbval proves that the outputs reproduce; this proves that the text around them quotes them. A
figure is a number with a decimal point (0.769, 5.1) or a number with a unit (25%, 8 ms, 4x,
59 MB, +6 points). It is supported when the notebook's stored outputs or its code hold the
same value at the precision the prose writes it, with the same unit for whole numbers. Two
kinds of sentence quote figures from elsewhere and are checked against their own source:
- a sentence that names `make bench` or `bench/results.json` is checked against that file;
- a sentence that cites its source, as a link or as "(Author et al., 2020)", is not checked.
Code in backticks is not prose and is skipped, and so are the exercises, which set tasks: the
Exercises section and each "**Exercise N.**" cell above a work cell.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("**/[0-9]*.ipynb"))
BENCH = ROOT / "bench" / "results.json"

UNITS = {"%": "%", "x": "x", "×": "x", "ms": "ms", "s": "s", "min": "min", "MB": "MB",
         "GB": "GB", "GB/s": "GB/s", "M": "M", "points": "points", "point": "points",
         "sentences/s": "sentences/s", "GFLOP/s": "GFLOP/s", "TFLOP/s": "TFLOP/s", "F1": "F1"}
NUMBER = re.compile(
    r"(?<![\w.^/-])[+−-]?(\d[\d,]*(?:\.\d+)?)(?![\d,.]*\d)(?:(x\b|×)|\s?(%|ms\b|s\b|min\b|MB\b|GB/s|GB\b|M\b"
    r"|points?\b|sentences/s|GFLOP/s|TFLOP/s|F1\b))?(?![\w.]\d)"
)
CODE = re.compile(r"`[^`]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
CITED = re.compile(r"\]\(http|\([A-Z][^()]*\b(19|20)\d\d[a-z]?\)")
QUOTES_BENCH = re.compile(r"make bench|bench/results\.json")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z*`(\-])|\n\s*\n|\n- ")


def figures(text: str) -> list[tuple[str, str | None, str]]:
    """Return (number, unit, sentence) for every figure in markdown `text`, up to its Exercises.

    Exercises set tasks ("keep 90% efficiency"); they state no result.
    """
    found = []
    for sentence in SENTENCE_END.split(text.split("## Exercises")[0]):
        prose = LINK_TARGET.sub("]", CODE.sub(" ", sentence))
        for match in NUMBER.finditer(prose):
            number, unit = match.group(1), match.group(2) or match.group(3)
            if "." in number or unit:
                found.append((number, UNITS.get(unit), " ".join(sentence.split())))
    return found


def decimals(number: str) -> int:
    """Return how many digits `number` writes after its decimal point."""
    return len(number.split(".")[1]) if "." in number else 0


def values(text: str) -> set[tuple[float, str | None, int]]:
    """Return (value, unit, decimals) for every number in `text` (outputs, code, bench)."""
    found = set()
    for match in NUMBER.finditer(text):
        number = match.group(1).replace(",", "")
        unit = match.group(2) or match.group(3)
        found.add((float(number), UNITS.get(unit), decimals(number)))
    return found


def supported(number: str, unit: str | None, known: set) -> bool:
    """Whether some known value equals `number` rounded to the digits the prose writes."""
    places = decimals(number)
    value = float(number.replace(",", ""))
    for known_value, known_unit, known_places in known:
        if known_places < places or round(known_value, places) != value:
            continue
        if places or unit is None or known_unit == unit:
            return True
    return False


def output_text(notebook: dict) -> str:
    """Return every stored output of `notebook` and the source of its code, as one text."""
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def bench_text() -> str:
    """Return every value in bench/results.json as text."""
    return json.dumps(json.loads(BENCH.read_text()))


def unsupported(notebook: dict, bench: set) -> list[str]:
    """Return a line for every figure in the notebook's prose that nothing supports."""
    known = values(output_text(notebook))
    problems = []
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or text.startswith("**Exercise "):
            continue
        for number, unit, sentence in figures(text):
            if CITED.search(sentence):
                continue
            source = bench if QUOTES_BENCH.search(sentence) else known
            if not supported(number, unit, source):
                problems.append(f"{number}{' ' + unit if unit else ''} in: {sentence[:160]}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_in_the_prose_comes_from_the_stored_outputs(path):
    notebook = json.loads(path.read_text())
    problems = unsupported(notebook, values(bench_text()))
    assert not problems, (
        f"{path.name}: figures in the prose that no stored output, code or cited source "
        f"supports (fix the text, or cite the source):\n  " + "\n  ".join(problems)
    )


def test_the_check_catches_a_figure_the_outputs_contradict():
    notebook = {"cells": [
        {"cell_type": "code", "source": ["print(rate)"],
         "outputs": [{"output_type": "stream", "text": ["227 sentences/s, 5.1x\n"]}]},
        {"cell_type": "markdown", "source": ["About 8 ms per sentence; 5.1x faster; 22.5% more."]},
    ]}
    assert [line.split(" in:")[0] for line in unsupported(notebook, set())] == ["8 ms", "22.5 %"]


def test_the_check_catches_the_contradictions_it_was_written_for():
    # Sentences of notebooks 02, 03 and 07 that their own stored outputs contradicted.
    cases = [
        ("embedding takes about 8 ms per sentence on a 2-core CPU",
         "dynamic + sorted             227      5.1x"),
        ("one epoch takes roughly 25% less time at about the same accuracy",
         "random          434,996 tokens processed, 48% padding"),
        ("- int8 (ONNX Runtime, torchao) shrinks the model about 4x;",
         "torchao int8          59 MB on disk\nONNX Runtime int8     23 MB on disk"),
    ]
    for prose, output in cases:
        notebook = {"cells": [
            {"cell_type": "code", "source": [""],
             "outputs": [{"output_type": "stream", "text": [output]}]},
            {"cell_type": "markdown", "source": [prose]},
        ]}
        assert len(unsupported(notebook, set())) == 1, prose


def test_cited_and_bench_sentences_are_checked_against_their_own_source():
    notebook = {"cells": [{"cell_type": "markdown", "source": [
        "BERTweet reports 52.1 F1 (Nguyen et al., 2020). `make bench` measured 0.833."]}]}
    assert unsupported(notebook, values('{"accuracy": 0.8331}')) == []
    assert len(unsupported(notebook, values('{"accuracy": 0.84}'))) == 1
