"""Count an app's table round trips (reads and writes, the session check's included) and the keys it reads."""
from __future__ import annotations


class ReadCounter:
    """The app's table, counting its read and write round trips (the session's included) and the keys read."""

    def __init__(self, inner):
        self.inner, self.reads, self.writes, self.keys = inner, 0, 0, []

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if name in ("get", "get_many", "query", "query_index", "write", "increment"):
            def counted(*args, **kwargs):
                if name in ("write", "increment"):
                    self.writes += 1
                else:
                    self.reads += 1
                    self.keys += list(args[0]) if name == "get_many" else [args[:2]]
                return attribute(*args, **kwargs)
            return counted
        return attribute


def count_round_trips(app) -> ReadCounter:
    """Put a ReadCounter in front of the app's table (the read-ahead and the session check use it too)."""
    table = app.extensions["icp_table"]
    counter = app.extensions["icp_table"] = ReadCounter(table.inner if isinstance(table, ReadCounter) else table)
    return counter
