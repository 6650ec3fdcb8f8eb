"""``drillsim lint``: the plan checked for gaps, overlaps and contradictions."""
