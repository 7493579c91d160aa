#pragma once
// Processes for benchmarks and the scale-out test, without GoogleTest: a user-space MariaDB
// (deploy/dev/db.sh), nms-server children, nmsctl runs, and fresh databases.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace nms::testing {

// Runs a shell command; its exit status (-1 when it could not run).
int Shell(const std::string& command);

// Starts (or reuses) a user-space MariaDB with data in `dir`; its port.
absl::StatusOr<int> StartLocalDb(const std::string& dir);
void StopLocalDb(const std::string& dir);

// Drops and recreates `database` on the server of `dsn` ("mysql://root@127.0.0.1:PORT").
absl::Status RecreateDatabase(const std::string& dsn_base, const std::string& database);

int FreeLoopbackPort();

// An nms-server child process; SIGTERM on destruction.
class ServerChild {
 public:
  ServerChild(std::string dsn, std::string extra_args, std::string log_path, std::string listen = "");
  ~ServerChild();
  ServerChild(const ServerChild&) = delete;
  ServerChild& operator=(const ServerChild&) = delete;

  // Starts the process and waits until it accepts connections; false if it did not.
  bool Start(absl::Duration wait = absl::Seconds(60));
  // Sends `signal` and reaps the process.
  void Kill(int signal);
  bool Running() const;
  pid_t pid() const { return pid_; }
  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> Channel(int distinct = 0) const;

 private:
  std::string dsn_, extra_, log_, address_;
  pid_t pid_ = -1;
};

// A plain HTTP GET of http://127.0.0.1:PORT/PATH; the whole response (status line, headers,
// body), empty when nothing answers.
std::string HttpGet(int port, const std::string& path);

// From a Prometheus text body: the value of the sample whose name and labels are `series`, or -1.
double MetricSample(const std::string& body, const std::string& series);

// Signs in over `channel`; empty on failure.
std::string SignInToken(grpc::Channel& channel, const std::string& login, const std::string& password);

}  // namespace nms::testing
