"""Task heads on top of `BertModel`, written as `BertPreTrainedModel` subclasses, and freezing.

Notebook 03 writes `BertSentenceClassifier` and `freeze_layers` out by hand, notebook 04
`BertTokenClassifier` and notebook 10 `BertSpanExtractor`; these are the same, kept here for
the later notebooks, the benchmarks and the tests (which check that the notebooks' versions
agree with them).
"""

from __future__ import annotations

from torch import nn
from transformers import BertForMaskedLM, BertModel, BertPreTrainedModel, PreTrainedModel
from transformers.modeling_outputs import (
    MaskedLMOutput,
    QuestionAnsweringModelOutput,
    SequenceClassifierOutput,
    TokenClassifierOutput,
)

from bert_tutorial.embed import POOLINGS, pool


class BertSentenceClassifier(BertPreTrainedModel):
    """BERT + dropout + one linear layer on the mean-pooled token vectors (or on `[CLS]`)."""

    def __init__(self, config, pooling: str | None = None):
        super().__init__(config)
        if pooling is not None:
            config.pooling = pooling  # stored in config.json by save_pretrained
        self.pooling = getattr(config, "pooling", "mean")
        assert self.pooling in POOLINGS, f"pooling must be one of {POOLINGS}, got {self.pooling!r}"
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()  # initialises the new classifier weights and ties everything up

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        outputs = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        pooled = pool(outputs, attention_mask, self.pooling)  # (batch, hidden)
        logits = self.classifier(self.dropout(pooled))  # (batch, num_labels)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


class BertTokenClassifier(BertPreTrainedModel):
    """BERT + dropout + one linear layer on every token's vector (token classification)."""

    def __init__(self, config):
        super().__init__(config)
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        outputs = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        logits = self.classifier(self.dropout(outputs.last_hidden_state))  # (batch, seq, labels)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(
                logits.flatten(0, 1), labels.flatten(), ignore_index=-100
            )
        return TokenClassifierOutput(loss=loss, logits=logits)


class BertSpanExtractor(BertPreTrainedModel):
    """BERT + one linear layer giving every token a start and an end logit (extractive QA).

    The weights are named as in `BertForQuestionAnswering` (`bert`, `qa_outputs`), so a saved
    folder loads as `AutoModelForQuestionAnswering` (transformers 5 has no question-answering
    pipeline; `qa.answer` does its work).
    """

    def __init__(self, config):
        super().__init__(config)
        self.bert = BertModel(config, add_pooling_layer=False)
        self.qa_outputs = nn.Linear(config.hidden_size, 2)  # a start and an end score per token
        self.post_init()

    def forward(self, input_ids, attention_mask, token_type_ids=None, start_positions=None,
                end_positions=None):
        outputs = self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        )
        start_logits, end_logits = self.qa_outputs(outputs.last_hidden_state).unbind(-1)
        loss = None
        if start_positions is not None:
            # each position is a class among the window's tokens; the two losses are averaged
            loss = (nn.functional.cross_entropy(start_logits, start_positions)
                    + nn.functional.cross_entropy(end_logits, end_positions)) / 2
        return QuestionAnsweringModelOutput(loss=loss, start_logits=start_logits,
                                            end_logits=end_logits)


class MaskedPositionsLM(BertForMaskedLM):
    """`BertForMaskedLM` that, given labels, runs its head on the masked positions only.

    The head's decoder multiplies every vector by the whole vocabulary (30,522 words for a BERT
    vocabulary): for this model that costs more than all six layers below it. Only the masked
    15% of the positions have a label, so only their logits are computed; without
    labels (as in `pipeline("fill-mask")`) it is `BertForMaskedLM` unchanged, and its saved folder
    loads as one.
    """

    def forward(self, input_ids=None, attention_mask=None, labels=None, **kwargs):
        if labels is None:
            return super().forward(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           **kwargs).last_hidden_state
        masked = labels != -100
        logits = self.cls(hidden[masked])  # (masked positions, vocabulary)
        loss = nn.functional.cross_entropy(logits, labels[masked])
        return MaskedLMOutput(loss=loss, logits=logits)


def freeze_layers(model: PreTrainedModel, num_layers: int, *, embeddings: bool = True):
    """Freeze the embeddings (unless `embeddings=False`) and the lowest `num_layers` layers.

    Every other parameter of the BERT body is made trainable again; the head is left as it is.
    Returns the model. Taught in notebook 03.
    """
    body = model.base_model  # the BertModel inside any BERT task model
    body.embeddings.requires_grad_(not embeddings)
    for index, layer in enumerate(body.encoder.layer):
        layer.requires_grad_(index >= num_layers)
    return model
