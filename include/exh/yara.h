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
/* Compile every .yar/.yara file named in paths (files or folders). On error
 * returns EXH_ERR_USAGE and describes it in msg. */
enum exh_err exh_yara_load(const char *const *paths, size_t n, struct exh_yara **out,
                           struct exh_buf *msg);
void exh_yara_free(struct exh_yara *y);

#endif
