"""drillsim's simulation core: plan and scenario models, the SimPy engine, the event log, scoring."""
