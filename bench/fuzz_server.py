#!/usr/bin/env python3
"""Fuzzes a running dossierd over raw sockets: random and hostile query
strings, path segments, methods, headers and bytes, from several threads, for
DURATION seconds. Fails (exit 1) when any response is a 5xx, when a
response is not valid HTTP with a JSON error body for 4xx, or when the server
stops answering /health.

Usage: fuzz_server.py HOST:PORT [DURATION_SECONDS] [THREADS]
"""
import json
import random
import socket
import sys
import threading
import time
import urllib.parse
import zlib

ROUTES = ["/health", "/ready", "/openapi.json", "/v1/search", "/v1/documents", "/v1/documents/{id}",
          "/v1/documents/{id}/pages/{n}", "/v1/entities", "/v1/entities/{id}", "/v1/recommendations",
          "/v1/graph/neighbors/{node}", "/v1/stats"]
PARAMS = ["q", "limit", "offset", "type", "lang", "org", "year_from", "year_to", "source", "doc", "responsible",
          "due_before", "overdue_as_of", "depth", "edge", "id", "n", "", "q[]", "__proto__"]
METHODS = ["GET"] * 12 + ["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "BREW", "get", ""]


def hostile_value(rng):
    choices = [
        lambda: str(rng.randint(-10**12, 10**12)),
        lambda: rng.choice(["", "0", "-1", "1e3", "NaN", "0x10", "00000000001", "4294967296", "99999999999999999999"]),
        lambda: "".join(rng.choice("%&=?#/\\\"'<>(){}*:;+ \t") for _ in range(rng.randint(1, 40))),
        lambda: urllib.parse.quote(bytes(rng.randrange(256) for _ in range(rng.randint(1, 60))), safe=""),
        lambda: "%" + "".join(rng.choice("0123456789abcdefgXYZ%") for _ in range(rng.randint(1, 6))),
        lambda: "a" * rng.choice([100, 1000, 4096, 4097, 7000, 9000]),
        lambda: urllib.parse.quote(rng.choice(["\"unclosed", "((((", "AND OR NOT", "title:", "org:\"", "*",
                                               "year:99999999999", "NEAR/5", "a NEAR b", "doc:zz", "lang:",
                                               "é" * 50, "😀" * 30, "\u0000\u0001", "../../etc/passwd"])),
        lambda: urllib.parse.quote("".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 30)))),
        lambda: rng.choice(["application/pdf", "text/plain", "en", "es", "und", "IOM", "2019", "text_layer",
                            "ocr", "2020-01-01", "mentions", "part_of", "1", "2", "3", "water"]),
    ]
    return rng.choice(choices)()


def hostile_segment(rng):
    return rng.choice([
        lambda: "".join(rng.choice("0123456789abcdef") for _ in range(16)),
        lambda: rng.choice("DOPXRFCTZ") + ":" + "".join(rng.choice("0123456789abcdef") for _ in range(16)),
        lambda: hostile_value(rng),
        lambda: "%2F%2E%2E%2F" * rng.randint(1, 20),
        lambda: "..",
        lambda: "",
    ])()


def random_request(rng):
    route = rng.choice(ROUTES)
    path = route
    for name in ("{id}", "{n}", "{node}"):
        while name in path:
            path = path.replace(name, hostile_segment(rng), 1)
    if rng.random() < 0.1:
        path = path + rng.choice(["/", "//", "/extra", "?", "#frag", "%00", "/..", ";x=1"])
    query = "&".join(
        (rng.choice(PARAMS) if rng.random() < 0.9 else hostile_value(rng)) + rng.choice(["=", "=", "", "=="]) +
        hostile_value(rng) for _ in range(rng.randint(0, 6)))
    target = path + ("?" + query if query or rng.random() < 0.1 else "")
    method = rng.choice(METHODS)
    headers = ["Host: fuzz"] + (["Connection: close"] if rng.random() < 0.7 else [])
    for _ in range(rng.randint(0, 4)):
        headers.append(rng.choice([
            lambda: "Authorization: " + rng.choice(["Bearer", "Bearer x", "Basic a", "", "Bearer " + "x" * 5000]),
            lambda: "Origin: " + hostile_value(rng)[:200],
            lambda: "Range: bytes=" + rng.choice(["0-0", "-1", "5-", "9999999-", "0-1,2-3,4-5", "x", "-", "1-0"]),
            lambda: "Content-Length: " + rng.choice(["0", "5", "-1", "abc", "99999999999999999999", "100000"]),
            lambda: "Transfer-Encoding: " + rng.choice(["chunked", "gzip", "identity", "chunked, chunked"]),
            lambda: "Accept-Encoding: " + rng.choice(["gzip", "br", "deflate", "*", "gzip;q=0"]),
            lambda: "Connection: " + rng.choice(["close", "keep-alive", "upgrade"]),
            lambda: "Expect: " + rng.choice(["100-continue", "nonsense"]),
            lambda: "X-" + "a" * rng.randint(1, 100) + ": " + "b" * rng.choice([1, 100, 9000]),
            lambda: "Bad Header Without Colon",
        ])())
    body = ""
    if rng.random() < 0.2:
        body = "x" * rng.choice([0, 1, 10, 70000])
        if not any(h.startswith("Content-Length") for h in headers):
            headers.append(f"Content-Length: {len(body)}")
    version = rng.choice(["HTTP/1.1"] * 8 + ["HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", ""])
    request = f"{method} {target} {version}\r\n" + "\r\n".join(headers) + "\r\n\r\n" + body
    if rng.random() < 0.05:  # raw garbage
        request = bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))).decode("latin-1")
    if rng.random() < 0.03:  # cut short
        request = request[: rng.randint(0, len(request))]
    return request.encode("latin-1", "replace")


def check_error_body(response):
    """Returns what is wrong with the first response's body as a JSON error, or None."""
    head, _, rest = response.partition(b"\r\n\r\n")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"content-range" in headers or b"multipart" in headers.get(b"content-type", b""):
        return None  # a ranged answer to a Range header
    body = rest[: int(headers.get(b"content-length", b"0") or 0)]
    encoding = headers.get(b"content-encoding", b"")
    if encoding == b"gzip":
        body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
    elif encoding:
        return None  # br: no decoder in the standard library
    try:
        error = json.loads(body)["error"]
        if not (error["code"] and error["message"]):
            return "empty code or message"
    except Exception as e:  # noqa: BLE001
        return f"no JSON error body ({e})"
    return None


def complete(buf, head_request):
    """True once `buf` holds a whole final response (interim 1xx responses skipped)."""
    while True:
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = buf[:end]
        if head.startswith(b"HTTP/1.1 1"):
            buf = buf[end + 4:]
            continue
        if head_request:
            return True
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    return True
        return len(buf) - end - 4 >= length


def exchange(host, port, data, timeout=8.0):
    """Sends `data` and reads until a whole response arrived, the server closed, or `timeout`.
    (The write side stays open: httplib does not answer a client that half-closed.)"""
    with socket.create_connection((host, port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        buf = b""
        deadline = time.time() + timeout
        while time.time() < deadline and not complete(buf, data.startswith(b"HEAD ")):
            try:
                s.settimeout(max(0.01, deadline - time.time()))
                chunk = s.recv(65536)
            except (socket.timeout, OSError):
                break
            if not chunk:
                break
            buf += chunk
        return buf


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 120
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    stats = {"requests": 0, "no_response": 0, "statuses": {}, "failures": []}
    lock = threading.Lock()
    end = time.time() + duration

    def worker(seed):
        rng = random.Random(seed)
        while time.time() < end:
            data = random_request(rng)
            try:
                response = exchange(host, port, data)
            except OSError as e:
                with lock:
                    stats["failures"].append(f"connection failed: {e} for {data[:120]!r}")
                continue
            with lock:
                stats["requests"] += 1
                if not response:
                    stats["no_response"] += 1
                    continue
                while response.startswith(b"HTTP/1.1 1") and b"\r\n\r\n" in response:  # interim 100 Continue
                    response = response.split(b"\r\n\r\n", 1)[1]
                if not response:
                    stats["no_response"] += 1
                    continue
                head = response.split(b"\r\n", 1)[0]
                try:
                    status = int(head.split(b" ")[1])
                except (IndexError, ValueError):
                    stats["failures"].append(f"not HTTP: {response[:120]!r} for {data[:120]!r}")
                    continue
                stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
                if status >= 500:
                    stats["failures"].append(f"{status} for {data[:200]!r}: {response[:300]!r}")
                elif status >= 400 and not data.startswith(b"HEAD"):
                    problem = check_error_body(response)
                    if problem:
                        stats["failures"].append(f"{status}: {problem} for {data[:160]!r}: {response[:300]!r}")

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    last_check = time.time()
    alive = True
    while any(t.is_alive() for t in pool):
        time.sleep(0.5)
        if time.time() - last_check > 5:
            last_check = time.time()
            health = exchange(host, port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if b" 200 " not in health.split(b"\r\n", 1)[0]:
                alive = False
                stats["failures"].append(f"/health failed during the run: {health[:200]!r}")
    for t in pool:
        t.join()
    health = exchange(host, port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    alive = alive and b" 200 " in health.split(b"\r\n", 1)[0]
    print(f"fuzz: {stats['requests']} requests in {duration:.0f} s from {threads} threads; "
          f"statuses {dict(sorted(stats['statuses'].items()))}; closed without a response: {stats['no_response']}")
    for failure in stats["failures"][:20]:
        print("FAILURE:", failure)
    ok = alive and not stats["failures"]
    print(f"fuzz: server {'alive' if alive else 'NOT alive'} at the end; "
          f"{len(stats['failures'])} failure(s) -> {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
