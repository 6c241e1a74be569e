"""Our `embed_sentences` against sentence-transformers' `encode()` on the same model."""

from __future__ import annotations

import time

import torch

from bert_tutorial.embed import embed_sentences
from bert_tutorial.models import model_path


def bench_embed(tokenizer, sentences: list[str], device) -> dict:
    """Sentences/s of both, and the smallest cosine similarity between their vectors."""
    from sentence_transformers import SentenceTransformer
    from transformers import BertModel

    model = BertModel.from_pretrained(model_path()).to(device).eval()
    st_model = SentenceTransformer(model_path(), device=str(device))
    embed_sentences(sentences[:64], tokenizer, model, progress=False)  # warm-up
    st_model.encode(sentences[:64], batch_size=64)
    start = time.perf_counter()
    ours = embed_sentences(sentences, tokenizer, model, batch_size=64, progress=False)
    ours_rate = len(sentences) / (time.perf_counter() - start)
    start = time.perf_counter()
    theirs = st_model.encode(sentences, batch_size=64, convert_to_tensor=True).cpu()
    st_rate = len(sentences) / (time.perf_counter() - start)
    cosine = torch.nn.functional.cosine_similarity(ours, theirs.float(), dim=-1)
    return {
        "sentences": len(sentences),
        "ours_sentences_per_s": ours_rate,
        "st_sentences_per_s": st_rate,
        "ratio": ours_rate / st_rate,
        "min_cosine": cosine.min().item(),
    }
