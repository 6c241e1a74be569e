"""`make bench`: the tutorial's numbers, measured beside the libraries users would pick instead.

    python -m bench                  # full run into bench/results.*; exit 1 on a missed target
    python -m bench --quick          # small sizes into build/bench-quick/ (part of `make test`)
    python -m bench --only trainer   # rerun some measurements, merged into the stored results
    python -m bench --check          # judge the stored results against the targets again

One module per measurement; `targets` holds the targets as data and `report` turns results and
targets into the Markdown table, the chart and the exit code. Every number quoted in a notebook
or the README comes from here.
"""
