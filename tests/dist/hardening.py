#!/usr/bin/env python3
"""hardening.py EXE ELF [LIBEXHUNT.A]: the release binaries' hardening, read from the files.

exhunt.exe (a small PE reader, standard library only): every DLL in the import
table (and the delay-import table) is a KnownDLL, so none can be planted beside
the program; DllCharacteristics has DYNAMIC_BASE, HIGH_ENTROPY_VA and
NX_COMPAT; relocations are kept (.reloc, not RELOCS_STRIPPED) so ASLR can move
it; no link time stamp. CFG (GUARD_CF) is reported, not required (gcc 12 has
no -mguard=cf).

exhunt (readelf from binutils): a PIE (ET_DYN with the PIE flag), no
interpreter and no NEEDED entry (static), GNU_RELRO and BIND_NOW (full RELRO),
a non-executable stack, __stack_chk_fail (stack protector) and __*_chk
functions (_FORTIFY_SOURCE); with LIBEXHUNT.A (build-dist/libexhunt.a), that
exhunt's own objects call them too (the static libraries linked in were
built with both anyway).

Prints "ok - ..." / "not ok - ..." lines; exits 1 when any check fails.
"""
import re
import struct
import subprocess
import sys

# HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\KnownDLLs on Windows 10,
# 11 and Server 2016-2025 (x64), lower-cased; ntdll.dll and kernelbase.dll are
# always mapped from System32 too. bcrypt, crypt32 and winhttp are NOT in it.
KNOWN_DLLS = {
    "advapi32.dll", "clbcatq.dll", "combase.dll", "comdlg32.dll", "coml2.dll",
    "difxapi.dll", "gdi32.dll", "gdiplus.dll", "imagehlp.dll", "imm32.dll",
    "kernel32.dll", "msctf.dll", "msvcrt.dll", "normaliz.dll", "nsi.dll",
    "ole32.dll", "oleaut32.dll", "psapi.dll", "rpcrt4.dll", "sechost.dll",
    "setupapi.dll", "shcore.dll", "shell32.dll", "shlwapi.dll", "user32.dll",
    "wldap32.dll", "ws2_32.dll", "ntdll.dll", "kernelbase.dll",
}

results = []


def check(cond, what):
    results.append(bool(cond))
    print(("ok - " if cond else "not ok - ") + what)


class PE:
    def __init__(self, data):
        self.d = data
        if data[:2] != b"MZ":
            raise ValueError("no MZ header")
        off = struct.unpack_from("<I", data, 0x3C)[0]
        if data[off:off + 4] != b"PE\0\0":
            raise ValueError("no PE signature")
        (self.machine, nsec, self.timestamp, _, _, optsize,
         self.chars) = struct.unpack_from("<HHIIIHH", data, off + 4)
        opt = off + 24
        magic = struct.unpack_from("<H", data, opt)[0]
        if magic != 0x20B:
            raise ValueError("not PE32+ (magic %#x)" % magic)
        self.dllchars = struct.unpack_from("<H", data, opt + 70)[0]
        ndirs = struct.unpack_from("<I", data, opt + 108)[0]
        self.dirs = [struct.unpack_from("<II", data, opt + 112 + 8 * i) for i in range(ndirs)]
        self.sections = []
        s = opt + optsize
        for i in range(nsec):
            name, vsize, va, rsize, rptr = struct.unpack_from("<8sIIII", data, s + 40 * i)
            self.sections.append((name.rstrip(b"\0").decode("latin-1"), va, max(vsize, rsize), rptr))

    def off(self, rva):
        for _, va, size, ptr in self.sections:
            if va <= rva < va + size:
                return rva - va + ptr
        raise ValueError("RVA %#x in no section" % rva)

    def cstr(self, rva):
        o = self.off(rva)
        return self.d[o:self.d.index(b"\0", o)].decode("latin-1")

    def dir(self, i):
        return self.dirs[i] if i < len(self.dirs) else (0, 0)

    def imports(self):
        rva, size = self.dir(1)
        names = []
        if rva:
            o = self.off(rva)
            while True:
                ilt, _, _, name, iat = struct.unpack_from("<IIIII", self.d, o)
                if not (ilt or name or iat):
                    break
                names.append(self.cstr(name))
                o += 20
        return names

    def delay_imports(self):
        rva, size = self.dir(13)
        names = []
        if rva:
            o = self.off(rva)
            while True:
                f = struct.unpack_from("<8I", self.d, o)
                if not any(f):
                    break
                names.append(self.cstr(f[1]))
                o += 32
        return names


def check_pe(path):
    pe = PE(open(path, "rb").read())
    check(pe.machine == 0x8664, "%s: x86-64 (machine %#x)" % (path, pe.machine))
    dlls = pe.imports()
    bad = [d for d in dlls if d.lower() not in KNOWN_DLLS]
    check(dlls and not bad, "%s imports only KnownDLLs (%s)%s" % (
        path, ", ".join(dlls), "; not KnownDLLs: " + ", ".join(bad) if bad else ""))
    delay = pe.delay_imports()
    bad = [d for d in delay if d.lower() not in KNOWN_DLLS]
    check(not bad, "%s: no delay-loaded DLL outside the KnownDLLs (%s)" % (path, ", ".join(delay) or "none"))
    for flag, name in ((0x40, "DYNAMIC_BASE"), (0x20, "HIGH_ENTROPY_VA"), (0x100, "NX_COMPAT")):
        check(pe.dllchars & flag, "%s: %s (DllCharacteristics %#06x)" % (path, name, pe.dllchars))
    relocs = [s for s in pe.sections if s[0] == ".reloc"]
    check(relocs and pe.dir(5)[1] > 0 and not pe.chars & 1,
          "%s: relocations kept for ASLR (.reloc, %d bytes)" % (path, pe.dir(5)[1]))
    check(pe.timestamp == 0, "%s: no link time stamp (TimeDateStamp %#x)" % (path, pe.timestamp))
    print("# %s: Control Flow Guard %s" % (path, "on" if pe.dllchars & 0x4000 else
                                           "off (gcc 12 mingw-w64 has no -mguard=cf)"))


def readelf(opt, path):
    return subprocess.run(["readelf", "-W", opt, path], capture_output=True, text=True, check=True).stdout


def check_elf(path):
    h = readelf("-h", path)
    check(re.search(r"Type:\s+DYN", h), "%s: ELF type DYN (position-independent)" % path)
    seg = readelf("-l", path)
    check("GNU_RELRO" in seg, "%s: GNU_RELRO segment" % path)
    check("INTERP" not in seg, "%s: no program interpreter (static)" % path)
    stack = re.search(r"GNU_STACK(.*)", seg)
    check(stack and "E" not in stack.group(1).split()[-2], "%s: non-executable stack" % path)
    dyn = readelf("-d", path)
    check("(NEEDED)" not in dyn, "%s: no NEEDED entries (no shared library needed)" % path)
    check(re.search(r"\(FLAGS\)\s+.*BIND_NOW", dyn) or re.search(r"\(FLAGS_1\)\s+.*\bNOW\b", dyn),
          "%s: BIND_NOW (full RELRO)" % path)
    check(re.search(r"\(FLAGS_1\)\s+.*\bPIE\b", dyn), "%s: PIE flag" % path)
    syms = set(re.findall(r"\s(__\w+)(?:@\S*)?$", readelf("-s", path), re.M))
    protector_and_fortify(path, syms)


def protector_and_fortify(path, syms):
    check("__stack_chk_fail" in syms, "%s: stack protector (__stack_chk_fail)" % path)
    fort = sorted(s for s in syms if re.fullmatch(r"__\w+_chk", s) and not s.startswith("__stack_chk"))
    check(fort, "%s: _FORTIFY_SOURCE (%d __*_chk functions, e.g. %s)" % (path, len(fort), ", ".join(fort[:3])))


def check_archive(path):
    """exhunt's own objects (not only the libraries linked in) call them"""
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    protector_and_fortify(path, set(re.findall(r"^\s+U (__\w+)$", out, re.M)))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: hardening.py EXE ELF [LIBEXHUNT.A]")
    todo = [(check_pe, sys.argv[1]), (check_elf, sys.argv[2])]
    if len(sys.argv) == 4:
        todo.append((check_archive, sys.argv[3]))
    for fn, path in todo:
        try:
            fn(path)
        except (OSError, ValueError, struct.error, subprocess.CalledProcessError) as e:
            check(False, "%s: cannot be read: %s" % (path, e))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
