#ifndef HOTLINE_CSQLITE_SHIM_H
#define HOTLINE_CSQLITE_SHIM_H
#include <sqlite3.h>

/* Swift cannot import SQLITE_TRANSIENT (a cast function-pointer macro). */
static inline sqlite3_destructor_type hotline_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_config is variadic; route the error log to a callback Swift can provide. */
static inline int hotline_sqlite_config_log(void (*callback)(void *, int, const char *), void *context) {
    return sqlite3_config(SQLITE_CONFIG_LOG, callback, context);
}

/* Memory statistics off: with them on, every allocation SQLite makes takes a global mutex
   (SQLite's own advice for speed is SQLITE_DEFAULT_MEMSTATUS=0; nothing here reads them). */
static inline int hotline_sqlite_config_no_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
