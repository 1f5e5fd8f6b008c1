/*
 * The verification report: per-signature results, their getters, JSON and text forms.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "verify_internal.h"
#include "buf_internal.h"
#include "text.h"
#include "error_internal.h"

static const char *const indication_names[] = { "TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE" };
static const char *const block_names[] = {
	"format", "signing_certificate_identification", "x509_validation",
	"cryptographic_verification", "signature_acceptance"
};
static const char *const block_results[] = { "NOT_RUN", "PASSED", "FAILED", "INDETERMINATE" };

char *kel__strdup(const char *s)
{
	char *d = s ? malloc(strlen(s) + 1) : NULL;

	if (d)
		strcpy(d, s);
	return d;
}

void kel__sig_verdict(struct kel_sig_result *r, kel_indication ind, const char *sub,
	const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->indication = ind;
	r->sub = sub;
	free(r->message);
	r->message = kel__strdup(msg);
}

struct kel_sig_result *kel__report_add(struct kel_report *r)
{
	struct kel_sig_result *s;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4;
		struct kel_sig_result **bigger = realloc(r->sigs, cap * sizeof(*bigger));
		if (bigger == NULL)
			return NULL;
		r->sigs = bigger;
		r->cap = cap;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	r->sigs[r->n++] = s;
	return s;
}

static void sig_free(struct kel_sig_result *s)
{
	free(s->id);
	free(s->counter_of);
	free(s->message);
	free(s->subject);
	free(s->serial);
	free(s->signing_time);
	free(s->algorithm);
	free(s->role);
	free(s->commitment);
	for (size_t i = 0; i < s->nrefs; i++)
		free(s->refs[i].uri);
	for (size_t i = 0; i < s->nchain; i++)
		free(s->chain[i]);
	free(s);
}

void kel_report_free(kel_report *report)
{
	if (report == NULL)
		return;
	for (size_t i = 0; i < report->n; i++)
		sig_free(report->sigs[i]);
	free(report->sigs);
	free(report->doc_problem);
	free(report);
}

kel_indication kel_report_indication(const kel_report *r)
{
	kel_indication worst = KEL_INDICATION_PASSED;

	if (r == NULL || r->n == 0 || r->doc_problem)
		return KEL_INDICATION_FAILED;
	for (size_t i = 0; i < r->n; i++) {
		if (r->sigs[i]->indication == KEL_INDICATION_FAILED)
			return KEL_INDICATION_FAILED;
		if (r->sigs[i]->indication == KEL_INDICATION_INDETERMINATE)
			worst = KEL_INDICATION_INDETERMINATE;
	}
	return worst;
}

int kel_report_is_kelisim(const kel_report *r) { return r ? r->kelisim : 0; }
time_t kel_report_validation_time(const kel_report *r) { return r ? r->validation_time : 0; }
const char *kel_report_document_problem(const kel_report *r) { return r ? r->doc_problem : NULL; }
size_t kel_report_count(const kel_report *r) { return r ? r->n : 0; }

const kel_sig_result *kel_report_signature(const kel_report *r, size_t i)
{
	return r && i < r->n ? r->sigs[i] : NULL;
}

const char *kel_sig_id(const kel_sig_result *s) { return s && s->id ? s->id : ""; }
const char *kel_sig_counter_signature_of(const kel_sig_result *s) { return s ? s->counter_of : NULL; }
const char *kel_sig_level(const kel_sig_result *s) { return s ? s->level : NULL; }
kel_indication kel_sig_indication(const kel_sig_result *s)
{
	return s ? s->indication : KEL_INDICATION_FAILED;
}
const char *kel_sig_subindication(const kel_sig_result *s) { return s ? s->sub : NULL; }
const char *kel_sig_message(const kel_sig_result *s) { return s ? s->message : NULL; }
kel_block_result kel_sig_block(const kel_sig_result *s, kel_block b)
{
	return s && b >= 0 && b < KEL_BLOCK_COUNT ? s->blocks[b] : KEL_BLOCK_NOT_RUN;
}
const char *kel_sig_signer_subject(const kel_sig_result *s) { return s ? s->subject : NULL; }
const char *kel_sig_signer_serial(const kel_sig_result *s) { return s ? s->serial : NULL; }
const char *kel_sig_signing_time(const kel_sig_result *s) { return s ? s->signing_time : NULL; }
size_t kel_sig_chain_count(const kel_sig_result *s) { return s ? s->nchain : 0; }
const char *kel_sig_chain_subject(const kel_sig_result *s, size_t i)
{
	return s && i < s->nchain ? s->chain[i] : NULL;
}
const char *kel_sig_algorithm(const kel_sig_result *s) { return s ? s->algorithm : NULL; }
const char *kel_sig_role(const kel_sig_result *s) { return s ? s->role : NULL; }
const char *kel_sig_commitment(const kel_sig_result *s) { return s ? s->commitment : NULL; }
size_t kel_sig_reference_count(const kel_sig_result *s) { return s ? s->nrefs : 0; }
const char *kel_sig_reference_uri(const kel_sig_result *s, size_t i)
{
	return s && i < s->nrefs ? s->refs[i].uri : NULL;
}
int kel_sig_reference_ok(const kel_sig_result *s, size_t i)
{
	return s && i < s->nrefs ? s->refs[i].ok : -1;
}

const char *kel_indication_name(kel_indication i)
{
	return i >= KEL_INDICATION_PASSED && i <= KEL_INDICATION_INDETERMINATE ?
		indication_names[i] : "?";
}

const char *kel_block_name(kel_block b)
{
	return b >= 0 && b < KEL_BLOCK_COUNT ? block_names[b] : "?";
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *sig_json(const struct kel_sig_result *s)
{
	json_t *o = json_object(), *blocks = json_object(), *refs = json_array();

	json_object_set_new(o, "id", json_string(s->id ? s->id : ""));
	if (s->counter_of)
		json_object_set_new(o, "counter_signature_of", json_string(s->counter_of));
	json_object_set_new(o, "level", json_string(s->level));
	json_object_set_new(o, "signer", json_pack("{s:o,s:o}", "subject", str_or_null(s->subject),
		"serial", str_or_null(s->serial)));
	json_object_set_new(o, "signing_time", str_or_null(s->signing_time));
	json_object_set_new(o, "algorithm", str_or_null(s->algorithm));
	if (s->role)
		json_object_set_new(o, "role", json_string(s->role));
	if (s->commitment)
		json_object_set_new(o, "commitment", json_string(s->commitment));
	for (size_t i = 0; i < s->nrefs; i++)
		json_array_append_new(refs, json_pack("{s:s,s:o}", "uri", s->refs[i].uri ?
			s->refs[i].uri : "", "digest", s->refs[i].ok < 0 ? json_null() :
			json_string(s->refs[i].ok ? "PASSED" : "FAILED")));
	for (int b = 0; b < KEL_BLOCK_COUNT; b++) {
		json_t *br = json_pack("{s:s}", "result", block_results[s->blocks[b]]);
		if (b == KEL_BLOCK_CRYPTO)
			json_object_set(br, "references", refs);
		if (b == KEL_BLOCK_X509 && s->nchain) {
			json_t *chain = json_array();
			for (size_t i = 0; i < s->nchain; i++)
				json_array_append_new(chain, json_string(s->chain[i]));
			json_object_set_new(br, "chain", chain);
		}
		json_object_set_new(blocks, block_names[b], br);
	}
	json_decref(refs);
	json_object_set_new(o, "building_blocks", blocks);
	json_object_set_new(o, "indication", json_string(indication_names[s->indication]));
	json_object_set_new(o, "subindication", str_or_null(s->sub));
	json_object_set_new(o, "message", str_or_null(s->message));
	return o;
}

int kel_report_to_json(const kel_report *r, kel_buf *out)
{
	json_t *root, *sigs;
	char *text, when[21];
	int rc;

	if (r == NULL || out == NULL)
		return kel_fail(KEL_EINVAL, "kel_report_to_json: NULL argument");
	root = json_object();
	sigs = json_array();
	kel__utc_format(r->validation_time, when);
	json_object_set_new(root, "document", json_pack("{s:s,s:s,s:o}", "format",
		r->kelisim ? "kelisim" : "xml", "validation_time", when,
		"problem", str_or_null(r->doc_problem)));
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(sigs, sig_json(r->sigs[i]));
	json_object_set_new(root, "signatures", sigs);
	json_object_set_new(root, "indication",
		json_string(indication_names[kel_report_indication(r)]));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	kel_buf_clear(out);
	rc = kel_buf_puts(out, text);
	if (rc == 0)
		rc = kel_buf_puts(out, "\n");
	free(text);
	return rc;
}

static void sig_text(kel_buf *out, const struct kel_sig_result *s, size_t i)
{
	kel_buf_printf(out, "signature %zu: %s (%s)%s%s\n", i + 1, s->id ? s->id : "(no Id)",
		s->level, s->counter_of ? ", counter-signs " : "", s->counter_of ? s->counter_of : "");
	kel_buf_printf(out, "  result:       %s%s%s\n", indication_names[s->indication],
		s->sub ? " / " : "", s->sub ? s->sub : "");
	if (s->message)
		kel_buf_printf(out, "  why:          %s\n", s->message);
	kel_buf_printf(out, "  signer:       %s\n", s->subject ? s->subject : "(not identified)");
	if (s->serial)
		kel_buf_printf(out, "  serial:       %s\n", s->serial);
	if (s->signing_time)
		kel_buf_printf(out, "  signing time: %s (claimed by the signer)\n", s->signing_time);
	if (s->role)
		kel_buf_printf(out, "  role:         %s\n", s->role);
	if (s->commitment)
		kel_buf_printf(out, "  commitment:   %s\n", s->commitment);
	if (s->algorithm)
		kel_buf_printf(out, "  algorithm:    %s\n", s->algorithm);
	for (size_t k = 0; k < s->nchain; k++)
		kel_buf_printf(out, "  %s %s\n", k == 0 ? "chain:       " : "             ",
			s->chain[k]);
	for (size_t k = 0; k < s->nrefs; k++)
		kel_buf_printf(out, "  reference:    %s %s\n", s->refs[k].uri ? s->refs[k].uri : "",
			s->refs[k].ok < 0 ? "not checked" : s->refs[k].ok ? "digest ok" :
			"DIGEST MISMATCH");
	for (int b = 0; b < KEL_BLOCK_COUNT; b++)
		kel_buf_printf(out, "  %-36s %s\n", block_names[b], block_results[s->blocks[b]]);
}

int kel_report_to_text(const kel_report *r, kel_buf *out)
{
	char when[21];

	if (r == NULL || out == NULL)
		return kel_fail(KEL_EINVAL, "kel_report_to_text: NULL argument");
	kel_buf_clear(out);
	if (r->doc_problem)
		kel_buf_printf(out, "document: %s\n", r->doc_problem);
	if (r->n == 0)
		kel_buf_puts(out, "no signature found\n");
	for (size_t i = 0; i < r->n; i++)
		sig_text(out, r->sigs[i], i);
	kel__utc_format(r->validation_time, when);
	return kel_buf_printf(out, "overall: %s (%zu signature%s, %s, as of %s)\n",
		indication_names[kel_report_indication(r)], r->n, r->n == 1 ? "" : "s",
		r->kelisim ? "kelisim document" : "XML document", when);
}
