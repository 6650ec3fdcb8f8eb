"""The ``drillsim`` command line."""
