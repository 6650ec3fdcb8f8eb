"""The fast replication kernel for sweeps: the engine's model with an exact queue recursion."""
