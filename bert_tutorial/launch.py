"""Commands that start `bert_tutorial.finetune`, from one CPU to several machines (notebook 06).

Tests parse each command with the real launcher's own argument parser (torchrun's, Accelerate's)
and the script's, so a renamed flag shows up as a failing test rather than in a learner's shell.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

SCRIPT = "-m bert_tutorial.finetune"

# What a learner types, by where the training runs. Commands for several machines run on each.
COMMANDS = {
    "one process (CPU, or one GPU)": f"python {SCRIPT} --output-dir runs/one",
    "2 processes on one CPU": (
        f"torchrun --standalone --nproc_per_node 2 {SCRIPT} --output-dir runs/cpu-2"
    ),
    "8 GPUs in one machine": (
        f"accelerate launch --multi_gpu --num_processes 8 --mixed_precision bf16 {SCRIPT} "
        f"--output-dir runs/gpu-8 --mixed-precision bf16"
    ),
    "2 machines x 8 GPUs (run on both)": (
        f"torchrun --nnodes 2 --nproc_per_node 8 --rdzv_id bert-run --rdzv_backend c10d "
        f"--rdzv_endpoint head-node:29500 {SCRIPT} --output-dir runs/nodes-2 --mixed-precision bf16"
    ),
}

# The same on a SLURM cluster: `sbatch finetune.sbatch`; srun starts one torchrun per machine.
SLURM_SCRIPT = f"""#!/bin/bash
#SBATCH --job-name=bert-finetune
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=8
#SBATCH --cpus-per-task=32
head_node=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)
srun torchrun --nnodes "$SLURM_NNODES" --nproc_per_node 8 --rdzv_id "$SLURM_JOB_ID" \\
    --rdzv_backend c10d --rdzv_endpoint "$head_node:29500" \\
    {SCRIPT} --output-dir "runs/slurm-$SLURM_JOB_ID" --mixed-precision bf16
"""


def split_command(command: str) -> tuple[list[str], list[str]]:
    """Return a command's launcher words (up to `-m bert_tutorial.finetune`) and script flags."""
    words = shlex.split(command)
    at = words.index("bert_tutorial.finetune")
    return words[: at - 1], words[at + 1 :]


def run_finetune(command: str, cwd: str | Path = ".") -> dict:
    """Run a `bert_tutorial.finetune` command line and return its `run.json` (or `{}` if stopped).

    `python`, `torchrun` and `accelerate` are taken from this interpreter's environment. On
    failure, the error is raised with the last lines the command printed.
    """
    launcher, flags = split_command(command)
    program = launcher[0]
    if program == "python":
        launcher[0] = sys.executable
    else:
        launcher = [sys.executable, "-m", {"torchrun": "torch.distributed.run",
                                           "accelerate": "accelerate.commands.launch"}[program],
                    *launcher[2 if program == "accelerate" else 1 :]]
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run([*launcher, *SCRIPT.split(), *flags], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        # The script's own messages start with "finetune:"; every process prints them once.
        lines = (done.stdout + done.stderr).strip().splitlines()
        ours = list(dict.fromkeys(line for line in lines if line.startswith("finetune: ")))
        raise RuntimeError(f"{command!r} failed (exit code {done.returncode}):\n"
                           + "\n".join(ours or lines[-15:]))
    run_file = Path(cwd) / flags[flags.index("--output-dir") + 1] / "run.json"
    return json.loads(run_file.read_text()) if run_file.is_file() else {}
