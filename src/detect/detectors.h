/* detectors.h: the functions and needle lists that detectors.def's rows
 * name, declared from the rows themselves (the naming convention is in
 * detectors.def). */
#ifndef EXH_DETECTORS_H
#define EXH_DETECTORS_H

#include "exh/detect.h"

#define EXH_DET_DECL_NEEDLES(name) extern const char *const exh_det_##name##_needles[];
#define EXH_DET_DECL_IOC_NEEDLES(name)
#define EXH_DET_DECL_ALL_LINES(name)
#define LINE_DETECTOR(name, inputs, select)                                                        \
    EXH_DET_DECL_##select(name) void exh_det_##name##_line(struct exh_emitter *em,                 \
                                                           const struct exh_logrec *rec);
#define FILE_DETECTOR(name)                                                                        \
    void exh_det_##name##_file(struct exh_emitter *em, const struct exh_file *f);
#define EVENT_DETECTOR(name)                                                                       \
    void exh_det_##name##_event(struct exh_emitter *em, const struct exh_evrec *ev);
#include "detectors.def"
#undef LINE_DETECTOR
#undef FILE_DETECTOR
#undef EVENT_DETECTOR
#undef EXH_DET_DECL_NEEDLES
#undef EXH_DET_DECL_IOC_NEEDLES
#undef EXH_DET_DECL_ALL_LINES

#endif
