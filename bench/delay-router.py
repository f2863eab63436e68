#!/usr/bin/env python3
"""A fixed packet delay, for kernels without netem: every IP packet read from a TUN device is written back to it
DELAY ms later, in order. Policy routing in the router's namespace (bench/netns-delay.sh) sends what arrives
from the hosts' links into the TUN; what comes out of it is routed normally, so each direction of every packet,
TCP handshakes and UDP included, is held DELAY ms once. A round trip between the hosts is then 2 x DELAY plus
the path's own: about 0.1 ms here, and the router's own wake-ups, about 0.2 ms per packet on an idle machine, so
a DELAY of tens of ms keeps both within a few per cent.

Usage (as root, inside the router's namespace): delay-router.py TUN_NAME DELAY_MS
Prints "ready" once the device exists, then runs until killed. Standard library only.
"""
import collections
import ctypes
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000  # raw IP packets, no 4-byte packet-information header
PR_SET_TIMERSLACK = 29
QUEUE_LIMIT = 100_000  # packets held at once; beyond that a packet is dropped, as a full router queue would


def main():
    name, delay = sys.argv[1], float(sys.argv[2]) / 1000
    # wake-ups on time: the kernel may otherwise defer a timed wait by its 50 us default slack
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0)
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    print("ready", flush=True)
    held = collections.deque()  # (due time, packet); one fixed delay keeps the queue in due order
    while True:
        timeout = None if not held else max(0.0, held[0][0] - time.monotonic())
        readable, _, _ = select.select([fd], [], [], timeout)
        if readable:
            while True:  # everything that arrived since the last wake-up, each stamped as it is read
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if len(held) < QUEUE_LIMIT:
                    held.append((time.monotonic() + delay, packet))
        now = time.monotonic()
        while held and held[0][0] <= now:
            try:
                os.write(fd, held.popleft()[1])
            except OSError:
                pass  # the stack refused one packet (e.g. no route yet): dropped, as on a wire


if __name__ == "__main__":
    main()
