"""What happened in a run: typed event records, the append-only event log, reason codes."""
