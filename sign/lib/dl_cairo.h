/*
 * Rendering and image reading (cairo, pango), loaded on first use (dynload.h): used by
 * render_pdf.c (PDF) and qr_scan.c (reading PNG images).
 * Include this after everything else: it turns each function name below into a call
 * through its pointer. Call kel__dynload(&kel__dl_cairo) before the first of them.
 */
#ifndef KEL_DL_CAIRO_H
#define KEL_DL_CAIRO_H

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include "dynload.h"

extern struct kel__dyngroup kel__dl_cairo;

#define KEL_DL_CAIRO_FUNCS(X) \
	X(cairo_create) X(cairo_destroy) X(cairo_fill) X(cairo_font_options_create) \
	X(cairo_font_options_destroy) X(cairo_font_options_set_hint_metrics) \
	X(cairo_font_options_set_hint_style) X(cairo_image_surface_create) \
	X(cairo_image_surface_create_from_png_stream) X(cairo_image_surface_get_data) \
	X(cairo_image_surface_get_height) X(cairo_image_surface_get_stride) \
	X(cairo_image_surface_get_width) X(cairo_line_to) X(cairo_move_to) X(cairo_new_path) \
	X(cairo_paint) X(cairo_pdf_surface_add_outline) X(cairo_pdf_surface_create_for_stream) \
	X(cairo_pdf_surface_set_metadata) X(cairo_rectangle) X(cairo_set_fill_rule) \
	X(cairo_set_line_width) X(cairo_set_source_rgb) X(cairo_set_source_surface) \
	X(cairo_show_page) X(cairo_status) X(cairo_status_to_string) X(cairo_stroke) \
	X(cairo_surface_destroy) X(cairo_surface_finish) X(cairo_surface_flush) \
	X(cairo_surface_status) X(g_object_ref) X(g_object_unref) \
	X(pango_cairo_context_set_font_options) X(pango_cairo_font_map_new) \
	X(pango_cairo_show_layout) X(pango_cairo_show_layout_line) X(pango_cairo_update_context) \
	X(pango_font_description_free) X(pango_font_description_new) \
	X(pango_font_description_set_absolute_size) X(pango_font_description_set_family) \
	X(pango_font_description_set_weight) X(pango_font_map_create_context) \
	X(pango_layout_get_extents) X(pango_layout_get_iter) X(pango_layout_get_line_count) \
	X(pango_layout_iter_free) X(pango_layout_iter_get_baseline) \
	X(pango_layout_iter_get_line_extents) X(pango_layout_iter_get_line_readonly) \
	X(pango_layout_iter_next_line) X(pango_layout_new) X(pango_layout_set_ellipsize) \
	X(pango_layout_set_font_description) X(pango_layout_set_indent) \
	X(pango_layout_set_spacing) X(pango_layout_set_tabs) X(pango_layout_set_text) \
	X(pango_layout_set_width) X(pango_layout_set_wrap) X(pango_tab_array_free) \
	X(pango_tab_array_new_with_positions)

KEL_DL_CAIRO_FUNCS(KEL_DL_DECLARE)

#define cairo_create (*kel__dl_cairo_create)
#define cairo_destroy (*kel__dl_cairo_destroy)
#define cairo_fill (*kel__dl_cairo_fill)
#define cairo_font_options_create (*kel__dl_cairo_font_options_create)
#define cairo_font_options_destroy (*kel__dl_cairo_font_options_destroy)
#define cairo_font_options_set_hint_metrics (*kel__dl_cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style (*kel__dl_cairo_font_options_set_hint_style)
#define cairo_image_surface_create (*kel__dl_cairo_image_surface_create)
#define cairo_image_surface_create_from_png_stream \
	(*kel__dl_cairo_image_surface_create_from_png_stream)
#define cairo_image_surface_get_data (*kel__dl_cairo_image_surface_get_data)
#define cairo_image_surface_get_height (*kel__dl_cairo_image_surface_get_height)
#define cairo_image_surface_get_stride (*kel__dl_cairo_image_surface_get_stride)
#define cairo_image_surface_get_width (*kel__dl_cairo_image_surface_get_width)
#define cairo_line_to (*kel__dl_cairo_line_to)
#define cairo_move_to (*kel__dl_cairo_move_to)
#define cairo_new_path (*kel__dl_cairo_new_path)
#define cairo_paint (*kel__dl_cairo_paint)
#define cairo_pdf_surface_add_outline (*kel__dl_cairo_pdf_surface_add_outline)
#define cairo_pdf_surface_create_for_stream (*kel__dl_cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata (*kel__dl_cairo_pdf_surface_set_metadata)
#define cairo_rectangle (*kel__dl_cairo_rectangle)
#define cairo_set_fill_rule (*kel__dl_cairo_set_fill_rule)
#define cairo_set_line_width (*kel__dl_cairo_set_line_width)
#define cairo_set_source_rgb (*kel__dl_cairo_set_source_rgb)
#define cairo_set_source_surface (*kel__dl_cairo_set_source_surface)
#define cairo_show_page (*kel__dl_cairo_show_page)
#define cairo_status (*kel__dl_cairo_status)
#define cairo_status_to_string (*kel__dl_cairo_status_to_string)
#define cairo_stroke (*kel__dl_cairo_stroke)
#define cairo_surface_destroy (*kel__dl_cairo_surface_destroy)
#define cairo_surface_finish (*kel__dl_cairo_surface_finish)
#define cairo_surface_flush (*kel__dl_cairo_surface_flush)
#define cairo_surface_status (*kel__dl_cairo_surface_status)
/* glib wraps g_object_ref in a type-keeping macro; the plain function is what is loaded. */
#undef g_object_ref
#define g_object_ref (*kel__dl_g_object_ref)
#define g_object_unref (*kel__dl_g_object_unref)
#define pango_cairo_context_set_font_options (*kel__dl_pango_cairo_context_set_font_options)
#define pango_cairo_font_map_new (*kel__dl_pango_cairo_font_map_new)
#define pango_cairo_show_layout (*kel__dl_pango_cairo_show_layout)
#define pango_cairo_show_layout_line (*kel__dl_pango_cairo_show_layout_line)
#define pango_cairo_update_context (*kel__dl_pango_cairo_update_context)
#define pango_font_description_free (*kel__dl_pango_font_description_free)
#define pango_font_description_new (*kel__dl_pango_font_description_new)
#define pango_font_description_set_absolute_size (*kel__dl_pango_font_description_set_absolute_size)
#define pango_font_description_set_family (*kel__dl_pango_font_description_set_family)
#define pango_font_description_set_weight (*kel__dl_pango_font_description_set_weight)
#define pango_font_map_create_context (*kel__dl_pango_font_map_create_context)
#define pango_layout_get_extents (*kel__dl_pango_layout_get_extents)
#define pango_layout_get_iter (*kel__dl_pango_layout_get_iter)
#define pango_layout_get_line_count (*kel__dl_pango_layout_get_line_count)
#define pango_layout_iter_free (*kel__dl_pango_layout_iter_free)
#define pango_layout_iter_get_baseline (*kel__dl_pango_layout_iter_get_baseline)
#define pango_layout_iter_get_line_extents (*kel__dl_pango_layout_iter_get_line_extents)
#define pango_layout_iter_get_line_readonly (*kel__dl_pango_layout_iter_get_line_readonly)
#define pango_layout_iter_next_line (*kel__dl_pango_layout_iter_next_line)
#define pango_layout_new (*kel__dl_pango_layout_new)
#define pango_layout_set_ellipsize (*kel__dl_pango_layout_set_ellipsize)
#define pango_layout_set_font_description (*kel__dl_pango_layout_set_font_description)
#define pango_layout_set_indent (*kel__dl_pango_layout_set_indent)
#define pango_layout_set_spacing (*kel__dl_pango_layout_set_spacing)
#define pango_layout_set_tabs (*kel__dl_pango_layout_set_tabs)
#define pango_layout_set_text (*kel__dl_pango_layout_set_text)
#define pango_layout_set_width (*kel__dl_pango_layout_set_width)
#define pango_layout_set_wrap (*kel__dl_pango_layout_set_wrap)
#define pango_tab_array_free (*kel__dl_pango_tab_array_free)
#define pango_tab_array_new_with_positions (*kel__dl_pango_tab_array_new_with_positions)

#endif
