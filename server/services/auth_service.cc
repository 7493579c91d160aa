#include "server/services/auth_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/auth/password.h"
#include "server/common/status_macros.h"
#include "server/domain/common/names.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"

namespace nms::services {
namespace {

std::string ScopeName(const access::Grant& g) {
  switch (g.scope_kind) {
    case access::ScopeKind::kRegion: return ResourceName("regions", g.scope_id);
    case access::ScopeKind::kMunicipality: return ResourceName("municipalities", g.scope_id);
    case access::ScopeKind::kOrganization: return ResourceName("organizations", g.scope_id);
  }
  return "";
}

// A deliberately identical answer for unknown login and wrong password.
absl::Status BadCredentials() {
  return absl::UnauthenticatedError("Неверный логин или пароль");
}

}  // namespace

nms::v1::TokenPair AuthServiceImpl::Issue(int64_t account_id, int64_t session_id,
                                          const std::string& refresh) {
  absl::Time now = absl::Now();
  nms::v1::TokenPair t;
  t.set_access_token(signer_.Sign({account_id, session_id, now + settings_.access_ttl}));
  *t.mutable_access_token_expire_time() = ToProtoTime(now + settings_.access_ttl);
  t.set_refresh_token(refresh);
  *t.mutable_refresh_token_expire_time() = ToProtoTime(now + settings_.refresh_ttl);
  return t;
}

absl::Status AuthServiceImpl::FillPrincipal(int64_t account_id, int64_t session_id,
                                            nms::v1::Principal* out) {
  ASSIGN_OR_RETURN(db::AccountRow account, repo_.GetAccount(account_id));
  ASSIGN_OR_RETURN(auto grants, repo_.LoadGrants(account_id));
  (void)session_id;
  out->set_account(ResourceName("accounts", account_id));
  out->set_login(account.login);
  if (account.person_id != 0) out->set_person(ResourceName("people", account.person_id));
  out->set_display_name(account.display_name);
  for (const auto& g : grants) {
    auto* pg = out->add_grants();
    pg->set_role(static_cast<nms::v1::Role>(g.grant.role));
    pg->set_scope(ScopeName(g.grant));
    pg->set_scope_display_name(g.scope_display_name);
  }
  return absl::OkStatus();
}

grpc::Status AuthServiceImpl::SignIn(grpc::ServerContext* ctx, const nms::v1::SignInRequest* req,
                                     nms::v1::SignInResponse* resp) {
  return RunPublic(ctx, "AuthService/SignIn", [&]() -> absl::Status {
    std::string login = absl::AsciiStrToLower(absl::StripAsciiWhitespace(req->login()));
    if (login.empty()) return absl::InvalidArgumentError("Поле login обязательно");
    if (req->password().empty()) return absl::InvalidArgumentError("Поле password обязательно");
    if (login.size() > 255 || req->password().size() > 1024) return BadCredentials();
    ASSIGN_OR_RETURN(auto account, repo_.FindAccountByLogin(login));
    if (!account.has_value() || account->password_hash.empty()) {
      // Spend the same time as a real check so response time does not reveal valid logins.
      auth::VerifyPassword(req->password(), "pbkdf2-sha256$120000$AAAAAAAAAAAAAAAAAAAAAA==$"
                                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
      return BadCredentials();
    }
    if (account->locked_until.has_value() && *account->locked_until > absl::Now()) {
      return absl::PermissionDeniedError(
          "Слишком много неудачных попыток входа; повторите через несколько минут");
    }
    if (account->disabled) return absl::PermissionDeniedError("Учётная запись отключена");
    if (!auth::VerifyPassword(req->password(), account->password_hash)) {
      RETURN_IF_ERROR(repo_.RecordFailure(account->id, settings_.max_failed_logins, settings_.lockout));
      return BadCredentials();
    }
    std::string refresh = auth::RandomToken(32);
    ASSIGN_OR_RETURN(int64_t session,
                     repo_.CreateSession(account->id, auth::HashRefreshToken(refresh),
                                         absl::Now() + settings_.refresh_ttl));
    *resp->mutable_tokens() = Issue(account->id, session, refresh);
    return FillPrincipal(account->id, session, resp->mutable_principal());
  });
}

grpc::Status AuthServiceImpl::RefreshToken(grpc::ServerContext* ctx,
                                           const nms::v1::RefreshTokenRequest* req,
                                           nms::v1::RefreshTokenResponse* resp) {
  return RunPublic(ctx, "AuthService/RefreshToken", [&]() -> absl::Status {
    if (req->refresh_token().empty() || req->refresh_token().size() > 256) {
      return absl::InvalidArgumentError("Поле refresh_token обязательно");
    }
    std::string refresh = auth::RandomToken(32);
    int64_t reused_session = 0;
    auto ids = repo_.RotateRefresh(auth::HashRefreshToken(req->refresh_token()), auth::HashRefreshToken(refresh),
                                   absl::Now() + settings_.refresh_ttl, &reused_session);
    // A rotated token presented again revoked its session: its access tokens stop here at once
    // (other replicas within their cache window, as after sign-out).
    if (reused_session != 0) authn_.Forget(reused_session);
    if (!ids.ok()) return ids.status();
    *resp->mutable_tokens() = Issue(ids->first, ids->second, refresh);
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::SignOut(grpc::ServerContext* ctx, const nms::v1::SignOutRequest*,
                                      nms::v1::SignOutResponse*) {
  return Run(ctx, authn_, "AuthService/SignOut", [&](const access::Principal& p) -> absl::Status {
    if (p.session_id == 0) return absl::FailedPreconditionError("Сеанс сервисной учётной записи не завершается");
    RETURN_IF_ERROR(repo_.RevokeSession(p.session_id));
    authn_.Forget(p.session_id);
    return absl::OkStatus();
  });
}

grpc::Status AuthServiceImpl::GetCurrentPrincipal(grpc::ServerContext* ctx,
                                                  const nms::v1::GetCurrentPrincipalRequest*,
                                                  nms::v1::GetCurrentPrincipalResponse* resp) {
  return Run(ctx, authn_, "AuthService/GetCurrentPrincipal", [&](const access::Principal& p) {
    return FillPrincipal(p.account_id, p.session_id, resp->mutable_principal());
  });
}

grpc::Status AuthServiceImpl::ChangePassword(grpc::ServerContext* ctx,
                                             const nms::v1::ChangePasswordRequest* req,
                                             nms::v1::ChangePasswordResponse*) {
  return Run(ctx, authn_, "AuthService/ChangePassword", [&](const access::Principal& p) -> absl::Status {
    if (req->new_password().size() < 8 || req->new_password().size() > 256) {
      return absl::InvalidArgumentError("Поле new_password: от 8 до 256 символов");
    }
    ASSIGN_OR_RETURN(db::AccountRow account, repo_.GetAccount(p.account_id));
    if (!auth::VerifyPassword(req->old_password(), account.password_hash)) {
      return absl::PermissionDeniedError("Текущий пароль указан неверно");
    }
    ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(req->new_password()));
    return repo_.SetPassword(p.account_id, hash, p.session_id);
  });
}

}  // namespace nms::services
