#!/usr/bin/env python3
"""make_archive_corpus.py: write the synthetic seeds of fuzz/corpus/archive/
(Python 3 standard library only, deterministic). Zip archives are written
by a small writer of their own (local headers, central directory, end
records, ZIP64) so that every field can be made to lie; two come from
zipfile as a check on the writer. It never touches the SHA-1-named files or
the crash-* files.

    python3 fuzz/make_archive_corpus.py [OUT_DIR]   (default fuzz/corpus/archive)
"""
import gzip
import io
import os
import struct
import sys
import zipfile
import zlib

SIG_LOCAL = b"PK\x03\x04"
SIG_CENTRAL = b"PK\x01\x02"
SIG_END = b"PK\x05\x06"
SIG_END64 = b"PK\x06\x06"
SIG_LOC64 = b"PK\x06\x07"
SIG_DD = b"PK\x07\x08"


def deflate(data, level=9):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class Member:
    def __init__(self, name, data, method=8, flags=0, descriptor=False, zip64=False):
        self.name = name.encode() if isinstance(name, str) else name
        self.data = data
        self.method = method
        self.flags = flags | (8 if descriptor else 0)
        self.descriptor = descriptor
        self.zip64 = zip64
        self.packed = deflate(data) if method == 8 else data
        self.crc = zlib.crc32(data)
        self.lho = 0


def local_header(m):
    if m.descriptor:
        crc, cs, us, extra = 0, 0, 0, b""
    elif m.zip64:
        crc, cs, us = m.crc, 0xFFFFFFFF, 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, len(m.data), len(m.packed))
    else:
        crc, cs, us, extra = m.crc, len(m.packed), len(m.data), b""
    return (SIG_LOCAL + struct.pack("<HHHHHIIIHH", 45 if m.zip64 else 20, m.flags, m.method,
                                    0, 0x21, crc, cs, us, len(m.name), len(extra))
            + m.name + extra)


def central_header(m):
    if m.zip64:
        cs = us = off = 0xFFFFFFFF
        extra = struct.pack("<HHQQQ", 1, 24, len(m.data), len(m.packed), m.lho)
    else:
        cs, us, off, extra = len(m.packed), len(m.data), m.lho, b""
    return (SIG_CENTRAL + struct.pack("<HHHHHHIIIHHHHHII", 45 if m.zip64 else 20,
                                      45 if m.zip64 else 20, m.flags, m.method, 0, 0x21, m.crc,
                                      cs, us, len(m.name), len(extra), 0, 0, 0, 0, off)
            + m.name + extra)


def end_record(count, cd_size, cd_off, comment=b""):
    return SIG_END + struct.pack("<HHHHIIH", 0, 0, count, count, cd_size, cd_off,
                                 len(comment)) + comment


def end64(count, cd_size, cd_off, at):
    rec = SIG_END64 + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, count, count, cd_size, cd_off)
    loc = SIG_LOC64 + struct.pack("<IQI", 0, at, 1)
    return rec + loc + end_record(0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)


def build(members, prefix=b"", zip64=False, comment=b"", central=None):
    """The archive's bytes. Offsets are written as if the archive started
    at 0 (so a prefix makes them lie, as in a self-extracting file)."""
    body = bytearray()
    for m in members:
        m.lho = len(body)
        body += local_header(m) + m.packed
        if m.descriptor:
            body += SIG_DD + struct.pack("<III", m.crc, len(m.packed), len(m.data))
    cd_off = len(body)
    cd = b"".join(central_header(m) for m in (central if central is not None else members))
    body += cd
    count = len(central if central is not None else members)
    if zip64:
        body += end64(count, len(cd), cd_off, len(body))
    else:
        body += end_record(count, len(cd), cd_off, comment)
    return prefix + bytes(body)


def log_text(n):
    lines = []
    i = 0
    while sum(len(x) for x in lines) < n:
        lines.append("2021-03-03T02:%02d:%02d.000Z,10.0.0.%d,POST /ecp/y.js,200\r\n"
                     % (i // 60 % 60, i % 60, i % 250))
        i += 1
    return "".join(lines).encode()[:n]


def pseudo_random(n, seed=1):
    out = bytearray()
    x = seed
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(x >> 16 & 0xFF)
    return bytes(out)


def gz(data, name=None, extra=None):
    """A gzip member with a fixed time; FNAME and FEXTRA written by hand."""
    flg = (8 if name else 0) | (4 if extra else 0)
    head = b"\x1f\x8b\x08" + bytes([flg]) + b"\0\0\0\0\x02\xff"
    if extra:
        head += struct.pack("<H", len(extra)) + extra
    if name:
        head += name + b"\0"
    return head + deflate(data) + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def seeds():
    log = log_text(3000)
    s = {}
    s["stored.zip"] = build([Member("a.log", log, method=0), Member("dir/", b"", method=0)])
    s["deflate.zip"] = build([Member("Logging/HttpProxy/a.LOG", log),
                              Member("b.txt", b"hello\n" * 40)])
    s["zip64.zip"] = build([Member("big.log", log, zip64=True), Member("c.txt", b"c" * 99)],
                           zip64=True)
    s["descriptor.zip"] = build([Member("d1.log", log, descriptor=True),
                                 Member("d2.log", b"x" * 500, method=0, descriptor=True)])
    full = build([Member("t1.log", log), Member("t2.log", log[::-1])])
    s["no-end-record.zip"] = full[:full.index(SIG_CENTRAL)]
    s["truncated-member.zip"] = full[:full.index(SIG_LOCAL, 4) - 40]

    # the directory points past the end
    lie = bytearray(build([Member("l.log", log)]))
    struct.pack_into("<I", lie, len(lie) - 6, 0x7FFFFFF0)
    s["lying-offset.zip"] = bytes(lie)
    # it promises more members than it holds
    cnt = bytearray(build([Member("m.log", log)]))
    struct.pack_into("<HH", cnt, len(cnt) - 14, 5, 5)
    s["count-mismatch.zip"] = bytes(cnt)

    # overlapping entries: two directory entries for one local header, and a
    # chain (B's header inside A's data, C's inside B's past A's end)
    one = Member("same.log", log)
    s["overlap-same.zip"] = build([one], central=[one, one])
    a, b, c = Member("A", b"A" * 64, method=0), Member("B", b"B" * 64, method=0), \
        Member("C", b"C" * 64, method=0)
    body = bytearray(local_header(a) + b"\0" * 10)
    b.lho = len(body)
    body += local_header(b) + b"\0" * 40
    c.lho = len(body)
    body += local_header(c) + c.packed + b"\0" * 200
    a.packed = body[len(local_header(a)):len(local_header(a)) + 64]
    b.packed = body[b.lho + len(local_header(b)):b.lho + len(local_header(b)) + 140]
    a.data, b.data = a.packed, b.packed
    cd_off = len(body)
    cd = central_header(a) + central_header(b) + central_header(c)
    s["overlap-chain.zip"] = bytes(body + cd + end_record(3, len(cd), cd_off))

    # a self-extracting shape: bytes before the archive, offsets unshifted
    s["prefixed.zip"] = build([Member("p.log", log)], prefix=b"MZ" + b"\x90" * 510)
    s["prefixed-zip64.zip"] = build([Member("p64.log", log, zip64=True)], zip64=True,
                                    prefix=b"MZ" + b"\x90" * 254)

    # the local header disagrees: another name, another method
    nm = bytearray(build([Member("real.log", log)]))
    nm[30:30 + 8] = b"fake.log"
    s["local-name-mismatch.zip"] = bytes(nm)
    mm = bytearray(build([Member("meth.log", log)]))
    struct.pack_into("<H", mm, 8, 12)
    s["local-method-mismatch.zip"] = bytes(mm)

    # encrypted (flag bit 0), AES (method 99), bzip2 (method 12)
    s["encrypted-flag.zip"] = build([Member("secret.log", pseudo_random(300), method=0,
                                            flags=1)])
    s["methods.zip"] = build([Member("aes.log", pseudo_random(100), method=99),
                              Member("bz.log", pseudo_random(100), method=12)])

    # a tiny bomb: 200 KB of zeros deflated, and 4 MiB past the ratio's grace
    s["bomb-200k.zip"] = build([Member("zeros.log", bytes(200 * 1024))])
    s["bomb-4m.zip"] = build([Member("zeros.log", bytes(4 << 20))])
    # a damaged stream (a bad block type) and a truncated one
    s["damaged-deflate.zip"] = build([Member("bad.log", b"\x07\xff\xff\xff" + b"\0" * 40,
                                             method=0)])
    tr = Member("cut.log", log)
    tr.packed = tr.packed[:len(tr.packed) // 2]
    s["truncated-deflate.zip"] = build([tr])

    # an empty archive, and one bigger than the end record's search window
    # (more than 64 KiB + 22 bytes: the only seed over 64 KB)
    s["empty.zip"] = end_record(0, 0, 0)
    s["big-comment-window.zip"] = build([Member("r.bin", pseudo_random(70000), method=0)],
                                        comment=b"c" * 100)

    # two from zipfile, as a check on the writer above
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, method in (("zf-stored.log", zipfile.ZIP_STORED),
                             ("zf-deflate.log", zipfile.ZIP_DEFLATED)):
            zi = zipfile.ZipInfo(name, date_time=(2021, 3, 3, 2, 0, 0))
            zi.compress_type = method
            zf.writestr(zi, log)
    s["zipfile.zip"] = buf.getvalue()

    # gzip: plain (with FNAME), FEXTRA and FNAME, concatenated, trailing
    # zeros, trailing junk, truncated, a bad CRC, and gzip's own writer
    s["plain.gz"] = gz(log, name=b"u_ex210303.log")
    s["fextra.gz"] = gz(log, name=b"x.log", extra=b"AB\x02\x00hi")
    s["concat.gz"] = gz(log[:1000], name=b"one.log") + gz(log[1000:]) + gz(b"")
    s["trailing-zeros.gz"] = gz(log) + bytes(64)
    s["trailing-junk.gz"] = gz(log) + b"junk after the member"
    g = gz(log)
    s["truncated.gz"] = g[:len(g) * 2 // 3]
    bad = bytearray(gz(log))
    bad[-8] ^= 0x55
    s["bad-crc.gz"] = bytes(bad)
    s["gzip-module.gz"] = gzip.compress(log, mtime=0)
    s["bomb.gz"] = gz(bytes(3 << 20))
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__),
                                                             "corpus", "archive")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print("%7d %s" % (len(data), name))


if __name__ == "__main__":
    main()
