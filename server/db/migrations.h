#pragma once
// Versioned schema migrations: schema/migrations/NNNN_name.sql applied in file-name order,
// each recorded in schema_migrations with its checksum. Safe to run twice and from several
// server replicas at once (a named lock serialises them).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/db/pool.h"

namespace nms::db {

struct MigrationResult {
  std::vector<std::string> applied;  // versions applied by this run
  std::vector<std::string> present;  // versions already recorded before it
};

absl::StatusOr<MigrationResult> ApplyMigrations(ConnectionPool& pool, const std::string& dir);

// Splits a migration file into statements at semicolons that end a line, skipping comments.
std::vector<std::string> SplitSqlStatements(const std::string& text);

}  // namespace nms::db
