"""The fine-tuning command's output folder: never overwritten, checkpoints in, run.json out.

A run writes `checkpoints/step-N/` (Accelerate's state plus `progress.json`: the settings and
where the run stood) and, at the end, the model, the tokenizer and `run.json`. A resumed run must
name a checkpoint of the same folder, trained with the same settings.
"""

from __future__ import annotations

import json
from pathlib import Path

RUN_FILE = "run.json"  # marks a folder as the command's output
PROGRESS_FILE = "progress.json"  # inside each checkpoint: where the run stood


def check_output_dir(output_dir: Path, resume_from: Path | None, settings: dict) -> None:
    """Refuse to write over anything: `output_dir` must be new, or the run being resumed."""
    if resume_from is not None:
        check_checkpoint(output_dir, resume_from, settings)
        return
    out = output_dir
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        what = "holds an earlier run" if (out / RUN_FILE).is_file() else "exists and is not empty"
        hint = (
            f"resume it with --resume-from {out}/checkpoints/step-N, or "
            if (out / "checkpoints").is_dir() else ""
        )
        raise SystemExit(f"finetune: --output-dir {out} {what}; {hint}choose a new --output-dir")


def check_checkpoint(output_dir: Path, checkpoint: Path, settings: dict) -> None:
    """Refuse a checkpoint of another folder, of another script, or of other settings."""
    if not (checkpoint / PROGRESS_FILE).is_file():
        raise SystemExit(
            f"finetune: --resume-from {checkpoint}: not a checkpoint of this script "
            f"(no {PROGRESS_FILE}); give a folder OUTPUT_DIR/checkpoints/step-N written by "
            f"an earlier run"
        )
    if checkpoint.resolve().parent.parent != output_dir.resolve():
        raise SystemExit(
            f"finetune: --resume-from {checkpoint} belongs to the run in "
            f"{checkpoint.parent.parent}, not to --output-dir {output_dir}; pass --output-dir "
            f"{checkpoint.parent.parent}"
        )
    saved = json.loads((checkpoint / PROGRESS_FILE).read_text())["settings"]
    differing = [
        f"{key}: checkpoint {saved.get(key)!r}, now {value!r}"
        for key, value in settings.items()
        if saved.get(key) != value
    ]
    if differing:
        raise SystemExit(
            f"finetune: --resume-from {checkpoint} was trained with other settings ("
            + "; ".join(differing)
            + "); resume with the checkpoint's settings, or start a new --output-dir"
        )
    if (output_dir / RUN_FILE).is_file():
        raise SystemExit(
            f"finetune: --resume-from {checkpoint}: the run in {output_dir} has finished (its "
            f"{RUN_FILE} and model are there) and stays as it is; to train more, start a new "
            f"--output-dir"
        )


def checkpoint_folder(output_dir: Path, step: int) -> Path:
    """Return where the checkpoint after optimizer step `step` goes."""
    return output_dir / "checkpoints" / f"step-{step:06d}"


def save_checkpoint(accelerator, output_dir: Path, settings: dict, state: dict) -> Path:
    """Save weights, optimizer, schedule and random state, and `state`, on every process."""
    folder = checkpoint_folder(output_dir, state["step"])
    accelerator.save_state(folder)
    if accelerator.is_main_process:
        progress = {"settings": settings, "state": state}
        (folder / PROGRESS_FILE).write_text(json.dumps(progress, indent=1))
    accelerator.wait_for_everyone()
    return folder


def load_checkpoint(accelerator, checkpoint: Path) -> dict:
    """Restore a checkpoint into the prepared objects; return the run's state at that step."""
    accelerator.load_state(checkpoint)  # weights, AdamW, schedule, random generators
    return json.loads((checkpoint / PROGRESS_FILE).read_text())["state"]


def write_run(output_dir: Path, model, tokenizer, summary: dict) -> None:
    """Save the model and tokenizer (`from_pretrained` loads the folder) and `run.json`."""
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    (output_dir / RUN_FILE).write_text(json.dumps(summary, indent=1))
