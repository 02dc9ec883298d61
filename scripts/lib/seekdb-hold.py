"""Keeps an embedded seekdb (the OceanBase kernel) open for the sandbox.

Usage: python seekdb-hold.py DB_DIR SOCKET_FILE

Opens seekdb with pylibseekdb.open(db_dir=DB_DIR) (seekdb then serves a unix
socket for as long as this process keeps it open), writes the socket's path to
SOCKET_FILE, and waits. SIGTERM or SIGINT closes seekdb cleanly and exits.
Started by scripts/sandbox-up.sh (with TELEMETRY_ENABLED=false), stopped by
scripts/sandbox-down.sh.
"""
import os
import signal
import sys
import threading

import pylibseekdb


def main() -> int:
    db_dir, socket_file = sys.argv[1], sys.argv[2]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    instance = pylibseekdb.open(db_dir=db_dir)
    path = instance.connection_options()["unix_socket"]
    tmp = socket_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(path)
    os.replace(tmp, socket_file)
    print(f"seekdb open: {db_dir}, socket {path}", flush=True)
    while not stop.wait(3600):
        pass
    instance.close()
    print("seekdb closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
