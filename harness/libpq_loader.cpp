// libpq, loaded on first use. Linking libpq directly makes every `migsafe lint` load and relocate its
// thirty-library dependency tree (OpenSSL, Kerberos, LDAP, GnuTLS...) at start-up: more than half of the
// time of linting one file. Only the PostgreSQL harness needs libpq, so the binary does not link it:
// this file defines the libpq functions the harness calls, with libpq-fe.h's own prototypes (a
// mismatch does not compile), each forwarding to the real function looked up in libpq.so.5 the
// first time any of them runs.
//
// A libpq function the harness starts to use must be added to the list below; the link fails until it is.
#include <dlfcn.h>
#include <libpq-fe.h>

#include <mutex>
#include <string>

#include "harness/errors.h"

namespace migsafe::harness {
namespace {

void* libpq_handle() {
  static void* handle = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    // The soname, not libpq.so: the unversioned name exists only where libpq-dev is installed.
    handle = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* reason = ::dlerror();
      failure = reason ? reason : "unknown error";
    }
  });
  if (!handle) {
    throw EnvironmentError("cannot load the PostgreSQL client library libpq.so.5 (" + failure +
                           "): install it (Debian/Ubuntu: apt-get install libpq5)");
  }
  return handle;
}

// The address of `name` in libpq, cast to the type of its declaration in libpq-fe.h.
template <typename Function>
Function* libpq_function(Function*, const char* name) {
  void* symbol = ::dlsym(libpq_handle(), name);
  if (!symbol) throw EnvironmentError(std::string("libpq.so.5 has no function ") + name + " (libpq too old?)");
  return reinterpret_cast<Function*>(symbol);
}

}  // namespace
}  // namespace migsafe::harness

// Each definition looks its target up once and keeps it; the lookup is thread-safe (a function-local static).
#define MIGSAFE_LIBPQ(return_type, name, parameters, arguments)                                 \
  extern "C" return_type name parameters {                                                       \
    static auto* const real = migsafe::harness::libpq_function(&name, #name);                    \
    return real arguments;                                                                        \
  }

MIGSAFE_LIBPQ(PGconn*, PQconnectdbParams,
              (const char* const* keywords, const char* const* values, int expand_dbname),
              (keywords, values, expand_dbname))
MIGSAFE_LIBPQ(void, PQfinish, (PGconn * conn), (conn))
MIGSAFE_LIBPQ(ConnStatusType, PQstatus, (const PGconn* conn), (conn))
MIGSAFE_LIBPQ(PGTransactionStatusType, PQtransactionStatus, (const PGconn* conn), (conn))
MIGSAFE_LIBPQ(char*, PQerrorMessage, (const PGconn* conn), (conn))
MIGSAFE_LIBPQ(int, PQsocket, (const PGconn* conn), (conn))
MIGSAFE_LIBPQ(int, PQserverVersion, (const PGconn* conn), (conn))
MIGSAFE_LIBPQ(PGPing, PQping, (const char* conninfo), (conninfo))
MIGSAFE_LIBPQ(PQconninfoOption*, PQconninfoParse, (const char* conninfo, char** errmsg), (conninfo, errmsg))
MIGSAFE_LIBPQ(void, PQconninfoFree, (PQconninfoOption * options), (options))
MIGSAFE_LIBPQ(void, PQfreemem, (void* pointer), (pointer))
MIGSAFE_LIBPQ(PQnoticeReceiver, PQsetNoticeReceiver, (PGconn * conn, PQnoticeReceiver receiver, void* arg),
              (conn, receiver, arg))

MIGSAFE_LIBPQ(PGresult*, PQexec, (PGconn * conn, const char* query), (conn, query))
MIGSAFE_LIBPQ(int, PQsendQuery, (PGconn * conn, const char* query), (conn, query))
MIGSAFE_LIBPQ(int, PQconsumeInput, (PGconn * conn), (conn))
MIGSAFE_LIBPQ(int, PQisBusy, (PGconn * conn), (conn))
MIGSAFE_LIBPQ(PGresult*, PQgetResult, (PGconn * conn), (conn))
MIGSAFE_LIBPQ(int, PQputCopyEnd, (PGconn * conn, const char* errormsg), (conn, errormsg))

MIGSAFE_LIBPQ(ExecStatusType, PQresultStatus, (const PGresult* result), (result))
MIGSAFE_LIBPQ(char*, PQresultErrorMessage, (const PGresult* result), (result))
MIGSAFE_LIBPQ(char*, PQresultErrorField, (const PGresult* result, int field), (result, field))
MIGSAFE_LIBPQ(int, PQntuples, (const PGresult* result), (result))
MIGSAFE_LIBPQ(int, PQnfields, (const PGresult* result), (result))
MIGSAFE_LIBPQ(char*, PQgetvalue, (const PGresult* result, int row, int column), (result, row, column))
MIGSAFE_LIBPQ(int, PQgetlength, (const PGresult* result, int row, int column), (result, row, column))
MIGSAFE_LIBPQ(int, PQgetisnull, (const PGresult* result, int row, int column), (result, row, column))
MIGSAFE_LIBPQ(void, PQclear, (PGresult * result), (result))

MIGSAFE_LIBPQ(PGcancel*, PQgetCancel, (PGconn * conn), (conn))
MIGSAFE_LIBPQ(void, PQfreeCancel, (PGcancel * cancel), (cancel))
MIGSAFE_LIBPQ(int, PQcancel, (PGcancel * cancel, char* errbuf, int errbufsize), (cancel, errbuf, errbufsize))
