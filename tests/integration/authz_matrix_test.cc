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
#include "absl/strings/str_replace.h"
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
  int calls = 0, allowed = 0, allowed_ok = 0, denied = 0;
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
        }
      }
      if (unimplemented) break;
    }
    if (unimplemented) {
      ++skipped_rows;
      ++skipped_services[row.method.substr(0, row.method.find('/'))];
    }
  }
  std::printf("authorisation matrix: %d calls (%d allowed, of which %d OK; %d denied), %d methods skipped\n", calls,
              allowed, allowed_ok, denied, skipped_rows);
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
  int probes = 0, same = 0, skipped = 0, per_record = 0;
  std::map<std::string, int> exceptions;  // "Service/Method field" -> probes waived by an outside= rule
  std::set<std::string> rules_declared;
  for (const auto& row : table_->rows) {
    for (const auto& rule : row.rules) {
      if (absl::StartsWith(rule, "outside=")) rules_declared.insert(absl::StrCat(row.method, " ", rule.substr(8)));
      if (absl::StartsWith(rule, "per-record=")) rules_declared.insert(absl::StrCat(row.method, " ", rule.substr(11)));
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
        if (row.DecidedPerRecord(at.Path()) && r.status.ok()) {
          // A batch goes on; the record naming something out of scope is rejected exactly as
          // one naming nothing (its message: not found).
          ++per_record;
          const RpcMethod* m = ApiSurface::Get().Find(row.method);
          auto answer = ApiSurface::Get().NewResponse(*m);
          const bool parsed = !r.responses.empty() && answer->ParseFromString(r.responses[0]);
          const std::string rejected = parsed ? FieldPathValue(*answer, "rejected_count") : "";
          EXPECT_TRUE(!rejected.empty() && rejected != "0") << "expected the record rejected; " << where;
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
  std::printf("named resources: %d out-of-scope probes (%d of them decided per record), %d fields shared with the "
              "out-of-scope place (probed with missing ones), %d probes waived by outside= rules (%zu fields), %d methods skipped\n",
              probes, per_record, same, waived, exceptions.size(), skipped);
  for (const auto& [what, n] : exceptions) std::printf("  outside: %s (%d)\n", what.c_str(), n);
  // A rule for a field the row's request does not name is stale.
  EXPECT_TRUE(rules_declared.empty()) << "outside= rules for fields the requests do not name:\n  " << absl::StrJoin(rules_declared, "\n  ");
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
