"""The SimPy engine: complaint flow, teams, the book of duties, decision makers."""
