/*
 * The consent document.
 *
 * A kel_doc is a document of one of five types, built from a JSON request (kel_doc_new) or
 * read from XML (kel_doc_parse). Either way it has passed the same checks: the embedded XML
 * Schema (schemas/kelisim-consent-1.xsd) and the rules the schema cannot express (what each
 * type requires, IIN/BIN control digits, the root's Id and Type equal to the header's).
 * docs/request.md describes the request, docs/document.md the XML.
 *
 * Threads. After kel_init() has returned (global.h), and until kel_shutdown():
 *
 *  - One document may be shared by any number of threads as long as they only call
 *    functions that take it as const kel_doc *: kel_doc_write, the accessors below,
 *    kel_qr_content_digest, kel_qr_payload_from_doc, kel_qr_payload_check_doc,
 *    kel_qr_doc_payload, kel_qr_doc_find_cert (qr.h), kel_cert_validate (cert.h),
 *    kel_render, kel_render_pdf, kel_render_html (render.h). These only read the tree:
 *    serialising and canonicalising never change it, not even for a moment, so a verifier
 *    or renderer may parse a document once and hand it to a pool of threads.
 *  - A function that takes kel_doc * (kel_xades_sign, kel_qr_doc_fill, kel_doc_free) needs
 *    the document to itself: no other thread may use it, even through const calls, until
 *    the call returns. Guard a document that is both read and signed with a lock of your own
 *    (a read-write lock: const calls as readers, the others as the writer).
 *  - Different documents are independent. kel_doc_parse, kel_doc_new and kel_verify (which
 *    parses bytes into a tree of its own) may run in any number of threads at once, also on
 *    the same bytes.
 *  - Errors are per thread (error.h); the accessors' strings never change while doc lives.
 *
 * What this rests on below kelisim: libxml2 built with threads (per-thread error state) and
 * initialised once by kel_init(); OpenSSL 3; xmlsec's registries of key data and transforms,
 * built once by kel_init() under its lock, and not used after that (kelisim signs and
 * verifies with libxml2's canonicaliser and OpenSSL). One known race remains inside libxml2
 * 2.9.14 itself: its canonicaliser clears a function-static namespace record (c14n.c,
 * ns_default) for an element in no namespace, and, in inclusive C14N, for any element
 * without a default namespace. kelisim documents, all of whose elements are namespaced and
 * which are signed with exclusive C14N, never reach it; kel_verify of XML-DSig with
 * inclusive C14N from other tools does. Every thread writes the same zeros there, so no
 * result can differ, but a thread sanitizer reports it.
 */
#ifndef KELISIM_DOC_H
#define KELISIM_DOC_H

#include <time.h>
#include "common.h"
#include "buf.h"

typedef enum {
	KEL_DOC_CONSENT = 1,              /* consent to processing, incl. transfer for storage */
	KEL_DOC_TRANSFER_NOTICE = 2,      /* acknowledgment of the transfer notice (DPA 4.8) */
	KEL_DOC_CROSS_BORDER_CONSENT = 3, /* consent to cross-border transfer (DPA 7.1.2) */
	KEL_DOC_WITHDRAWAL = 4,           /* withdrawal of an earlier consent */
	/* the operator's statement to the processor under DPA clause 4.8 (evidence.h) */
	KEL_DOC_EVIDENCE_STATEMENT = 5
} kel_doc_type;

typedef struct kel_doc kel_doc;

typedef struct kel_doc_new_options {
	unsigned int version;
	/*
	 * A folder laid out like the project's templates/ (TYPE/LANG.xsl) to take wording from
	 * instead of the templates built into the library; NULL for the built-in ones.
	 */
	const char *templates_dir;
	/* The issue time; 0 for now. Meant for reproducible tests. */
	time_t issued_at;
} kel_doc_new_options;

#define KEL_DOC_NEW_OPTIONS_VERSION 1
#define KEL_DOC_NEW_OPTIONS_INIT { KEL_DOC_NEW_OPTIONS_VERSION, NULL, 0 }

/*
 * Make a new document from a JSON request of len bytes. opts may be NULL.
 * Returns KEL_EPARSE for malformed JSON, KEL_EINVALID for a request that is refused (the error
 * message lists every problem, one per line, each starting with the field's path).
 */
KEL_EXTERN(int) kel_doc_new(kel_doc **out, const char *json, size_t len,
	const kel_doc_new_options *opts) KEL_WARN_UNUSED;

/*
 * Read a document from XML. The XML is parsed with no network, no DTD (a document carrying
 * one is refused, so no entity is ever expanded), and checked as described above.
 * Returns KEL_EPARSE for XML that is not well-formed or carries a DTD, KEL_EINVALID for a
 * document that fails the schema or the rules.
 */
KEL_EXTERN(int) kel_doc_parse(kel_doc **out, const char *xml, size_t len) KEL_WARN_UNUSED;

/*
 * Serialise the document as UTF-8 XML into out (replacing its content): an XML declaration
 * with encoding="UTF-8" whatever the input declared, then the document as read or signed.
 * Only reads doc (see Threads above).
 */
KEL_EXTERN(int) kel_doc_write(kel_buf *out, const kel_doc *doc) KEL_WARN_UNUSED;

KEL_EXTERN(void) kel_doc_free(kel_doc *doc);

/* Borrowed strings, valid while doc lives. */
KEL_EXTERN(const char *) kel_doc_id(const kel_doc *doc);
KEL_EXTERN(kel_doc_type) kel_doc_get_type(const kel_doc *doc);
KEL_EXTERN(const char *) kel_doc_issued_at(const kel_doc *doc);   /* YYYY-MM-DDThh:mm:ssZ */
KEL_EXTERN(const char *) kel_doc_subject_iin(const kel_doc *doc);   /* "" when none */
KEL_EXTERN(const char *) kel_doc_operator_bin(const kel_doc *doc);
KEL_EXTERN(const char *) kel_doc_refers_to(const kel_doc *doc);   /* NULL unless withdrawal */
/* The document's languages in order, e.g. "kk ru". */
KEL_EXTERN(const char *) kel_doc_languages(const kel_doc *doc);

/* "consent", "transfer-notice", ... ; NULL for a value outside the enum. */
KEL_EXTERN(const char *) kel_doc_type_name(kel_doc_type type);
/* The type named by name, or 0 when unknown. */
KEL_EXTERN(kel_doc_type) kel_doc_type_from_name(const char *name);

#endif
