#!/usr/bin/env python3
"""Measures the cold start of a built bootstrap: exec until the first /invoke is answered 200.

    cold-start.py BINARY [RUNS] [EVENT]

Each run starts BINARY with FC_SERVER_PORT set to a free loopback port, then retries an
FC-style POST /invoke (connection refused until the server listens) until it gets HTTP 200,
then sends SIGTERM and checks the process exits 0. Prints every run and the median, in ms.
Loopback only.
"""

import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, event, request_id):
    body = event.encode()
    head = (
        "POST /invoke HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"x-fc-request-id: {request_id}\r\n"
        "x-fc-control-path: /invoke\r\n"
        "x-fc-function-timeout: 3\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(head + body)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    return status, reply.split(b"\r\n\r\n", 1)[1]


def one_run(binary, event, index):
    port = free_port()
    env = dict(os.environ, FC_SERVER_PORT=str(port))
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL)
    try:
        while True:
            try:
                status, body = request(port, event, f"cold-{index}")
                break
            except (ConnectionRefusedError, ConnectionResetError):
                if time.perf_counter() - start > 5:
                    raise SystemExit("no answer within 5 s")
                # A short pause, so that polling does not take the CPU the server starts on.
                time.sleep(0.0002)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            raise SystemExit(f"run {index}: status {status}, body {body!r}")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=5)
    if code != 0:
        raise SystemExit(f"run {index}: exit status {code} after SIGTERM")
    return elapsed, body


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    event = sys.argv[3] if len(sys.argv) > 3 else '{"name":"x"}'
    times = []
    for index in range(runs):
        elapsed, body = one_run(binary, event, index)
        times.append(elapsed)
        print(f"run {index:2}: {elapsed:7.2f} ms  {body.decode(errors='replace')}")
    print(
        f"cold start over {runs} runs: median {statistics.median(times):.2f} ms, "
        f"min {min(times):.2f} ms, max {max(times):.2f} ms"
    )
    print(f"baseline (spawn and wait for `true`): median {statistics.median(baseline(runs)):.2f} ms")


def baseline(runs):
    """What spawning any process and waiting for it costs here, in ms per run: the floor of
    the cold start as measured above, to read it against a busy machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["true"], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


if __name__ == "__main__":
    main()
