// Input handled the same way by every list and field (issue 14, item 5), against a real server:
//   - every List* RPC of the API, found through the descriptors and called with the valid request of
//     the authorisation matrix, refuses a negative page_size and a forged, truncated or foreign page
//     token (one from another list, or from the same list with another filter) with
//     INVALID_ARGUMENT naming page_token, and follows its own tokens to the next page;
//   - every list spells enum values in filters the same way (full name, short name in any case, a
//     defined number) and refuses an unknown number with a message saying so;
//   - one canonical resource name ("people/0004" is refused, not read as "people/4");
//   - a phone without digits is refused, never silently cleared; an enum field outside its enum
//     says so; an unset date comes back unset, not as 0/0/0; a blank subject filter is refused.
#include <gtest/gtest.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nms/v1/directory.pb.h"
#include "server/domain/common/page_token.h"
#include "tests/integration/harness.h"
#include "tests/integration/security_stack.h"
#include "tests/support/api_surface.h"
#include "tests/support/authz_table.h"

namespace nms::testing {
namespace {

using google::protobuf::Message;
using grpc::StatusCode;

constexpr char kDb[] = "it_list_input";

class ListInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new SecurityStack();
    ASSERT_NO_FATAL_FAILURE(StartSecurityStack(kDb, "--log_level=info", stack_));
    driver_ = new MatrixDriver(stack_->table, stack_->world, stack_->server->Channel());
    // Every object of the table in every corner, so most lists have more than one row.
    auto problems = driver_->PrepareObjects();
    ASSERT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n  ");
  }
  static void TearDownTestSuite() {
    delete driver_;
    delete stack_;
    driver_ = nullptr;
    stack_ = nullptr;
  }

  // A valid request of `method` and the caller it succeeds for (page_size 1), or nullptr.
  struct Valid {
    std::unique_ptr<Message> request;
    std::string login;
    std::string next_token;  // of the first page
  };
  static Valid FindValid(const std::string& method) {
    Valid out;
    const MatrixRow* row = stack_->table.Find(method);
    if (row == nullptr) return out;
    const RpcMethod* m = ApiSurface::Get().Find(method);
    for (const char* login :
         {"regional.admin", "regional.methodist", "mun.a", "school.a1", "teacher.a1", "federal.sync"}) {
      const RoleCase& role = stack_->Role(login);
      if (role.login != login || !PolicyAllows(*row, role, role.in)) continue;
      MatrixDriver::Expansion how;
      auto req = driver_->Request(*row, role.in, false, &how);
      if (req == nullptr) continue;
      SetInt(req.get(), "page_size", 1);
      CallResult r = CallAs(login, *m, *req);
      if (!r.status.ok() || r.responses.empty()) continue;
      auto resp = ApiSurface::Get().NewResponse(*m);
      if (!resp->ParseFromString(r.responses.front())) continue;
      out.next_token = FieldPathValue(*resp, "next_page_token");
      out.request = std::move(req);
      out.login = login;
      return out;
    }
    return out;
  }

  static CallResult CallAs(const std::string& login, const RpcMethod& m, const Message& req) {
    CallOptions options;
    options.bearer_token = driver_->Token(login);
    return Call(driver_->channel(), m, req, options);
  }
  static CallResult CallAs(const std::string& login, const std::string& method, const std::string& text) {
    const RpcMethod* m = ApiSurface::Get().Find(method);
    auto req = ApiSurface::Get().ParseRequest(*m, text);
    EXPECT_TRUE(req.ok()) << method << ": " << req.status();
    if (!req.ok()) return {};
    return CallAs(login, *m, **req);
  }

  static void SetInt(Message* msg, const char* field, int v) {
    const auto* f = msg->GetDescriptor()->FindFieldByName(field);
    ASSERT_NE(f, nullptr) << msg->GetDescriptor()->full_name() << " has no " << field;
    msg->GetReflection()->SetInt32(msg, f, v);
  }
  static void SetStr(Message* msg, const char* field, const std::string& v) {
    const auto* f = msg->GetDescriptor()->FindFieldByName(field);
    ASSERT_NE(f, nullptr) << msg->GetDescriptor()->full_name() << " has no " << field;
    msg->GetReflection()->SetString(msg, f, v);
  }
  static std::string GetStr(const Message& msg, const char* field) {
    const auto* f = msg.GetDescriptor()->FindFieldByName(field);
    return f == nullptr ? "" : msg.GetReflection()->GetString(msg, f);
  }

  static SecurityStack* stack_;
  static MatrixDriver* driver_;
};
SecurityStack* ListInput::stack_ = nullptr;
MatrixDriver* ListInput::driver_ = nullptr;

// The List* RPCs that page: request with page_size and page_token.
std::vector<const RpcMethod*> PagedLists() {
  std::vector<const RpcMethod*> out;
  for (const auto& m : ApiSurface::Get().methods()) {
    const auto* in = m.descriptor->input_type();
    if (absl::StartsWith(m.method, "List") && in->FindFieldByName("page_size") != nullptr &&
        in->FindFieldByName("page_token") != nullptr) {
      out.push_back(&m);
    }
  }
  return out;
}

TEST_F(ListInput, EveryListRefusesNegativeSizesAndForgedTruncatedOrForeignTokens) {
  const auto lists = PagedLists();
  ASSERT_GE(lists.size(), 40u) << "the descriptor walk found too few lists";
  // A real token of a list with many rows, to be offered to every other list.
  Valid people = FindValid("DirectoryService/ListPeople");
  ASSERT_NE(people.request, nullptr);
  ASSERT_FALSE(people.next_token.empty()) << "ListPeople of the fixture has more than one person";
  std::vector<std::string> exercised, with_tokens, unreachable;
  for (const RpcMethod* m : lists) {
    SCOPED_TRACE(m->key);
    Valid v = FindValid(m->key);
    if (v.request == nullptr) {
      unreachable.push_back(m->key);
      continue;
    }
    exercised.push_back(m->key);
    auto expect_refused = [&](const Message& req, const char* what, const char* field) {
      CallResult r = CallAs(v.login, *m, req);
      EXPECT_EQ(r.status.error_code(), StatusCode::INVALID_ARGUMENT) << what << ": " << r.status.error_message();
      EXPECT_NE(r.status.error_message().find(absl::StrCat("Поле ", field)), std::string::npos)
          << what << ": " << r.status.error_message();
    };
    std::unique_ptr<Message> req(v.request->New());

    req->CopyFrom(*v.request);
    SetInt(req.get(), "page_size", -1);
    expect_refused(*req, "negative page_size", "page_size");

    std::vector<std::pair<std::string, std::string>> bad_tokens = {
        {"garbage", "not a token!"},
        {"base64 of nothing", "AAAA"},
        {"forged for another request", EncodePageToken(RequestFingerprint({"forged"}), {"1"})},
    };
    if (m->key != "DirectoryService/ListPeople") bad_tokens.push_back({"token of ListPeople", people.next_token});
    if (!v.next_token.empty()) {
      with_tokens.push_back(m->key);
      bad_tokens.push_back({"truncated", v.next_token.substr(0, v.next_token.size() - 2)});
      bad_tokens.push_back({"one byte changed", v.next_token.substr(0, 10) +
                                                    (v.next_token[10] == 'A' ? "B" : "A") + v.next_token.substr(11)});
    }
    for (const auto& [what, token] : bad_tokens) {
      req->CopyFrom(*v.request);
      SetStr(req.get(), "page_token", token);
      expect_refused(*req, what.c_str(), "page_token");
    }
    if (v.next_token.empty()) continue;
    // Its own token goes on to the next page, with any page size...
    req->CopyFrom(*v.request);
    SetStr(req.get(), "page_token", v.next_token);
    SetInt(req.get(), "page_size", 2);
    CallResult next = CallAs(v.login, *m, *req);
    EXPECT_TRUE(next.status.ok()) << "next page: " << next.status.error_message();
    // ...but not for another query of the same list.
    if (req->GetDescriptor()->FindFieldByName("filter") != nullptr) {
      SetStr(req.get(), "filter", GetStr(*v.request, "filter") + " ");
      expect_refused(*req, "token of another filter", "page_token");
    }
  }
  std::printf("lists: %zu found, %zu exercised, %zu with a second page; not callable from the table: %s\n",
              lists.size(), exercised.size(), with_tokens.size(), absl::StrJoin(unreachable, ", ").c_str());
  EXPECT_TRUE(unreachable.empty()) << absl::StrJoin(unreachable, ", ");
  EXPECT_GE(with_tokens.size(), 15u) << "too few lists had a second page to check their own tokens: "
                                     << absl::StrJoin(with_tokens, ", ");
}

// One spelling of enum values in every list's filter.
TEST_F(ListInput, EveryListSpellsEnumFiltersTheSameWay) {
  struct Case {
    const char* method;
    const char* field;
    const char* enum_type;
  };
  const Case cases[] = {
      {"RouteService/ListRoutes", "status", "nms.v1.RouteStatus"},
      {"RouteService/ListActivities", "kind", "nms.v1.ActivityKind"},
      {"DiagnosticsService/ListCampaigns", "state", "nms.v1.CampaignState"},
      {"MentoringService/ListMentoringPairs", "status", "nms.v1.MentoringPairStatus"},
      {"MentoringService/ListMentorProfiles", "status", "nms.v1.MentorProfileStatus"},
      {"YoungTeacherService/ListSupportMeasures", "kind", "nms.v1.SupportMeasureKind"},
      {"MonitoringService/ListTrainingCompletions", "source", "nms.v1.FactSource"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method);
    const auto* e = ApiSurface::Get().pool().FindEnumTypeByName(c.enum_type);
    ASSERT_NE(e, nullptr) << c.enum_type;
    ASSERT_GE(e->value_count(), 2);
    const auto* value = e->value(1);
    const std::string full = value->name();
    std::string prefix = e->value(0)->name();  // X_UNSPECIFIED
    prefix = prefix.substr(0, prefix.rfind('_') + 1);
    std::string short_lower = absl::AsciiStrToLower(full.substr(prefix.size()));
    Valid v = FindValid(c.method);
    ASSERT_NE(v.request, nullptr);
    const RpcMethod* m = ApiSurface::Get().Find(c.method);
    std::unique_ptr<Message> req(v.request->New());
    for (const std::string& spelling : {full, short_lower, absl::StrCat(value->number())}) {
      req->CopyFrom(*v.request);
      SetStr(req.get(), "filter", absl::StrCat(c.field, " = ", spelling));
      CallResult r = CallAs(v.login, *m, *req);
      EXPECT_TRUE(r.status.ok()) << c.field << " = " << spelling << ": " << r.status.error_message();
    }
    for (const std::string& bad : {std::string("999"), std::string("0"), prefix + "UNSPECIFIED", std::string("NO_SUCH")}) {
      req->CopyFrom(*v.request);
      SetStr(req.get(), "filter", absl::StrCat(c.field, " = ", bad));
      CallResult r = CallAs(v.login, *m, *req);
      EXPECT_EQ(r.status.error_code(), StatusCode::INVALID_ARGUMENT) << c.field << " = " << bad;
      EXPECT_NE(r.status.error_message().find("неизвестное значение"), std::string::npos)
          << c.field << " = " << bad << ": " << r.status.error_message();
    }
  }
}

TEST_F(ListInput, OneCanonicalResourceName) {
  const RoleCase& admin = stack_->Role("regional.admin");
  const std::string person = absl::StrCat(admin.in.person);
  const std::string org = absl::StrCat(admin.in.organization);
  EXPECT_TRUE(CallAs("regional.admin", "DirectoryService/GetPerson", "name: \"people/" + person + "\"").status.ok());
  for (const std::string& text :
       {"name: \"people/00" + person + "\"", "name: \"people/+" + person + "\"", "name: \"people/" + person + " \""}) {
    CallResult r = CallAs("regional.admin", "DirectoryService/GetPerson", text);
    EXPECT_EQ(r.status.error_code(), StatusCode::INVALID_ARGUMENT) << text << ": " << r.status.error_message();
  }
  CallResult parent = CallAs("regional.admin", "DirectoryService/ListPeople", "parent: \"organizations/0" + org + "\"");
  EXPECT_EQ(parent.status.error_code(), StatusCode::INVALID_ARGUMENT) << parent.status.error_message();
  EXPECT_NE(parent.status.error_message().find("Поле parent"), std::string::npos) << parent.status.error_message();
  CallResult filter =
      CallAs("regional.admin", "RouteService/ListRoutes", "filter: \"person = \\\"people/0" + person + "\\\"\"");
  EXPECT_EQ(filter.status.error_code(), StatusCode::INVALID_ARGUMENT) << filter.status.error_message();
  EXPECT_NE(filter.status.error_message().find("Поле filter"), std::string::npos) << filter.status.error_message();
}

// A refusal that quotes the request quotes a bounded part of it: the status message travels in an
// HTTP/2 header, and a client receiving a header of tens of kilobytes closes the whole connection
// (every other call on it fails with "Transport closed"; the fuzzer found it).
TEST_F(ListInput, RefusalsQuoteLongValuesShortlyAndTheConnectionSurvives) {
  const RoleCase& admin = stack_->Role("regional.admin");
  const std::string region = absl::StrCat("regions/", admin.in.region);
  const std::string huge(70000, 'f');
  CallResult mask = CallAs("regional.admin", "DirectoryService/UpdateRegion",
                           absl::StrCat("region { name: \"", region, "\" version: 1 } update_mask { paths: \"", huge,
                                        "\" } request_id: \"list-input-long-mask\""));
  EXPECT_EQ(mask.status.error_code(), StatusCode::INVALID_ARGUMENT) << mask.status.error_message().substr(0, 200);
  EXPECT_NE(mask.status.error_message().find("update_mask: поле \"ffff"), std::string::npos);
  EXPECT_LE(mask.status.error_message().size(), 1024u);
  CallResult filter = CallAs("regional.admin", "DiagnosticsService/ListCampaigns",
                             absl::StrCat("filter: \"", std::string(5000, 'd'), "\""));
  EXPECT_EQ(filter.status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(filter.status.error_message().size(), 1024u);
  // The same connection still serves an ordinary call.
  EXPECT_TRUE(CallAs("regional.admin", "DirectoryService/GetPerson", absl::StrCat("name: \"people/", admin.in.person, "\"")).status.ok());
}

TEST_F(ListInput, ValuesAreRefusedNotClearedAndUnsetDatesStayUnset) {
  const RoleCase& admin = stack_->Role("regional.admin");
  const std::string org = absl::StrCat("organizations/", admin.in.organization);
  auto create = [&](const std::string& extra, const std::string& key) {
    return CallAs("regional.admin", "DirectoryService/CreatePerson",
                  absl::StrCat("person { organization: \"", org,
                               "\" last_name: \"Датова\" first_name: \"Нина\" birth_date { year: 1990 month: 1 day: 1 } "
                               "position: \"учитель\" ",
                               extra, " } request_id: \"", key, "\""));
  };
  // A phone that normalises to nothing is refused, not stored empty.
  CallResult phone = create("phone: \"нет\"", "list-input-phone");
  EXPECT_EQ(phone.status.error_code(), StatusCode::INVALID_ARGUMENT) << phone.status.error_message();
  EXPECT_NE(phone.status.error_message().find("phone"), std::string::npos) << phone.status.error_message();
  // A person without a work start date reads back without one (not 0/0/0).
  CallResult created = create("", "list-input-dates");
  ASSERT_TRUE(created.status.ok()) << created.status.error_message();
  nms::v1::Person person;
  ASSERT_TRUE(person.ParseFromString(created.responses.front()));
  EXPECT_TRUE(person.has_birth_date());
  EXPECT_FALSE(person.has_work_start_date());
  CallResult got = CallAs("regional.admin", "DirectoryService/GetPerson", "name: \"" + person.name() + "\"");
  ASSERT_TRUE(got.status.ok()) << got.status.error_message();
  ASSERT_TRUE(person.ParseFromString(got.responses.front()));
  EXPECT_FALSE(person.has_work_start_date());
  // An enum outside its enum says so and names the field sent.
  nms::v1::CreateOrganizationRequest org_req;
  org_req.mutable_organization()->set_region(absl::StrCat("regions/", admin.in.region));
  org_req.mutable_organization()->set_type(static_cast<nms::v1::OrganizationType>(77));
  org_req.mutable_organization()->set_display_name("Школа");
  org_req.set_request_id("list-input-type");
  CallResult type = CallAs("regional.admin", *ApiSurface::Get().Find("DirectoryService/CreateOrganization"), org_req);
  EXPECT_EQ(type.status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(type.status.error_message().find("Поле organization.type: неизвестное значение 77"), std::string::npos)
      << type.status.error_message();
  // A subject filter that normalises to nothing is refused rather than dropped.
  CallResult subject = CallAs("regional.admin", "DirectoryService/ListPeople",
                              absl::StrCat("parent: \"", org, "\" subject: \"   \""));
  EXPECT_EQ(subject.status.error_code(), StatusCode::INVALID_ARGUMENT) << subject.status.error_message();
  EXPECT_NE(subject.status.error_message().find("Поле subject"), std::string::npos) << subject.status.error_message();
}

}  // namespace
}  // namespace nms::testing
