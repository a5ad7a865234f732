/* core.h: the small vocabulary every module shares: sized strings, growable
 * buffers, allocation that aborts on exhaustion, case-insensitive search.
 *
 * Ownership: a struct exh_str is a borrowed slice (p, n) into someone else's
 * memory and is never NUL-terminated by contract. A struct exh_buf owns its
 * bytes; release it with exh_buf_release(). Functions named *_dup return
 * memory the caller frees with free(). Out of memory is fatal: exh_xmalloc()
 * prints one line and aborts, so no caller carries OOM paths (redis zmalloc).
 *
 * Owning structs, one convention throughout:
 *   - a struct the caller places (on the stack, in another struct) has
 *     name_init(&x) (or a zeroed x is ready) and name_release(&x), which
 *     frees what x owns, leaves x as after _init and may be called twice;
 *   - a struct the library allocates has name_new(...) and name_free(p),
 *     which accepts NULL;
 *   - a function that fills a caller's struct with owned memory says so and
 *     names the release (exh_scan -> exh_result_release).
 * Every struct that owns memory has one of the two releases, or is a part
 * of one that has (a result's findings, errors and summary go with
 * exh_result_release; a fleet's hosts with exh_fleet_release); structs of
 * borrowed slices (exh_logrec, exh_evtx_record) own nothing.
 *
 * What cannot happen: EXH_BUG()/EXH_BUG_ON() for a broken invariant of
 * exhunt's own code (a table row, a position that must move forward), never
 * for bad input, which is an error record. It prints where and aborts, as
 * git's BUG(): a wrong answer from an invariant silently clamped is worse
 * for a responder than a crash the supervisor reports. */
#ifndef EXH_CORE_H
#define EXH_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct exh_str {
    const char *p;
    size_t n;
};

#define EXH_STR_NULL ((struct exh_str){NULL, 0})
#define EXH_LIT(s) ((struct exh_str){(s), sizeof(s) - 1})

/* A 64-bit mixer (every input bit moves every output bit; a bijection):
 * for hash tables. Keyed by XOR-ing a random key into x first where the
 * keys come from an attacker. */
static inline uint64_t exh_mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static inline struct exh_str exh_str_make(const char *p, size_t n)
{
    struct exh_str s = {p, n};
    return s;
}

static inline unsigned char exh_lc(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* The value of a hex digit (either case), or -1. */
static inline int exh_hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = exh_lc(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#if defined(__GNUC__)
#define EXH_NORETURN __attribute__((noreturn))
#define EXH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EXH_NORETURN
#define EXH_PRINTF(a, b)
#endif
EXH_NORETURN void exh_bug(const char *file, int line, const char *fmt, ...) EXH_PRINTF(3, 4);
#define EXH_BUG(...) exh_bug(__FILE__, __LINE__, __VA_ARGS__)
#define EXH_BUG_ON(cond)                                                                           \
    do {                                                                                           \
        if (cond)                                                                                  \
            exh_bug(__FILE__, __LINE__, "%s", #cond);                                              \
    } while (0)

void *exh_xmalloc(size_t n);
void *exh_xcalloc(size_t count, size_t size);
void *exh_xrealloc(void *p, size_t n);
char *exh_xstrdup(const char *s);
/* Copy n bytes into a new NUL-terminated string. */
char *exh_xstrndup(const char *p, size_t n);

/* Case-insensitive (ASCII) helpers. Inline, so that a literal's length is
 * known when compiled (they run on every line the pre-filter selects). */
static inline bool exh_starts_ci(struct exh_str s, const char *lit)
{
    size_t m = strlen(lit);
    if (s.n < m)
        return false;
    for (size_t i = 0; i < m; i++)
        if (exh_lc((unsigned char)s.p[i]) != exh_lc((unsigned char)lit[i]))
            return false;
    return true;
}
static inline bool exh_eq_ci(struct exh_str a, const char *lit)
{
    return a.n == strlen(lit) && exh_starts_ci(a, lit);
}
static inline bool exh_ends_ci(struct exh_str s, const char *lit)
{
    size_t m = strlen(lit);
    return s.n >= m && exh_starts_ci(exh_str_make(s.p + s.n - m, m), lit);
}
/* First occurrence of needle (length m) in hay (length n), ASCII case
 * folded; NULL when absent. */
const char *exh_find_ci(const char *hay, size_t n, const char *needle, size_t m);
static inline const char *exh_find_ci_lit(struct exh_str s, const char *lit);
struct exh_str exh_trim(struct exh_str s);
/* Line ends ('\n') in p[0..n): byte counts the compiler turns into wide
 * compares, so runs of short lines cost no call per line. */
uint64_t exh_count_lf(const void *p, size_t n);

/* Path facts, case-insensitive, '/' or '\' separators (src/core/path.c).
 * Does path contain the components comp ("Logging/HttpProxy") in a row? */
bool exh_path_has_component(const char *path, const char *comp);
/* The component just above the file, or "" (pointer into path; length out). */
const char *exh_path_parent(const char *path, size_t *len);
/* The last component of path (after the last '/' or '\\'; all of it when none). */
struct exh_str exh_path_base(struct exh_str path);
/* If path contains the components seq, the component that follows them (a
 * folder, not the file itself), or NULL. */
const char *exh_path_after(const char *path, const char *seq, size_t *len);

/* Growable byte buffer. p is NUL-terminated whenever n > 0 or after any append. */
struct exh_buf {
    char *p;
    size_t n;
    size_t cap;
};

/* The slow path of exh_buf_reserve: grow to hold n + extra + 1 bytes. */
void exh_buf_grow(struct exh_buf *b, size_t extra);
/* Room for extra more bytes and the NUL (appends are inline: the .evtx and
 * log reporters append millions of short pieces). */
static inline void exh_buf_reserve(struct exh_buf *b, size_t extra)
{
    if (extra >= b->cap || b->n + extra + 1 > b->cap)
        exh_buf_grow(b, extra);
}
static inline void exh_buf_add(struct exh_buf *b, const void *p, size_t n)
{
    exh_buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}
void exh_buf_adds(struct exh_buf *b, const char *s);
static inline void exh_buf_addc(struct exh_buf *b, char c)
{
    if (b->n + 2 > b->cap)
        exh_buf_grow(b, 1);
    b->p[b->n++] = c;
    b->p[b->n] = '\0';
}
void exh_buf_addf(struct exh_buf *b, const char *fmt, ...)
#if defined(__MINGW32__) /* built with __USE_MINGW_ANSI_STDIO: C99 printf */
    __attribute__((format(gnu_printf, 2, 3)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* v in decimal, without printf (hot paths format many numbers). */
void exh_buf_add_u64(struct exh_buf *b, unsigned long long v);
static inline void exh_buf_reset(struct exh_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}
void exh_buf_release(struct exh_buf *b);
/* Hand the bytes to the caller (free() them); the buffer is left empty. */
char *exh_buf_detach(struct exh_buf *b);
/* Feed n bytes of a stream of '\n'-ended lines: each complete line (without its
 * newline, NUL-terminated) goes to fn; a partial line waits in acc. */
void exh_buf_feed_lines(struct exh_buf *acc, const char *p, size_t n,
                        void (*fn)(void *ud, const char *line), void *ud);

/* Little-endian integers at p (the binary formats: .evtx, minidumps, zip). */
static inline uint16_t exh_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t exh_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t exh_rd64(const uint8_t *p)
{
    return (uint64_t)exh_rd32(p) | (uint64_t)exh_rd32(p + 4) << 32;
}

/* CRC-32 (IEEE, reflected) of p[0..n): carry-less multiplication where the
 * CPU has it, else the portable table version (also callable, for tests). */
uint32_t exh_crc32(const uint8_t *p, size_t n);
uint32_t exh_crc32_portable(const uint8_t *p, size_t n);

/* Append code point cp as UTF-8; a surrogate or a value past U+10FFFF
 * becomes U+FFFD. */
void exh_buf_add_cp(struct exh_buf *b, uint32_t cp);
/* Append `units` UTF-16 code units (little- or big-endian) as UTF-8:
 * surrogate pairs joined, a lone surrogate U+FFFD, a NUL unit as `nul`
 * (dropped when nul is 0). */
void exh_buf_add_utf16(struct exh_buf *b, const uint8_t *p, size_t units, bool big_endian,
                       char nul);

/* Decode one UTF-8 sequence at p (n > 0 bytes left): its length, or 0 when
 * the bytes there are not valid UTF-8 (overlong, surrogate, truncated). */
size_t exh_utf8_decode(const unsigned char *p, size_t n, unsigned *cp);
/* Is p[0..n) valid UTF-8 (no overlongs, no surrogates)? */
bool exh_utf8_valid(const char *p, size_t n);

/* Standard base64 of p[0..n), appended to b. */
void exh_base64_add(struct exh_buf *b, const void *p, size_t n);

static inline const char *exh_find_ci_lit(struct exh_str s, const char *lit)
{
    size_t m = 0;
    while (lit[m])
        m++;
    return exh_find_ci(s.p, s.n, lit, m);
}

#endif
