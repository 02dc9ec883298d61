"""Readers of the files the benchmark scripts write: key=value results, JSON, and timing marks.

Shared by Benchmarks/upgrade/report.py and Benchmarks/multinode/report.py.
"""

import json
import os


def load_env(path):
    """The key=value lines of `path` as a dict."""
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep:
                values[key] = value
    return values


def load_json(path):
    """The JSON document at `path`, None when it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def load_marks(path):
    """`name seconds` lines: the first time of each mark, and the marks in order."""
    marks, order = {}, []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                name, _, t = line.strip().partition(" ")
                if name and name not in marks:
                    marks[name] = float(t)
                    order.append(name)
    return marks, order
