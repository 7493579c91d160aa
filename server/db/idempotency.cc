#include "server/db/idempotency.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "server/db/sql.h"

namespace nms::db {

absl::Status IdempotentWrite(ConnectionPool& pool, int64_t account_id, absl::string_view method,
                             absl::string_view request_id,
                             const google::protobuf::Message& request,
                             google::protobuf::Message* response,
                             absl::FunctionRef<absl::Status(sql::Connection&)> write) {
  if (request_id.size() > 128) {
    return absl::InvalidArgumentError("Поле request_id: не длиннее 128 символов");
  }
  if (request_id.empty()) return InTransaction(pool, write);
  std::string serialized;
  request.SerializeToString(&serialized);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(serialized.data()), serialized.size(), digest);
  std::string hash(reinterpret_cast<char*>(digest), sizeof(digest));

  return InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto rs = Stmt(c,
                   "SELECT method, request_hash, response FROM idempotency_keys "
                   "WHERE account_id = ? AND request_id = ? FOR UPDATE")
                  .Int(account_id)
                  .Str(request_id)
                  .Query();
    if (rs->next()) {
      if (GetStr(*rs, "method") != method || std::string(rs->getString("request_hash")) != hash) {
        return absl::InvalidArgumentError(
            "Поле request_id уже использовано для другого запроса; сгенерируйте новый ключ");
      }
      response->Clear();
      if (!response->ParseFromString(std::string(rs->getString("response")))) {
        return absl::InternalError("Сохранённый ответ повреждён");
      }
      return absl::OkStatus();
    }
    try {
      // Claims the key first: a concurrent duplicate blocks here until this commits.
      Stmt(c,
           "INSERT INTO idempotency_keys (account_id, request_id, method, request_hash, response) "
           "VALUES (?, ?, ?, ?, '')")
          .Int(account_id)
          .Str(request_id)
          .Str(method)
          .Blob(hash)
          .Execute();
    } catch (const sql::SQLException& e) {
      // Lost the race to a concurrent duplicate: retrying the transaction finds its response.
      if (e.getErrorCode() == 1062) return absl::AbortedError("idempotency race");
      throw;
    }
    absl::Status st = write(c);
    if (!st.ok()) return st;
    Stmt(c, "UPDATE idempotency_keys SET response = ? WHERE account_id = ? AND request_id = ?")
        .Blob(response->SerializeAsString())
        .Int(account_id)
        .Str(request_id)
        .Execute();
    return absl::OkStatus();
  });
}

}  // namespace nms::db
