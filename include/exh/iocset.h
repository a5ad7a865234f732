/* iocset.h: a set of indicators: file hashes (MD5, SHA-1, SHA-256), file
 * paths, IP addresses and user agents. It starts with the built-in lists
 * (data/, credited in NOTICE) and grows with --ioc files.
 *
 * exh_iocset_load() is a reader: bytes in, indicators out. It understands,
 * line by line: plain hashes; "hash;comment" and "hash,comment"; IPv4
 * addresses; Windows paths (C:\..., \..., %VAR%\...); the MSTIC CSV format
 * (header DateAdded,FirstSeen,Indicator,IndicatorType,TLP), Volexity's
 * value,type,notes and HvS's Type, Data, Note CSVs; anything else that is
 * printable is taken as a user agent. Lines starting with '#' are comments.
 * A set is immutable while a scan runs and may be shared by threads. */
#ifndef EXH_IOCSET_H
#define EXH_IOCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exh_iocset;

struct exh_iocset *exh_iocset_new(bool builtin);
void exh_iocset_free(struct exh_iocset *s);

struct exh_ioc_load_stats {
    size_t hashes, paths, ips, uas, ignored; /* ignored: understood, not used (domains) */
    size_t bad;                              /* lines not understood */
};
/* Add the indicators in p[0..n); `source` names the list in findings. */
void exh_iocset_load(struct exh_iocset *s, const char *source, const uint8_t *p, size_t n,
                     struct exh_ioc_load_stats *st);

/* Sort the set for lookups; call once after the last load, before sharing
 * the set between threads. */
void exh_iocset_prepare(struct exh_iocset *s);

/* A digest of 16, 20 or 32 bytes: the list it is on (and *note), or NULL. */
const char *exh_iocset_hash(const struct exh_iocset *s, const uint8_t *d, size_t len,
                            const char **note);
/* A file path (any case, '/' or '\'): the list naming it, or NULL. Paths are
 * compared from their web-relevant part on (inetpub/, frontend/, ...), so a
 * copy mounted anywhere matches. */
const char *exh_iocset_path(const struct exh_iocset *s, const char *path);
bool exh_iocset_has_hashes(const struct exh_iocset *s);

/* Could the log line p[0..n) name one of the addresses or user agents (any
 * case)? false means surely not: one pass over the line instead of one per
 * indicator. The exact checks decide when it says true. */
bool exh_iocset_line_may_match(const struct exh_iocset *s, const char *p, size_t n);

/* Is p[0..n) exactly one of the addresses? Then *ip is it as listed (the
 * first listing) and *source where it comes from. One lookup (after
 * exh_iocset_prepare), whatever the number of addresses. */
bool exh_iocset_ip_find(const struct exh_iocset *s, const char *p, size_t n, const char **ip,
                        const char **source);
size_t exh_iocset_nips(const struct exh_iocset *s);
const char *exh_iocset_ip(const struct exh_iocset *s, size_t i, const char **source);
size_t exh_iocset_nuas(const struct exh_iocset *s);
/* The i-th user agent as sent (spaces); *plus as IIS logs it ('+'). */
const char *exh_iocset_ua(const struct exh_iocset *s, size_t i, const char **plus, bool *post_only,
                          const char **source);

#endif
