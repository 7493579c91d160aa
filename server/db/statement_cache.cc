#include "server/db/statement_cache.h"

#include <utility>

#include "absl/synchronization/mutex.h"

namespace nms::db {
namespace {

struct Registry {
  absl::Mutex mu;
  absl::flat_hash_map<sql::Connection*, std::unique_ptr<StatementCache>> caches ABSL_GUARDED_BY(mu);
};

Registry& GetRegistry() {
  static Registry* registry = new Registry;  // never destroyed: pools may outlive statics
  return *registry;
}

// Delegates every call to the driver's result set; while it lives, the cached statement that
// produced it is not re-executed (that would discard these rows).
class HeldResultSet final : public sql::ResultSet {
 public:
  HeldResultSet(std::unique_ptr<sql::ResultSet> rs, std::shared_ptr<StatementCache::Entry> entry)
      : rs_(std::move(rs)), entry_(std::move(entry)) {}
  ~HeldResultSet() override {
    rs_.reset();  // rows first, then the statement is free again
    entry_.reset();
  }

  bool absolute(int row) override { return rs_->absolute(row); }
  void afterLast() override { rs_->afterLast(); }
  void beforeFirst() override { rs_->beforeFirst(); }
  void cancelRowUpdates() override { rs_->cancelRowUpdates(); }
  void clearWarnings() override { rs_->clearWarnings(); }
  void close() override { rs_->close(); }
  uint32_t findColumn(const sql::SQLString& l) const override { return rs_->findColumn(l); }
  bool first() override { return rs_->first(); }
  std::istream* getBlob(uint32_t i) const override { return rs_->getBlob(i); }
  std::istream* getBlob(const sql::SQLString& l) const override { return rs_->getBlob(l); }
  bool getBoolean(uint32_t i) const override { return rs_->getBoolean(i); }
  bool getBoolean(const sql::SQLString& l) const override { return rs_->getBoolean(l); }
  int getConcurrency() override { return rs_->getConcurrency(); }
  sql::SQLString getCursorName() override { return rs_->getCursorName(); }
  long double getDouble(uint32_t i) const override { return rs_->getDouble(i); }
  long double getDouble(const sql::SQLString& l) const override { return rs_->getDouble(l); }
  int getFetchDirection() override { return rs_->getFetchDirection(); }
  size_t getFetchSize() override { return rs_->getFetchSize(); }
  int getHoldability() override { return rs_->getHoldability(); }
  int32_t getInt(uint32_t i) const override { return rs_->getInt(i); }
  int32_t getInt(const sql::SQLString& l) const override { return rs_->getInt(l); }
  uint32_t getUInt(uint32_t i) const override { return rs_->getUInt(i); }
  uint32_t getUInt(const sql::SQLString& l) const override { return rs_->getUInt(l); }
  int64_t getInt64(uint32_t i) const override { return rs_->getInt64(i); }
  int64_t getInt64(const sql::SQLString& l) const override { return rs_->getInt64(l); }
  uint64_t getUInt64(uint32_t i) const override { return rs_->getUInt64(i); }
  uint64_t getUInt64(const sql::SQLString& l) const override { return rs_->getUInt64(l); }
  sql::ResultSetMetaData* getMetaData() const override { return rs_->getMetaData(); }
  size_t getRow() const override { return rs_->getRow(); }
  sql::RowID* getRowId(uint32_t i) override { return rs_->getRowId(i); }
  sql::RowID* getRowId(const sql::SQLString& l) override { return rs_->getRowId(l); }
  const sql::Statement* getStatement() const override { return rs_->getStatement(); }
  sql::SQLString getString(uint32_t i) const override { return rs_->getString(i); }
  sql::SQLString getString(const sql::SQLString& l) const override { return rs_->getString(l); }
  enum_type getType() const override { return rs_->getType(); }
  void getWarnings() override { rs_->getWarnings(); }
  void insertRow() override { rs_->insertRow(); }
  bool isAfterLast() const override { return rs_->isAfterLast(); }
  bool isBeforeFirst() const override { return rs_->isBeforeFirst(); }
  bool isClosed() const override { return rs_->isClosed(); }
  bool isFirst() const override { return rs_->isFirst(); }
  bool isLast() const override { return rs_->isLast(); }
  bool isNull(uint32_t i) const override { return rs_->isNull(i); }
  bool isNull(const sql::SQLString& l) const override { return rs_->isNull(l); }
  bool last() override { return rs_->last(); }
  bool next() override { return rs_->next(); }
  void moveToCurrentRow() override { rs_->moveToCurrentRow(); }
  void moveToInsertRow() override { rs_->moveToInsertRow(); }
  bool previous() override { return rs_->previous(); }
  void refreshRow() override { rs_->refreshRow(); }
  bool relative(int rows) override { return rs_->relative(rows); }
  bool rowDeleted() override { return rs_->rowDeleted(); }
  bool rowInserted() override { return rs_->rowInserted(); }
  bool rowUpdated() override { return rs_->rowUpdated(); }
  void setFetchSize(size_t rows) override { rs_->setFetchSize(rows); }
  size_t rowsCount() const override { return rs_->rowsCount(); }
  bool wasNull() const override { return rs_->wasNull(); }

 private:
  std::unique_ptr<sql::ResultSet> rs_;
  std::shared_ptr<StatementCache::Entry> entry_;
};

}  // namespace

StatementCache::~StatementCache() { Clear(); }

std::shared_ptr<StatementCache::Entry> StatementCache::Borrow(sql::Connection& conn, const std::string& sql,
                                                              bool* prepared) {
  *prepared = false;
  auto it = index_.find(sql);
  if (it != index_.end()) {
    // The cache holds one reference; any other means a Stmt or a result set still uses it.
    if (it->second->use_count() > 1) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    std::shared_ptr<Entry> entry = lru_.front();
    entry->ps->clearParameters();
    return entry;
  }
  auto entry = std::make_shared<Entry>();
  entry->sql = sql;
  entry->ps.reset(conn.prepareStatement(sql));  // throws like an uncached prepare
  *prepared = true;
  lru_.push_front(entry);
  index_[sql] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back()->sql);
    lru_.pop_back();  // closes the statement on the server unless it is still in use
  }
  return entry;
}

void StatementCache::Clear() {
  index_.clear();
  lru_.clear();
}

void StatementCache::Attach(sql::Connection* conn, size_t capacity) {
  Registry& r = GetRegistry();
  absl::MutexLock lock(&r.mu);
  r.caches[conn] = std::make_unique<StatementCache>(capacity);
}

void StatementCache::Detach(sql::Connection* conn) {
  std::unique_ptr<StatementCache> gone;
  {
    Registry& r = GetRegistry();
    absl::MutexLock lock(&r.mu);
    auto it = r.caches.find(conn);
    if (it == r.caches.end()) return;
    gone = std::move(it->second);
    r.caches.erase(it);
  }
  // Closing statements talks to the server; never under the registry lock.
  gone.reset();
}

StatementCache* StatementCache::For(sql::Connection& conn) {
  Registry& r = GetRegistry();
  absl::ReaderMutexLock lock(&r.mu);
  auto it = r.caches.find(&conn);
  return it == r.caches.end() ? nullptr : it->second.get();
}

std::unique_ptr<sql::ResultSet> HoldWhileOpen(std::unique_ptr<sql::ResultSet> rs,
                                              std::shared_ptr<StatementCache::Entry> entry) {
  if (rs == nullptr || entry == nullptr) return rs;
  return std::make_unique<HeldResultSet>(std::move(rs), std::move(entry));
}

}  // namespace nms::db
