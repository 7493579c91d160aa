#pragma once
// What the database benchmarks share: the bench database, created and migrated on first use,
// and the median of the measured runs.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "server/db/migrations.h"
#include "server/db/pool.h"

namespace nms::bench {

// A pool on `dsn` with the schema applied; nullptr (and a message on stderr) when that fails.
inline std::unique_ptr<db::ConnectionPool> OpenBenchDatabase(const std::string& dsn) {
  auto config = db::ParseDsn(dsn);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", std::string(config.status().message()).c_str());
    return nullptr;
  }
  auto pool = std::make_unique<db::ConnectionPool>(*config);
  if (!pool->EnsureDatabase().ok() || !db::ApplyMigrations(*pool, NMS_SOURCE_DIR "/schema/migrations").ok()) {
    std::fprintf(stderr, "cannot prepare the bench database\n");
    return nullptr;
  }
  return pool;
}

inline double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace nms::bench
