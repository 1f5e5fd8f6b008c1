/*
 * `kelisim store add FILE...`: verification (the slow part) on several threads, storing on
 * this one, in the order the files were given, so that a withdrawal still follows the
 * consent it withdraws and the output reads as if the files were added one by one.
 *
 * Worker threads read and prepare (kel_store_prepare: verify and read, no database) the
 * files ahead of the writer, at most WINDOW files ahead; the writer takes each file's result
 * in turn, prints its complaint or stores it (kel_store_add_prepared) and prints its line.
 * With one job the same two steps run one after the other on this thread.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store_add.h"

#define CMD "store"
#define WINDOW 32          /* files prepared ahead of the one being stored */
#define JOBS_MAX 16

struct slot {
	int ready;                 /* the worker has finished with this file */
	int read_rc;               /* EXIT_OK, or why the file could not be read */
	int prepare_rc;            /* 0, or the library's code for the refusal */
	char message[CLI_MESSAGE_MAX];
	kel_store_prepared *prepared;
};

struct pipeline {
	kel_store *store;
	char **files;
	int n;
	int next;                  /* the next file a worker takes */
	int done;                  /* files the writer has finished */
	struct slot slots[WINDOW];
	pthread_mutex_t lock;
	pthread_cond_t room;       /* the writer finished a file: a slot is free */
	pthread_cond_t ready;      /* a worker finished a file */
};

/* The exit code a library refusal of one file earns (as `kelisim verify` would). */
static int exit_for(int rc)
{
	return (rc == KEL_EINVALID || rc == KEL_EPARSE || rc == KEL_ETOOBIG) ?
		EXIT_INVALID : EXIT_ERROR;
}

static void worse(int *worst, int rc)
{
	if (rc == EXIT_ERROR || *worst == EXIT_OK)
		*worst = rc;
}

/* Print one stored (or already stored) document's line. */
static void acknowledge(const char *file, const kel_store_added *added, int json)
{
	if (json) {
		int first = 1;
		fputc('{', stdout);
		cli_json_field(stdout, "file", file, &first);
		cli_json_field(stdout, "id", added->id, &first);
		cli_json_field(stdout, "result", added->already ? "already-stored" : "stored",
			&first);
		cli_json_u64(stdout, "leaf", added->leaf, &first);
		cli_json_u64(stdout, "tree_size", added->tree_size, &first);
		fputs("}\n", stdout);
	} else {
		printf("%s %s (log position %" PRIu64 ")\n",
			added->already ? "already stored" : "stored", added->id, added->leaf);
	}
	/* Acknowledged only once stored, and seen at once by whoever reads the output. */
	fflush(stdout);
}

/* Read and prepare one file (any thread): the outcome, and any complaint, go into slot. */
static void prepare_file(struct slot *slot, kel_store *s, const char *file)
{
	char *xml = NULL;
	size_t len = 0;

	slot->read_rc = cli_read_input_quiet(CMD, file, &xml, &len, slot->message,
		sizeof(slot->message));
	if (slot->read_rc != EXIT_OK)
		return;
	slot->prepare_rc = kel_store_prepare(s, xml, len, &slot->prepared);
	if (slot->prepare_rc < 0) {
		const kel_error *e = kel_error_last();
		snprintf(slot->message, sizeof(slot->message), "kelisim store: %s: %s", file,
			e ? e->message : kel_strerror(slot->prepare_rc));
	}
	free(xml);
}

/* Store a prepared file (the store's thread), say what became of it, and empty the slot. */
static void store_file(struct slot *slot, kel_store *s, const char *file, int json, int *worst)
{
	kel_store_added added;
	int rc;

	if (slot->read_rc != EXIT_OK) {
		fprintf(stderr, "%s\n", slot->message);
		worse(worst, slot->read_rc);
	} else if (slot->prepare_rc < 0) {
		fprintf(stderr, "%s\n", slot->message);
		worse(worst, exit_for(slot->prepare_rc));
	} else if ((rc = kel_store_add_prepared(s, slot->prepared, &added)) < 0) {
		const kel_error *e = kel_error_last();
		fprintf(stderr, "kelisim store: %s: %s\n", file, e ? e->message : kel_strerror(rc));
		worse(worst, exit_for(rc));
	} else {
		acknowledge(file, &added, json);
	}
	kel_store_prepared_free(slot->prepared);
	memset(slot, 0, sizeof(*slot));
}

static int add_one_by_one(kel_store *s, char **files, int n, int json)
{
	struct slot *slot = calloc(1, sizeof(*slot));
	int worst = EXIT_OK;

	if (slot == NULL) {
		fprintf(stderr, "kelisim store: out of memory\n");
		return EXIT_ERROR;
	}
	for (int i = 0; i < n; i++) {
		prepare_file(slot, s, files[i]);
		store_file(slot, s, files[i], json, &worst);
	}
	free(slot);
	return worst;
}

static void *prepare_ahead(void *arg)
{
	struct pipeline *pl = arg;

	for (;;) {
		struct slot *slot;
		int i;

		pthread_mutex_lock(&pl->lock);
		while (pl->next < pl->n && pl->next >= pl->done + WINDOW)
			pthread_cond_wait(&pl->room, &pl->lock);
		if (pl->next >= pl->n) {
			pthread_mutex_unlock(&pl->lock);
			return NULL;
		}
		i = pl->next++;
		pthread_mutex_unlock(&pl->lock);

		slot = &pl->slots[i % WINDOW];
		prepare_file(slot, pl->store, pl->files[i]);
		pthread_mutex_lock(&pl->lock);
		slot->ready = 1;
		pthread_cond_broadcast(&pl->ready);
		pthread_mutex_unlock(&pl->lock);
	}
}

static int add_in_parallel(kel_store *s, char **files, int n, int json, int jobs)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));
	pthread_t workers[JOBS_MAX];
	int started = 0, worst = EXIT_OK;

	if (pl == NULL) {
		fprintf(stderr, "kelisim store: out of memory\n");
		return EXIT_ERROR;
	}
	pl->store = s;
	pl->files = files;
	pl->n = n;
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->room, NULL);
	pthread_cond_init(&pl->ready, NULL);
	for (int t = 0; t < jobs; t++)
		if (pthread_create(&workers[started], NULL, prepare_ahead, pl) == 0)
			started++;
	if (started == 0) {
		/* No thread to be had: this thread does it all, as with --jobs 1. */
		worst = add_one_by_one(s, files, n, json);
		goto done;
	}
	for (int i = 0; i < n; i++) {
		struct slot *slot = &pl->slots[i % WINDOW];

		pthread_mutex_lock(&pl->lock);
		while (!slot->ready)
			pthread_cond_wait(&pl->ready, &pl->lock);
		pthread_mutex_unlock(&pl->lock);
		/* The slot is this thread's until done moves past it; emptying it clears ready. */
		store_file(slot, s, files[i], json, &worst);

		pthread_mutex_lock(&pl->lock);
		pl->done = i + 1;
		pthread_cond_broadcast(&pl->room);
		pthread_mutex_unlock(&pl->lock);
	}
done:
	for (int t = 0; t < started; t++)
		pthread_join(workers[t], NULL);
	pthread_cond_destroy(&pl->ready);
	pthread_cond_destroy(&pl->room);
	pthread_mutex_destroy(&pl->lock);
	free(pl);
	return worst;
}

int cli_store_add_files(kel_store *s, char **files, int n, int json, int jobs)
{
	if (jobs <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = cpus > 0 ? (int)cpus : 1;
	}
	if (jobs > JOBS_MAX)
		jobs = JOBS_MAX;
	if (jobs > n)
		jobs = n;
	/* Standard input cannot be read ahead by a worker: one by one, then. */
	for (int i = 0; i < n && jobs > 1; i++)
		if (strcmp(files[i], "-") == 0)
			jobs = 1;
	return jobs > 1 ? add_in_parallel(s, files, n, json, jobs) :
		add_one_by_one(s, files, n, json);
}
