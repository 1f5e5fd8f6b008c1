/*
 * Clause 4.8 evidence: the processor's requests with their deadline, and the evidence bundle.
 *
 * Clause 4.8 of the processing agreement: within 5 calendar days of the processor's request,
 * the operator confirms that it has a lawful basis for the processing and that the data
 * subjects were notified of the transfer. A request is recorded in the store (and logged in
 * its Merkle log) with its due date, the received date + 5 calendar days. The answer is an
 * ASiC-E container (ETSI EN 319 162-1) that anyone can check offline, without trusting the
 * operator's database: the subjects' signed documents, their verification reports, inclusion
 * proofs of each against one signed tree head, that head with its certificates, two manifests,
 * and the operator's signed cover statement (a kelisim document of type evidence-statement,
 * in parts of at most 500 subjects) stating per subject the lawful basis, the transfer notice,
 * the consent's status and every gap. docs/evidence.md describes the container.
 *
 * Errors: KEL_EINVAL for misuse (a bad date, no scope), KEL_ENOTFOUND for an unknown request,
 * KEL_EINVALID for a request refused (already closed), KEL_EIO for files and the database.
 * A bundle that does not check out is a RESULT of kel_evidence_verify, not an error.
 */
#ifndef KELISIM_EVIDENCE_H
#define KELISIM_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "common.h"
#include "buf.h"
#include "key.h"
#include "store.h"

/* The days clause 4.8 allows, counted in calendar days from the day the request came. */
#define KEL_EVIDENCE_DAYS 5

/* ---- Requests ---------------------------------------------------------------------------- */

/* One recorded request. Strings are borrowed for the duration of the callback. */
typedef struct kel_evidence_request {
	const char *id;             /* a UUIDv7 */
	const char *received;       /* YYYY-MM-DD */
	const char *due;            /* received + 5 calendar days */
	const char *reference;      /* the processor's reference text */
	const char *subjects;       /* the IINs asked about, space-separated; NULL: all */
	const char *note;           /* NULL when none */
	const char *created_at;     /* YYYY-MM-DDThh:mm:ssZ */
	const char *closed_at;      /* NULL while open */
	const char *answer_sha256;  /* SHA-256 of the answer recorded at close, or NULL */
	uint64_t leaf;              /* log position of its "request-received" event */
	/* due - today, in days, by the store's clock in Kazakhstan (UTC+5); < 0 when overdue */
	long days_left;
	int overdue;                /* open and past its due date */
} kel_evidence_request;

typedef int (*kel_evidence_request_fn)(void *ctx, const kel_evidence_request *request);

/*
 * Record a request received on received (YYYY-MM-DD, a day in Kazakhstan) with the
 * processor's reference (one line, 1..512 characters), about the subjects listed (IINs,
 * checked), or about all subjects when nsubjects is 0. note may be NULL. The request and its
 * "request-received" log event are written in one transaction. id_out (37 bytes, may be NULL)
 * gets the new id. KEL_EINVAL for a bad date, reference, note or IIN.
 */
KEL_EXTERN(int) kel_evidence_request_add(kel_store *store, const char *received,
	const char *reference, const char *const *subjects, size_t nsubjects, const char *note,
	char id_out[37]) KEL_WARN_UNUSED;

/*
 * Call fn for each request: the open ones (all when include_closed), open before closed,
 * then by due date (so overdue ones come first), then by received date.
 */
KEL_EXTERN(int) kel_evidence_request_list(kel_store *store, int include_closed,
	kel_evidence_request_fn fn, void *ctx) KEL_WARN_UNUSED;

/* Call fn once with request id. KEL_ENOTFOUND when unknown. */
KEL_EXTERN(int) kel_evidence_request_get(kel_store *store, const char *id,
	kel_evidence_request_fn fn, void *ctx) KEL_WARN_UNUSED;

/*
 * Close request id: record when, and the SHA-256 of the answer sent (answer may be NULL),
 * with a "request-closed" log event. KEL_ENOTFOUND when unknown, KEL_EINVALID when closed.
 */
KEL_EXTERN(int) kel_evidence_request_close(kel_store *store, const char *id, const void *answer,
	size_t len) KEL_WARN_UNUSED;

/* ---- The bundle -------------------------------------------------------------------------- */

typedef struct kel_evidence_export_options {
	unsigned int version;
	/* The scope: exactly one of request_id, subjects (nsubjects > 0) or all. */
	const char *request_id;
	const char *const *subjects;
	size_t nsubjects;
	int all;
	/*
	 * With all: only subjects with a document issued in [since, until] (YYYY-MM-DD in
	 * Kazakhstan or YYYY-MM-DDThh:mm:ssZ); NULL: no bound. Each such subject's whole record
	 * goes into the bundle.
	 */
	const char *since;
	const char *until;
	/* The operator's key: signs the tree head (ECDSA) and the cover statement. */
	const kel_key *key;
	/* Languages of the statement, "kk ru" style; NULL for Kazakh and Russian. */
	const char *languages;
	/* Folder to spool the entries in while the container is written; NULL: $TMPDIR or /tmp. */
	const char *tmp_dir;
	/*
	 * Trust anchors for the documents' verification reports; when both are NULL, those
	 * recorded in the store (kel_store_set_trust). With none at all the export is refused:
	 * every report would say INDETERMINATE.
	 */
	const char *trust_file;
	const char *trust_dir;
} kel_evidence_export_options;

#define KEL_EVIDENCE_EXPORT_OPTIONS_VERSION 1
#define KEL_EVIDENCE_EXPORT_OPTIONS_INIT { KEL_EVIDENCE_EXPORT_OPTIONS_VERSION, NULL, NULL, 0, \
	0, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/* What an export wrote. */
typedef struct kel_evidence_summary {
	uint64_t subjects;           /* subjects in scope */
	uint64_t complete;           /* of which with a consent in force and a transfer notice */
	uint64_t gaps;               /* gap lines in the statement (up to two per subject) */
	uint64_t documents;          /* signed documents in the bundle */
	uint64_t parts;              /* statement parts */
	uint64_t tree_size;          /* size of the signed head the proofs are against */
	char statement_id[37];       /* the id of the statement's first part */
} kel_evidence_summary;

/*
 * Write the evidence bundle for the scope to path (written beside it and renamed into place:
 * the file is replaced whole or not at all), entry by entry through a spool file, so that
 * memory does not grow with the bundle's bytes. A new tree head is signed and recorded in the
 * store, and one "evidence-exported" event is logged. The bundle is complete when
 * summary->complete == summary->subjects; gaps are not an error. KEL_EINVAL for a bad scope
 * or no trust anchors, KEL_ENOTFOUND for an unknown request, KEL_EUNSUPPORTED for a key that
 * is not ECDSA.
 */
KEL_EXTERN(int) kel_evidence_export(kel_store *store, const kel_evidence_export_options *opts,
	const char *path, kel_evidence_summary *summary) KEL_WARN_UNUSED;

/* ---- Verifying a bundle ------------------------------------------------------------------ */

typedef struct kel_evidence_report kel_evidence_report;

/*
 * Check a bundle offline against the trust anchors (a PEM file and/or a hashed folder):
 * the container's structure (mimetype first, stored, exact), both manifests and every
 * digest, each document's signatures (kel_verify), each inclusion proof against the signed
 * tree head and that head's signature and certificate, every statement part's signature,
 * and that the statements' claims match the documents (ids, dates, subjects, gaps, status).
 * Returns 0 with *out whatever the verdict; an error only when the check could not run.
 */
KEL_EXTERN(int) kel_evidence_verify(kel_evidence_report **out, const char *path,
	const char *trust_file, const char *trust_dir) KEL_WARN_UNUSED;

KEL_EXTERN(void) kel_evidence_report_free(kel_evidence_report *report);

/* 1 when every check passed. */
KEL_EXTERN(int) kel_evidence_report_ok(const kel_evidence_report *report);
/* 1 when ok and the statements declare no gap. */
KEL_EXTERN(int) kel_evidence_report_complete(const kel_evidence_report *report);
/* The problems found, each "FILE: what" (borrowed). */
KEL_EXTERN(size_t) kel_evidence_report_problem_count(const kel_evidence_report *report);
KEL_EXTERN(const char *) kel_evidence_report_problem(const kel_evidence_report *report,
	size_t i);
/* The per-subject table and the verdict, as text for people or as one JSON object. */
KEL_EXTERN(int) kel_evidence_report_to_text(const kel_evidence_report *report, kel_buf *out)
	KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_evidence_report_to_json(const kel_evidence_report *report, kel_buf *out)
	KEL_WARN_UNUSED;

#endif
