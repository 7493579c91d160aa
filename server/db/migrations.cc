#include "server/db/migrations.h"

#include <openssl/sha.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cppconn/statement.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/db/sql.h"

namespace nms::db {
namespace {

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

std::vector<std::string> SplitSqlStatements(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, line, "\n");
    if (absl::EndsWith(trimmed, ";")) {
      std::string stmt(absl::StripAsciiWhitespace(current));
      stmt.pop_back();
      out.push_back(std::move(stmt));
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    out.emplace_back(absl::StripAsciiWhitespace(current));
  }
  return out;
}

absl::StatusOr<MigrationResult> ApplyMigrations(ConnectionPool& pool, const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  if (ec) return absl::NotFoundError(absl::StrCat("Нет каталога миграций ", dir));
  std::sort(files.begin(), files.end());

  MigrationResult result;
  absl::Status st = WithConnection(pool, [&](sql::Connection& conn) -> absl::Status {
    std::unique_ptr<sql::Statement> s(conn.createStatement());
    // Serialise concurrent starters (several replicas booting at once).
    std::unique_ptr<sql::ResultSet> lock(s->executeQuery("SELECT GET_LOCK('nms_migrations', 120)"));
    if (!lock->next() || lock->getInt(1) != 1) {
      return absl::UnavailableError("Не удалось получить блокировку миграций");
    }
    struct Unlock {
      sql::Statement* s;
      ~Unlock() {
        try { s->execute("DO RELEASE_LOCK('nms_migrations')"); } catch (...) {}
      }
    } unlock{s.get()};
    s->execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR(255) PRIMARY KEY, "
        "checksum CHAR(64) NOT NULL, applied_at TIMESTAMP(6) NOT NULL DEFAULT "
        "CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    for (const auto& file : files) {
      std::ifstream in(file);
      std::stringstream buf;
      buf << in.rdbuf();
      std::string text = buf.str();
      std::string version = file.stem().string();
      std::string checksum = Sha256Hex(text);
      auto rs = Stmt(conn, "SELECT checksum FROM schema_migrations WHERE version = ?")
                    .Str(version)
                    .Query();
      if (rs->next()) {
        if (std::string(rs->getString(1)) != checksum) {
          return absl::FailedPreconditionError(absl::StrCat(
              "Миграция ", version, " изменена после применения; создайте новую миграцию"));
        }
        result.present.push_back(version);
        continue;
      }
      // DDL commits implicitly in MariaDB, so a migration is not atomic: keep each file small
      // and idempotent-friendly; the record is written only after every statement succeeded.
      for (const auto& stmt : SplitSqlStatements(text)) {
        try {
          s->execute(stmt);
        } catch (const sql::SQLException& e) {
          return absl::InternalError(
              absl::StrCat("Миграция ", version, " не применена: ", e.what()));
        }
      }
      Stmt(conn, "INSERT INTO schema_migrations (version, checksum) VALUES (?, ?)")
          .Str(version)
          .Str(checksum)
          .Execute();
      result.applied.push_back(version);
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return result;
}

}  // namespace nms::db
