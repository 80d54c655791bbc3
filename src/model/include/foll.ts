/**
 * GUP flags callers may pass (the modern enum numbering; the values have changed across releases and
 * only their meaning is modelled). @kernel include/linux/mm_types.h (enum FOLL_*)
 */
export const FOLL_WRITE = 1 << 0;
export const FOLL_GET = 1 << 1;
export const FOLL_FORCE = 1 << 3;
export const FOLL_NOFAULT = 1 << 5;
export const FOLL_LONGTERM = 1 << 8;

/** Internal flags (mm/internal.h): set by GUP itself, refused from callers by is_valid_gup_args(). */
export const FOLL_TOUCH = 1 << 16;
export const FOLL_PIN = 1 << 19;
export const FOLL_FAST_ONLY = 1 << 20;

export const INTERNAL_GUP_FLAGS = FOLL_TOUCH | FOLL_PIN | FOLL_FAST_ONLY;
