"""The BERT family of notebook 05: eight architectures built from their configs, no download.

Each member's config is the published one, written out here (`AutoConfig.for_model` picks the
config class from `model_type`, as `from_pretrained` does from a checkpoint's config.json), so
the models can be built on PyTorch's `meta` device: shapes and parameter counts without
weights, memory or network. The papers are cited in one place, as the assets' credits are.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import torch


@dataclass(frozen=True)
class Member:
    """One architecture of the family: its published config and what it changed."""

    name: str
    hub_id: str  # the checkpoint a learner would load online
    model_type: str  # what `AutoConfig`/`AutoModel` dispatch on
    position: str  # how the model knows the order of tokens
    change: str  # one sentence on what it changed over what came before
    citation: str
    published_millions: float  # parameter count as the authors state it
    config: dict = field(default_factory=dict)  # changes to the config class's defaults


FAMILY: dict[str, Member] = {
    member.name: member
    for member in (
        Member(
            "BERT-base", "bert-base-uncased", "bert", "learned absolute",
            "Masked-language-model and next-sentence pretraining of a Transformer encoder.",
            "Devlin et al. 2019, BERT: Pre-training of Deep Bidirectional Transformers for "
            "Language Understanding, NAACL", 110,
        ),
        Member(
            "BERT-large", "bert-large-uncased", "bert", "learned absolute",
            "The same recipe, twice as deep and a third wider.",
            "Devlin et al. 2019 (as BERT-base)", 340,
            {"hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16,
             "intermediate_size": 4096},
        ),
        Member(
            "DistilBERT", "distilbert-base-uncased", "distilbert", "learned absolute",
            "Half of BERT-base's layers, trained to imitate BERT-base (knowledge distillation).",
            "Sanh et al. 2019, DistilBERT, a distilled version of BERT: smaller, faster, cheaper "
            "and lighter, NeurIPS EMC2 workshop", 66,
        ),
        Member(
            "RoBERTa-base", "roberta-base", "roberta", "learned absolute",
            "BERT-base trained longer on 10x the text, without next-sentence prediction, with "
            "a byte-level BPE vocabulary.",
            "Liu et al. 2019, RoBERTa: A Robustly Optimized BERT Pretraining Approach, arXiv "
            "1907.11692", 125,
            {"vocab_size": 50265, "max_position_embeddings": 514, "type_vocab_size": 1,
             "pad_token_id": 1},
        ),
        Member(
            "ALBERT-base", "albert-base-v2", "albert", "learned absolute",
            "One set of layer weights shared by all 12 layers and small factorised embeddings.",
            "Lan et al. 2020, ALBERT: A Lite BERT for Self-supervised Learning of Language "
            "Representations, ICLR", 12,
            {"hidden_size": 768, "num_attention_heads": 12, "intermediate_size": 3072},
        ),
        Member(
            "ELECTRA-base", "google/electra-base-discriminator", "electra", "learned absolute",
            "Pretrained to spot tokens replaced by a small generator, instead of masking: "
            "more learning per token.",
            "Clark et al. 2020, ELECTRA: Pre-training Text Encoders as Discriminators Rather "
            "Than Generators, ICLR", 110,
            {"hidden_size": 768, "num_attention_heads": 12, "intermediate_size": 3072,
             "embedding_size": 768},
        ),
        Member(
            "DeBERTa-v3-base", "microsoft/deberta-v3-base", "deberta-v2", "relative, disentangled",
            "Attention on content and relative position separately, ELECTRA-style pretraining, "
            "a 128k vocabulary.",
            "He et al. 2023, DeBERTaV3: Improving DeBERTa using ELECTRA-Style Pre-Training with "
            "Gradient-Disentangled Embedding Sharing, ICLR", 184,
            {"vocab_size": 128100, "hidden_size": 768, "num_hidden_layers": 12,
             "num_attention_heads": 12, "intermediate_size": 3072, "relative_attention": True,
             "pos_att_type": ["p2c", "c2p"], "position_biased_input": False,
             "position_buckets": 256, "norm_rel_ebd": "layer_norm", "share_att_key": True,
             "max_relative_positions": -1, "type_vocab_size": 0},
        ),
        Member(
            "ModernBERT-base", "answerdotai/ModernBERT-base", "modernbert", "rotary (RoPE)",
            "Rotary positions, alternating local and global attention, 8,192-token inputs, "
            "trained on 2 trillion tokens including code.",
            "Warner et al. 2024, Smarter, Better, Faster, Longer: A Modern Bidirectional "
            "Encoder for Fast, Memory Efficient, and Long Context Finetuning and Inference, "
            "arXiv 2412.13663", 149,
        ),
    )
}  # fmt: skip


def family_member(name: str) -> Member:
    """Return the family member called `name` (see `FAMILY` for the names)."""
    if name not in FAMILY:
        raise KeyError(f"no family member {name!r}; choose one of: {', '.join(FAMILY)}")
    return FAMILY[name]


def build_on_meta(name: str) -> torch.nn.Module:
    """Build the member's bare model from its config on the meta device (no weights, no memory)."""
    from transformers import AutoConfig, AutoModel

    member = family_member(name)
    config = AutoConfig.for_model(member.model_type, **member.config)
    with torch.device("meta"):
        return AutoModel.from_config(config)


def describe(name: str) -> dict:
    """Return one row of the family table: the shapes, parameters and inputs of a member."""
    member = family_member(name)
    model = build_on_meta(name)
    config = model.config
    takes_segments = "token_type_ids" in inspect.signature(model.forward).parameters
    segments = getattr(config, "type_vocab_size", 0) or 0
    return {
        "name": member.name,
        "class": type(model).__name__,
        "layers": config.num_hidden_layers,
        "hidden": config.hidden_size,
        "heads": config.num_attention_heads,
        "parameters_millions": sum(p.numel() for p in model.parameters()) / 1e6,
        "vocabulary": config.vocab_size,
        "position": member.position,
        "token_type_ids": "used" if takes_segments and segments > 1
        else "accepted, not used" if takes_segments else "not accepted",
    }


def citations() -> str:
    """Return every member's paper, one line each."""
    return "\n".join(f"{member.name}: {member.citation}" for member in FAMILY.values())
