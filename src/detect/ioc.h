/* ioc.h: built-in indicators (generated from data/ by tools/gen-data.sh). */
#ifndef EXH_DETECT_IOC_H
#define EXH_DETECT_IOC_H

#include <stddef.h>

struct exh_ioc_ip {
    const char *ip;
    const char *source;
};

struct exh_ioc_ua {
    const char *ua;      /* as sent, with spaces */
    const char *ua_plus; /* as IIS logs it, spaces as '+' */
    int post_only;       /* report only on POST requests */
    const char *source;
};

struct exh_ioc_hash_src {
    const char *hex; /* MD5, SHA-1 or SHA-256, lower case */
    const char *source;
    const char *note;
};

struct exh_ioc_path_src {
    const char *path; /* lower case, '/' separators, no drive */
    const char *source;
};

extern const struct exh_ioc_hash_src exh_ioc_hashes[];
extern const size_t exh_nioc_hashes;
extern const struct exh_ioc_path_src exh_ioc_paths[];
extern const size_t exh_nioc_paths;
extern const struct exh_ioc_path_src exh_ioc_names[]; /* file names only */
extern const size_t exh_nioc_names;
extern const struct exh_ioc_ip exh_ioc_ips[];
extern const size_t exh_nioc_ips;
extern const struct exh_ioc_ua exh_ioc_uas[];
extern const size_t exh_nioc_uas;

#endif
