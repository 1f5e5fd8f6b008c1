/*
 * Rendering a document for people: a printable A4 PDF (cairo and pango) and one
 * self-contained HTML5 file for screens.
 *
 * Both show the same things: the title, the document id and issue date, the parties, the
 * terms as a table, the signed wording in each language of the document (Kazakh and Russian
 * side by side by default), the capture, the QR code of the document's Verification element,
 * and a signature block: for each signature, the signer's certificate subject and serial,
 * the claimed signing time and the result of kel_verify() at the time of rendering, with the
 * trust anchors the caller gives; and the QR code checked against the document (the payload
 * names it, and its seal verifies with the certificate of its key id found in the
 * signatures). A rendering is a view, not evidence: the signed XML is.
 *
 * The PDF is deterministic: two renderings of the same document with the same verification
 * results are byte-identical (the PDF's creation date is the document's IssuedAt). Every page
 * carries the document id, the QR code and "page / pages"; long text flows over as many pages
 * as it needs, never cutting a line and keeping each heading with what follows it.
 *
 * The HTML has no script and no external resource (inline CSS, inline SVG for the QR code,
 * a Content-Security-Policy that forbids loading anything), escapes every text of the
 * document, sets lang on each language's text, and reads on a phone (one column under 700
 * CSS pixels).
 *
 * Threads may render at once; each keeps its own fonts (a pango font map) from one rendering
 * to the next, released when the thread ends; the outermost kel_shutdown() releases every
 * thread's. (fontconfig's own configuration and font cache, loaded once, stay: FcFini()
 * aborts while cairo still caches fonts.)
 */
#ifndef KELISIM_RENDER_H
#define KELISIM_RENDER_H

#include "common.h"
#include "buf.h"
#include "doc.h"
#include "verify.h"

typedef enum {
	KEL_RENDER_PDF = 1,
	KEL_RENDER_HTML = 2
} kel_render_format;

typedef struct kel_render_options {
	unsigned int version;
	/*
	 * How the signatures are checked for the signature block; NULL for the defaults (no
	 * trust anchor, so no signature can show as valid: INDETERMINATE).
	 */
	const kel_verify_options *verify;
	/*
	 * Non-zero: the languages one after the other even when the document has both Kazakh
	 * and Russian (which are otherwise set side by side in two columns).
	 */
	int sequential;
} kel_render_options;

#define KEL_RENDER_OPTIONS_VERSION 1
#define KEL_RENDER_OPTIONS_INIT { KEL_RENDER_OPTIONS_VERSION, NULL, 0 }

/*
 * Render doc as format into out (replacing its content). opts may be NULL.
 * Returns 0; KEL_EINVAL for a NULL argument, an unknown format or options version;
 * KEL_ENOMEM; KEL_ERROR when cairo or pango fail (the message says how); the error codes of
 * kel_verify() when the signatures could not be checked (e.g. KEL_EIO for unreadable trust
 * anchors). A document whose signatures do not pass is rendered, with that result shown.
 */
KEL_EXTERN(int) kel_render(kel_buf *out, const kel_doc *doc, kel_render_format format,
	const kel_render_options *opts) KEL_WARN_UNUSED;

/* The same as kel_render() with KEL_RENDER_PDF and KEL_RENDER_HTML. */
KEL_EXTERN(int) kel_render_pdf(kel_buf *out, const kel_doc *doc,
	const kel_render_options *opts) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_render_html(kel_buf *out, const kel_doc *doc,
	const kel_render_options *opts) KEL_WARN_UNUSED;

#endif
