/*
 * The evidence store's events on documents already stored: erasure (the bytes and the IIN go,
 * the log keeps the event), exports, and the expiry of consents past their period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kelisim/store.h"
#include "kelisim/uuid.h"
#include "error_internal.h"
#include "store_impl.h"
#include "text.h"

/* ---- Erasure, export, expiry ----------------------------------------------------------- */

/*
 * Start the write transaction an event about a stored document needs, with what the store
 * knows of it in *b; KEL_ENOTFOUND when id is not stored. On failure the transaction is over.
 */
static int begin_event(kel_store *s, const char *id, struct kel__doc_brief *b)
{
	int rc;

	if ((rc = kel__store_begin(s, 1)) < 0)
		return rc;
	if ((rc = kel__store_brief(s, id, b)) < 0)
		return kel__store_finish(s, rc);
	if (!b->found)
		return kel__store_finish(s, kel_fail(KEL_ENOTFOUND,
			"document '%s': not in the store", id));
	return 0;
}

int kel_store_erase(kel_store *s, const char *id, const char *reason)
{
	kel_merkle_frontier *work = NULL;
	struct kel__doc_brief b;
	char now_text[21];
	int rc;

	if (!s || !id)
		return kel_fail(KEL_EINVAL, "kel_store_erase: NULL argument");
	if ((rc = kel__store_check_line("reason", reason, 1)) < 0)
		return rc;
	if ((rc = begin_event(s, id, &b)) < 0)
		return rc;
	if (b.erased)
		return kel__store_finish(s, kel_fail(KEL_EINVALID,
			"document '%s': already erased", id));
	if ((rc = kel__store_start_append(s, &work)) < 0)
		return kel__store_finish(s, rc);
	kel__utc_format(kel__store_now(s), now_text);
	{
		kel__sql_val p[3] = { kel__sql_text(now_text), kel__sql_text(reason),
			kel__sql_text(id) };
		rc = kel__store_sql(s,
			"UPDATE documents SET body = NULL, size = 0, subject_iin = NULL, "
			"erased_at = ?, erase_reason = ? WHERE id = ?", 3, p, NULL, NULL);
	}
	if (rc == 0) {
		struct kel__store_event e;
		memset(&e, 0, sizeof e);
		e.event = "erased";
		e.time = kel__store_now(s);
		e.document = id;
		e.type = b.type;
		e.sha256 = b.sha256;
		e.reason = reason;
		rc = kel__store_log_append(s, work, &e, NULL);
	}
	return kel__store_end_append(s, work, rc);
}

int kel_store_log_export(kel_store *s, const char *id, const char *detail, uint64_t *leaf)
{
	kel_merkle_frontier *work = NULL;
	struct kel__doc_brief b;
	struct kel__store_event e;
	int rc;

	if (!s || !id)
		return kel_fail(KEL_EINVAL, "kel_store_log_export: NULL argument");
	if (detail && (rc = kel__store_check_line("detail", detail, 0)) < 0)
		return rc;
	if ((rc = begin_event(s, id, &b)) < 0)
		return rc;
	if ((rc = kel__store_start_append(s, &work)) < 0)
		return kel__store_finish(s, rc);
	memset(&e, 0, sizeof e);
	e.event = "exported";
	e.time = kel__store_now(s);
	e.document = id;
	e.type = b.type;
	e.sha256 = b.sha256;
	e.detail = detail && *detail ? detail : NULL;
	rc = kel__store_log_append(s, work, &e, leaf);
	return kel__store_end_append(s, work, rc);
}

struct expiry {
	char id[KEL_UUID_STRLEN + 1];
	char type[32];
	char until[11];
};

struct expiry_list {
	struct expiry *v;
	size_t n, cap;
};

static int row_expiry(void *ctx, int ncol, const kel__sql_val *col)
{
	struct expiry_list *l = ctx;
	if (ncol < 3 || !kel__sql_col_text(&col[0]) || !kel__sql_col_text(&col[1]) ||
	    !kel__sql_col_text(&col[2]))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct expiry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return kel_fail(KEL_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	snprintf(l->v[l->n].id, sizeof l->v[l->n].id, "%s", kel__sql_col_text(&col[0]));
	snprintf(l->v[l->n].type, sizeof l->v[l->n].type, "%s", kel__sql_col_text(&col[1]));
	snprintf(l->v[l->n].until, sizeof l->v[l->n].until, "%s", kel__sql_col_text(&col[2]));
	l->n++;
	return 0;
}

int kel_store_log_expiries(kel_store *s, uint64_t *count)
{
	kel_merkle_frontier *work = NULL;
	struct expiry_list l = { NULL, 0, 0 };
	char today[11];
	int rc;

	if (count)
		*count = 0;
	if (!s)
		return kel_fail(KEL_EINVAL, "kel_store_log_expiries: NULL argument");
	kel__kz_date(kel__store_now(s), today);
	if ((rc = kel__store_begin(s, 1)) < 0)
		return rc;
	{
		kel__sql_val p[1] = { kel__sql_text(today) };
		rc = kel__store_sql(s, "SELECT id, type, period_until FROM documents WHERE "
			"type IN ('consent', 'cross-border-consent') AND period_until < ? AND "
			"erased_at IS NULL AND expired_leaf IS NULL ORDER BY leaf", 1, p, row_expiry,
			&l);
	}
	if (rc < 0 || l.n == 0) {
		free(l.v);
		return kel__store_finish(s, rc);
	}
	if ((rc = kel__store_start_append(s, &work)) < 0) {
		free(l.v);
		return kel__store_finish(s, rc);
	}
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct kel__store_event e;
		uint64_t leaf;
		memset(&e, 0, sizeof e);
		e.event = "expired";
		e.time = kel__store_now(s);
		e.document = l.v[i].id;
		e.type = l.v[i].type;
		e.until = l.v[i].until;
		rc = kel__store_log_append(s, work, &e, &leaf);
		if (rc == 0) {
			kel__sql_val p[2] = { kel__sql_int((int64_t)leaf),
				kel__sql_text(l.v[i].id) };
			rc = kel__store_sql(s, "UPDATE documents SET expired_leaf = ? WHERE id = ?",
				2, p, NULL, NULL);
		}
	}
	if (rc == 0 && count)
		*count = l.n;
	free(l.v);
	return kel__store_end_append(s, work, rc);
}
