#include "server/auth/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace nms::auth {

absl::StatusOr<access::Principal> Authenticator::Load(int64_t account_id, int64_t session_id) {
  if (session_id != 0) RETURN_IF_ERROR(repo_.CheckSession(account_id, session_id));
  ASSIGN_OR_RETURN(db::AccountRow account, repo_.GetAccount(account_id));
  if (account.disabled) return absl::UnauthenticatedError("Учётная запись отключена");
  ASSIGN_OR_RETURN(auto grants, repo_.LoadGrants(account_id));
  access::Principal p;
  p.account_id = account_id;
  p.person_id = account.person_id;
  p.session_id = session_id;
  for (auto& g : grants) p.grants.push_back(g.grant);
  return p;
}

void Authenticator::Forget(int64_t session_id) {
  absl::MutexLock lock(&mu_);
  cache_.erase(session_id);
}

absl::StatusOr<access::Principal> Authenticator::Authenticate(const grpc::ServerContext& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) {
    // mTLS: a verified client certificate maps to a service account.
    auto auth_ctx = ctx.auth_context();
    if (auth_ctx && auth_ctx->IsPeerAuthenticated()) {
      auto subjects = auth_ctx->FindPropertyValues("x509_subject");
      if (!subjects.empty()) {
        std::string subject(subjects.front().data(), subjects.front().size());
        ASSIGN_OR_RETURN(auto account, repo_.FindAccountByCertSubject(subject));
        if (!account.has_value() || account->disabled) {
          return absl::UnauthenticatedError("Сертификат клиента не сопоставлен учётной записи");
        }
        return Load(account->id, 0);
      }
    }
    return absl::UnauthenticatedError("Требуется вход: нет заголовка authorization");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) {
    return absl::UnauthenticatedError("Заголовок authorization должен иметь вид \"Bearer <токен>\"");
  }
  ASSIGN_OR_RETURN(AccessClaims claims, signer_.Verify(value, absl::Now()));
  // Every issued token names its sign-in session; session 0 is how Load marks certificate
  // callers, and a bearer token without a session could never be revoked.
  if (claims.account_id <= 0 || claims.session_id <= 0) {
    return absl::UnauthenticatedError("Недействительный токен доступа, войдите снова");
  }
  absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    auto hit = cache_.find(claims.session_id);
    if (hit != cache_.end() && now - hit->second.fetched < cache_ttl_ &&
        hit->second.principal.account_id == claims.account_id) {
      return hit->second.principal;
    }
  }
  ASSIGN_OR_RETURN(access::Principal p, Load(claims.account_id, claims.session_id));
  absl::MutexLock lock(&mu_);
  if (cache_.size() > 100000) cache_.clear();  // bound memory; entries are cheap to refetch
  cache_[claims.session_id] = Entry{p, now};
  return p;
}

}  // namespace nms::auth
