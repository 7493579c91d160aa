// Personal data and secrets never reach the server's log (DESIGN.md §5). A realistic session at
// the most verbose log level — sign-ins (good, wrong and unknown), token refresh, directory writes
// with personal data, searches by name, account creation and password changes, a CSV import and
// fuzz traffic carrying the same personal data in every kind of field — then every line the
// server wrote is searched for each ФИО, birth date, e-mail, phone, password, one-time password
// and token the session used.
#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/integration/harness.h"
#include "tests/integration/security_stack.h"
#include "tests/support/authz_table.h"
#include "tests/support/fuzz_runner.h"
#include "tests/support/security_world.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_log_privacy";

TEST(LogPrivacy, NoPersonalDataOrSecretInAnyLogLine) {
  SecurityStack stack;
  ASSERT_NO_FATAL_FAILURE(StartSecurityStack(kDb, "--log_level=debug", &stack));
  ServerProcess& server = *stack.server;
  const Fixture& f = stack.fixture;
  const SecurityWorld* world = &stack.world;
  const MatrixTable* table = &stack.table;
  auto ch = server.Channel();
  auto auth = v1::AuthService::NewStub(ch);
  auto dir = v1::DirectoryService::NewStub(ch);

  // What must never appear. Tokens and one-time passwords are added as they are issued.
  std::vector<std::string> secrets = {
      "Passw0rd!", "Ошибочный-Пароль-77", "Новый-Пароль-2026!", "Уникальнова", "Секретина", "Приватовна",
      "1977-07-17", "17.07.1977", "secret.person@example.org", "changed.person@example.org", "+79123456789",
      "Импортова", "Тайна", "Скрытовна", "1969-11-23", "23.11.1969", "import.secret@example.org",
      "ghost.user@example.org", "Иванова", "Петрова", "Сидорова", "1990-05-01", "1988-03-12"};

  // Sign-ins: every role, a wrong password, an unknown login; a refresh.
  std::string admin = SignIn(*ch, "regional.admin");
  std::string school = SignIn(*ch, "school.a1");
  for (const auto& r : world->roles) secrets.push_back(SignIn(*ch, r.login));
  secrets.push_back(admin);
  secrets.push_back(school);
  for (const char* login : {"regional.admin", "ghost.user@example.org"}) {
    grpc::ClientContext ctx;
    v1::SignInRequest req;
    req.set_login(login);
    req.set_password("Ошибочный-Пароль-77");
    v1::SignInResponse resp;
    EXPECT_EQ(auth->SignIn(&ctx, req, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    v1::SignInRequest req;
    req.set_login("mun.a");
    req.set_password("Passw0rd!");
    v1::SignInResponse resp;
    ASSERT_TRUE(auth->SignIn(&ctx, req, &resp).ok());
    secrets.push_back(resp.tokens().refresh_token());
    grpc::ClientContext rctx;
    v1::RefreshTokenRequest rreq;
    rreq.set_refresh_token(resp.tokens().refresh_token());
    v1::RefreshTokenResponse renewed;
    ASSERT_TRUE(auth->RefreshToken(&rctx, rreq, &renewed).ok());
    secrets.push_back(renewed.tokens().access_token());
    secrets.push_back(renewed.tokens().refresh_token());
  }

  // A person with personal data: create, search, read, update, and a duplicate.
  v1::CreatePersonRequest create;
  auto* p = create.mutable_person();
  p->set_organization(absl::StrCat("organizations/", f.school_a1));
  p->set_external_id("PD-0001");
  p->set_last_name("Уникальнова");
  p->set_first_name("Секретина");
  p->set_middle_name("Приватовна");
  google::protobuf::TextFormat::ParseFromString("year: 1977 month: 7 day: 17", p->mutable_birth_date());
  p->set_email("secret.person@example.org");
  p->set_phone("+79123456789");
  p->set_position("учитель");
  create.set_request_id("log-privacy-create");
  v1::Person person;
  ASSERT_TRUE(dir->CreatePerson(Ctx(admin).get(), create, &person).ok());
  v1::Person duplicate;
  create.set_request_id("log-privacy-create-again");
  EXPECT_EQ(dir->CreatePerson(Ctx(admin).get(), create, &duplicate).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  v1::ListPeopleRequest search;
  search.set_query("Уникальнова");
  v1::ListPeopleResponse found;
  ASSERT_TRUE(dir->ListPeople(Ctx(school).get(), search, &found).ok());
  EXPECT_EQ(found.people_size(), 1);
  v1::UpdatePersonRequest update;
  update.mutable_person()->set_name(person.name());
  update.mutable_person()->set_email("changed.person@example.org");
  update.mutable_person()->set_version(person.version());
  update.mutable_update_mask()->add_paths("email");
  v1::Person updated;
  ASSERT_TRUE(dir->UpdatePerson(Ctx(admin).get(), update, &updated).ok());
  // An impossible date, at a stale version.
  google::protobuf::TextFormat::ParseFromString("year: 1977 month: 2 day: 30", update.mutable_person()->mutable_birth_date());

  update.mutable_update_mask()->add_paths("birth_date");
  EXPECT_FALSE(dir->UpdatePerson(Ctx(admin).get(), update, &updated).ok());

  // An account for the person, its one-time password, a changed password, a reset.
  v1::CreateAccountRequest acc;
  acc.set_person(person.name());
  v1::CreateAccountResponse account;
  ASSERT_TRUE(dir->CreateAccount(Ctx(admin).get(), acc, &account).ok());
  secrets.push_back(account.one_time_password());
  std::string own = SignIn(*ch, account.login(), account.one_time_password());
  secrets.push_back(own);
  v1::ChangePasswordRequest change;
  change.set_old_password(account.one_time_password());
  change.set_new_password("Новый-Пароль-2026!");
  v1::ChangePasswordResponse changed;
  ASSERT_TRUE(auth->ChangePassword(Ctx(own).get(), change, &changed).ok());
  change.set_old_password("Ошибочный-Пароль-77");
  EXPECT_EQ(auth->ChangePassword(Ctx(own).get(), change, &changed).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ResetPasswordRequest reset;
  reset.set_account(account.account());
  v1::ResetPasswordResponse otp;
  ASSERT_TRUE(dir->ResetPassword(Ctx(admin).get(), reset, &otp).ok());
  secrets.push_back(otp.one_time_password());

  // A CSV import with personal data (and a rejected row quoting it back to the caller).
  v1::ImportTeachersRequest import;
  import.set_organization(absl::StrCat("organizations/", f.school_a1));
  import.set_csv(
      "external_id;last_name;first_name;middle_name;birth_date;email;position\n"
      "PD-0002;Импортова;Тайна;Скрытовна;1969-11-23;import.secret@example.org;учитель\n"
      "PD-0003;Импортова;Тайна;Скрытовна;1969-13-45;import.secret@example.org;учитель\n");
  import.set_create_accounts(true);
  import.set_request_id("log-privacy-import");
  v1::ImportTeachersResponse imported;
  ASSERT_TRUE(dir->ImportTeachers(Ctx(school).get(), import, &imported).ok());
  EXPECT_EQ(imported.created_count(), 1);
  EXPECT_EQ(imported.rejected_count(), 1);

  // Fuzz traffic with the same personal data and secrets in every kind of field.
  FuzzOptions fuzz;
  fuzz.cases = 2000;
  fuzz.extra_strings = secrets;
  FuzzReport report = RunFuzz(*table, *world, ch, TestDsn(kDb), fuzz);
  EXPECT_TRUE(report.findings.empty()) << report.Summary();
  for (const auto& t : report.tokens) {
    if (!t.empty()) secrets.push_back(t);
  }

  // Every line the server wrote.
  std::ifstream log(server.log_path());
  std::string line;
  int lines = 0;
  std::vector<std::string> leaks;
  while (std::getline(log, line)) {
    ++lines;
    for (const auto& s : secrets) {
      if (!s.empty() && line.find(s) != std::string::npos) {
        leaks.push_back(absl::StrCat("\"", s.substr(0, 40), "\" in: ", line.substr(0, 300)));
      }
    }
  }
  std::printf("scanned %d log lines for %zu secrets and personal data items\n", lines, secrets.size());
  EXPECT_GT(lines, 1000) << "the session should have produced a log line per call";
  EXPECT_TRUE(leaks.empty()) << leaks.size() << " leaks, e.g.\n"
                             << absl::StrJoin(leaks.begin(), leaks.begin() + std::min<size_t>(leaks.size(), 15), "\n");
}

}  // namespace
}  // namespace nms::testing
