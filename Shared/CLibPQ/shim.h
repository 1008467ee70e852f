#ifndef HOTLINE_CLIBPQ_SHIM_H
#define HOTLINE_CLIBPQ_SHIM_H
/*
 * libpq is loaded when a PostgreSQL URL is first used, not linked: a service on the
 * embedded SQLite default then never maps libpq and what it pulls in (OpenSSL, GnuTLS,
 * Kerberos, LDAP: ~4 MB resident in each of six processes). The header gives the types; the
 * functions come from dlopen through this table.
 */
#include <dlfcn.h>
#include <postgresql/libpq-fe.h>

#define HOTLINE_PQ_FUNCTIONS(X) \
    X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQenterPipelineMode) X(PQerrorMessage) X(PQexec) \
    X(PQexecPrepared) X(PQexitPipelineMode) X(PQfinish) X(PQfname) X(PQftype) X(PQgetResult) \
    X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQpipelineSync) \
    X(PQprepare) X(PQresultErrorField) X(PQresultStatus) X(PQsendQueryParams) \
    X(PQsendQueryPrepared) X(PQsetNoticeProcessor) X(PQstatus)

typedef struct {
#define HOTLINE_PQ_FIELD(name) __typeof__(name) *_Nonnull name;
    HOTLINE_PQ_FUNCTIONS(HOTLINE_PQ_FIELD)
#undef HOTLINE_PQ_FIELD
} hotline_libpq;

/*
 * Loads libpq.so.5 and fills `table`. Returns NULL on success, else what went wrong (the
 * library missing, or a function missing from it: libpq older than 14 has no pipelines).
 * Call it once (the Swift side does, from a lazily initialised global).
 */
static inline const char *_Nullable hotline_libpq_load(hotline_libpq *_Nonnull table) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return dlerror();
#define HOTLINE_PQ_LOAD(name) \
    *(void **)(&table->name) = dlsym(library, #name); \
    if (*(void **)(&table->name) == NULL) return "libpq.so.5 lacks " #name " (libpq 14 or later is needed)";
    HOTLINE_PQ_FUNCTIONS(HOTLINE_PQ_LOAD)
#undef HOTLINE_PQ_LOAD
    return NULL;
}

/* PG_DIAG_* are character-literal macros that Swift cannot import. */
static inline int hotline_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int hotline_pg_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
#endif
