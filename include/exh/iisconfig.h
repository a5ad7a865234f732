/* iisconfig.h: the folders IIS's applicationHost.config names, for live mode
 * on Windows. Bytes in, paths out. The file is XML that IIS writes plainly,
 * and anyone with administrator rights can edit it, so it is read as
 * hostile input: every value is a slice of the bytes given. */
#ifndef EXH_IISCONFIG_H
#define EXH_IISCONFIG_H

#include <stddef.h>

#include "core.h"

enum exh_iis_path {
    EXH_IIS_LOG_DIR,  /* <logFile directory="..."> (site defaults and sites) */
    EXH_IIS_WEB_ROOT, /* <virtualDirectory physicalPath="..."> */
};

/* Calls fn for each non-empty value of those attributes, in file order,
 * outside XML comments (<!-- -->); the value is as written (%VARS% not
 * expanded). Returns the number of calls. */
size_t exh_iisconfig_paths(const char *x, size_t n,
                           void (*fn)(void *ud, enum exh_iis_path kind, struct exh_str value),
                           void *ud);

/* s with every %NAME% (1 to 63 bytes) replaced by get(NAME) when that is
 * not NULL; kept as written otherwise. Caller frees. */
char *exh_expand_env(const char *s, size_t n, const char *(*get)(const char *name));

#endif
