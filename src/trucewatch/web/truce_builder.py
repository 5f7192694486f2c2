"""The process that builds the web server's truce records: ``python -m trucewatch.web.truce_builder
GAZETTEER AS_OF OUT`` (``-`` for no gazetteer file or no date) pickles them to ``OUT``; the database (a
SQLite file or a PostgreSQL URL) comes in ``$TRUCEWATCH_BUILD_DB``, out of the command line that any
user of the machine can read.

Why a process of its own (see :mod:`trucewatch.web.state`): the build is long pure-Python work that
would hold the interpreter lock in a thread. It lowers its priority before importing anything, so the
server's requests come first even while it loads, and it exits when the server is gone.
"""

from __future__ import annotations

import os
import sys
import threading
import time


def _orphan_watch(parent: int) -> None:
    """Exit once the server that started this process is gone (killed): the records are of no use."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def main(argv: list[str]) -> None:
    os.nice(10)
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()
    import pickle
    from pathlib import Path

    from trucewatch.ledger import build_truces
    from trucewatch.store import Store
    from trucewatch.web.state import gazetteer_for

    gazetteer, as_of, out = argv
    with Store(os.environ["TRUCEWATCH_BUILD_DB"], create=False) as store:
        truces = build_truces(store, gazetteer_for(None if gazetteer == "-" else Path(gazetteer)),
                              None if as_of == "-" else as_of)
    Path(out).write_bytes(pickle.dumps(truces))


if __name__ == "__main__":
    main(sys.argv[1:])
