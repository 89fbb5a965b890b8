# SPDX-License-Identifier: MIT
"""Result frames on the serial console: one line '@@BENCH <length> <json>' per event.

The length (characters of the JSON text) lets the host reject a line that another writer
(e.g. a kernel message) broke into. A copy of every frame goes to results.jsonl on disk.
"""
import json
import os

PREFIX = "@@BENCH"


class FrameWriter:
    def __init__(self, console_path, results_path):
        self.console = os.open(console_path, os.O_WRONLY | os.O_NOCTTY)
        os.makedirs(os.path.dirname(results_path), exist_ok=True)
        self.results = open(results_path, "a", encoding="utf-8")

    def emit(self, frame):
        text = json.dumps(frame, separators=(",", ":"), sort_keys=True)
        os.write(self.console, f"\n{PREFIX} {len(text)} {text}\n".encode())
        self.results.write(text + "\n")
        self.results.flush()
        os.fsync(self.results.fileno())
