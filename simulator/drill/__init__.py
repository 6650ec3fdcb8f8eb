"""Drill sessions: trainees, the journal, the session, the training records."""
