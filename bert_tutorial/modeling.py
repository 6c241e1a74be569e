"""Task heads on top of `BertModel`, written as `BertPreTrainedModel` subclasses.

Notebook 03 builds `BertSentenceClassifier` step by step and notebook 04 builds
`BertTokenTagger`; these are the same classes, kept here for the benchmarks and tests.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import BertModel, BertPreTrainedModel
from transformers.modeling_outputs import SequenceClassifierOutput, TokenClassifierOutput

from bert_tutorial.embed import mean_pool


class BertSentenceClassifier(BertPreTrainedModel):
    """BERT + dropout + one linear layer on the mean-pooled token vectors (or on `[CLS]`)."""

    def __init__(self, config, pooling: str | None = None):
        super().__init__(config)
        if pooling is not None:
            config.pooling = pooling  # stored in config.json by save_pretrained
        self.pooling = getattr(config, "pooling", "mean")
        if self.pooling not in ("mean", "cls"):
            raise ValueError(f"pooling must be 'mean' or 'cls', got {self.pooling!r}")
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()  # initialises the new classifier weights and ties everything up

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        outputs = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        hidden = outputs.last_hidden_state  # (batch, seq_len, hidden)
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            pooled = mean_pool(hidden, attention_mask)  # (batch, hidden)
        logits = self.classifier(self.dropout(pooled))  # (batch, num_labels)
        loss = None
        if labels is not None:
            check_labels(labels, self.config.num_labels)
            loss = nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


class BertTokenTagger(BertPreTrainedModel):
    """BERT + dropout + one linear layer on every token's vector (token classification)."""

    def __init__(self, config):
        super().__init__(config)
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None):
        outputs = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        logits = self.classifier(self.dropout(outputs.last_hidden_state))  # (batch, seq, labels)
        loss = None
        if labels is not None:
            check_labels(labels, self.config.num_labels, ignore_index=-100)
            loss = nn.functional.cross_entropy(
                logits.view(-1, self.config.num_labels), labels.view(-1), ignore_index=-100
            )
        return TokenClassifierOutput(loss=loss, logits=logits)


def check_labels(labels: torch.Tensor, num_labels: int, ignore_index: int | None = None) -> None:
    """Raise a clear error when a label id is outside [0, num_labels)."""
    valid = (labels >= 0) & (labels < num_labels)
    if ignore_index is not None:
        valid |= labels == ignore_index
    if not bool(valid.all()):
        bad = labels[~valid].unique().tolist()
        raise ValueError(
            f"label ids {bad} are outside 0..{num_labels - 1}; check label2id, or load the model "
            f"with num_labels matching your classes"
        )
