"""Support package for the bert-tutorial notebooks.

Modules: `setup` (quiet, seeded notebook setup), `assets` (pinned PyPI downloads with hashes),
`models` (choosing the pretrained BERT), `align` (words <-> sub-tokens, label alignment),
`data` (movie reviews, WNUT-16). Importing the package has no side effects.
"""

__version__ = "0.1.0"
