/* fuzz.h: what the fuzz targets share. Each fuzz/fuzz_<X>.c defines
 * exh_fuzz_<X>() and, when built with -DEXH_FUZZ_MAIN (make fuzz, clang),
 * the libFuzzer entry point; fuzz/replay.c #includes every target into one
 * program that replays the committed corpus (make fuzz-replay, any C11
 * compiler). So: statics in the targets carry a per-target prefix, and
 * everything here is guarded and static inline. */
#ifndef EXH_FUZZ_H
#define EXH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int exh_fuzz_exlog(const uint8_t *data, size_t size);
int exh_fuzz_minidump(const uint8_t *data, size_t size);
int exh_fuzz_match(const uint8_t *data, size_t size);
int exh_fuzz_scan(const uint8_t *data, size_t size);
int exh_fuzz_code(const uint8_t *data, size_t size);
int exh_fuzz_ioc(const uint8_t *data, size_t size);
int exh_fuzz_evtx(const uint8_t *data, size_t size);
int exh_fuzz_iisconfig(const uint8_t *data, size_t size);
int exh_fuzz_netaddr(const uint8_t *data, size_t size);
int exh_fuzz_pe(const uint8_t *data, size_t size);
int exh_fuzz_mitigation(const uint8_t *data, size_t size);
int exh_fuzz_probe(const uint8_t *data, size_t size);
int exh_fuzz_merge(const uint8_t *data, size_t size);
int exh_fuzz_iocjson(const uint8_t *data, size_t size);
int exh_fuzz_iocyaml(const uint8_t *data, size_t size);
int exh_fuzz_iocxml(const uint8_t *data, size_t size);
int exh_fuzz_ioclist(const uint8_t *data, size_t size);

#ifdef EXH_FUZZ_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

/* A property the code under test broke: say which, then abort() so that
 * libFuzzer and the sanitizers treat it as a crash and save the input. */
_Noreturn static inline void exh_fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

#define EXH_FUZZ_CHECK(cond)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            exh_fuzz_fail(__FILE__, __LINE__, #cond);                                              \
    } while (0)

/* Read every byte of [p, p+n) so ASan checks the whole slice is live. */
static inline void exh_fuzz_touch(const void *p, size_t n)
{
    const volatile unsigned char *q = p;
    unsigned char acc = 0;
    for (size_t i = 0; i < n; i++)
        acc ^= q[i];
    volatile unsigned char sink = acc;
    (void)sink;
}

/* Is [p, p+n) inside [base, base+len)? Compared as integers: the pointers
 * may come from different objects. */
static inline int exh_fuzz_inside(const void *p, size_t n, const void *base, size_t len)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;
    return a >= b && a - b <= len && n <= len - (a - b);
}

/* A heap copy of exactly n bytes (at least one allocated), so that reading
 * one byte too far is an ASan error rather than a read of the next field. */
static inline uint8_t *exh_fuzz_dup(const void *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (!c)
        abort();
    for (size_t i = 0; i < n; i++)
        c[i] = ((const uint8_t *)p)[i];
    return c;
}

#endif
