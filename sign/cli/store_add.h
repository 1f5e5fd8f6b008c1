/*
 * `kelisim store add FILE...` (store_add.c): verifying on several threads, storing in order.
 */
#ifndef KELISIM_CLI_STORE_ADD_H
#define KELISIM_CLI_STORE_ADD_H

#include "kelisim.h"

/*
 * Add files in the order given, printing a line per stored file (JSON with json) and a
 * complaint per refused one; jobs threads verify ahead (0: one per processor, 1: none).
 * Returns the worst exit code.
 */
int cli_store_add_files(kel_store *store, char **files, int n, int json, int jobs);

#endif
