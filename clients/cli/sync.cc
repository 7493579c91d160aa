#include "clients/cli/sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>
#include <google/protobuf/util/json_util.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nms/v1/auth.grpc.pb.h"
#include "nms/v1/federal_exchange.grpc.pb.h"
#include "server/domain/federal/change_feed.h"

namespace nms::cli {
namespace {

namespace v1 = nms::v1;

std::string EnvOr(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// key=value arguments after the positional ones.
std::map<std::string, std::string> KeyValues(const std::vector<std::string>& args, size_t from) {
  std::map<std::string, std::string> kv;
  for (size_t i = from; i < args.size(); ++i) {
    auto eq = args[i].find('=');
    if (eq == std::string::npos) kv[args[i]] = "true";
    else kv[args[i].substr(0, eq)] = args[i].substr(eq + 1);
  }
  return kv;
}

// A connection to the server plus the metadata every call carries.
struct Conn {
  std::shared_ptr<grpc::Channel> channel;
  std::string bearer;  // empty with mTLS
  std::unique_ptr<grpc::ClientContext> Ctx(int seconds = 60) const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!bearer.empty()) ctx->AddMetadata("authorization", "Bearer " + bearer);
    if (seconds > 0) ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return ctx;
  }
};

bool Connect(const Options& o, Conn* conn) {
  std::string cert = EnvOr("NMS_SYNC_CERT"), key = EnvOr("NMS_SYNC_KEY"), ca = EnvOr("NMS_SYNC_CA");
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  if (!cert.empty() && !key.empty() && !ca.empty()) {
    grpc::SslCredentialsOptions ssl;
    if (!ReadFile(ca, &ssl.pem_root_certs) || !ReadFile(cert, &ssl.pem_cert_chain) ||
        !ReadFile(key, &ssl.pem_private_key)) {
      std::cerr << "sync: не удалось прочитать NMS_SYNC_CA / NMS_SYNC_CERT / NMS_SYNC_KEY\n";
      return false;
    }
    conn->channel = grpc::CreateCustomChannel(o.server, grpc::SslCredentials(ssl), args);
    return true;
  }
  conn->channel = grpc::CreateCustomChannel(o.server, grpc::InsecureChannelCredentials(), args);
  auto auth = v1::AuthService::NewStub(conn->channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::SignInRequest req;
  req.set_login(o.login);
  req.set_password(o.password);
  v1::SignInResponse resp;
  if (auto st = auth->SignIn(&ctx, req, &resp); !st.ok()) {
    std::cerr << "sync: вход не выполнен: " << st.error_message()
              << " (задайте --login/--password или NMS_SYNC_CERT/KEY/CA)\n";
    return false;
  }
  conn->bearer = resp.tokens().access_token();
  return true;
}

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  return out + "\"";
}

// One JSONL line per change; `payload` is the entity's JSON as the server sent it.
std::string ChangeLine(const v1::ChangeRecord& c) {
  std::string payload = c.payload_json().empty() ? "null" : c.payload_json();
  std::string time = absl::FormatTime(
      absl::RFC3339_full,
      absl::FromUnixSeconds(c.commit_time().seconds()) + absl::Nanoseconds(c.commit_time().nanos()),
      absl::UTCTimeZone());
  return absl::StrCat("{\"cursor\":", JsonString(c.cursor()), ",\"sequence\":", c.sequence(), ",\"entity_type\":",
                      JsonString(v1::ChangeEntityType_Name(c.entity_type())), ",\"external_id\":",
                      JsonString(c.external_id()), ",\"resource\":", JsonString(c.resource()), ",\"operation\":",
                      JsonString(v1::ChangeOperation_Name(c.operation())), ",\"commit_time\":",
                      JsonString(time),
                      ",\"payload_schema_version\":", c.payload_schema_version(), ",\"payload\":", payload, "}\n");
}

// Extracts the "cursor" of a JSONL line written by ChangeLine.
std::string CursorOfLine(absl::string_view line) {
  constexpr absl::string_view kKey = "{\"cursor\":\"";
  if (!absl::StartsWith(line, kKey)) return "";
  auto end = line.find('"', kKey.size());
  return end == absl::string_view::npos ? "" : std::string(line.substr(kKey.size(), end - kKey.size()));
}

bool WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  return ok && ::rename(tmp.c_str(), path.c_str()) == 0;
}

// Recovers the resume point: the change file is the source of truth (a torn last line from a
// kill is cut off); the cursor file is written after each flushed batch and is used when the
// file has nothing newer.
std::string Recover(const std::string& data_path, const std::string& cursor_path) {
  std::string saved;
  ReadFile(cursor_path, &saved);
  saved = std::string(absl::StripAsciiWhitespace(saved));
  std::string data;
  if (!ReadFile(data_path, &data) || data.empty()) return saved;
  size_t keep = data.size();
  if (data.back() != '\n') {
    keep = data.rfind('\n');
    keep = keep == std::string::npos ? 0 : keep + 1;
    if (::truncate(data_path.c_str(), static_cast<off_t>(keep)) != 0) {
      std::cerr << "sync: не удалось обрезать незавершённую строку в " << data_path << "\n";
    }
  }
  if (keep == 0) return saved;
  size_t start = data.rfind('\n', keep - 2);
  start = start == std::string::npos ? 0 : start + 1;
  std::string from_file = CursorOfLine(absl::string_view(data).substr(start, keep - start));
  return from_file.empty() ? saved : from_file;
}

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int Pull(const Options& o, const Conn& conn) {
  if (o.args.size() < 2) {
    std::cerr << "usage: nmsctl sync pull DIR [region=regions/N] [batch=500] [follow] [types=teacher,...]\n";
    return 2;
  }
  std::string dir = o.args[1];
  auto kv = KeyValues(o.args, 2);
  ::mkdir(dir.c_str(), 0755);
  std::string data_path = dir + "/changes.jsonl", cursor_path = dir + "/cursor";
  std::string cursor = Recover(data_path, cursor_path);

  v1::StreamChangesRequest req;
  req.set_after_cursor(cursor);
  req.set_region(kv["region"]);
  int batch = 500;
  if (kv.count("batch") && (!absl::SimpleAtoi(kv["batch"], &batch) || batch <= 0 || batch > 5000)) {
    std::cerr << "sync: batch — число от 1 до 5000\n";
    return 2;
  }
  req.set_batch_size(batch);
  req.set_follow(kv.count("follow") > 0);
  if (kv.count("types")) {
    for (absl::string_view t : absl::StrSplit(kv["types"], ',', absl::SkipEmpty())) {
      v1::ChangeEntityType type;
      std::string name = absl::StrCat("CHANGE_ENTITY_TYPE_", absl::AsciiStrToUpper(t));
      if (!v1::ChangeEntityType_Parse(name, &type)) {
        std::cerr << "sync: неизвестный тип " << t << "\n";
        return 2;
      }
      req.add_entity_types(type);
    }
  }
  auto stub = v1::FederalExchangeService::NewStub(conn.channel);
  int64_t pending = -1;
  {
    v1::GetExchangeStatusRequest sreq;
    sreq.set_region(kv["region"]);
    sreq.set_cursor(cursor.empty() ? federal::EncodeCursor(0) : cursor);
    v1::GetExchangeStatusResponse sresp;
    if (stub->GetExchangeStatus(conn.Ctx(10).get(), sreq, &sresp).ok()) pending = sresp.pending_changes();
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  int fd = ::open(data_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) {
    std::cerr << "sync: не удалось открыть " << data_path << "\n";
    return 1;
  }
  auto ctx = conn.Ctx(req.follow() ? 0 : 3600);
  auto reader = stub->StreamChanges(ctx.get(), req);
  v1::StreamChangesResponse resp;
  int64_t received = 0;
  absl::Time started = absl::Now();
  while (!g_stop && reader->Read(&resp)) {
    if (resp.changes_size() > 0) {
      std::string chunk;
      for (const auto& c : resp.changes()) chunk += ChangeLine(c);
      if (::write(fd, chunk.data(), chunk.size()) != static_cast<ssize_t>(chunk.size()) || ::fsync(fd) != 0) {
        std::cerr << "sync: ошибка записи в " << data_path << "\n";
        ctx->TryCancel();
        reader->Finish();
        ::close(fd);
        return 1;
      }
      received += resp.changes_size();
    }
    if (resp.cursor() != cursor) {
      cursor = resp.cursor();
      if (!WriteFileAtomically(cursor_path, cursor + "\n")) {
        std::cerr << "sync: не удалось сохранить курсор\n";
      }
    }
    double secs = absl::ToDoubleSeconds(absl::Now() - started);
    std::cerr << "\rsync: получено " << received;
    if (pending >= 0) std::cerr << " из ~" << pending;
    std::cerr << " изменений, " << static_cast<int64_t>(secs > 0 ? received / secs : 0) << "/с"
              << (resp.caught_up() ? ", догнали журнал" : "") << "   " << std::flush;
  }
  if (g_stop) ctx->TryCancel();
  grpc::Status st = reader->Finish();
  ::close(fd);
  std::cerr << "\n";
  if (!st.ok() && !g_stop) {
    std::cerr << "sync: поток прерван: " << st.error_message() << " (запустите снова — продолжит с курсора)\n";
    return 1;
  }
  std::cout << "получено " << received << " изменений; курсор сохранён в " << cursor_path << "\n";
  return 0;
}

// ---- push

bool ParseBool(absl::string_view v) {
  std::string s = absl::AsciiStrToLower(absl::StripAsciiWhitespace(v));
  return s == "1" || s == "true" || s == "да" || s == "yes";
}

bool ParseDate(absl::string_view v, v1::Date* d) {
  int y = 0, m = 0, day = 0;
  std::string s(absl::StripAsciiWhitespace(v));
  if (s.empty()) return true;
  if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &day) == 3 || std::sscanf(s.c_str(), "%d.%d.%d", &day, &m, &y) == 3) {
    d->set_year(y);
    d->set_month(m);
    d->set_day(day);
    return true;
  }
  return false;
}

// Splits one CSV line (RFC 4180 quotes, ',' or ';' separator).
std::vector<std::string> CsvFields(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == sep) {
      out.push_back(cur);
      cur.clear();
    } else if (ch != '\r') {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

// Reads records of message type M from JSONL (proto JSON) or CSV (header = field names).
template <typename M>
bool ReadRecords(const std::string& path, std::vector<M>* out,
                 bool (*from_csv)(const std::map<std::string, std::string>&, M*, std::string*)) {
  std::string data;
  if (!ReadFile(path, &data)) {
    std::cerr << "sync: не удалось открыть " << path << "\n";
    return false;
  }
  if (absl::StartsWith(data, "\xEF\xBB\xBF")) data.erase(0, 3);
  std::vector<std::string> lines = absl::StrSplit(data, '\n', absl::SkipWhitespace());
  bool jsonl = absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".json");
  if (jsonl) {
    for (size_t i = 0; i < lines.size(); ++i) {
      M m;
      google::protobuf::util::JsonParseOptions opts;
      opts.ignore_unknown_fields = true;
      auto st = google::protobuf::util::JsonStringToMessage(lines[i], &m, opts);
      if (!st.ok()) {
        std::cerr << path << ":" << i + 1 << ": " << st.message() << "\n";
        return false;
      }
      out->push_back(std::move(m));
    }
    return true;
  }
  if (lines.empty()) return true;
  char sep = lines[0].find(';') != std::string::npos && lines[0].find(',') == std::string::npos ? ';' : ',';
  std::vector<std::string> header = CsvFields(lines[0], sep);
  for (auto& h : header) h = absl::AsciiStrToLower(absl::StripAsciiWhitespace(h));
  for (size_t i = 1; i < lines.size(); ++i) {
    auto fields = CsvFields(lines[i], sep);
    std::map<std::string, std::string> row;
    for (size_t k = 0; k < header.size() && k < fields.size(); ++k) row[header[k]] = fields[k];
    M m;
    std::string error;
    if (!from_csv(row, &m, &error)) {
      std::cerr << path << ":" << i + 1 << ": " << error << "\n";
      return false;
    }
    out->push_back(std::move(m));
  }
  return true;
}

int Int(const std::map<std::string, std::string>& row, const char* key) {
  auto it = row.find(key);
  int v = 0;
  if (it != row.end()) (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(it->second), &v);
  return v;
}
std::string Str(const std::map<std::string, std::string>& row, const char* key) {
  auto it = row.find(key);
  return it == row.end() ? "" : std::string(absl::StripAsciiWhitespace(it->second));
}

bool ProgrammeFromCsv(const std::map<std::string, std::string>& row, v1::FederalProgrammeRecord* r, std::string*) {
  r->set_external_id(Str(row, "external_id"));
  r->set_title(Str(row, "title"));
  r->set_hours(Int(row, "hours"));
  r->set_provider_title(Str(row, "provider_title"));
  r->set_provider_inn(Str(row, "provider_inn"));
  for (absl::string_view c : absl::StrSplit(Str(row, "competencies"), '|', absl::SkipWhitespace())) {
    r->add_competencies(std::string(c));
  }
  r->set_annotation(Str(row, "annotation"));
  r->set_url(Str(row, "url"));
  r->set_active(!row.count("active") || ParseBool(Str(row, "active")));
  return true;
}

bool CompletionFromCsv(const std::map<std::string, std::string>& row, v1::FederalCompletionRecord* r,
                       std::string* error) {
  r->set_external_id(Str(row, "external_id"));
  r->set_person(Str(row, "person"));
  r->set_person_external_id(Str(row, "person_external_id"));
  r->set_programme_external_id(Str(row, "programme_external_id"));
  r->set_programme_title(Str(row, "programme_title"));
  r->set_hours(Int(row, "hours"));
  if (!ParseDate(Str(row, "start_date"), r->mutable_start_date()) ||
      !ParseDate(Str(row, "end_date"), r->mutable_end_date())) {
    *error = "даты: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ";
    return false;
  }
  r->set_attestation_passed(ParseBool(Str(row, "attestation_passed")));
  r->set_certificate_number(Str(row, "certificate_number"));
  r->set_federal_operator(ParseBool(Str(row, "federal_operator")));
  return true;
}

template <typename Req, typename Resp, typename Rec, typename Call>
int Push(const Options& o, const Conn& conn, bool (*from_csv)(const std::map<std::string, std::string>&, Rec*, std::string*),
         Call call) {
  if (o.args.size() < 2) {
    std::cerr << "usage: nmsctl sync " << o.args[0] << " FILE(.csv|.jsonl) region=regions/N\n";
    return 2;
  }
  auto kv = KeyValues(o.args, 2);
  if (kv["region"].empty()) {
    std::cerr << "sync: укажите region=regions/N\n";
    return 2;
  }
  std::vector<Rec> records;
  if (!ReadRecords<Rec>(o.args[1], &records, from_csv)) return 2;
  std::string content;
  ReadFile(o.args[1], &content);
  size_t file_hash = std::hash<std::string>{}(content);
  constexpr size_t kChunk = 1000;
  int counts[5] = {0, 0, 0, 0, 0};
  for (size_t from = 0; from < records.size(); from += kChunk) {
    Req req;
    req.set_region(kv["region"]);
    for (size_t i = from; i < records.size() && i < from + kChunk; ++i) *req.add_records() = records[i];
    req.set_request_id(absl::StrCat("nmsctl-sync-", o.args[0], "-", file_hash, "-", from));
    Resp resp;
    grpc::Status st = call(*conn.Ctx(300), req, &resp);
    if (!st.ok()) {
      std::cerr << "\nsync: пакет с записи " << from + 1 << " отклонён: " << st.error_message() << "\n";
      return 1;
    }
    for (const auto& r : resp.results()) {
      if (r.outcome() >= 0 && r.outcome() <= 4) ++counts[r.outcome()];
      if (r.outcome() == v1::FEDERAL_IMPORT_OUTCOME_REJECTED) {
        std::cerr << "\nзапись " << from + r.index() + 1 << " (" << r.external_id() << "): " << r.message();
      }
    }
    std::cerr << "\rsync: отправлено " << std::min(records.size(), from + kChunk) << " из " << records.size() << "   "
              << std::flush;
  }
  std::cerr << "\n";
  std::cout << "создано " << counts[1] << ", обновлено " << counts[2] << ", без изменений " << counts[3]
            << ", отклонено " << counts[4] << "\n";
  return counts[4] > 0 ? 3 : 0;
}

int Status(const Options& o, const Conn& conn) {
  auto kv = KeyValues(o.args, 1);
  v1::GetExchangeStatusRequest req;
  req.set_region(kv["region"]);
  for (const auto& a : o.args) {
    if (a.find('=') == std::string::npos && a != "status") {
      std::string cursor;
      ReadFile(a + "/cursor", &cursor);
      req.set_cursor(std::string(absl::StripAsciiWhitespace(cursor)));
    }
  }
  v1::GetExchangeStatusResponse resp;
  auto stub = v1::FederalExchangeService::NewStub(conn.channel);
  if (auto st = stub->GetExchangeStatus(conn.Ctx(10).get(), req, &resp); !st.ok()) {
    std::cerr << "sync: " << st.error_message() << "\n";
    return 1;
  }
  std::cout << "head cursor: " << resp.head_cursor() << "\npending: " << resp.pending_changes()
            << "\nprogrammes: " << resp.programmes().total_records() << "\ncompletions: "
            << resp.completions().total_records() << "\n";
  return 0;
}

}  // namespace

int Sync(const Options& o) {
  if (o.args.empty()) {
    std::cerr << "usage: nmsctl sync pull|push-programmes|push-completions|status ...\n";
    return 2;
  }
  const std::string& sub = o.args[0];
  if (sub != "pull" && sub != "push-programmes" && sub != "push-completions" && sub != "status") {
    std::cerr << "sync: неизвестная подкоманда " << sub << "\n";
    return 2;
  }
  Conn conn;
  if (!Connect(o, &conn)) return 1;
  auto stub = v1::FederalExchangeService::NewStub(conn.channel);
  if (sub == "pull") return Pull(o, conn);
  if (sub == "status") return Status(o, conn);
  if (sub == "push-programmes") {
    return Push<v1::ImportProgrammesRequest, v1::ImportProgrammesResponse, v1::FederalProgrammeRecord>(
        o, conn, ProgrammeFromCsv, [&](grpc::ClientContext& ctx, const auto& req, auto* resp) {
          return stub->ImportProgrammes(&ctx, req, resp);
        });
  }
  return Push<v1::ImportCompletionsRequest, v1::ImportCompletionsResponse, v1::FederalCompletionRecord>(
      o, conn, CompletionFromCsv, [&](grpc::ClientContext& ctx, const auto& req, auto* resp) {
        return stub->ImportCompletions(&ctx, req, resp);
      });
}

}  // namespace nms::cli
