#pragma once
// One factory per service, each in its own file (factory_<service>.cc), so a service's
// implementation can land without touching main.cc or another service's files.

#include <grpcpp/grpcpp.h>

#include <memory>

#include "server/auth/authenticator.h"
#include "absl/time/time.h"
#include "server/db/monitoring_facts_cache.h"
#include "server/db/pool.h"
#include "server/domain/common/parallel.h"
#include "server/services/route_bulk_worker.h"
#include "server/services/stream_limit.h"

namespace nms::services {

class CalibrationWorker;

// What every service may use. Owned by main; outlives the services.
struct ServiceDeps {
  db::ConnectionPool& pool;
  auth::Authenticator& authn;
  // The server's --max_message_bytes (streams cut their messages to it).
  size_t max_message_bytes = 8 * 1024 * 1024;
  // Shared state main owns and configures from its flags (no process-wide singletons).
  StreamLimiter& streams;
  db::MonitoringFactsCache& facts_cache;
  // --feed_gap_timeout: how long the change feed waits for a missing sequence number.
  absl::Duration feed_gap_timeout = absl::Seconds(5);
  // The server's worker threads for parallel pieces of one call (matching).
  ParallelRunner& parallel;
  // This process's background bulk-route worker; nullptr = other replicas run bulk operations.
  RouteBulkWorker* route_worker = nullptr;
  // Background item calibration (main runs its loop); null = left to other replicas.
  CalibrationWorker* calibration = nullptr;
};

std::unique_ptr<grpc::Service> MakeDiagnosticsService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeRouteService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeMentoringService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeYoungTeacherService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeMonitoringService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeFederalExchangeService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeInboxService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeNotificationService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakePracticeService(ServiceDeps deps);
std::unique_ptr<grpc::Service> MakeEventService(ServiceDeps deps);

}  // namespace nms::services
