// nmsctl region create: a new region, its first organisation and its first regional admin,
// without SQL. With --login/--password it calls DirectoryService.CreateRegion as that
// (ministry-level) account; without them it is the operator's bootstrap on a fresh
// installation and writes through the same repository with the database credentials (--db),
// recorded in the audit log without an account.

#include <grpcpp/grpcpp.h>

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/cli/commands.h"
#include "nms/v1/auth.grpc.pb.h"
#include "nms/v1/directory.grpc.pb.h"
#include "server/auth/password.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/region.h"

namespace nms::cli {
namespace {

constexpr char kUsage[] =
    "usage: nmsctl region create \"НАЗВАНИЕ РЕГИОНА\" --org_name \"ЦНППМ …\" --admin_name \"Фамилия Имя Отчество\"\n"
    "         --admin_birth_date ГГГГ-ММ-ДД (--admin_email E | --admin_login L) [--time_zone Europe/Moscow]\n"
    "         [--org_short_name …] [--login L --password P: as a regional admin through the server;\n"
    "          without them: the operator's bootstrap straight into --db]\n";

// The request both paths share, from the command line.
absl::StatusOr<v1::CreateRegionRequest> Request(const Options& o) {
  if (o.args.size() != 2 || o.args[0] != "create") return absl::InvalidArgumentError(kUsage);
  v1::CreateRegionRequest req;
  req.mutable_region()->set_display_name(o.args[1]);
  req.mutable_region()->set_time_zone(o.region.time_zone);
  req.mutable_organization()->set_display_name(o.region.org_name);
  req.mutable_organization()->set_short_name(o.region.org_short_name);
  std::vector<std::string> name = absl::StrSplit(o.region.admin_name, ' ', absl::SkipWhitespace());
  if (name.size() < 2 || name.size() > 3) {
    return absl::InvalidArgumentError("--admin_name: «Фамилия Имя» или «Фамилия Имя Отчество»");
  }
  auto* admin = req.mutable_first_admin();
  admin->set_last_name(name[0]);
  admin->set_first_name(name[1]);
  if (name.size() == 3) admin->set_middle_name(name[2]);
  auto birth = ParseDay(o.region.admin_birth_date, "--admin_birth_date");
  if (!birth.ok()) return birth.status();
  admin->mutable_birth_date()->set_year(static_cast<int>(birth->year()));
  admin->mutable_birth_date()->set_month(birth->month());
  admin->mutable_birth_date()->set_day(birth->day());
  admin->set_email(o.region.admin_email);
  req.set_admin_login(o.region.admin_login);
  req.set_request_id(absl::StrCat("nmsctl-region-", std::hash<std::string>{}(o.args[1] + "|" + o.region.admin_login +
                                                                            "|" + o.region.admin_email)));
  return req;
}

void Print(const v1::CreateRegionResponse& r) {
  std::cout << "регион: " << r.region().name() << " «" << r.region().display_name() << "»\n"
            << "организация: " << r.organization().name() << " «" << r.organization().display_name() << "»\n"
            << "администратор: " << r.first_admin().last_name() << " " << r.first_admin().first_name() << " "
            << r.first_admin().middle_name() << " (" << r.first_admin().name() << ")\n"
            << "логин: " << r.login() << "\n"
            << "одноразовый пароль: " << r.one_time_password() << "\n";
}

int ThroughServer(const Options& o, const v1::CreateRegionRequest& req) {
  auto channel = grpc::CreateChannel(o.server, grpc::InsecureChannelCredentials());
  auto auth = v1::AuthService::NewStub(channel);
  grpc::ClientContext sctx;
  v1::SignInRequest sreq;
  sreq.set_login(o.login);
  sreq.set_password(o.password);
  v1::SignInResponse sresp;
  if (auto st = auth->SignIn(&sctx, sreq, &sresp); !st.ok()) {
    std::cerr << "вход не выполнен: " << st.error_message() << "\n";
    return 1;
  }
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + sresp.tokens().access_token());
  v1::CreateRegionResponse resp;
  if (auto st = v1::DirectoryService::NewStub(channel)->CreateRegion(&ctx, req, &resp); !st.ok()) {
    std::cerr << "регион не создан: " << st.error_message() << "\n";
    return 1;
  }
  Print(resp);
  return 0;
}

int Locally(const Options& o, const v1::CreateRegionRequest& req) {
  auto pool = OpenMigratedDatabase(o, 2);
  if (!pool) return 1;
  directory::NewRegion r;
  r.display_name = req.region().display_name();
  r.time_zone = req.region().time_zone();
  r.organization_display_name = req.organization().display_name();
  r.organization_short_name = req.organization().short_name();
  const auto& a = req.first_admin();
  r.admin.last_name = a.last_name();
  r.admin.first_name = a.first_name();
  r.admin.middle_name = a.middle_name();
  r.admin.birth_date = absl::CivilDay(a.birth_date().year(), a.birth_date().month(), a.birth_date().day());
  r.admin.email = a.email();
  r.login = req.admin_login();
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::LocalTimeZone());
  if (auto st = directory::NormalizeNewRegion(r, today); !st.ok()) {
    std::cerr << "регион не создан: " << st.message() << "\n";
    return 2;
  }
  v1::CreateRegionResponse resp;
  absl::Status st = db::InTransaction(*pool, [&](sql::Connection& c) -> absl::Status {
    std::string otp = auth::GenerateOneTimePassword();
    auto hash = auth::HashPassword(otp);
    if (!hash.ok()) return hash.status();
    auto ids = db::DirectoryRepository::InsertRegionWithAdmin(c, r, *hash, today);
    if (!ids.ok()) return ids.status();
    auto region = db::DirectoryRepository::GetRegion(c, ids->region);
    auto org = db::DirectoryRepository::GetOrganization(c, ids->organization);
    auto person = db::DirectoryRepository::GetPerson(c, ids->person);
    auto grant = db::DirectoryRepository::GetRoleGrant(c, ids->role_grant);
    if (!region.ok() || !org.ok() || !person.ok() || !grant.ok()) return absl::InternalError("регион не прочитан");
    *resp.mutable_region() = *region;
    *resp.mutable_organization() = *org;
    *resp.mutable_first_admin() = *person;
    *resp.mutable_role_grant() = *grant;
    resp.set_account(ResourceName("accounts", ids->account));
    resp.set_login(r.login);
    db::WriteAudit(c, 0, "CreateRegion", resp.region().name(), nullptr, &resp);  // before the password is set
    resp.set_one_time_password(otp);
    return absl::OkStatus();
  });
  if (!st.ok()) {
    std::cerr << "регион не создан: " << st.message() << "\n";
    return 1;
  }
  Print(resp);
  return 0;
}

}  // namespace

int Region(const Options& o) {
  auto req = Request(o);
  if (!req.ok()) {
    std::cerr << req.status().message() << (absl::StrContains(req.status().message(), "usage") ? "" : "\n");
    return 2;
  }
  return o.login.empty() ? Locally(o, *req) : ThroughServer(o, *req);
}

}  // namespace nms::cli
