/* iocread.h: indicator files as responders receive them, read into typed
 * indicators. A reader: bytes in, items out through a sink; it never prints,
 * never exits, and keeps nothing after it returns (each item's strings are
 * valid only during the sink's call).
 *
 * Formats, recognised by content (never by the file's name):
 *   STIX 2.1 bundles (JSON; indicator objects with STIX patterns, or YARA
 *   patterns), MISP event JSON (an event, a list of them, or a REST search
 *   answer) and MISP CSV exports, CHIRP YAML (CISA), OpenIOC 1.0/1.1 XML,
 *   Loki/signature-base lists (hash-iocs "hash;comment", filename-iocs
 *   "regex;score[;false-positive regex]", c2-iocs "domain-or-ip[;score]"),
 *   the MSTIC, Volexity and HvS CSVs, and plain lists of hashes, addresses,
 *   domains, URLs, paths, file names and user agents (one per line).
 *
 * Every value is checked against its type before it becomes an item: a
 * hash is 32, 40 or 64 hex digits, an address or range parses, a domain is
 * a host name with a dot, a user agent looks like one. What is not
 * understood goes to the sink's skip() with where it was, and is counted by
 * the caller; a file with nothing understood is the caller's error. */
#ifndef EXH_IOCREAD_H
#define EXH_IOCREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

enum exh_ioc_type {
    EXH_IOC_HASH,   /* MD5, SHA-1 or SHA-256, hex */
    EXH_IOC_IP,     /* an IPv4/IPv6 address or a CIDR range */
    EXH_IOC_DOMAIN, /* a host or domain name */
    EXH_IOC_URL,    /* a URL with a scheme and a host */
    EXH_IOC_PATH,   /* a Windows path (a folder when it ends with '\') */
    EXH_IOC_NAME,   /* a bare file name */
    EXH_IOC_REGEX,  /* a Loki-style regex over a file's full path, with a score */
    EXH_IOC_UA,     /* a user agent */
    EXH_IOC_YARA,   /* the text of YARA rules a bundle carries */
    EXH_IOC__COUNT
};
/* "hash", "ip", "domain", "url", "path", "name", "regex", "user-agent", "yara" */
const char *exh_ioc_type_name(enum exh_ioc_type t);

enum exh_ioc_format {
    EXH_IOCF_NONE, /* nothing recognised */
    EXH_IOCF_LIST, /* plain or Loki lists */
    EXH_IOCF_CSV,  /* MSTIC, Volexity, HvS or MISP CSV */
    EXH_IOCF_STIX,
    EXH_IOCF_MISP,
    EXH_IOCF_CHIRP,
    EXH_IOCF_OPENIOC,
    EXH_IOCF__COUNT
};
/* "list", "CSV", "STIX 2.1", "MISP JSON", "CHIRP YAML", "OpenIOC" */
const char *exh_ioc_format_name(enum exh_ioc_format f);

struct exh_ioc_item {
    enum exh_ioc_type type;
    struct exh_str value;     /* as checked and trimmed (hash: hex; yara: rule text) */
    int score;                /* Loki score 0..100, -1 when none */
    struct exh_str exclude;   /* Loki's false-positive regex (empty when none) */
    struct exh_str title;     /* the indicator's or its event's name (may be empty) */
    struct exh_str reference; /* a URL or report id (may be empty) */
    struct exh_str note;      /* a description or comment (may be empty) */
    int confidence;           /* 0..100, -1 when the format has none */
};

struct exh_ioc_sink {
    void *ud;
    void (*item)(void *ud, const struct exh_ioc_item *it);
    /* Something that gave no item. `where`: "line 12", "object 3
     * (indicator--...)", "document 2", "IndicatorItem 5"; `why`: a short
     * phrase. understood: the format and entry were understood but are of a
     * kind exhunt does not match (an event-log check, a registry key, a
     * STIX relationship); otherwise the entry was not understood. */
    void (*skip)(void *ud, const char *where, const char *why, bool understood);
};

/* Largest indicator file read (a caller refuses bigger ones unread). */
#define EXH_IOC_FILE_MAX (256u << 20)
/* Longest line or value looked at in a list (longer ones are skipped). */
#define EXH_IOC_LINE_MAX 8192u

/* Read p[0..n): returns the format it was read as, EXH_IOCF_NONE when it is
 * none (err says what it looked like). A file recognised but unreadable as
 * a whole (JSON that does not parse, XML with a DTD, YAML too deep) also
 * returns EXH_IOCF_NONE with err set: no item has been given then. */
enum exh_ioc_format exh_ioc_read(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink,
                                 char *err, size_t errn);

/* Shared by the readers (src/read/ioc_*.c); exported for the tests. */

/* A vendor's type name ("sha256", "ip-dst", "ipaddress", "domainname",
 * "hostname", "url", "user-agent", "filename", "fullpath", "yara",
 * "filename|md5", ...) as a type; false when it names none exhunt matches.
 * *second: for MISP's composite "a|b" types, the type of the part after the
 * '|' (the value's part before it is a name or address). */
bool exh_ioc_type_by_name(struct exh_str name, enum exh_ioc_type *t, bool *composite,
                          enum exh_ioc_type *second);
/* Is v (trimmed in place) a good value of type t? Hashes are hex of 32, 40
 * or 64 digits; an IP parses as an address or CIDR range; a domain is
 * labels of letters, digits, '-' and '_' with a dot and a letter in the
 * last label; a URL has a scheme and a host; a path has a '\' or '/'; a
 * name has none; a user agent is printable and 4+ bytes; a regex is
 * printable. "[.]" and "hxxp" defanging is undone by the callers. */
bool exh_ioc_check(enum exh_ioc_type t, struct exh_str *v);
/* The type of an untyped value, by its look: hash, IP/range, URL, path,
 * file name (a known file extension), domain; false when none. User agents
 * are never guessed here. */
bool exh_ioc_guess(struct exh_str v, enum exh_ioc_type *t);
/* Undo common defanging into buf: "hxxp" -> "http", "[.]" and "(.)" -> ".",
 * "[:]" -> ":"; returns the value (v itself when nothing changed). */
struct exh_str exh_ioc_refang(struct exh_str v, struct exh_buf *buf);

/* Give one typed value to the sink after refanging and checking it (a bad
 * value becomes a skip at `where`, "not a <type>"). */
void exh_ioc_give(const struct exh_ioc_sink *sink, enum exh_ioc_type t, struct exh_str value,
                  const struct exh_ioc_item *meta, const char *where);

/* The format readers; each returns false with err set when the bytes are
 * not (or not readably) its format, having given nothing. */
bool exh_ioc_read_json(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink,
                       enum exh_ioc_format *fmt, char *err, size_t errn);
bool exh_ioc_read_chirp(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink, char *err,
                        size_t errn);
bool exh_ioc_read_openioc(const uint8_t *p, size_t n, const struct exh_ioc_sink *sink, char *err,
                          size_t errn);

#endif
