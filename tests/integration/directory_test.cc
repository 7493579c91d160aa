// DirectoryService against a real MariaDB and a real nms-server: scoping matrix, validation,
// idempotency, optimistic concurrency, CSV import, pagination, audit and outbox.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

using grpc::StatusCode;
using nms::v1::DirectoryService;

class DirectoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase("it_directory");
    f_ = SeedFixture("it_directory");
    server_ = new ServerProcess("it_directory");
    for (const char* login : {"teacher.a1", "teacher.b1", "school.a1", "mun.a", "regional.methodist",
                              "regional.admin", "federal.sync"}) {
      tokens_[login] = SignIn(*server_->Channel(), login);
    }
  }
  static void TearDownTestSuite() { delete server_; }
  std::unique_ptr<DirectoryService::Stub> Dir() { return DirectoryService::NewStub(server_->Channel()); }
  static std::string Person(int64_t id) { return absl::StrCat("people/", id); }
  static std::string Org(int64_t id) { return absl::StrCat("organizations/", id); }
  static std::string Token(const std::string& login) { return tokens_[login]; }

  v1::Person Get(const std::string& login, int64_t id, StatusCode* code = nullptr) {
    v1::GetPersonRequest req;
    req.set_name(Person(id));
    v1::Person resp;
    auto st = Dir()->GetPerson(Ctx(Token(login)).get(), req, &resp);
    if (code) *code = st.error_code();
    return resp;
  }

  // Sets the position of a person as `login`; returns the status code.
  StatusCode SetPosition(const std::string& login, int64_t id, const std::string& position) {
    StatusCode code;
    v1::Person current = Get("regional.admin", id, &code);
    v1::UpdatePersonRequest req;
    *req.mutable_person() = current;
    req.mutable_person()->set_position(position);
    req.mutable_update_mask()->add_paths("position");
    v1::Person resp;
    return Dir()->UpdatePerson(Ctx(Token(login)).get(), req, &resp).error_code();
  }

  static Fixture f_;
  static ServerProcess* server_;
  static std::map<std::string, std::string> tokens_;
};
Fixture DirectoryTest::f_;
ServerProcess* DirectoryTest::server_ = nullptr;
std::map<std::string, std::string> DirectoryTest::tokens_;

// The scoping matrix: each role × in-scope / out-of-scope × read / write on a person card.
// teacher_a1 works in school A1 (municipality A); teacher_b1 in school B1 (municipality B).
struct MatrixRow {
  const char* login;
  StatusCode read_in, read_out, write_in, write_out;
};
const MatrixRow kMatrix[] = {
    // login               read A1 (own/in)       read B1 (out)                write A1                      write B1
    {"teacher.a1",         StatusCode::OK,        StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED},
    {"school.a1",          StatusCode::OK,        StatusCode::PERMISSION_DENIED, StatusCode::OK,                StatusCode::PERMISSION_DENIED},
    {"mun.a",              StatusCode::OK,        StatusCode::PERMISSION_DENIED, StatusCode::OK,                StatusCode::PERMISSION_DENIED},
    {"regional.methodist", StatusCode::OK,        StatusCode::OK,                StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED},
    {"regional.admin",     StatusCode::OK,        StatusCode::OK,                StatusCode::OK,                StatusCode::OK},
    // The sync account reads no cards: it gets the federal change feed only.
    {"federal.sync",       StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED, StatusCode::PERMISSION_DENIED},
};

// A new region and its first admin through the API (a ministry-level caller) and through
// `nmsctl region create` (the server path with --login, the operator's bootstrap without): no
// SQL by hand, the admin signs in and works in the new region only.
TEST_F(DirectoryTest, NewRegionAndItsFirstAdminThroughTheApiAndNmsctl) {
  v1::CreateRegionRequest req;
  req.mutable_region()->set_display_name("Новая область");
  req.mutable_organization()->set_display_name("ЦНППМ Новой области");
  auto* admin = req.mutable_first_admin();
  admin->set_last_name("Первова");
  admin->set_first_name("Анна");
  admin->set_middle_name("Сергеевна");
  admin->mutable_birth_date()->set_year(1980);
  admin->mutable_birth_date()->set_month(5);
  admin->mutable_birth_date()->set_day(6);
  admin->set_email("pervova@new.nms");
  req.set_request_id("new-region-1");
  // Only a ministry-level caller: everyone else is refused, in Russian, and nothing is written.
  for (const char* login : {"teacher.a1", "school.a1", "mun.a", "regional.methodist", "federal.sync"}) {
    v1::CreateRegionResponse resp;
    auto st = Dir()->CreateRegion(Ctx(Token(login)).get(), req, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << login;
    EXPECT_NE(st.error_message().find("nmsctl region create"), std::string::npos) << st.error_message();
  }
  {
    v1::CreateRegionRequest bad = req;
    bad.mutable_region()->set_time_zone("Марс/Олимп");
    v1::CreateRegionResponse resp;
    auto st = Dir()->CreateRegion(Ctx(Token("regional.admin")).get(), bad, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("region.time_zone"), std::string::npos);
    bad = req;
    bad.mutable_first_admin()->clear_birth_date();
    st = Dir()->CreateRegion(Ctx(Token("regional.admin")).get(), bad, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("birth_date"), std::string::npos) << st.error_message();
    bad = req;
    bad.mutable_first_admin()->clear_email();
    st = Dir()->CreateRegion(Ctx(Token("regional.admin")).get(), bad, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(st.error_message().find("admin_login"), std::string::npos);
  }
  v1::CreateRegionResponse created;
  auto st = Dir()->CreateRegion(Ctx(Token("regional.admin")).get(), req, &created);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(created.region().display_name(), "Новая область");
  EXPECT_EQ(created.region().time_zone(), "Europe/Moscow");
  EXPECT_EQ(created.organization().type(), v1::ORGANIZATION_TYPE_CNPPM);
  EXPECT_EQ(created.organization().region(), created.region().name());
  EXPECT_EQ(created.login(), "pervova@new.nms");
  EXPECT_EQ(created.role_grant().role(), v1::ROLE_REGIONAL_ADMIN);
  EXPECT_EQ(created.role_grant().scope(), created.region().name());
  EXPECT_FALSE(created.one_time_password().empty());
  // A retry answers the same; another request for the same name is ALREADY_EXISTS.
  v1::CreateRegionResponse again;
  ASSERT_TRUE(Dir()->CreateRegion(Ctx(Token("regional.admin")).get(), req, &again).ok());
  EXPECT_EQ(again.region().name(), created.region().name());
  req.set_request_id("new-region-2");
  req.set_admin_login("other.login");
  EXPECT_EQ(Dir()->CreateRegion(Ctx(Token("regional.admin")).get(), req, &again).error_code(), StatusCode::ALREADY_EXISTS);

  // The new admin signs in and works in the new region, and only there.
  std::string token = SignIn(*server_->Channel(), created.login(), created.one_time_password());
  ASSERT_FALSE(token.empty());
  v1::CreateMunicipalityRequest mun;
  mun.mutable_municipality()->set_region(created.region().name());
  mun.mutable_municipality()->set_display_name("Первый район");
  mun.set_request_id("new-region-mun");
  v1::Municipality m;
  st = Dir()->CreateMunicipality(Ctx(token).get(), mun, &m);
  EXPECT_TRUE(st.ok()) << st.error_message();
  v1::Person card;
  v1::GetPersonRequest get;
  get.set_name(Person(f_.teacher_a1));
  EXPECT_EQ(Dir()->GetPerson(Ctx(token).get(), get, &card).error_code(), StatusCode::PERMISSION_DENIED);

  // nmsctl: through the server as a regional admin, and the operator's bootstrap into the database.
  auto nmsctl = [&](const std::string& args) {
    return std::system(absl::StrCat(BinaryDir(), "/nmsctl region create ", args, " --server=", server_->address(),
                                    " --db=", TestDsn("it_directory"), " >/dev/null 2>&1").c_str());
  };
  const std::string who = " --org_name='ЦНППМ' --admin_name='Вторая Вера Ивановна' --admin_birth_date=1979-03-04";
  EXPECT_NE(nmsctl("'Область через сервер'" + who + " --admin_login=second --login=teacher.a1 --password=Passw0rd!"), 0);
  EXPECT_EQ(nmsctl("'Область через сервер'" + who + " --admin_login=second --login=regional.admin --password=Passw0rd!"), 0);
  EXPECT_EQ(nmsctl("'Область оператора'" + who + " --admin_login=third"), 0);
  EXPECT_NE(nmsctl("'Область оператора'" + who + " --admin_login=fourth"), 0);  // the name is taken
  EXPECT_NE(nmsctl("'Без даты' --org_name='ЦНППМ' --admin_name='Вторая Вера' --admin_login=fifth"), 0);
  db::ConnectionPool pool(*db::ParseDsn(TestDsn("it_directory")));
  int found = 0;
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
                auto rs = db::Stmt(c, "SELECT COUNT(*) FROM regions r JOIN role_grants g ON g.scope_kind = 1 AND "
                                      "g.scope_id = r.id AND g.role = 5 JOIN accounts a ON a.id = g.account_id "
                                      "WHERE r.display_name IN ('Область через сервер', 'Область оператора') "
                                      "AND a.login IN ('second', 'third')")
                              .Query();
                rs->next();
                found = rs->getInt(1);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(found, 2);
}

TEST_F(DirectoryTest, ScopingMatrixOnPersonCards) {
  for (const auto& row : kMatrix) {
    SCOPED_TRACE(row.login);
    StatusCode code;
    Get(row.login, f_.teacher_a1, &code);
    EXPECT_EQ(code, row.read_in);
    Get(row.login, f_.teacher_b1, &code);
    EXPECT_EQ(code, row.read_out);
    EXPECT_EQ(SetPosition(row.login, f_.teacher_a1, absl::StrCat("учитель (", row.login, ")")), row.write_in);
    EXPECT_EQ(SetPosition(row.login, f_.teacher_b1, absl::StrCat("учитель (", row.login, ")")), row.write_out);
  }
}

TEST_F(DirectoryTest, ListsAreScopedToTheCaller) {
  v1::ListPeopleRequest req;
  v1::ListPeopleResponse resp;
  ASSERT_TRUE(Dir()->ListPeople(Ctx(Token("school.a1")).get(), req, &resp).ok());
  ASSERT_GT(resp.people_size(), 0);
  for (const auto& p : resp.people()) EXPECT_EQ(p.organization(), Org(f_.school_a1));
  req.set_parent(Org(f_.school_b1));
  EXPECT_EQ(Dir()->ListPeople(Ctx(Token("school.a1")).get(), req, &resp).error_code(), StatusCode::PERMISSION_DENIED);
  req.set_parent(absl::StrCat("municipalities/", f_.mun_b));
  EXPECT_EQ(Dir()->ListPeople(Ctx(Token("mun.a")).get(), req, &resp).error_code(), StatusCode::PERMISSION_DENIED);
  req.set_parent("");
  resp.Clear();
  ASSERT_TRUE(Dir()->ListPeople(Ctx(Token("teacher.a1")).get(), req, &resp).ok());
  ASSERT_EQ(resp.people_size(), 1);
  EXPECT_EQ(resp.people(0).name(), Person(f_.teacher_a1));

  v1::ListOrganizationsRequest oreq;
  v1::ListOrganizationsResponse oresp;
  ASSERT_TRUE(Dir()->ListOrganizations(Ctx(Token("mun.a")).get(), oreq, &oresp).ok());
  EXPECT_EQ(oresp.total_size(), 2);  // the two schools of municipality A
  for (const auto& o : oresp.organizations()) EXPECT_EQ(o.municipality(), absl::StrCat("municipalities/", f_.mun_a));
  oreq.set_parent(absl::StrCat("regions/", f_.region));
  EXPECT_EQ(Dir()->ListOrganizations(Ctx(Token("mun.a")).get(), oreq, &oresp).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Dir()->ListOrganizations(Ctx(Token("regional.methodist")).get(), oreq, &oresp).ok());
  EXPECT_EQ(oresp.total_size(), 4);
}

TEST_F(DirectoryTest, UnknownIdsAreNotFoundOnlyForRegionWideCallers) {
  StatusCode code;
  Get("regional.admin", 987654, &code);
  EXPECT_EQ(code, StatusCode::NOT_FOUND);
  // A school admin cannot tell a missing id from another school's person.
  Get("school.a1", 987654, &code);
  EXPECT_EQ(code, StatusCode::PERMISSION_DENIED);
}

TEST_F(DirectoryTest, MalformedInputNamesTheField) {
  v1::GetPersonRequest req;
  req.set_name("people/abc");
  v1::Person resp;
  auto st = Dir()->GetPerson(Ctx(Token("regional.admin")).get(), req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("name"), std::string::npos);

  v1::CreatePersonRequest creq;
  auto* p = creq.mutable_person();
  p->set_organization(Org(f_.school_a1));
  p->set_last_name("Новикова");
  p->set_first_name("Ольга");
  p->set_position("учитель");
  p->set_email("not an email");
  p->mutable_birth_date()->set_year(1990);
  p->mutable_birth_date()->set_month(2);
  p->mutable_birth_date()->set_day(30);
  st = Dir()->CreatePerson(Ctx(Token("school.a1")).get(), creq, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("birth_date"), std::string::npos);
  p->mutable_birth_date()->set_day(28);
  st = Dir()->CreatePerson(Ctx(Token("school.a1")).get(), creq, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("email"), std::string::npos);

  v1::UpdatePersonRequest ureq;
  ureq.mutable_person()->set_name(Person(f_.teacher_a1));
  ureq.mutable_update_mask()->add_paths("organization_secret");
  st = Dir()->UpdatePerson(Ctx(Token("school.a1")).get(), ureq, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("update_mask"), std::string::npos);
}

TEST_F(DirectoryTest, CreateIsIdempotentAndDuplicatesAreRejected) {
  v1::CreatePersonRequest req;
  req.set_request_id("create-kozlova-1");
  auto* p = req.mutable_person();
  p->set_organization(Org(f_.school_a1));
  p->set_external_id("EXT-NEW-1");
  p->set_last_name("Козлова");
  p->set_first_name("Мария");
  p->set_position("учитель");
  p->add_subjects("Химия");
  *p->mutable_birth_date() = [] { v1::Date d; d.set_year(1995); d.set_month(3); d.set_day(4); return d; }();
  v1::Person first, second;
  ASSERT_TRUE(Dir()->CreatePerson(Ctx(Token("school.a1")).get(), req, &first).ok());
  ASSERT_TRUE(Dir()->CreatePerson(Ctx(Token("school.a1")).get(), req, &second).ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(first.subjects(0), "химия");
  v1::ListPeopleRequest lreq;
  lreq.set_query("EXT-NEW-1");
  v1::ListPeopleResponse lresp;
  ASSERT_TRUE(Dir()->ListPeople(Ctx(Token("regional.admin")).get(), lreq, &lresp).ok());
  EXPECT_EQ(lresp.total_size(), 1);
  // Same key, different request: refused, not silently answered with the old response.
  p->set_first_name("Мариам");
  auto st = Dir()->CreatePerson(Ctx(Token("school.a1")).get(), req, &second);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  // New key, same external id: ALREADY_EXISTS.
  req.set_request_id("create-kozlova-2");
  st = Dir()->CreatePerson(Ctx(Token("school.a1")).get(), req, &second);
  EXPECT_EQ(st.error_code(), StatusCode::ALREADY_EXISTS);
}

TEST_F(DirectoryTest, StaleVersionIsRejectedAndNothingIsOverwritten) {
  StatusCode code;
  v1::Person current = Get("school.a1", f_.teacher_a1, &code);
  ASSERT_EQ(code, StatusCode::OK);
  v1::UpdatePersonRequest req;
  *req.mutable_person() = current;
  req.mutable_person()->set_phone("+79001112233");
  req.mutable_update_mask()->add_paths("phone");
  v1::Person updated;
  ASSERT_TRUE(Dir()->UpdatePerson(Ctx(Token("school.a1")).get(), req, &updated).ok());
  EXPECT_EQ(updated.version(), current.version() + 1);
  req.mutable_person()->set_phone("+79009998877");  // still carries the old version
  auto st = Dir()->UpdatePerson(Ctx(Token("school.a1")).get(), req, &updated);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get("school.a1", f_.teacher_a1).phone(), "+79001112233");
}

// A teacher keeps their own contacts (phone, e-mail); the rest of the card stays with the school:
// a field the teacher does not own is refused naming it, another teacher's card is refused
// whatever the field, and the version still guards concurrent edits.
TEST_F(DirectoryTest, TeacherEditsOwnContactsOnly) {
  v1::Person mine = Get("teacher.a1", f_.teacher_a1);
  ASSERT_FALSE(mine.name().empty());
  int seq = 0;
  auto update = [&](const std::string& login, const v1::Person& person, std::initializer_list<const char*> paths,
                    v1::Person* out) {
    v1::UpdatePersonRequest req;
    *req.mutable_person() = person;
    for (const char* path : paths) req.mutable_update_mask()->add_paths(path);
    req.set_request_id(absl::StrCat("self-", login, "-", ++seq));
    return Dir()->UpdatePerson(Ctx(Token(login)).get(), req, out);
  };
  v1::Person edited = mine;
  edited.set_phone("+79123456789");
  edited.set_email("anna.ivanova@school.example");
  v1::Person after;
  auto st = update("teacher.a1", edited, {"phone", "email"}, &after);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(after.phone(), "+79123456789");
  EXPECT_EQ(after.email(), "anna.ivanova@school.example");
  EXPECT_EQ(after.version(), mine.version() + 1);
  EXPECT_EQ(after.last_name(), mine.last_name());

  // A field the school keeps: refused, naming it; nothing written.
  v1::Person renamed = after;
  renamed.set_last_name("Другая");
  renamed.set_phone("+79120000000");
  v1::Person ignored;
  st = update("teacher.a1", renamed, {"phone", "last_name"}, &ignored);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("last_name"), std::string::npos) << st.error_message();
  for (const char* path : {"position", "birth_date", "subjects"}) {
    st = update("teacher.a1", renamed, {path}, &ignored);
    EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << path;
    EXPECT_NE(st.error_message().find(path), std::string::npos) << st.error_message();
  }
  // An empty mask means every field: refused too.
  st = update("teacher.a1", renamed, {}, &ignored);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  v1::Person stored = Get("regional.admin", f_.teacher_a1);
  EXPECT_EQ(stored.last_name(), mine.last_name());
  EXPECT_EQ(stored.phone(), "+79123456789");

  // Another teacher's card (another school, and a colleague's in the same municipality).
  for (int64_t other : {f_.teacher_b1, f_.teacher_a2}) {
    v1::Person theirs = Get("regional.admin", other);
    theirs.set_phone("+79990001122");
    st = update("teacher.a1", theirs, {"phone"}, &ignored);
    EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << other;
    EXPECT_NE(Get("regional.admin", other).phone(), "+79990001122");
  }

  // Bad input and a stale version.
  v1::Person bad = after;
  bad.set_email("не почта");
  st = update("teacher.a1", bad, {"email"}, &ignored);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  v1::Person stale = mine;  // the version before the first edit
  stale.set_phone("+79121112233");
  st = update("teacher.a1", stale, {"phone"}, &ignored);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get("regional.admin", f_.teacher_a1).phone(), "+79123456789");
}

std::string Csv(std::initializer_list<std::string> rows) {
  std::string out = "внешний_id;фамилия;имя;отчество;дата_рождения;должность;предметы;email\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

TEST_F(DirectoryTest, CsvImportReportsBadRowsAndImportsGoodRowsOnce) {
  std::string csv = Csv({
      "CSV-1;Орлова;Ирина;Викторовна;12.04.1988;учитель;математика;orlova@a1.ru",
      "CSV-2;Белов;Игорь;;31.02.1990;учитель;физика;",
      "CSV-3;Зайцева;Дарья;Олеговна;01.09.1999;учитель;русский язык|литература;",
      "CSV-4;;Пётр;;01.01.1980;учитель;;",
      "CSV-5;Никитина;Вера;;05.05.1975;учитель;;bad-email",
  });
  v1::ImportTeachersRequest req;
  req.set_organization(Org(f_.school_a1));
  req.set_csv(csv);
  req.set_validate_only(true);
  v1::ImportTeachersResponse resp;
  ASSERT_TRUE(Dir()->ImportTeachers(Ctx(Token("school.a1")).get(), req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 2);
  EXPECT_EQ(resp.rejected_count(), 3);
  v1::ListPeopleRequest lreq;
  lreq.set_query("CSV-1");
  v1::ListPeopleResponse lresp;
  ASSERT_TRUE(Dir()->ListPeople(Ctx(Token("school.a1")).get(), lreq, &lresp).ok());
  EXPECT_EQ(lresp.total_size(), 0) << "validate_only must not write";

  req.set_validate_only(false);
  req.set_request_id("import-1");
  ASSERT_TRUE(Dir()->ImportTeachers(Ctx(Token("school.a1")).get(), req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 2);
  EXPECT_EQ(resp.rejected_count(), 3);
  ASSERT_EQ(resp.rows_size(), 5);
  EXPECT_EQ(resp.rows(1).line(), 3);
  EXPECT_EQ(resp.rows(1).outcome(), v1::IMPORT_ROW_OUTCOME_REJECTED);
  EXPECT_NE(resp.rows(1).errors(0).find("дата"), std::string::npos);
  EXPECT_NE(resp.rows(3).errors(0).find("last_name"), std::string::npos);
  EXPECT_NE(resp.rows(4).errors(0).find("email"), std::string::npos);

  // Importing the same file again (new request) changes nothing.
  req.set_request_id("import-2");
  ASSERT_TRUE(Dir()->ImportTeachers(Ctx(Token("school.a1")).get(), req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 0);
  EXPECT_EQ(resp.unchanged_count(), 2);

  // A corrected file updates the changed row and creates the fixed ones.
  req.set_csv(Csv({
      "CSV-1;Орлова;Ирина;Викторовна;12.04.1988;учитель;математика|информатика;orlova@a1.ru",
      "CSV-2;Белов;Игорь;;28.02.1990;учитель;физика;",
  }));
  req.set_request_id("import-3");
  ASSERT_TRUE(Dir()->ImportTeachers(Ctx(Token("school.a1")).get(), req, &resp).ok());
  EXPECT_EQ(resp.updated_count(), 1);
  EXPECT_EQ(resp.created_count(), 1);

  // Another school's admin cannot import into this school, nor take over its people.
  req.set_request_id("import-4");
  EXPECT_EQ(Dir()->ImportTeachers(Ctx(Token("school.a1")).get(),
                                  [&] { auto r = req; r.set_organization(Org(f_.school_b1)); return r; }(), &resp)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  req.set_organization(Org(f_.school_a2));
  req.set_request_id("import-5");
  ASSERT_TRUE(Dir()->ImportTeachers(Ctx(Token("mun.a")).get(), req, &resp).ok());
  EXPECT_EQ(resp.rejected_count(), 2) << "external ids of school A1 must not move silently";

  // A file-level problem is one clear error.
  req.set_csv("фамилия;имя\nИванов;Иван\n");
  req.set_request_id("import-6");
  auto st = Dir()->ImportTeachers(Ctx(Token("mun.a")).get(), req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("external_id"), std::string::npos);
}

TEST_F(DirectoryTest, PaginationCoversEveryoneOnce) {
  v1::ListPeopleRequest req;
  req.set_parent(absl::StrCat("regions/", f_.region));
  req.set_page_size(2);
  std::set<std::string> seen;
  int total = 0;
  for (int page = 0; page < 100; ++page) {
    v1::ListPeopleResponse resp;
    ASSERT_TRUE(Dir()->ListPeople(Ctx(Token("regional.methodist")).get(), req, &resp).ok());
    total = resp.total_size();
    for (const auto& p : resp.people()) EXPECT_TRUE(seen.insert(p.name()).second) << p.name();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(static_cast<int>(seen.size()), total);
  EXPECT_GE(total, 7);
}

TEST_F(DirectoryTest, ChangesWriteAuditAndOutboxInTheSameTransaction) {
  EXPECT_EQ(SetPosition("school.a1", f_.teacher_a1, "учитель-методист"), StatusCode::OK);
  auto config = db::ParseDsn(TestDsn("it_directory"));
  db::ConnectionPool pool(*config);
  int audits = 0, outbox = 0;
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) {
    auto a = db::Stmt(c, "SELECT COUNT(*) FROM audit_log WHERE resource = ? AND action = 'UpdatePerson'")
                 .Str(Person(f_.teacher_a1)).Query();
    a->next();
    audits = a->getInt(1);
    auto o = db::Stmt(c, "SELECT COUNT(*) FROM outbox WHERE resource = ? AND entity_type = 'teacher'")
                 .Str(Person(f_.teacher_a1)).Query();
    o->next();
    outbox = o->getInt(1);
    return absl::OkStatus();
  }).ok());
  EXPECT_GE(audits, 1);
  EXPECT_EQ(audits, outbox);
}

TEST_F(DirectoryTest, AccountsAndRoleGrantsRespectStrength) {
  v1::CreateAccountRequest areq;
  areq.set_person(Person(f_.teacher_a2));
  areq.set_login("petrova@a2.ru");
  v1::CreateAccountResponse aresp;
  // School A1's admin cannot create accounts in school A2; the municipal methodist can.
  EXPECT_EQ(Dir()->CreateAccount(Ctx(Token("school.a1")).get(), areq, &aresp).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Dir()->CreateAccount(Ctx(Token("mun.a")).get(), areq, &aresp).ok());
  EXPECT_EQ(aresp.one_time_password().size(), 10u);
  SignIn(*server_->Channel(), "petrova@a2.ru", aresp.one_time_password());

  v1::CreateRoleGrantRequest greq;
  greq.mutable_role_grant()->set_account(aresp.account());
  greq.mutable_role_grant()->set_role(v1::ROLE_REGIONAL_ADMIN);
  greq.mutable_role_grant()->set_scope(absl::StrCat("regions/", f_.region));
  v1::RoleGrant grant;
  EXPECT_EQ(Dir()->CreateRoleGrant(Ctx(Token("mun.a")).get(), greq, &grant).error_code(), StatusCode::PERMISSION_DENIED);
  greq.mutable_role_grant()->set_role(v1::ROLE_TEACHER);
  greq.mutable_role_grant()->set_scope(Org(f_.school_a2));
  ASSERT_TRUE(Dir()->CreateRoleGrant(Ctx(Token("mun.a")).get(), greq, &grant).ok());
  greq.mutable_role_grant()->set_scope(absl::StrCat("municipalities/", f_.mun_a));
  EXPECT_EQ(Dir()->CreateRoleGrant(Ctx(Token("mun.a")).get(), greq, &grant).error_code(), StatusCode::INVALID_ARGUMENT);
}

// A regional methodist is appointed only with the regulation's qualification: the highest
// category, higher pedagogical education, five years of work — refused with what is missing.
TEST_F(DirectoryTest, RegionalMethodistIsAppointedOnlyWithTheRequiredQualification) {
  v1::CreatePersonRequest preq;
  auto* card = preq.mutable_person();
  card->set_organization(Org(f_.school_b1));
  card->set_last_name("Методистова");
  card->set_first_name("Елена");
  card->mutable_birth_date()->set_year(1975);
  card->mutable_birth_date()->set_month(3);
  card->mutable_birth_date()->set_day(4);
  card->set_position("учитель математики");
  card->set_qualification_category(v1::QUALIFICATION_CATEGORY_FIRST);
  card->set_education(v1::EDUCATION_LEVEL_HIGHER);
  card->mutable_work_start_date()->set_year(2023);
  card->mutable_work_start_date()->set_month(9);
  card->mutable_work_start_date()->set_day(1);
  preq.set_request_id("methodist-card");
  v1::Person person;
  ASSERT_TRUE(Dir()->CreatePerson(Ctx(Token("regional.admin")).get(), preq, &person).ok());
  v1::CreateAccountRequest areq;
  areq.set_person(person.name());
  areq.set_login("metodistova@b1.ru");
  areq.set_request_id("methodist-account");
  v1::CreateAccountResponse account;
  ASSERT_TRUE(Dir()->CreateAccount(Ctx(Token("regional.admin")).get(), areq, &account).ok());
  v1::CreateRoleGrantRequest greq;
  greq.mutable_role_grant()->set_account(account.account());
  greq.mutable_role_grant()->set_role(v1::ROLE_REGIONAL_METHODIST);
  greq.mutable_role_grant()->set_scope(absl::StrCat("regions/", f_.region));
  v1::RoleGrant grant;
  auto st = Dir()->CreateRoleGrant(Ctx(Token("regional.admin")).get(), greq, &grant);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  for (const char* missing : {"категория — первая, нужна высшая", "высшее непедагогическое, нужно высшее педагогическое",
                              "стаж работы"}) {
    EXPECT_NE(st.error_message().find(missing), std::string::npos) << st.error_message();
  }
  // The card brought up to the requirements: the appointment goes through.
  person.set_qualification_category(v1::QUALIFICATION_CATEGORY_HIGHEST);
  person.set_education(v1::EDUCATION_LEVEL_HIGHER_PEDAGOGICAL);
  person.mutable_work_start_date()->set_year(2015);
  v1::UpdatePersonRequest ureq;
  *ureq.mutable_person() = person;
  for (const char* path : {"qualification_category", "education", "work_start_date"}) ureq.mutable_update_mask()->add_paths(path);
  v1::Person updated;
  st = Dir()->UpdatePerson(Ctx(Token("regional.admin")).get(), ureq, &updated);
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = Dir()->CreateRoleGrant(Ctx(Token("regional.admin")).get(), greq, &grant);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(grant.role(), v1::ROLE_REGIONAL_METHODIST);
}

TEST_F(DirectoryTest, TerritoryWritesAreForTheRegionalAdmin) {
  v1::CreateMunicipalityRequest req;
  req.mutable_municipality()->set_region(absl::StrCat("regions/", f_.region));
  req.mutable_municipality()->set_display_name("Город В");
  req.mutable_municipality()->set_district(absl::StrCat("districts/", f_.district));
  v1::Municipality m;
  EXPECT_EQ(Dir()->CreateMunicipality(Ctx(Token("regional.methodist")).get(), req, &m).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Dir()->CreateMunicipality(Ctx(Token("regional.admin")).get(), req, &m).ok());
  EXPECT_EQ(m.display_name(), "Город В");
  v1::CreateOrganizationRequest oreq;
  oreq.mutable_organization()->set_region(absl::StrCat("regions/", f_.region));
  oreq.mutable_organization()->set_municipality(absl::StrCat("municipalities/", f_.mun_b));
  oreq.mutable_organization()->set_type(v1::ORGANIZATION_TYPE_SCHOOL);
  oreq.mutable_organization()->set_display_name("Школа Б2");
  v1::Organization o;
  EXPECT_EQ(Dir()->CreateOrganization(Ctx(Token("mun.a")).get(), oreq, &o).error_code(), StatusCode::PERMISSION_DENIED);
  oreq.mutable_organization()->set_municipality(absl::StrCat("municipalities/", f_.mun_a));
  ASSERT_TRUE(Dir()->CreateOrganization(Ctx(Token("mun.a")).get(), oreq, &o).ok());
  EXPECT_EQ(o.district(), absl::StrCat("districts/", f_.district));
}

// Employments carry the position category the indicators count by (issue 15): validated, and
// derived from the management role when not given.
TEST_F(DirectoryTest, EmploymentsCarryAPositionCategory) {
  auto create = [&](v1::PositionCategory category, v1::ManagementRole role, const char* position, v1::Employment* out) {
    v1::CreateEmploymentRequest req;
    auto* e = req.mutable_employment();
    e->set_person(Person(f_.teacher_b1));
    e->set_organization(Org(f_.school_b1));
    e->set_position(position);
    e->set_management_role(role);
    e->set_position_category(category);
    e->mutable_start_date()->set_year(2026);
    e->mutable_start_date()->set_month(1);
    e->mutable_start_date()->set_day(12);
    return Dir()->CreateEmployment(Ctx(Token("regional.admin")).get(), req, out);
  };
  v1::Employment e;
  auto st = create(static_cast<v1::PositionCategory>(7), v1::MANAGEMENT_ROLE_UNSPECIFIED, "лаборант", &e);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("employment.position_category"), std::string::npos) << st.error_message();
  ASSERT_TRUE(create(v1::POSITION_CATEGORY_OTHER, v1::MANAGEMENT_ROLE_UNSPECIFIED, "лаборант", &e).ok());
  EXPECT_EQ(e.position_category(), v1::POSITION_CATEGORY_OTHER);
  ASSERT_TRUE(create(v1::POSITION_CATEGORY_UNSPECIFIED, v1::MANAGEMENT_ROLE_DEPUTY, "заместитель директора", &e).ok());
  EXPECT_EQ(e.position_category(), v1::POSITION_CATEGORY_MANAGER);
  ASSERT_TRUE(create(v1::POSITION_CATEGORY_UNSPECIFIED, v1::MANAGEMENT_ROLE_UNSPECIFIED, "педагог-психолог", &e).ok());
  EXPECT_EQ(e.position_category(), v1::POSITION_CATEGORY_PEDAGOGICAL);
}

}  // namespace
}  // namespace nms::testing
