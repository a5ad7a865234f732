/* match.h: a case-insensitive multi-literal search used as the pre-filter:
 * one pass over a buffer finds every place where one of a few dozen
 * literals starts. On x86-64 CPUs with AVX2 a first stage looks at 32
 * positions at a time (nibble tables of the needles' anchor bytes, in 8
 * buckets) and skips those where no needle can start; the rest, or every
 * position elsewhere, hash 4 folded bytes into an 8 KiB bitset that fits in
 * L1, and candidates are verified exactly. EXH_NO_SIMD=1 in the environment
 * forces the portable path (tests).
 *
 * Needles are ASCII, at least 4 bytes, matched ignoring ASCII case. The
 * matcher is immutable after exh_matcher_build() and may be shared by threads. */
#ifndef EXH_MATCH_H
#define EXH_MATCH_H

#include <stddef.h>
#include <stdint.h>

struct exh_matcher;

/* Build from n needles; ids[i] is reported for needles[i]. Needles shorter
 * than 4 bytes are rejected (returns NULL). The caller frees with
 * exh_matcher_free(). Needle strings are copied. */
struct exh_matcher *exh_matcher_build(const char *const *needles, const int *ids, size_t n);
void exh_matcher_free(struct exh_matcher *m);

/* Position of the first match at or after `from`, or n when there is none.
 * *id_out receives the matched needle's id. */
size_t exh_matcher_next(const struct exh_matcher *m, const uint8_t *p, size_t n, size_t from,
                        int *id_out);
/* The same, and *lfs: the line ends ('\n') in p[from .. the position
 * returned), counted in the same pass over the bytes (a reader numbering
 * lines needs no second pass). */
size_t exh_matcher_next_lf(const struct exh_matcher *m, const uint8_t *p, size_t n, size_t from,
                           int *id_out, uint64_t *lfs);

#endif
