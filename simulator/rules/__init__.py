"""The plan's rules that the SimPy engine and the sweep kernel both apply, each written once."""
