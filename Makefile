# The two commands the README gives. Both first make .venv and install majlis into it; the
# install is redone only when pyproject.toml changes (the stamp file carries its hash).

VENV := .venv
BIN := $(VENV)/bin
# setup.py compiles modules of extract/ (extract/compiled.py lists them) against the types of the
# others: all of extract/'s sources are in the stamp too.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml setup.py extract/*.py extract/*/*.py | sha256sum | cut -c1-16)

.PHONY: demo test install

demo: install
	$(BIN)/majlis build seeds -o out/graph.ttl --html out/network.html

test: install
	$(BIN)/python -m pytest -q

install: $(STAMP)

$(BIN)/python:
	python3.11 -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@
