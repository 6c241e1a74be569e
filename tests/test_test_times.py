"""scripts/test_times.py: a junit report's times, summed per notebook and per test module."""

from scripts.test_times import table, times_per_file

REPORT = """<testsuites><testsuite>
<testcase classname="notebooks.solutions.03_x_solutions.ipynb" name="Cell 0" time="1.5"/>
<testcase classname="notebooks.solutions.03_x_solutions.ipynb" name="Cell 1" time="60"/>
<testcase classname="notebooks.01_tokenizer.ipynb" name="Cell 0" time="2"/>
<testcase classname="tests.test_finetune" name="test_a" time="30"/>
<testcase classname="tests.test_finetune.TestGroup" name="test_b" time="12.5"/>
</testsuite></testsuites>"""


def test_times_are_summed_per_notebook_and_per_test_module(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(REPORT)
    seconds = times_per_file(report)
    assert seconds == {"notebooks/solutions/03_x_solutions.ipynb": 61.5,
                       "notebooks/01_tokenizer.ipynb": 2.0, "tests/test_finetune.py": 42.5}
    rows = table(seconds).splitlines()
    assert rows[2] == "| notebooks/solutions/03_x_solutions.ipynb | 1.0 min |"
    assert rows[3] == "| tests/test_finetune.py | 42 s |" and rows[-1] == "| all | 1.8 min |"
