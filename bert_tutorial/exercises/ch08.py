"""Checks for the five exercises of notebook 08 (masked language modelling).

Exercise 1 recomputes the shares from the learner's masked tensors; exercise 2 calls the
learner's counting function on word ids they have not seen; exercise 3 loads the model into
`BertForPreTraining` itself; exercise 4 recomputes the costs with `training_flops` and the
papers' schedules; exercise 5 reads the learner's trained heads (which weights trained, how many
steps) and scores them on held-out sentences.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any

from bert_tutorial.exercises import (
    Exercise,
    Incorrect,
    ____,
    a_number,
    as_list,
    call_learner,
    choice,
    strings,
    type_name,
    whole_number,
)

__all__ = ["____", "exercise1", "exercise2", "exercise3", "exercise4", "exercise5"]
SOLUTIONS = "notebooks/solutions/08_masked_language_modelling_solutions.ipynb"
IGNORE = -100  # the label cross_entropy skips (bert_tutorial.mlm.IGNORE)
YEAR = 365 * 24 * 3600


@cache
def bert_tokenizer() -> Any:
    """Return the packaged tokenizer, the one notebook 08 loads (loaded once)."""
    from transformers import BertTokenizer

    from bert_tutorial.models import model_path

    return BertTokenizer.from_pretrained(model_path())


def a_tensor(value: Any, name: str, like: Any = None) -> Any:
    """Return `value` if it is a tensor (of `like`'s shape), or raise Incorrect saying so."""
    if not hasattr(value, "shape") or not hasattr(value, "dtype"):
        raise Incorrect(f"{name} is {type_name(value)}; expected a tensor")
    if like is not None and tuple(value.shape) != tuple(like.shape):
        raise Incorrect(f"{name} has shape {tuple(value.shape)}, expected {tuple(like.shape)} "
                        "(one entry per token of ids)")
    return value


# Exercise 1 · masking at 40% -----------------------------------------------------------------

WHY_FORTY = {
    "a": "at 40% more positions are masked, not fewer: more signal per step; the cost lies in "
    "what each prediction can still see",
    "c": "the 80/10/10 split among the chosen positions does not depend on the rate: your own "
    "shares show it",
}


def check_forty(inputs: Any, labels: Any, ids: Any, special: Any, mask_of_all: Any,
                why: Any = None) -> str:
    """Exercise 1: 40% chosen, 80/10/10 among them, the [MASK] share of all real tokens."""
    ids = a_tensor(ids, "ids")
    inputs, labels = a_tensor(inputs, "inputs", ids), a_tensor(labels, "labels", ids)
    special = a_tensor(special, "special", ids).bool()
    real = (~special).sum().item()
    chosen = labels != IGNORE
    if (chosen & special).any():
        raise Incorrect("your labels choose [CLS], [SEP] or padding positions: pass "
                        "special_tokens_mask, so that only real tokens are chosen")
    rate = chosen.sum().item() / real
    if abs(rate - 0.4) > 0.01:
        raise Incorrect(f"your labels choose {rate:.1%} of the real tokens; mask at 40% "
                        "(probability 0.4)")
    mask_id = bert_tokenizer().mask_token_id
    masked = (inputs[chosen] == mask_id).float().mean().item()
    kept = (inputs[chosen] == ids[chosen]).float().mean().item()
    if abs(masked - 0.8) > 0.02 or abs(kept - 0.1) > 0.02:
        raise Incorrect(f"among your chosen positions {masked:.0%} are [MASK] and {kept:.0%} "
                        "kept; BERT's recipe is 80% [MASK], 10% random, 10% kept")
    share = a_number(mask_of_all, "mask_of_all")
    right = ((inputs == mask_id) & ~special).sum().item() / real
    if abs(share - right) > 0.001:
        if abs(share - (inputs == mask_id).sum().item() / inputs.numel()) < 0.001:
            raise Incorrect("mask_of_all divides by every position, padding included; divide "
                            "by the real tokens (special_tokens_mask == 0)")
        if abs(share - masked) < 0.001:
            raise Incorrect("mask_of_all is the share among the chosen positions; divide by "
                            "all the real tokens")
        if abs(share - 100 * right) < 0.1:
            raise Incorrect("mask_of_all is a percentage; give it as a fraction")
        raise Incorrect(f"mask_of_all is {share:.3f}, but {right:.3f} of the real tokens are "
                        "[MASK] in your inputs")
    choice(why, WHY_FORTY, "b")
    return ("about a third of every input (0.4 x 0.8) is [MASK]; each prediction rests on less "
            "context, and the inputs look less like the text the model meets later")


exercise1 = Exercise(
    number=1,
    todo="replace each ____: the inputs and labels of mask_by_hand at 40%, the share of all real "
    "tokens that are [MASK], and the letter of your answer; then run the cell",
    expects='two tensors shaped like ids, a number between 0 and 1, and a letter, "a", "b" or '
    '"c"',
    checker=check_forty,
    hint_text="mask_by_hand(ids, special, tokenizer.mask_token_id, len(tokenizer), 0.4, "
    "torch.Generator().manual_seed(0)) returns (inputs, labels). The real tokens are where "
    "special == 0.",
    solution_code="""
inputs, labels = mask_by_hand(ids, special, tokenizer.mask_token_id, len(tokenizer), 0.4,
                              torch.Generator().manual_seed(0))
mask_of_all = ((inputs == tokenizer.mask_token_id) & (special == 0)).sum().item() / (
    (special == 0).sum().item())
exercise1.check(inputs, labels, ids, special, mask_of_all, why="b")
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 2 · whole-word masking ------------------------------------------------------------

WORD_CASES = [  # (word_ids of one row, chosen per position, (hit, partial), what it shows)
    ([None, 0, 1, 2, None], [False, True, True, False, False], (0, 0),
     "a word of one piece is not a split word: leave it out"),
    ([None, 0, 1, 1, 1, 2, None], [False, True, True, False, False, False, False], (1, 1),
     "word 1 has three pieces and one is chosen: it is hit, and partial"),
    ([None, 0, 0, 1, None, None], [False, True, True, True, False, False], (1, 0),
     "both pieces of word 0 are chosen: it is hit, not partial"),
    ([None, 0, 0, 1, 1, 2, 2, None], [False, False, False, False, True, True, True, False],
     (2, 1), "words 1 and 2 are hit, and word 2 keeps a piece visible"),
    ([None, None], [False, False], (0, 0), "an empty row has no words"),
]


def check_whole_words(split_word_counts: Any, hit: Any, partial: Any) -> str:
    """Exercise 2: the learner's counting on hidden rows; no piece visible under wwm."""
    if not callable(split_word_counts):
        raise Incorrect(f"split_word_counts is {type_name(split_word_counts)}; expected your "
                        "function split_word_counts(word_ids, chosen)")
    for word_ids, chosen, right, shows in WORD_CASES:
        case = f"word_ids {word_ids} with chosen {[int(c) for c in chosen]}"
        counts = as_list(call_learner(split_word_counts, word_ids, chosen, case=case),
                         f"split_word_counts on {case}", "a pair (hit, partial)")  # fmt: skip
        counts = tuple(whole_number(c, "a count") for c in counts)
        if counts != right:
            raise Incorrect(f"on {case} you gave {counts}, expected {right}: {shows}")
    hit, partial = whole_number(hit, "hit"), whole_number(partial, "partial")
    if hit < 1000:
        raise Incorrect(f"hit is {hit}: count over all the training sentences, masked by the "
                        "whole-word collator at 15%")
    if partial:
        raise Incorrect(f"{partial} split words keep a piece visible: was the collator built "
                        "with whole_word_mask=True and given each row's offset_mapping?")
    return (f"{hit:,} split words got a masked piece and none kept another piece visible; "
            "token-level masking leaves a piece visible in most such words")


exercise2 = Exercise(
    number=2,
    todo="replace each ____: the body of split_word_counts, and the two counts over the "
    "training sentences under whole-word masking; then run the cell",
    expects="a function split_word_counts(word_ids, chosen) returning (hit, partial), and two "
    "whole numbers",
    checker=check_whole_words,
    hint_text="Group the positions by word (skip None), keep words of two or more pieces, and "
    "look at which of their pieces are chosen. For the collator, tokenize in chunks with "
    "return_offsets_mapping=True and return_special_tokens_mask=True.",
    solution_code="""
def split_word_counts(word_ids, chosen):
    positions_of = {}
    for position, word in enumerate(word_ids):
        if word is not None:
            positions_of.setdefault(word, []).append(position)
    picked = [[chosen[p] for p in ps] for ps in positions_of.values() if len(ps) > 1]
    return (sum(any(p) for p in picked), sum(any(p) and not all(p) for p in picked))


wwm = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, whole_word_mask=True,
                                      mask_replace_prob=1.0, random_replace_prob=0.0, seed=0)
hit = partial = 0
for start in range(0, len(train_sentences), 512):
    encoded = tokenizer(train_sentences[start : start + 512], padding=True,
                        return_offsets_mapping=True, return_special_tokens_mask=True)
    rows = range(len(encoded["input_ids"]))
    batch = wwm([{key: encoded[key][i] for key in encoded} for i in rows])
    chosen = (batch["labels"] != IGNORE).tolist()
    for row in range(len(chosen)):
        h, p = split_word_counts(encoded.word_ids(row), chosen[row])
        hit, partial = hit + h, partial + p
exercise2.check(split_word_counts, hit, partial)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 3 · both of BERT's heads ----------------------------------------------------------


@cache
def pretraining_report() -> tuple[list[str], int]:
    """The weights BertForPreTraining adds to the packaged model, and its NSP head's size."""
    from transformers import BertForPreTraining

    from bert_tutorial.models import model_path

    model, report = BertForPreTraining.from_pretrained(model_path(), output_loading_info=True)
    nsp = sum(p.numel() for p in model.cls.seq_relationship.parameters())
    return sorted(report["missing_keys"]), nsp


def check_both_heads(new_weights: Any, nsp_weights: Any, nsp_size: Any) -> str:
    """Exercise 3: the new weights, those of next-sentence prediction, and its size."""
    right, size = pretraining_report()
    theirs = sorted(strings(new_weights, "new_weights"))
    if set(theirs) != set(right):
        missing = sorted(set(right) - set(theirs))
        extra = sorted(set(theirs) - set(right))
        detail = f"missing {missing[:3]}" if missing else f"not new: {extra[:3]}"
        raise Incorrect(f"new_weights is not the loading report's missing_keys ({detail}); "
                        "load with output_loading_info=True")
    nsp = set(strings(nsp_weights, "nsp_weights"))
    right_nsp = {key for key in right if "seq_relationship" in key}
    if nsp != right_nsp:
        raise Incorrect(f"nsp_weights is {sorted(nsp)}; the next-sentence head is "
                        "cls.seq_relationship (the cls.predictions weights are the "
                        "masked-language-modelling head)")
    count = whole_number(nsp_size, "nsp_size")
    if count == size - 2:
        raise Incorrect(f"nsp_size {count} counts the weight matrix only; add its bias")
    if count != size:
        raise Incorrect(f"nsp_size is {count}; count the numbers of cls.seq_relationship's "
                        "weight and bias (p.numel() for p in its parameters())")
    return (f"{len(right)} new weights; the next-sentence head is one linear layer from the "
            f"pooled [CLS] vector to 2 classes: {size} numbers")


exercise3 = Exercise(
    number=3,
    todo="replace each ____: the new weights' names, those of the next-sentence head, and its "
    "size; then run the cell",
    expects="two lists of weight names and a whole number",
    checker=check_both_heads,
    hint_text="BertForPreTraining.from_pretrained(model_path(), output_loading_info=True) "
    "returns (model, report); report['missing_keys'] lists the new weights. The next-sentence "
    "head is model.cls.seq_relationship.",
    solution_code="""
from transformers import BertForPreTraining

both, report = BertForPreTraining.from_pretrained(model_path(), output_loading_info=True)
new_weights = sorted(report["missing_keys"])
nsp_weights = [key for key in new_weights if key.startswith("cls.seq_relationship")]
nsp_size = sum(p.numel() for p in both.cls.seq_relationship.parameters())
exercise3.check(new_weights, nsp_weights, nsp_size)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 4 · what bigger pretraining costs --------------------------------------------------

BERT_TOKENS = {128: 900_000 * 256 * 128, 512: 100_000 * 256 * 512}  # sequence length -> tokens
ROBERTA_TOKENS = {512: 500_000 * 8000 * 512}


def pretraining_flops() -> dict[str, float]:
    """BERT-large's and RoBERTa-base's pretraining FLOPs, counted as notebook 08 counts them."""
    from transformers import BertConfig

    from bert_tutorial.scaling import training_flops

    large = BertConfig(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                       intermediate_size=4096)  # fmt: skip
    roberta = BertConfig(vocab_size=50265, max_position_embeddings=514, type_vocab_size=1)
    return {name: sum(training_flops(count, seq_len, config, num_frozen_layers=0)
                      for seq_len, count in schedule.items())
            for name, config, schedule in (("BERT-large", large, BERT_TOKENS),
                                           ("RoBERTa-base", roberta, ROBERTA_TOKENS))}  # fmt: skip


def per_model(value: Any, name: str) -> dict[str, float]:
    """Return {"BERT-large": x, "RoBERTa-base": y} as numbers, or raise Incorrect."""
    if not isinstance(value, Mapping) or set(value) != {"BERT-large", "RoBERTa-base"}:
        keys = list(value) if isinstance(value, Mapping) else type_name(value)
        raise Incorrect(f'{name} is {keys}; expected a dict with the keys "BERT-large" and '
                        '"RoBERTa-base"')
    return {key: a_number(v, f"{name}[{key!r}]") for key, v in value.items()}


def check_costs(flops: Any, speed: Any, years: Any) -> str:
    """Exercise 4: the two models' FLOPs with the papers' schedules; years at the given speed."""
    right = pretraining_flops()
    flops, years = per_model(flops, "flops"), per_model(years, "years")
    speed = a_number(speed, "speed")
    for name, value in flops.items():
        ratio = value / right[name]
        if abs(ratio - 1) <= 0.02:
            continue
        if name == "RoBERTa-base" and abs(ratio - 0.25) < 0.05:
            raise Incorrect("RoBERTa-base's FLOPs count its sequences at 128 tokens; all of "
                            "RoBERTa's 8,000-sequence batches were 512 tokens long")
        if name == "BERT-large" and 0.5 < ratio < 0.8:
            raise Incorrect("BERT-large's FLOPs miss part of its schedule: 900,000 steps at "
                            "128 tokens and 100,000 at 512, batches of 256, as section 4")
        raise Incorrect(f"flops[{name!r}] is {ratio:.2g} times what training_flops gives for "
                        "its config and schedule; use section 4's count")
    if speed < 1e8:
        raise Incorrect(f"speed is {speed:g}: give it in FLOP/s (matmul_gflops(...) * 1e9)")
    for name, value in years.items():
        ratio = value / (right[name] / speed / YEAR)
        if abs(ratio - 1) <= 0.02:
            continue
        if abs(ratio - 365) < 10 or abs(ratio - 365 * 24) < 200:
            raise Incorrect(f"years[{name!r}] is in days or hours; divide by a year's seconds, "
                            "365 x 24 x 3600")
        raise Incorrect(f"years[{name!r}] is {ratio:.2g} times flops / speed / a year's seconds")
    return (f"RoBERTa-base costs {right['RoBERTa-base'] / right['BERT-large']:.0f} times "
            "BERT-large's FLOPs with a third of the parameters: its tokens, not its size")


exercise4 = Exercise(
    number=4,
    todo="replace each ____: the two models' pretraining FLOPs and the "
    "years each would take; then run the cell",
    expects='two dicts keyed "BERT-large" and "RoBERTa-base", and a number (FLOP/s)',
    checker=check_costs,
    hint_text="Build each model's BertConfig (BERT-large: hidden 1024, 24 layers, 16 heads, "
    "intermediate 4096; RoBERTa-base: vocabulary 50,265, 514 positions, 1 segment type) and sum "
    "training_flops(tokens, seq_len, config, num_frozen_layers=0) over its schedule, as section "
    "4 does for BERT-base.",
    solution_code="""
configs = {
    "BERT-large": BertConfig(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                             intermediate_size=4096),
    "RoBERTa-base": BertConfig(vocab_size=50265, max_position_embeddings=514, type_vocab_size=1),
}
schedules = {"BERT-large": {128: 900_000 * 256 * 128, 512: 100_000 * 256 * 512},
             "RoBERTa-base": {512: 500_000 * 8000 * 512}}
flops = {name: sum(training_flops(count, seq_len, config, num_frozen_layers=0)
                   for seq_len, count in schedules[name].items())
         for name, config in configs.items()}
years = {name: value / this_machine / (365 * 24 * 3600) for name, value in flops.items()}
exercise4.check(flops, this_machine, years)
""",
    solutions_notebook=SOLUTIONS,
)


# Exercise 5 · the frozen body at other learning rates ---------------------------------------

LEARNING_RATES = (2e-4, 1e-2)  # 10 times smaller and 5 times larger than section 3's 2e-3
WHY_RATES = {
    "a": "neither rate gets the frozen body's head near the trainable body's scores",
    "c": "two rates at 25 steps each cannot show that no run would get further",
}


def check_rates(runs: Any, why: Any = None) -> str:
    """Exercise 5: two head-only runs (body frozen, 25 steps each), scored; the reading."""
    if not isinstance(runs, Mapping):
        raise Incorrect(f"runs is {type_name(runs)}; expected a dict: learning rate -> "
                        "(model, losses)")
    rates = sorted(runs, key=lambda r: r if isinstance(r, int | float) else math.inf)
    if len(rates) != 2 or not all(isinstance(r, float) and math.isclose(r, want)
                                  for r, want in zip(rates, LEARNING_RATES, strict=True)):
        raise Incorrect(f"runs has the learning rates {rates}; expected 2e-4 and 1e-2 (10 times "
                        "smaller and 5 times larger than section 3's 2e-3)")
    for rate in rates:
        pair = as_list(runs[rate], f"runs[{rate:g}]", "(model, losses)")
        if len(pair) != 2 or not hasattr(pair[0], "named_parameters"):
            raise Incorrect(f"runs[{rate:g}] is not (model, losses)")
        model, losses = pair
        trained = [n for n, p in model.named_parameters() if p.requires_grad]
        if any(n.startswith("bert.") for n in trained):
            raise Incorrect(f"the body of runs[{rate:g}]'s model trained; freeze it with "
                            "model.bert.requires_grad_(False), as section 3")
        if not trained:
            raise Incorrect(f"runs[{rate:g}]'s model has nothing left to train")
        steps = len(as_list(losses, f"runs[{rate:g}]'s losses", "one loss per step"))
        if steps != 25:
            raise Incorrect(f"runs[{rate:g}] took {steps} steps; train on 800 sentences in "
                            "batches of 32 (25 steps)")
    for rate in rates:  # scored last: the slowest part
        top5 = held_out_top5(runs[rate][0])
        if top5 >= 0.3:
            raise Incorrect(f"runs[{rate:g}]'s model names the hidden token among its first "
                            "five too often for a head on a frozen body: check what trained")
    choice(why, WHY_RATES, "b")
    return ("both heads trained 25 steps on the frozen body; neither gets past the commonest "
            "tokens, which two short runs show but do not explain")


def held_out_top5(model: Any) -> float:
    """Top-5 on the [MASK] positions of 192 held-out sentences, masked as in notebook 08."""
    from bert_tutorial.data import movie_review_splits
    from bert_tutorial.mlm import masked_batches, masked_token_scores

    tokenizer = bert_tokenizer()
    sentences = [r.text for r in movie_review_splits()["test"][:192]]
    batches = masked_batches(sentences, tokenizer, 64, mlm_probability=0.15, seed=1)
    return masked_token_scores(model, batches, only_input_id=tokenizer.mask_token_id)["top5"]


exercise5 = Exercise(
    number=5,
    todo="replace each ____: the two runs (learning rate -> (model, losses)) and the letter of "
    "your answer; then run the cell",
    expects='a dict {2e-4: (model, losses), 1e-2: (model, losses)} and a letter, "a", "b" or '
    '"c"',
    checker=check_rates,
    hint_text="Repeat section 3's head-only cell for each rate with "
    "masked_batches(train_sentences[:800], tokenizer, 32, 0.3) and keep (head_only, losses); "
    "count how many of its first guesses are among the 10 commonest training tokens.",
    solution_code="""
lr_batches = masked_batches(train_sentences[:800], tokenizer, 32, mlm_probability=0.3)
runs = {}  # new names: the chapter's head_only, losses and head_batches stay as they were
for lr in (2e-4, 1e-2):
    torch.manual_seed(0)
    lr_head = MaskedPositionsLM.from_pretrained(model_path()).to(device)
    lr_head.bert.requires_grad_(False)
    optimizer, scheduler = make_optimizer_and_scheduler(lr_head, lr=lr,
                                                        num_training_steps=len(lr_batches))
    lr_losses = train_one_epoch(lr_head, lr_batches, optimizer, scheduler, device,
                                progress=False)
    runs[lr] = (lr_head, lr_losses)
exercise5.check(runs, why="b")
""",
    solutions_notebook=SOLUTIONS,
)
