"""What every chapter's checked exercises share: light imports, a hint, a shown solution, and
a message (never a traceback) for an answer of the wrong type."""

import importlib
import inspect
import subprocess
import sys

import pytest

from bert_tutorial.exercises import INCORRECT, NOT_ATTEMPTED

CHAPTERS = ["ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch10"]
MODULES = {chapter: importlib.import_module(f"bert_tutorial.exercises.{chapter}")
           for chapter in CHAPTERS}  # fmt: skip
EXERCISES = [(c, getattr(MODULES[c], f"exercise{n}")) for c in CHAPTERS for n in range(1, 6)]
# Chapter 10's checks read SQuAD from the bigbench asset before they judge an answer.
CHECKED = [pytest.param(c, e, id=f"{c}-{e.number}",
                        marks=pytest.mark.needs_asset("bigbench") if c == "ch10" else ())
           for c, e in EXERCISES]  # fmt: skip


def test_checks_import_nothing_heavy():
    modules = ", ".join(f"bert_tutorial.exercises.{chapter}" for chapter in CHAPTERS)
    code = f"import sys, {modules}; print(sorted({{'torch', 'transformers'}} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


@pytest.mark.parametrize("chapter, exercise", EXERCISES,
                         ids=[f"{c}-{e.number}" for c, e in EXERCISES])  # fmt: skip
def test_hint_and_solution_exist_and_the_solution_names_its_notebook(chapter, exercise):
    assert exercise.hint().message
    solution = exercise.solution()
    assert f"solutions/{chapter[2:]}_" in solution.message
    assert solution.message.rstrip(":`").endswith("_solutions.ipynb")
    assert f"exercise{exercise.number}.check(" in solution.code
    compile(solution.code, "solution", "exec")  # the code shown is valid Python


def raises(*args):
    raise RuntimeError("the learner's code failed")


ODD_ANSWERS = {"None": None, "a string": "text", "a tensor": "tensor", "a raising function": raises}


@pytest.mark.parametrize("kind", ODD_ANSWERS)
@pytest.mark.parametrize("chapter, exercise", CHECKED)
def test_a_wrong_typed_answer_gets_a_message_not_a_traceback(chapter, exercise, kind):
    import torch

    odd = torch.tensor([1, 2, 3]) if kind == "a tensor" else ODD_ANSWERS[kind]
    parameters = inspect.signature(exercise.checker).parameters
    feedback = exercise.check(*[odd] * len(parameters))  # every argument, `why` too
    assert feedback.outcome in (INCORRECT, NOT_ATTEMPTED), feedback
    assert "could not be checked" not in feedback.message, feedback  # a rule named the problem
