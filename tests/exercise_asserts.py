"""What the checked-exercise tests share: a wrong answer's feedback names the mistake."""

from bert_tutorial.exercises import INCORRECT, Feedback


def assert_incorrect(feedback: Feedback, *fragments: str) -> None:
    """Assert `feedback` says incorrect and its message holds every fragment."""
    assert feedback.outcome == INCORRECT, feedback
    for fragment in fragments:
        assert fragment in feedback.message, feedback
