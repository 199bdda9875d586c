"""The editor's tools beside the pipeline: the next issue's skeleton (nextissue), the
live preview (preview/) and the page-by-page comparison of two versions (diff/)."""
