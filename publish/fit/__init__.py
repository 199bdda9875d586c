"""Fit stage (issue 18, not built yet): copyfitting a composed issue to its page plan
between compose and render."""
