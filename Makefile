# exhunt: plain GNU Makefile. `make` builds ./exhunt; `make test` runs every
# suite; `make demo` scans the bundled example server; `make fuzz` builds the
# libFuzzer targets (clang). DEV=1 adds strict warnings and -Werror;
# SANITIZE=address,undefined builds everything with sanitizers into
# build-san/ (objects never mix with the normal build).

CC ?= cc
CFLAGS ?= -O2 -g
SANITIZE ?=
DEV ?=

# YARA=0 on the command line builds without libyara into its own folder, so
# that both variants can be tested side by side.
NOYARA := $(if $(and $(filter command line,$(origin YARA)),$(filter 0,$(YARA))),-noyara)
# CRASHTEST=1: a test-only build whose readers abort on a file starting
# EXHUNT-TEST-CRASH (for the supervision test, tests/crash/run.sh)
CRASHTEST ?=
CRASH := $(if $(CRASHTEST),-crashtest)
# DIST=1 (set by `make dist`, not by hand): the static, hardened, reproducible
# Linux build in build-dist/ (see "Release builds" below)
DIST ?=
ifeq ($(DIST),1)
override SANITIZE :=
override CRASHTEST :=
override CRASH :=
override CFLAGS := -O2 -g0
endif
BUILD := build$(if $(SANITIZE),-san)$(NOYARA)$(CRASH)$(if $(DIST),-dist)
BIN := $(if $(or $(SANITIZE),$(NOYARA),$(CRASH),$(DIST)),$(BUILD)/exhunt,exhunt)

# the commit built from, for `exhunt version`: git describe in a git checkout
# whose top is this folder, else "unknown". A stamp file rebuilds main.c when
# it changes.
EXH_COMMIT ?= $(shell [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ] && \
	git describe --always --dirty 2>/dev/null || echo unknown)
commit_stamp = $(shell mkdir -p $(1) && { [ "$$(cat $(1)/commit 2>/dev/null)" = "$(EXH_COMMIT)" ] || \
	echo "$(EXH_COMMIT)" >$(1)/commit; } && echo $(1)/commit)

WARN := -Wall -Wextra
ifeq ($(DEV),1)
WARN += -Wpedantic -Wshadow -Wstrict-prototypes -Wvla -Wformat=2 -Wno-format-nonliteral -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

CRYPTO_LIBS := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
# libcurl (OpenSSL flavour, Debian libcurl4-openssl-dev) for `exhunt probe`; its
# TLS facts are read with libssl
CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl) \
	$(shell pkg-config --libs libssl 2>/dev/null || echo -lssl)
# jansson (Debian libjansson-dev) parses the scan results `exhunt merge` reads;
# the Windows build has none (its merge says so)
JANSSON_CFLAGS := -DEXH_HAVE_JANSSON $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
# zlib, when pkg-config finds it (Debian zlib1g-dev): `exhunt merge` also reads
# gzip-compressed results
ZLIB ?= $(shell pkg-config --exists zlib 2>/dev/null && echo 1 || echo 0)
ifeq ($(ZLIB),1)
JANSSON_CFLAGS += -DEXH_HAVE_ZLIB $(shell pkg-config --cflags zlib)
JANSSON_LIBS += $(shell pkg-config --libs zlib)
endif
# Indicator files (--ioc): libyaml (Debian libyaml-dev) reads CHIRP YAML,
# expat (libexpat1-dev) OpenIOC XML, PCRE2 (libpcre2-dev) runs Loki's file-name
# regexes; JSON (STIX, MISP) is jansson's, as above. The Windows build has none
# of the four: it reads the line and CSV formats only (README, "Indicators").
IOC_CFLAGS := -DEXH_HAVE_YAML -DEXH_HAVE_EXPAT -DEXH_HAVE_PCRE2 \
	$(shell pkg-config --cflags yaml-0.1 expat libpcre2-8 2>/dev/null)
IOC_LIBS := $(shell pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml) \
	$(shell pkg-config --libs expat 2>/dev/null || echo -lexpat) \
	$(shell pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
# libyara is optional: used when pkg-config finds it, unless YARA=0.
YARA ?= $(shell pkg-config --exists yara 2>/dev/null && echo 1 || echo 0)
ifeq ($(YARA),1)
YARA_CFLAGS := -DEXH_HAVE_YARA $(shell pkg-config --cflags yara)
YARA_LIBS := $(shell pkg-config --libs yara)
endif
ifeq ($(DIST),1)
# Static PIE with glibc, full RELRO, stack protector, fortify; no paths and no
# times in the output. Static libraries: libcrypto, jansson, zlib and libyara
# (with libmagic, liblzma, libbz2 that libmagic needs). libcurl is left out:
# Debian's libcurl.a needs GSSAPI and LDAP, which have no static libraries, so
# `exhunt probe` says it is not in this build (src/net/http_none.c).
DIST_CFLAGS := -DEXH_STATIC -fPIE -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
	-ffile-prefix-map=$(CURDIR)=. -fdebug-prefix-map=$(CURDIR)=.
override LDFLAGS := -static-pie -Wl,-z,relro,-z,now
CURL_CFLAGS :=
CURL_LIBS :=
CRYPTO_LIBS := -lcrypto
ifeq ($(YARA),1)
YARA_LIBS := -lyara -lmagic -ljansson -lcrypto -llzma -lbz2 -lz -lm
endif
HTTP_SRC := src/net/http_none.c
export SOURCE_DATE_EPOCH ?= 0
else
HTTP_SRC := src/net/http_curl.c
endif
ALL_CFLAGS := $(if $(CRASHTEST),-DEXH_TEST_CRASH) -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -Iinclude -I$(BUILD)/gen \
	$(YARA_CFLAGS) $(CURL_CFLAGS) $(JANSSON_CFLAGS) $(IOC_CFLAGS) $(WARN) $(CFLAGS) $(DIST_CFLAGS) $(SANFLAGS) -MMD -MP
LDFLAGS_ALL := $(LDFLAGS) $(SANFLAGS) -pthread $(CURL_LIBS) $(JANSSON_LIBS) $(IOC_LIBS) $(CRYPTO_LIBS) $(YARA_LIBS)

# (sorted: the same order, so the same archive and binary, on every machine)
LIB_SRC := $(sort $(wildcard src/core/*.c src/read/*.c src/detect/*.c src/engine/*.c src/report/*.c) \
	src/os/os_posix.c src/os/hash_openssl.c src/net/http_common.c $(HTTP_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
GEN_SRC := $(BUILD)/gen/ioc_data.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/ioc_data.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

.PHONY: all dist dist-check windows test-windows bench ioc-check probe-check html-check test unit e2e e2e-pieces fuzz-replay hostile docs-check velociraptor-check collect-check merge-check yara-check accuracy accuracy-public tools-check layers-check crash-check evtx-check archive-check ansible-check demo clean fuzz fuzz-run format check-format

all: $(BIN)

$(BIN): $(CLI_OBJ) $(BUILD)/libexhunt.a
	$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libexhunt.a $(LDFLAGS_ALL)

$(BUILD)/libexhunt.a: $(LIB_OBJ)
	@rm -f $@
	ar rcsD $@ $^

$(BUILD)/gen/ioc_data.c: tools/gen-data.sh $(wildcard data/*.tsv)
	@mkdir -p $(dir $@)
	sh tools/gen-data.sh $@

$(BUILD)/gen/ioc_data.o: $(BUILD)/gen/ioc_data.c
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Isrc/detect -c -o $@ $<

$(BUILD)/src/cli/main.o: $(call commit_stamp,$(BUILD)/gen)
$(BUILD)/src/cli/main.o: ALL_CFLAGS += -DEXH_COMMIT='"$(EXH_COMMIT)"'

$(BUILD)/%.o: %.c Makefile | $(BUILD)/gen/ioc_data.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/t.h $(BUILD)/libexhunt.a
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libexhunt.a $(LDFLAGS_ALL)

$(BUILD)/fuzz-replay: fuzz/replay.c fuzz/fuzz.h $(FUZZ_SRC) $(BUILD)/libexhunt.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ fuzz/replay.c $(BUILD)/libexhunt.a $(LDFLAGS_ALL)

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do $$t || fail=1; done; exit $$fail

e2e: $(BIN)
	@sh tests/e2e/run.sh $(BIN)
	@python3 tests/e2e/timesketch.py

# the same cases with every text log over 194 bytes read in 97-byte pieces
# (the split path of big files): the expected output is the same
e2e-pieces: $(BIN)
	@EXH_PIECE_BYTES=97 E2E_NAME=e2e-pieces sh tests/e2e/run.sh $(BIN)

fuzz-replay: $(BUILD)/fuzz-replay
	@$(BUILD)/fuzz-replay fuzz/corpus

# the cases whose file misbehaves while read (a slow one, one that shrinks)
# also use the test-only build of the same kind (CRASHTEST=1) as HOSTILE_TESTBIN
TESTBIN := $(if $(CRASH),$(BIN),$(BUILD)-crashtest/exhunt)
hostile: $(BIN)
	@$(MAKE) --no-print-directory CRASHTEST=1 all
	@bash tests/hostile/run.sh $(BIN)
	@HOSTILE_TESTBIN=$(TESTBIN) bash tests/hostile/cases.sh $(BIN)

# indicator files through the binary: every public feed in ../shared/iocs loads
# with the right counts per type (skipped when absent), and hostile files
# (huge, deep, billion laughs, bad UTF-8) are refused or bounded
ioc-check: $(BIN)
	@python3 tests/ioc/run.py $(BIN)

# `exhunt probe` against loopback servers (tests/probe/server.py on 127.0.0.x):
# Exchange builds, the ProxyLogon/ProxyShell checks and faulty servers
probe-check: $(BIN)
	@bash tests/probe/run.sh $(BIN)

# `exhunt merge` on the examples' results, a fleet, bad input of every kind,
# duplicate hosts, --since and the exit codes (tests/merge/expected)
merge-check: $(BIN)
	@sh tests/merge/run.sh $(BIN)

docs-check: $(BIN)
	@sh tests/docs/check.sh $(BIN)

# the Velociraptor artifacts (contrib/velociraptor), without Velociraptor: their
# structure and VQL, the hash `make dist` pins, and the exhunt command lines they
# build, run with this build on examples/compromised (needs python3-yaml)
velociraptor-check: $(BIN)
	@sh tests/velociraptor/run.sh $(BIN)

# `scan --collect DIR` on a copy of the example and a generated tree: hashes
# against the manifest (sha256sum -c), sources unchanged, names defanged and
# safe, the refusals, --collect-append, copies that fail (the files that
# vanish or change while copied use the test-only build, COLLECT_TESTBIN)
collect-check: $(BIN)
	@$(MAKE) --no-print-directory CRASHTEST=1 all
	@COLLECT_TESTBIN=$(TESTBIN) sh tests/collect/run.sh $(BIN)

# the HTML report in headless Chromium over the DevTools protocol (tests/html/cdp.py):
# no loads, no script errors, nothing injected runs, filters, reading without
# JavaScript; skips when chromium is absent. HTML_SCREENSHOTS=docs rewrites
# docs/report-*.png.
html-check: $(BIN)
	@bash tests/html/run.sh $(BIN)

# contrib/ansible for real: ansible-playbook over seven hosts on this machine
# (the examples, a generated server, three broken), the fetched results, the
# fleet report, a rerun; ansible-lint and --syntax-check (the Windows play is
# checked only so)
ansible-check: $(BIN)
	@bash tests/ansible/run.sh $(BIN)

# --yara with this build (rules match, bad rules are reported) and, with
# YARA=0, the message a build without libyara gives.
yara-check: $(BIN)
	@sh tests/yara/run.sh $(BIN)

accuracy: $(BIN)
	@sh tests/accuracy/run.sh $(BIN)

# a reader that crashes costs its file only: the CRASHTEST=1 build against a tree
# with crash-marked files, for -j 1 and -j 2
crash-check:
	@$(MAKE) --no-print-directory CRASHTEST=1 build-crashtest/exhunt
	@sh tests/crash/run.sh build-crashtest/exhunt

# the public exploit and scanner tools' traffic (tests/gen/exploit_traffic.py): each
# tree's verdict and labels against what the tool's source says
# src/ folders call each other in one direction only (docs/architecture.md)
layers-check: $(BIN)
	@python3 tests/layers/check.py $(BUILD)

tools-check: $(BIN)
	@python3 tests/gen/exploit_traffic.py --check $(BIN)

# hostile archives made on the fly (tests/archive/run.py): zip and gzip bombs,
# limits, overlapping and duplicate members, lying directories, names that climb
# out, deep nesting, formats not read, ZIP64; each within time and memory bounds;
# then the examples zipped, gzipped and packed as collectors pack a server give
# what the folders give (tests/archive/equivalent.py)
archive-check: $(BIN)
	@python3 tests/archive/run.py $(BIN)
	@python3 tests/archive/equivalent.py $(BIN)

# the same rules on the public collections in ../shared/corpora (real web shells,
# benign ASP.NET applications); rewrites tests/accuracy/PUBLIC.md (skips without them)
SHARED ?= ../shared
accuracy-public: $(BIN)
	@python3 tests/accuracy/public.py $(BIN) $(SHARED) tests/accuracy/PUBLIC.md

# the .evtx reader against the public samples in ../shared (skips without them):
# record counts, the Sigma pairs, and every sample (attack/ too) against evtxexport
evtx-check: $(BIN)
	@sh tests/evtx/conformance.sh $(BIN)
	@python3 tests/evtx/sigma.py $(BIN)
	@python3 tests/evtx/parity.py $(BIN)

# Windows: exhunt.exe cross-built with mingw-w64 (Debian gcc-mingw-w64-x86-64),
# statically linked (only Windows' own DLLs), hashing through CNG (bcrypt),
# without libyara. `make test-windows` runs the end-to-end suite with it under
# wine64 against the same expected output, and live mode with a fake install.
WIN_CC ?= x86_64-w64-mingw32-gcc
WINE ?= $(shell command -v wine64 2>/dev/null || { test -x /usr/lib/wine/wine64 && echo /usr/lib/wine/wine64; })
WIN_SRC := $(sort $(wildcard src/core/*.c src/read/*.c src/detect/*.c src/engine/*.c src/report/*.c src/cli/*.c)) \
	src/os/os_win.c src/os/hash_cng.c src/net/http_common.c src/net/http_winhttp.c
# Hardening: ASLR with relocations kept (.reloc), high-entropy VA, DEP; no time
# stamp and no build folder in the file, so `make dist` is reproducible. It
# imports only KnownDLLs: bcrypt, winhttp and crypt32 are loaded from System32
# at run time (src/os/hash_cng.c, src/net/http_winhttp.c), after wmain has
# limited DLL loading to System32. (CFG, -mguard=cf, needs gcc 13 or clang.)
WIN_HARDEN := -Wl,--dynamicbase,--high-entropy-va,--nxcompat,--no-insert-timestamp \
	-ffile-prefix-map=$(CURDIR)=.
WIN_COMMIT := -DEXH_COMMIT='"$(EXH_COMMIT)"'
# zlib for archives read in place (.zip, .gz): Debian's libz-mingw-w64-dev,
# linked statically; without it exhunt.exe reads stored zip members only
WIN_ZLIB := $(if $(wildcard /usr/x86_64-w64-mingw32/lib/libz.a),-DEXH_HAVE_ZLIB)
WIN_ZLIB_LIBS := $(if $(WIN_ZLIB),-lz)
windows: exhunt.exe

exhunt.exe: $(WIN_SRC) $(wildcard include/exh/*.h include/exh/*.def src/*/*.h src/*/*.def) build-win/gen/ioc_data.c Makefile \
	$(if $(filter exhunt.exe windows dist test-windows,$(or $(MAKECMDGOALS),all)),$(call commit_stamp,build-win/gen))
	@echo "  CCLD    $@"
	@$(WIN_CC) $(WIN_COMMIT) $(WIN_ZLIB) -std=c11 -municode -D_WIN32_WINNT=0x0601 -DUNICODE -D_UNICODE -D__USE_MINGW_ANSI_STDIO=1 -Iinclude -Ibuild-win/gen -Isrc -Isrc/detect \
		$(WARN) -O2 -o $@ $(WIN_SRC) build-win/gen/ioc_data.c -static $(WIN_ZLIB_LIBS) -ladvapi32 -lshell32 $(WIN_HARDEN)

build-win/gen/ioc_data.c: tools/gen-data.sh $(wildcard data/*.tsv)
	@mkdir -p $(dir $@)
	sh tools/gen-data.sh $@

exhunt-crashtest.exe: $(WIN_SRC) $(wildcard include/exh/*.h include/exh/*.def src/*/*.h src/*/*.def) build-win/gen/ioc_data.c Makefile
	@echo "  CCLD    $@"
	@$(WIN_CC) -DEXH_TEST_CRASH $(WIN_ZLIB) -std=c11 -municode -D_WIN32_WINNT=0x0601 -DUNICODE -D_UNICODE -D__USE_MINGW_ANSI_STDIO=1 -Iinclude -Ibuild-win/gen -Isrc -Isrc/detect \
		$(WARN) -O2 -o $@ $(WIN_SRC) build-win/gen/ioc_data.c -static $(WIN_ZLIB_LIBS) -ladvapi32 -lshell32 $(WIN_HARDEN)

test-windows: exhunt.exe exhunt-crashtest.exe $(BIN)
	@WINE="$(WINE)" sh tests/windows/run.sh ./exhunt.exe $(BIN)
	@sh tests/crash/run.sh ./exhunt-crashtest.exe $(WINE)
	@WINE="$(WINE)" sh tests/windows/hostile.sh ./exhunt.exe
	@WINE="$(WINE)" bash tests/windows/probe.sh ./exhunt.exe $(BIN)

# Release builds: dist/exhunt (static PIE for Linux x86-64, hardened, without
# `exhunt probe`), dist/exhunt.exe (as `make windows`), the Velociraptor
# artifacts of contrib/velociraptor with @EXHUNT_EXE_SHA256@ replaced by
# exhunt.exe's SHA-256, and dist/SHA256SUMS. The same commit gives the same
# bytes in any folder (`make dist-check` builds it twice and compares).
dist:
	@$(MAKE) --no-print-directory DIST=1 all
	@$(MAKE) --no-print-directory windows
	@rm -rf dist && mkdir dist
	cp build-dist/exhunt dist/exhunt
	cp exhunt.exe dist/exhunt.exe
	@sum=$$(sha256sum dist/exhunt.exe | cut -d' ' -f1); \
	for f in $$(LC_ALL=C ls contrib/velociraptor/*.yaml 2>/dev/null); do \
	  echo "sed s/@EXHUNT_EXE_SHA256@/$$sum/ $$f >dist/$${f##*/}"; \
	  sed "s/@EXHUNT_EXE_SHA256@/$$sum/g" "$$f" >"dist/$${f##*/}" || exit 1; done
	cd dist && LC_ALL=C sha256sum $$(LC_ALL=C ls | grep -vx SHA256SUMS) >SHA256SUMS
	@cat dist/SHA256SUMS

# `make dist` twice, in two copies of this tree under different folder names:
# the same bytes; then the hardening of both binaries (tests/dist/hardening.py)
# and a scan of the example with each
dist-check: $(BIN)
	@sh tests/dist/run.sh $(BIN)

# Benchmarks (not part of make test: timing proves nothing in a test).
# bench/evtx.py: the .evtx reader against evtxexport (libevtx-utils) on the
# same files; the report goes to bench/report-evtx.md.
# bench/tree.py: two generated server trees, the quiet traffic profile at SIZE
# (default 2G) and the busy one at BUSY_SIZE (default 1G; bench/gen_tree.py
# --profile), each scanned by exhunt beside cat and rg with exhunt's literals
# (grep and yara on the quiet tree), issue 18's targets marked met or not; the
# report goes to bench/RESULTS.md.
# bench/scaling.py: each hostile-input case of tests/hostile at sizes n, 2n, 4n
# (time and memory must grow linearly); the report goes to bench/report-scaling.md.
# bench/probe.py: one `exhunt probe --parallel 256 --timeout 5` run against 1,000
# loopback endpoints (100 silent), over HTTP and TLS: every one classified, the wall
# time, CPU and peak memory; the report goes to bench/report-probe.md.
# bench/merge.py: `exhunt merge` over 10,000 generated hosts' results (about 2 GB of
# JSON Lines, from the examples' findings) and over 1,000: wall time, MB/s, peak
# memory (far below the input, growing with hosts); the report goes to bench/report-merge.md.
# bench/html.py: the HTML report of 100,000 findings, written by exhunt and loaded in
# headless Chromium (skips without it); the report goes to bench/report-html.md.
SIZE ?= 2G
BUSY_SIZE ?= 1G
$(BUILD)/bench-literals: bench/literals.c $(BUILD)/libexhunt.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/literals.c $(BUILD)/libexhunt.a $(LDFLAGS_ALL)

bench: $(BIN) $(BUILD)/bench-literals
	@python3 bench/evtx.py $(BIN) bench/report-evtx.md
	@SIZE=$(SIZE) BUSY_SIZE=$(BUSY_SIZE) python3 bench/tree.py $(BIN) $(BUILD)/bench-literals bench/RESULTS.md
	@python3 bench/scaling.py $(BIN) bench/report-scaling.md
	@python3 bench/probe.py $(BIN) bench/report-probe.md
	@python3 bench/merge.py $(BIN) bench/report-merge.md
	@python3 bench/html.py $(BIN) bench/report-html.md
	@BUSY_SIZE=$(BUSY_SIZE) python3 bench/archive.py $(BIN) $(BUILD)/bench-literals bench/report-archive.md

# The whole suite: unit, end-to-end, docs agreement and hostile input on the normal build,
# then unit, fuzz-corpus replay, end-to-end, hostile input and the .evtx samples again
# under ASan/UBSan, and unit and fuzz replay once more on the portable (non-SIMD) paths.
test:
	$(MAKE) unit e2e e2e-pieces ioc-check docs-check dist-check velociraptor-check ansible-check html-check collect-check merge-check yara-check accuracy tools-check layers-check evtx-check hostile crash-check probe-check archive-check
	ACCURACY_PUBLIC_MIN=96 $(MAKE) accuracy-public
	$(MAKE) YARA=0 yara-check
	$(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" unit fuzz-replay e2e e2e-pieces ioc-check collect-check merge-check hostile evtx-check probe-check archive-check
	EXH_NO_SIMD=1 $(MAKE) SANITIZE=address,undefined CFLAGS="-O1 -g" unit fuzz-replay

# libFuzzer targets (clang): build/fuzz/fuzz_<parser>; run one with
# build/fuzz/fuzz_exlog fuzz/corpus/exlog
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
fuzz: $(FUZZ_BIN)
build/fuzz/%: fuzz/%.c fuzz/fuzz.h $(LIB_SRC) $(wildcard include/exh/*.h) build/gen/ioc_data.c
	@mkdir -p $(dir $@)
	clang -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -g -O1 -Iinclude -Ibuild-win/gen -Isrc -Isrc/detect \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -DEXH_FUZZ_MAIN $(JANSSON_CFLAGS) $(IOC_CFLAGS) \
		-o $@ $< $(LIB_SRC) build/gen/ioc_data.c -pthread $(CURL_LIBS) $(JANSSON_LIBS) $(IOC_LIBS) $(CRYPTO_LIBS)

# Run every target for FUZZ_SECONDS each (inputs up to 200 KB: .evtx seeds span two
# chunk slots); new inputs go to build/fuzz/new-<target>
# (merge the useful ones into fuzz/corpus/<target> by hand).
FUZZ_SECONDS ?= 60
fuzz-run: fuzz
	@for t in $(FUZZ_SRC:fuzz/fuzz_%.c=%); do mkdir -p build/fuzz/new-$$t; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=200000 \
	    -artifact_prefix=build/fuzz/ build/fuzz/new-$$t fuzz/corpus/$$t || exit 1; done

demo: $(BIN)
	@echo "== exhunt scan --timeline examples/compromised =="
	@./$(BIN) scan --timeline --color auto examples/compromised; rc=$$?; \
	  echo "(exhunt exited $$rc: 1 means compromised, targeted or exposed)"; \
	  [ $$rc -le 2 ]
	@./$(BIN) scan -f html -o demo.html examples/compromised; rc=$$?; [ $$rc -le 2 ] && \
	  echo "== the same as one HTML page: $(CURDIR)/demo.html (open it in a browser) =="

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check-format:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san build-noyara build-crashtest build-san-crashtest build-noyara-crashtest build-san-noyara-crashtest build-win build-dist dist exhunt exhunt.exe exhunt-crashtest.exe

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
