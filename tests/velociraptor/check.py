#!/usr/bin/env python3
"""check.py EXHUNT: the Velociraptor artifacts in contrib/velociraptor, checked
without Velociraptor (there is no Velociraptor server here).

1. Structure: each YAML loads and has what Velociraptor requires of an
   artifact: name, type (CLIENT for Exchange.Detection.Exhunt, SERVER for the
   merge companion), description, tools (name; url or serve_locally; the
   client's expected_hash), parameters (name, type, a default that fits the
   type and validating_regex), sources with a query, and the Windows
   precondition of the client artifact.
2. VQL sanity: brackets and quotes balance (strings, backtick names and
   comments skipped), every parameter is used, every
   Generic.Utils.FetchBinary(ToolName=...) names a declared tool and every
   tool is fetched.
3. The hash: after `make dist` (dist/exhunt.exe and the stamped
   dist/Exchange.Detection.Exhunt.yaml exist), the stamped expected_hash is
   the SHA-256 of dist/exhunt.exe and of its dist/SHA256SUMS line, and the
   copy differs from the template only there; without dist/ the template must
   hold the placeholder @EXHUNT_EXE_SHA256@ (the rest is skipped, said so).
4. The command line: the argv the client artifact builds (`LET ExhuntArgs`)
   is rebuilt from the YAML with the parameters filled in, and run with two
   substitutions: exhunt.exe becomes the Linux build EXHUNT, and live mode
   (no PATH, which only exists on Windows) becomes the example tree
   examples/compromised appended as PATH. The JSON Lines it writes is read the
   way the VQL reads it (parse_jsonl, rows of type finding / summary, the
   dotted column paths), so every column must exist in the output; the files
   the Uploads source would upload (its glob and exclusion regex) must hold
   the results, the manifest and every copy, and not the duplicate report.
   When exhunt.exe (EXHUNT_EXE, else ./exhunt.exe from `make windows`) and
   wine64 are there, the same argv with Windows paths (Z:\\...) is run by
   exhunt.exe too and must give the Linux build's findings; else a skip note.
5. The merge: the uploaded results of three clients (two host names, one
   host twice) plus a bad file go through the argv the server artifact
   builds (`LET MergeArgs`), and each of its sources' columns must exist in
   the fleet report.
"""
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

BIN = os.path.abspath(sys.argv[1])
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONTRIB = os.path.join(TOP, "contrib", "velociraptor")
CLIENT = os.path.join(CONTRIB, "Exchange.Detection.Exhunt.yaml")
SERVER = os.path.join(CONTRIB, "Server.Exchange.ExhuntMerge.yaml")
PLACEHOLDER = "@EXHUNT_EXE_SHA256@"
EXAMPLE = os.path.join(TOP, "examples", "compromised")

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("not ok - " + what)
    return cond


def note(msg):
    print("velociraptor: " + msg)


# ---------------------------------------------------------------- VQL text


def scan_vql(text):
    """Return (code, strings, error): the VQL with strings, backtick names and
    comments blanked out, the string literals, and the first lexical error."""
    code = []
    strings = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("'''", i):
            j = text.find("'''", i + 3)
            if j < 0:
                return "".join(code), strings, "unclosed ''' string"
            strings.append(text[i + 3:j])
            code.append(" S ")
            i = j + 3
        elif c in "\"'":
            j = i + 1
            buf = []
            while j < n and text[j] != c:
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j:j + 2])
                    j += 2
                    continue
                if text[j] == "\n":
                    return "".join(code), strings, "string broken by a line end at %r" % text[i:i + 30]
                buf.append(text[j])
                j += 1
            if j >= n:
                return "".join(code), strings, "unclosed %s string" % c
            strings.append("".join(buf))
            code.append(" S ")
            i = j + 1
        elif c == "`":
            j = text.find("`", i + 1)
            if j < 0:
                return "".join(code), strings, "unclosed backtick name"
            code.append(" N ")
            i = j + 1
        elif text.startswith("--", i) or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return "".join(code), strings, "unclosed /* comment"
            i = j + 2
        else:
            code.append(c)
            i += 1
    return "".join(code), strings, None


def balanced(code):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for c in code:
        if c in "([{":
            stack.append(c)
        elif c in ")]}":
            if not stack or stack.pop() != pairs[c]:
                return False
    return not stack


def all_vql(art):
    parts = [art.get("precondition") or "", art.get("export") or ""]
    for s in art.get("sources") or []:
        parts.append(s.get("precondition") or "")
        parts.append(s.get("query") or "")
    return "\n".join(p for p in parts if p)


# ------------------------------------------------ the argv, rebuilt from VQL


TOKEN = re.compile(r"\s*(?:(?P<str>'''.*?'''|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')"
                   r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*(?:\.[A-Za-z_][A-Za-z_0-9]*|\[[0-9]+\])*)"
                   r"|(?P<num>[0-9]+)|(?P<op>[\[\]\(\),=+]))", re.S)


def tokenize(s):
    out = []
    pos = 0
    s = s.rstrip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise ValueError("cannot read VQL at %r" % s[pos:pos + 30])
        pos = m.end()
        if m.group("str") is not None:
            t = m.group("str")
            v = t[3:-3] if t.startswith("'''") else json.loads('"' + t[1:-1].replace('"', '\\"') + '"') if t[0] == "'" else json.loads(t)
            out.append(("str", v))
        elif m.group("name") is not None:
            out.append(("name", m.group("name")))
        elif m.group("num") is not None:
            out.append(("num", int(m.group("num"))))
        else:
            out.append(("op", m.group("op")))
    return out


def truthy(v):
    return bool(v)


def to_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class Eval:
    """Evaluates the small part of VQL the argv LETs use: string and number
    literals, [a, b] and (a, b) lists, +, names (parameters and LET values),
    and the functions str(), if() and commandline_split()."""

    def __init__(self, tokens, env):
        self.t = tokens
        self.i = 0
        self.env = env

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else ("end", None)

    def take(self, kind=None, val=None):
        tok = self.peek()
        if kind and tok[0] != kind or val is not None and tok[1] != val:
            raise ValueError("expected %s %s, got %r" % (kind, val, tok))
        self.i += 1
        return tok

    def expr(self):
        v = self.term()
        while self.peek() == ("op", "+"):
            self.take()
            w = self.term()
            if isinstance(v, list):
                v = v + (w if isinstance(w, list) else [w])
            else:
                v = to_str(v) + to_str(w)
        return v

    def seq(self, close):
        items = []
        while self.peek() != ("op", close):
            items.append(self.expr())
            if self.peek() == ("op", ","):
                self.take()
        self.take("op", close)
        return items

    def term(self):
        kind, val = self.take()
        if kind in ("str", "num"):
            return val
        if (kind, val) == ("op", "["):
            return self.seq("]")
        if (kind, val) == ("op", "("):
            return self.seq(")")
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = {}
                while self.peek() != ("op", ")"):
                    k = self.take("name")[1]
                    self.take("op", "=")
                    args[k] = self.expr()
                    if self.peek() == ("op", ","):
                        self.take()
                self.take("op", ")")
                return self.call(val, args)
            if val not in self.env:
                raise ValueError("unknown name %s" % val)
            return self.env[val]
        raise ValueError("unexpected %r" % ((kind, val),))

    def call(self, fn, a):
        if fn == "str":
            return to_str(a["str"])
        if fn == "if":
            return a.get("then") if truthy(a["condition"]) else a.get("else")
        if fn == "commandline_split":
            return shlex.split(a["command"])
        raise ValueError("function %s() is not one the argv may use" % fn)


def let_text(query, name):
    m = re.search(r"^\s*LET " + name + r" <=(.*?)(?=\n\s*\n|\Z)", query, re.S | re.M)
    return m.group(1) if m else None


def build_argv(query, name, env):
    text = let_text(query, name)
    if text is None:
        raise ValueError("no LET %s <= in the query" % name)
    code, _, err = scan_vql(text)
    if err:
        raise ValueError(err)
    # comments out, strings kept: tokenize the original minus -- comments
    text = "\n".join(re.sub(r"^\s*--.*$", "", l) for l in text.splitlines())
    e = Eval(tokenize(text), env)
    v = e.expr()
    if e.peek()[0] != "end":
        raise ValueError("left over VQL after %s: %r" % (name, e.t[e.i:]))
    return v


def select_columns(query):
    """The final SELECT's `path AS Name` columns and its WHERE type = "..."."""
    last = query[query.rfind("SELECT "):]
    cols = re.findall(r"^\s*(?:SELECT\s+)?([`@\w.\[\]]+)\s+AS\s+(\w+),?\s*$", last, re.M)
    types = re.findall(r"type\s*=\s*[\"']([a-z]+)[\"']", last)
    return cols, types


def path_get(rec, path):
    cur = rec
    for part in path.replace("`", "").split("."):
        if not isinstance(cur, dict) or part not in cur:
            return False, None
        cur = cur[part]
    return True, cur


def check_columns(src_name, query, records, let_names):
    cols, types = select_columns(query)
    check(cols, "%s: the final SELECT has `path AS Column` columns" % src_name)
    check(types, "%s: the final SELECT picks records by type" % src_name)
    rows = [r for r in records if r.get("type") in types]
    check(rows, "%s: the output has %s records" % (src_name, "/".join(types)))
    for path, col in cols:
        if path.split("[")[0].split(".")[0] in let_names:
            continue
        found = any(path_get(r, path)[0] for r in rows)
        check(found, "%s: column %s (%s) is in the output's %s records" % (src_name, col, path, "/".join(types)))
    return rows


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out


def param_env(art, overrides):
    env = {}
    for p in art.get("parameters") or []:
        t = p.get("type", "string")
        d = p.get("default", "")
        if t == "bool":
            env[p["name"]] = str(d) in ("Y", "True", "true", "1")
        elif t == "int":
            env[p["name"]] = int(d)
        else:
            env[p["name"]] = "" if d is None else str(d)
    env.update(overrides)
    return env


# ------------------------------------------------------------- structure


def check_structure(path, kind):
    base = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            art = yaml.safe_load(f)
    except Exception as e:  # noqa: BLE001
        check(False, "%s loads as YAML: %s" % (base, e))
        return None
    check(isinstance(art, dict), "%s is a mapping" % base)
    if not isinstance(art, dict):
        return None
    known = {"name", "aliases", "description", "author", "reference", "references",
             "required_permissions", "implied_permissions", "impersonate", "resources",
             "tools", "precondition", "parameters", "type", "sources", "imports",
             "export", "reports", "column_types"}
    check(not set(art) - known, "%s: only keys Velociraptor knows (%s)" % (base, sorted(set(art) - known)))
    check(art.get("name") == base[:-5], "%s: name is the file name" % base)
    check(re.fullmatch(r"[A-Za-z0-9]+(\.[A-Za-z0-9]+)+", art.get("name", "")), "%s: dotted name" % base)
    check(art.get("type") == kind, "%s: type %s" % (base, kind))
    check(isinstance(art.get("description"), str) and len(art["description"]) > 200, "%s: a description" % base)
    tools = art.get("tools") or []
    check(tools, "%s: declares its tools" % base)
    for t in tools:
        check(isinstance(t.get("name"), str) and re.fullmatch(r"\w+", t["name"]), "%s: tool has a name" % base)
        check(t.get("url") or t.get("serve_locally") is True, "%s: tool %s has url or serve_locally" % (base, t.get("name")))
        if kind == "CLIENT":
            h = str(t.get("expected_hash", ""))
            check(h == PLACEHOLDER or re.fullmatch(r"[0-9a-f]{64}", h), "%s: tool %s expected_hash is the placeholder or a SHA-256" % (base, t.get("name")))
    res = art.get("resources") or {}
    check(isinstance(res.get("timeout"), int) and res["timeout"] >= 600, "%s: resources.timeout of 10 minutes or more" % base)
    for k in res:
        check(k in ("timeout", "ops_per_second", "cpu_limit", "iops_limit", "max_rows", "max_upload_bytes"), "%s: resources.%s is known" % (base, k))
    if "cpu_limit" in res:
        check(0 < res["cpu_limit"] <= 100, "%s: cpu_limit is a percentage" % base)
    names = []
    for p in art.get("parameters") or []:
        n = p.get("name")
        names.append(n)
        check(isinstance(n, str) and re.fullmatch(r"[A-Za-z]\w*", n), "%s: parameter name %r" % (base, n))
        check(p.get("description"), "%s: parameter %s has a description" % (base, n))
        t = p.get("type", "string")
        check(t in ("string", "bool", "int", "int64", "timestamp", "choices", "csv", "hidden", "upload", "regex", "yara"), "%s: parameter %s type %s" % (base, n, t))
        d = p.get("default")
        if t == "bool":
            check(d in ("Y", "N"), "%s: bool parameter %s defaults to Y or N" % (base, n))
        elif t == "int":
            check(isinstance(d, int) and d >= 0, "%s: int parameter %s has a number default" % (base, n))
        else:
            check(isinstance(d, str), "%s: parameter %s has a string default" % (base, n))
        if p.get("validating_regex"):
            check(re.search(p["validating_regex"], str(d)), "%s: %s's default passes its validating_regex" % (base, n))
    check(len(set(names)) == len(names), "%s: parameter names are unique" % base)
    sources = art.get("sources") or []
    check(sources, "%s: has sources" % base)
    snames = [s.get("name") for s in sources]
    check(all(snames) and len(set(snames)) == len(snames), "%s: sources are named, each once" % base)
    for s in sources:
        q = s.get("query")
        check(isinstance(q, str) and "SELECT" in q, "%s: source %s has a VQL query" % (base, s.get("name")))
        check(not s.get("precondition"), "%s: source %s has no precondition of its own (serial mode: the sources share one scope)" % (base, s.get("name")))
    if kind == "CLIENT":
        pre = art.get("precondition") or ""
        check(re.search(r"SELECT\s+OS\s+FROM\s+info\(\)\s+WHERE\s+OS\s*=\s*['\"]windows['\"]", pre, re.I), "%s: Windows precondition" % base)
    check("EXECVE" in (art.get("required_permissions") or []) + (art.get("implied_permissions") or []), "%s: declares the EXECVE permission" % base)

    # VQL sanity
    vql = all_vql(art)
    code, strings, err = scan_vql(vql)
    check(err is None, "%s: VQL strings and comments close (%s)" % (base, err))
    check(balanced(code), "%s: VQL brackets balance" % base)
    for s in sources:
        c, _, e = scan_vql(s.get("query") or "")
        check(e is None and balanced(c), "%s: source %s balances on its own" % (base, s.get("name")))
    for n in names:
        check(re.search(r"\b" + re.escape(n) + r"\b", code), "%s: parameter %s is used in the VQL" % (base, n))
    fetched = re.findall(r"Generic\.Utils\.FetchBinary\(\s*ToolName\s*=\s*[\"'](\w+)[\"']", vql)
    tnames = [t.get("name") for t in tools]
    check(fetched, "%s: fetches its tool with Generic.Utils.FetchBinary" % base)
    for f in fetched:
        check(f in tnames, "%s: FetchBinary(ToolName=%s) is a declared tool" % (base, f))
    for t in tnames:
        check(t in fetched, "%s: tool %s is fetched" % (base, t))
    check(re.search(r"\bexecve\(\s*argv=", code), "%s: runs the tool with execve(argv=...)" % base)
    check(re.search(r"\blength=\d+", code), "%s: execve has a length" % base)
    check(re.search(r"\btempdir\(", code), "%s: works in a tempdir()" % base)
    check(re.search(r"\bupload\(", code), "%s: uploads its report" % base)
    check(re.search(r"\bparse_jsonl\(", code), "%s: reads the JSON Lines with parse_jsonl" % base)
    return art


# ------------------------------------------------------------- the hash


def find_in(folder, name):
    """FOLDER/NAME, else the first NAME below FOLDER (dist/ may group files)."""
    if os.path.isfile(os.path.join(folder, name)):
        return os.path.join(folder, name)
    for root, _, files in sorted(os.walk(folder)):
        if name in files:
            return os.path.join(root, name)
    return None


def check_hash():
    with open(CLIENT, encoding="utf-8") as f:
        template = f.read()
    check(template.count(PLACEHOLDER) == 1, "the template holds %s once" % PLACEHOLDER)
    dist = os.path.join(TOP, "dist")
    exe = os.path.join(dist, "exhunt.exe")
    stamped = find_in(dist, os.path.basename(CLIENT))
    if not (os.path.isfile(exe) and stamped):
        note("skip: the pinned hash (no dist/exhunt.exe and dist/%s: run make dist)" % os.path.basename(CLIENT))
        return
    with open(exe, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(stamped, encoding="utf-8") as f:
        text = f.read()
    art = yaml.safe_load(text)
    hashes = [str(t.get("expected_hash")) for t in art.get("tools") or []]
    check(hashes == [digest], "%s expected_hash is the SHA-256 of dist/exhunt.exe (%s, got %s)" % (os.path.relpath(stamped, TOP), digest, hashes))
    check(text == template.replace(PLACEHOLDER, digest), "%s is the template with the hash in place of the placeholder" % os.path.relpath(stamped, TOP))
    sums = os.path.join(dist, "SHA256SUMS")
    if check(os.path.isfile(sums), "dist/SHA256SUMS exists"):
        with open(sums, encoding="utf-8") as f:
            lines = [l.split() for l in f if l.strip()]
        check([digest, "exhunt.exe"] in [[l[0], os.path.basename(l[-1].lstrip("*"))] for l in lines if len(l) >= 2],
              "dist/SHA256SUMS has %s for exhunt.exe" % digest)
    sstamped = find_in(dist, os.path.basename(SERVER))
    if sstamped:
        with open(sstamped, encoding="utf-8") as f, open(SERVER, encoding="utf-8") as g:
            check(f.read() == g.read(), "%s is the server artifact as committed" % os.path.relpath(sstamped, TOP))


# ------------------------------------------------------- run the client


def run_client(art, work, overrides, label):
    """Run the argv the client artifact builds; return (records, rc, workdir)."""
    q = {s["name"]: s["query"] for s in art["sources"]}
    first = art["sources"][0]["query"]
    wdir = os.path.join(work, label)
    os.makedirs(wdir)
    # the LETs the argv uses, as the VQL defines them (path_join under Work)
    env = param_env(art, overrides)
    for let, leaf in re.findall(r'LET (\w+) <= (?:str\(str=)?path_join\(components=\[Work, "([^"]+)"\]\)', first):
        env[let] = os.path.join(wdir, leaf)
    try:
        args = build_argv(first, "ExhuntArgs", env)
    except ValueError as e:
        check(False, "%s: rebuild the argv from LET ExhuntArgs: %s" % (label, e))
        return None, None, wdir
    check(all(isinstance(a, str) for a in args), "%s: the argv is strings only" % label)
    check(re.search(r"execve\(argv=\[Bin\[0\]\.OSPath, \] \+ ExhuntArgs", first), "%s: execve runs [the tool] + ExhuntArgs" % label)
    check(args[:1] == ["scan"] and "-f" in args and args[args.index("-f") + 1] == "jsonl", "%s: exhunt scan -f jsonl" % label)
    check("-o" in args and args[args.index("-o") + 1] == env["ResultFile"], "%s: -o ResultFile" % label)
    check(not any(a == EXAMPLE or a.startswith("C:") for a in args), "%s: no PATH (live mode)" % label)
    # the substitutions: the Linux build for exhunt.exe, the example tree for live mode
    argv = [BIN] + [str(a) for a in args] + [EXAMPLE]
    note("%s: %s" % (label, " ".join(shlex.quote(a) for a in argv)))
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    check(p.returncode == 1, "%s: exit 1 (COMPROMISED) on the example, got %d: %s" % (label, p.returncode, p.stderr.decode(errors="replace")[-300:]))
    check(p.stdout == b"", "%s: nothing on stdout (the report went to -o)" % label)
    if not check(os.path.isfile(env["ResultFile"]), "%s: the results file was written" % label):
        return None, p.returncode, wdir
    records = read_jsonl(env["ResultFile"])
    lets = set(re.findall(r"LET (\w+) <?=", "\n".join(q.values())))
    check_columns(label + " Findings", q["Findings"], records, lets)
    summ = check_columns(label + " Summary", q["Summary"], records, lets)
    check(len(summ) == 1, "%s: one summary row" % label)
    if summ:
        check(summ[0].get("exit_code") == p.returncode, "%s: the summary's exit_code is the process's return code" % label)
        check(path_get(summ[0], "exhunt.verdict")[1] == "COMPROMISED", "%s: verdict COMPROMISED" % label)
    check(re.search(r"LET Exit <= SELECT ReturnCode FROM Run WHERE Complete", first) and "Exit[0].ReturnCode AS ReturnCode" in q["Summary"],
          "%s: the Summary reports execve's ReturnCode" % label)
    return records, p.returncode, wdir


def find_wine():
    w = shutil.which("wine64")
    if w:
        return w
    return "/usr/lib/wine/wine64" if os.access("/usr/lib/wine/wine64", os.X_OK) else None


def run_client_wine(art, work, linux_records):
    """With exhunt.exe (EXHUNT_EXE, else ./exhunt.exe) and wine64 present: the
    same argv with Windows paths (Z:\\...) as path_join() gives on Windows, run
    by exhunt.exe; the findings must be the Linux build's."""
    exe = os.environ.get("EXHUNT_EXE") or os.path.join(TOP, "exhunt.exe")
    wine = find_wine()
    if not (os.path.isfile(exe) and wine):
        note("skip: exhunt.exe under wine (no %s or no wine64: make windows)" % os.path.relpath(exe, TOP))
        return
    first = art["sources"][0]["query"]
    wdir = os.path.join(work, "wine")
    os.makedirs(wdir)

    def winpath(p):
        return "Z:" + p.replace("/", "\\")
    env = param_env(art, {})
    for let, leaf in re.findall(r'LET (\w+) <= (?:str\(str=)?path_join\(components=\[Work, "([^"]+)"\]\)', first):
        env[let] = winpath(os.path.join(wdir, leaf))
    args = build_argv(first, "ExhuntArgs", env)
    renv = dict(os.environ, WINEDEBUG="-all")
    renv.setdefault("WINEPREFIX", os.path.join(TOP, "build-win", "wineprefix"))
    argv = [wine, exe] + args + [winpath(EXAMPLE)]
    note("wine: %s" % " ".join(shlex.quote(a) for a in argv))
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600, env=renv)
    check(p.returncode == 1, "wine: exhunt.exe exits 1 on the example, got %d" % p.returncode)
    out = os.path.join(wdir, "exhunt-results.jsonl")
    if not check(os.path.isfile(out), "wine: exhunt.exe wrote the results to the Windows path"):
        return
    def key(r):
        where = path_get(r, "log.file.path")[1] or path_get(r, "file.path")[1]
        return (r["rule"]["id"], where or "", r["exhunt"].get("line") or 0)
    win = sorted(key(r) for r in read_jsonl(out) if r["type"] == "finding")
    lin = sorted(key(r) for r in linux_records if r["type"] == "finding")
    check(win == lin and win, "wine: exhunt.exe's findings are the Linux build's (%d, %d)" % (len(win), len(lin)))


def uploads_of(art, wdir):
    """The files the Uploads source would upload from Work, by their upload name."""
    q = [s["query"] for s in art["sources"] if s["name"] == "Uploads"][0]
    check('glob(globs="**", root=Work)' in q and "WHERE NOT IsDir" in q, "Uploads globs every file under Work")
    m = re.search(r"NOT \(OSPath =~ '''(.*?)'''\)", q)
    if not check(m, "Uploads has its exclusion regex"):
        return {}
    rx = re.compile(m.group(1))
    out = {}
    for root, _, files in os.walk(wdir):
        for f in files:
            full = os.path.join(root, f)
            if rx.search(full):
                continue
            out[full[len(wdir):]] = full
    return out


def main():
    client = check_structure(CLIENT, "CLIENT")
    server = check_structure(SERVER, "SERVER") if os.path.isfile(SERVER) else None
    if server is None:
        note("skip: no %s" % os.path.basename(SERVER))
    check_hash()
    readme = os.path.join(CONTRIB, "README.md")
    if check(os.path.isfile(readme), "contrib/velociraptor/README.md exists"):
        with open(readme, encoding="utf-8") as f:
            r = f.read()
        check("not run in Velociraptor" in r, "the README says the artifacts are not run in Velociraptor here")
    if client is None:
        return
    work = tempfile.mkdtemp(prefix="exh-velo.")
    try:
        os.environ.pop("EXH_NOW", None)
        # defaults: live mode, one thread, no --since, no --collect
        rec, _, wdefault = run_client(client, work, {}, "defaults")
        # every parameter set
        rec2, _, wall = run_client(client, work, {"Since": "2021-03-03", "Collect": True, "Threads": 2,
                                                  "FileTimeout": 30, "ExtraArgs": "--hostname EXCH02 --trusted-proxy 10.0.0.5"}, "all-parameters")
        if rec and rec2:
            n1 = len([r for r in rec if r.get("type") == "finding"])
            n2 = len([r for r in rec2 if r.get("type") == "finding"])
            s2 = [r for r in rec2 if r.get("type") == "summary"][0]
            check(0 < n2 < n1 and s2["findings"]["filtered"] > 0, "all-parameters: --since left findings out (%d of %d kept)" % (n2, n1))
            check(s2["host"]["name"] == "EXCH02", "all-parameters: ExtraArgs reached exhunt (--hostname)")
        if rec:
            run_client_wine(client, work, rec)
        up = uploads_of(client, wdefault)
        check(sorted(up) == [os.sep + "exhunt-results.jsonl"], "defaults: uploads exhunt-results.jsonl only (%s)" % sorted(up))
        up2 = uploads_of(client, wall)
        names = sorted(up2)
        check(os.sep + "exhunt-results.jsonl" in names, "all-parameters: uploads the results")
        check(os.path.join(os.sep + "collect", "manifest.jsonl") in names and os.path.join(os.sep + "collect", "manifest.csv") in names,
              "all-parameters: uploads the --collect manifest")
        check(os.path.join(os.sep + "collect", "report.jsonl") not in names and os.path.isfile(os.path.join(wall, "collect", "report.jsonl")),
              "all-parameters: leaves the --collect folder's duplicate report.jsonl out")
        man = os.path.join(wall, "collect", "manifest.jsonl")
        if os.path.isfile(man):
            copies = [json.loads(l)["copy"] for l in open(man, encoding="utf-8") if l.strip()]
            check(copies and all(os.sep + os.path.join("collect", *c.split("/")) in names for c in copies),
                  "all-parameters: uploads each of the %d copies" % len(copies))
        if server is not None and rec and rec2:
            run_server(server, work, up, up2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_server(art, work, up1, up2):
    """Three clients' uploads and a bad file through the server artifact's merge."""
    q = {s["name"]: s["query"] for s in art["sources"]}
    first = art["sources"][0]["query"]
    check(re.search(r"hunt_flows\(hunt_id=HuntId\)", first) and re.search(r"uploads\(client_id=ClientId, flow_id=FlowId\)", first),
          "server: reads the hunt's flows and their uploads")
    check("exhunt-results\\.jsonl$" in first, "server: picks the uploaded exhunt-results.jsonl")
    sdir = os.path.join(work, "server")
    results = os.path.join(sdir, "results")
    os.makedirs(results)
    # as the VQL copies them: ClientId-FlowId.jsonl
    shutil.copy(up1[os.sep + "exhunt-results.jsonl"], os.path.join(results, "C.1-F.A.jsonl"))
    shutil.copy(up2[os.sep + "exhunt-results.jsonl"], os.path.join(results, "C.2-F.B.jsonl"))
    shutil.copy(up1[os.sep + "exhunt-results.jsonl"], os.path.join(results, "C.3-F.C.jsonl"))
    with open(os.path.join(results, "C.4-F.D.jsonl"), "w", encoding="utf-8") as f:
        f.write("not json\n")
    env = param_env(art, {"HuntId": "H.TEST", "Since": "2021-01-01"})
    for let, leaf in re.findall(r'LET (\w+) <= (?:str\(str=)?path_join\(components=\[Work, "([^"]+)"\]\)', first):
        env[let] = os.path.join(sdir, leaf)
    check(env.get("ResultsDir") == results, "server: the results folder is Work/results")
    try:
        args = build_argv(first, "MergeArgs", env)
    except ValueError as e:
        check(False, "server: rebuild the argv from LET MergeArgs: %s" % e)
        return
    check(re.search(r"execve\(argv=\[Bin\[0\]\.OSPath, \] \+ MergeArgs", first), "server: execve runs [the tool] + MergeArgs")
    argv = [BIN] + args
    note("server: %s" % " ".join(shlex.quote(a) for a in argv))
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    check(p.returncode == 1, "server: exhunt merge exits 1 (a host is COMPROMISED), got %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-300:]))
    if not check(os.path.isfile(env["FleetFile"]), "server: the fleet report was written"):
        return
    fleet = read_jsonl(env["FleetFile"])
    lets = set(re.findall(r"LET (\w+) <?=", "\n".join(q.values())))
    hosts = check_columns("server Hosts", q["Hosts"], fleet, lets)
    check(sorted(path_get(h, "host.name")[1] for h in hosts) == ["EXCH01", "EXCH02"], "server: one host row per host name (EXCH01 twice: the newer kept)")
    check(all(path_get(h, "exhunt.verdict")[1] == "COMPROMISED" for h in hosts), "server: both hosts COMPROMISED")
    check_columns("server SharedActors", q["SharedActors"], fleet, lets)
    probs = check_columns("server Problems", q["Problems"], fleet, lets)
    check({"error", "dropped"} <= {r["type"] for r in probs}, "server: the bad file is an error row and the older EXCH01 scan a dropped row")
    summ = check_columns("server Summary", q["Summary"], fleet, lets)
    check(len(summ) == 1 and summ[0].get("exit_code") == p.returncode, "server: one summary row with the exit code")
    check("upload(file=FleetFile" in q["Report"], "server: uploads the fleet report")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        check(False, "check.py crashed: %s" % e)
    print("velociraptor: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
