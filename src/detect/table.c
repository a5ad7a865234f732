/* table.c: the detector table from detectors.def. */
#include "detectors.h"
#include "exh/banned.h"

const struct exh_detector exh_detectors[] = {
#define DETECTOR(name, inputs, needles, ioc_needles, all_lines, on_line, on_file, on_event)        \
    {#name, inputs, needles, ioc_needles, all_lines, on_line, on_file, on_event},
#include "detectors.def"
#undef DETECTOR
};

const size_t exh_ndetectors = sizeof(exh_detectors) / sizeof(exh_detectors[0]);
