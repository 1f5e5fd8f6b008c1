/*
 * kel_render(): read the document into the rendering model, then draw it as PDF or HTML.
 */
#include <string.h>

#include "render_internal.h"
#include "error_internal.h"

int kel_render(kel_buf *out, const kel_doc *doc, kel_render_format format,
	const kel_render_options *opts)
{
	struct kel_rmodel m;
	int rc;

	if (out == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_render: NULL argument");
	if (opts && opts->version != KEL_RENDER_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_render: unknown options version %u", opts->version);
	if (format != KEL_RENDER_PDF && format != KEL_RENDER_HTML)
		return kel_fail(KEL_EINVAL, "kel_render: unknown format %d", (int)format);
	rc = kel__rmodel_build(&m, doc, opts ? opts->verify : NULL);
	if (rc == 0)
		rc = format == KEL_RENDER_PDF ? kel__render_pdf(out, &m, opts) :
			kel__render_html(out, &m, opts);
	kel__rmodel_free(&m);
	return rc;
}

int kel_render_pdf(kel_buf *out, const kel_doc *doc, const kel_render_options *opts)
{
	return kel_render(out, doc, KEL_RENDER_PDF, opts);
}

int kel_render_html(kel_buf *out, const kel_doc *doc, const kel_render_options *opts)
{
	return kel_render(out, doc, KEL_RENDER_HTML, opts);
}
