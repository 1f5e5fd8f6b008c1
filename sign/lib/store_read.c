/*
 * Reading the evidence store: a document's bytes, and the index listed with each document's
 * DPV status (docs/store.md, "Status"), also a subject's consents by IIN.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kelisim/store.h"
#include "kelisim/doc.h"
#include "kelisim/kzid.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "store_impl.h"
#include "text.h"

/* ---- Reading --------------------------------------------------------------------------- */

struct body {
	int found;
	int erased;
	char erased_at[32];
	char reason[TEXT_FIELD_MAX * 4 + 1];
	kel_buf *out;
	int rc;
};

static int row_body(void *ctx, int ncol, const kel__sql_val *col)
{
	struct body *b = ctx;
	if (ncol < 3)
		return 0;
	b->found = 1;
	if (col[0].type == KEL_SQL_NULL) {
		b->erased = 1;
		if (col[1].type == KEL_SQL_TEXT)
			snprintf(b->erased_at, sizeof b->erased_at, "%s", (const char *)col[1].p);
		if (col[2].type == KEL_SQL_TEXT)
			snprintf(b->reason, sizeof b->reason, "%s", (const char *)col[2].p);
		return 0;
	}
	kel_buf_clear(b->out);
	if (col[0].len == 0)
		return kel_buf_puts(b->out, "");
	return kel_buf_put(b->out, col[0].p, col[0].len);
}

int kel_store_get(kel_store *s, const char *id, kel_buf *out)
{
	struct body b;
	int rc;

	if (!s || !id || !out)
		return kel_fail(KEL_EINVAL, "kel_store_get: NULL argument");
	memset(&b, 0, sizeof b);
	b.out = out;
	kel__sql_val p[1] = { kel__sql_text(id) };
	rc = kel__store_sql(s, "SELECT body, erased_at, erase_reason FROM documents WHERE id = ?",
		1, p, row_body, &b);
	if (rc < 0)
		return rc;
	if (!b.found)
		return kel_fail(KEL_ENOTFOUND, "document '%s': not in the store", id);
	if (b.erased)
		return kel_fail(KEL_ENOTFOUND, "document '%s': erased at %s (%s)", id, b.erased_at,
			b.reason);
	return 0;
}

/* ---- Listing and status --------------------------------------------------------------- */

static const char *const status_names[] = {
	NULL, "ConsentGiven", "ConsentWithdrawn", "ConsentExpired", "Erased"
};

const char *kel_store_status_name(kel_store_status st)
{
	if ((int)st <= 0 || (size_t)st >= sizeof status_names / sizeof status_names[0])
		return NULL;
	return status_names[st];
}

kel_store_status kel_store_status_from_name(const char *name)
{
	for (size_t i = 1; name && i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(name, status_names[i]) == 0)
			return (kel_store_status)i;
	return KEL_STATUS_NONE;
}

#define LIST_SELECT \
	"SELECT d.id, d.type, d.issued_at, d.subject_iin, d.operator_bin, d.processor_bin, " \
	"d.refers_to, d.period_from, d.period_until, d.sha256, d.size, d.leaf, d.stored_at, " \
	"d.erased_at, d.erase_reason, w.id, w.issued_at, n.id, n.issued_at " \
	"FROM documents d " \
	"LEFT JOIN documents w ON w.id = (SELECT x.id FROM documents x WHERE " \
	"d.type IN ('consent', 'cross-border-consent') AND x.type = 'withdrawal' AND " \
	"x.refers_to = d.id AND x.subject_iin = d.subject_iin AND " \
	"x.operator_bin = d.operator_bin ORDER BY x.issued_at, x.id LIMIT 1) " \
	"LEFT JOIN documents n ON n.id = (SELECT y.id FROM documents y WHERE " \
	"d.type IN ('consent', 'cross-border-consent') AND y.type = 'transfer-notice' AND " \
	"y.subject_iin = d.subject_iin AND y.operator_bin = d.operator_bin AND " \
	"y.processor_bin = d.processor_bin AND y.issued_at >= d.issued_at " \
	"ORDER BY y.issued_at, y.id LIMIT 1) "

struct list_ctx {
	kel_store_status want;
	char today[11];
	kel_store_entry_fn fn;
	void *ctx;
	int stopped;
};

static int is_consent_type(const char *type)
{
	return strcmp(type, "consent") == 0 || strcmp(type, "cross-border-consent") == 0;
}

static int row_entry(void *vctx, int ncol, const kel__sql_val *col)
{
	struct list_ctx *l = vctx;
	kel_store_entry e;
	int rc;

	if (ncol < 19)
		return 0;
	memset(&e, 0, sizeof e);
	e.id = kel__sql_col_text(&col[0]);
	e.type = kel__sql_col_text(&col[1]);
	e.issued_at = kel__sql_col_text(&col[2]);
	e.subject_iin = kel__sql_col_text(&col[3]);
	e.operator_bin = kel__sql_col_text(&col[4]);
	e.processor_bin = kel__sql_col_text(&col[5]);
	e.refers_to = kel__sql_col_text(&col[6]);
	e.period_from = kel__sql_col_text(&col[7]);
	e.period_until = kel__sql_col_text(&col[8]);
	e.sha256 = kel__sql_col_text(&col[9]);
	e.size = col[10].type == KEL_SQL_INT ? (uint64_t)col[10].i : 0;
	e.leaf = col[11].type == KEL_SQL_INT ? (uint64_t)col[11].i : 0;
	e.stored_at = kel__sql_col_text(&col[12]);
	e.erased_at = kel__sql_col_text(&col[13]);
	e.erase_reason = kel__sql_col_text(&col[14]);
	e.withdrawn_by = kel__sql_col_text(&col[15]);
	e.withdrawn_at = kel__sql_col_text(&col[16]);
	e.notice_id = kel__sql_col_text(&col[17]);
	e.notice_at = kel__sql_col_text(&col[18]);
	if (!e.id || !e.type)
		return 0;
	if (e.erased_at)
		e.status = KEL_STATUS_ERASED;
	else if (!is_consent_type(e.type))
		e.status = KEL_STATUS_NONE;
	else if (e.withdrawn_by)
		e.status = KEL_STATUS_WITHDRAWN;
	else if (e.period_until && strcmp(e.period_until, l->today) < 0)
		e.status = KEL_STATUS_EXPIRED;
	else
		e.status = KEL_STATUS_GIVEN;
	if (l->want != KEL_STATUS_NONE && e.status != l->want)
		return 0;
	rc = l->fn(l->ctx, &e);
	if (rc != 0)
		l->stopped = 1;
	return rc;
}

/* The first instant (UTC text) at or after which a bound holds; day_after for "until". */
static int bound(const char *what, const char *d, int day_after, char out[21])
{
	struct tm tm;
	time_t t;

	if (strlen(d) == 20 && d[10] == 'T' && d[19] == 'Z') {
		char day[11];
		memcpy(day, d, 10);
		day[10] = '\0';
		if (!kel__date_is_valid(day))
			return kel_fail(KEL_EINVAL, "%s: '%s' is not a date", what, d);
		if (!day_after) {
			memcpy(out, d, 21);
			return 0;
		}
		/* until a moment: up to and including that second */
		memset(&tm, 0, sizeof tm);
		if (sscanf(d, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			&tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
			return kel_fail(KEL_EINVAL, "%s: '%s' is not a date", what, d);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm) + 1;
		kel__utc_format(t, out);
		return 0;
	}
	if (!kel__date_is_valid(d))
		return kel_fail(KEL_EINVAL, "%s: '%s' is not a date (YYYY-MM-DD or "
			"YYYY-MM-DDThh:mm:ssZ)", what, d);
	memset(&tm, 0, sizeof tm);
	sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	/* 00:00 in Kazakhstan (UTC+5) is 19:00 UTC the day before. */
	t = timegm(&tm) - 5 * 3600 + (day_after ? 86400 : 0);
	kel__utc_format(t, out);
	return 0;
}

static int run_list(kel_store *s, const kel_store_filter *fl, int consents_only,
	kel_store_entry_fn fn, void *ctx)
{
	kel_buf sql = KEL_BUF_INIT;
	kel__sql_val p[8];
	char since[21], until[21];
	struct list_ctx l;
	int n = 0, rc;

	memset(&l, 0, sizeof l);
	l.want = fl->status;
	l.fn = fn;
	l.ctx = ctx;
	kel__kz_date(kel__store_now(s), l.today);
	if ((rc = kel_buf_puts(&sql, LIST_SELECT "WHERE 1 = 1")) < 0)
		goto done;
	if (fl->subject_iin) {
		rc = kel_buf_puts(&sql, " AND d.subject_iin = ?");
		p[n++] = kel__sql_text(fl->subject_iin);
	}
	if (rc == 0 && fl->operator_bin) {
		rc = kel_buf_puts(&sql, " AND d.operator_bin = ?");
		p[n++] = kel__sql_text(fl->operator_bin);
	}
	if (rc == 0 && fl->type) {
		if (kel_doc_type_from_name(fl->type) == 0) {
			rc = kel_fail(KEL_EINVAL, "type: unknown document type '%s'", fl->type);
			goto done;
		}
		rc = kel_buf_puts(&sql, " AND d.type = ?");
		p[n++] = kel__sql_text(fl->type);
	}
	if (rc == 0 && consents_only)
		rc = kel_buf_puts(&sql, " AND d.type IN ('consent', 'cross-border-consent')");
	if (rc == 0 && fl->since) {
		if ((rc = bound("since", fl->since, 0, since)) < 0)
			goto done;
		rc = kel_buf_puts(&sql, " AND d.issued_at >= ?");
		p[n++] = kel__sql_text(since);
	}
	if (rc == 0 && fl->until) {
		if ((rc = bound("until", fl->until, 1, until)) < 0)
			goto done;
		rc = kel_buf_puts(&sql, " AND d.issued_at < ?");
		p[n++] = kel__sql_text(until);
	}
	if (rc == 0 && !fl->include_erased && fl->status != KEL_STATUS_ERASED)
		rc = kel_buf_puts(&sql, " AND d.erased_at IS NULL");
	if (rc == 0)
		rc = kel_buf_puts(&sql, " ORDER BY d.leaf");
	if (rc < 0)
		goto done;
	/* One statement sees one snapshot: no transaction (on PostgreSQL two round trips fewer). */
	rc = kel__store_sql(s, sql.ptr, n, p, row_entry, &l);
done:
	kel_buf_dispose(&sql);
	return rc;
}

int kel_store_list(kel_store *s, const kel_store_filter *filter, kel_store_entry_fn fn, void *ctx)
{
	kel_store_filter defaults = KEL_STORE_FILTER_INIT;
	if (!s || !fn)
		return kel_fail(KEL_EINVAL, "kel_store_list: NULL argument");
	if (!filter)
		filter = &defaults;
	if (filter->version != KEL_STORE_FILTER_VERSION)
		return kel_fail(KEL_EINVAL, "kel_store_list: unknown filter version %u",
			filter->version);
	return run_list(s, filter, 0, fn, ctx);
}

int kel_store_subject_status(kel_store *s, const char *iin, kel_store_entry_fn fn, void *ctx)
{
	kel_store_filter fl = KEL_STORE_FILTER_INIT;
	const char *why = NULL;
	if (!s || !iin || !fn)
		return kel_fail(KEL_EINVAL, "kel_store_subject_status: NULL argument");
	if (kel_kzid_check_iin(iin, &why) != 0)
		return kel_fail(KEL_EINVALID, "IIN '%s': %s", iin, why ? why : "not valid");
	fl.subject_iin = iin;
	return run_list(s, &fl, 1, fn, ctx);
}
