#pragma once

#include "nms/v1/auth.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/auth/token.h"
#include "server/db/auth_repository.h"

namespace nms::services {

struct AuthSettings {
  absl::Duration access_ttl = absl::Minutes(15);
  absl::Duration refresh_ttl = absl::Hours(24 * 30);
  int max_failed_logins = 10;
  absl::Duration lockout = absl::Minutes(5);
};

class AuthServiceImpl final : public nms::v1::AuthService::Service {
 public:
  AuthServiceImpl(db::AuthRepository& repo, auth::Authenticator& authn,
                  const auth::TokenSigner& signer, AuthSettings settings)
      : repo_(repo), authn_(authn), signer_(signer), settings_(settings) {}

  grpc::Status SignIn(grpc::ServerContext* ctx, const nms::v1::SignInRequest* req,
                      nms::v1::SignInResponse* resp) override;
  grpc::Status RefreshToken(grpc::ServerContext* ctx, const nms::v1::RefreshTokenRequest* req,
                            nms::v1::RefreshTokenResponse* resp) override;
  grpc::Status SignOut(grpc::ServerContext* ctx, const nms::v1::SignOutRequest* req,
                       nms::v1::SignOutResponse* resp) override;
  grpc::Status GetCurrentPrincipal(grpc::ServerContext* ctx,
                                   const nms::v1::GetCurrentPrincipalRequest* req,
                                   nms::v1::GetCurrentPrincipalResponse* resp) override;
  grpc::Status ChangePassword(grpc::ServerContext* ctx, const nms::v1::ChangePasswordRequest* req,
                              nms::v1::ChangePasswordResponse* resp) override;

 private:
  nms::v1::TokenPair Issue(int64_t account_id, int64_t session_id, const std::string& refresh);
  absl::Status FillPrincipal(int64_t account_id, int64_t session_id, nms::v1::Principal* out);

  db::AuthRepository& repo_;
  auth::Authenticator& authn_;
  const auth::TokenSigner& signer_;
  AuthSettings settings_;
};

}  // namespace nms::services
