"""Sum a pytest junit report's times per file: each notebook (nbval) and each test module.

`make test` writes build/test-times.xml; docs/instructors.md quotes this table.

python scripts/test_times.py build/test-times.xml
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path


def times_per_file(report: Path) -> Counter:
    """Return {file: seconds} from a junit report (nbval names a notebook's cells by its path)."""
    seconds = Counter()
    for case in ET.parse(report).getroot().iter("testcase"):
        classname = case.get("classname", "")
        notebook = classname.find(".ipynb")
        if notebook >= 0:  # "notebooks.solutions.03_x.ipynb" -> notebooks/solutions/03_x.ipynb
            name = classname[:notebook].replace(".", "/") + ".ipynb"
        else:  # "tests.test_finetune" or "tests.test_finetune.TestClass" -> tests/test_finetune.py
            name = "/".join(classname.split(".")[:2]) + ".py"
        seconds[name] += float(case.get("time", 0))
    return seconds


def table(seconds: Counter) -> str:
    """Return a markdown table of the files' times, slowest first, with the total."""
    rows = ["| file | time |", "|---|---|"]
    rows += [f"| {name} | {value / 60:.1f} min |" if value >= 60 else f"| {name} | {value:.0f} s |"
             for name, value in seconds.most_common()]
    rows.append(f"| all | {sum(seconds.values()) / 60:.1f} min |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    print(table(times_per_file(parser.parse_args().report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
