/* table.c: the detector table from detectors.def. */
#include "detectors.h"
#include "exh/banned.h"

/* a row's select column: the needle list and the two flags */
#define NEEDLES_NEEDLES(name) exh_det_##name##_needles, false, false
#define NEEDLES_IOC_NEEDLES(name) NULL, true, false
#define NEEDLES_ALL_LINES(name) NULL, false, true

const struct exh_detector exh_detectors[] = {
#define LINE_DETECTOR(name, inputs, select)                                                        \
    {#name, inputs, NEEDLES_##select(name), exh_det_##name##_line, NULL, NULL},
#define FILE_DETECTOR(name) {#name, 0, NULL, false, false, NULL, exh_det_##name##_file, NULL},
#define EVENT_DETECTOR(name) {#name, 0, NULL, false, false, NULL, NULL, exh_det_##name##_event},
#include "detectors.def"
#undef LINE_DETECTOR
#undef FILE_DETECTOR
#undef EVENT_DETECTOR
};

const size_t exh_ndetectors = sizeof(exh_detectors) / sizeof(exh_detectors[0]);
