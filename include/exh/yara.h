/* yara.h: optional YARA rules (--yara), through libyara when exhunt is built
 * with it. The compiled rules are shared read-only by the scan's threads. */
#ifndef EXH_YARA_H
#define EXH_YARA_H

#include <stdbool.h>
#include <stddef.h>

#include "core.h"
#include "err.h"
#include "os.h"

struct exh_yara;

bool exh_yara_available(void);
struct exh_iocset;
/* Compile every .yar/.yara file named in paths (files or folders) and the
 * YARA rule texts of the indicator set (may be NULL). What does not compile
 * is described in msg, one line each, and left out; EXH_ERR_USAGE when
 * nothing compiled. */
enum exh_err exh_yara_load(const char *const *paths, size_t n, const struct exh_iocset *iocs,
                           struct exh_yara **out, struct exh_buf *msg);
void exh_yara_free(struct exh_yara *y);

#endif
