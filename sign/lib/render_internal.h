/*
 * What the PDF and the HTML renderers share: the document read once into a model of
 * sections, rows and wording blocks (render_model.c), with the labels in the document's
 * languages, the QR code's modules and the signatures' results.
 */
#ifndef KEL_RENDER_INTERNAL_H
#define KEL_RENDER_INTERNAL_H

#include <stddef.h>
#include "kelisim/render.h"
#include "kelisim/verify.h"
#include "qr_internal.h"

#define KEL_RENDER_MAX_LANGS 3

/* The labels the renderers print, each in kk, ru and en (render_model.c). */
enum kel_rlabel {
	KEL_L_DOCUMENT, KEL_L_DOC_ID, KEL_L_TYPE, KEL_L_ISSUED, KEL_L_LANGUAGES, KEL_L_TEMPLATES,
	KEL_L_REFERS_TO,
	KEL_L_PARTIES, KEL_L_OPERATOR, KEL_L_PROCESSOR, KEL_L_SUBJECT, KEL_L_REPRESENTATIVE,
	KEL_L_BIN, KEL_L_IIN, KEL_L_BASIS,
	KEL_L_TERMS, KEL_L_PURPOSES, KEL_L_DATA, KEL_L_ACTIONS, KEL_L_STORAGE,
	KEL_L_THIRD_PARTIES, KEL_L_CROSS_BORDER, KEL_L_PUBLIC_SOURCES, KEL_L_PERIOD,
	KEL_L_UNTIL_PURPOSE, KEL_L_WITHDRAWAL_METHOD, KEL_L_JURISDICTION,
	KEL_L_CAPTURE, KEL_L_METHOD, KEL_L_CHANNEL, KEL_L_CLERK, KEL_L_EVIDENCE,
	KEL_L_WORDING,
	KEL_L_SIGNATURES, KEL_L_SIGNATURE, KEL_L_SIGNER, KEL_L_SERIAL, KEL_L_SIGNING_TIME,
	KEL_L_ROLE, KEL_L_RESULT, KEL_L_NOT_SIGNED, KEL_L_CHECKED_NOTE, KEL_L_NO_TRUST,
	KEL_L_RES_PASSED, KEL_L_RES_FAILED, KEL_L_RES_INDETERMINATE, KEL_L_DOC_PROBLEM,
	KEL_L_YES, KEL_L_NO,
	KEL_L_SCAN, KEL_L_NO_QR, KEL_L_QR_CODE, KEL_L_QR_OK, KEL_L_QR_BAD, KEL_L_QR_UNSURE,
	KEL_L_ACT_COLLECT, KEL_L_ACT_STORE, KEL_L_ACT_PROVIDE, KEL_L_ACT_DELETE,
	KEL_L_TYPE_CONSENT, KEL_L_TYPE_TRANSFER_NOTICE, KEL_L_TYPE_CROSS_BORDER,
	KEL_L_TYPE_WITHDRAWAL, KEL_L_TYPE_EVIDENCE_STATEMENT,
	KEL_L_COUNT
};

/* A piece of the wording: a Text element's child. */
enum kel_rblock_kind { KEL_RB_TITLE, KEL_RB_HEADING, KEL_RB_PARA, KEL_RB_ITEM };

struct kel_rblock {
	enum kel_rblock_kind kind;
	const char *text;           /* borrowed from the document's tree */
};

/* One Text element: the wording in one language. */
struct kel_rtext {
	const char *lang;           /* "kk", "ru", "en" */
	struct kel_rblock *blocks;
	size_t n;
};

/*
 * A row of a table: a label and one or more values. A list row's values are separate items
 * (a bulleted list); other rows' values are lines of one cell.
 */
struct kel_rrow {
	const char *label;
	const char **values;
	size_t n;
	int list;
};

struct kel_rsection {
	const char *title;
	struct kel_rrow *rows;
	size_t n, cap;
};

/* One signature's line in the signature block. */
struct kel_rsig {
	const char *id;
	const char *level;          /* "XAdES-B-B", "XML-DSig" */
	const char *subject;        /* NULL when the certificate was not found */
	const char *serial;
	const char *signing_time;
	const char *role;
	kel_indication indication;
	const char *indication_name; /* TOTAL-PASSED, ... */
	const char *subindication;   /* NULL when passed */
	const char *message;
	const char *result;          /* the localised result word(s) */
};

enum { KEL_RSEC_DOCUMENT, KEL_RSEC_PARTIES, KEL_RSEC_TERMS, KEL_RSEC_CAPTURE, KEL_RSEC_COUNT };

struct kel_rmodel {
	const kel_doc *doc;
	int nlangs;
	int lang[KEL_RENDER_MAX_LANGS];     /* indexes into the label table: 0 kk, 1 ru, 2 en */
	const char *lang_code[KEL_RENDER_MAX_LANGS];
	const char *label[KEL_L_COUNT];     /* in the document's languages, joined by " / " */

	const char *title;                  /* the Text titles joined, or the type's label */
	const char *issued_display;         /* "2026-11-25 12:39:34 UTC" */
	struct kel_rtext texts[KEL_RENDER_MAX_LANGS];
	int ntexts;
	struct kel_rsection sections[KEL_RSEC_COUNT];

	const char *payload;                /* the QR payload, or NULL */
	size_t payload_len;
	struct kel_qr_matrix qr;            /* qr.dark is NULL when there is no code to draw */
	/* The code checked against the document and its seal (when there is a payload):
	 * PASSED (describes this document, seal verified by a certificate of the signatures),
	 * FAILED (another document, or a bad seal), INDETERMINATE (unreadable payload, or no
	 * certificate of the seal in the document); qr_why says what, or is NULL. */
	kel_indication qr_result;
	const char *qr_why;

	/* The document as XML, which the signatures are verified from. */
	kel_buf xml;

	kel_report *report;
	struct kel_rsig *sigs;
	size_t nsigs;
	const char *doc_problem;
	int trusted;                        /* a trust anchor was given */

	/* Everything allocated for the model, freed together; oom is set when any failed. */
	int oom;
	void **blocks;
	size_t nblocks, capblocks;
};

/*
 * Read doc into m: labels, sections, wording, QR modules (from the Verification Payload),
 * and the signatures checked with verify (NULL: no trust anchors). Free with
 * kel__rmodel_free() whatever it returns.
 */
int kel__rmodel_build(struct kel_rmodel *m, const kel_doc *doc, const kel_verify_options *verify);
void kel__rmodel_free(struct kel_rmodel *m);

/* The words for the QR check's result, in the document's languages. */
const char *kel__rmodel_qr_words(const struct kel_rmodel *m);

/* Whether the wording goes in two columns: the document has kk and ru and opts allow it. */
int kel__rmodel_side_by_side(const struct kel_rmodel *m, const kel_render_options *opts,
	int *left, int *right);

int kel__render_pdf(kel_buf *out, const struct kel_rmodel *m, const kel_render_options *opts);
int kel__render_html(kel_buf *out, const struct kel_rmodel *m, const kel_render_options *opts);

/* Release the font caches the PDF renderer keeps (called by kel_shutdown). */
void kel__render_shutdown(void);

#endif
