# bert-tutorial: every target bootstraps .venv on first use (pinned by requirements.lock).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb)) $(sort $(wildcard notebooks/solutions/[0-9]*.ipynb))
# `make test` runs the suite with the network cut off (the offline proof); `make test OFFLINE=`
# runs it with the network on where network namespaces are not allowed.
OFFLINE ?= scripts/offline
CHROMIUM := /usr/bin/chromium
# Stored outputs are made (`make outputs`) and compared (`make test`) with PyTorch, oneDNN and MKL
# pinned to AVX2, so that they reproduce on AVX2, AVX-512 and AMX CPUs alike
# (bert_tutorial/kernels.py); `make test KERNELS=native` lets each use the CPU's widest.
KERNELS ?= avx2
export BERT_TUTORIAL_KERNELS := $(KERNELS)
# torch is pinned once, in requirements.in (and so in requirements.lock); everything else reads it.
TORCH_PIN := $(shell grep '^torch==' requirements.lock)
# On Linux, set-up takes torch's CPU build from PyTorch's own index; `make venv TORCH_INDEX=`
# takes PyPI's torch instead (the CUDA build on Linux, several GB more).
TORCH_INDEX ?= $(if $(filter Linux,$(shell uname -s)),https://download.pytorch.org/whl/cpu)
# JupyterLab refuses to start as root (classroom containers often are) unless told it may.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := help
.PHONY: help venv assets bundle student book browser run lab test test-unit test-notebooks test-latest test-colab bench bench-quick lint colab outputs lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# Set-up from an offline bundle (`make bundle`): `make venv BUNDLE=path/to/bundle-or-tar`. Inside
# a bundle's own copy of the repository it is the default, so `make lab` needs no network there.
BUNDLE ?= $(if $(wildcard ../bundle.json),..)

$(STAMP): requirements.lock pyproject.toml
ifneq ($(BUNDLE),)
	$(PYTHON) scripts/bundle.py install $(BUNDLE) --venv $(VENV)
else
	$(PYTHON) -m venv $(VENV)
# torch first, from PyTorch's CPU index on Linux (PyPI's Linux torch is the multi-GB CUDA build);
# the lock's torch pin is then already met.
	$(if $(TORCH_INDEX),$(PY) -m pip install --quiet --disable-pip-version-check --no-compile \
	  --no-deps --index-url $(TORCH_INDEX) $(TORCH_PIN))
# Byte-code is compiled on first import instead of for every file at install (faster set-up).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
endif
	touch $@

venv: $(STAMP) ## Create .venv with the pinned packages and the bert_tutorial package

# An asset that cannot be fetched is named (FAILED, with why) and the targets go on: it stops the
# chapters that read it, and `make test` skips those with the reason (conftest.py).
assets: $(STAMP) ## Fetch and verify the pinned model and datasets (cached)
	$(PY) -m bert_tutorial.assets || echo "make assets: going on without the assets marked FAILED above"

bundle: assets ## Write build/bundle/: wheels, assets and this commit for a classroom with no network
	$(PY) scripts/bundle.py build --out build/bundle $(if $(TORCH_INDEX),--torch-index $(TORCH_INDEX))

student: $(STAMP) ## Write build/student/: the chapter notebooks with outputs cleared, no solutions
	$(PY) scripts/student_copies.py --out build/student

book: $(STAMP) ## Build build/book/: every notebook's stored outputs as a website that reads offline
	$(PY) scripts/book.py --out build/book

browser: ## Install Debian's Chromium for the browser test (needs root or sudo; once per machine)
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }
	@$(CHROMIUM) --version

run: assets ## Execute every notebook headless; rendered copies and plots go to build/
	$(PY) scripts/run_notebooks.py --out build $(NOTEBOOKS)

lab: assets ## Open the notebooks in JupyterLab
	$(VENV)/bin/jupyter lab $(LAB_ROOT) notebooks

# The bundle is built first, with the network on; its test then sets up from it without one.
# The per-file times go to build/test-times.xml; scripts/test_times.py sums them.
test: lint assets bundle ## Run everything offline: lint, unit tests, nbval, browser tests, quick benchmark
	$(OFFLINE) $(PY) -m pytest --junitxml=build/test-times.xml
	$(PY) scripts/test_times.py build/test-times.xml
	$(PY) -m bench --quick

test-unit: assets ## Run the package's unit tests only
	$(PY) -m pytest tests

test-notebooks: assets ## Re-execute every notebook and compare with its stored outputs (nbval)
	$(PY) -m pytest notebooks

# The canary takes PyPI's newest torch, as Colab ships a recent one (on Linux the CUDA build,
# several GB, which runs on a CPU too); `make test-latest LATEST_TORCH=$(TORCH_PIN)` keeps ours.
LATEST_TORCH ?= torch
test-latest: assets ## Colab-like run: newest torch and transformers, package from a wheel, no output comparison
	rm -rf build/latest-venv && $(PYTHON) -m venv build/latest-venv
	build/latest-venv/bin/pip install --quiet --disable-pip-version-check --upgrade \
	  $(LATEST_TORCH) transformers ".[fast]" nbclient nbconvert ipykernel
	build/latest-venv/bin/python scripts/run_notebooks.py --out build/latest --warnings \
	  $(NOTEBOOKS)

# COLAB_NOTEBOOKS= a few notebooks and COLAB_UNIT= a pytest -k selection of the unit tests
# (.ci/run runs a part); COLAB_PYTHON= a Python 3.13 to use.
COLAB_NOTEBOOKS ?=
COLAB_UNIT ?=
COLAB_PYTHON ?=
test-colab: $(STAMP) ## Colab's Python and pinned versions (colab-runtime.txt), package from a git tag; nbval
	$(PY) scripts/test_colab.py $(if $(COLAB_PYTHON),--python $(COLAB_PYTHON)) \
	  $(if $(COLAB_NOTEBOOKS),--notebooks $(COLAB_NOTEBOOKS)) \
	  $(if $(COLAB_UNIT),--unit-filter "$(COLAB_UNIT)")

bench: assets ## Measure everything; writes bench/results.{json,md,png}; fails on a missed target
	$(PY) -m bench

bench-quick: assets ## Run the benchmark code on small sizes (checks it works; part of make test)
	$(PY) -m bench --quick

lint: $(STAMP) ## Check style with ruff and the Colab cells against pyproject.toml
	$(VENV)/bin/ruff check bert_tutorial tests scripts notebooks bench
	$(PY) scripts/colab_cells.py --check

colab: $(STAMP) ## Regenerate every notebook's Colab badge and install cell from pyproject.toml
	$(PY) scripts/colab_cells.py

outputs: assets ## Re-execute the notebooks in place to store their outputs (then review the diff)
	$(PY) scripts/run_notebooks.py --inplace $(NOTEBOOKS)

# Existing pins stay where they still fit, so adding a requirement changes no other version;
# `make lock UPGRADE=1` re-resolves everything to the newest releases.
lock: ## Resolve requirements.in into requirements.lock in a scratch venv (keeps existing pins)
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	$(if $(TORCH_INDEX),build/lock-venv/bin/pip install --quiet --disable-pip-version-check \
	  --no-deps --index-url $(TORCH_INDEX) $(TORCH_PIN))
	build/lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.in \
	  $(if $(UPGRADE),,-c requirements.lock)
	{ echo "# Generated by \`make lock\` from requirements.in (Python 3.11, Linux x86_64). Do not edit by hand."; \
	  build/lock-venv/bin/pip freeze --all --exclude pip | sed 's/^torch==\(.*\)+cpu$$/torch==\1/'; } > requirements.lock
	rm -rf build/lock-venv

clean: ## Remove .venv, build/ and the notebooks' saved models (the asset cache is kept)
	rm -rf $(VENV) build notebooks/outputs notebooks/solutions/outputs
