"""The thread that wakes event loops which cannot watch a socket (Windows' proactor loop).

The native module's tokio threads never take the GIL: for such a loop they write one byte to
this thread's socket, and the thread, a Python thread, calls ``loop.call_soon_threadsafe`` with
the callback that hands the finished calls to the loop. Written in Python so that when the
interpreter shuts down while it waits (for the socket or the GIL), it ends as any daemon thread
does, with no native frames on its stack.
"""

from __future__ import annotations

import socket
import threading
from typing import Any, Callable, List, Tuple

Take = Callable[[], List[Tuple[Any, Any]]]


def start(port: int, take: Take) -> Tuple[str, int]:
    """Connects to the native side's listener on ``port``; returns this end's address, which
    the native side checks against the connection it accepts."""
    sock = socket.create_connection(("127.0.0.1", port))
    threading.Thread(target=_relay, args=(sock, take), name="cpaas-reseller-wake", daemon=True).start()
    host, local_port = sock.getsockname()[:2]
    return str(host), int(local_port)


def _relay(sock: socket.socket, take: Take) -> None:
    with sock:
        while sock.recv(4096):
            for event_loop, drain in take():
                try:
                    event_loop.call_soon_threadsafe(drain)
                except RuntimeError:  # a closed loop: nobody is left to wait for the results
                    pass
