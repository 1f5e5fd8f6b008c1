/*
 * dlopen() of optional library groups; see dynload.h for why.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "dynload.h"
#include "error_internal.h"

#define MAX_LIBS 8

/*
 * pthread_once() takes no argument: the group being loaded is handed over in a
 * thread-local, which is safe because each group's once-control runs its routine in the
 * thread that called kel__dynload().
 */
static _Thread_local struct kel__dyngroup *loading;

static void load(void)
{
	struct kel__dyngroup *g = loading;
	void *handles[MAX_LIBS];
	size_t n = 0;

	for (; g->sonames[n] != NULL; n++) {
		if (n == MAX_LIBS) {
			snprintf(g->problem, sizeof(g->problem), "too many libraries");
			return;
		}
		/* RTLD_LOCAL: nothing here leaks into the global symbol scope. */
		if ((handles[n] = dlopen(g->sonames[n], RTLD_NOW | RTLD_LOCAL)) == NULL) {
			const char *why = dlerror();
			snprintf(g->problem, sizeof(g->problem), "cannot load %s: %s",
				g->sonames[n], why ? why : "unknown error");
			return;
		}
	}
	for (size_t i = 0; i < g->nsyms; i++) {
		void *addr = NULL;
		for (size_t h = 0; h < n && addr == NULL; h++)
			addr = dlsym(handles[h], g->syms[i].name);
		if (addr == NULL) {
			snprintf(g->problem, sizeof(g->problem), "%s not found in %s%s",
				g->syms[i].name, g->sonames[0], n > 1 ? " and the rest" : "");
			return;
		}
		*g->syms[i].slot = addr;
	}
	g->loaded = 1;
}

int kel__dynload(struct kel__dyngroup *group)
{
	loading = group;
	pthread_once(&group->once, load);
	loading = NULL;
	if (!group->loaded)
		return kel_fail(KEL_EUNSUPPORTED, "%s is not available: %s", group->what,
			group->problem);
	return 0;
}

int kel__dynloaded(const struct kel__dyngroup *group)
{
	return group->loaded;
}
