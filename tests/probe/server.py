#!/usr/bin/env python3
"""server.py: loopback servers that impersonate Exchange builds and faulty
servers for `exhunt probe`'s tests (tests/probe/run.sh) and its scale run
(bench/probe.py). Loopback only: every address is in 127.0.0.0/8.

  server.py functional DIR   certificate in DIR, servers on 127.0.0.x:PORT,
                             DIR/targets (one "name target" a line), DIR/ready
  server.py scale DIR N SILENT [tls]   N endpoints on 127.0.1.1.. (SILENT
                             of them never answer; https with tls),
                             DIR/targets, DIR/expected, DIR/ready

Runs until killed. The certificate is self-signed, made at start with the
openssl command line tool.
"""
import asyncio
import os
import resource
import socket
import ssl
import subprocess
import sys

OWA_PAGE = """<!DOCTYPE html><html><head><title>Outlook</title>
<link rel="shortcut icon" href="/owa/auth/{cu}/themes/resources/favicon.ico" type="image/x-icon">
<link type="text/css" rel="stylesheet" href="/owa/auth/{cu}/themes/resources/logon.css">
</head><body><form action="/owa/auth.owa" method="POST"></form></body></html>
"""

MANIFEST = """<?xml version="1.0" encoding="utf-8"?>
<asmv1:assembly xsi:schemaLocation="urn:schemas-microsoft-com:asm.v1 assembly.adaptive.xsd" manifestVersion="1.0" xmlns:asmv1="urn:schemas-microsoft-com:asm.v1" xmlns="urn:schemas-microsoft-com:asm.v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool.application" version="{build}" publicKeyToken="b03f5f7f11d50a3a" language="neutral" processorArchitecture="msil" xmlns="urn:schemas-microsoft-com:asm.v1" />
  <description asmv2:publisher="Microsoft Corporation" xmlns="urn:schemas-microsoft-com:asm.v1" />
</asmv1:assembly>
"""


def cert(d):
    key, crt = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    if not os.path.exists(crt):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        key, "-out", crt, "-days", "30", "-subj", "/CN=exchange.test/O=exhunt tests",
                        "-addext", "subjectAltName=DNS:exchange.test"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(crt, key)
    return ctx


def response(status, headers, body=b""):
    reason = {200: "OK", 302: "Found", 400: "Bad Request", 404: "Not Found",
              500: "Internal Server Error"}.get(status, "X")
    h = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", "Connection: close"]
    h += [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


def exchange(p, path, cookie, host):
    """What a (fake) Exchange server of profile p answers to path."""
    build = p.get("build", "")
    cu = ".".join(build.split(".")[:3])
    fe = [("X-FEServer", "EXCH01"), ("request-id", "5b0c2c0e-0000-0000-0000-000000000000")]
    ver = [("X-OWA-Version", build)] if p.get("header") else []
    lower = path.lower()
    if lower.startswith("/owa/auth/x.js"):
        if p.get("pl") and "X-BEResource=localhost" in cookie:
            return response(500, fe + [("X-CalculatedBETarget", "localhost")],
                            b"NegotiateSecurityContext failed")
        return response(404, fe)
    if lower.startswith("/autodiscover/autodiscover.json"):
        if p.get("ps") == "unclear":
            return response(500, fe)
        if p.get("ps"):
            return response(302, fe + [("Location", f"{p['scheme']}://{host}/owa/")])
        return response(400, fe)
    if lower.startswith("/ecp/current/exporttool/"):
        if p.get("manifest") == "silent":
            return None
        if p.get("manifest"):
            return response(200, fe + [("Content-Type", "application/x-ms-application")],
                            MANIFEST.format(build=build).encode())
        return response(404, fe)
    if lower in ("/owa", "/owa/"):
        return response(302, fe + ver + [("Location", f"{p['scheme']}://{host}/owa/auth/logon.aspx?"
                                           f"url={p['scheme']}%3a%2f%2f{host}%2fowa%2f&reason=0")])
    if lower.startswith("/owa/auth/logon.aspx"):
        page = OWA_PAGE.format(cu=cu if p.get("page") else "Current").encode()
        if p.get("hugebody"):
            page += b"<!--" + b"x" * (8 << 20) + b"-->"
        return response(200, fe + ver + [("Content-Type", "text/html")], page)
    return response(404, fe)


async def handle(reader, writer, p):
    kind = p["kind"]
    try:
        if kind == "silent":
            await asyncio.sleep(3600)
            return
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = await reader.read(4096)
            if not chunk:
                return
            head += chunk
            if head[:1] == b"\x16":  # a TLS hello on a plain port: refuse as servers do
                writer.write(response(400, [("Connection", "close")]))
                await writer.drain()
                return
        lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        path = parts[1] if len(parts) > 1 else "/"
        hdr = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            hdr[k.strip().lower()] = v.strip()
        host = hdr.get("host", "exchange.test")
        if kind == "garbage":  # after the request, so that the client's send never races the close
            writer.write(bytes(range(256)) * 8)
            await writer.drain()
            return
        if kind == "trickle":
            for b in b"HTTP/1.1 200 OK\r\nX-OWA-Version: 15.2.2562.46\r\n" * 100:
                writer.write(bytes([b]))
                await writer.drain()
                await asyncio.sleep(1)
            return
        if kind == "hugeheader":
            writer.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(400):
                writer.write(f"X-Filler-{i}: {'y' * 1000}\r\n".encode())
                await writer.drain()
            writer.write(b"Content-Length: 0\r\n\r\n")
            await writer.drain()
            return
        if kind == "redirect":
            writer.write(response(302, [("Location", "https://evil.example/owa/")]))
        elif kind == "redirectloop":
            writer.write(response(302, [("Location", "/owa/")]))
        elif kind == "bigline":
            writer.write(b"HTTP/1.1 200 OK\r\nX-Big: " + b"z" * 200000 + b"\r\n\r\n")
        elif kind == "plain":
            writer.write(response(200, [("Server", "nginx"), ("Content-Type", "text/html")],
                                  b"<html><body>It works</body></html>"))
        elif kind == "nobuild":
            writer.write(response(200 if path.lower().startswith("/owa") else 404,
                                  [("X-FEServer", "EXCH02")], b"<html>Outlook</html>"))
        else:
            answer = exchange(p, path, hdr.get("cookie", ""), host)
            if answer is None:  # this path never answers
                await asyncio.sleep(3600)
                return
            writer.write(answer)
        await writer.drain()
    except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


# name, address (last byte of 127.0.0.x), tls, profile
FUNCTIONAL = [
    ("se-patched", 2, True, dict(kind="exchange", build="15.2.2562.46", header=True, page=True)),
    ("e2016-cu23-nov22", 3, True, dict(kind="exchange", build="15.1.2507.16", page=True,
                                       manifest=True)),
    ("e2016-cu19-old", 4, True, dict(kind="exchange", build="15.1.2176.2", header=True,
                                     page=True, pl=True, ps=True)),
    ("se-newer", 5, True, dict(kind="exchange", build="15.2.2562.99", header=True, page=True)),
    ("se-cu-only", 6, True, dict(kind="exchange", build="15.2.2562.46", page=True)),
    ("e2016-cu-only", 7, True, dict(kind="exchange", build="15.1.2507.16", page=True)),
    ("exchange-nobuild", 8, True, dict(kind="nobuild")),
    ("plain-http", 9, False, dict(kind="exchange", build="15.2.2562.46", header=True,
                                  page=True, manifest=True)),
    ("not-exchange", 10, True, dict(kind="plain")),
    ("silent", 11, True, dict(kind="silent")),
    ("trickle", 12, False, dict(kind="trickle")),
    ("garbage", 13, False, dict(kind="garbage")),
    ("huge-header", 14, True, dict(kind="hugeheader")),
    ("huge-body", 15, True, dict(kind="exchange", build="15.2.2562.46", header=True,
                                 page=True, hugebody=True)),
    ("redirect-off-host", 16, True, dict(kind="redirect")),
    ("pl-patched", 17, True, dict(kind="exchange", build="15.2.2562.46", header=True,
                                  page=True)),
    ("redirect-loop", 18, True, dict(kind="redirectloop")),
    ("huge-header-line", 19, True, dict(kind="bigline")),
    ("ps-unclear", 20, True, dict(kind="exchange", build="15.2.2562.46", header=True,
                                  page=True, ps="unclear")),
    ("ecp-silent", 21, True, dict(kind="exchange", build="15.1.2507.16", page=True,
                                  manifest="silent")),
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


async def serve(endpoints, ctx):
    servers = []
    for addr, port, tls, prof in endpoints:
        prof = dict(prof, scheme="https" if tls else "http")
        servers.append(await asyncio.start_server(
            lambda r, w, p=prof: handle(r, w, p), addr, port, ssl=ctx if tls else None,
            backlog=128, reuse_address=True))
    return servers


def main():
    mode, d = sys.argv[1], sys.argv[2]
    os.makedirs(d, exist_ok=True)
    ctx = cert(d)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for attempt in range(20):
        port = free_port()
        endpoints, lines, expected = [], [], []
        if mode == "functional":
            for name, last, tls, prof in FUNCTIONAL:
                endpoints.append((f"127.0.0.{last}", port, tls, prof))
                scheme = "https" if tls else "http"
                lines.append(f"{name} {scheme}://127.0.0.{last}:{port}")
            # a TLS client on a plain HTTP port
            lines.append(f"tls-to-plain https://127.0.0.9:{port}")
            lines.append(f"refused 127.0.0.99:{port}")
            lines.append(f"unresolvable exchange.invalid:{port}")
            lines.append(f"bad-target ht!tp://x")
        else:
            n, silent = int(sys.argv[3]), int(sys.argv[4])
            tls = len(sys.argv) > 5 and sys.argv[5] == "tls"
            every = n // silent if silent else 0
            for i in range(n):
                addr = f"127.0.{1 + i // 250}.{1 + i % 250}"
                if every and i % every == 0 and i // every < silent:
                    prof, verdict = dict(kind="silent"), "INCOMPLETE"
                elif i % 2:
                    prof, verdict = dict(kind="exchange", build="15.2.2562.46", header=True,
                                         page=True), "CLEAN"
                else:
                    prof, verdict = dict(kind="exchange", build="15.1.2507.16", page=True,
                                         manifest=True), "EXPOSED"
                endpoints.append((addr, port, tls, prof))
                lines.append(f"{'https' if tls else 'http'}://{addr}:{port}")
                expected.append(verdict)
        try:
            servers = loop.run_until_complete(serve(endpoints, ctx))
            break
        except OSError:
            continue
    else:
        sys.exit("server.py: no free port")
    with open(os.path.join(d, "targets"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if expected:
        with open(os.path.join(d, "expected"), "w") as f:
            f.write("\n".join(expected) + "\n")
    with open(os.path.join(d, "ready"), "w") as f:
        f.write(f"{port}\n")
    try:
        loop.run_forever()
    finally:
        for s in servers:
            s.close()


if __name__ == "__main__":
    main()
