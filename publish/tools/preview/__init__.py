"""The editor's preview: a warm process that rebuilds an issue on every save and serves its
pages, with the check's problems pinned to them, on http://127.0.0.1:PORT/."""
from .builder import Preview
from .server import serve

__all__ = ["Preview", "serve"]
