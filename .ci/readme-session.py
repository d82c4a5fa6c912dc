#!/usr/bin/env python3
"""Plays the README's WebSocket session against a running gateway and checks every answer.

    readme-session.py README.md 'ws://localhost:8080/ws?token=...'

The session is the ```text block under "## A session": a `$ websocat` line opens a connection,
each `>` line is sent as written, and the `<` lines after it are the answers expected (in any
order). Answers must equal the README's but for `ts` (any number) and `epoch` (any string, the same
one wherever the README repeats it, also in the lines sent). Standard library only.
"""
import base64
import json
import os
import socket
import struct
import sys
import urllib.parse

TIMEOUT_SECONDS = 10


class WebSocket:
    """The client side of RFC 6455, as little of it as a text session needs."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=TIMEOUT_SECONDS)
        key = base64.b64encode(os.urandom(16)).decode()
        target = parts.path + ("?" + parts.query if parts.query else "")
        self.sock.sendall((f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise SystemExit("the gateway closed the connection during the handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise SystemExit(f"handshake refused: {status}")
        self.pending = []

    def send(self, text):
        self._frame(0x1, text.encode())

    def receive(self):
        """The next JSON message; a frame may carry several, one a line."""
        while not self.pending:
            opcode, payload = self._read_frame()
            if opcode == 0x1:
                self.pending.extend(json.loads(line) for line in payload.decode().split("\n") if line)
            elif opcode == 0x9:
                self._frame(0xA, payload)
            elif opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                raise SystemExit(f"the gateway closed the connection ({code})")
        return self.pending.pop(0)

    def close(self):
        try:
            self._frame(0x8, struct.pack("!H", 1000))
        finally:
            self.sock.close()

    def _frame(self, opcode, payload):
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read_exactly(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("the gateway dropped the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _read_frame(self):
        message, first_opcode = b"", None
        while True:
            first, second = self._read_exactly(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read_exactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read_exactly(8))[0]
            payload = self._read_exactly(length)
            if opcode >= 0x8:
                return opcode, payload
            first_opcode = first_opcode if first_opcode is not None else opcode
            message += payload
            if first & 0x80:
                return first_opcode, message


def session_lines(readme):
    """The lines of the ```text block that follows the '## A session' heading."""
    lines = open(readme, encoding="utf-8").read().split("\n")
    start = lines.index("## A session")
    fence = next(i for i in range(start, len(lines)) if lines[i].startswith("```"))
    end = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
    return lines[fence + 1:end]


def matches(expected, actual, epochs):
    if set(expected) != set(actual):
        return False
    for key, value in expected.items():
        if key == "ts":
            if not isinstance(actual[key], int):
                return False
        elif key == "epoch":
            if epochs.setdefault(value, actual[key]) != actual[key]:
                return False
        elif value != actual[key]:
            return False
    return True


def check(ws, expected, epochs):
    received = [ws.receive() for _ in expected]
    for want in expected:
        found = next((got for got in received if matches(want, got, dict(epochs))), None)
        if found is None:
            raise SystemExit(f"expected {json.dumps(want)}, received {[json.dumps(m) for m in received]}")
        matches(want, found, epochs)
        received.remove(found)


def play(readme, url):
    ws, steps, sent, expected = None, 0, None, []
    epochs = {}

    def settle():
        nonlocal steps
        if sent is not None:
            check(ws, expected, epochs)
            steps += 1
            print(f"ok {steps}: {sent}")

    for line in session_lines(readme):
        if line.startswith("$ websocat"):
            settle()
            sent, expected = None, []
            if ws:
                ws.close()
            ws = WebSocket(url)
        elif line.startswith("> "):
            settle()
            sent, expected = line[2:], []
            text = sent
            for sample, real in epochs.items():
                text = text.replace(f'"epoch":"{sample}"', f'"epoch":"{real}"')
            ws.send(text)
        elif line.startswith("< "):
            expected.append(json.loads(line[2:]))
        elif line.strip():
            raise SystemExit(f"not a session line: {line}")
    settle()
    ws.close()
    if steps == 0:
        raise SystemExit("the README's session sent nothing")
    print(f"session: {steps} requests answered as the README shows")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: readme-session.py README.md ws://host:port/ws?token=...")
    play(sys.argv[1], sys.argv[2])
