#pragma once
// Integration-test harness: a real MariaDB (started by the CTest fixture `db_start`, see
// deploy/dev/db.sh), a fresh database per test suite, and real nms-server processes on free
// loopback ports, talked to over gRPC sockets.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "nms/v1/auth.grpc.pb.h"
#include "nms/v1/directory.grpc.pb.h"
#include "server/db/pool.h"

namespace nms::testing {

// Folder of the build (nms-server, nmsctl) and of the test MariaDB's state: the environment
// (set by CTest) or the values compiled in.
std::string BinaryDir();
std::string TestStateDir();

// DSN of the test MariaDB with `database` (created on demand).
std::string TestDsn(const std::string& database);

// Drops and recreates `database`.
void ResetDatabase(const std::string& database);

int FreePort();

// A server process on a free port against `database`; killed (SIGTERM) on destruction.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& database, const std::string& extra_args = "");
  ~ServerProcess();
  // Sends `signal`, waits, and returns the wait status (see WIFEXITED/WEXITSTATUS).
  int Kill(int signal);
  void Start();
  bool Running() const;
  std::string address() const { return address_; }
  std::shared_ptr<grpc::Channel> Channel() const;
  const std::string& log_path() const { return log_; }

 private:
  std::string database_, extra_, address_, log_, secret_file_;
  int pid_ = -1;
};

// Seeds a small territory used by the directory tests: one region, one district, two
// municipalities, two schools in each, and accounts for every role (password "Passw0rd!").
struct Fixture {
  int64_t region = 0, district = 0, mun_a = 0, mun_b = 0;
  int64_t school_a1 = 0, school_a2 = 0, school_b1 = 0, cnppm = 0;
  int64_t teacher_a1 = 0, teacher_a2 = 0, teacher_b1 = 0;  // people ids
};
Fixture SeedFixture(const std::string& database);

// Signs in and returns a bearer token, or fails the test.
std::string SignIn(grpc::Channel& ch, const std::string& login, const std::string& password = "Passw0rd!");

// A ClientContext carrying the bearer token and a 10 s deadline.
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token);

}  // namespace nms::testing
