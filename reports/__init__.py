"""After-action charts and reports, read from event logs."""
