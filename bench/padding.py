"""Notebook 02's three padding strategies: sentences/s and tokens the model processes."""

from __future__ import annotations

import time

from bert_tutorial.embed import embed_sentences, padding_cost
from bert_tutorial.models import model_path

STRATEGIES = {
    "pad_to_128": {"padding": "max_length", "sort_by_length": False},
    "dynamic": {"padding": "longest", "sort_by_length": False},
    "dynamic_sorted": {"padding": "longest", "sort_by_length": True},
}


def bench_padding(tokenizer, sentences: list[str], device) -> dict:
    """Embed the same sentences with each strategy; the speed-up of the best over the worst."""
    from transformers import BertModel

    model = BertModel.from_pretrained(model_path()).to(device).eval()
    result: dict = {"sentences": len(sentences)}
    for name, options in STRATEGIES.items():
        start = time.perf_counter()
        embed_sentences(sentences, tokenizer, model, progress=False, **options)
        result[f"{name}_sentences_per_s"] = len(sentences) / (time.perf_counter() - start)
        result[f"{name}_tokens_processed"] = padding_cost(sentences, tokenizer, **options)[1]
    result["ratio_sorted_vs_max"] = (
        result["dynamic_sorted_sentences_per_s"] / result["pad_to_128_sentences_per_s"]
    )
    return result
