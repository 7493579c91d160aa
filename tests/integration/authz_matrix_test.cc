// The authorisation matrix: every RPC of the API x every role x a target inside the caller's scope,
// one just outside it and one that does not exist, driven from one table
// (tests/integration/authz_matrix.txt) against a real server, with the expected outcome computed
// from the access policy (server/domain/access/policy.cc). See the table's header for the rules.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/integration/harness.h"
#include "tests/integration/security_stack.h"
#include "tests/support/api_surface.h"
#include "tests/support/authz_table.h"
#include "tests/support/security_world.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_authz_matrix";
using grpc::StatusCode;

std::string CodeName(StatusCode c) {
  static const char* names[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
                                "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
                                "UNAUTHENTICATED"};
  int i = static_cast<int>(c);
  return i >= 0 && i < 17 ? names[i] : absl::StrCat(i);
}

// An authorised call may still be refused for what it asks (the table's updates omit versions):
// what it must never be is refused for who asks, nor fail inside the server.
bool AllowedOutcome(StatusCode c) {
  return c == StatusCode::OK || c == StatusCode::INVALID_ARGUMENT || c == StatusCode::FAILED_PRECONDITION ||
         c == StatusCode::ALREADY_EXISTS || c == StatusCode::OUT_OF_RANGE || c == StatusCode::ABORTED;
}

// A template with every placeholder filled by something of the right shape: a name inside quotes,
// a number for the Unix-seconds ones.
std::string FilledForParsing(const std::string& request) {
  std::string text = request;
  for (const auto& key : Placeholders(text)) {
    bool number = key == "unix_past" || key == "unix_future" || key == "unix_future_end";
    absl::StrReplaceAll({{absl::StrCat("{", key, "}"), number ? "1" : "x/1"}}, &text);
  }
  return text;
}

class AuthzMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new SecurityStack();
    ASSERT_NO_FATAL_FAILURE(StartSecurityStack(kDb, "", stack_));
    table_ = &stack_->table;
    world_ = &stack_->world;
    server_ = stack_->server.get();
    driver_ = new MatrixDriver(*table_, *world_, server_->Channel());
  }
  static void TearDownTestSuite() {
    delete driver_;
    delete stack_;
    driver_ = nullptr;
    stack_ = nullptr;
  }

  // Calls `row` as `caller` (fresh session for rows that end theirs).
  CallResult CallAs(const MatrixRow& row, const RoleCase& caller, const google::protobuf::Message& req) {
    const RpcMethod* m = ApiSurface::Get().Find(row.method);
    CallOptions options;
    options.deadline = absl::Seconds(15);
    if (row.HasRule("fresh-session")) {
      driver_->ForgetToken(caller.login);
      options.bearer_token = driver_->Token(caller.login);
      driver_->ForgetToken(caller.login);
    } else {
      options.bearer_token = driver_->Token(caller.login);
    }
    return Call(driver_->channel(), *m, req, options);
  }

  static SecurityStack* stack_;
  static MatrixTable* table_;
  static SecurityWorld* world_;
  static ServerProcess* server_;
  static MatrixDriver* driver_;
};
SecurityStack* AuthzMatrix::stack_ = nullptr;
MatrixTable* AuthzMatrix::table_ = nullptr;
SecurityWorld* AuthzMatrix::world_ = nullptr;
ServerProcess* AuthzMatrix::server_ = nullptr;
MatrixDriver* AuthzMatrix::driver_ = nullptr;

TEST_F(AuthzMatrix, TableClassifiesEveryRpcOfTheApi) {
  const ApiSurface& api = ApiSurface::Get();
  std::vector<std::string> missing;
  for (const auto& m : api.methods()) {
    if (table_->Find(m.key) == nullptr) missing.push_back(m.key);
  }
  EXPECT_TRUE(missing.empty()) << "RPCs without a row in " << DefaultMatrixPath() << " (classify them):\n  "
                               << absl::StrJoin(missing, "\n  ");
  for (const auto& row : table_->rows) {
    const RpcMethod* m = api.Find(row.method);
    ASSERT_NE(m, nullptr) << "line " << row.line << ": " << row.method << " is not an RPC of the API";
    // Every template must parse once its placeholders are filled.
    std::string text = FilledForParsing(row.request);
    EXPECT_TRUE(api.ParseRequest(*m, text).ok()) << "line " << row.line << ": request does not parse: " << row.request;
    for (const auto& key : Placeholders(row.request)) {
      static const std::set<std::string> kPlain = {"region", "municipality", "organization", "person", "district",
                                                   "cnppm", "account", "methodist", "uniq", "peer", "unix_past",
                                                   "unix_future", "unix_future_end"};
      EXPECT_TRUE(kPlain.count(key) || table_->objects.count(key))
          << "line " << row.line << ": unknown placeholder {" << key << "}";
    }
  }
  // Every field of a request that names a resource is probed only when its template fills it:
  // the template names something there (a placeholder), or its row says the call ignores it.
  int documented = 0;
  std::vector<std::string> unprobed;
  for (const auto& row : table_->rows) {
    const RpcMethod* m = api.Find(row.method);
    if (m == nullptr || !row.action) continue;
    auto parsed = api.ParseRequest(*m, FilledForParsing(row.request));
    if (!parsed.ok()) continue;
    std::set<std::string> filled;
    for (const FieldAt& at : ResourceNameFields(**parsed)) filled.insert(at.Path());
    for (const std::string& field : DocumentedNameFields(m->descriptor->input_type())) {
      ++documented;
      if (row.HasRule("unprobed=" + field)) {
        // Known and listed: the template does not fill it yet. A rule for a filled field is stale.
        EXPECT_FALSE(filled.count(field)) << "line " << row.line << ": unprobed=" << field << " but it is filled";
        unprobed.push_back(absl::StrCat(row.method, " ", field));
        continue;
      }
      EXPECT_TRUE(filled.count(field)) << "line " << row.line << ": " << row.method << " request field " << field
                                       << " names a resource but the template leaves it empty, so it is never "
                                          "probed; fill it with a placeholder";
    }
  }
  std::printf("templates: %d documented resource-name fields of requests, %zu not probed yet (unprobed= rules)\n",
              documented, unprobed.size());
  for (const auto& u : unprobed) std::printf("  unprobed: %s\n", u.c_str());
  EXPECT_GT(documented, 100);
  for (const auto& [name, spec] : table_->objects) {
    const RpcMethod* m = api.Find(spec.method);
    ASSERT_NE(m, nullptr) << "object " << name << ": " << spec.method << " is not an RPC";
    std::string text = FilledForParsing(spec.request);
    EXPECT_TRUE(api.ParseRequest(*m, text).ok()) << "object " << name << ": request does not parse";
  }
}

TEST_F(AuthzMatrix, EveryRoleInsideAndOutsideItsScope) {
  auto problems = driver_->PrepareObjects();
  EXPECT_TRUE(problems.empty()) << "objects of the matrix could not be created:\n  " << absl::StrJoin(problems, "\n  ");
  int calls = 0, allowed = 0, allowed_ok = 0, denied = 0, spoiled_calls = 0;
  std::map<std::string, int> skipped_services;  // service -> methods not implemented yet
  std::set<std::string> waiting;                 // objects whose creators are not implemented yet
  int skipped_rows = 0;
  for (const auto& row : table_->rows) {
    if (!row.action && row.action_name == "public") continue;
    bool unimplemented = false;
    for (const auto& caller : world_->roles) {
      for (bool inside : {true, false}) {
        const Place& target = inside ? caller.in : caller.out;
        MatrixDriver::Expansion how;
        auto req = driver_->Request(row, target, false, &how);
        if (how.outcome == MatrixDriver::Outcome::kUnimplemented) {
          waiting.insert(how.problem);
          unimplemented = true;
          break;
        }
        ASSERT_NE(req, nullptr) << row.method << ": " << how.problem;
        CallResult r = CallAs(row, caller, *req);
        ++calls;
        if (r.status.error_code() == StatusCode::UNIMPLEMENTED) {
          unimplemented = true;
          break;
        }
        bool expect = PolicyAllows(row, caller, target);
        std::string where = absl::StrCat(row.method, " (line ", row.line, ") as ", caller.login, " on ", target.label,
                                         ": ", CodeName(r.status.error_code()), " ", r.status.error_message());
        if (expect) {
          ++allowed;
          allowed_ok += r.status.ok();
          EXPECT_TRUE(AllowedOutcome(r.status.error_code())) << "expected allowed; " << where << "\n  request: " << how.text;
        } else {
          ++denied;
          // Out of scope looks like missing: PERMISSION_DENIED, or NOT_FOUND to a region-wide
          // caller (who would get NOT_FOUND for a missing target too).
          EXPECT_TRUE(r.status.error_code() == StatusCode::PERMISSION_DENIED ||
                      (r.status.error_code() == StatusCode::NOT_FOUND &&
                       (RegionWideFor(row, caller.principal) || row.HasRule("hidden"))))
              << "expected denied; " << where << "\n  request: " << how.text;
          // One order of checks everywhere: who asks is decided before what is asked, so the same
          // call made invalid in every other way is refused just the same (an INVALID_ARGUMENT
          // would answer a caller who may not even look at the target).
          MatrixDriver::Expansion again;
          auto spoiled = driver_->Request(row, target, false, &again);
          ASSERT_NE(spoiled, nullptr) << row.method << ": " << again.problem;
          // (Not on the caller's own person: there is nobody there to tell anything about.)
          const bool own = target.person != 0 && target.person == caller.principal.person_id;
          if (!own && SpoilAllButNames(spoiled.get(), row.Selectors()) > 0) {
            CallResult s = CallAs(row, caller, *spoiled);
            ++spoiled_calls;
            EXPECT_EQ(s.status.error_code(), r.status.error_code())
                << "an invalid request is judged before its caller; " << row.method << " (line " << row.line
                << ") as " << caller.login << " on " << target.label << ": " << CodeName(s.status.error_code()) << " "
                << s.status.error_message() << " (valid: " << CodeName(r.status.error_code())
                << ")\n  request: " << spoiled->ShortDebugString().substr(0, 600);
          }
        }
      }
      if (unimplemented) break;
    }
    if (unimplemented) {
      ++skipped_rows;
      ++skipped_services[row.method.substr(0, row.method.find('/'))];
    }
  }
  std::printf("authorisation matrix: %d calls (%d allowed, of which %d OK; %d denied, %d of them again invalid), "
              "%d methods skipped\n", calls, allowed, allowed_ok, denied, spoiled_calls, skipped_rows);
  for (const auto& [service, n] : skipped_services) {
    std::printf("  skipped: %d methods of %s (not implemented yet or waiting for objects)\n", n, service.c_str());
  }
  for (const auto& w : waiting) std::printf("  waiting: %s\n", w.c_str());
  EXPECT_GT(denied, 0);
  EXPECT_GT(allowed_ok, 0);
}

TEST_F(AuthzMatrix, MissingTargetsAreIndistinguishableFromOutOfScope) {
  auto problems = driver_->PrepareObjects();
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n  ");
  int checked = 0, skipped = 0;
  for (const auto& row : table_->rows) {
    if (!row.action || row.level == Level::kAny) continue;
    for (const auto& caller : world_->roles) {
      MatrixDriver::Expansion how;
      auto req = driver_->Request(row, caller.in, true, &how);
      if (how.outcome == MatrixDriver::Outcome::kUnimplemented) {
        ++skipped;
        break;
      }
      ASSERT_NE(req, nullptr) << row.method << ": " << how.problem;
      CallResult r = CallAs(row, caller, *req);
      if (r.status.error_code() == StatusCode::UNIMPLEMENTED) {
        ++skipped;
        break;
      }
      ++checked;
      std::string where = absl::StrCat(row.method, " (line ", row.line, ") as ", caller.login, ": ",
                                       CodeName(r.status.error_code()), " ", r.status.error_message(),
                                       "\n  request: ", how.text);
      if (RegionWideFor(row, caller.principal)) {
        EXPECT_TRUE(r.status.error_code() == StatusCode::NOT_FOUND ||
                    r.status.error_code() == StatusCode::PERMISSION_DENIED ||
                    r.status.error_code() == StatusCode::INVALID_ARGUMENT ||
                    r.status.error_code() == StatusCode::FAILED_PRECONDITION)
            << where;
      } else {
        // Anything but PERMISSION_DENIED would tell this caller the target does not exist (rows
        // marked hidden answer NOT_FOUND for both).
        if (row.HasRule("hidden") && r.status.error_code() == StatusCode::NOT_FOUND) continue;
        EXPECT_EQ(r.status.error_code(), StatusCode::PERMISSION_DENIED) << where;
      }
    }
  }
  std::printf("missing targets: %d calls checked, %d methods skipped (not implemented yet)\n", checked, skipped);
  EXPECT_GT(checked, 0);
}

// Every resource a request names (target, parent, ids in the body, references in filters) is
// authorised before anything else about it is looked at. For each caller allowed on its in-scope
// target, each resource-name field of the request (found by walking its descriptor) is swapped
// alone for the same placeholder expanded for the caller's out-of-scope place: the call must be
// denied exactly as an out-of-scope target is, and tell nothing about the people out there.
TEST_F(AuthzMatrix, EveryResourceNamedInARequestIsAuthorised) {
  auto problems = driver_->PrepareObjects();
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n  ");
  int probes = 0, same = 0, skipped = 0, per_record = 0, ignored = 0;
  std::map<std::string, int> exceptions;  // "Service/Method field" -> probes waived by an outside= rule
  std::set<std::string> rules_declared;
  for (const auto& row : table_->rows) {
    for (const auto& rule : row.rules) {
      if (absl::StartsWith(rule, "outside=")) rules_declared.insert(absl::StrCat(row.method, " ", rule.substr(8)));
      if (absl::StartsWith(rule, "per-record=")) rules_declared.insert(absl::StrCat(row.method, " ", rule.substr(11)));
      if (absl::StartsWith(rule, "ignored=")) rules_declared.insert(absl::StrCat(row.method, " ", rule.substr(8)));
    }
    if (!row.action) continue;
    bool unimplemented = false;
    for (const auto& caller : world_->roles) {
      if (unimplemented || !PolicyAllows(row, caller, caller.in)) continue;
      MatrixDriver::Expansion how_in, how_out;
      auto in = driver_->Request(row, caller.in, false, &how_in);
      auto out = driver_->Request(row, caller.out, false, &how_out);
      if (how_in.outcome == MatrixDriver::Outcome::kUnimplemented ||
          how_out.outcome == MatrixDriver::Outcome::kUnimplemented) {
        unimplemented = true;
        continue;
      }
      ASSERT_NE(in, nullptr) << row.method << ": " << how_in.problem;
      ASSERT_NE(out, nullptr) << row.method << ": " << how_out.problem;
      // Names of the people out there that the in-scope request does not name itself.
      std::vector<std::string> secrets;
      for (const std::string& n : {caller.out.last_name, caller.out.peer_last_name}) {
        if (!n.empty() && n != caller.in.last_name && n != caller.in.peer_last_name) secrets.push_back(n);
      }
      for (const FieldAt& at : ResourceNameFields(*in)) {
        rules_declared.erase(absl::StrCat(row.method, " ", at.Path()));
        std::string inside = ValueAt(*in, at), outside = ValueAt(*out, at);
        if (outside.empty() || outside == inside) {
          // The out-of-scope place shares it (the region of two schools, a regional object): a
          // name of the same shape that does not exist stands in, denied just the same.
          ++same;
          outside = GhostOf(inside);
        }
        // A documented exception: the field may name something of the caller's own region that
        // lies outside its scope; another region's is still probed.
        if (row.MayNameOutside(at.Path()) && caller.out.region == caller.in.region && ValueAt(*out, at) != inside) {
          ++exceptions[absl::StrCat(row.method, " ", at.Path())];
          continue;
        }
        // A fresh expansion per probe: its own request_id, and objects the row consumes anew.
        MatrixDriver::Expansion how;
        auto req = driver_->Request(row, caller.in, false, &how);
        ASSERT_NE(req, nullptr) << row.method << ": " << how.problem;
        SetValueAt(req.get(), at, outside);
        CallResult r = CallAs(row, caller, *req);
        if (r.status.error_code() == StatusCode::UNIMPLEMENTED) {
          unimplemented = true;
          break;
        }
        ++probes;
        std::string where = absl::StrCat(row.method, " (line ", row.line, ") as ", caller.login, " with ", at.Label(),
                                         " = ", outside, " (", caller.out.label, "): ",
                                         CodeName(r.status.error_code()), " ", r.status.error_message(),
                                         "\n  request: ", req->ShortDebugString());
        const bool denied = r.status.error_code() == StatusCode::PERMISSION_DENIED ||
                            (r.status.error_code() == StatusCode::NOT_FOUND &&
                             (RegionWideFor(row, caller.principal) || row.HasRule("hidden")));
        if (row.Ignores(at.Path())) {
          // Not read by this call: whatever it answers, it neither keeps nor echoes the name.
          ++ignored;
          EXPECT_TRUE(r.status.error_code() != StatusCode::INTERNAL && r.status.error_code() != StatusCode::UNKNOWN)
              << where;
          // A whole string field of the answer equal to the name: its length byte, then the name.
          const std::string as_field = std::string(1, static_cast<char>(outside.size())) + outside;
          for (const auto& bytes : r.responses) {
            EXPECT_FALSE(absl::StrContains(bytes, as_field)) << "keeps the ignored " << at.Label() << "; " << where;
          }
        } else if (row.DecidedPerRecord(at.Path()) && r.status.ok()) {
          // A batch goes on; the record naming something out of scope is rejected exactly as
          // one naming nothing (its message: not found).
          ++per_record;
          const RpcMethod* m = ApiSurface::Get().Find(row.method);
          auto answer = ApiSurface::Get().NewResponse(*m);
          const bool parsed = !r.responses.empty() && answer->ParseFromString(r.responses[0]);
          // As a count of rejected records, or as the outcome of the record itself.
          const std::string rejected = parsed ? FieldPathValue(*answer, "rejected_count") : "";
          const std::string outcome = parsed ? FieldPathValue(*answer, "results[0].outcome") : "";
          EXPECT_TRUE((!rejected.empty() && rejected != "0") || absl::EndsWith(outcome, "_REJECTED"))
              << "expected the record rejected; " << where;
        } else {
          EXPECT_TRUE(denied) << "expected denied; " << where;
        }
        for (const auto& secret : secrets) {
          EXPECT_FALSE(absl::StrContains(r.status.error_message(), secret)) << "tells " << secret << "; " << where;
          for (const auto& bytes : r.responses) {
            EXPECT_FALSE(absl::StrContains(bytes, secret)) << "answers with " << secret << "; " << where;
          }
        }
      }
    }
    if (unimplemented) ++skipped;
  }
  int waived = 0;
  for (const auto& [what, n] : exceptions) waived += n;
  std::printf("named resources: %d out-of-scope probes (%d of them decided per record, %d of fields the call ignores), "
              "%d fields shared with the "
              "out-of-scope place (probed with missing ones), %d probes waived by outside= rules (%zu fields), %d methods skipped\n",
              probes, per_record, ignored, same, waived, exceptions.size(), skipped);
  for (const auto& [what, n] : exceptions) std::printf("  outside: %s (%d)\n", what.c_str(), n);
  // A rule for a field the row's request does not name is stale.
  EXPECT_TRUE(rules_declared.empty()) << "outside= rules for fields the requests do not name:\n  " << absl::StrJoin(rules_declared, "\n  ");
  EXPECT_GT(probes, 0);
}

// The fields a list's filter takes, as the server's own filter tables say: its answer to a field
// it does not know names them ("…; допустимы: a, b, c"). A field added to a list later is probed
// without a change here.
std::vector<std::string> FilterFieldsOf(const std::string& refusal) {
  static const std::string kAllowed = "допустимы: ";
  size_t at = refusal.find(kAllowed);
  if (at == std::string::npos) return {};
  std::vector<std::string> out;
  for (absl::string_view f : absl::StrSplit(refusal.substr(at + kAllowed.size()), ", ")) {
    std::string field(absl::StripAsciiWhitespace(f));
    while (!field.empty() && !absl::ascii_isalnum(field.back()) && field.back() != '_') field.pop_back();
    if (!field.empty()) out.push_back(field);
  }
  return out;
}

// What a list answer shows: the names (else the bytes) of the items of its first repeated field.
std::set<std::string> ItemsOf(const RpcMethod& m, const CallResult& r) {
  std::set<std::string> out;
  if (!r.status.ok() || r.responses.empty()) return out;
  auto answer = ApiSurface::Get().NewResponse(m);
  if (!answer->ParseFromString(r.responses.front())) return out;
  const auto* d = answer->GetDescriptor();
  const auto* refl = answer->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (!f->is_repeated() || f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    for (int k = 0; k < refl->FieldSize(*answer, f); ++k) {
      const auto& item = refl->GetRepeatedMessage(*answer, f, k);
      std::string name = FieldPathValue(item, "name");
      out.insert(name.empty() ? item.SerializeAsString() : name);
    }
    break;
  }
  return out;
}

// A reference inside a list's filter is authorised like any other name in a request: a filter
// naming something out of the caller's scope (or nothing at all) is refused exactly as an
// out-of-scope target is, or — for lists whose rows the caller may read beyond its scope (the
// region's catalogue, published practices) — answers only rows the caller sees without it. It
// never widens the list and never names anyone out there. The fields come from the server's
// filter tables; which of them take a reference is found by trying every kind of name.
TEST_F(AuthzMatrix, ReferencesInListFiltersAreAuthorised) {
  auto problems = driver_->PrepareObjects();
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n  ");
  std::vector<std::string> keys = {"region", "district", "municipality", "organization", "person", "peer",
                                   "cnppm", "methodist", "account"};
  for (const auto& [name, spec] : table_->objects) keys.push_back(name);
  int lists = 0, probes = 0, refused = 0, narrowed = 0;
  std::map<std::string, std::set<std::string>> reference_fields;  // method -> fields that took a name
  std::map<std::string, bool> takes_kind;                          // "method field collection" -> takes it
  std::vector<std::string> without_fields;
  for (const auto& row : table_->rows) {
    const RpcMethod* m = ApiSurface::Get().Find(row.method);
    if (!row.action || m == nullptr) continue;
    auto probe_request = ApiSurface::Get().NewRequest(*m);
    const auto* filter_field = probe_request->GetDescriptor()->FindFieldByName("filter");
    if (filter_field == nullptr || filter_field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    const auto* page_size = probe_request->GetDescriptor()->FindFieldByName("page_size");
    std::vector<std::string> fields;
    bool asked = false, unimplemented = false;
    for (const auto& caller : world_->roles) {
      if (unimplemented || !PolicyAllows(row, caller, caller.in)) continue;
      MatrixDriver::Expansion how;
      auto base = driver_->Request(row, caller.in, false, &how);
      if (how.outcome == MatrixDriver::Outcome::kUnimplemented) break;
      ASSERT_NE(base, nullptr) << row.method << ": " << how.problem;
      if (page_size != nullptr) base->GetReflection()->SetInt32(base.get(), page_size, 500);
      const std::string base_filter = base->GetReflection()->GetString(*base, filter_field);
      if (!asked) {
        asked = true;
        auto ask = std::unique_ptr<google::protobuf::Message>(base->New());
        ask->CopyFrom(*base);
        ask->GetReflection()->SetString(ask.get(), filter_field, "zz_no_such_field = 1");
        CallResult r = CallAs(row, caller, *ask);
        if (r.status.error_code() == StatusCode::UNIMPLEMENTED) {
          unimplemented = true;
          continue;
        }
        fields = FilterFieldsOf(r.status.error_message());
        ++lists;
        if (fields.empty()) {
          without_fields.push_back(absl::StrCat(row.method, ": ", CodeName(r.status.error_code()), " ",
                                                r.status.error_message()));
        }
      }
      CallResult seen_call = CallAs(row, caller, *base);
      if (!seen_call.status.ok()) continue;  // nothing to compare with (the row's own request is refused)
      const std::set<std::string> seen = ItemsOf(*m, seen_call);
      std::vector<std::string> secrets;
      for (const std::string& n : {caller.out.last_name, caller.out.peer_last_name}) {
        if (!n.empty() && n != caller.in.last_name && n != caller.in.peer_last_name) secrets.push_back(n);
      }
      // One name of each kind per place: the first placeholder whose out-of-scope value differs
      // from the in-scope one; a missing name of that kind when the places share it.
      std::map<std::string, std::pair<std::string, std::string>> kinds;  // collection -> (inside, outside)
      for (const auto& key : keys) {
        MatrixDriver::Expansion in_value = driver_->Expand(absl::StrCat("{", key, "}"), caller.in);
        MatrixDriver::Expansion out_value = driver_->Expand(absl::StrCat("{", key, "}"), caller.out);
        if (in_value.outcome != MatrixDriver::Outcome::kOk || out_value.outcome != MatrixDriver::Outcome::kOk) continue;
        size_t slash = in_value.text.find('/');
        if (slash == std::string::npos) continue;
        std::string collection = in_value.text.substr(0, slash);
        auto it = kinds.find(collection);
        const bool differs = out_value.text != in_value.text;
        if (it != kinds.end() && (it->second.second != GhostOf(it->second.first) || !differs)) continue;
        kinds[collection] = {in_value.text, differs ? out_value.text : GhostOf(in_value.text)};
      }
      for (const auto& field : fields) {
        for (const auto& [collection, values] : kinds) {
          const bool mentions = absl::StrContains(base_filter, field);
          auto with = [&](const std::string& value) {
            std::string filter = absl::StrCat(base_filter.empty() || mentions ? "" : absl::StrCat(base_filter, " AND "),
                                              field, " = \"", value, "\"");
            auto req = std::unique_ptr<google::protobuf::Message>(base->New());
            req->CopyFrom(*base);
            req->GetReflection()->SetString(req.get(), filter_field, filter);
            return req;
          };
          // Whether the field takes names of this kind: asked once per list with an in-scope one.
          const std::string kind_key = absl::StrCat(row.method, " ", field, " ", collection);
          auto known = takes_kind.find(kind_key);
          if (known == takes_kind.end()) {
            CallResult r = CallAs(row, caller, *with(values.first));
            known = takes_kind.emplace(kind_key, r.status.error_code() != StatusCode::INVALID_ARGUMENT).first;
          }
          if (!known->second) continue;
          auto req = with(values.second);
          CallResult r = CallAs(row, caller, *req);
          ++probes;
          reference_fields[row.method].insert(field);
          std::string where = absl::StrCat(row.method, " (line ", row.line, ") as ", caller.login, " with filter ",
                                           req->GetReflection()->GetString(*req, filter_field), " (", caller.out.label,
                                           "): ", CodeName(r.status.error_code()), " ", r.status.error_message());
          const bool denied = r.status.error_code() == StatusCode::PERMISSION_DENIED ||
                              (r.status.error_code() == StatusCode::NOT_FOUND &&
                               (RegionWideFor(row, caller.principal) || row.HasRule("hidden")));
          if (denied) {
            ++refused;
          } else {
            EXPECT_TRUE(r.status.ok()) << "expected refused or narrowed; " << where;
            ++narrowed;
            for (const auto& item : ItemsOf(*m, r)) {
              EXPECT_TRUE(seen.count(item)) << "the filter widens the list with " << item << "; " << where;
            }
          }
          for (const auto& secret : secrets) {
            EXPECT_FALSE(absl::StrContains(r.status.error_message(), secret)) << "tells " << secret << "; " << where;
            for (const auto& bytes : r.responses) {
              EXPECT_FALSE(absl::StrContains(bytes, secret)) << "answers with " << secret << "; " << where;
            }
          }
        }
      }
    }
  }
  std::printf("filter references: %d lists, %d probes (%d refused, %d narrowed to what the caller sees)\n", lists,
              probes, refused, narrowed);
  for (const auto& [method, fields] : reference_fields) {
    std::printf("  %s: %s\n", method.c_str(), absl::StrJoin(fields, ", ").c_str());
  }
  EXPECT_TRUE(without_fields.empty()) << "lists whose filter does not name its fields for an unknown one:\n  "
                                      << absl::StrJoin(without_fields, "\n  ");
  EXPECT_GT(probes, 0);
}

TEST_F(AuthzMatrix, EveryNonPublicRpcNeedsCredentials) {
  auto problems = driver_->PrepareObjects();
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n  ");
  const RoleCase& admin = stack_->Role("regional.admin");
  int checked = 0, skipped = 0;
  for (const auto& row : table_->rows) {
    if (row.action_name == "public") continue;
    MatrixDriver::Expansion how;
    auto req = driver_->Request(row, admin.in, false, &how);
    if (how.outcome == MatrixDriver::Outcome::kUnimplemented) {
      ++skipped;
      continue;
    }
    ASSERT_NE(req, nullptr) << row.method << ": " << how.problem;
    const RpcMethod* m = ApiSurface::Get().Find(row.method);
    for (const char* token : {"", "not-a-token", "eyJhbGciOiJub25lIn0.e30."}) {
      CallOptions options;
      options.bearer_token = token;
      CallResult r = Call(driver_->channel(), *m, *req, options);
      if (r.status.error_code() == StatusCode::UNIMPLEMENTED) {
        ++skipped;
        break;
      }
      ++checked;
      EXPECT_EQ(r.status.error_code(), StatusCode::UNAUTHENTICATED)
          << row.method << " with token \"" << token << "\": " << CodeName(r.status.error_code());
    }
  }
  std::printf("credentials: %d calls checked, %d methods skipped (not implemented yet)\n", checked, skipped);
}

}  // namespace
}  // namespace nms::testing
