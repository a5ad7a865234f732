"""pe_fanout.py DIR N: Exchange binaries whose version resources make the PE
reader do as much work as a file allows, beside an HttpProxy log that names
the build (15.1.2507.16):
- Bin/ExSetup.exe: a resource root of N entries (named and numbered, the
  most a directory can claim) that all point back at the root itself: a
  loop as wide as the file;
- FrontEnd/HttpProxy/bin/x<i>.dll, N/256 of them: section tables claiming
  65,535 sections, a version block whose children all have wLength 0, and a
  string that never ends.
The scan must end quickly with an error record for ExSetup.exe, judge the
logs' build, and read nothing outside the files (see src/read/pe.c)."""
import os
import struct
import sys

out, n = sys.argv[1], int(sys.argv[2])
V15 = os.path.join(out, "Program Files", "Microsoft", "Exchange Server", "V15")


def pe(sections, rsrc_rva, rsrc_size, nsec_claim=None):
    """A PE32+ image: headers, then each (rva, bytes) section at file offset 0x400*k."""
    lfanew = 0x80
    opt = bytearray(112 + 16 * 8)
    struct.pack_into("<H", opt, 0, 0x20B)
    struct.pack_into("<I", opt, 32, 0x1000)      # SectionAlignment
    struct.pack_into("<I", opt, 36, 0x200)       # FileAlignment
    struct.pack_into("<I", opt, 108, 16)         # NumberOfRvaAndSizes
    struct.pack_into("<II", opt, 112 + 2 * 8, rsrc_rva, rsrc_size)
    nsec = len(sections) if nsec_claim is None else nsec_claim
    coff = struct.pack("<HHIIIHH", 0x8664, nsec, 0, 0, 0, len(opt), 0x22)
    hdr = bytearray(b"MZ" + b"\0" * 58 + struct.pack("<I", lfanew))
    hdr += b"\0" * (lfanew - len(hdr)) + b"PE\0\0" + coff + opt
    body = b""
    offset = 0x400
    table = b""
    for rva, data in sections:
        table += struct.pack("<8sIIIIIIHHI", b".rsrc", len(data), rva, len(data), offset, 0, 0, 0, 0,
                             0x40000040)
        body += data
        offset += len(data)
    hdr += table
    hdr += b"\0" * (0x400 - len(hdr))
    return bytes(hdr) + body


# ExSetup.exe: a root directory of n entries, every one a subdirectory at offset 0
cnt = min(n, 65535)
named, ids = cnt // 2, cnt - cnt // 2
root = struct.pack("<IIHHHH", 0, 0, 4, 0, named, ids)
for i in range(cnt):
    root += struct.pack("<II", (0x80000000 | 0) if i < named else 16, 0x80000000 | 0)
setup = pe([(0x1000, root)], 0x1000, len(root))
os.makedirs(os.path.join(V15, "Bin"), exist_ok=True)
with open(os.path.join(V15, "Bin", "ExSetup.exe"), "wb") as f:
    f.write(setup)

# front-end DLLs: a version block of zero-length children and an endless string
blk = struct.pack("<HHH", 0xFFFF, 52, 0) + "VS_VERSION_INFO\0".encode("utf-16-le")
blk += b"\0" * ((4 - len(blk) % 4) % 4) + struct.pack("<13I", 0xFEEF04BD, 0x10000, 0xF0001, 0x9CB0010,
                                                   0xF0001, 0x9CB0010, 0, 0, 0, 0, 0, 0, 0)
blk += b"\0\0\0\0" * 4096 + "FileVersion".encode("utf-16-le") * 2048
res = bytearray(struct.pack("<IIHHHH", 0, 0, 4, 0, 0, 1) + struct.pack("<II", 16, 0x80000000 | 24))
res += struct.pack("<IIHHHH", 0, 0, 4, 0, 0, 1) + struct.pack("<II", 1, 0x80000000 | 48)
res += struct.pack("<IIHHHH", 0, 0, 4, 0, 0, 1) + struct.pack("<II", 0x409, 72)
res += struct.pack("<IIII", 0x1000 + 88, len(blk), 0, 0)
res += blk
bin_dir = os.path.join(V15, "FrontEnd", "HttpProxy", "bin")
os.makedirs(bin_dir, exist_ok=True)
dll = pe([(0x1000, bytes(res))], 0x1000, len(res), nsec_claim=65535)
for i in range(max(n // 256, 1)):
    with open(os.path.join(bin_dir, "x%d.dll" % i), "wb") as f:
        f.write(dll)

# the logs' build
logs = os.path.join(V15, "Logging", "HttpProxy", "Owa")
os.makedirs(logs, exist_ok=True)
with open(os.path.join(logs, "HttpProxy_2023011010-1.LOG"), "w") as f:
    f.write("#Software: Microsoft Exchange Server\n#Version: 15.01.2507.016\n#Log-type: HttpProxy Logs\n"
            "#Date: 2023-01-10T10:00:00.000Z\n#Fields: DateTime,RequestId,MajorVersion,MinorVersion,"
            "BuildVersion,RevisionVersion,Protocol,UrlStem,ClientIpAddress,HttpStatus\n"
            "2023-01-10T10:00:00.000Z,r1,15,1,2507,16,Owa,/owa/,10.0.0.5,200\n")
