#pragma once
// Accounts, sign-in sessions and role grants as the authenticator needs them.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/db/pool.h"
#include "server/domain/access/principal.h"

namespace nms::db {

struct AccountRow {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string login;
  std::string display_name;
  std::string password_hash;
  bool disabled = false;
  int failed_logins = 0;
  std::optional<absl::Time> locked_until;
};

struct GrantView {
  access::Grant grant;
  std::string scope_display_name;
};

class AuthRepository {
 public:
  explicit AuthRepository(ConnectionPool& pool) : pool_(pool) {}

  absl::StatusOr<std::optional<AccountRow>> FindAccountByLogin(const std::string& login);
  absl::StatusOr<std::optional<AccountRow>> FindAccountByCertSubject(const std::string& subject);
  absl::StatusOr<AccountRow> GetAccount(int64_t account_id);
  // Counts a failed password; locks the account for `lock_for` after `max_failures`.
  absl::Status RecordFailure(int64_t account_id, int max_failures, absl::Duration lock_for);
  absl::StatusOr<int64_t> CreateSession(int64_t account_id, const std::string& refresh_hash,
                                        absl::Time refresh_expires);
  // Swaps a valid refresh hash for a new one and remembers the old one; returns {account,
  // session} or UNAUTHENTICATED. A hash the session already rotated away (reuse: the token
  // leaked, or two clients share it) revokes that session — the whole token family, with the
  // newest refresh token and every access token — and sets `*reused_session` to its id.
  absl::StatusOr<std::pair<int64_t, int64_t>> RotateRefresh(const std::string& old_hash,
                                                            const std::string& new_hash,
                                                            absl::Time new_expires,
                                                            int64_t* reused_session);
  absl::Status RevokeSession(int64_t session_id);
  // Updates the hash and revokes every session except `keep_session` (0 = none).
  absl::Status SetPassword(int64_t account_id, const std::string& hash, int64_t keep_session);
  // UNAUTHENTICATED when the session is revoked or the account disabled.
  absl::Status CheckSession(int64_t account_id, int64_t session_id);
  absl::StatusOr<std::vector<GrantView>> LoadGrants(int64_t account_id);

 private:
  ConnectionPool& pool_;
};

}  // namespace nms::db
