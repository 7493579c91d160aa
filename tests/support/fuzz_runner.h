#pragma once
// Runs seeded fuzz cases (request_fuzzer.h) round-robin over every method of the API, as each of
// the six roles of the security world and anonymously, from several client threads, and sorts
// the answers: precise codes are fine; UNKNOWN, UNAVAILABLE, DATA_LOSS, INTERNAL for a request
// that parses, and unary calls running into their deadline are findings. Used by the fuzz test
// and by the log-privacy test (fuzz traffic carrying personal data).

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/authz_table.h"
#include "tests/support/security_world.h"

namespace nms::testing {

struct FuzzOptions {
  uint64_t seed = 20261201;
  uint64_t cases = 10000;
  uint64_t first_case = 0;
  int threads = 4;
  std::vector<std::string> extra_strings;  // mixed into the fuzzer's names (e.g. personal data)
};

struct FuzzFinding {
  uint64_t index;
  std::string method, strategy, caller, status;
};

struct FuzzReport {
  std::map<int, int> codes;                     // grpc::StatusCode -> count
  std::vector<FuzzFinding> findings;
  int justified_internal = 0;                   // gRPC refused bytes that do not parse
  int revived = 0;                              // callers restored after fuzzed admin calls
  double seconds = 0;
  std::map<std::string, double> method_ms, strategy_ms;
  std::vector<std::string> tokens;              // every token the run used (for log scans)
  std::string Summary() const;
};

// `dsn` is the database of `channel`'s server: callers locked out by fuzzed admin calls (password
// reset, grant deleted, lockout) are revived there so every role stays in the run.
FuzzReport RunFuzz(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel,
                   const std::string& dsn, const FuzzOptions& options);

// Prints one case (for replays): method, caller, strategy and the request as text.
std::string DescribeFuzzCase(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel,
                             const FuzzOptions& options, uint64_t index);

}  // namespace nms::testing
