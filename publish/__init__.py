"""publish: newsletter issues written in YAML to print-ready bilingual PDFs, checked.

The stages, each a package: source (YAML to model) -> compose (model to HTML through
a layout) -> fit -> render (HTML to pages) -> write (atomically) -> check (PDF against
the plan). ``build`` is those calls in a row; cli/ is the command line and tools/ the
editor's preview, diff and next issue.
"""
from .errors import IssueError, LayoutError, Problem, PublishError, RenderError

__version__ = "0.1.0"

__all__ = ["load", "build", "check", "PublishError", "IssueError", "LayoutError",
           "RenderError", "Problem", "__version__"]


def __getattr__(name):
    # The public verbs import WeasyPrint on first use only: `publish --help` stays instant.
    if name == "load":
        from .source.load import load
        return load
    if name == "build":
        from .build import build
        return build
    if name == "check":
        from .check import check
        return check
    raise AttributeError(name)
