/* classify.h: what a file is, from its first bytes and its name/location.
 * Cheap: looks at most at the first 8 KiB. */
#ifndef EXH_CLASSIFY_H
#define EXH_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exh/detect.h"

struct exh_class {
    enum exh_family family; /* EXH_FAM_NONE when not a log we read */
    bool expect_log;        /* name or location says it should be a log */
    bool binary;            /* NUL bytes in the head: not text */
};

/* path: the full path (used for location facts); name: its last component. */
void exh_classify(const char *path, const char *name, const uint8_t *p, size_t n,
                  struct exh_class *out);

#endif
