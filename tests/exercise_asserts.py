"""What the checked-exercise tests share: a wrong answer's feedback names the mistake."""

from bert_tutorial.exercises import INCORRECT, Feedback


def assert_incorrect(feedback: Feedback, *fragments: str) -> None:
    """Assert `feedback` says incorrect, from a rule that foresaw the mistake (not the catch-all
    for answers no rule handles), and that its message holds every fragment."""
    assert feedback.outcome == INCORRECT, feedback
    assert "could not be checked" not in feedback.message, feedback
    for fragment in fragments:
        assert fragment in feedback.message, feedback
