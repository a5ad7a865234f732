"""minidump_fanout.py DIR S: two minidumps whose RVAs make the module reader
do as much work as they can (Windows/Temp/, names that are not lsass*):
- x.bin: S directory entries all naming one module list of S/2 modules; the
  first module is C:\\Windows\\System32\\lsass.exe (must be found), all the
  others name one 64 KiB string (once S x S/2 x 64 KiB of decoding: S=4096
  took about 35 minutes);
- y.bin: S/2 modules whose names start at successive 4-byte offsets of a
  region where every word reads as a 64 KiB length (names that overlap claim
  far more than the file holds: a work budget stops them, and says so)."""
import os
import struct
import sys

out, s = sys.argv[1], int(sys.argv[2])
d = os.path.join(out, "Windows", "Temp")
os.makedirs(d, exist_ok=True)
MOD = 108


def header(nstreams, directory):
    return bytearray(b"MDMP" + struct.pack("<IIIIII", 0xA793, nstreams, directory, 0,
                                           0x603F2A10, 0) + b"\0" * 4)


def mdstring(text):
    raw = text.encode("utf-16-le")
    return struct.pack("<I", len(raw)) + raw


lsass = "C:\\Windows\\System32\\lsass.exe"
nmods = max(s // 2, 2)

# x.bin: fan-out
lst = 32 + s * 12
lsass_at = lst + 4 + nmods * MOD
big_at = lsass_at + len(mdstring(lsass))
b = header(s, 32)
for _ in range(s):
    b += struct.pack("<III", 4, 4 + nmods * MOD, lst)
b += struct.pack("<I", nmods)
for m in range(nmods):
    e = bytearray(MOD)
    struct.pack_into("<I", e, 20, lsass_at if m == 0 else big_at)
    b += e
b += mdstring(lsass)
b += struct.pack("<I", 65536) + "\u00e9".encode("utf-16-le") * 32768
with open(os.path.join(d, "x.bin"), "wb") as f:
    f.write(b)

# y.bin: overlapping names
lst = 32 + 12
lsass_at = lst + 4 + nmods * MOD
region = lsass_at + len(mdstring(lsass))
b = header(1, 32)
b += struct.pack("<III", 4, 4 + nmods * MOD, lst)
b += struct.pack("<I", nmods)
for m in range(nmods):
    e = bytearray(MOD)
    struct.pack_into("<I", e, 20, lsass_at if m == 0 else region + 4 * m)
    b += e
b += mdstring(lsass)
b += struct.pack("<I", 65536) * (4 * nmods + 65536 // 4 + 1)
with open(os.path.join(d, "y.bin"), "wb") as f:
    f.write(b)
