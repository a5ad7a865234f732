#!/usr/bin/env python3
"""make_pe.py: the PE fixtures for the version-resource reader (src/read/pe.c).

Writes minimal valid PE images with a VS_VERSIONINFO resource, built from the
documented formats (Microsoft PE/COFF specification: MS-DOS header, PE
signature, COFF file header, optional header PE32/PE32+, data directories,
section table, resource directory tables and data entries; the Windows
version API: VS_VERSIONINFO, VS_FIXEDFILEINFO, StringFileInfo, StringTable,
String, VarFileInfo):

  tests/fixtures/pe/pe32.exe     PE32 (i386), ExSetup.exe 15.1.2507.16
  tests/fixtures/pe/pe64.dll     PE32+ (x64), an HttpProxy DLL 15.2.1118.40,
                                 .rsrc not the first section, an RT_MANIFEST
                                 before RT_VERSION, two languages
  tests/fixtures/pe/edge.exe     PE32: a String without a value, a second
                                 StringTable, a ProductName cut inside a
                                 character, non-ASCII text
  tests/fixtures/pe/mingw.exe    built by x86_64-w64-mingw32-windres and -gcc
                                 from a VERSIONINFO 15,1,2507,16 script (only
                                 when both tools are installed; otherwise the
                                 committed copy is kept)

and the seeds of the fuzz target (fuzz/corpus/pe/): the fixtures and a few
damaged copies (a directory loop, a giant entry count, a truncated version
block, a zero wLength, a cut file).

Run from the repository root: python3 tests/gen/make_pe.py
The output is deterministic (no time stamps).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

OUT = "tests/fixtures/pe"
CORPUS = "fuzz/corpus/pe"

RT_VERSION = 16
RT_MANIFEST = 24


def align(n, a):
    return (n + a - 1) // a * a


def pad4(b):
    return b + b"\0" * (align(len(b), 4) - len(b))


def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"


# ---- VS_VERSIONINFO ----

def block(key, value=b"", vtype=0, vlen=None, children=()):
    """WORD wLength, wValueLength, wType; WCHAR szKey[]; padding; Value;
    padding; Children (each starting on a 32-bit boundary). wLength counts
    the block up to the end of its last child, without trailing padding."""
    if vlen is None:
        vlen = len(value)
    body = b"\0\0" + struct.pack("<HH", vlen, vtype) + utf16z(key)
    if value or children:  # no padding after the key of an empty block
        body = pad4(body) + value
    for c in children:
        body = pad4(body) + c
    return struct.pack("<H", len(body)) + body[2:]


def string(key, text):
    if text is None:  # a String without a value (wValueLength 0)
        return block(key, vtype=1, vlen=0)
    v = utf16z(text)
    return block(key, v, vtype=1, vlen=len(v) // 2)


def fixed_info(file_ver, prod_ver):
    """VS_FIXEDFILEINFO: signature, struct version, file and product
    versions, flags mask and flags, VOS_NT_WINDOWS32, VFT_APP, no date."""
    fms = file_ver[0] << 16 | file_ver[1]
    fls = file_ver[2] << 16 | file_ver[3]
    pms = prod_ver[0] << 16 | prod_ver[1]
    pls = prod_ver[2] << 16 | prod_ver[3]
    return struct.pack("<13I", 0xFEEF04BD, 0x00010000, fms, fls, pms, pls,
                       0x3F, 0, 0x00040004, 1, 0, 0, 0)


def version_info(file_ver, prod_ver, strings, langs=((0x0409, 1200),)):
    fixed = fixed_info(file_ver, prod_ver)
    tables = [block("%04x%04x" % (lang, cp), vtype=1,
                    children=[string(k, v) for k, v in strings])
              for lang, cp in langs]
    sfi = block("StringFileInfo", vtype=1, children=tables)
    trans = b"".join(struct.pack("<HH", lang, cp) for lang, cp in langs)
    vfi = block("VarFileInfo", vtype=1,
                children=[block("Translation", trans, vtype=0)])
    return block("VS_VERSION_INFO", fixed, vtype=0, children=[sfi, vfi])


# ---- the resource section ----

def resource_section(rva, entries):
    """entries: [(type id, name id, lang id, bytes)], sorted by ids as the
    specification asks. Returns the section's bytes: three levels of
    directories, then the data entries, then the data (4-aligned)."""
    types = {}
    for t, nm, lang, data in entries:
        types.setdefault(t, {}).setdefault(nm, []).append((lang, data))

    def dir_size(k):
        return 16 + 8 * k

    # place the directories: root, then each type's name directory, then
    # each name's language directory
    off = dir_size(len(types))
    name_dirs, lang_dirs, leaves = {}, {}, []
    for t in sorted(types):
        name_dirs[t] = off
        off += dir_size(len(types[t]))
    for t in sorted(types):
        for nm in sorted(types[t]):
            lang_dirs[(t, nm)] = off
            off += dir_size(len(types[t][nm]))
    data_entries = off
    for t in sorted(types):
        for nm in sorted(types[t]):
            for lang, data in sorted(types[t][nm]):
                leaves.append((t, nm, lang, data))
    off += 16 * len(leaves)

    def directory(ids_to):
        b = struct.pack("<IIHHHH", 0, 0, 0, 0, 0, len(ids_to))
        for i, to in ids_to:
            b += struct.pack("<II", i, to)
        return b

    sec = directory([(t, 0x80000000 | name_dirs[t]) for t in sorted(types)])
    for t in sorted(types):
        sec += directory([(nm, 0x80000000 | lang_dirs[(t, nm)])
                          for nm in sorted(types[t])])
    leaf_index = 0
    for t in sorted(types):
        for nm in sorted(types[t]):
            ids = []
            for lang, _ in sorted(types[t][nm]):
                ids.append((lang, data_entries + 16 * leaf_index))
                leaf_index += 1
            sec += directory(ids)
    assert len(sec) == data_entries
    data_off = align(off, 8)
    blobs = b""
    des = b""
    for t, nm, lang, data in leaves:
        at = data_off + len(blobs)
        # the entry's Size holds the block's trailing padding, as with rc.exe
        # (wLength does not; windres -i insists on it)
        data = pad4(data)
        des += struct.pack("<IIII", rva + at, len(data), 0, 0)
        blobs += data
        blobs = blobs + b"\0" * (align(len(blobs), 8) - len(blobs))
    sec += des
    sec += b"\0" * (data_off - len(sec))
    return sec + blobs


# ---- the image ----

def pe_image(plus, sections, res_index):
    """sections: [(name, rva, bytes, characteristics)] in table order;
    res_index: which one holds the resource directory (at its start)."""
    file_align, sect_align = 0x200, 0x1000
    nsec = len(sections)
    opt_size = (112 if plus else 96) + 16 * 8
    lfanew = 0x80
    headers = align(lfanew + 4 + 20 + opt_size + 40 * nsec, file_align)

    raw = []
    ptr = headers
    for name, rva, data, ch in sections:
        size = align(len(data), file_align)
        raw.append((ptr, size))
        ptr += size
    image_size = max(align(rva + len(d), sect_align) for _, rva, d, _ in sections)

    dos = bytearray(lfanew)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, lfanew)
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    dos[0x4E:0x4E + len(stub)] = stub

    machine = 0x8664 if plus else 0x014C
    chars = 0x2022 if plus else 0x0102  # plus: a DLL
    coff = struct.pack("<HHIIIHH", machine, nsec, 0, 0, 0, opt_size, chars)

    text_rva = sections[0][1]
    res_name, res_rva, res_data, _ = sections[res_index]
    if plus:
        opt = struct.pack("<HBBIIIII", 0x20B, 14, 0, 0x200, 0, 0, text_rva, text_rva)
        opt += struct.pack("<QII", 0x140000000, sect_align, file_align)
    else:
        opt = struct.pack("<HBBIIIIII", 0x10B, 14, 0, 0x200, 0, 0, text_rva, text_rva, 0)
        opt += struct.pack("<III", 0x400000, sect_align, file_align)
    opt += struct.pack("<HHHHHHI", 6, 0, 0, 0, 6, 0, 0)
    opt += struct.pack("<IIIHH", image_size, headers, 0, 3, 0x8160)
    if plus:
        opt += struct.pack("<QQQQ", 0x100000, 0x1000, 0x100000, 0x1000)
    else:
        opt += struct.pack("<IIII", 0x100000, 0x1000, 0x100000, 0x1000)
    opt += struct.pack("<II", 0, 16)
    dirs = [(0, 0)] * 16
    dirs[2] = (res_rva, len(res_data))
    for rva, size in dirs:
        opt += struct.pack("<II", rva, size)
    assert len(opt) == opt_size

    table = b""
    for (name, rva, data, ch), (p, size) in zip(sections, raw):
        table += struct.pack("<8sIIIIIIHHI", name, len(data), rva, size, p, 0, 0, 0, 0, ch)

    img = bytes(dos) + b"PE\0\0" + coff + opt + table
    img += b"\0" * (headers - len(img))
    for (name, rva, data, ch), (p, size) in zip(sections, raw):
        assert len(img) == p
        img += data + b"\0" * (size - len(data))
    return img


CODE = 0x60000020
RDATA = 0x40000040


def pe32():
    ver = version_info((15, 1, 2507, 16), (15, 1, 2507, 16), [
        ("CompanyName", "Microsoft Corporation"),
        ("FileDescription", "Exchange Setup"),
        ("FileVersion", "15.01.2507.016"),
        ("InternalName", "ExSetup"),
        ("OriginalFilename", "ExSetup.exe"),
        ("ProductName", "Microsoft\u00ae Exchange"),
        ("ProductVersion", "15.01.2507.016"),
    ])
    rsrc = resource_section(0x2000, [(RT_VERSION, 1, 0x0409, ver)])
    text = b"\x31\xc0\xc3"  # xor eax, eax; ret
    return pe_image(False, [(b".text", 0x1000, text, CODE),
                            (b".rsrc", 0x2000, rsrc, RDATA)], 1)


def pe64():
    ver = version_info((15, 2, 1118, 40), (15, 2, 1118, 40), [
        ("FileVersion", "15.02.1118.040"),
        ("OriginalFilename", "Microsoft.Exchange.HttpProxy.Common.dll"),
        ("ProductName", "Microsoft\u00ae Exchange"),
    ], langs=((0x0000, 1200), (0x0409, 1200)))
    manifest = b'<?xml version="1.0" encoding="UTF-8"?><assembly/>\n'
    rsrc = resource_section(0x3000, [
        (RT_VERSION, 1, 0x0000, ver),
        (RT_VERSION, 1, 0x0409, ver),
        (RT_MANIFEST, 2, 0x0409, manifest),
    ])
    text = b"\x31\xc0\xc3"
    rdata = b"exhunt pe fixture\0"
    # the resource section comes first in the table but last in memory
    return pe_image(True, [(b".rsrc", 0x3000, rsrc, RDATA),
                           (b".text", 0x1000, text, CODE),
                           (b".rdata", 0x2000, rdata, RDATA)], 0)


def edge():
    """Corner cases the reader must get right: a FileVersion without a value
    (its key ends 2 bytes short of a 32-bit boundary, at the block's end)
    before one with a value, in a second StringTable; a ProductName longer
    than its field whose cut falls inside a 3-byte character; non-ASCII in
    OriginalFilename; no VarFileInfo."""
    t1 = block("040904b0", vtype=1, children=[
        string("FileVersion", None),
        string("ProductName", "A" * 94 + "\u20ac" + "B" * 20),
        string("OriginalFilename", "\u00c9xSetup.exe")])
    t2 = block("000004b0", vtype=1, children=[string("FileVersion", "15.01.2507.016")])
    sfi = block("StringFileInfo", vtype=1, children=[t1, t2])
    ver = block("VS_VERSION_INFO", fixed_info((15, 1, 2507, 16), (15, 1, 2507, 16)),
                vtype=0, children=[sfi])
    rsrc = resource_section(0x2000, [(RT_VERSION, 1, 0x0409, ver)])
    return pe_image(False, [(b".text", 0x1000, b"\x31\xc0\xc3", CODE),
                            (b".rsrc", 0x2000, rsrc, RDATA)], 1)


RC = r'''1 VERSIONINFO
FILEVERSION 15,1,2507,16
PRODUCTVERSION 15,1,2507,16
FILEFLAGSMASK 0x3fL
FILEFLAGS 0x0L
FILEOS 0x40004L
FILETYPE 0x1L
FILESUBTYPE 0x0L
BEGIN
    BLOCK "StringFileInfo"
    BEGIN
        BLOCK "040904b0"
        BEGIN
            VALUE "CompanyName", "Microsoft Corporation"
            VALUE "FileDescription", "Exchange Setup"
            VALUE "FileVersion", "15.01.2507.016"
            VALUE "InternalName", "ExSetup"
            VALUE "OriginalFilename", "ExSetup.exe"
            VALUE "ProductName", "Microsoft Exchange"
            VALUE "ProductVersion", "15.01.2507.016"
        END
    END
    BLOCK "VarFileInfo"
    BEGIN
        VALUE "Translation", 0x409, 1200
    END
END
'''

C_SRC = "int entry(void) { return 0; }\n"


def mingw():
    """The same version built by the real toolchain, or None."""
    windres = shutil.which("x86_64-w64-mingw32-windres")
    gcc = shutil.which("x86_64-w64-mingw32-gcc")
    if not windres or not gcc:
        return None
    with tempfile.TemporaryDirectory() as d:
        rc, o, c, exe = (os.path.join(d, x) for x in ("v.rc", "v.o", "e.c", "e.exe"))
        with open(rc, "w") as f:
            f.write(RC)
        with open(c, "w") as f:
            f.write(C_SRC)
        subprocess.run([windres, rc, "-O", "coff", "-o", o], check=True)
        subprocess.run([gcc, "-Os", "-s", "-nostdlib", "-Wl,--entry=entry",
                        "-Wl,--no-insert-timestamp", "-o", exe, c, o], check=True)
        with open(exe, "rb") as f:
            return f.read()


# ---- damaged copies for the fuzz seeds ----

def rd16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def rd32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def rsrc_offset(b):
    """The file offset of the resource directory of a fixture built here."""
    pe = rd32(b, 0x3C)
    opt = pe + 24
    plus = rd16(b, opt) == 0x20B
    res_rva = rd32(b, opt + (112 if plus else 96) + 16)
    sec = opt + rd16(b, pe + 20)
    for i in range(rd16(b, pe + 6)):
        h = sec + 40 * i
        va, raw, ptr = rd32(b, h + 12), rd32(b, h + 16), rd32(b, h + 20)
        if va <= res_rva < va + raw:
            return ptr + res_rva - va
    raise ValueError("no resource section")


def version_offset(b):
    r = rsrc_offset(b)
    # root -> first entry -> name dir -> first -> lang dir -> first -> data entry
    at = 0
    for _ in range(3):
        at = rd32(b, r + at + 16 + 4) & 0x7FFFFFFF
    return r + (rd32(b, r + at) - 0x2000)  # pe32: .rsrc at RVA 0x2000


def damaged(b):
    r = rsrc_offset(b)
    out = {}
    loop = bytearray(b)  # the name directory points back at the root
    name_dir = rd32(b, r + 20) & 0x7FFFFFFF
    struct.pack_into("<I", loop, r + name_dir + 16 + 4, 0x80000000)
    out["loop-to-root"] = loop
    giant = bytearray(b)  # 65535 + 65535 entries in a small section
    struct.pack_into("<HH", giant, r + 12, 0xFFFF, 0xFFFF)
    out["giant-count"] = giant
    v = version_offset(b)
    short = bytearray(b)  # wLength smaller than the header
    struct.pack_into("<H", short, v, 4)
    out["wlength-4"] = short
    zero = bytearray(b)  # the StringFileInfo's wLength is 0
    struct.pack_into("<H", zero, v + 92, 0)
    out["child-wlength-0"] = zero
    out["cut-in-version"] = bytes(b[:v + 40])
    return out


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    print("%s: %d bytes" % (path, len(data)))


def main():
    if not os.path.isdir("tests/gen"):
        sys.exit("make_pe.py: run from the repository root")
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(CORPUS, exist_ok=True)
    a, b = pe32(), pe64()
    write(os.path.join(OUT, "pe32.exe"), a)
    write(os.path.join(OUT, "pe64.dll"), b)
    write(os.path.join(OUT, "edge.exe"), edge())
    m = mingw()
    if m is not None:
        write(os.path.join(OUT, "mingw.exe"), m)
    elif os.path.exists(os.path.join(OUT, "mingw.exe")):
        print("make_pe.py: no mingw-w64; kept the committed mingw.exe")
    write(os.path.join(CORPUS, "pe32.exe"), a)
    write(os.path.join(CORPUS, "pe64.dll"), b)
    write(os.path.join(CORPUS, "edge.exe"), edge())
    if m is not None:
        write(os.path.join(CORPUS, "mingw.exe"), m)
    for name, data in damaged(a).items():
        write(os.path.join(CORPUS, "pe32-" + name), data)


if __name__ == "__main__":
    main()
