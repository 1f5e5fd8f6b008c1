/*
 * Reading QR codes from images (zbar), loaded on first use (dynload.h): used by qr_scan.c.
 * Include this after everything else: it turns each function name below into a call
 * through its pointer. Call kel__dynload(&kel__dl_zbar) before the first of them.
 */
#ifndef KEL_DL_ZBAR_H
#define KEL_DL_ZBAR_H

#include <zbar.h>
#include "dynload.h"

extern struct kel__dyngroup kel__dl_zbar;

#define KEL_DL_ZBAR_FUNCS(X) \
	X(zbar_image_create) X(zbar_image_destroy) X(zbar_image_first_symbol) \
	X(zbar_image_scanner_create) X(zbar_image_scanner_destroy) \
	X(zbar_image_scanner_set_config) X(zbar_image_set_data) X(zbar_image_set_format) \
	X(zbar_image_set_size) X(zbar_scan_image) X(zbar_symbol_get_data) \
	X(zbar_symbol_get_data_length) X(zbar_symbol_get_type) X(zbar_symbol_next)

KEL_DL_ZBAR_FUNCS(KEL_DL_DECLARE)

#define zbar_image_create (*kel__dl_zbar_image_create)
#define zbar_image_destroy (*kel__dl_zbar_image_destroy)
#define zbar_image_first_symbol (*kel__dl_zbar_image_first_symbol)
#define zbar_image_scanner_create (*kel__dl_zbar_image_scanner_create)
#define zbar_image_scanner_destroy (*kel__dl_zbar_image_scanner_destroy)
#define zbar_image_scanner_set_config (*kel__dl_zbar_image_scanner_set_config)
#define zbar_image_set_data (*kel__dl_zbar_image_set_data)
#define zbar_image_set_format (*kel__dl_zbar_image_set_format)
#define zbar_image_set_size (*kel__dl_zbar_image_set_size)
#define zbar_scan_image (*kel__dl_zbar_scan_image)
#define zbar_symbol_get_data (*kel__dl_zbar_symbol_get_data)
#define zbar_symbol_get_data_length (*kel__dl_zbar_symbol_get_data_length)
#define zbar_symbol_get_type (*kel__dl_zbar_symbol_get_type)
#define zbar_symbol_next (*kel__dl_zbar_symbol_next)

#endif
