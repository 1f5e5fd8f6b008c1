/*
 * kelisim store: the evidence store and its Merkle log. The verbs (add, get, list, status,
 * erase, expire, head, prove, consistency, entry, check) are a small table of their own;
 * they share one option parser, and each verb says which options it takes.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store_add.h"

#define CMD "store"

static const char usage[] =
	"usage: kelisim store VERB [OPTIONS] [ARGS]\n"
	"\n"
	"The evidence store: signed documents kept with their exact bytes, an index for\n"
	"queries, consent status after W3C DPV, and an append-only Merkle log (RFC 9162\n"
	"hashing) of every event, with signed tree heads and proofs.\n"
	"\n"
	"Verbs:\n"
	"  add DOC.xml... [--jobs N]\n"
	"                        verify each document (as 'kelisim verify' does) and store it;\n"
	"                        a document already stored with the same bytes is not stored\n"
	"                        twice; one not TOTAL-PASSED is refused with the reason. N\n"
	"                        threads verify ahead (default: one per processor; 1: none);\n"
	"                        documents are stored and reported in the order given\n"
	"  get ID [-o FILE]      the exact bytes stored under ID\n"
	"  list [--subject IIN] [--operator BIN] [--type T] [--status S] [--since D]\n"
	"       [--until D] [--erased] [--json]\n"
	"                        the stored documents that match, in log order\n"
	"  status IIN [--json]   the consents of a subject: ConsentGiven, ConsentWithdrawn or\n"
	"                        ConsentExpired, since when, and whether the transfer notice\n"
	"                        was acknowledged (DPA clause 4.8)\n"
	"  erase ID --reason TEXT\n"
	"                        remove the document's personal data (its bytes and the\n"
	"                        subject's IIN); its digest and log position stay, and the\n"
	"                        erasure is logged with the reason (which must hold no\n"
	"                        personal data: the log keeps it for good)\n"
	"  expire                log an 'expired' event for each consent past its period\n"
	"  head [--sign KEY OPTIONS] [--json]\n"
	"                        print the current tree head; with --sign, sign it with the\n"
	"                        operator's ECDSA key and record it in the store\n"
	"  heads [--json]        the signed heads recorded, oldest first\n"
	"  prove ID [--size N] [--json]\n"
	"                        an inclusion proof of the document's 'stored' event in the\n"
	"                        tree of N leaves (default: the current tree)\n"
	"  consistency OLD_SIZE [NEW_SIZE] [--json]\n"
	"                        a consistency proof that the tree of NEW_SIZE leaves (default:\n"
	"                        the current tree) extends the tree of OLD_SIZE leaves\n"
	"  entry N               the canonical entry of log position N (its leaf hash is\n"
	"                        SHA-256(0x00 || entry))\n"
	"  config [--trust CA.pem] [--trust-dir DIR] [--clear]\n"
	"                        show the store's configuration; with --trust/--trust-dir,\n"
	"                        record the trust anchors used on entry when a command gives\n"
	"                        none (--clear forgets them)\n"
	"  check [--json]        recompute the whole log, compare it with every signed head\n"
	"                        and re-hash every stored document; names the first place\n"
	"                        that differs\n"
	"\n"
	"Options:\n"
	"  --store URI           sqlite:PATH (default sqlite:./kelisim.db) or\n"
	"                        postgresql://...; default: $KELISIM_STORE\n"
	"  --trust CA.pem        trust anchors for verification on entry (and for the\n"
	"                        certificates of signed heads in 'check'); default: those\n"
	"                        recorded with 'store config'\n"
	"  --trust-dir DIR       trust anchors in OpenSSL's hashed layout\n"
	"  --allow-weak          accept SHA-1 and RSA keys under 2048 bits on entry\n"
	"  --json                print JSON instead of text\n"
	"  -o, --output FILE     get: write to FILE (atomically) instead of standard output\n"
	"  --subject IIN, --operator BIN, --type TYPE\n"
	"                        list: filters (TYPE: consent, transfer-notice,\n"
	"                        cross-border-consent, withdrawal)\n"
	"  --status S            list: ConsentGiven, ConsentWithdrawn, ConsentExpired, Erased\n"
	"  --since D, --until D  list: issued on or after / on or before D (YYYY-MM-DD, a day\n"
	"                        in Kazakhstan, UTC+5; or YYYY-MM-DDThh:mm:ssZ)\n"
	"  --erased              list: include erased documents\n"
	"  --reason TEXT         erase: why (one line, up to 512 characters)\n"
	"  --size N              prove: the tree size to prove against\n"
	"  --sign                head: sign the head and record it; the key as for\n"
	"                        'kelisim sign': --key KEY.pem --cert CERT.pem [--chain\n"
	"                        CHAIN.pem] or --p12 FILE.p12, with --pass-file FILE or\n"
	"                        --pass-env VAR (else a prompt when the key is encrypted)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit codes: 0 done; 2 a document refused (add: the others are still added), or the\n"
	"store does not check out (check); 1 error (unreadable file, database unreachable, not\n"
	"found; it wins over 2 when add meets both); 64 bad command line.\n";

enum {
	O_STORE = 256, O_TRUST, O_TRUST_DIR, O_WEAK, O_JSON, O_SUBJECT, O_OPERATOR, O_TYPE,
	O_STATUS, O_SINCE, O_UNTIL, O_ERASED, O_REASON, O_SIZE, O_SIGN, O_KEY, O_CERT, O_CHAIN,
	O_P12, O_PASS_FILE, O_PASS_ENV, O_CLEAR, O_JOBS, O_OUTPUT
};

/* Which options a verb takes (bits of 1 << (O_x - O_STORE)). */
#define B(o) (1u << ((o) - O_STORE))
#define COMMON (B(O_STORE) | B(O_TRUST) | B(O_TRUST_DIR) | B(O_WEAK))

struct args {
	const char *store, *trust, *trust_dir, *subject, *operator_bin, *type, *status, *since;
	const char *until, *reason, *size;
	struct cli_key_args keyopt;  /* head --sign */
	const char *output;
	int weak, json, erased, sign, clear;
	int jobs;                /* add: verifying threads, 0 for one per processor */
	int nargs;
	char **args;
};

struct verb {
	const char *name;
	int (*run)(kel_store *s, struct args *a);
	unsigned int options;
	int min_args, max_args;   /* max -1: any number */
	const char *synopsis;
};

/* ---- JSON output ---- */

static int parse_u64(const char *what, const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || !*s || *s == '-' || *s == '+')
		return cli_usage_error(CMD, "%s: '%s' is not a number", what, s ? s : "");
	v = strtoull(s, &end, 10);
	if (*end)
		return cli_usage_error(CMD, "%s: '%s' is not a number", what, s);
	*out = v;
	return EXIT_OK;
}

/* ---- add ------------------------------------------------------------------------------ */

static int do_add(kel_store *s, struct args *a)
{
	return cli_store_add_files(s, a->args, a->nargs, a->json, a->jobs);
}

/* ---- get ------------------------------------------------------------------------------ */

static int do_get(kel_store *s, struct args *a)
{
	kel_buf out = KEL_BUF_INIT;
	int rc = kel_store_get(s, a->args[0], &out);
	if (rc < 0)
		return cli_report(CMD, rc) == EXIT_INVALID ? EXIT_INVALID : EXIT_ERROR;
	rc = cli_write_output(CMD, a->output, out.ptr, out.size);
	kel_buf_dispose(&out);
	return rc;
}

/* ---- list and status --------------------------------------------------------------- */

struct print_ctx {
	int json;
	int first;
	int status_view;
	uint64_t count;
};

static void print_entry_json(const kel_store_entry *e)
{
	int first = 1;
	fputc('{', stdout);
	cli_json_field(stdout, "id", e->id, &first);
	cli_json_field(stdout, "type", e->type, &first);
	cli_json_field(stdout, "issued_at", e->issued_at, &first);
	cli_json_field(stdout, "subject_iin", e->subject_iin, &first);
	cli_json_field(stdout, "operator_bin", e->operator_bin, &first);
	cli_json_field(stdout, "processor_bin", e->processor_bin, &first);
	if (e->refers_to)
		cli_json_field(stdout, "refers_to", e->refers_to, &first);
	cli_json_field(stdout, "status", kel_store_status_name(e->status), &first);
	if (e->period_from || e->period_until || e->status != KEL_STATUS_NONE) {
		cli_json_field(stdout, "period_from", e->period_from, &first);
		cli_json_field(stdout, "period_until", e->period_until, &first);
		cli_json_field(stdout, "withdrawn_by", e->withdrawn_by, &first);
		cli_json_field(stdout, "withdrawn_at", e->withdrawn_at, &first);
		cli_json_field(stdout, "transfer_notice", e->notice_id, &first);
		cli_json_field(stdout, "transfer_notice_at", e->notice_at, &first);
	}
	cli_json_field(stdout, "sha256", e->sha256, &first);
	cli_json_u64(stdout, "size", e->size, &first);
	cli_json_u64(stdout, "leaf", e->leaf, &first);
	cli_json_field(stdout, "stored_at", e->stored_at, &first);
	if (e->erased_at) {
		cli_json_field(stdout, "erased_at", e->erased_at, &first);
		cli_json_field(stdout, "erase_reason", e->erase_reason, &first);
	}
	fputc('}', stdout);
}

static int print_entry(void *ctx, const kel_store_entry *e)
{
	struct print_ctx *p = ctx;
	const char *st = kel_store_status_name(e->status);

	p->count++;
	if (p->json) {
		fputs(p->first ? "[\n  " : ",\n  ", stdout);
		p->first = 0;
		print_entry_json(e);
		return 0;
	}
	if (!p->status_view) {
		printf("%s\t%s\t%s\t%s\t%s\n", e->id, e->type, e->issued_at,
			e->subject_iin ? e->subject_iin : "-", st ? st : "-");
		return 0;
	}
	printf("%s %s: %s", e->type, e->id, st);
	if (e->status == KEL_STATUS_WITHDRAWN)
		printf(" by %s issued %s", e->withdrawn_by, e->withdrawn_at);
	else
		printf(" since %s", e->period_from ? e->period_from : e->issued_at);
	printf(", until %s\n", e->period_until ? e->period_until : "the purpose is achieved");
	printf("  operator %s, processor %s, issued %s\n", e->operator_bin,
		e->processor_bin ? e->processor_bin : "-", e->issued_at);
	if (e->notice_id)
		printf("  transfer notice acknowledged: %s issued %s\n", e->notice_id, e->notice_at);
	else
		printf("  transfer notice acknowledged: no\n");
	return 0;
}

static int end_print(struct print_ctx *p)
{
	if (p->json)
		fputs(p->first ? "[]\n" : "\n]\n", stdout);
	return EXIT_OK;
}

static int do_list(kel_store *s, struct args *a)
{
	kel_store_filter f = KEL_STORE_FILTER_INIT;
	struct print_ctx p = { a->json, 1, 0, 0 };
	int rc;

	f.subject_iin = a->subject;
	f.operator_bin = a->operator_bin;
	f.type = a->type;
	f.since = a->since;
	f.until = a->until;
	f.include_erased = a->erased;
	if (a->type && kel_doc_type_from_name(a->type) == 0)
		return cli_usage_error(CMD, "--type: unknown document type '%s'", a->type);
	if (a->status && (f.status = kel_store_status_from_name(a->status)) == KEL_STATUS_NONE)
		return cli_usage_error(CMD, "--status: unknown status '%s' (ConsentGiven, "
			"ConsentWithdrawn, ConsentExpired, Erased)", a->status);
	if ((rc = kel_store_list(s, &f, print_entry, &p)) < 0) {
		if (rc == KEL_EINVAL)
			return cli_report(CMD, rc), EXIT_USAGE;
		return cli_report(CMD, rc);
	}
	return end_print(&p);
}

static int do_status(kel_store *s, struct args *a)
{
	struct print_ctx p = { a->json, 1, 1, 0 };
	int rc = kel_store_subject_status(s, a->args[0], print_entry, &p);
	if (rc < 0)
		return cli_report(CMD, rc);
	if (!a->json && p.count == 0)
		printf("no consent stored for subject %s\n", a->args[0]);
	return end_print(&p);
}

/* ---- erase, expire ---------------------------------------------------------------------- */

static int do_erase(kel_store *s, struct args *a)
{
	int rc;
	if (!a->reason)
		return cli_usage_error(CMD, "erase: give --reason");
	if ((rc = kel_store_erase(s, a->args[0], a->reason)) < 0)
		return cli_report(CMD, rc);
	printf("erased %s\n", a->args[0]);
	return EXIT_OK;
}

static int do_expire(kel_store *s, struct args *a)
{
	uint64_t n = 0;
	int rc;
	(void)a;
	if ((rc = kel_store_log_expiries(s, &n)) < 0)
		return cli_report(CMD, rc);
	printf("%" PRIu64 " expired consent%s logged\n", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

/* ---- head --------------------------------------------------------------------------- */

static int load_key(const struct args *a, kel_key **key)
{
	if (!a->keyopt.p12 && !(a->keyopt.key && a->keyopt.cert))
		return cli_usage_error(CMD, "head --sign: give --key and --cert, or --p12");
	return cli_load_key(CMD, &a->keyopt, key);
}

static void hex(char *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int print_head(const kel_merkle_head *h, const unsigned char *sig, size_t siglen,
	int json, uint64_t number)
{
	kel_buf text = KEL_BUF_INIT;
	int rc = kel_merkle_head_serialize(&text, h);
	char *sighex = NULL;

	if (rc < 0)
		return cli_report(CMD, rc);
	if (sig && !(sighex = malloc(2 * siglen + 1))) {
		kel_buf_dispose(&text);
		fprintf(stderr, "kelisim store: out of memory\n");
		return EXIT_ERROR;
	}
	if (sig)
		hex(sighex, sig, siglen);
	if (json) {
		char root[2 * KEL_MERKLE_HASH_SIZE + 1];
		int first = 1;
		kel_merkle_hash_to_hex(root, h->root);
		fputc('{', stdout);
		if (number)
			cli_json_u64(stdout, "number", number, &first);
		cli_json_field(stdout, "log", h->log_id, &first);
		cli_json_u64(stdout, "size", h->size, &first);
		cli_json_field(stdout, "root", root, &first);
		/* the time as the text form writes it: line 5 of the head */
		{
			const char *t = strstr(text.ptr, "\ntime ");
			char tbuf[32] = "";
			if (t)
				snprintf(tbuf, sizeof tbuf, "%.20s", t + 6);
			cli_json_field(stdout, "time", tbuf, &first);
		}
		cli_json_field(stdout, "text", text.ptr, &first);
		if (sighex)
			cli_json_field(stdout, "signature", sighex, &first);
		fputs("}\n", stdout);
	} else {
		fputs(text.ptr, stdout);
		if (sighex)
			printf("signature %s\n", sighex);
	}
	free(sighex);
	kel_buf_dispose(&text);
	return EXIT_OK;
}

static int do_head(kel_store *s, struct args *a)
{
	kel_merkle_head h;
	kel_buf sig = KEL_BUF_INIT;
	kel_key *key = NULL;
	int rc;

	if (!a->sign) {
		if (cli_key_any(&a->keyopt))
			return cli_usage_error(CMD, "head: key options need --sign");
		if ((rc = kel_store_head(s, &h)) < 0)
			return cli_report(CMD, rc);
		return print_head(&h, NULL, 0, a->json, 0);
	}
	if ((rc = load_key(a, &key)) != EXIT_OK)
		return rc;
	rc = kel_store_head_sign(s, key, &h, &sig);
	kel_key_free(key);
	if (rc < 0) {
		kel_buf_dispose(&sig);
		return cli_report(CMD, rc);
	}
	rc = print_head(&h, (const unsigned char *)sig.ptr, sig.size, a->json, 0);
	kel_buf_dispose(&sig);
	return rc;
}

struct heads_ctx {
	int json, first;
};

static int print_signed_head(void *ctx, const kel_store_signed_head *h)
{
	struct heads_ctx *c = ctx;
	if (c->json)
		fputs(c->first ? "[\n  " : ",\n  ", stdout);
	else if (!c->first)
		fputc('\n', stdout);
	c->first = 0;
	if (!c->json)
		printf("signed head %" PRIu64 "\n", h->number);
	print_head(&h->head, h->signature, h->signature_len, c->json, h->number);
	return 0;
}

static int do_heads(kel_store *s, struct args *a)
{
	struct heads_ctx c = { a->json, 1 };
	int rc = kel_store_heads(s, print_signed_head, &c);
	if (rc < 0)
		return cli_report(CMD, rc);
	if (a->json)
		fputs(c.first ? "[]\n" : "]\n", stdout);
	return EXIT_OK;
}

/* ---- proofs --------------------------------------------------------------------------- */

static int print_proof_hashes(const kel_merkle_proof *proof, int json)
{
	char h[2 * KEL_MERKLE_HASH_SIZE + 1];
	if (json) {
		fputs("\"proof\": [", stdout);
		for (size_t i = 0; i < proof->count; i++) {
			kel_merkle_hash_to_hex(h, proof->hash[i]);
			printf("%s\"%s\"", i ? ", " : "", h);
		}
		fputs("]", stdout);
		return 0;
	}
	for (size_t i = 0; i < proof->count; i++) {
		kel_merkle_hash_to_hex(h, proof->hash[i]);
		printf("proof %s\n", h);
	}
	return 0;
}

static int do_prove(kel_store *s, struct args *a)
{
	kel_store_inclusion inc;
	uint64_t size = 0;
	char leaf[2 * KEL_MERKLE_HASH_SIZE + 1], root[2 * KEL_MERKLE_HASH_SIZE + 1];
	int rc;

	if (a->size && (rc = parse_u64("--size", a->size, &size)) != EXIT_OK)
		return rc;
	if ((rc = kel_store_prove(s, a->args[0], size, &inc)) < 0)
		return cli_report(CMD, rc);
	kel_merkle_hash_to_hex(leaf, inc.leaf_hash);
	kel_merkle_hash_to_hex(root, inc.head.root);
	if (a->json) {
		int first = 1;
		fputc('{', stdout);
		cli_json_field(stdout, "id", a->args[0], &first);
		cli_json_field(stdout, "log", inc.head.log_id, &first);
		cli_json_u64(stdout, "leaf_index", inc.leaf, &first);
		cli_json_field(stdout, "leaf_hash", leaf, &first);
		cli_json_u64(stdout, "tree_size", inc.head.size, &first);
		cli_json_field(stdout, "root", root, &first);
		fputs(", ", stdout);
		print_proof_hashes(inc.proof, 1);
		fputs("}\n", stdout);
	} else {
		printf("document %s\nlog %s\nleaf-index %" PRIu64 "\nleaf-hash %s\ntree-size %" PRIu64
			"\nroot %s\n", a->args[0], inc.head.log_id, inc.leaf, leaf, inc.head.size, root);
		print_proof_hashes(inc.proof, 0);
	}
	kel_store_inclusion_dispose(&inc);
	return EXIT_OK;
}

static int do_consistency(kel_store *s, struct args *a)
{
	unsigned char r1[KEL_MERKLE_HASH_SIZE], r2[KEL_MERKLE_HASH_SIZE];
	char h1[2 * KEL_MERKLE_HASH_SIZE + 1], h2[2 * KEL_MERKLE_HASH_SIZE + 1];
	kel_merkle_proof *proof = NULL;
	uint64_t m, n = 0, n_out = 0;
	int rc;

	if ((rc = parse_u64("OLD_SIZE", a->args[0], &m)) != EXIT_OK)
		return rc;
	if (a->nargs > 1 && (rc = parse_u64("NEW_SIZE", a->args[1], &n)) != EXIT_OK)
		return rc;
	if (m == 0)
		return cli_usage_error(CMD, "OLD_SIZE must be at least 1");
	if ((rc = kel_store_consistency(s, m, n, r1, r2, &n_out, &proof)) < 0)
		return cli_report(CMD, rc);
	kel_merkle_hash_to_hex(h1, r1);
	kel_merkle_hash_to_hex(h2, r2);
	if (a->json) {
		int first = 1;
		fputc('{', stdout);
		cli_json_field(stdout, "log", kel_store_log_id(s), &first);
		cli_json_u64(stdout, "old_size", m, &first);
		cli_json_field(stdout, "old_root", h1, &first);
		cli_json_u64(stdout, "new_size", n_out, &first);
		cli_json_field(stdout, "new_root", h2, &first);
		fputs(", ", stdout);
		print_proof_hashes(proof, 1);
		fputs("}\n", stdout);
	} else {
		printf("log %s\nold-size %" PRIu64 "\nold-root %s\nnew-size %" PRIu64 "\nnew-root %s\n",
			kel_store_log_id(s), m, h1, n_out, h2);
		print_proof_hashes(proof, 0);
	}
	kel_merkle_proof_free(proof);
	return EXIT_OK;
}

static int do_entry(kel_store *s, struct args *a)
{
	kel_buf e = KEL_BUF_INIT;
	uint64_t n;
	int rc;
	if ((rc = parse_u64("N", a->args[0], &n)) != EXIT_OK)
		return rc;
	if ((rc = kel_store_log_entry(s, n, &e)) < 0)
		return cli_report(CMD, rc);
	fwrite(e.ptr, 1, e.size, stdout);
	kel_buf_dispose(&e);
	return EXIT_OK;
}

/* ---- config ------------------------------------------------------------------------- */

static int do_config(kel_store *s, struct args *a)
{
	char *f = NULL, *d = NULL;
	int rc = EXIT_OK;

	if (a->trust || a->trust_dir || a->clear) {
		if (a->trust && !(f = realpath(a->trust, NULL))) {
			fprintf(stderr, "kelisim store: '%s': no such file\n", a->trust);
			return EXIT_ERROR;
		}
		if (a->trust_dir && !(d = realpath(a->trust_dir, NULL))) {
			free(f);
			fprintf(stderr, "kelisim store: '%s': no such directory\n", a->trust_dir);
			return EXIT_ERROR;
		}
		if (kel_store_set_trust(s, f, d) < 0)
			rc = cli_report(CMD, KEL_ERROR);
		free(f);
		free(d);
		if (rc != EXIT_OK)
			return rc;
	}
	printf("log %s\nbackend %s\ntrust-file %s\ntrust-dir %s\n", kel_store_log_id(s),
		kel_store_backend(s), kel_store_trust_file(s) ? kel_store_trust_file(s) : "-",
		kel_store_trust_dir(s) ? kel_store_trust_dir(s) : "-");
	return EXIT_OK;
}

/* ---- check -------------------------------------------------------------------------- */

static int do_check(kel_store *s, struct args *a)
{
	kel_store_check_result r;
	int rc = kel_store_check(s, a->trust, a->trust_dir, &r);
	if (rc < 0)
		return cli_report(CMD, rc);
	if (a->json) {
		int first = 1;
		fputc('{', stdout);
		cli_json_field(stdout, "result", r.ok ? "ok" : "differs", &first);
		cli_json_u64(stdout, "leaves", r.leaves, &first);
		cli_json_u64(stdout, "signed_heads", r.heads, &first);
		cli_json_u64(stdout, "documents", r.documents, &first);
		if (!r.ok) {
			cli_json_field(stdout, "problem", r.problem, &first);
			if (r.position != UINT64_MAX)
				cli_json_u64(stdout, "position", r.position, &first);
		}
		fputs("}\n", stdout);
	} else if (r.ok) {
		printf("ok: %" PRIu64 " log entries recomputed, %" PRIu64 " signed heads match, %"
			PRIu64 " documents re-hashed\n", r.leaves, r.heads, r.documents);
	} else {
		printf("FAILED: %s\n", r.problem);
	}
	return r.ok ? EXIT_OK : EXIT_INVALID;
}

/* ---- dispatch --------------------------------------------------------------------------- */

static const struct verb verbs[] = {
	{ "add", do_add, COMMON | B(O_JSON) | B(O_JOBS), 1, -1, "add DOC.xml... [--jobs N]" },
	{ "get", do_get, B(O_STORE) | B(O_OUTPUT), 1, 1, "get ID [-o FILE]" },
	{ "list", do_list, B(O_STORE) | B(O_JSON) | B(O_SUBJECT) | B(O_OPERATOR) | B(O_TYPE) |
		B(O_STATUS) | B(O_SINCE) | B(O_UNTIL) | B(O_ERASED), 0, 0, "list [FILTERS]" },
	{ "status", do_status, B(O_STORE) | B(O_JSON), 1, 1, "status IIN" },
	{ "erase", do_erase, B(O_STORE) | B(O_REASON), 1, 1, "erase ID --reason TEXT" },
	{ "expire", do_expire, B(O_STORE), 0, 0, "expire" },
	{ "head", do_head, B(O_STORE) | B(O_JSON) | B(O_SIGN) | B(O_KEY) | B(O_CERT) |
		B(O_CHAIN) | B(O_P12) | B(O_PASS_FILE) | B(O_PASS_ENV), 0, 0, "head [--sign ...]" },
	{ "heads", do_heads, B(O_STORE) | B(O_JSON), 0, 0, "heads" },
	{ "prove", do_prove, B(O_STORE) | B(O_JSON) | B(O_SIZE), 1, 1, "prove ID [--size N]" },
	{ "consistency", do_consistency, B(O_STORE) | B(O_JSON), 1, 2,
		"consistency OLD_SIZE [NEW_SIZE]" },
	{ "entry", do_entry, B(O_STORE), 1, 1, "entry N" },
	{ "check", do_check, COMMON | B(O_JSON), 0, 0, "check" },
	{ "config", do_config, B(O_STORE) | B(O_TRUST) | B(O_TRUST_DIR) | B(O_CLEAR), 0, 0,
		"config [--trust CA.pem] [--trust-dir DIR] [--clear]" },
	{ NULL, NULL, 0, 0, 0, NULL }
};

static const struct option options[] = {
	{ "store", required_argument, NULL, O_STORE },
	{ "trust", required_argument, NULL, O_TRUST },
	{ "trust-dir", required_argument, NULL, O_TRUST_DIR },
	{ "allow-weak", no_argument, NULL, O_WEAK },
	{ "json", no_argument, NULL, O_JSON },
	{ "subject", required_argument, NULL, O_SUBJECT },
	{ "operator", required_argument, NULL, O_OPERATOR },
	{ "type", required_argument, NULL, O_TYPE },
	{ "status", required_argument, NULL, O_STATUS },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "erased", no_argument, NULL, O_ERASED },
	{ "reason", required_argument, NULL, O_REASON },
	{ "size", required_argument, NULL, O_SIZE },
	{ "sign", no_argument, NULL, O_SIGN },
	CLI_KEY_LONG_OPTIONS(O_KEY),
	{ "clear", no_argument, NULL, O_CLEAR },
	{ "jobs", required_argument, NULL, O_JOBS },
	{ "output", required_argument, NULL, O_OUTPUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int cmd_store(int argc, char **argv)
{
	kel_store_options so = KEL_STORE_OPTIONS_INIT;
	const struct verb *v;
	kel_store *s = NULL;
	struct args a;
	int c, rc;

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	for (v = verbs; v->name; v++)
		if (strcmp(v->name, argv[1]) == 0)
			break;
	if (!v->name)
		return cli_usage_error(CMD, "'%s' is not a store verb", argv[1]);

	memset(&a, 0, sizeof a);
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		int o = c == 'o' ? O_OUTPUT : c;
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (o < O_STORE || o > O_OUTPUT)
			return cli_usage_error(CMD, "bad option");
		if (!(v->options & B(o)))
			return cli_usage_error(CMD, "%s: option '%s' does not apply",
				v->name, argv[optind - 1]);
		switch (o) {
		case O_STORE: a.store = optarg; break;
		case O_TRUST: a.trust = optarg; break;
		case O_TRUST_DIR: a.trust_dir = optarg; break;
		case O_WEAK: a.weak = 1; break;
		case O_JSON: a.json = 1; break;
		case O_SUBJECT: a.subject = optarg; break;
		case O_OPERATOR: a.operator_bin = optarg; break;
		case O_TYPE: a.type = optarg; break;
		case O_STATUS: a.status = optarg; break;
		case O_SINCE: a.since = optarg; break;
		case O_UNTIL: a.until = optarg; break;
		case O_ERASED: a.erased = 1; break;
		case O_REASON: a.reason = optarg; break;
		case O_SIZE: a.size = optarg; break;
		case O_SIGN: a.sign = 1; break;
		case O_KEY: case O_CERT: case O_CHAIN: case O_P12: case O_PASS_FILE:
		case O_PASS_ENV: cli_key_option(&a.keyopt, o, O_KEY, optarg); break;
		case O_CLEAR: a.clear = 1; break;
		case O_JOBS: {
			uint64_t jobs;
			if ((rc = parse_u64("--jobs", optarg, &jobs)) != EXIT_OK)
				return rc;
			if (jobs < 1 || jobs > 64)
				return cli_usage_error(CMD, "--jobs: %s is not between 1 and 64", optarg);
			a.jobs = (int)jobs;
			break;
		}
		case O_OUTPUT: a.output = optarg; break;
		}
	}
	a.args = argv + optind;
	a.nargs = argc - optind;
	if (a.nargs < v->min_args)
		return cli_usage_error(CMD, "usage: kelisim store %s", v->synopsis);
	if (v->max_args >= 0 && a.nargs > v->max_args)
		return cli_usage_error(CMD, "%s: '%s' is extra (usage: kelisim store %s)", v->name,
			a.args[v->max_args], v->synopsis);
	if (a.keyopt.pass_file && a.keyopt.pass_env)
		return cli_usage_error(CMD, "give --pass-file or --pass-env, not both");

	if (!a.store)
		a.store = getenv("KELISIM_STORE");
	/* config shows and records the store's own trust anchors, not the command line's. */
	so.trust_file = v->run == do_config ? NULL : a.trust;
	so.trust_dir = v->run == do_config ? NULL : a.trust_dir;
	so.allow_weak = a.weak;
	/* Only add and head --sign may create a store; the others read an existing one. */
	so.must_exist = !(v->run == do_add || v->run == do_head || v->run == do_config);
	if ((rc = kel_store_open(&s, a.store, &so)) < 0) {
		cli_report(CMD, rc);
		return rc == KEL_EINVAL ? EXIT_USAGE : EXIT_ERROR;
	}
	rc = v->run(s, &a);
	kel_store_free(s);
	return rc;
}
