/*
 * The fields table. Columns: consent, transfer-notice, cross-border-consent, withdrawal,
 * evidence-statement.
 *
 * Law 94-V art. 8 §4 lists what a consent states: the operator (name, BIN), the subject's
 * full name, the period, and whether third parties, cross-border transfer and public sources
 * are allowed, and the list of data. ISO/IEC TS 27560 adds purpose, storage location,
 * retention, withdrawal method, jurisdiction, notice and language. A transfer notice (DPA
 * clause 4.8) must name the processor, the data, the actions and the storage location.
 * A withdrawal names the consent it ends and carries none of the terms. An evidence statement
 * (DPA clause 4.8) is the operator's own, to the processor: it names both parties and carries
 * the statement about many subjects, but no subject, terms or capture of its own.
 */
#include <stddef.h>
#include "doc_fields.h"

#define F KEL_FORBIDDEN
#define O KEL_OPTIONAL
#define R KEL_REQUIRED

const struct kel_field kel__fields[] = {
	{ "operator", "Operator", { 0, R, R, R, R, R }, "Law 94-V art. 8 §4" },
	{ "processor", "Processor", { 0, R, R, R, O, R }, "DPA clause 2.1(2)" },
	{ "subject", "Subject", { 0, R, R, R, R, F }, "Law 94-V art. 8 §4" },
	{ "purposes", "Terms/Purposes", { 0, R, O, R, F, F }, "ISO/IEC TS 27560" },
	{ "data", "Terms/DataCategories", { 0, R, R, R, F, F }, "Law 94-V art. 8 §4" },
	{ "actions", "Terms/Actions", { 0, R, R, R, F, F }, "DPA clause 1.2.2" },
	{ "storage", "Terms/Storage", { 0, R, R, R, F, F }, "DPA clause 1.2.2" },
	{ "third_parties", "Terms/ThirdParties", { 0, R, O, R, F, F }, "Law 94-V art. 8 §4" },
	{ "cross_border", "Terms/CrossBorder", { 0, R, O, R, F, F }, "Law 94-V art. 8 §4" },
	{ "public_sources", "Terms/PublicSources", { 0, R, O, R, F, F }, "Law 94-V art. 8 §4" },
	{ "period", "Terms/Period", { 0, R, O, R, F, F }, "Law 94-V art. 8 §4" },
	{ "withdrawal_method", "Terms/WithdrawalMethod", { 0, R, O, R, F, F }, "ISO/IEC TS 27560" },
	{ "capture", "Capture", { 0, R, R, R, R, F }, "the evidence of how it was given" },
	{ "refers_to", "Header/RefersTo", { 0, F, F, F, R, F }, "the consent it withdraws" },
	{ "statement", "Statement", { 0, F, F, F, F, R }, "DPA clause 4.8" },
	{ NULL, NULL, { 0, 0, 0, 0, 0, 0 }, NULL }
};
