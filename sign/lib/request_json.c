/*
 * Reading one JSON value of a request: its kind, its text, its place in the XML.
 */
#include <string.h>
#include <stdio.h>

#include "request_ctx.h"
#include "text.h"
#include "xml_safe.h"
#include "error_internal.h"
#include "kelisim/kzid.h"

void kel__rq_problem(struct rq_ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (++c->count > KEL_RQ_MAX_PROBLEMS)
		return;
	if (c->problems.size > 0)
		kel_buf_puts(&c->problems, "\n");
	kel_buf_printf(&c->problems, "%s: ", path);
	va_start(ap, fmt);
	kel_buf_vprintf(&c->problems, fmt, ap);
	va_end(ap);
}

const char *kel__rq_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* path + "." + key, for messages. */
void kel__rq_join(char *out, size_t size, const char *path, const char *key)
{
	if (path[0])
		snprintf(out, size, "%s.%s", path, key);
	else
		snprintf(out, size, "%s", key);
}

void kel__rq_check_keys(struct rq_ctx *c, json_t *obj, const char *path,
	const char *const *allowed)
{
	const char *key;
	json_t *value;
	char p[256];

	json_object_foreach(obj, key, value) {
		int known = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(key, *a) == 0)
				known = 1;
		if (!known) {
			kel__rq_join(p, sizeof(p), path, key);
			kel__rq_problem(c, p, "unknown key");
		}
	}
}

xmlNodePtr kel__rq_add(struct rq_ctx *c, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = xmlNewTextChild(parent, c->ns, BAD_CAST name, BAD_CAST text);
	if (n == NULL)
		c->oom = 1;
	return n;
}

/*
 * The string at obj[key]; NULL (after reporting) when missing, of the wrong kind or not
 * acceptable text. A missing optional string is NULL without a report.
 */
const char *kel__rq_get_text(struct rq_ctx *c, json_t *obj, const char *path, const char *key,
	int required, size_t max)
{
	json_t *v = json_object_get(obj, key);
	const char *s, *why;
	char p[256];

	kel__rq_join(p, sizeof(p), path, key);
	if (v == NULL) {
		if (required)
			kel__rq_problem(c, p, "missing");
		return NULL;
	}
	if (!json_is_string(v)) {
		kel__rq_problem(c, p, "must be a string, not %s", kel__rq_json_kind(v));
		return NULL;
	}
	s = json_string_value(v);   /* jansson refuses \u0000, so s holds the whole value */
	if ((why = kel__text_problem(s, max)) != NULL) {
		kel__rq_problem(c, p, "%s", why);
		return NULL;
	}
	return s;
}

void kel__rq_add_text(struct rq_ctx *c, xmlNodePtr parent, const char *name, json_t *obj,
	const char *path, const char *key, int required)
{
	const char *s = kel__rq_get_text(c, obj, path, key, required, KEL_TEXT_MAX);
	if (s)
		kel__rq_add(c, parent, name, s);
}

json_t *kel__rq_get_object(struct rq_ctx *c, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (v && !json_is_object(v)) {
		kel__rq_problem(c, path, "must be an object, not %s", kel__rq_json_kind(v));
		return NULL;
	}
	return v;
}

json_t *kel__rq_get_array(struct rq_ctx *c, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (v && !json_is_array(v)) {
		kel__rq_problem(c, path, "must be an array, not %s", kel__rq_json_kind(v));
		return NULL;
	}
	return v;
}

/* The value of a boolean key as "true"/"false", or NULL after reporting. */
const char *kel__rq_get_bool(struct rq_ctx *c, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return NULL;
	if (!json_is_boolean(v)) {
		kel__rq_problem(c, path, "must be true or false, not %s", kel__rq_json_kind(v));
		return NULL;
	}
	return json_is_true(v) ? "true" : "false";
}

void kel__rq_check_kzid(struct rq_ctx *c, const char *path, const char *value, int is_bin)
{
	const char *why = NULL;

	if (value && (is_bin ? kel_kzid_check_bin(value, &why) : kel_kzid_check_iin(value, &why)) < 0)
		kel__rq_problem(c, path, "%s", why);
}

void kel__rq_check_country(struct rq_ctx *c, const char *path, const char *code)
{
	if (code && !kel__country_is_known(code))
		kel__rq_problem(c, path, "'%.8s' is not an ISO 3166-1 alpha-2 country code", code);
}

void kel__rq_add_bool(struct rq_ctx *c, xmlNodePtr terms, json_t *root, const char *key,
	const char *element)
{
	const char *b = kel__rq_get_bool(c, root, key, key);
	if (b)
		kel__rq_add(c, terms, element, b);
}
