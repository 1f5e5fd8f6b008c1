/*
 * kelisim evidence: clause 4.8 of the processing agreement. The processor's requests with
 * their 5-day deadline (request add, list, close), the evidence bundle (export) and its
 * offline check (verify). The verbs share one option parser, as in cmd_store.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CMD "evidence"

/* export: the bundle was written but the statement declares gaps. */
#define EXIT_INCOMPLETE 3

static const char usage[] =
	"usage: kelisim evidence VERB [OPTIONS] [ARGS]\n"
	"\n"
	"Clause 4.8 of the processing agreement: within 5 calendar days of the processor's\n"
	"request, the operator confirms that it has a lawful basis for the processing and that\n"
	"the data subjects were notified of the transfer. kelisim records the requests with\n"
	"their due dates and answers with an evidence bundle that anyone can check offline.\n"
	"\n"
	"Verbs:\n"
	"  request add --received DATE --ref TEXT [--subject IIN...|--all] [--note TEXT]\n"
	"                        record a processor's request received on DATE (YYYY-MM-DD,\n"
	"                        Kazakhstan); due DATE + 5 calendar days. Kept in the store and\n"
	"                        logged in its Merkle log (a digest only: no IIN in the log).\n"
	"                        --subject may repeat, and further IINs may follow it; without\n"
	"                        --subject the request is about all subjects (--all)\n"
	"  request list [--closed] [--json]\n"
	"                        open requests (with --closed all), overdue ones first and\n"
	"                        marked OVERDUE, with the due date and the days left (Kazakhstan\n"
	"                        date, UTC+5)\n"
	"  request close ID [--answer FILE]\n"
	"                        record that the request was answered, with the SHA-256 of the\n"
	"                        answer sent (e.g. the bundle)\n"
	"  export (--request ID | --subject IIN... | --all [--since D] [--until D]) -o OUT.asice\n"
	"         KEY OPTIONS [--lang 'kk ru'] [--trust CA.pem | --trust-dir DIR]\n"
	"                        write the evidence bundle, an ASiC-E container (ETSI EN 319\n"
	"                        162-1): the subjects' signed documents, their verification\n"
	"                        reports, inclusion proofs against one newly signed tree head,\n"
	"                        that head and its certificates, META-INF/manifest.xml, a\n"
	"                        SHA-256 manifest, and the operator's signed cover statement\n"
	"                        (an evidence-statement, 500 subjects per part) listing each\n"
	"                        subject's lawful basis, transfer notice, status and gaps\n"
	"  verify BUNDLE.asice (--trust CA.pem | --trust-dir DIR) [--json]\n"
	"                        check a bundle offline: container structure, manifests and\n"
	"                        digests, every signature, every inclusion proof against the\n"
	"                        signed head, the statement's signature and that its claims\n"
	"                        match the documents; prints a per-subject table and a verdict,\n"
	"                        and names the offending file of each problem\n"
	"\n"
	"Options:\n"
	"  --store URI           sqlite:PATH (default sqlite:./kelisim.db) or postgresql://...;\n"
	"                        default: $KELISIM_STORE\n"
	"  --received DATE       request add: the day the request came (YYYY-MM-DD)\n"
	"  --ref TEXT            request add: the processor's reference (one line, <= 512)\n"
	"  --note TEXT           request add: a note of the operator's (one line, <= 512)\n"
	"  --subject IIN         request add, export: a subject (repeat, or list after it)\n"
	"  --all                 request add: about all subjects; export: every subject with a\n"
	"                        document in the store (in --since/--until when given)\n"
	"  --since D, --until D  export --all: subjects with a document issued in [D, D]\n"
	"                        (YYYY-MM-DD in Kazakhstan, or YYYY-MM-DDThh:mm:ssZ)\n"
	"  --request ID          export: answer the recorded request ID (its subjects)\n"
	"  -o, --output FILE     export: the bundle to write (replaced whole or not at all)\n"
	"  --lang 'kk ru'        export: languages of the statement (default kk and ru)\n"
	"  --answer FILE         request close: the answer sent (its SHA-256 is recorded)\n"
	"  --closed              request list: closed requests too\n"
	"  --trust CA.pem        verify: trust anchors (PEM); export: for the documents'\n"
	"                        reports (default: those recorded with 'store config')\n"
	"  --trust-dir DIR       the same, in OpenSSL's hashed layout\n"
	"  --json                print JSON instead of text\n"
	"  KEY OPTIONS           export: the operator's key as for 'kelisim sign' (an ECDSA\n"
	"                        key: it also signs the tree head): --key KEY.pem --cert CERT.pem\n"
	"                        [--chain CHAIN.pem] or --p12 FILE.p12, with --pass-file FILE or\n"
	"                        --pass-env VAR (else a prompt when the key is encrypted)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit codes: 0 done (export: the bundle is complete; verify: everything checks);\n"
	"3 export: the bundle was written but some subject has no consent in force or no\n"
	"transfer notice (listed as gaps in the statement); 2 verify: a check failed (each\n"
	"problem names its file), request close: already closed; 1 error (unreadable file,\n"
	"database unreachable, unknown request); 64 bad command line.\n";

enum {
	O_STORE = 256, O_RECEIVED, O_REF, O_NOTE, O_SUBJECT, O_ALL, O_SINCE, O_UNTIL, O_REQUEST,
	O_OUTPUT, O_LANG, O_ANSWER, O_CLOSED, O_TRUST, O_TRUST_DIR, O_JSON, O_KEY, O_CERT,
	O_CHAIN, O_P12, O_PASS_FILE, O_PASS_ENV
};

#define B(o) (1u << ((o) - O_STORE))
#define KEYOPTS (B(O_KEY) | B(O_CERT) | B(O_CHAIN) | B(O_P12) | B(O_PASS_FILE) | B(O_PASS_ENV))

struct args {
	const char *store, *received, *ref, *note, *since, *until, *request, *output, *lang;
	const char *answer, *trust, *trust_dir;
	struct cli_key_args keyopt;  /* export, answer */
	const char **subjects;
	size_t nsubjects;
	int all, closed, json;
	int nargs;
	char **args;
};

struct verb {
	const char *name;
	int (*run)(struct args *a);
	unsigned int options;
	int min_args, max_args;
	const char *synopsis;
};

static int open_store(struct args *a, int must_exist, kel_store **s)
{
	kel_store_options so = KEL_STORE_OPTIONS_INIT;
	int rc;

	so.must_exist = must_exist;
	if ((rc = kel_store_open(s, a->store ? a->store : getenv("KELISIM_STORE"), &so)) < 0) {
		cli_report(CMD, rc);
		return rc == KEL_EINVAL ? EXIT_USAGE : EXIT_ERROR;
	}
	return EXIT_OK;
}

/* ---- request add / list / close ------------------------------------------------------ */

static int do_request_add(struct args *a)
{
	kel_store *s = NULL;
	char id[37];
	int rc;

	if (!a->received || !a->ref)
		return cli_usage_error(CMD, "request add: give --received DATE and --ref TEXT");
	if (a->all && a->nsubjects)
		return cli_usage_error(CMD, "request add: give --subject or --all, not both");
	if ((rc = open_store(a, 0, &s)) != EXIT_OK)
		return rc;
	rc = kel_evidence_request_add(s, a->received, a->ref, a->subjects, a->nsubjects, a->note,
		id);
	if (rc < 0) {
		int code = rc;
		rc = cli_report(CMD, rc);
		if (code == KEL_EINVAL)
			rc = EXIT_USAGE;
	} else {
		printf("request %s recorded\n", id);
		rc = EXIT_OK;
	}
	kel_store_free(s);
	return rc;
}

struct list_ctx {
	int json, first;
	size_t count;
};

static int print_request(void *ctx, const kel_evidence_request *q)
{
	struct list_ctx *l = ctx;

	l->count++;
	if (l->json) {
		printf("%s{\"id\": ", l->first ? "" : ",\n ");
		cli_json_string(stdout, q->id);
		printf(", \"received\": ");
		cli_json_string(stdout, q->received);
		printf(", \"due\": ");
		cli_json_string(stdout, q->due);
		printf(", \"days_left\": %ld, \"overdue\": %s, \"reference\": ", q->days_left,
			q->overdue ? "true" : "false");
		cli_json_string(stdout, q->reference);
		printf(", \"subjects\": ");
		cli_json_string(stdout, q->subjects ? q->subjects : "all");
		printf(", \"note\": ");
		cli_json_string(stdout, q->note);
		printf(", \"closed_at\": ");
		cli_json_string(stdout, q->closed_at);
		printf(", \"answer_sha256\": ");
		cli_json_string(stdout, q->answer_sha256);
		printf(", \"log_position\": %" PRIu64 "}", q->leaf);
		l->first = 0;
		return 0;
	}
	if (q->closed_at)
		printf("%s  received %s  due %s  closed %s  %s\n", q->id, q->received, q->due,
			q->closed_at, q->reference);
	else if (q->overdue)
		printf("%s  received %s  due %s  OVERDUE by %ld day%s  %s\n", q->id, q->received,
			q->due, -q->days_left, q->days_left == -1 ? "" : "s", q->reference);
	else
		printf("%s  received %s  due %s  %ld day%s left  %s\n", q->id, q->received, q->due,
			q->days_left, q->days_left == 1 ? "" : "s", q->reference);
	return 0;
}

static int do_request_list(struct args *a)
{
	struct list_ctx l = { a->json, 1, 0 };
	kel_store *s = NULL;
	int rc;

	if ((rc = open_store(a, 1, &s)) != EXIT_OK)
		return rc;
	if (a->json)
		fputc('[', stdout);
	rc = kel_evidence_request_list(s, a->closed, print_request, &l);
	if (a->json)
		fputs("]\n", stdout);
	else if (rc == 0 && l.count == 0)
		printf("no %srequests\n", a->closed ? "" : "open ");
	kel_store_free(s);
	return rc < 0 ? cli_report(CMD, rc) : EXIT_OK;
}

static int do_request_close(struct args *a)
{
	kel_store *s = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (a->answer && (rc = cli_read_input(CMD, a->answer, &data, &len)) != EXIT_OK)
		return rc;
	if ((rc = open_store(a, 1, &s)) != EXIT_OK) {
		free(data);
		return rc;
	}
	rc = kel_evidence_request_close(s, a->args[0], data, len);
	free(data);
	kel_store_free(s);
	if (rc < 0)
		return cli_report(CMD, rc);
	printf("request %s closed\n", a->args[0]);
	return EXIT_OK;
}

/* ---- export ------------------------------------------------------------------------------ */

static int do_export(struct args *a)
{
	kel_evidence_export_options o = KEL_EVIDENCE_EXPORT_OPTIONS_INIT;
	kel_evidence_summary sum;
	kel_store *s = NULL;
	kel_key *key = NULL;
	int rc;

	if ((a->request != NULL) + (a->nsubjects > 0) + (a->all != 0) != 1)
		return cli_usage_error(CMD, "export: give one of --request ID, --subject IIN... or "
			"--all");
	if ((a->since || a->until) && !a->all)
		return cli_usage_error(CMD, "export: --since and --until go with --all");
	if (!a->output || strcmp(a->output, "-") == 0)
		return cli_usage_error(CMD, "export: give -o OUT.asice (a file: the container is "
			"written beside it and renamed into place)");
	if (a->keyopt.p12 && (a->keyopt.key || a->keyopt.cert || a->keyopt.chain))
		return cli_usage_error(CMD, "give either --p12 or --key/--cert, not both");
	if (!a->keyopt.p12 && !(a->keyopt.key && a->keyopt.cert))
		return cli_usage_error(CMD, "export: no key: give --key and --cert, or --p12");
	if ((rc = cli_load_key(CMD, &a->keyopt, &key)) != EXIT_OK)
		return rc;
	if ((rc = open_store(a, 1, &s)) != EXIT_OK)
		goto done;
	o.request_id = a->request;
	o.subjects = a->subjects;
	o.nsubjects = a->nsubjects;
	o.all = a->all;
	o.since = a->since;
	o.until = a->until;
	o.key = key;
	o.languages = a->lang;
	o.trust_file = a->trust;
	o.trust_dir = a->trust_dir;
	if ((rc = kel_evidence_export(s, &o, a->output, &sum)) < 0) {
		int code = rc;
		rc = cli_report(CMD, rc);
		if (code == KEL_EINVAL)
			rc = EXIT_USAGE;
		goto done;
	}
	printf("wrote %s: %" PRIu64 " subjects, %" PRIu64 " documents, %" PRIu64
		" statement part%s (first %s), proofs against a signed tree head of %" PRIu64
		" leaves\n", a->output, sum.subjects, sum.documents, sum.parts,
		sum.parts == 1 ? "" : "s", sum.statement_id, sum.tree_size);
	if (sum.complete == sum.subjects) {
		printf("complete: every subject has a consent in force and a transfer notice\n");
		rc = EXIT_OK;
	} else {
		printf("incomplete: %" PRIu64 " of %" PRIu64 " subjects have gaps (%" PRIu64
			" gap lines in the statement)\n", sum.subjects - sum.complete, sum.subjects,
			sum.gaps);
		rc = EXIT_INCOMPLETE;
	}
done:
	kel_store_free(s);
	kel_key_free(key);
	return rc;
}

/* ---- verify ------------------------------------------------------------------------------ */

static int do_verify(struct args *a)
{
	kel_evidence_report *r = NULL;
	kel_buf out = KEL_BUF_INIT;
	int rc;

	if (!a->trust && !a->trust_dir)
		return cli_usage_error(CMD, "verify: give --trust CA.pem or --trust-dir DIR (without "
			"trust anchors no signature can pass)");
	if ((rc = kel_evidence_verify(&r, a->args[0], a->trust, a->trust_dir)) < 0)
		return cli_report(CMD, rc);
	rc = a->json ? kel_evidence_report_to_json(r, &out) : kel_evidence_report_to_text(r, &out);
	if (rc < 0) {
		kel_evidence_report_free(r);
		return cli_report(CMD, rc);
	}
	fwrite(out.ptr, 1, out.size, stdout);
	for (size_t i = 0; i < kel_evidence_report_problem_count(r); i++)
		fprintf(stderr, "kelisim evidence: %s: %s\n", a->args[0],
			kel_evidence_report_problem(r, i));
	rc = kel_evidence_report_ok(r) ? EXIT_OK : EXIT_INVALID;
	kel_buf_dispose(&out);
	kel_evidence_report_free(r);
	return rc;
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static const struct verb verbs[] = {
	{ "request add", do_request_add, B(O_STORE) | B(O_RECEIVED) | B(O_REF) | B(O_NOTE) |
		B(O_SUBJECT) | B(O_ALL), 0, -1, "request add --received DATE --ref TEXT "
		"[--subject IIN...|--all] [--note TEXT]" },
	{ "request list", do_request_list, B(O_STORE) | B(O_CLOSED) | B(O_JSON), 0, 0,
		"request list [--closed] [--json]" },
	{ "request close", do_request_close, B(O_STORE) | B(O_ANSWER), 1, 1,
		"request close ID [--answer FILE]" },
	{ "export", do_export, B(O_STORE) | B(O_SUBJECT) | B(O_ALL) | B(O_SINCE) | B(O_UNTIL) |
		B(O_REQUEST) | B(O_OUTPUT) | B(O_LANG) | B(O_TRUST) | B(O_TRUST_DIR) | KEYOPTS, 0, -1,
		"export (--request ID | --subject IIN... | --all) -o OUT.asice KEY OPTIONS" },
	{ "verify", do_verify, B(O_TRUST) | B(O_TRUST_DIR) | B(O_JSON), 1, 1,
		"verify BUNDLE.asice --trust CA.pem [--json]" },
	{ NULL, NULL, 0, 0, 0, NULL }
};

static const struct option options[] = {
	{ "store", required_argument, NULL, O_STORE },
	{ "received", required_argument, NULL, O_RECEIVED },
	{ "ref", required_argument, NULL, O_REF },
	{ "note", required_argument, NULL, O_NOTE },
	{ "subject", required_argument, NULL, O_SUBJECT },
	{ "all", no_argument, NULL, O_ALL },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "request", required_argument, NULL, O_REQUEST },
	{ "output", required_argument, NULL, O_OUTPUT },
	{ "lang", required_argument, NULL, O_LANG },
	{ "answer", required_argument, NULL, O_ANSWER },
	{ "closed", no_argument, NULL, O_CLOSED },
	{ "trust", required_argument, NULL, O_TRUST },
	{ "trust-dir", required_argument, NULL, O_TRUST_DIR },
	{ "json", no_argument, NULL, O_JSON },
	CLI_KEY_LONG_OPTIONS(O_KEY),
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int cmd_evidence(int argc, char **argv)
{
	const struct verb *v;
	struct args a;
	char verb[48];
	int c, rc, skip;

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	/* "request" takes a second word: add, list or close. */
	skip = 1;
	if (strcmp(argv[1], "request") == 0) {
		if (argc < 3)
			return cli_usage_error(CMD, "request: give add, list or close");
		snprintf(verb, sizeof verb, "request %.16s", argv[2]);
		skip = 2;
	} else {
		snprintf(verb, sizeof verb, "%.24s", argv[1]);
	}
	for (v = verbs; v->name; v++)
		if (strcmp(v->name, verb) == 0)
			break;
	if (!v->name)
		return cli_usage_error(CMD, "'%s' is not an evidence verb", verb);

	memset(&a, 0, sizeof a);
	if (!(a.subjects = calloc((size_t)argc + 1, sizeof *a.subjects)))
		return cli_report(CMD, KEL_ENOMEM);
	argc -= skip;
	argv += skip;
	optind = 1;
	rc = EXIT_OK;
	while (rc == EXIT_OK && (c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		int o = c == 'o' ? O_OUTPUT : c;
		if (c == 'h') {
			fputs(usage, stdout);
			free(a.subjects);
			return EXIT_OK;
		}
		if (o < O_STORE || o > O_PASS_ENV) {
			rc = cli_usage_error(CMD, "bad option");
			break;
		}
		if (!(v->options & B(o))) {
			rc = cli_usage_error(CMD, "%s: option '%s' does not apply", v->name,
				argv[optind - 1]);
			break;
		}
		switch (o) {
		case O_STORE: a.store = optarg; break;
		case O_RECEIVED: a.received = optarg; break;
		case O_REF: a.ref = optarg; break;
		case O_NOTE: a.note = optarg; break;
		case O_SUBJECT: a.subjects[a.nsubjects++] = optarg; break;
		case O_ALL: a.all = 1; break;
		case O_SINCE: a.since = optarg; break;
		case O_UNTIL: a.until = optarg; break;
		case O_REQUEST: a.request = optarg; break;
		case O_OUTPUT: a.output = optarg; break;
		case O_LANG: a.lang = optarg; break;
		case O_ANSWER: a.answer = optarg; break;
		case O_CLOSED: a.closed = 1; break;
		case O_TRUST: a.trust = optarg; break;
		case O_TRUST_DIR: a.trust_dir = optarg; break;
		case O_JSON: a.json = 1; break;
		case O_KEY: case O_CERT: case O_CHAIN: case O_P12: case O_PASS_FILE:
		case O_PASS_ENV: cli_key_option(&a.keyopt, o, O_KEY, optarg); break;
		}
	}
	if (rc != EXIT_OK)
		goto done;
	a.args = argv + optind;
	a.nargs = argc - optind;
	/* "--subject IIN...": the IINs after the first --subject are subjects too. */
	if ((v->run == do_request_add || v->run == do_export) && a.nargs > 0) {
		if (!a.nsubjects) {
			rc = cli_usage_error(CMD, "%s: '%s' is extra (usage: kelisim evidence %s)",
				v->name, a.args[0], v->synopsis);
			goto done;
		}
		for (int i = 0; i < a.nargs; i++)
			a.subjects[a.nsubjects++] = a.args[i];
		a.nargs = 0;
	}
	if (a.nargs < v->min_args) {
		rc = cli_usage_error(CMD, "usage: kelisim evidence %s", v->synopsis);
		goto done;
	}
	if (v->max_args >= 0 && a.nargs > v->max_args) {
		rc = cli_usage_error(CMD, "%s: '%s' is extra (usage: kelisim evidence %s)", v->name,
			a.args[v->max_args], v->synopsis);
		goto done;
	}
	if (a.keyopt.pass_file && a.keyopt.pass_env) {
		rc = cli_usage_error(CMD, "give --pass-file or --pass-env, not both");
		goto done;
	}
	rc = v->run(&a);
done:
	free(a.subjects);
	return rc;
}
