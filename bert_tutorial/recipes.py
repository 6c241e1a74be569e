"""The training recipes of notebooks 03, 04, 08, 09 and 10, kept once as data.

The notebooks, their solutions, the benchmarks and the tests all import these, so a number
changed here changes everywhere at once. A variation is `dataclasses.replace(recipe, lr=...)`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipe:
    """Hyperparameters of one fine-tuning run (the embeddings are always frozen)."""

    lr: float
    batch_size: int
    num_epochs: int
    num_frozen_layers: int  # encoder layers frozen above the embeddings, counted from the bottom
    warmup_ratio: float = 0.1  # fraction of the steps during which the learning rate rises from 0
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0
    max_length: int = 128
    seed: int = 0

    def num_training_steps(self, num_examples: int) -> int:
        """Return the optimizer steps of the whole run: epochs x ceil(examples / batch size)."""
        return self.num_epochs * -(-num_examples // self.batch_size)


# Notebook 03: sentence sentiment, one epoch on 8,454 sentences.
SENTIMENT_RECIPE = Recipe(lr=1e-4, batch_size=32, num_epochs=1, num_frozen_layers=2)

# Notebook 04: WNUT-16 named entities, four epochs on 1,676 tweets.
NER_RECIPE = Recipe(lr=2e-4, batch_size=16, num_epochs=4, num_frozen_layers=0)


@dataclass(frozen=True)
class MaskedLMRecipe(Recipe):
    """A `Recipe` for masked language modelling: also the share of positions masked."""

    mlm_probability: float = 0.15


# Notebook 08: learning the MLM head, one pass over notebook 03's 8,454 training sentences.
# 30% of the positions are masked in training (BERT masked 15%): twice the predictions per step
# for about the same compute; held-out scores still mask 15%.
MLM_RECIPE = MaskedLMRecipe(
    lr=5e-4, batch_size=32, num_epochs=1, num_frozen_layers=0, warmup_ratio=0.06,
    mlm_probability=0.3,
)

# Notebook 09: a cross-encoder on sentence pairs, trained on a budget that fits a notebook on a
# laptop CPU: one pass over PAIR_TRAIN_EXAMPLES training pairs (`make bench` trains longer).
PAIR_TRAIN_EXAMPLES = 3_200
QNLI_RECIPE = Recipe(lr=1e-4, batch_size=32, num_epochs=1, num_frozen_layers=2)

# Notebook 10: extractive question answering on SQuAD's training articles, on a budget that fits
# a notebook on a laptop CPU: the first QA_TRAIN_WINDOWS (shuffled) of the 128-token windows that
# hold their answer; neighbouring windows share QA_STRIDE tokens (`make bench` trains longer).
QA_TRAIN_WINDOWS = 2_400
QA_STRIDE = 64
QA_RECIPE = Recipe(lr=5e-4, batch_size=16, num_epochs=1, num_frozen_layers=2)
