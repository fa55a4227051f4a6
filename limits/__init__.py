"""Limits that hold across every process and server: counts of events per key and window,
kept in the database (limits.counters)."""
