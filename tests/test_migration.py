"""The migration table of notebook 05 holds for the installed libraries."""

from bert_tutorial.migration import RENAMES, exists, problems


def test_every_new_name_exists_and_every_old_one_is_gone():
    assert problems() == []
    assert len(RENAMES) >= 8


def test_exists_reads_names_and_arguments():
    assert exists("transformers.TrainingArguments(learning_rate)")
    assert not exists("transformers.TrainingArguments(learning_rates)")
    assert exists("torch.optim.AdamW") and not exists("torch.optim.NoSuchOptimizer")
    assert not exists("no_such_module.Thing")


def test_the_silently_ignored_old_argument_really_changes_the_result(tokenizer):
    words = ["Hugging", "Face"]
    old = tokenizer(words, is_pretokenized=True)["input_ids"]
    new = tokenizer(words, is_split_into_words=True)["input_ids"]
    assert len(old) == 2 and isinstance(new[0], int)  # two sentences, not one of two words


def test_from_pretrained_rows_hold_by_behaviour_not_by_signature():
    import torch
    from transformers import BertModel

    from bert_tutorial.models import model_path

    assert not exists("transformers.PreTrainedModel.from_pretrained(no_such_keyword)")
    old = BertModel.from_pretrained(model_path(), torch_dtype=torch.bfloat16)
    new = BertModel.from_pretrained(model_path(), dtype=torch.bfloat16)
    assert old.dtype == new.dtype == torch.bfloat16  # the deprecated keyword still does its job
    assert not exists("transformers.PreTrainedModel.from_pretrained(use_auth_token)")
