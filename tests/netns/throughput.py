#!/usr/bin/env python3
"""Measure TCP throughput between two namespaces (bounded in time, loopback-free: the addresses
are inside namespaces the test made).  Usage:
  throughput.py server ADDR PORT SECONDS      (prints Mbit/s received)
  throughput.py client ADDR PORT SECONDS"""
import socket
import sys
import time

mode, addr, port, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
if mode == "server":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(seconds + 10)
    c, _ = s.accept()
    c.settimeout(seconds + 10)
    total, start = 0, None
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        if start is None:
            start = time.monotonic()
        total += len(b)
    elapsed = time.monotonic() - (start or time.monotonic())
    print("%.1f" % (total * 8 / max(elapsed, 1e-3) / 1e6))
else:
    c = socket.create_connection((addr, port), timeout=10)
    buf = b"\0" * (1 << 16)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        c.sendall(buf)
    c.close()
