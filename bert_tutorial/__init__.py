"""Support package for the bert-tutorial notebooks. Importing it has no side effects.

- `setup`: `setup_notebook()` seeds, silences library noise and picks the device.
- `kernels`: the AVX2 pin of the CPU kernels under which outputs are stored and compared.
- `assets`: pinned PyPI downloads checked by sha256, cached for offline use.
- `models`: which pretrained BERT to load (the packaged MiniLM, a local folder or a hub name).
- `data`: the movie-review sentences and WNUT-16 tweets, with their fixed splits.
- `pairs`: notebook 09's sentence pairs: QNLI-style pairs from SQuAD, VitaminC claims.
- `noise`: a score's 95% interval and a paired difference's, by bootstrap (09).
- `qa`: extractive question answering: windows, answer positions, best spans, SQuAD EM/F1 (for
  notebook 10, not yet written).
- `checks`: the one check of a learner's text input (a non-empty list of strings).
- `align`: words <-> sub-tokens and word labels -> token labels (notebooks 01, 04).
- `batching`: dynamic padding (`pad_batch`) and batches sorted or grouped by length.
- `embed`: mean pooling and the batched `embed_sentences` (notebook 02).
- `baseline`: the frozen-feature logistic-regression baseline (notebook 02).
- `modeling`: `BertSentenceClassifier`, `BertTokenClassifier` and `freeze_layers` (03, 04).
- `recipes`: the hyperparameters of notebooks 03, 04, 08 and 09, as frozen dataclasses.
- `training`: `TokenizedDataset`, the training loop, `fine_tune`, `predict_logits` (03) and
  `trainer_arguments` (05).
- `ner`: encoding word-tagged sentences and decoding predictions back to words (04).
- `plots`: labelled heatmaps and curves.
- `family`: eight BERT-family architectures built from their configs on the meta device (05).
- `pipelines`: `task_pipeline`, `pipeline()` with a check that the model fits the task (04, 05).
- `migration`: names renamed since older tutorials, checked against the installed libraries (05).
- `finetune`: notebook 03's recipe as a command on Accelerate, for one or many processes (06).
- `launch`: the commands that start it on CPUs, GPUs, several machines and SLURM (06).
- `scaling`: a model of one data-parallel step's time, compute plus all-reduce (06).
- `precision`: the precision option, autocast around the forward pass only, and the measured
  bf16/fp32 matmul ratio (07).
- `inference`: int8 (torchao, where the CPU has int8 matrix instructions), ONNX export and ONNX
  Runtime paths, and how to time them (07).
"""

__version__ = "0.1.0"
