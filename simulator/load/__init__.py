"""Where plans and scenarios come from: YAML files with source marks, the bundled library, built scenarios."""
