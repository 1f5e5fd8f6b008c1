/* The verify suite's document and key helpers, shared (see ../verify/forge.h). */
#include "../verify/forge.c"
