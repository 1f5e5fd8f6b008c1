/*
 * The PDF rendering: A4 pages drawn with cairo, text set with pango.
 *
 * The document becomes a list of rows (a section title, a table row, a paragraph of the
 * wording, or a pair of paragraphs side by side), each row one to three cells, each cell a
 * pango layout. The rows are flowed onto pages twice with the same code: once to count the
 * pages, once to draw, so that each page's footer can say "2 / 3". A row that fits on the
 * page is set whole; one that does not starts a new page; one taller than a page is split
 * between lines, never through one. A heading is kept with the first lines of what follows.
 * Every page has a header (title, document id) and a footer (document id, issue date,
 * "page / pages" and the QR code, drawn as vector squares so that it prints sharp at any
 * resolution).
 */
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "render_internal.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "dl_cairo.h"   /* last: it redirects the cairo and pango names */

/* A4 in points, and the frame of the text. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 48.0
#define HEADER_Y 34.0          /* baseline area of the running header */
#define CONTENT_TOP 64.0
#define QR_SIZE 96.0           /* the code with its quiet zone: 33.9 mm */
#define FOOTER_BOTTOM 30.0     /* the QR's lower edge above the page's */
#define CONTENT_BOTTOM (PAGE_H - FOOTER_BOTTOM - QR_SIZE - 14.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define LABEL_W 142.0          /* the label column of a table */
#define COL_GAP 20.0           /* between the two languages */
#define BULLET_W 11.0

#define FONT_FAMILY "DejaVu Sans,Noto Sans,sans-serif"
#define MONO_FAMILY "DejaVu Sans Mono,Noto Sans Mono,monospace"

struct rgb { double r, g, b; };
static const struct rgb INK = { 0.10, 0.10, 0.12 };
static const struct rgb GREY = { 0.42, 0.44, 0.48 };
static const struct rgb ACCENT = { 0.09, 0.24, 0.45 };
static const struct rgb RULE = { 0.78, 0.80, 0.84 };
static const struct rgb GOOD = { 0.05, 0.45, 0.18 };
static const struct rgb BAD = { 0.70, 0.08, 0.08 };
static const struct rgb UNSURE = { 0.62, 0.38, 0.00 };

struct cell {
	PangoLayout *layout;        /* NULL: an empty cell */
	double x, w;                /* within the content frame */
	struct rgb color;
	int n;                      /* lines */
	PangoLayoutLine **line;
	double *top, *h, *base, *lx;
};

enum row_style { ROW_PLAIN, ROW_SECTION, ROW_TABLE };

#define MAX_CELLS 2

struct row {
	struct cell cell[MAX_CELLS];
	int ncells;
	enum row_style style;
	double before, after;       /* space above and below */
	double pad;                 /* inner padding above and below the text (tables) */
	int keep_with_next;
	int rule_below;             /* a hairline under the row (tables, section titles) */
	const char *outline;        /* a bookmark to the row in the PDF's outline, or NULL */
};

struct pdf {
	const struct kel_rmodel *m;
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pc;
	struct row *rows;
	size_t n, cap;
	int oom;
	/* flowing */
	int draw;
	int page;                   /* 1-based */
	int pages;                  /* known in the drawing pass */
	double y;
};

/* ---- cells and rows ------------------------------------------------------------------ */

static PangoLayout *make_layout(struct pdf *p, const char *text, const char *family,
	double size, int bold, double width, int bullet)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_spacing(l, (int)(size * 0.28 * PANGO_SCALE));
	if (bullet) {
		/* "•\ttext": the bullet at the edge, the text and its next lines at the tab. */
		PangoTabArray *tabs = pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT,
			(int)BULLET_W);
		pango_layout_set_tabs(l, tabs);
		pango_tab_array_free(tabs);
		pango_layout_set_indent(l, (int)(-BULLET_W * PANGO_SCALE));
	}
	/* Plain text, never markup: the document's words are data. */
	pango_layout_set_text(l, text, -1);
	return l;
}

static int measure(struct cell *c)
{
	PangoLayoutIter *it;
	int i = 0;

	c->n = pango_layout_get_line_count(c->layout);
	c->line = calloc((size_t)c->n, sizeof(*c->line));
	c->top = calloc((size_t)c->n * 4, sizeof(double));
	if (c->line == NULL || c->top == NULL)
		return KEL_ENOMEM;
	c->h = c->top + c->n;
	c->base = c->h + c->n;
	c->lx = c->base + c->n;
	it = pango_layout_get_iter(c->layout);
	do {
		PangoRectangle log;
		if (i >= c->n)
			break;
		pango_layout_iter_get_line_extents(it, NULL, &log);
		c->line[i] = pango_layout_iter_get_line_readonly(it);
		c->top[i] = (double)log.y / PANGO_SCALE;
		c->h[i] = (double)log.height / PANGO_SCALE;
		c->base[i] = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		c->lx[i] = (double)log.x / PANGO_SCALE;
		i++;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	c->n = i;
	return 0;
}

static struct row *new_row(struct pdf *p, enum row_style style, double before, double after)
{
	struct row *r;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct row *n = realloc(p->rows, cap * sizeof(*n));
		if (n == NULL) {
			p->oom = 1;
			return NULL;
		}
		p->rows = n;
		p->cap = cap;
	}
	r = &p->rows[p->n++];
	memset(r, 0, sizeof(*r));
	r->style = style;
	r->before = before;
	r->after = after;
	return r;
}

/* Put text into the row's next cell at x with width w (bullet: each paragraph of text starts
 * with "•\t" and hangs from it). */
static void add_cell(struct pdf *p, struct row *r, const char *text, const char *family,
	double size, int bold, struct rgb color, double x, double w, int bullet)
{
	struct cell *c;

	if (r == NULL || r->ncells == MAX_CELLS)
		return;
	c = &r->cell[r->ncells++];
	c->x = x;
	c->w = w;
	c->color = color;
	if (text == NULL || text[0] == '\0')
		return;
	c->layout = make_layout(p, text, family, size, bold, w, bullet);
	if (c->layout == NULL || measure(c) != 0)
		p->oom = 1;
}

static void free_rows(struct pdf *p)
{
	for (size_t i = 0; i < p->n; i++)
		for (int j = 0; j < p->rows[i].ncells; j++) {
			struct cell *c = &p->rows[i].cell[j];
			if (c->layout)
				g_object_unref(c->layout);
			free(c->line);
			free(c->top);
		}
	free(p->rows);
	p->rows = NULL;
	p->n = p->cap = 0;
}

/* ---- the rows of the document -------------------------------------------------------- */

static void section_title(struct pdf *p, const char *title)
{
	struct row *r = new_row(p, ROW_SECTION, 16, 4);
	if (r == NULL)
		return;
	r->keep_with_next = 1;
	r->rule_below = 1;
	r->outline = title;
	add_cell(p, r, title, FONT_FAMILY, 11.5, 1, ACCENT, 0, CONTENT_W, 0);
}

/* A table row: label and value; the value may be several lines joined by "\n", or a
 * bulleted list when each line starts with "•\t". */
static struct row *table_row(struct pdf *p, const char *label, const char *value,
	struct rgb color, int bullet)
{
	struct row *r = new_row(p, ROW_TABLE, 0, 0);

	if (r == NULL)
		return NULL;
	r->pad = 3;
	r->rule_below = 1;
	add_cell(p, r, label, FONT_FAMILY, 7.5, 1, GREY, 0, LABEL_W - 8, 0);
	add_cell(p, r, value, FONT_FAMILY, 8.5, 0, color, LABEL_W, CONTENT_W - LABEL_W, bullet);
	return r;
}

static void section_rows(struct pdf *p, const struct kel_rsection *s)
{
	if (s->n == 0)
		return;
	section_title(p, s->title);
	for (size_t i = 0; i < s->n; i++) {
		const struct kel_rrow *rr = &s->rows[i];
		kel_buf v = KEL_BUF_INIT;
		int rc = 0;
		for (size_t j = 0; j < rr->n && rc == 0; j++) {
			if (j)
				rc = kel_buf_puts(&v, "\n");
			if (rc == 0 && rr->list)
				rc = kel_buf_puts(&v, "•\t");
			if (rc == 0)
				rc = kel_buf_puts(&v, rr->values[j]);
		}
		if (rc != 0)
			p->oom = 1;
		else
			table_row(p, rr->label, v.ptr ? v.ptr : "", INK, rr->list);
		kel_buf_dispose(&v);
	}
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

/* The style of a block of wording: size, weight, space above, bullet. */
static void block_style(enum kel_rblock_kind kind, double *size, int *bold, double *before,
	int *bullet)
{
	*bullet = 0;
	switch (kind) {
	case KEL_RB_TITLE: *size = 12; *bold = 1; *before = 6; break;
	case KEL_RB_HEADING: *size = 9.5; *bold = 1; *before = 8; break;
	case KEL_RB_ITEM: *size = 9; *bold = 0; *before = 2; *bullet = 1; break;
	case KEL_RB_PARA: default: *size = 9; *bold = 0; *before = 5; break;
	}
}

static void block_cell(struct pdf *p, struct row *r, const struct kel_rblock *b, double x,
	double w)
{
	double size, before;
	int bold, bullet;

	if (b == NULL) {
		add_cell(p, r, NULL, FONT_FAMILY, 9.5, 0, INK, x, w, 0);
		return;
	}
	block_style(b->kind, &size, &bold, &before, &bullet);
	if (before > r->before)
		r->before = before;
	if (b->kind == KEL_RB_HEADING || b->kind == KEL_RB_TITLE)
		r->keep_with_next = 1;
	if (bullet) {
		size_t len = strlen(b->text);
		char *text = malloc(len + 5);
		if (text == NULL) {
			p->oom = 1;
			return;
		}
		memcpy(text, "•\t", 4);   /* U+2022 is three bytes */
		memcpy(text + 4, b->text, len + 1);
		add_cell(p, r, text, FONT_FAMILY, size, bold, INK, x, w, 1);
		free(text);
	} else {
		add_cell(p, r, b->text, FONT_FAMILY, size, bold,
			b->kind == KEL_RB_TITLE ? ACCENT : INK, x, w, 0);
	}
}

static void wording_rows(struct pdf *p, const kel_render_options *opts)
{
	const struct kel_rmodel *m = p->m;
	int left, right;

	if (m->ntexts == 0)
		return;
	section_title(p, m->label[KEL_L_WORDING]);
	if (kel__rmodel_side_by_side(m, opts, &left, &right)) {
		const struct kel_rtext *a = &m->texts[left], *b = &m->texts[right];
		double w = (CONTENT_W - COL_GAP) / 2;
		size_t n = a->n > b->n ? a->n : b->n;
		struct row *r = new_row(p, ROW_PLAIN, 4, 0);
		if (r == NULL)
			return;
		r->keep_with_next = 1;
		add_cell(p, r, lang_name(a->lang), FONT_FAMILY, 7.5, 0, GREY, 0, w, 0);
		add_cell(p, r, lang_name(b->lang), FONT_FAMILY, 7.5, 0, GREY, w + COL_GAP, w, 0);
		/* Paired by position: the templates of one type say the same things in the same
		 * order, so each row holds a paragraph and its translation. */
		for (size_t i = 0; i < n; i++) {
			if ((r = new_row(p, ROW_PLAIN, 0, 0)) == NULL)
				return;
			block_cell(p, r, i < a->n ? &a->blocks[i] : NULL, 0, w);
			block_cell(p, r, i < b->n ? &b->blocks[i] : NULL, w + COL_GAP, w);
		}
		/* A third language (en) follows in full width. */
		for (int t = 0; t < m->ntexts; t++) {
			if (t == left || t == right)
				continue;
			if ((r = new_row(p, ROW_PLAIN, 14, 0)) == NULL)
				return;
			r->keep_with_next = 1;
			add_cell(p, r, lang_name(m->texts[t].lang), FONT_FAMILY, 7.5, 0, GREY, 0,
				CONTENT_W, 0);
			for (size_t i = 0; i < m->texts[t].n; i++) {
				if ((r = new_row(p, ROW_PLAIN, 0, 0)) == NULL)
					return;
				block_cell(p, r, &m->texts[t].blocks[i], 0, CONTENT_W);
			}
		}
		return;
	}
	for (int t = 0; t < m->ntexts; t++) {
		struct row *r = new_row(p, ROW_PLAIN, t ? 14 : 4, 0);
		if (r == NULL)
			return;
		r->keep_with_next = 1;
		add_cell(p, r, lang_name(m->texts[t].lang), FONT_FAMILY, 7.5, 0, GREY, 0, CONTENT_W,
			0);
		for (size_t i = 0; i < m->texts[t].n; i++) {
			if ((r = new_row(p, ROW_PLAIN, 0, 0)) == NULL)
				return;
			block_cell(p, r, &m->texts[t].blocks[i], 0, CONTENT_W);
		}
	}
}

static struct rgb result_color(kel_indication ind)
{
	return ind == KEL_INDICATION_PASSED ? GOOD : ind == KEL_INDICATION_FAILED ? BAD : UNSURE;
}

static void signature_rows(struct pdf *p)
{
	const struct kel_rmodel *m = p->m;
	kel_buf v = KEL_BUF_INIT;
	struct row *r;

	section_title(p, m->label[KEL_L_SIGNATURES]);
	if (m->doc_problem)
		table_row(p, m->label[KEL_L_DOC_PROBLEM], m->doc_problem, BAD, 0);
	if (m->nsigs == 0)
		table_row(p, m->label[KEL_L_RESULT], m->label[KEL_L_NOT_SIGNED], UNSURE, 0);
	for (size_t i = 0; i < m->nsigs && !p->oom; i++) {
		const struct kel_rsig *s = &m->sigs[i];
		kel_buf_clear(&v);
		if (kel_buf_printf(&v, "%s %zu · %s", m->label[KEL_L_SIGNATURE], i + 1,
			s->level ? s->level : "?") != 0)
			goto oom;
		if ((r = new_row(p, ROW_PLAIN, i ? 10 : 6, 2)) == NULL)
			break;
		r->keep_with_next = 1;
		add_cell(p, r, v.ptr, FONT_FAMILY, 9.5, 1, INK, 0, CONTENT_W, 0);
		if ((r = table_row(p, m->label[KEL_L_SIGNER], s->subject ? s->subject : "—", INK,
			0)))
			r->keep_with_next = 1;
		if ((r = table_row(p, m->label[KEL_L_SERIAL], s->serial ? s->serial : "—", INK, 0)))
			r->keep_with_next = 1;
		if ((r = table_row(p, m->label[KEL_L_SIGNING_TIME],
			s->signing_time ? s->signing_time : "—", INK, 0)))
			r->keep_with_next = 1;
		if (s->role && (r = table_row(p, m->label[KEL_L_ROLE], s->role, INK, 0)))
			r->keep_with_next = 1;
		kel_buf_clear(&v);
		if (kel_buf_printf(&v, "%s — %s", s->indication_name, s->result) != 0 ||
		    (s->subindication && kel_buf_printf(&v, " (%s)", s->subindication) != 0))
			goto oom;
		if (s->message && (kel_buf_puts(&v, "\n") != 0 || kel_buf_puts(&v, s->message) != 0))
			goto oom;
		table_row(p, m->label[KEL_L_RESULT], v.ptr, result_color(s->indication), 0);
	}
	if (m->payload) {
		kel_buf_clear(&v);
		if (kel_buf_printf(&v, "%s — %s", kel_indication_name(m->qr_result),
			kel__rmodel_qr_words(m)) != 0 ||
		    (m->qr_why && kel_buf_printf(&v, "\n%s", m->qr_why) != 0))
			goto oom;
		if ((r = new_row(p, ROW_PLAIN, 10, 2)) == NULL)
			goto oom;
		r->keep_with_next = 1;
		add_cell(p, r, m->label[KEL_L_QR_CODE], FONT_FAMILY, 9.5, 1, INK, 0, CONTENT_W, 0);
		table_row(p, m->label[KEL_L_RESULT], v.ptr, result_color(m->qr_result), 0);
	}
	kel_buf_clear(&v);
	if (kel_buf_puts(&v, m->label[KEL_L_CHECKED_NOTE]) != 0 || (!m->trusted &&
	    (kel_buf_puts(&v, ": ") != 0 || kel_buf_puts(&v, m->label[KEL_L_NO_TRUST]) != 0)))
		goto oom;
	if ((r = new_row(p, ROW_PLAIN, 6, 0)) != NULL)
		add_cell(p, r, v.ptr, FONT_FAMILY, 7.5, 0, GREY, 0, CONTENT_W, 0);
	kel_buf_dispose(&v);
	return;
oom:
	p->oom = 1;
	kel_buf_dispose(&v);
}

static void title_rows(struct pdf *p)
{
	struct row *r = new_row(p, ROW_PLAIN, 0, 4);
	if (r == NULL)
		return;
	add_cell(p, r, p->m->title, FONT_FAMILY, 15, 1, ACCENT, 0, CONTENT_W, 0);
}

static void build_rows(struct pdf *p, const kel_render_options *opts)
{
	const struct kel_rmodel *m = p->m;

	title_rows(p);
	section_rows(p, &m->sections[KEL_RSEC_DOCUMENT]);
	section_rows(p, &m->sections[KEL_RSEC_PARTIES]);
	section_rows(p, &m->sections[KEL_RSEC_TERMS]);
	wording_rows(p, opts);
	section_rows(p, &m->sections[KEL_RSEC_CAPTURE]);
	signature_rows(p);
}

/* ---- page furniture ------------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* Draw a text with its top-left at x, y; align: 0 left, on one line cut short with "…" at
 * width w; 1 right, whole (x is then the right edge; w is ignored); 2 left, wrapped at w.
 * Returns its height; *width (when not NULL) gets its width. */
static double draw_text_w(struct pdf *p, const char *text, const char *family, double size,
	int bold, struct rgb color, double x, double y, double w, int align, double *width)
{
	PangoLayout *l = make_layout(p, text, family, size, bold, w, 0);
	PangoRectangle log;

	if (align == 0)
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	else if (align == 1)
		pango_layout_set_width(l, -1);
	pango_layout_get_extents(l, NULL, &log);
	if (width)
		*width = (double)log.width / PANGO_SCALE;
	set_rgb(p->cr, color);
	cairo_move_to(p->cr, align == 1 ? x - (double)log.width / PANGO_SCALE : x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return (double)log.height / PANGO_SCALE;
}

static double draw_text(struct pdf *p, const char *text, const char *family, double size,
	int bold, struct rgb color, double x, double y, double w, int align)
{
	return draw_text_w(p, text, family, size, bold, color, x, y, w, align, NULL);
}

/* The QR code: the dark modules of each row in runs, all in one path filled once, so that
 * touching squares leave no seam when rasterised. */
static void draw_qr(struct pdf *p, double x, double y, double size)
{
	const struct kel_qr_matrix *q = &p->m->qr;
	int side, w;
	double u;

	if (q->dark == NULL) {
		cairo_set_line_width(p->cr, 0.6);
		set_rgb(p->cr, RULE);
		cairo_rectangle(p->cr, x + 0.3, y + 0.3, size - 0.6, size - 0.6);
		cairo_stroke(p->cr);
		draw_text(p, p->m->label[KEL_L_NO_QR], FONT_FAMILY, 7, 0, GREY, x + 6,
			y + size / 2 - 16, size - 12, 2);
		return;
	}
	w = q->width;
	side = w + 2 * KEL_QR_QUIET;
	u = size / side;
	cairo_new_path(p->cr);
	for (int my = 0; my < w; my++)
		for (int mx = 0; mx < w; ) {
			int run = 0;
			while (mx + run < w && q->dark[my * w + mx + run])
				run++;
			if (run == 0) {
				mx++;
				continue;
			}
			cairo_rectangle(p->cr, x + (mx + KEL_QR_QUIET) * u, y + (my + KEL_QR_QUIET) * u,
				run * u, u);
			mx += run;
		}
	set_rgb(p->cr, (struct rgb){ 0, 0, 0 });
	cairo_set_fill_rule(p->cr, CAIRO_FILL_RULE_WINDING);
	cairo_fill(p->cr);
}

static void draw_page_furniture(struct pdf *p)
{
	const struct kel_rmodel *m = p->m;
	double qr_x = PAGE_W - MARGIN_X - QR_SIZE + 6;   /* the quiet zone reaches the margin */
	double qr_y = PAGE_H - FOOTER_BOTTOM - QR_SIZE;
	double fy = qr_y + 4, tw = qr_x - MARGIN_X - 12;
	char pages[32];
	double id_w;

	/* header */
	draw_text_w(p, kel_doc_id(m->doc), MONO_FAMILY, 7.5, 0, GREY, PAGE_W - MARGIN_X, HEADER_Y,
		0, 1, &id_w);
	draw_text(p, m->title, FONT_FAMILY, 7.5, 0, GREY, MARGIN_X, HEADER_Y,
		CONTENT_W - id_w - 16, 0);
	set_rgb(p->cr, RULE);
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, MARGIN_X, HEADER_Y + 14);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, HEADER_Y + 14);
	cairo_stroke(p->cr);

	/* footer */
	cairo_move_to(p->cr, MARGIN_X, qr_y - 6);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, qr_y - 6);
	cairo_stroke(p->cr);
	fy += draw_text(p, m->label[KEL_L_DOC_ID], FONT_FAMILY, 7, 0, GREY, MARGIN_X, fy, tw, 0);
	fy += draw_text(p, kel_doc_id(m->doc), MONO_FAMILY, 9.5, 1, INK, MARGIN_X, fy + 1, tw, 0);
	fy += 6;
	fy += draw_text(p, m->label[KEL_L_ISSUED], FONT_FAMILY, 7, 0, GREY, MARGIN_X, fy, tw, 0);
	fy += draw_text(p, m->issued_display, FONT_FAMILY, 8.5, 0, INK, MARGIN_X, fy + 1, tw, 0);
	fy += 6;
	if (m->qr.dark)
		draw_text(p, m->label[KEL_L_SCAN], FONT_FAMILY, 7, 0, GREY, MARGIN_X, fy, tw, 0);
	snprintf(pages, sizeof(pages), "%d / %d", p->page, p->pages);
	draw_text(p, pages, FONT_FAMILY, 9, 0, INK, qr_x - 12, qr_y + QR_SIZE - 20, 0, 1);
	draw_qr(p, qr_x, qr_y, QR_SIZE);
}

/* ---- flowing the rows onto pages ------------------------------------------------------ */

static void begin_page(struct pdf *p)
{
	p->page++;
	p->y = CONTENT_TOP;
	if (p->draw)
		draw_page_furniture(p);
}

static void next_page(struct pdf *p)
{
	if (p->draw)
		cairo_show_page(p->cr);
	begin_page(p);
}

/* Height of lines [from, to) of a cell. */
static double lines_h(const struct cell *c, int from, int to)
{
	if (to <= from)
		return 0;
	return c->top[to - 1] + c->h[to - 1] - c->top[from];
}

static double row_h(const struct row *r)
{
	double h = 0;
	for (int i = 0; i < r->ncells; i++) {
		double ch = lines_h(&r->cell[i], 0, r->cell[i].n);
		if (ch > h)
			h = ch;
	}
	return h + 2 * r->pad;
}

/* The height of the first lines of a row: what a heading must not be parted from. */
static double row_head_h(const struct row *r, int lines)
{
	double h = 0;
	for (int i = 0; i < r->ncells; i++) {
		const struct cell *c = &r->cell[i];
		double ch = lines_h(c, 0, c->n < lines ? c->n : lines);
		if (ch > h)
			h = ch;
	}
	return h + 2 * r->pad;
}

/*
 * Whether a row may be split where the page ends rather than moved whole to the next page:
 * a long row (a list of purposes, a long paragraph) would otherwise leave most of a page
 * empty. Short rows move whole.
 */
#define SPLIT_MIN_LINES 7
#define SPLIT_KEEP_LINES 3     /* lines at least on each side of the split */

static int splittable(const struct row *r)
{
	for (int i = 0; i < r->ncells; i++)
		if (r->cell[i].n >= SPLIT_MIN_LINES)
			return 1;
	return 0;
}

static void draw_lines(struct pdf *p, const struct cell *c, int from, int to, double y)
{
	set_rgb(p->cr, c->color);
	for (int i = from; i < to; i++) {
		cairo_move_to(p->cr, MARGIN_X + c->x + c->lx[i], y + c->base[i] - c->top[from]);
		pango_cairo_show_layout_line(p->cr, c->line[i]);
	}
}

static void draw_rule(struct pdf *p, double y)
{
	set_rgb(p->cr, RULE);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN_X, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, y);
	cairo_stroke(p->cr);
}

static void place_row(struct pdf *p, size_t idx)
{
	const struct row *r = &p->rows[idx];
	double h = row_h(r), need = h;
	int next[MAX_CELLS] = { 0 }, done;

	if (p->y > CONTENT_TOP)
		p->y += r->before;
	/*
	 * Rows kept with the next (a heading, a signature's lines) go to a new page unless the
	 * next fits with them: the whole next row when it would move whole to a new page,
	 * else (a long row, which is split) its first lines.
	 */
	for (size_t j = idx; p->rows[j].keep_with_next && j + 1 < p->n; j++) {
		const struct row *nx = &p->rows[j + 1];
		double nh = row_h(nx);
		if (nh > CONTENT_BOTTOM - CONTENT_TOP || splittable(nx)) {
			need += nx->before + row_head_h(nx, SPLIT_KEEP_LINES);
			break;
		}
		if (need + nx->before + nh > CONTENT_BOTTOM - CONTENT_TOP)
			break;
		need += nx->before + nh;
	}
	if (need > h && p->y + need > CONTENT_BOTTOM && p->y > CONTENT_TOP &&
	    need <= CONTENT_BOTTOM - CONTENT_TOP)
		next_page(p);
	else if (p->y + h > CONTENT_BOTTOM && p->y > CONTENT_TOP &&
	    h <= CONTENT_BOTTOM - CONTENT_TOP &&
	    (!splittable(r) || p->y + row_head_h(r, SPLIT_KEEP_LINES) > CONTENT_BOTTOM))
		next_page(p);

	if (p->draw && r->outline) {
		char dest[64];
		snprintf(dest, sizeof(dest), "page=%d pos=[%.0f %.0f]", p->page, MARGIN_X, p->y);
		cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT, r->outline, dest,
			0);
	}

	/* Set the row, splitting it between lines when it does not fit. */
	do {
		double avail = CONTENT_BOTTOM - p->y - 2 * r->pad, used = 0;
		done = 1;
		for (int i = 0; i < r->ncells; i++) {
			const struct cell *c = &r->cell[i];
			int to = next[i];
			while (to < c->n && (lines_h(c, next[i], to + 1) <= avail ||
			       (to == next[i] && p->y <= CONTENT_TOP)))
				to++;
			/* No lone last line at the top of the next page. */
			if (to < c->n && c->n - to < 2 && to - next[i] > SPLIT_KEEP_LINES)
				to = c->n - 2;
			if (p->draw)
				draw_lines(p, c, next[i], to, p->y + r->pad);
			if (lines_h(c, next[i], to) > used)
				used = lines_h(c, next[i], to);
			next[i] = to;
			if (to < c->n)
				done = 0;
		}
		p->y += used + 2 * r->pad;
		if (p->draw && r->rule_below && (done || r->style == ROW_TABLE))
			draw_rule(p, p->y + (r->style == ROW_SECTION ? 2 : 0) + 0.25);
		if (!done)
			next_page(p);
	} while (!done);
	if (r->style == ROW_SECTION)
		p->y += 2;
	p->y += r->after;
}

static void flow(struct pdf *p)
{
	p->page = 0;
	begin_page(p);
	for (size_t i = 0; i < p->n; i++)
		place_row(p, i);
	if (p->draw)
		cairo_show_page(p->cr);
}

/*
 * Each thread keeps one pango font map (fonts found, glyphs measured) from one rendering to
 * the next: making one costs milliseconds of fontconfig matching and a helper thread. (Font
 * maps are not shared between threads: pango does not promise that they may be.) A thread's
 * map is released when the thread ends; kel_shutdown() releases every thread's (a thread of
 * a pool that ends after kel_shutdown() then has nothing left to release).
 */
struct font_slot {
	PangoFontMap *fm;              /* NULL once released by kel_shutdown() */
	struct font_slot *prev, *next;
};

static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static struct font_slot *font_slots;      /* every thread's slot, under font_lock */
static pthread_once_t font_once = PTHREAD_ONCE_INIT;
static pthread_key_t font_key;
static int font_key_ok;

/* At a thread's end: its font map, and its slot. */
static void font_slot_release(void *arg)
{
	struct font_slot *slot = arg;

	pthread_mutex_lock(&font_lock);
	if (slot->fm)
		g_object_unref(slot->fm);
	if (slot->prev)
		slot->prev->next = slot->next;
	else
		font_slots = slot->next;
	if (slot->next)
		slot->next->prev = slot->prev;
	pthread_mutex_unlock(&font_lock);
	free(slot);
}

static void font_key_make(void)
{
	font_key_ok = pthread_key_create(&font_key, font_slot_release) == 0;
}

/* This thread's font map, with a reference for the caller; NULL when out of memory. */
static PangoFontMap *font_map_get(void)
{
	struct font_slot *slot;
	PangoFontMap *fm;

	pthread_once(&font_once, font_key_make);
	slot = font_key_ok ? pthread_getspecific(font_key) : NULL;
	if (slot == NULL && font_key_ok && (slot = calloc(1, sizeof(*slot))) != NULL) {
		if (pthread_setspecific(font_key, slot) != 0) {
			free(slot);
			slot = NULL;
		} else {
			pthread_mutex_lock(&font_lock);
			slot->next = font_slots;
			if (font_slots)
				font_slots->prev = slot;
			font_slots = slot;
			pthread_mutex_unlock(&font_lock);
		}
	}
	if (slot == NULL)   /* no slot: a map for this rendering only */
		return pango_cairo_font_map_new();
	pthread_mutex_lock(&font_lock);
	if (slot->fm == NULL)
		slot->fm = pango_cairo_font_map_new();
	fm = slot->fm ? g_object_ref(slot->fm) : NULL;
	pthread_mutex_unlock(&font_lock);
	return fm;
}

/* ---- the PDF -------------------------------------------------------------------------- */

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return kel_buf_put(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS :
		CAIRO_STATUS_WRITE_ERROR;
}

int kel__render_pdf(kel_buf *out, const struct kel_rmodel *m, const kel_render_options *opts)
{
	struct pdf p;
	cairo_surface_t *surface;
	cairo_font_options_t *fo;
	PangoFontMap *fm = NULL;
	cairo_status_t st;
	kel_buf pdf = KEL_BUF_INIT;
	char date[32];
	int rc = 0;

	if ((rc = kel__dynload(&kel__dl_cairo)) < 0)
		return rc;
	memset(&p, 0, sizeof(p));
	p.m = m;
	surface = cairo_pdf_surface_create_for_stream(write_to_buf, &pdf, PAGE_W, PAGE_H);
	p.surface = surface;
	p.cr = cairo_create(surface);
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS) {
		rc = kel_fail(KEL_ERROR, "render: cannot make a PDF surface: %s",
			cairo_status_to_string(cairo_status(p.cr)));
		goto done;
	}
	/* The creation date is the document's: the same document renders to the same bytes. */
	snprintf(date, sizeof(date), "%s", kel_doc_issued_at(m->doc));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, m->title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, kel_doc_id(m->doc));
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
		"kelisim " KELISIM_VERSION);

	fm = font_map_get();
	p.pc = fm ? pango_font_map_create_context(fm) : NULL;
	if (p.pc == NULL) {
		rc = kel_fail(KEL_ERROR, "render: cannot set up pango");
		goto done;
	}
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p.pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_update_context(p.cr, p.pc);

	build_rows(&p, opts);
	if (p.oom) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	p.draw = 0;
	flow(&p);
	p.pages = p.page;
	p.draw = 1;
	flow(&p);
	cairo_destroy(p.cr);
	p.cr = NULL;
	cairo_surface_finish(surface);
	st = cairo_surface_status(surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		rc = st == CAIRO_STATUS_NO_MEMORY || st == CAIRO_STATUS_WRITE_ERROR ?
			kel_fail(KEL_ENOMEM, "render: out of memory writing the PDF") :
			kel_fail(KEL_ERROR, "render: cairo: %s", cairo_status_to_string(st));
		goto done;
	}
	kel_buf_dispose(out);
	*out = pdf;
	pdf = (kel_buf)KEL_BUF_INIT;
done:
	free_rows(&p);
	if (p.pc)
		g_object_unref(p.pc);
	if (fm)
		g_object_unref(fm);
	if (p.cr)
		cairo_destroy(p.cr);
	cairo_surface_destroy(surface);
	kel_buf_dispose(&pdf);
	return rc;
}

void kel__render_shutdown(void)
{
	/*
	 * Every thread's font map. Not FcFini(): fontconfig asserts (and aborts the process)
	 * when cairo still holds font faces from its caches, which cairo keeps for the life of
	 * the process. What fontconfig keeps is its configuration and font cache, loaded once;
	 * tests/lsan-fontconfig.supp tells LeakSanitizer about them. Like all of
	 * kel_shutdown(), this expects no rendering to be running. Nothing to do (and nothing
	 * to call) if no PDF was ever made: cairo and pango were then never loaded.
	 */
	if (!kel__dynloaded(&kel__dl_cairo))
		return;
	pthread_mutex_lock(&font_lock);
	for (struct font_slot *slot = font_slots; slot; slot = slot->next)
		if (slot->fm) {
			g_object_unref(slot->fm);
			slot->fm = NULL;
		}
	pthread_mutex_unlock(&font_lock);
}
