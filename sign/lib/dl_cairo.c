/*
 * The pointers behind dl_cairo.h and the group that fills them.
 */
#include "dl_cairo.h"

KEL_DL_CAIRO_FUNCS(KEL_DL_DEFINE)

static const char *const sonames[] = {
	"libcairo.so.2", "libpangocairo-1.0.so.0", "libpango-1.0.so.0", "libgobject-2.0.so.0", NULL
};

static const struct kel__dynsym syms[] = {
	KEL_DL_CAIRO_FUNCS(KEL_DL_ENTRY)
};

struct kel__dyngroup kel__dl_cairo =
	KEL_DYNGROUP_INIT("rendering and image reading (cairo, pango)", sonames, syms);
