/*
 * Libraries only some commands need, loaded on their first use.
 *
 * Rendering (cairo, pango), reading QR codes from images (zbar) and the PostgreSQL back end
 * (libpq) bring about seventy further libraries with them: X11, D-Bus, Kerberos, LDAP,
 * GnuTLS, glib, harfbuzz... Linked in, the dynamic loader mapped all of them for every
 * process, `kelisim sign` and `kelisim verify` included, and process start-up cost more than
 * the signing itself. Now libkelisim.so links only what every command needs; each of these
 * groups is dlopen()ed the first time a function that needs it runs, and its functions are
 * called through pointers (the dl_*.h headers redirect the names). A group that cannot be
 * loaded fails that call with KEL_EUNSUPPORTED, naming the library.
 */
#ifndef KEL_DYNLOAD_H
#define KEL_DYNLOAD_H

#include <pthread.h>
#include <stddef.h>

/* One function to resolve: its name, and where its address goes. */
struct kel__dynsym {
	const char *name;
	void **slot;
};

/* A group of libraries (by soname, in load order) and the functions taken from them. */
struct kel__dyngroup {
	const char *what;                  /* for messages: "rendering (cairo, pango)" */
	const char *const *sonames;        /* NULL-terminated */
	const struct kel__dynsym *syms;
	size_t nsyms;
	pthread_once_t once;
	int loaded;
	char problem[512];                 /* why loading failed, when it did */
};

#define KEL_DYNGROUP_INIT(what, sonames, syms) \
	{ (what), (sonames), (syms), sizeof(syms) / sizeof((syms)[0]), PTHREAD_ONCE_INIT, 0, "" }

/*
 * Load the group once per process (later calls only report the outcome). 0 when every
 * function was found; otherwise KEL_EUNSUPPORTED with a message naming what is missing. The
 * libraries stay loaded until the process ends.
 */
int kel__dynload(struct kel__dyngroup *group);

/* Whether the group has been loaded (for shutdown code that must not load it). */
int kel__dynloaded(const struct kel__dyngroup *group);

#endif

/* For the dl_*.h headers: a pointer per function, declared, defined, and listed for loading. */
#define KEL_DL_DECLARE(f) extern __typeof__(f) *kel__dl_##f;
#define KEL_DL_DEFINE(f) __typeof__(f) *kel__dl_##f;
#define KEL_DL_ENTRY(f) { #f, (void **)&kel__dl_##f },
