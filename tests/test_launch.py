"""Notebook 06's launch commands, parsed by the launchers' own argument parsers and the script's."""

import shlex

import pytest

from bert_tutorial.finetune import parse_args
from bert_tutorial.launch import COMMANDS, SLURM_SCRIPT, split_command


def parse_launcher(words):
    """Parse launcher words with torchrun's or Accelerate's own parser; return the namespace."""
    if words[0] == "torchrun":
        from torch.distributed.run import get_args_parser

        return get_args_parser().parse_args([*words[1:], "-m", "bert_tutorial.finetune"])
    if words[:2] == ["accelerate", "launch"]:
        from accelerate.commands.launch import launch_command_parser

        return launch_command_parser().parse_args([*words[2:], "-m", "bert_tutorial.finetune"])
    assert words == ["python"], words
    return None


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_parses_with_its_launcher_and_the_script(name):
    launcher, flags = split_command(COMMANDS[name])
    parsed = parse_launcher(launcher)
    if parsed is not None:
        assert parsed.module
    args = parse_args(flags)
    assert args.output_dir.parts[0] == "runs"


def test_the_launch_commands_ask_for_the_processes_they_promise():
    two = parse_launcher(split_command(COMMANDS["2 processes on one CPU"])[0])
    assert two.standalone and two.nproc_per_node == "2"
    gpus = parse_launcher(split_command(COMMANDS["8 GPUs in one machine"])[0])
    assert gpus.multi_gpu and gpus.num_processes == 8 and gpus.mixed_precision == "bf16"
    nodes = parse_launcher(split_command(COMMANDS["2 machines x 8 GPUs (run on both)"])[0])
    assert nodes.nnodes == "2" and nodes.nproc_per_node == "8" and nodes.rdzv_backend == "c10d"


def test_the_slurm_script_starts_torchrun_on_each_node_with_valid_flags():
    assert "#SBATCH --nodes=2" in SLURM_SCRIPT
    body = SLURM_SCRIPT.replace("\\\n", " ")
    line = next(line for line in body.splitlines() if line.startswith("srun torchrun"))
    example = {"$SLURM_NNODES": "2", "$SLURM_JOB_ID": "42", "$head_node": "node1"}
    for variable, value in example.items():
        line = line.replace(variable, value)
    words = shlex.split(line)[1:]  # after srun
    at = words.index("bert_tutorial.finetune")
    parsed = parse_launcher(words[: at - 1])
    assert parsed.nnodes == "2" and parsed.rdzv_endpoint == "node1:29500"
    assert parse_args(words[at + 1 :]).mixed_precision == "bf16"


def test_the_script_trains_at_the_precision_accelerate_launch_was_given(monkeypatch):
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser
    from accelerate.utils.launch import prepare_simple_launcher_cmd_env

    launcher = launch_command_parser().parse_args(
        ["--num_processes", "1", "--mixed_precision", "bf16", "-m", "bert_tutorial.finetune"])
    _validate_launch_command(launcher)
    _, env = prepare_simple_launcher_cmd_env(launcher)
    monkeypatch.setenv("ACCELERATE_MIXED_PRECISION", env["ACCELERATE_MIXED_PRECISION"])
    assert parse_args(["--output-dir", "run"]).mixed_precision == "bf16"
    explicit = parse_args(["--output-dir", "run", "--mixed-precision", "fp16"])
    assert explicit.mixed_precision == "fp16"
    monkeypatch.delenv("ACCELERATE_MIXED_PRECISION")
    assert parse_args(["--output-dir", "run"]).mixed_precision == "no"
