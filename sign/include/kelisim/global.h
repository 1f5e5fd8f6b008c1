/*
 * Library set-up and tear-down.
 *
 * kel_init() prepares libxml2, libxslt and xmlsec with network access, DTD loading and
 * external entities turned off, and loads the embedded document schema. Call it once before
 * any other call, and kel_shutdown() once at the end. Calls nest: only the outermost
 * kel_shutdown() releases. Both may be called from any thread (they take a lock), but the
 * outermost kel_shutdown() only when no other thread is still inside the library. What
 * threads may share between the two is in doc.h ("Threads").
 */
#ifndef KELISIM_GLOBAL_H
#define KELISIM_GLOBAL_H

#include "common.h"

KEL_EXTERN(int) kel_init(void) KEL_WARN_UNUSED;
KEL_EXTERN(void) kel_shutdown(void);

/* The library's version string, e.g. "0.1.0". */
KEL_EXTERN(const char *) kel_version(void);

#endif
