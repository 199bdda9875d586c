"""Compose stage: the model and its layout to one HTML document (document.py), with the
editor's inline markup, typographic refinement and generated graphics."""
