"""Source stage: the files an editor writes (issue.yaml, series.yaml, a layout's
layout.yaml) read into the typed model, every problem located by file, line and field."""
