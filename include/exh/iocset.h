/* iocset.h: a set of typed indicators (iocread.h): file hashes, addresses
 * and ranges, domains and URLs, file paths, names and Loki-style path
 * regexes, user agents and YARA rule texts. It starts with the built-in
 * lists (data/, credited in NOTICE) and grows with --ioc files, each kept as
 * a feed with what it gave per type. A set is immutable while a scan runs
 * and may be shared by threads.
 *
 * Each type is looked up where it can appear:
 *   hash           a file's MD5, SHA-1 or SHA-256            exh_iocset_hash
 *   ip             a request's client and forwarded addresses exh_iocset_ip
 *   domain, url    a request's URL, query and referrer, and
 *                  the text of pages and scripts             exh_iocset_web
 *   path, name     the files walked                          exh_iocset_path, _name
 *   regex          the files walked (full Windows path)      exh_iocset_regex
 *   user-agent     the user-agent field                      exh_iocset_ua
 *   yara           compiled beside --yara rules              exh_iocset_yara */
#ifndef EXH_IOCSET_H
#define EXH_IOCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iocread.h"
#include "netaddr.h"

struct exh_iocset;

/* What a finding says of the indicator it matched. Owned by the set. */
struct exh_ioc_meta {
    const char *feed; /* the --ioc file as given, or "built-in (<list>)" */
    size_t feed_ix;
    enum exh_ioc_type type;
    const char *value;                    /* as listed */
    const char *title, *reference, *note; /* NULL when the format gave none */
    int confidence;                       /* 0..100, -1 none */
    int score;                            /* Loki's, -1 none */
    bool post_only;                       /* a user agent that counts on POST requests only */
};

/* One feed: an indicator file (or a built-in list) and what it gave. */
struct exh_ioc_feed {
    char *name;
    bool builtin;
    enum exh_ioc_format format;
    size_t loaded[EXH_IOC__COUNT];
    size_t unused; /* understood, of a kind exhunt does not match */
    size_t bad;    /* not understood */
};

struct exh_iocset *exh_iocset_new(bool builtin);
void exh_iocset_free(struct exh_iocset *s);

struct exh_ioc_load_stats {
    enum exh_ioc_format format;
    size_t loaded[EXH_IOC__COUNT];
    size_t unused, bad;
    size_t no_regex; /* file-name regexes not used: a build without PCRE2 (counted in unused) */
    char err[256];   /* why nothing was read (when load returns false) */
};
/* Called for each entry that gave nothing, with where and why. */
typedef void (*exh_ioc_note_fn)(void *ud, const char *where, const char *why, bool understood);

/* Add the indicators in p[0..n) as the feed `name`. False when the bytes
 * are no indicator file at all: no format recognised, unreadable as a
 * whole, or not one entry understood (st->err says which); the set then
 * keeps nothing of them. note may be NULL. */
bool exh_iocset_load(struct exh_iocset *s, const char *name, const uint8_t *p, size_t n,
                     struct exh_ioc_load_stats *st, exh_ioc_note_fn note, void *ud);

/* Sort and index the set; call once after the last load, before sharing it
 * between threads (lookups before it are linear but correct). */
void exh_iocset_prepare(struct exh_iocset *s);

size_t exh_iocset_nfeeds(const struct exh_iocset *s);
const struct exh_ioc_feed *exh_iocset_feed(const struct exh_iocset *s, size_t i);
/* Every indicator loaded (each entry of each feed), in load order. */
size_t exh_iocset_nmetas(const struct exh_iocset *s);
const struct exh_ioc_meta *exh_iocset_meta(const struct exh_iocset *s, size_t i);
/* How many indicators of type t the set holds (all feeds). */
size_t exh_iocset_count(const struct exh_iocset *s, enum exh_ioc_type t);

/* A digest of 16, 20 or 32 bytes: the first listing of it, or NULL. */
const struct exh_ioc_meta *exh_iocset_hash(const struct exh_iocset *s, const uint8_t *d,
                                           size_t len);
bool exh_iocset_has_hashes(const struct exh_iocset *s);
/* A file path (any case, '/' or '\'): a listed path it is (compared from
 * its web-relevant part on: inetpub/, frontend/, ..., so a copy mounted
 * anywhere matches), or NULL. */
const struct exh_ioc_meta *exh_iocset_path(const struct exh_iocset *s, const char *path);
/* A file name (any case): a listed name, or NULL. */
const struct exh_ioc_meta *exh_iocset_name(const struct exh_iocset *s, struct exh_str name);
/* A Loki regex that matches the Windows form of a path ("C:\inetpub\...",
 * see exh_iocset_winpath) and not its false-positive regex, or NULL.
 * Regexes are tried only where a literal they need occurs. */
const struct exh_ioc_meta *exh_iocset_regex(const struct exh_iocset *s, const char *winpath,
                                            size_t n);
bool exh_iocset_has_regex(const struct exh_iocset *s);
/* The Windows form of a path as opened: '\' separators, and from the first
 * well-known top folder (inetpub, Program Files, Windows, Users,
 * ProgramData, ...) on under "C:\" when it has no drive letter. */
void exh_iocset_winpath(const char *path, struct exh_buf *out);
/* An address: a listed one or a listed range holding it, or NULL. */
const struct exh_ioc_meta *exh_iocset_ip(const struct exh_iocset *s, const struct exh_ip *ip);
/* A user-agent field: the listed agent it starts with (any case, spaces or
 * '+'), or NULL; those that count on POST requests only are skipped unless
 * post (another listing of the same agent may still match). */
const struct exh_ioc_meta *exh_iocset_ua(const struct exh_iocset *s, struct exh_str ua, bool post);
/* The first listed domain (standing alone: "x.evil.example" names
 * evil.example, "notevil.example" does not) or URL in p[0..n), any case;
 * *at and *len say where. NULL when none. */
const struct exh_ioc_meta *exh_iocset_web(const struct exh_iocset *s, const char *p, size_t n,
                                          size_t *at, size_t *len);
bool exh_iocset_has_web(const struct exh_iocset *s);

/* The literals a log line must hold for an address, user agent, domain or
 * URL of the set to be in it (for the pre-filter; all 4+ bytes), and the
 * one-pass test with them: false means surely none. */
size_t exh_iocset_line_needles(const struct exh_iocset *s, const char *const **out);
bool exh_iocset_line_may_match(const struct exh_iocset *s, const char *p, size_t n);

/* The YARA rule texts the feeds carried. */
size_t exh_iocset_nyara(const struct exh_iocset *s);
const struct exh_ioc_meta *exh_iocset_yara(const struct exh_iocset *s, size_t i);

#endif
