#!/usr/bin/env python3
"""Check, unpack and verify a collection fetched from a scanned host.

    exhunt_unpack.py --format tar|zip --max-bytes N --max-files N --host NAME ARCHIVE HOSTDIR

Runs on the controller. The archive comes from a host that may be compromised,
so nothing in it is trusted: every member is listed first, and the archive is
refused (nothing unpacked) when a member has an absolute path, a '..' or '.'
part, an empty part, a drive letter or any ':' or '\\', a NUL or other control
character, when it is a link (symbolic or hard), a device, a FIFO or any type
but a regular file or a folder, when a name appears twice, when the tar's
members are not all below collect/, or when the members' total size or count
is above --max-bytes / --max-files. Then this same Python writes the files
itself (never following a link, counting the bytes written) into a new folder
that is renamed HOSTDIR/collect at the end, and each file is checked against
the collection's manifest.jsonl (its 'copy' and 'sha256' fields).

Exit 0: unpacked and every file matches the manifest (the archive is removed).
Exit 3: refused; HOSTDIR/COLLECT-REFUSED.txt says why, the archive is kept as
        HOSTDIR/collect-refused.tar.gz (or .zip), not unpacked.
Exit 4: unpacked, but HOSTDIR/COLLECT-MISMATCH.txt lists files that do not
        match the manifest (missing, other hash, not listed).
Other:  an error of this script (the host fails).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib

SHOWN = 20  # problems listed in a record at the most
CHUNK = 1 << 20
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# what exhunt writes at the top of a collection besides the copies
OWN = re.compile(r"^(manifest\.jsonl|manifest\.csv|report(-[0-9]+)?\.jsonl)$")


class Refused(Exception):
    pass


def show(name):
    """A member name as it can be printed safely (JSON string, ASCII only)."""
    return json.dumps(name)


def bad_name(name):
    """Why NAME (a member's path, '/' separators) is unsafe, or None."""
    if not name:
        return "an empty name"
    if CONTROL.search(name):
        return "a control character"
    if "\\" in name:
        return "a backslash"
    if ":" in name:
        return "a drive letter or ':'"
    if name.startswith("/"):
        return "an absolute path"
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    for p in parts:
        if p == "..":
            return "a '..' part"
        if p in ("", "."):
            return "an empty or '.' part"
    return None


def relative(name, strip):
    """NAME below the STRIP folder ('' for the folder itself), or raise."""
    name = name.rstrip("/")
    if not strip:
        return name
    if name == strip:
        return ""
    if not name.startswith(strip + "/"):
        raise Refused("%s: not below %s/" % (show(name), strip))
    return name[len(strip) + 1:]


def members_tar(tf, strip, max_files):
    out = []
    for m in tf:
        if len(out) >= max_files:
            raise Refused("more than %d members (exhunt_collect_max_files)" % max_files)
        why = bad_name(m.name)
        if why:
            raise Refused("%s: %s" % (show(m.name), why))
        if m.issym() or m.islnk():
            raise Refused("%s: a link (to %s)" % (show(m.name), show(m.linkname)))
        if not (m.isreg() or m.isdir()):
            raise Refused("%s: not a regular file or folder (tar type %r)" % (show(m.name), m.type))
        out.append((relative(m.name, strip), m.isdir(), m.size, m.mtime, m))
    return out


def members_zip(zf, strip, max_files):
    infos = zf.infolist()
    if len(infos) > max_files:
        raise Refused("%d members, above %d (exhunt_collect_max_files)" % (len(infos), max_files))
    out = []
    for z in infos:
        why = bad_name(z.filename)
        if why:
            raise Refused("%s: %s" % (show(z.filename), why))
        mode = z.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise Refused("%s: a link or special file (mode %o)" % (show(z.filename), mode))
        isdir = z.is_dir()
        if isdir and z.file_size:
            raise Refused("%s: a folder with data" % show(z.filename))
        if z.flag_bits & 0x1:
            raise Refused("%s: encrypted" % show(z.filename))
        mtime = None
        try:
            mtime = time.mktime(z.date_time + (0, 0, -1))
        except (OverflowError, ValueError):
            pass
        out.append((relative(z.filename, strip), isdir, z.file_size, mtime, z))
    return out


def check_list(members, max_bytes):
    seen = set()
    total = 0
    for rel, isdir, size, _, _ in members:
        if rel in seen:
            raise Refused("%s: named twice" % show(rel))
        seen.add(rel)
        if not isdir:
            total += size
            if total > max_bytes:
                raise Refused("the members unpack to more than %d bytes (exhunt_collect_max_bytes)" % max_bytes)
    files = {rel for rel, isdir, _, _, _ in members if not isdir}
    for rel in seen:  # a file used as a folder
        parts = rel.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in files:
                raise Refused("%s: below a member that is a file" % show(rel))


def write(src, path, budget):
    """Copy the stream SRC to the new file PATH; return the bytes written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    n = 0
    with os.fdopen(fd, "wb") as out:
        while True:
            b = src.read(CHUNK)
            if not b:
                break
            n += len(b)
            if n > budget:
                raise Refused("the members unpack to more bytes than they declare, "
                              "above exhunt_collect_max_bytes")
            out.write(b)
    return n


def unpack(opener, members, dest, max_bytes):
    budget = max_bytes
    for rel, isdir, _, mtime, m in members:
        path = os.path.join(dest, rel) if rel else dest
        if isdir:
            os.makedirs(path, mode=0o755, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
        src = opener(m)
        if src is None:
            raise Refused("%s: cannot be read" % show(rel))
        with src:
            budget -= write(src, path, budget)
        if mtime is not None:
            os.utime(path, (mtime, mtime), follow_symlinks=False)


def sha256(path):
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        for b in iter(lambda: f.read(CHUNK), b""):
            h.update(b)
    return h.hexdigest()


def verify(coll):
    """The problems of the unpacked collection COLL against its manifest."""
    problems = []
    listed = set()
    mpath = os.path.join(coll, "manifest.jsonl")
    if not os.path.isfile(mpath):
        return ["no manifest.jsonl"]
    with open(mpath, "rb") as f:
        for no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                copy, want = rec["copy"], str(rec["sha256"]).lower()
            except (ValueError, KeyError, TypeError):
                problems.append("manifest.jsonl line %d: no copy and sha256" % no)
                continue
            if not isinstance(copy, str) or bad_name(copy) or copy.endswith("/"):
                problems.append("manifest.jsonl line %d: unsafe copy %s" % (no, show(str(copy))))
                continue
            listed.add(copy)
            path = os.path.join(coll, copy)
            try:
                st = os.lstat(path)
            except OSError:
                problems.append("%s: listed in the manifest, missing" % show(copy))
                continue
            if not stat.S_ISREG(st.st_mode):
                problems.append("%s: not a regular file" % show(copy))
            elif sha256(path) != want:
                problems.append("%s: SHA-256 is not the manifest's" % show(copy))
    for root, _, names in os.walk(coll):
        for n in names:
            rel = os.path.relpath(os.path.join(root, n), coll).replace(os.sep, "/")
            if rel not in listed and not OWN.match(rel):
                problems.append("%s: not in the manifest" % show(rel))
    return sorted(problems)


def record(path, host, head, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("host: %s\n%s\n" % (host, head))
        for line in lines[:SHOWN]:
            f.write("  %s\n" % line)
        if len(lines) > SHOWN:
            f.write("  ... and %d more\n" % (len(lines) - SHOWN))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", choices=("tar", "zip"), required=True)
    ap.add_argument("--max-bytes", type=int, required=True)
    ap.add_argument("--max-files", type=int, required=True)
    ap.add_argument("--host", required=True)
    ap.add_argument("archive")
    ap.add_argument("hostdir")
    a = ap.parse_args()
    coll = os.path.join(a.hostdir, "collect")
    if os.path.lexists(coll):
        sys.exit("%s exists already" % coll)
    ext = "tar.gz" if a.format == "tar" else "zip"
    tmp = None
    try:
        size = os.path.getsize(a.archive)
        if size > a.max_bytes:
            raise Refused("the archive is %d bytes, above exhunt_collect_max_bytes (%d)" % (size, a.max_bytes))
        tmp = tempfile.mkdtemp(prefix=".collect-", dir=a.hostdir)
        if a.format == "tar":
            try:
                with tarfile.open(a.archive, "r:gz") as tf:
                    members = members_tar(tf, "collect", a.max_files)
                    check_list(members, a.max_bytes)
                    unpack(tf.extractfile, members, tmp, a.max_bytes)
            except (tarfile.TarError, EOFError, OSError, zlib.error) as e:
                raise Refused("not a readable tar.gz: %s" % e) from e
        else:
            try:
                with zipfile.ZipFile(a.archive) as zf:
                    members = members_zip(zf, "", a.max_files)
                    check_list(members, a.max_bytes)
                    unpack(zf.open, members, tmp, a.max_bytes)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError,
                    NotImplementedError, zlib.error) as e:
                raise Refused("not a readable zip: %s" % e) from e
    except Refused as e:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        kept = os.path.join(a.hostdir, "collect-refused." + ext)
        os.replace(a.archive, kept)
        record(os.path.join(a.hostdir, "COLLECT-REFUSED.txt"), a.host,
               "collection refused, nothing unpacked (the host may be compromised; "
               "the archive is kept, not unpacked, as %s):" % os.path.basename(kept),
               [str(e)])
        print("%s: collection refused: %s" % (a.host, e))
        return 3
    os.rename(tmp, coll)
    os.chmod(coll, 0o755)
    os.remove(a.archive)
    problems = verify(coll)
    if problems:
        record(os.path.join(a.hostdir, "COLLECT-MISMATCH.txt"), a.host,
               "collection unpacked into collect/, but %d file(s) do not match its manifest.jsonl:"
               % len(problems), problems)
        print("%s: %d file(s) of the collection do not match its manifest: %s"
              % (a.host, len(problems), "; ".join(problems[:5])))
        return 4
    print("%s: collection unpacked and checked against its manifest" % a.host)
    return 0


if __name__ == "__main__":
    sys.exit(main())
