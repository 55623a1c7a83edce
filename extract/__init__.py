from .compiled import prefer_fresh_sources

prefer_fresh_sources()  # before any compiled module is imported
