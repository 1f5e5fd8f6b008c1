/*
 * The pointers behind dl_zbar.h and the group that fills them.
 */
#include "dl_zbar.h"

KEL_DL_ZBAR_FUNCS(KEL_DL_DEFINE)

static const char *const sonames[] = {
	"libzbar.so.0", NULL
};

static const struct kel__dynsym syms[] = {
	KEL_DL_ZBAR_FUNCS(KEL_DL_ENTRY)
};

struct kel__dyngroup kel__dl_zbar =
	KEL_DYNGROUP_INIT("reading QR codes from images (zbar)", sonames, syms);
