#include "server/db/auth_repository.h"

#include "absl/strings/str_cat.h"
#include "server/db/sql.h"

namespace nms::db {
namespace {

constexpr char kAccountColumns[] =
    "SELECT a.id, a.person_id, a.login, a.password_hash, a.disabled, a.failed_logins, "
    "UNIX_TIMESTAMP(a.locked_until) AS locked_until, "
    "COALESCE(NULLIF(a.display_name, ''), TRIM(CONCAT(p.last_name, ' ', p.first_name, ' ', "
    "p.middle_name)), a.login) AS display_name "
    "FROM accounts a LEFT JOIN people p ON p.id = a.person_id ";

AccountRow ReadAccount(sql::ResultSet& rs) {
  AccountRow a;
  a.id = rs.getInt64("id");
  a.person_id = GetInt(rs, "person_id");
  a.login = GetStr(rs, "login");
  a.password_hash = GetStr(rs, "password_hash");
  a.disabled = rs.getBoolean("disabled");
  a.failed_logins = rs.getInt("failed_logins");
  if (!rs.isNull("locked_until")) a.locked_until = absl::FromUnixSeconds(rs.getInt64("locked_until"));
  a.display_name = GetStr(rs, "display_name");
  return a;
}

}  // namespace

absl::StatusOr<std::optional<AccountRow>> AuthRepository::FindAccountByLogin(const std::string& login) {
  std::optional<AccountRow> out;
  absl::Status st = WithConnection(pool_, [&](sql::Connection& c) {
    auto rs = Stmt(c, std::string(kAccountColumns) + "WHERE a.login = ?").Str(login).Query();
    if (rs->next()) out = ReadAccount(*rs);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::optional<AccountRow>> AuthRepository::FindAccountByCertSubject(
    const std::string& subject) {
  std::optional<AccountRow> out;
  absl::Status st = WithConnection(pool_, [&](sql::Connection& c) {
    auto rs = Stmt(c, std::string(kAccountColumns) + "WHERE a.cert_subject = ? AND a.is_service")
                  .Str(subject)
                  .Query();
    if (rs->next()) out = ReadAccount(*rs);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<AccountRow> AuthRepository::GetAccount(int64_t account_id) {
  std::optional<AccountRow> out;
  absl::Status st = WithConnection(pool_, [&](sql::Connection& c) {
    auto rs = Stmt(c, std::string(kAccountColumns) + "WHERE a.id = ?").Int(account_id).Query();
    if (rs->next()) out = ReadAccount(*rs);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!out) return absl::UnauthenticatedError("Учётная запись не найдена");
  return *out;
}

absl::Status AuthRepository::RecordFailure(int64_t account_id, int max_failures,
                                           absl::Duration lock_for) {
  return InTransaction(pool_, [&](sql::Connection& c) {
    Stmt(c,
         // Assignments run left to right on updated values: compute the lock from the old
         // count first, then increment it.
         "UPDATE accounts SET locked_until = IF(failed_logins + 1 >= ?, UTC_TIMESTAMP(6) + "
         "INTERVAL ? SECOND, locked_until), failed_logins = failed_logins + 1 WHERE id = ?")
        .Int(max_failures)
        .Int(absl::ToInt64Seconds(lock_for))
        .Int(account_id)
        .Execute();
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> AuthRepository::CreateSession(int64_t account_id,
                                                      const std::string& refresh_hash,
                                                      absl::Time refresh_expires) {
  int64_t id = 0;
  absl::Status st = InTransaction(pool_, [&](sql::Connection& c) {
    Stmt(c, "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?")
        .Int(account_id)
        .Execute();
    Stmt(c,
         "INSERT INTO auth_sessions (account_id, refresh_hash, refresh_expires_at) "
         "VALUES (?, ?, FROM_UNIXTIME(?))")
        .Int(account_id)
        .Blob(refresh_hash)
        .Int(absl::ToUnixSeconds(refresh_expires))
        .Execute();
    id = LastInsertId(c);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return id;
}

absl::StatusOr<std::pair<int64_t, int64_t>> AuthRepository::RotateRefresh(
    const std::string& old_hash, const std::string& new_hash, absl::Time new_expires,
    int64_t* reused_session) {
  std::pair<int64_t, int64_t> out;
  bool valid = false;
  *reused_session = 0;
  absl::Status st = InTransaction(pool_, [&](sql::Connection& c) -> absl::Status {
    valid = false;
    *reused_session = 0;
    auto rs = Stmt(c,
                   "SELECT s.id, s.account_id FROM auth_sessions s JOIN accounts a ON "
                   "a.id = s.account_id WHERE s.refresh_hash = ? AND s.revoked_at IS NULL AND "
                   "s.refresh_expires_at > UTC_TIMESTAMP(6) AND NOT a.disabled FOR UPDATE")
                  .Blob(old_hash)
                  .Query();
    if (!rs->next()) {
      // Not the session's current token: one it rotated away before? Then the family ends here
      // (committed, unlike an error, which would roll the revocation back).
      auto used = Stmt(c, "SELECT session_id FROM auth_refresh_rotated WHERE refresh_hash = ?").Blob(old_hash).Query();
      if (used->next()) {
        *reused_session = used->getInt64(1);
        Stmt(c, "UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ? AND revoked_at IS NULL")
            .Int(*reused_session)
            .Execute();
      }
      return absl::OkStatus();
    }
    out = {rs->getInt64("account_id"), rs->getInt64("id")};
    Stmt(c, "INSERT INTO auth_refresh_rotated (refresh_hash, session_id) VALUES (?, ?)")
        .Blob(old_hash)
        .Int(out.second)
        .Execute();
    Stmt(c, "UPDATE auth_sessions SET refresh_hash = ?, refresh_expires_at = FROM_UNIXTIME(?) "
            "WHERE id = ?")
        .Blob(new_hash)
        .Int(absl::ToUnixSeconds(new_expires))
        .Int(out.second)
        .Execute();
    valid = true;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (*reused_session != 0) {
    return absl::UnauthenticatedError(
        "Токен обновления уже был использован; сеанс завершён для безопасности, войдите снова");
  }
  if (!valid) return absl::UnauthenticatedError("Токен обновления недействителен или истёк, войдите снова");
  return out;
}

absl::Status AuthRepository::RevokeSession(int64_t session_id) {
  return InTransaction(pool_, [&](sql::Connection& c) {
    Stmt(c, "UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ? AND revoked_at IS NULL")
        .Int(session_id)
        .Execute();
    return absl::OkStatus();
  });
}

absl::Status AuthRepository::SetPassword(int64_t account_id, const std::string& hash,
                                         int64_t keep_session) {
  return InTransaction(pool_, [&](sql::Connection& c) {
    Stmt(c, "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?")
        .Str(hash)
        .Int(account_id)
        .Execute();
    Stmt(c, "UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE account_id = ? AND "
            "id <> ? AND revoked_at IS NULL")
        .Int(account_id)
        .Int(keep_session)
        .Execute();
    return absl::OkStatus();
  });
}

absl::Status AuthRepository::CheckSession(int64_t account_id, int64_t session_id) {
  bool ok = false;
  absl::Status st = WithConnection(pool_, [&](sql::Connection& c) {
    auto rs = Stmt(c,
                   "SELECT 1 FROM auth_sessions s JOIN accounts a ON a.id = s.account_id "
                   "WHERE s.id = ? AND s.account_id = ? AND s.revoked_at IS NULL AND NOT a.disabled")
                  .Int(session_id)
                  .Int(account_id)
                  .Query();
    ok = rs->next();
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!ok) return absl::UnauthenticatedError("Сеанс завершён, войдите снова");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<GrantView>> AuthRepository::LoadGrants(int64_t account_id) {
  std::vector<GrantView> out;
  absl::Status st = WithConnection(pool_, [&](sql::Connection& c) {
    auto rs = Stmt(c,
                   "SELECT g.role, g.scope_kind, g.scope_id, "
                   "COALESCE(r.id, m.region_id, o.region_id) AS region_id, "
                   "COALESCE(r.display_name, m.display_name, o.short_name) AS scope_name "
                   "FROM role_grants g "
                   "LEFT JOIN regions r ON g.scope_kind = 1 AND r.id = g.scope_id "
                   "LEFT JOIN municipalities m ON g.scope_kind = 2 AND m.id = g.scope_id "
                   "LEFT JOIN organizations o ON g.scope_kind = 3 AND o.id = g.scope_id "
                   "WHERE g.account_id = ? ORDER BY g.id")
                  .Int(account_id)
                  .Query();
    while (rs->next()) {
      GrantView v;
      v.grant.role = static_cast<access::Role>(rs->getInt("role"));
      v.grant.scope_kind = static_cast<access::ScopeKind>(rs->getInt("scope_kind"));
      v.grant.scope_id = rs->getInt64("scope_id");
      v.grant.region_id = GetInt(*rs, "region_id");
      v.scope_display_name = GetStr(*rs, "scope_name");
      out.push_back(std::move(v));
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace nms::db
