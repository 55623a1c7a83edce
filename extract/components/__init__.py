"""spaCy components of the majlis pipeline (see extract/nlp.py for their order)."""
