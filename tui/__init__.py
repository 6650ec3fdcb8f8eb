"""drillsim's Textual drill UI."""
