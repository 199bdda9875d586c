"""Print conditions by their registered names, as the colour step and the check both use them.

The total ink (C+M+Y+K, percent) each condition allows, from ISO 12647-2 and the
characterisations' own notes; a condition not listed is held to DEFAULT_INK_LIMIT. The colour
step keeps converted photos under it (or under the layout's lower `--ink-limit`); the press
check measures everything painted against it. One table, so the two cannot disagree.
"""
INK_LIMITS = {"FOGRA39": 330, "FOGRA51": 320, "FOGRA52": 300, "FOGRA47": 300, "FOGRA40": 300,
              "FOGRA45": 300, "FOGRA29": 300, "FOGRA27": 330, "CGATS21-2-CRPC6": 320,
              "CGATS TR 006": 320, "CGATS TR 001": 300}
DEFAULT_INK_LIMIT = 300


def ink_limit(condition: str | None) -> float:
    return INK_LIMITS.get(condition or "", DEFAULT_INK_LIMIT)
