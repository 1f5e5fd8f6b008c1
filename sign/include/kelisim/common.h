/*
 * Macros shared by every public header.
 */
#ifndef KELISIM_COMMON_H
#define KELISIM_COMMON_H

#include <stddef.h>

#if defined(__GNUC__)
# define KEL_EXTERN(type) __attribute__((visibility("default"))) type
# define KEL_WARN_UNUSED __attribute__((warn_unused_result))
#else
# define KEL_EXTERN(type) type
# define KEL_WARN_UNUSED
#endif

#define KELISIM_VERSION_MAJOR 0
#define KELISIM_VERSION_MINOR 1
#define KELISIM_VERSION_PATCH 0
#define KELISIM_VERSION "0.1.0"

#endif
