/*
 * Reading the terms of a request: purposes, data, actions, storage, third parties,
 * cross-border transfer, public sources, period.
 */
#include <string.h>
#include <stdio.h>

#include "request_ctx.h"
#include "text.h"
#include "xml_safe.h"
#include "error_internal.h"
#include "kelisim/kzid.h"

/* A non-empty array of distinct text values, each emitted as <item>. */
void kel__rq_read_text_list(struct rq_ctx *c, xmlNodePtr terms, json_t *root, const char *key,
	const char *list_name, const char *item_name, size_t max_items)
{
	json_t *arr = kel__rq_get_array(c, root, key, key), *v;
	xmlNodePtr list;
	size_t i;
	char p[64];

	if (arr == NULL)
		return;
	if (json_array_size(arr) == 0) {
		kel__rq_problem(c, key, "must list at least one entry");
		return;
	}
	if (json_array_size(arr) > max_items) {
		kel__rq_problem(c, key, "more than %zu entries", max_items);
		return;
	}
	list = kel__rq_add(c, terms, list_name, NULL);
	json_array_foreach(arr, i, v) {
		const char *why;
		snprintf(p, sizeof(p), "%s[%zu]", key, i);
		if (!json_is_string(v)) {
			kel__rq_problem(c, p, "must be a string, not %s", kel__rq_json_kind(v));
			continue;
		}
		if ((why = kel__text_problem(json_string_value(v), KEL_TEXT_MAX)) != NULL) {
			kel__rq_problem(c, p, "%s", why);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(v, json_array_get(arr, j)))
				kel__rq_problem(c, p, "repeats %s[%zu]", key, j);
		kel__rq_add(c, list, item_name, json_string_value(v));
	}
}

void kel__rq_read_actions(struct rq_ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const known[] = { "collect", "store", "provide", "delete" };
	json_t *arr = kel__rq_get_array(c, root, "actions", "actions"), *v;
	unsigned seen = 0;
	xmlNodePtr list;
	size_t i;
	char p[32];

	if (arr == NULL)
		return;
	if (json_array_size(arr) == 0) {
		kel__rq_problem(c, "actions", "must list at least one of collect, store, provide, delete");
		return;
	}
	json_array_foreach(arr, i, v) {
		int k;
		snprintf(p, sizeof(p), "actions[%zu]", i);
		if (!json_is_string(v)) {
			kel__rq_problem(c, p, "must be a string, not %s", kel__rq_json_kind(v));
			continue;
		}
		for (k = 0; k < 4; k++)
			if (strcmp(json_string_value(v), known[k]) == 0)
				break;
		if (k == 4)
			kel__rq_problem(c, p, "unknown action '%.40s' (expected collect, store, provide or delete)",
				json_string_value(v));
		else if (seen & (1u << k))
			kel__rq_problem(c, p, "repeats '%s'", known[k]);
		else
			seen |= 1u << k;
	}
	/* Emitted in the canonical order of DPA clause 1.2.2, whatever the request's order. */
	list = kel__rq_add(c, terms, "Actions", NULL);
	for (int k = 0; k < 4; k++)
		if (seen & (1u << k))
			kel__rq_add(c, list, "Action", known[k]);
}

void kel__rq_read_storage(struct rq_ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const keys[] = { "country", "location", NULL };
	json_t *obj = kel__rq_get_object(c, root, "storage", "storage");
	const char *country;
	xmlNodePtr n;

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, "storage", keys);
	country = kel__rq_get_text(c, obj, "storage", "country", 1, 2);
	kel__rq_check_country(c, "storage.country", country);
	n = kel__rq_add(c, terms, "Storage", NULL);
	if (country)
		xmlNewProp(n, BAD_CAST "Country", BAD_CAST country);
	kel__rq_add_text(c, n, "Location", obj, "storage", "location", 1);
}

void kel__rq_read_cross_border(struct rq_ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const keys[] = { "allowed", "recipients", NULL };
	static const char *const recipient_keys[] = { "name", "country", NULL };
	json_t *obj = kel__rq_get_object(c, root, "cross_border", "cross_border"), *arr, *v;
	const char *allowed;
	xmlNodePtr n, r;
	size_t i;
	int recipients_mistyped;
	char p[64];

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, "cross_border", keys);
	allowed = kel__rq_get_bool(c, obj, "allowed", "cross_border.allowed");
	if (json_object_get(obj, "allowed") == NULL)
		kel__rq_problem(c, "cross_border.allowed", "missing");
	n = kel__rq_add(c, terms, "CrossBorder", NULL);
	if (allowed)
		xmlNewProp(n, BAD_CAST "Allowed", BAD_CAST allowed);
	arr = kel__rq_get_array(c, obj, "recipients", "cross_border.recipients");
	if (c->type == KEL_DOC_CROSS_BORDER_CONSENT && allowed && strcmp(allowed, "true") != 0)
		kel__rq_problem(c, "cross_border.allowed", "must be true in a cross-border-consent");
	/* Recipients of the wrong JSON type were reported above; do not report them twice. */
	recipients_mistyped = json_object_get(obj, "recipients") != NULL && arr == NULL;
	if (allowed && strcmp(allowed, "true") == 0 && json_array_size(arr) == 0 &&
	    !recipients_mistyped)
		kel__rq_problem(c, "cross_border.recipients",
			"must name at least one recipient when cross-border transfer is allowed");
	if (allowed && strcmp(allowed, "false") == 0 && json_array_size(arr) > 0)
		kel__rq_problem(c, "cross_border.recipients",
			"must be empty when cross-border transfer is not allowed");
	if (json_array_size(arr) > 64)
		kel__rq_problem(c, "cross_border.recipients", "more than 64 entries");
	if (arr == NULL || json_array_size(arr) > 64)
		return;
	json_array_foreach(arr, i, v) {
		const char *name, *country;
		snprintf(p, sizeof(p), "cross_border.recipients[%zu]", i);
		if (!json_is_object(v)) {
			kel__rq_problem(c, p, "must be an object, not %s", kel__rq_json_kind(v));
			continue;
		}
		kel__rq_check_keys(c, v, p, recipient_keys);
		name = kel__rq_get_text(c, v, p, "name", 1, KEL_TEXT_MAX);
		country = kel__rq_get_text(c, v, p, "country", 1, 2);
		snprintf(p, sizeof(p), "cross_border.recipients[%zu].country", i);
		kel__rq_check_country(c, p, country);
		r = kel__rq_add(c, n, "Recipient", NULL);
		if (country)
			xmlNewProp(r, BAD_CAST "Country", BAD_CAST country);
		if (name)
			kel__rq_add(c, r, "Name", name);
	}
}

void kel__rq_read_period(struct rq_ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const keys[] = { "from", "until", "until_purpose_achieved", NULL };
	json_t *obj = kel__rq_get_object(c, root, "period", "period"), *upa;
	const char *from, *until;
	xmlNodePtr n;

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, "period", keys);
	from = kel__rq_get_text(c, obj, "period", "from", 0, 10);
	until = kel__rq_get_text(c, obj, "period", "until", 0, 10);
	upa = json_object_get(obj, "until_purpose_achieved");
	if (from && !kel__date_is_valid(from)) {
		kel__rq_problem(c, "period.from", "'%s' is not a date (YYYY-MM-DD)", from);
		from = NULL;
	}
	if (until && !kel__date_is_valid(until)) {
		kel__rq_problem(c, "period.until", "'%s' is not a date (YYYY-MM-DD)", until);
		until = NULL;
	}
	if (upa && !json_is_true(upa))
		kel__rq_problem(c, "period.until_purpose_achieved", "must be true when given");
	if (until == NULL && upa == NULL && json_object_get(obj, "until") == NULL)
		kel__rq_problem(c, "period", "must give 'until' or 'until_purpose_achieved': true");
	if (until && upa)
		kel__rq_problem(c, "period", "give either 'until' or 'until_purpose_achieved', not both");
	if (from && until && strcmp(until, from) < 0)
		kel__rq_problem(c, "period.until", "%s is before period.from %s", until, from);
	if (until && strcmp(until, c->today) < 0)
		kel__rq_problem(c, "period.until", "%s is already past", until);

	n = kel__rq_add(c, terms, "Period", NULL);
	/* A consent runs from the day it is given unless the request says otherwise. */
	kel__rq_add(c, n, "From", from ? from : c->today);
	if (until)
		kel__rq_add(c, n, "Until", until);
	else if (upa && json_is_true(upa))
		kel__rq_add(c, n, "UntilPurposeAchieved", NULL);
}
