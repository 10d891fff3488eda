"""A connection storm against one server process: opens N keep-alive
connections (HTTP/1.1, or HTTP/2 with prior knowledge), each answering one
`GET /album` in full and then idle, and reads the server's resident memory
(VmRSS, /proc/PID/status) before, while they are open and after they are
closed. Prints one JSON object:

    {"proto": "h1", "count": 2000, "rss_before_kib": ..., "rss_open_kib": ...,
     "rss_after_kib": ..., "bytes_per_connection": ...}

Used by bench/connections.sh. The connections come from 127.0.0.2 and up,
at most PER_SOURCE from each address: the server's per-address cap (128
by default) holds, and is not what is measured. Standard library only;
the HTTP/2 client is the least that gets one answer: the preface, an empty
SETTINGS, one HEADERS frame (HPACK, no Huffman, nothing indexed), and the
frames read until the answer's END_STREAM (a SETTINGS is acknowledged).
"""

import argparse
import json
import socket
import struct
import time

PER_SOURCE = 100

H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, SETTINGS, GOAWAY = 0x0, 0x1, 0x4, 0x7
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def literal(name_index, value):
    """An HPACK literal without indexing, its name from the static table."""
    value = value.encode()
    assert len(value) < 127
    if name_index < 15:
        head = bytes([name_index])
    else:
        head = bytes([0x0F, name_index - 15])
    return head + bytes([len(value)]) + value


def read_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise ConnectionError("closed by the server")
        out += chunk
    return out


def h2_get(sock, host, path):
    block = b"\x82\x86" + literal(4, path) + literal(1, host) + literal(19, "application/json")
    sock.sendall(H2_PREFACE + frame(SETTINGS, 0, 0) + frame(HEADERS, END_STREAM | END_HEADERS, 1, block))
    status = None
    while True:
        head = read_exact(sock, 9)
        length = int.from_bytes(head[:3], "big")
        kind, flags = head[3], head[4]
        stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
        payload = read_exact(sock, length)
        if kind == SETTINGS and not flags & ACK:
            sock.sendall(frame(SETTINGS, ACK, 0))
        elif kind == GOAWAY:
            raise ConnectionError("GOAWAY")
        elif kind == HEADERS and stream == 1:
            # `:status: 200` is static index 8, sent indexed: 0x88.
            status = 200 if payload[:1] == b"\x88" else payload[:4].hex()
        if kind in (DATA, HEADERS) and stream == 1 and flags & END_STREAM:
            if status != 200:
                raise RuntimeError(f"status {status}")
            return


def h1_get(sock, host, path):
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n"
    sock.sendall(request.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by the server")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200 "):
        raise RuntimeError(head.split(b"\r\n")[0].decode())
    length = next(
        int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    read_exact(sock, length - len(body))


def storm(args):
    host, port = args.addr.rsplit(":", 1)
    get = h2_get if args.proto == "h2" else h1_get
    before = rss_kib(args.pid)
    sockets = []
    for i in range(args.count):
        sock = socket.socket()
        sock.bind((f"127.0.0.{2 + i // PER_SOURCE}", 0))
        sock.connect((host, int(port)))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        get(sock, args.addr, "/album")
        sockets.append(sock)
    time.sleep(args.settle)
    opened = rss_kib(args.pid)
    for sock in sockets:
        sock.close()
    time.sleep(args.settle)
    after = rss_kib(args.pid)
    return {
        "proto": args.proto,
        "count": args.count,
        "rss_before_kib": before,
        "rss_open_kib": opened,
        "rss_after_kib": after,
        "bytes_per_connection": round((opened - before) * 1024 / args.count),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addr", required=True, help="the server's HOST:PORT")
    parser.add_argument("--pid", required=True, type=int, help="the server's process id")
    parser.add_argument("--proto", choices=("h1", "h2"), default="h1")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--settle", type=float, default=1.0, help="seconds to wait before reading RSS")
    print(json.dumps(storm(parser.parse_args())), flush=True)


if __name__ == "__main__":
    main()
