/*
 * The PostgreSQL store (libpq), loaded on first use (dynload.h): used by store_pg.c.
 * Include this after everything else: it turns each function name below into a call
 * through its pointer. Call kel__dynload(&kel__dl_pq) before the first of them.
 */
#ifndef KEL_DL_PQ_H
#define KEL_DL_PQ_H

#include <libpq-fe.h>
#include "dynload.h"

extern struct kel__dyngroup kel__dl_pq;

#define KEL_DL_PQ_FUNCS(X) \
	X(PQclear) X(PQconnectdb) X(PQerrorMessage) X(PQexec) X(PQfinish) X(PQftype) \
	X(PQgetResult) X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQnfields) X(PQntuples) \
	X(PQprepare) X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) \
	X(PQsendQueryParams) X(PQsendQueryPrepared) X(PQsetSingleRowMode) X(PQstatus) \
	X(PQtransactionStatus)

KEL_DL_PQ_FUNCS(KEL_DL_DECLARE)

#define PQclear (*kel__dl_PQclear)
#define PQconnectdb (*kel__dl_PQconnectdb)
#define PQerrorMessage (*kel__dl_PQerrorMessage)
#define PQexec (*kel__dl_PQexec)
#define PQfinish (*kel__dl_PQfinish)
#define PQftype (*kel__dl_PQftype)
#define PQgetResult (*kel__dl_PQgetResult)
#define PQgetisnull (*kel__dl_PQgetisnull)
#define PQgetlength (*kel__dl_PQgetlength)
#define PQgetvalue (*kel__dl_PQgetvalue)
#define PQnfields (*kel__dl_PQnfields)
#define PQntuples (*kel__dl_PQntuples)
#define PQprepare (*kel__dl_PQprepare)
#define PQresultErrorField (*kel__dl_PQresultErrorField)
#define PQresultErrorMessage (*kel__dl_PQresultErrorMessage)
#define PQresultStatus (*kel__dl_PQresultStatus)
#define PQsendQueryParams (*kel__dl_PQsendQueryParams)
#define PQsendQueryPrepared (*kel__dl_PQsendQueryPrepared)
#define PQsetSingleRowMode (*kel__dl_PQsetSingleRowMode)
#define PQstatus (*kel__dl_PQstatus)
#define PQtransactionStatus (*kel__dl_PQtransactionStatus)

#endif
