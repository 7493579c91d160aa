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
    // A new key (the common case) costs one statement, the claim. A concurrent duplicate blocks
    // on it until this transaction ends: after a commit its claim fails and it answers from the
    // stored response below; after a rollback its claim succeeds.
    bool claimed = true;
    try {
      Stmt(c,
           "INSERT INTO idempotency_keys (account_id, request_id, method, request_hash, response) "
           "VALUES (?, ?, ?, ?, '')")
          .Int(account_id)
          .Str(request_id)
          .Str(method)
          .Blob(hash)
          .Execute();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      claimed = false;  // a committed request holds the key
    }
    if (!claimed) {
      auto rs = Stmt(c,
                     "SELECT method, request_hash, response FROM idempotency_keys "
                     "WHERE account_id = ? AND request_id = ?")
                    .Int(account_id)
                    .Str(request_id)
                    .Query();
      // Gone between the claim and the look-up (expired keys are deleted): start over.
      if (!rs->next()) return absl::AbortedError("idempotency race");
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
