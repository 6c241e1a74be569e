"""Command line of `make bench` (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.baseline import bench_baseline
from bench.common import ROOT, load_tokenizer, machine_info, review_datasets
from bench.embed import bench_embed
from bench.finetune import bench_finetune
from bench.flops import bench_flops
from bench.inference import bench_inference
from bench.mlm import bench_mlm
from bench.ner import bench_ner
from bench.own_data import bench_own_data
from bench.padding import bench_padding
from bench.pairs import bench_pairs, bench_vitaminc
from bench.pipeline import bench_pipeline
from bench.precision import bench_precision
from bench.qa import bench_qa
from bench.report import verdict, write_reports
from bench.seeds import bench_seeds
from bench.trainer import bench_trainer
from bert_tutorial import assets
from bert_tutorial.data import movie_review_splits
from bert_tutorial.models import model_path
from bert_tutorial.setup import setup_notebook

SECTION_ASSETS = {"qa": "bigbench", "pairs": "bigbench", "vitaminc": "bigbench"}  # chapter data


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="the tutorial's benchmarks"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the code runs")
    parser.add_argument("--out", type=Path, help="folder (default: bench/, or build/bench-quick/)")
    parser.add_argument("--only", help="comma-separated measurements to rerun, merged into results")
    parser.add_argument(
        "--check", action="store_true", help="render and judge the stored results, run nothing"
    )
    args = parser.parse_args()
    out = args.out or (ROOT / "build" / "bench-quick" if args.quick else ROOT / "bench")
    readme = ROOT / "README.md" if out == ROOT / "bench" else None  # the README shows bench/
    if args.check:  # the report is derived from results.json: render it again, then judge
        results = json.loads((out / "results.json").read_text())
        write_reports(results, out, readme)
        print((out / "results.md").read_text())
        return verdict(results)

    from transformers import BertConfig

    device = setup_notebook(seed=0)
    tokenizer = load_tokenizer()
    datasets = review_datasets(tokenizer, 64 if args.quick else None)
    splits = movie_review_splits()
    sample = [r.text for r in splits["test"][: 32 if args.quick else 512]]
    test_sentences = [r.text for r in splits["test"][: 64 if args.quick else None]]
    embed_sample = [r.text for r in splits["train"][: 64 if args.quick else 2000]]
    results: dict = {"quick": args.quick, "machine": machine_info()}
    only = set(args.only.split(",")) if args.only else None
    if only and (out / "results.json").is_file():
        results = {**json.loads((out / "results.json").read_text()), "machine": machine_info()}
    steps = {
        "finetune": lambda: bench_finetune(tokenizer, datasets, device),
        "seeds": lambda: bench_seeds(tokenizer, device, quick=args.quick),
        "trainer": lambda: bench_trainer(tokenizer, datasets, device, results["finetune"],
                                         ROOT / "build" / "trainer-tmp"),
        "embed": lambda: bench_embed(tokenizer, embed_sample, device),
        "padding": lambda: bench_padding(tokenizer, sample, device),
        "flops": lambda: bench_flops(tokenizer, datasets, device,
                                     BertConfig.from_pretrained(model_path())),
        "baseline": lambda: bench_baseline(tokenizer, device, quick=args.quick),
        "ner": lambda: bench_ner(tokenizer, device, quick=args.quick),
        "pipeline": lambda: bench_pipeline(tokenizer, test_sentences, device),
        "precision": lambda: bench_precision(tokenizer, datasets, device),
        "inference": lambda: bench_inference(tokenizer, datasets, device,
                                             ROOT / "build" / "inference-tmp", quick=args.quick),
        "mlm": lambda: bench_mlm(tokenizer, datasets, device, ROOT / "build" / "mlm-tmp",
                                 quick=args.quick),
        "qa": lambda: bench_qa(tokenizer, device, ROOT / "build" / "qa-tmp", quick=args.quick),
        "pairs": lambda: bench_pairs(tokenizer, device, quick=args.quick),
        "vitaminc": lambda: bench_vitaminc(tokenizer, device, quick=args.quick),
        "own_data": lambda: bench_own_data(ROOT / "build" / "own-data-tmp", quick=args.quick),
    }  # fmt: skip
    for name, step in steps.items():
        if only and name not in only:
            continue
        results.setdefault("skipped", {}).pop(name, None)
        asset = SECTION_ASSETS.get(name)
        if asset and not assets.is_cached(asset):  # a quick run goes on; a full run fails
            results["skipped"][name] = (f"the {asset} asset is not in the cache "
                                        f"(`python -m bert_tutorial.assets {asset}` says why)")
            print(f"{name:<9} SKIPPED: {results['skipped'][name]}", flush=True)
            continue
        start = time.perf_counter()
        results[name] = step()
        print(f"{name:<9} {time.perf_counter() - start:6.1f} s  {json.dumps(results[name])[:150]}",
              flush=True)  # fmt: skip
    if not results["skipped"]:
        del results["skipped"]
    write_reports(results, out, readme)
    print((out / "results.md").read_text())
    return verdict(results)


if __name__ == "__main__":
    raise SystemExit(main())
