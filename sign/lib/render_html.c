/*
 * The HTML rendering: one self-contained HTML5 file. The style sheet is inline, the QR code
 * an inline SVG drawn here from its modules, there is no script, and a Content-Security-Policy
 * forbids loading anything, so the file shows the same offline as online and cannot call out.
 * Every text of the document is escaped (& < > " ') before it is written. One column on a
 * phone, the languages side by side on a wider screen.
 */
#include <stdarg.h>
#include <string.h>

#include "render_internal.h"
#include "buf_internal.h"
#include "error_internal.h"

static const char style[] =
	":root{color-scheme:light;--ink:#1a1a1f;--grey:#5f6470;--accent:#173d73;"
	"--rule:#c7ccd6;--good:#0d732e;--bad:#b31414;--unsure:#9e6100}"
	"*{box-sizing:border-box}"
	"body{margin:0;background:#eef0f4;color:var(--ink);"
	"font:16px/1.5 'DejaVu Sans','Noto Sans',system-ui,sans-serif}"
	"main{max-width:1100px;margin:0 auto;padding:24px 28px 40px;background:#fff}"
	"h1{color:var(--accent);font-size:1.45em;line-height:1.25;margin:.2em 0 .6em}"
	"h2{color:var(--accent);font-size:1.1em;border-bottom:1px solid var(--rule);"
	"padding-bottom:.2em;margin:1.6em 0 .5em}"
	"h3{color:var(--accent);font-size:1.05em;margin:.4em 0}"
	"h4{font-size:.98em;margin:1em 0 .3em}"
	"p{margin:.45em 0}ul{margin:.3em 0;padding-left:1.3em}li{margin:.15em 0}"
	"code,.mono{font-family:'DejaVu Sans Mono','Noto Sans Mono',monospace;"
	"overflow-wrap:anywhere}"
	"table{border-collapse:collapse;width:100%}"
	"th,td{text-align:left;vertical-align:top;padding:.35em .5em;"
	"border-bottom:1px solid var(--rule);overflow-wrap:anywhere}"
	"th{width:30%;color:var(--grey);font-size:.85em;font-weight:600}"
	"td ul{margin:0}"
	".top{display:flex;gap:24px;align-items:flex-start}.top>section{flex:1;min-width:0}"
	".qr{flex:0 0 auto!important;text-align:center;max-width:260px}"
	".qr svg{width:220px;height:220px;display:block;margin:0 auto}"
	".qr p{color:var(--grey);font-size:.8em}.qr .payload{font-size:.7em;word-break:break-all}"
	".cols{display:grid;grid-template-columns:1fr 1fr;gap:32px}"
	".lang-name{color:var(--grey);font-size:.8em;margin:0 0 .3em}"
	".sig{margin:.8em 0 1.2em}.sig h3{color:var(--ink)}"
	".passed{color:var(--good);font-weight:600}.failed{color:var(--bad);font-weight:600}"
	".indeterminate{color:var(--unsure);font-weight:600}"
	".note{color:var(--grey);font-size:.85em}"
	"footer{margin-top:2em;padding-top:.6em;border-top:1px solid var(--rule);"
	"color:var(--grey);font-size:.85em}"
	"@media (max-width:700px){body{font-size:15px}main{padding:14px 14px 28px}"
	".top{display:block}.qr{max-width:none}.cols{display:block}"
	".cols article+article{margin-top:1.5em;border-top:1px solid var(--rule);padding-top:.5em}"
	"th,td{display:block;width:100%;border:0;padding:.1em 0}"
	"tr{display:block;border-bottom:1px solid var(--rule);padding:.4em 0}}"
	"@media print{body{background:#fff}main{max-width:none;padding:0}}";

/* Writing, with the first failure remembered. */
struct html {
	kel_buf b;
	int rc;
};

static void put(struct html *h, const char *s)
{
	if (h->rc == 0)
		h->rc = kel_buf_puts(&h->b, s);
}

static void putn(struct html *h, const char *s, size_t n)
{
	if (h->rc == 0)
		h->rc = kel_buf_put(&h->b, s, n);
}

static void putf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct html *h, const char *fmt, ...)
{
	va_list ap;

	if (h->rc != 0)
		return;
	va_start(ap, fmt);
	h->rc = kel_buf_vprintf(&h->b, fmt, ap);
	va_end(ap);
}

/* Text with & < > " ' escaped, fit for element content and quoted attribute values. A
 * newline becomes <br/> when br is set. */
static void esc(struct html *h, const char *s, int br)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\n': rep = br ? "<br/>" : " "; break;
		case '\r': rep = ""; break;
		default: continue;
		}
		putn(h, run, (size_t)(s - run));
		put(h, rep);
		run = s + 1;
	}
	putn(h, run, (size_t)(s - run));
}

/* The QR code as SVG: one path of squares, one per run of dark modules in a row. */
static void qr_svg(struct html *h, const struct kel_qr_matrix *q, const char *label)
{
	int w = q->width, side = w + 2 * KEL_QR_QUIET;

	putf(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"", side, side);
	esc(h, label, 0);
	putf(h, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		side, side);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; ) {
			int run = 0;
			while (x + run < w && q->dark[y * w + x + run])
				run++;
			if (run == 0) {
				x++;
				continue;
			}
			putf(h, "M%d %dh%dv1h-%dz", x + KEL_QR_QUIET, y + KEL_QR_QUIET, run, run);
			x += run;
		}
	put(h, "\"/></svg>");
}

static void section(struct html *h, const struct kel_rsection *s)
{
	if (s->n == 0)
		return;
	put(h, "<section><h2>");
	esc(h, s->title, 0);
	put(h, "</h2><table>");
	for (size_t i = 0; i < s->n; i++) {
		const struct kel_rrow *r = &s->rows[i];
		put(h, "<tr><th scope=\"row\">");
		esc(h, r->label, 0);
		put(h, "</th><td>");
		if (r->list) {
			put(h, "<ul>");
			for (size_t j = 0; j < r->n; j++) {
				put(h, "<li>");
				esc(h, r->values[j], 1);
				put(h, "</li>");
			}
			put(h, "</ul>");
		} else {
			for (size_t j = 0; j < r->n; j++) {
				if (j)
					put(h, "<br/>");
				esc(h, r->values[j], 1);
			}
		}
		put(h, "</td></tr>");
	}
	put(h, "</table></section>");
}

static const char *lang_name(const char *code)
{
	if (strcmp(code, "kk") == 0)
		return "Қазақ тілінде";
	if (strcmp(code, "ru") == 0)
		return "На русском языке";
	if (strcmp(code, "en") == 0)
		return "In English";
	return code;
}

static void text(struct html *h, const struct kel_rtext *t)
{
	int in_list = 0;

	put(h, "<article lang=\"");
	esc(h, t->lang, 0);
	put(h, "\"><p class=\"lang-name\">");
	esc(h, lang_name(t->lang), 0);
	put(h, "</p>");
	for (size_t i = 0; i < t->n; i++) {
		const struct kel_rblock *b = &t->blocks[i];
		const char *open, *close;
		if (b->kind == KEL_RB_ITEM && !in_list) {
			put(h, "<ul>");
			in_list = 1;
		} else if (b->kind != KEL_RB_ITEM && in_list) {
			put(h, "</ul>");
			in_list = 0;
		}
		switch (b->kind) {
		case KEL_RB_TITLE: open = "<h3>"; close = "</h3>"; break;
		case KEL_RB_HEADING: open = "<h4>"; close = "</h4>"; break;
		case KEL_RB_ITEM: open = "<li>"; close = "</li>"; break;
		case KEL_RB_PARA: default: open = "<p>"; close = "</p>"; break;
		}
		put(h, open);
		esc(h, b->text, 1);
		put(h, close);
	}
	if (in_list)
		put(h, "</ul>");
	put(h, "</article>");
}

static void wording(struct html *h, const struct kel_rmodel *m, const kel_render_options *opts)
{
	int left, right;

	if (m->ntexts == 0)
		return;
	put(h, "<section class=\"wording\"><h2>");
	esc(h, m->label[KEL_L_WORDING], 0);
	put(h, "</h2>");
	if (kel__rmodel_side_by_side(m, opts, &left, &right)) {
		put(h, "<div class=\"cols\">");
		text(h, &m->texts[left]);
		text(h, &m->texts[right]);
		put(h, "</div>");
		for (int t = 0; t < m->ntexts; t++)
			if (t != left && t != right)
				text(h, &m->texts[t]);
	} else {
		for (int t = 0; t < m->ntexts; t++)
			text(h, &m->texts[t]);
	}
	put(h, "</section>");
}

static const char *result_class(kel_indication ind)
{
	return ind == KEL_INDICATION_PASSED ? "passed" : ind == KEL_INDICATION_FAILED ?
		"failed" : "indeterminate";
}

static void sig_row(struct html *h, const char *label, const char *value, int mono)
{
	put(h, "<tr><th scope=\"row\">");
	esc(h, label, 0);
	put(h, mono ? "</th><td class=\"mono\">" : "</th><td>");
	esc(h, value ? value : "—", 1);
	put(h, "</td></tr>");
}

static void signatures(struct html *h, const struct kel_rmodel *m)
{
	put(h, "<section class=\"signatures\"><h2>");
	esc(h, m->label[KEL_L_SIGNATURES], 0);
	put(h, "</h2>");
	if (m->doc_problem) {
		put(h, "<p class=\"failed\">");
		esc(h, m->label[KEL_L_DOC_PROBLEM], 0);
		put(h, ": ");
		esc(h, m->doc_problem, 1);
		put(h, "</p>");
	}
	if (m->nsigs == 0) {
		put(h, "<p class=\"indeterminate\">");
		esc(h, m->label[KEL_L_NOT_SIGNED], 0);
		put(h, "</p>");
	}
	for (size_t i = 0; i < m->nsigs; i++) {
		const struct kel_rsig *s = &m->sigs[i];
		putf(h, "<div class=\"sig\"><h3>");
		esc(h, m->label[KEL_L_SIGNATURE], 0);
		putf(h, " %zu · ", i + 1);
		esc(h, s->level ? s->level : "?", 0);
		put(h, "</h3><table>");
		sig_row(h, m->label[KEL_L_SIGNER], s->subject, 0);
		sig_row(h, m->label[KEL_L_SERIAL], s->serial, 1);
		sig_row(h, m->label[KEL_L_SIGNING_TIME], s->signing_time, 0);
		if (s->role)
			sig_row(h, m->label[KEL_L_ROLE], s->role, 0);
		put(h, "<tr><th scope=\"row\">");
		esc(h, m->label[KEL_L_RESULT], 0);
		put(h, "</th><td><span class=\"");
		put(h, result_class(s->indication));
		put(h, "\">");
		esc(h, s->indication_name, 0);
		put(h, " — ");
		esc(h, s->result, 0);
		if (s->subindication) {
			put(h, " (");
			esc(h, s->subindication, 0);
			put(h, ")");
		}
		put(h, "</span>");
		if (s->message) {
			put(h, "<br/>");
			esc(h, s->message, 1);
		}
		put(h, "</td></tr></table></div>");
	}
	if (m->payload) {
		put(h, "<div class=\"sig\"><h3>");
		esc(h, m->label[KEL_L_QR_CODE], 0);
		put(h, "</h3><table><tr><th scope=\"row\">");
		esc(h, m->label[KEL_L_RESULT], 0);
		put(h, "</th><td><span class=\"");
		put(h, result_class(m->qr_result));
		put(h, "\">");
		esc(h, kel_indication_name(m->qr_result), 0);
		put(h, " — ");
		esc(h, kel__rmodel_qr_words(m), 0);
		put(h, "</span>");
		if (m->qr_why) {
			put(h, "<br/>");
			esc(h, m->qr_why, 1);
		}
		put(h, "</td></tr></table></div>");
	}
	put(h, "<p class=\"note\">");
	esc(h, m->label[KEL_L_CHECKED_NOTE], 0);
	if (!m->trusted) {
		put(h, ": ");
		esc(h, m->label[KEL_L_NO_TRUST], 0);
	}
	put(h, "</p></section>");
}

int kel__render_html(kel_buf *out, const struct kel_rmodel *m, const kel_render_options *opts)
{
	struct html h = { KEL_BUF_INIT, 0 };
	const char *id = kel_doc_id(m->doc);

	put(&h, "<!DOCTYPE html>\n<html lang=\"");
	esc(&h, m->lang_code[0], 0);
	put(&h, "\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'; form-action 'none'; "
		"base-uri 'none'\"/>\n"
		"<meta name=\"referrer\" content=\"no-referrer\"/>\n"
		"<meta name=\"generator\" content=\"kelisim " KELISIM_VERSION "\"/>\n<title>");
	esc(&h, m->title, 0);
	put(&h, " — ");
	esc(&h, id, 0);
	put(&h, "</title>\n<style>");
	put(&h, style);
	put(&h, "</style>\n</head>\n<body>\n<main>\n<header><h1>");
	esc(&h, m->title, 0);
	put(&h, "</h1></header>\n<div class=\"top\"><section class=\"qr\">");
	if (m->qr.dark) {
		qr_svg(&h, &m->qr, "QR");
		put(&h, "<p>");
		esc(&h, m->label[KEL_L_SCAN], 0);
		put(&h, "</p><p class=\"payload mono\">");
		esc(&h, m->payload, 0);
		put(&h, "</p>");
	} else {
		put(&h, "<p>");
		esc(&h, m->label[KEL_L_NO_QR], 0);
		put(&h, "</p>");
	}
	put(&h, "</section>\n");
	section(&h, &m->sections[KEL_RSEC_DOCUMENT]);
	put(&h, "</div>\n");
	section(&h, &m->sections[KEL_RSEC_PARTIES]);
	put(&h, "\n");
	section(&h, &m->sections[KEL_RSEC_TERMS]);
	put(&h, "\n");
	wording(&h, m, opts);
	put(&h, "\n");
	section(&h, &m->sections[KEL_RSEC_CAPTURE]);
	put(&h, "\n");
	signatures(&h, m);
	put(&h, "\n<footer>");
	esc(&h, m->label[KEL_L_DOC_ID], 0);
	put(&h, ": <code>");
	esc(&h, id, 0);
	put(&h, "</code> · ");
	esc(&h, m->label[KEL_L_ISSUED], 0);
	put(&h, ": ");
	esc(&h, m->issued_display, 0);
	put(&h, "</footer>\n</main>\n</body>\n</html>\n");
	if (h.rc != 0) {
		kel_buf_dispose(&h.b);
		return h.rc;
	}
	kel_buf_dispose(out);
	*out = h.b;
	return 0;
}
