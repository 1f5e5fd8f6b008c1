/*
 * Files built into the library at compile time (the schema and the wording templates),
 * generated from the source tree by cmake/embed.cmake.
 */
#ifndef KEL_RESOURCES_H
#define KEL_RESOURCES_H

#include <stddef.h>

struct kel_resource {
	const char *path;            /* as in the source tree: "templates/consent/kk.xsl" */
	const unsigned char *data;
	size_t size;
};

/* The resource at path, or NULL. */
const struct kel_resource *kel__resource_find(const char *path);

#endif
