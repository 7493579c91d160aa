#include "tests/support/fuzz_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "server/auth/password.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/support/api_surface.h"
#include "tests/support/request_fuzzer.h"

namespace nms::testing {
namespace {

using grpc::StatusCode;

const char* CodeName(int c) {
  static const char* names[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
                                "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
                                "UNAUTHENTICATED"};
  return c >= 0 && c < 17 ? names[c] : "?";
}

// The valid requests of the matrix table, per method and caller (in the caller's scope).
struct Bases {
  std::vector<std::string> callers;  // logins; "" = anonymous
  std::vector<std::vector<std::unique_ptr<google::protobuf::Message>>> requests;
  std::vector<bool> own_account;     // the call may change or end the caller's own account/session
};

Bases MakeBases(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel) {
  Bases b;
  MatrixDriver driver(table, world, channel);
  driver.PrepareObjects();  // objects that cannot be created yet leave their methods without a base
  for (const auto& r : world.roles) b.callers.push_back(r.login);
  b.callers.push_back("");
  const auto& methods = ApiSurface::Get().methods();
  b.requests.resize(methods.size());
  for (size_t i = 0; i < methods.size(); ++i) {
    const MatrixRow* row = table.Find(methods[i].key);
    b.own_account.push_back(row != nullptr && (row->HasRule("own-account") || row->HasRule("fresh-session")));
    for (size_t r = 0; r < b.callers.size(); ++r) {
      MatrixDriver::Expansion how;
      const Place& place = world.roles[std::min(r, world.roles.size() - 1)].in;
      b.requests[i].push_back(row != nullptr ? driver.Request(*row, place, false, &how) : nullptr);
    }
  }
  return b;
}

std::vector<std::string> FuzzNames(const SecurityWorld& world, const FuzzOptions& options) {
  std::vector<std::string> names = world.names;
  names.insert(names.end(), options.extra_strings.begin(), options.extra_strings.end());
  return names;
}

}  // namespace

std::string FuzzReport::Summary() const {
  std::string out = absl::StrCat("in ", static_cast<int>(seconds * 10) / 10.0, " s:");
  for (const auto& [code, n] : codes) absl::StrAppend(&out, " ", CodeName(code), "=", n);
  absl::StrAppend(&out, "\nINTERNAL for bytes gRPC cannot parse as the request (refused before any handler): ",
                  justified_internal, "\ncallers revived after fuzzed admin calls locked them out: ", revived);
  std::vector<std::pair<double, std::string>> slow;
  for (const auto& [k, ms] : method_ms) slow.emplace_back(ms, k);
  std::sort(slow.rbegin(), slow.rend());
  absl::StrAppend(&out, "\nserver time by method (top 5):");
  for (size_t k = 0; k < slow.size() && k < 5; ++k) {
    absl::StrAppend(&out, " ", slow[k].second, " ", static_cast<int>(slow[k].first), " ms;");
  }
  absl::StrAppend(&out, "\ntime by strategy:");
  for (const auto& [k, ms] : strategy_ms) absl::StrAppend(&out, " ", k, " ", static_cast<int>(ms), " ms;");
  return out;
}

std::string DescribeFuzzCase(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel,
                             const FuzzOptions& options, uint64_t index) {
  const auto& methods = ApiSurface::Get().methods();
  Bases b = MakeBases(table, world, channel);
  RequestFuzzer fuzzer(options.seed, FuzzNames(world, options));
  size_t m = index % methods.size(), r = (index / methods.size()) % b.callers.size();
  FuzzCase c = fuzzer.Make(methods[m], b.requests[m][r].get(), index);
  auto parsed = ApiSurface::Get().NewRequest(methods[m]);
  bool ok = parsed->ParseFromString(c.bytes);
  return absl::StrCat("case ", index, ": ", methods[m].key, " as ", b.callers[r].empty() ? "nobody" : b.callers[r],
                      ", ", c.strategy, ", ", c.bytes.size(), " bytes", ok ? "\n" : " (does not parse)\n",
                      ok ? parsed->Utf8DebugString().substr(0, 4000) : "");
}

FuzzReport RunFuzz(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel,
                   const std::string& dsn, const FuzzOptions& options) {
  const auto& methods = ApiSurface::Get().methods();
  Bases b = MakeBases(table, world, channel);
  RequestFuzzer fuzzer(options.seed, FuzzNames(world, options));
  FuzzReport report;

  // Fuzzed admin calls may reset a caller's password, delete its grant or lock it out (that is
  // their job); callers are revived from the database so every role stays in the run.
  std::string hash = *auth::HashPassword("Passw0rd!", 1000);
  db::ConnectionPool pool(*db::ParseDsn(dsn));
  std::mutex mu;
  auto revive = [&](const std::string& login) {
    (void)db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
      db::Stmt(c, "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL, disabled = FALSE "
                  "WHERE login = ?")
          .Str(hash).Str(login).Execute();
      for (const auto& rc : world.roles) {
        if (rc.login != login) continue;
        for (const auto& g : rc.principal.grants) {
          db::Stmt(c, "INSERT IGNORE INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)")
              .Int(rc.principal.account_id).Int(static_cast<int>(g.role)).Int(static_cast<int>(g.scope_kind))
              .Int(g.scope_id).Execute();
        }
      }
      return absl::OkStatus();
    });
  };

  std::atomic<uint64_t> next{options.first_case};
  const uint64_t end = options.first_case + options.cases;
  auto worker = [&] {
    std::map<std::string, std::string> tokens;  // each worker's own sessions
    auto token = [&](const std::string& login, bool fresh) -> std::string {
      if (login.empty()) return "";
      if (!fresh && tokens.count(login)) return tokens[login];
      MatrixDriver signer(table, world, channel);
      std::string t = signer.Token(login);
      if (t.empty()) {
        std::lock_guard<std::mutex> lock(mu);
        revive(login);
        ++report.revived;
      }
      if (t.empty()) t = signer.Token(login);
      if (!fresh) tokens[login] = t;
      std::lock_guard<std::mutex> lock(mu);
      report.tokens.push_back(t);
      return t;
    };
    for (uint64_t i = next++; i < end; i = next++) {
      size_t m = i % methods.size(), r = (i / methods.size()) % b.callers.size();
      const RpcMethod& method = methods[m];
      FuzzCase c = fuzzer.Make(method, b.requests[m][r].get(), i);
      CallOptions call;
      // Calls that change the caller's own account or end its session use a spare account.
      call.bearer_token = b.own_account[m] && !b.callers[r].empty() ? token("t.a1c", true) : token(b.callers[r], false);
      call.deadline = method.server_streaming ? absl::Seconds(3) : absl::Seconds(30);
      absl::Time start = absl::Now();
      CallResult res = CallRaw(*channel, method, c.bytes, call);
      double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
      StatusCode code = res.status.error_code();
      if (code == StatusCode::UNAUTHENTICATED && !b.callers[r].empty()) tokens.erase(b.callers[r]);
      bool bad = code == StatusCode::UNKNOWN || code == StatusCode::UNAVAILABLE || code == StatusCode::DATA_LOSS ||
                 (code == StatusCode::DEADLINE_EXCEEDED && !method.server_streaming) ||
                 (code == StatusCode::INTERNAL && c.parses);
      std::lock_guard<std::mutex> lock(mu);
      report.codes[static_cast<int>(code)]++;
      report.justified_internal += code == StatusCode::INTERNAL && !c.parses;
      report.method_ms[method.key] += ms;
      report.strategy_ms[c.strategy.substr(0, c.strategy.find(','))] += ms;
      if (bad) {
        report.findings.push_back({i, method.key, c.strategy, b.callers[r].empty() ? "nobody" : b.callers[r],
                                   absl::StrCat(CodeName(static_cast<int>(code)), " ",
                                                res.status.error_message().substr(0, 200))});
      }
    }
  };
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  report.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return report;
}

}  // namespace nms::testing
