#ifndef HOTLINE_CLIBPQ_SHIM_H
#define HOTLINE_CLIBPQ_SHIM_H
#include <libpq-fe.h>

/* PG_DIAG_* are character-literal macros that Swift cannot import. */
static inline int hotline_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int hotline_pg_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
#endif
