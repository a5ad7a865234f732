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

extern const struct exh_ioc_ip exh_ioc_ips[];
extern const size_t exh_nioc_ips;
extern const struct exh_ioc_ua exh_ioc_uas[];
extern const size_t exh_nioc_uas;

#endif
