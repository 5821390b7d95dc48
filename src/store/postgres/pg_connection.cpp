#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

namespace cozeauth::store::postgres {
namespace {

constexpr Oid kInt8Oid = 20;  // pg_type.oid of bigint

std::string Prefixed(std::string_view what, std::string_view message) {
  std::string out(what);
  out += ": ";
  out += message;
  // libpq's messages end with a newline.
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Frees a PGresult on scope exit.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool Succeeded(const PGresult* r) {
  const ExecStatusType status = PQresultStatus(r);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

std::string TranslateParameters(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  char quote = 0;  // the quote character of the literal or identifier being copied, or 0
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t end = i + 1;
    while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
    int index = highest + 1;
    if (end > i + 1) std::from_chars(sql.data() + i + 1, sql.data() + end, index);
    highest = std::max(highest, index);
    out += '$';
    out += std::to_string(index);
    i = end - 1;
  }
  *count = highest;
  return out;
}

// --- PgCursor

PgCursor::PgCursor(PgConnection& conn, std::string name, std::string sql, int params)
    : conn_(conn),
      name_(std::move(name)),
      sql_(std::move(sql)),
      values_(static_cast<size_t>(params)),
      is_null_(static_cast<size_t>(params), 1),
      is_int_(static_cast<size_t>(params), 0) {}

PgCursor::~PgCursor() { PQclear(result_); }

void PgCursor::BindText(int index, std::string_view v) {
  const auto i = static_cast<size_t>(index - 1);
  if (i >= values_.size()) return;  // more binds than parameters: the run reports it
  values_[i].assign(v.data() != nullptr ? v.data() : "", v.size());
  is_null_[i] = 0;
}

void PgCursor::BindInt(int index, int64_t v) {
  const auto i = static_cast<size_t>(index - 1);
  if (i >= values_.size()) return;
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  values_[i].assign(buf, end);
  is_null_[i] = 0;
  if (!prepared_) is_int_[i] = 1;
}

void PgCursor::BindNull(int index) {
  const auto i = static_cast<size_t>(index - 1);
  if (i >= values_.size()) return;
  is_null_[i] = 1;
}

Status PgCursor::Prepare(const char* what) {
  std::vector<Oid> types(values_.size(), 0);
  for (size_t i = 0; i < types.size(); ++i) types[i] = is_int_[i] ? kInt8Oid : 0;
  ResultPtr r(PQprepare(conn_.handle(), name_.c_str(), sql_.c_str(), static_cast<int>(types.size()),
                        types.data()));
  if (!r || !Succeeded(r.get())) return conn_.ToError(r.get(), what);
  prepared_ = true;
  return {};
}

Result<bool> PgCursor::Step(const char* what) {
  if (result_ == nullptr) {
    if (!prepared_) {
      if (Status st = Prepare(what); !st) return st.error();
    }
    std::vector<const char*> values(values_.size());
    for (size_t i = 0; i < values.size(); ++i) {
      // A NUL inside text would silently cut it short: PostgreSQL cannot store it anyway.
      if (!is_null_[i] && std::memchr(values_[i].data(), '\0', values_[i].size()) != nullptr) {
        return Error::BadRequest("text", Prefixed(what, "text may not contain a NUL character"));
      }
      values[i] = is_null_[i] ? nullptr : values_[i].c_str();
    }
    const bool in_transaction = conn_.InTransaction();
    PGresult* r = PQexecPrepared(conn_.handle(), name_.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0);
    if ((r == nullptr || !Succeeded(r)) && !in_transaction && conn_.Reconnected()) {
      // The server dropped the connection (a restart, a failover) since its last use. Outside a
      // transaction the statement is a read (SqlStore writes only inside one): run it again on
      // the new connection, once.
      PQclear(r);
      if (Status st = Prepare(what); !st) return st.error();
      r = PQexecPrepared(conn_.handle(), name_.c_str(), static_cast<int>(values.size()),
                         values.data(), nullptr, nullptr, 0);
    }
    if (r == nullptr || !Succeeded(r)) {
      Error error = conn_.ToError(r, what);
      PQclear(r);
      return error;
    }
    result_ = r;
    rows_ = PQntuples(r);
    row_ = -1;
    const char* changed = PQcmdTuples(r);
    changes_ = 0;
    if (changed != nullptr && *changed != '\0') {
      std::from_chars(changed, changed + std::strlen(changed), changes_);
    }
  }
  if (row_ < rows_) ++row_;
  return row_ < rows_;
}

std::string_view PgCursor::TextView(int col) const {
  if (result_ == nullptr || row_ < 0 || row_ >= rows_ || PQgetisnull(result_, row_, col)) {
    return {};
  }
  return std::string_view(PQgetvalue(result_, row_, col),
                          static_cast<size_t>(PQgetlength(result_, row_, col)));
}

int64_t PgCursor::Int(int col) const {
  const std::string_view text = TextView(col);
  if (text == "t") return 1;  // a boolean expression
  if (text == "f") return 0;
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

bool PgCursor::IsNull(int col) const {
  if (result_ == nullptr || row_ < 0 || row_ >= rows_) return true;
  return PQgetisnull(result_, row_, col) != 0;
}

void PgCursor::Reset() {
  PQclear(result_);
  result_ = nullptr;
  rows_ = 0;
  row_ = -1;
  std::fill(is_null_.begin(), is_null_.end(), 1);
}

// --- PgConnection

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Error::Make(Errc::kInternal, "postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host and the reason, never the password.
    Error error =
        Error::Make(Errc::kInternal, Prefixed("postgresql: cannot connect", PQerrorMessage(conn)));
    PQfinish(conn);
    return error;
  }
  std::unique_ptr<PgConnection> out(new PgConnection(conn));
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return out;
}

PgConnection::~PgConnection() {
  statements_.clear();
  PQfinish(conn_);
}

Error PgConnection::ToError(const PGresult* result, std::string_view what) const {
  if (result == nullptr) {
    return Error::Make(Errc::kInternal, Prefixed(what, PQerrorMessage(conn_)));
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const std::string_view sqlstate = state != nullptr ? state : "";
  // The primary message names the constraint; the detail (never used) would hold the values.
  const std::string message = primary != nullptr ? primary : PQresultErrorMessage(result);
  if (sqlstate == "23505") {
    return Error::Make(Errc::kAlreadyExists, Prefixed(what, "already exists (" + message + ")"));
  }
  if (sqlstate == "23503") {
    return Error::Make(Errc::kNotFound,
                       Prefixed(what, "a referenced row does not exist (" + message + ")"));
  }
  if (sqlstate == "22021" || sqlstate == "22P05") {
    return Error::BadRequest("text",
                             Prefixed(what, "text PostgreSQL cannot store (" + message + ")"));
  }
  return Error::Make(Errc::kInternal, Prefixed(what, message));
}

Status PgConnection::EnsureConnected(std::string_view what) {
  if (PQstatus(conn_) == CONNECTION_OK) return {};
  if (!Reconnected()) return Error::Make(Errc::kInternal, Prefixed(what, PQerrorMessage(conn_)));
  return {};
}

bool PgConnection::Reconnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return false;  // the failure was the statement's own
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  for (auto& [sql, cursor] : statements_) cursor->Forget();
  return true;
}

Result<Statement> PgConnection::Prepare(const char* sql, const char* what) {
  if (!InTransaction()) {
    if (Status st = EnsureConnected(what); !st) return st.error();
  }
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    int params = 0;
    std::string text = TranslateParameters(sql, &params);
    auto cursor = std::make_unique<PgCursor>(*this, "s" + std::to_string(statements_.size() + 1),
                                             std::move(text), params);
    it = statements_.emplace(sql, std::move(cursor)).first;
  }
  return Statement(it->second.get(), what);
}

Status PgConnection::Exec(const char* sql, const char* what) {
  if (!InTransaction()) {
    if (Status st = EnsureConnected(what); !st) return st;
  }
  const bool in_transaction = InTransaction();
  ResultPtr r(PQexec(conn_, sql));
  if ((!r || !Succeeded(r.get())) && !in_transaction && Reconnected()) {
    // Dropped since its last use (see PgCursor::Step). Outside a transaction Exec runs DDL or
    // opens a transaction, both safe to run again when the server never saw them.
    r.reset(PQexec(conn_, sql));
  }
  if (!r || !Succeeded(r.get())) return ToError(r.get(), what);
  return {};
}

Status PgConnection::Begin(bool immediate) {
  // Both spelled out so that the session's defaults (a DBA's default_transaction_isolation)
  // cannot change what SqlStore relies on.
  static const std::string kBeginWrite =
      "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" +
      std::to_string(kWriteLockKey) + ")";
  static constexpr char kBeginRead[] = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  return Exec(immediate ? kBeginWrite.c_str() : kBeginRead, "begin transaction");
}

Status PgConnection::Commit() {
  ResultPtr r(PQexec(conn_, "COMMIT"));
  if (!r || !Succeeded(r.get())) return ToError(r.get(), "commit");
  // COMMIT of a transaction an error aborted succeeds as a ROLLBACK.
  if (std::strcmp(PQcmdStatus(r.get()), "ROLLBACK") == 0) {
    return Error::Make(Errc::kInternal, "commit: the transaction was aborted and rolled back");
  }
  return {};
}

void PgConnection::Rollback() {
  if (!InTransaction()) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace cozeauth::store::postgres
