/*
 * What the two halves of the evidence module share: dates in Kazakhstan, digests, and the
 * names of the container's entries (docs/evidence.md).
 */
#ifndef KEL_EVIDENCE_INTERNAL_H
#define KEL_EVIDENCE_INTERNAL_H

#include <stddef.h>
#include <time.h>

#define KEL_ASICE_MIMETYPE "application/vnd.etsi.asic-e+zip"
#define KEL_EV_MANIFEST "META-INF/kelisim-manifest.txt"
#define KEL_EV_ODF_MANIFEST "META-INF/manifest.xml"
#define KEL_EV_HEAD "proofs/tree-head.txt"
#define KEL_EV_HEAD_SIG "proofs/tree-head.sig"
#define KEL_EV_HEAD_CERTS "proofs/tree-head-certs.der"
/* Subjects per statement part. */
#define KEL_EV_PART_SIZE 500

/* The day in Kazakhstan (UTC+5) of a YYYY-MM-DDThh:mm:ssZ instant; -1 when not one. */
int kel__ev_kz_day(const char *utc, char out[11]);
/* Whole days from a to b (YYYY-MM-DD); 0 when either is not a date. */
long kel__ev_days_between(const char *a, const char *b);
void kel__ev_sha256_hex(char out[65], const void *data, size_t len);

#endif
