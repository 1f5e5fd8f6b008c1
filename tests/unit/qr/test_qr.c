/*
 * QR verification codes: the payload (format, strict reading, seal), the images (PNG and SVG
 * out, PNG scans in) and the document's Verification element. One suite, a case per file.
 */
#include "helpers.h"
#include "qr_test.h"

int main(void)
{
	Suite *s = suite_create("qr");
	TCase *cases[] = { tq_payload_tcase(), tq_seal_tcase(), tq_image_tcase(), tq_doc_tcase(),
		tq_mask_tcase() };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tcase_add_checked_fixture(cases[i], th_setup, th_teardown);
		suite_add_tcase(s, cases[i]);
	}
	return th_run_suite(s);
}
