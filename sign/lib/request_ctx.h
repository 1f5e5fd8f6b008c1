/*
 * Shared by the files that read a request: the reading context, and helpers that check one
 * JSON value and emit it as XML. Each problem is recorded with the field's path.
 */
#ifndef KEL_REQUEST_CTX_H
#define KEL_REQUEST_CTX_H

#include <jansson.h>
#include <libxml/tree.h>
#include "kelisim/doc.h"
#include "buf_internal.h"

/* One request being read: the problems found so far, and where its XML goes. */
struct rq_ctx {
	kel_buf problems;
	int count;
	int oom;
	xmlNsPtr ns;
	kel_doc_type type;
	const char *today;
	xmlNodePtr body;
};

/* Problems past this many are counted but not listed. */
#define KEL_RQ_MAX_PROBLEMS 50

/* Record "path: problem" (request_json.c, like the helpers below). */
void kel__rq_problem(struct rq_ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "an object", "a string", ... for messages. */
const char *kel__rq_json_kind(const json_t *v);
void kel__rq_join(char *out, size_t size, const char *path, const char *key);
void kel__rq_check_keys(struct rq_ctx *c, json_t *obj, const char *path,
	const char *const *allowed);
xmlNodePtr kel__rq_add(struct rq_ctx *c, xmlNodePtr parent, const char *name, const char *text);
/*
 * The text at obj[key], checked as free text of at most max characters; NULL (after
 * recording why) when missing and required, of the wrong kind, or not acceptable.
 */
const char *kel__rq_get_text(struct rq_ctx *c, json_t *obj, const char *path, const char *key,
	int required, size_t max);
void kel__rq_add_text(struct rq_ctx *c, xmlNodePtr parent, const char *name, json_t *obj,
	const char *path, const char *key, int required);
json_t *kel__rq_get_object(struct rq_ctx *c, json_t *obj, const char *key, const char *path);
json_t *kel__rq_get_array(struct rq_ctx *c, json_t *obj, const char *key, const char *path);
const char *kel__rq_get_bool(struct rq_ctx *c, json_t *obj, const char *key, const char *path);
void kel__rq_check_kzid(struct rq_ctx *c, const char *path, const char *value, int is_bin);
void kel__rq_check_country(struct rq_ctx *c, const char *path, const char *code);
void kel__rq_add_bool(struct rq_ctx *c, xmlNodePtr terms, json_t *root, const char *key,
	const char *element);

/* The parts of Terms (request_terms.c). */
void kel__rq_read_text_list(struct rq_ctx *c, xmlNodePtr terms, json_t *root, const char *key,
	const char *list_name, const char *item_name, size_t max_items);
void kel__rq_read_actions(struct rq_ctx *c, xmlNodePtr terms, json_t *root);
void kel__rq_read_storage(struct rq_ctx *c, xmlNodePtr terms, json_t *root);
void kel__rq_read_cross_border(struct rq_ctx *c, xmlNodePtr terms, json_t *root);
void kel__rq_read_period(struct rq_ctx *c, xmlNodePtr terms, json_t *root);

/* The statement of an evidence-statement (request_statement.c). */
void kel__rq_read_statement(struct rq_ctx *c, xmlNodePtr parent, json_t *root);
/* date (YYYY-MM-DD) plus days, into out; -1 for a date that is not valid. */
int kel__date_add_days(const char *date, int days, char out[11]);

#endif
