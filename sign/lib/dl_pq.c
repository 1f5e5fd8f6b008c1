/*
 * The pointers behind dl_pq.h and the group that fills them.
 */
#include "dl_pq.h"

KEL_DL_PQ_FUNCS(KEL_DL_DEFINE)

static const char *const sonames[] = {
	"libpq.so.5", NULL
};

static const struct kel__dynsym syms[] = {
	KEL_DL_PQ_FUNCS(KEL_DL_ENTRY)
};

struct kel__dyngroup kel__dl_pq =
	KEL_DYNGROUP_INIT("the PostgreSQL store (libpq)", sonames, syms);
