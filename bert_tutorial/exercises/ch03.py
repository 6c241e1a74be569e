"""Checks for the five exercises of notebook 03 (fine-tuning with your own head).

Training takes minutes, so the checks read what the learner's runs leave behind: which weights
train, the loss curves, the per-sentence results on the validation split. A comparison of two
runs is checked by the learner's own reading of it ("within noise" or "beyond noise"), which
the check recomputes with the paired bootstrap that notebook 03 teaches. Exercise 5 builds the
learner's model class on a tiny configuration and checks its loss against its logits.
"""

from __future__ import annotations

import math
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    NotAttempted,
    ____,
    as_list,
    attempted,
    check_verdict,
    choice,
    type_name,
    whole_number,
)

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/03_finetuning_bert_solutions.ipynb"
def losses_of(value: Any, name: str) -> list[float]:
    """Return a loss curve as floats, or raise Incorrect naming what was expected."""
    values = as_list(value, name, "the list of losses that training returned, one per step")
    if len(values) < 10:
        raise Incorrect(f"{name} holds {len(values)} losses; expected one per training step")
    for i, loss in enumerate(values):
        if hasattr(loss, "item"):
            raise Incorrect(f"{name}[{i}] is a tensor; store loss.item(), a number")
        if isinstance(loss, bool) or not isinstance(loss, int | float) or not math.isfinite(loss):
            raise Incorrect(f"{name}[{i}] is {loss!r}; expected a finite number")
    return [float(v) for v in values]


def mean(values: list[float]) -> float:
    """Return the average of `values`."""
    return sum(values) / len(values)


# Exercise 1 · unfreeze everything -------------------------------------------------------


def frozen_parts(model: Any) -> list[str]:
    """Return the names of the model's parts that hold a weight that does not train."""
    parts = {}
    for name, parameter in model.named_parameters():
        if ".embeddings." in f".{name}":
            part = "the embeddings"
        elif ".layer." in name:
            part = f"layer {name.split('.layer.')[1].split('.')[0]}"
        else:
            part = name.rsplit(".", 1)[0]
        parts.setdefault(part, []).append(parameter.requires_grad)
    return [part for part, trains in parts.items() if not all(trains)]


def check_unfrozen(
    unfrozen_model: Any, seconds: Any, frozen_correct: Any, unfrozen_correct: Any, verdict: Any
) -> str:
    """Exercise 1: every weight trains; both epochs timed; the accuracy change read right."""
    if not hasattr(unfrozen_model, "named_parameters"):
        raise Incorrect(f"unfrozen_model is {type_name(unfrozen_model)}; expected the model")
    frozen = frozen_parts(unfrozen_model)
    if frozen == ["the embeddings"]:
        raise Incorrect(
            "the embeddings are still frozen: freeze_layers(model, 0) keeps them so; "
            "use bert_tutorial.modeling.freeze_layers(model, 0, embeddings=False)"
        )
    if frozen:
        raise Incorrect(f"still frozen in unfrozen_model: {', '.join(frozen)}")
    if not isinstance(seconds, dict) or sorted(seconds) != ["frozen", "unfrozen"]:
        raise Incorrect(f"seconds is {seconds!r}; expected {{'frozen': ..., 'unfrozen': ...}}")
    for key, value in seconds.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise Incorrect(f"seconds[{key!r}] is {value!r}; expected a positive number")
    reading = check_verdict(
        unfrozen_correct, frozen_correct, verdict, ("unfrozen_correct", "frozen_correct")
    )
    return (
        "every weight trains, and both epochs are timed (their ratio is your machine's); "
        f"unfrozen - frozen: {reading}"
    )


exercise1 = Exercise(
    number=1,
    todo="replace each ____: a model with every weight trainable, both epochs' seconds, both "
    "models' right/wrong per validation sentence, and your verdict; then run the cell",
    expects="a model, a dict of two positive numbers, two lists of True/False and "
    '"within noise" or "beyond noise"',
    checker=check_unfrozen,
    hint_text="bert_tutorial.modeling.freeze_layers(model, 0, embeddings=False) unfreezes all. "
    "Train it with section 4's loop, timing it as train_seconds was. Right/wrong per sentence: "
    "(training.predict_logits(m, validation_loader, device).argmax(-1) == validation_labels)"
    ".tolist(); then noise.difference(...) as in section 5.",
    solution_code="""
from bert_tutorial import modeling, training

unfrozen_model = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).to(device)
modeling.freeze_layers(unfrozen_model, 0, embeddings=False)
start = time.perf_counter()
training.fine_tune(unfrozen_model, train_dataset, recipe, device,
                   pad_token_id=tokenizer.pad_token_id)
# train_seconds also holds section 4's five validations: the ratio is a lower bound
seconds = {"frozen": train_seconds, "unfrozen": time.perf_counter() - start}


def right_per_sentence(m):
    predictions = training.predict_logits(m, validation_loader, device).argmax(-1)
    return (predictions == validation_labels).tolist()


frozen_correct = right_per_sentence(model)
unfrozen_correct = right_per_sentence(unfrozen_model)
gap = noise.difference(unfrozen_correct, frozen_correct)
print(noise.verdict(gap))
verdict = "within noise" if gap.low <= 0 <= gap.high else "beyond noise"
exercise1.check(unfrozen_model, seconds, frozen_correct, unfrozen_correct, verdict)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · BertForSequenceClassification in the same loop ---------------------------


def check_builtin_head(
    builtin: Any, losses: Any, builtin_correct: Any, mean_correct: Any, verdict: Any
) -> str:
    """Exercise 2: the built-in head trained in the loop, and the two heads compared."""
    if type(builtin).__name__ != "BertForSequenceClassification":
        raise Incorrect(
            f"builtin is {type_name(builtin)}; load BertForSequenceClassification"
            ".from_pretrained(model_path(), num_labels=2)"
        )
    if builtin.config.num_labels != 2:
        raise Incorrect(f"builtin has {builtin.config.num_labels} labels; pass num_labels=2")
    if not all(p.requires_grad for p in builtin.classifier.parameters()):
        raise Incorrect("builtin's classifier is frozen: the new head must train")
    curve = losses_of(losses, "losses")
    if mean(curve[-5:]) >= mean(curve[:5]):
        raise Incorrect(
            f"the loss did not fall (first 5 steps {mean(curve[:5]):.3f}, last 5 "
            f"{mean(curve[-5:]):.3f}): does the optimizer hold builtin's weights?"
        )
    reading = check_verdict(
        mean_correct, builtin_correct, verdict, ("mean_correct", "builtin_correct")
    )
    return (
        f"the built-in head trained (loss {mean(curve[:5]):.2f} -> {mean(curve[-5:]):.2f}); "
        f"mean pooling - pooler head: {reading}"
    )


exercise2 = Exercise(
    number=2,
    todo="replace each ____: the trained BertForSequenceClassification, its losses, both "
    "heads' right/wrong per validation sentence, and your verdict; then run the cell",
    expects="a BertForSequenceClassification, its list of losses, two lists of True/False "
    'and "within noise" or "beyond noise"',
    checker=check_builtin_head,
    hint_text="Load it with num_labels=2, freeze it as the recipe does (freeze_layers works: it "
    "has .bert too) and train it with the same loop; it returns a loss when given labels.",
    solution_code="""
from bert_tutorial import modeling, training
from transformers import BertForSequenceClassification

builtin = BertForSequenceClassification.from_pretrained(model_path(), num_labels=2).to(device)
modeling.freeze_layers(builtin, recipe.num_frozen_layers)
losses = training.fine_tune(builtin, train_dataset, recipe, device,
                            pad_token_id=tokenizer.pad_token_id)
builtin_correct = right_per_sentence(builtin)  # exercise 1's helper
mean_correct = right_per_sentence(model)
gap = noise.difference(mean_correct, builtin_correct)
print(noise.verdict(gap))
verdict = "within noise" if gap.low <= 0 <= gap.high else "beyond noise"
exercise2.check(builtin, losses, builtin_correct, mean_correct, verdict)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · learning rates too small and too large ------------------------------------

LOW_LR, HIGH_LR = 2e-5, 3e-4
WHY_LR = {
    "b": "overfitting shows as validation accuracy falling while the training loss keeps "
    "falling; these curves show how fast each rate learns, and 2e-5's loss falls slower",
    "c": "the learning rate changes the curves: compare the two runs' last losses",
}


def check_learning_rates(curves: Any, why: Any = None) -> str:
    """Exercise 3: loss curves at 2e-5 and 3e-4 from fresh models, and what each end does."""
    if not isinstance(curves, dict):
        raise Incorrect(f"curves is {type_name(curves)}; expected {{2e-5: losses, 3e-4: losses}}")
    missing = [lr for lr in (LOW_LR, HIGH_LR) if lr not in curves]
    if missing:
        raise Incorrect(
            f"curves has no run at lr {', '.join(f'{lr:g}' for lr in missing)}; "
            f"its keys are {sorted(curves)}"
        )
    low, high = (losses_of(curves[lr], f"curves[{lr:g}]") for lr in (LOW_LR, HIGH_LR))
    if len(low) != len(high):
        raise Incorrect(f"the runs took {len(low)} and {len(high)} steps: train both alike")
    if mean(low[-5:]) <= mean(high[-5:]):
        raise Incorrect(
            f"your 2e-5 run ended lower ({mean(low[-5:]):.3f}) than your 3e-4 run "
            f"({mean(high[-5:]):.3f}): did each run start from a fresh pretrained model, or did "
            f"one continue training the other?"
        )
    if mean(low[:5]) < mean(high[:5]) - 0.2:
        raise Incorrect(
            "your 2e-5 run started far below the 3e-4 run: it continued from an "
            "already trained model; load a fresh one for each run"
        )
    choice(why, WHY_LR, right="a")
    return (
        f"last 5 losses: {mean(low[-5:]):.3f} at 2e-5, {mean(high[-5:]):.3f} at 3e-4; too "
        f"small a rate learns slowly within the budget, a large one moves the pretrained body "
        f"further (10x higher still, training breaks: see the solutions)"
    )


exercise3 = Exercise(
    number=3,
    todo="replace each ____: curves = {2e-5: losses, 3e-4: losses} from two fresh models, "
    "why = your choice; then run the cell",
    expects='a dict of two loss curves keyed 2e-5 and 3e-4, and why="a", "b" or "c"',
    checker=check_learning_rates,
    hint_text="For each lr: a fresh from_pretrained model, frozen as the recipe says, trained "
    "with dataclasses.replace(recipe, lr=lr); keep the losses it returns. plot_curve draws them.",
    solution_code="""
from dataclasses import replace

from bert_tutorial import modeling, training

curves = {}
for lr in (2e-5, 3e-4):
    run = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).to(device)
    modeling.freeze_layers(run, recipe.num_frozen_layers)
    curves[lr] = training.fine_tune(run, train_dataset, replace(recipe, lr=lr), device,
                                    pad_token_id=tokenizer.pad_token_id)
why = "a"
exercise3.check(curves, why=why)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · two epochs, validation after each ----------------------------------------


def check_early_stopping(history: Any, best_epoch: Any) -> str:
    """Exercise 4: one validation accuracy per epoch, and the epoch to keep (counted from 1)."""
    scores = as_list(history, "history", "one validation accuracy per epoch")
    if len(scores) < 2:
        raise Incorrect(f"history holds {len(scores)} accuracy; validate after each of 2 epochs")
    for i, score in enumerate(scores):
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            raise Incorrect(f"history[{i}] is {score!r}; expected an accuracy between 0 and 1")
    best_epoch = whole_number(best_epoch, "best_epoch")
    peak = scores.index(max(scores)) + 1
    if best_epoch == peak - 1:
        raise Incorrect(f"best_epoch is {best_epoch}, an index from 0; epochs count from 1")
    if best_epoch == len(scores) and peak != len(scores):
        raise Incorrect(f"the last epoch is not the best: validation peaked after epoch {peak}")
    if best_epoch != peak:
        raise Incorrect(f"best_epoch is {best_epoch}; validation peaked after epoch {peak}")
    if peak == len(scores):
        return (
            f"validation still rose in the last epoch ({scores[-2]:.3f} -> {scores[-1]:.3f}): "
            f"keep it, and another epoch may help"
        )
    return f"stop after epoch {peak}, where validation peaked ({max(scores):.3f}), and keep it"


exercise4 = Exercise(
    number=4,
    todo="replace each ____: history = the validation accuracy after each of 2 epochs, and "
    "best_epoch = the epoch to keep, counted from 1; then run the cell",
    expects="a list of accuracies between 0 and 1 and a whole number",
    checker=check_early_stopping,
    hint_text="Give the package's fine_tune an after_epoch function that appends "
    "validation_accuracy(model) to history; the epoch to keep is where history peaks.",
    solution_code="""
from dataclasses import replace

from bert_tutorial import modeling, training

two_epochs = BertSentenceClassifier.from_pretrained(model_path(), num_labels=2).to(device)
modeling.freeze_layers(two_epochs, recipe.num_frozen_layers)
history = []
training.fine_tune(two_epochs, train_dataset, replace(recipe, num_epochs=2), device,
                   pad_token_id=tokenizer.pad_token_id,
                   after_epoch=lambda epoch: history.append(validation_accuracy(two_epochs)))
best_epoch = history.index(max(history)) + 1
exercise4.check(history, best_epoch)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · learn the ratings instead of their signs ----------------------------------


def tiny_regressor(model_class: Any) -> Any:
    """Return `model_class` built on a 1-layer, 32-wide configuration with one output."""
    from transformers import BertConfig

    config = BertConfig(
        vocab_size=120,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
    )
    return model_class(config).eval()


def check_rating_head(
    model_class: Any, rating_correct: Any, classifier_correct: Any, verdict: Any
) -> str:
    """Exercise 5: one output with MSE on the targets, and the sign's accuracy compared."""
    import torch

    if not isinstance(model_class, type):
        raise Incorrect(
            f"got {type_name(model_class)}; pass the class itself, e.g. "
            "BertRatingRegressor (not an instance)"
        )
    try:
        model = tiny_regressor(model_class)
    except Exception as error:  # the learner's class: a message, not a traceback
        raise Incorrect(f"your class could not be built from a config: {error}") from None
    generator = torch.Generator().manual_seed(0)
    input_ids = torch.randint(5, 120, (4, 7), generator=generator)
    attention_mask = torch.ones_like(input_ids)
    attention_mask[2:, 5:] = 0  # two padded rows
    targets = torch.tensor([0.5, -0.25, 0.8, -0.9])  # ratings / 4
    inputs = {"input_ids": input_ids, "attention_mask": attention_mask}
    try:
        with torch.no_grad():
            result = model(**inputs)
    except Exception as error:
        raise Incorrect(
            f"your model raised {type(error).__name__}: {error} on a batch without labels"
        ) from None
    if not attempted(result):
        raise NotAttempted
    logits = getattr(result, "logits", None)
    if logits is None or tuple(logits.shape) != (4, 1):
        shape = None if logits is None else tuple(logits.shape)
        raise Incorrect(
            f"your model's logits have shape {shape}, expected (batch, 1): one output, num_labels=1"
        )
    try:
        with torch.no_grad():
            outputs = model(**inputs, labels=targets)
    except Exception as error:
        raise Incorrect(
            f"your model raised {type(error).__name__}: {error} when given float "
            "labels; a rating is a number, not a class: use an MSE loss"
        ) from None
    logits = outputs.logits
    loss = getattr(outputs, "loss", None)
    if loss is None:
        raise Incorrect("your model returns no loss when given labels")
    expected = torch.nn.functional.mse_loss(logits.squeeze(-1), targets)
    if not torch.allclose(loss, expected, atol=1e-5):
        broadcast = ((logits - targets) ** 2).mean()  # (4, 1) against (4,): a (4, 4) grid
        if torch.allclose(loss, broadcast, atol=1e-5):
            raise Incorrect(
                "your loss compares logits of shape (batch, 1) with labels of shape "
                "(batch,): broadcasting makes every pair; squeeze(-1) the logits"
            )
        raise Incorrect(
            f"your loss is {loss.item():.4f}; the mean squared error of the logits "
            f"and the labels is {expected.item():.4f}"
        )
    reading = check_verdict(
        rating_correct, classifier_correct, verdict, ("rating_correct", "classifier_correct")
    )
    return f"one output trained with MSE on rating / 4; sign of the rating - classifier: {reading}"


exercise5 = Exercise(
    number=5,
    todo="replace each ____: your regression model class, the sign's and the classifier's "
    "right/wrong per validation sentence, and your verdict; then run the cell",
    expects='a model class, two lists of True/False and "within noise" or "beyond noise"',
    checker=check_rating_head,
    hint_text="Subclass BertSentenceClassifier, call the parent's forward without labels for "
    "the logits (batch, 1), and use nn.functional.mse_loss(logits.squeeze(-1), labels). Train "
    "with labels rating / 4; a prediction above 0 is positive.",
    solution_code="""
from transformers.modeling_outputs import SequenceClassifierOutput

from bert_tutorial import modeling, training


class BertRatingRegressor(BertSentenceClassifier):
    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        logits = super().forward(input_ids, attention_mask, token_type_ids).logits  # (batch, 1)
        loss = None if labels is None else nn.functional.mse_loss(logits.squeeze(-1), labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


regressor = BertRatingRegressor.from_pretrained(model_path(), num_labels=1).to(device)
modeling.freeze_layers(regressor, recipe.num_frozen_layers)
rating_dataset = training.TokenizedDataset(
    [{**feature, "labels": review.rating / 4}
     for feature, review in zip(train_dataset.features, splits["train"])]
)
training.fine_tune(regressor, rating_dataset, recipe, device,
                   pad_token_id=tokenizer.pad_token_id)
ratings = training.predict_logits(regressor, validation_loader, device).squeeze(-1)
rating_correct = ((ratings > 0).long() == validation_labels).tolist()
classifier_correct = right_per_sentence(model)  # exercise 1's helper
gap = noise.difference(rating_correct, classifier_correct)
verdict = "within noise" if gap.low <= 0 <= gap.high else "beyond noise"
exercise5.check(BertRatingRegressor, rating_correct, classifier_correct, verdict)
""",
    solutions_notebook=SOLUTIONS,
)
