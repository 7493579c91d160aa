#pragma once
// Turns a call's credentials into a Principal: a bearer access token (people, browser and
// phone clients) or a verified client certificate (federal sync jobs over mTLS). Session
// state and grants are cached briefly so a busy replica does not hit the database per call;
// sign-out on this replica drops the cache entry at once, other replicas within `cache_ttl`.

#include <grpcpp/server_context.h>

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/token.h"
#include "server/db/auth_repository.h"
#include "server/domain/access/principal.h"

namespace nms::auth {

class Authenticator {
 public:
  Authenticator(db::AuthRepository& repo, const TokenSigner& signer,
                absl::Duration cache_ttl = absl::Seconds(5))
      : repo_(repo), signer_(signer), cache_ttl_(cache_ttl) {}

  absl::StatusOr<access::Principal> Authenticate(const grpc::ServerContext& ctx);

  // Builds the principal of a known account/session (used right after sign-in).
  absl::StatusOr<access::Principal> Load(int64_t account_id, int64_t session_id);

  void Forget(int64_t session_id);

 private:
  struct Entry {
    access::Principal principal;
    absl::Time fetched;
  };
  db::AuthRepository& repo_;
  const TokenSigner& signer_;
  absl::Duration cache_ttl_;
  absl::Mutex mu_;
  absl::flat_hash_map<int64_t, Entry> cache_ ABSL_GUARDED_BY(mu_);  // by session id
};

}  // namespace nms::auth
