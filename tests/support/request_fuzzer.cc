#include "tests/support/request_fuzzer.h"

#include <cmath>
#include <limits>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>

#include "absl/strings/str_cat.h"

namespace nms::testing {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

constexpr int kMaxDepth = 5;

uint64_t Mix(uint64_t x) {  // splitmix64: stable across platforms, unlike std::hash
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Fnv(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

template <typename T>
const T& Pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[rng() % v.size()];
}

bool Chance(std::mt19937_64& rng, int percent) { return static_cast<int>(rng() % 100) < percent; }

const std::vector<int64_t>& Ints() {
  static const auto* v = new std::vector<int64_t>{
      0, 1, -1, 2, 7, 50, 100, 101, 1000, 1001, 5000, 5001, 10000, 65535, 1 << 20,
      std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(),
      int64_t{std::numeric_limits<int32_t>::max()} + 1, std::numeric_limits<int64_t>::max(),
      std::numeric_limits<int64_t>::min(), -1000000, 1900, 1899, 2026, 9999, 10000, 253402300800};
  return *v;
}

const std::vector<double>& Doubles() {
  static const auto* v = new std::vector<double>{
      0.0, -0.0, 1.0, -1.0, 0.5, 100.0, 100.0001, 1e308, -1e308, 5e-324,
      std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::quiet_NaN()};
  return *v;
}

}  // namespace

const std::vector<std::string>& RequestFuzzer::SqlInjectionStrings() {
  static const auto* v = new std::vector<std::string>{
      "' OR '1'='1",
      "'; DROP TABLE people; --",
      "\"; DELETE FROM accounts; --",
      "1; UPDATE people SET last_name='x'",
      "') OR 1=1 -- ",
      "' UNION SELECT password_hash FROM accounts -- ",
      "\\'; TRUNCATE audit_log; #",
      "1' AND SLEEP(5) AND '1'='1",
      "%' OR last_name LIKE '%",
      "`; DROP DATABASE nms; --",
      "people/1' OR '1'='1",
      "regions/1 OR 1=1",
      "last_name = 'x' OR 1=1",
      "person = \"people/1\" OR 1=1",
      "0x27; SELECT * FROM role_grants",
      "Робert'); DROP TABLE organizations;--",
  };
  return *v;
}

const std::vector<std::string>& RequestFuzzer::HostileStrings() {
  static const auto* v = [] {
    auto* out = new std::vector<std::string>{
        "", " ", "\t\n", "x", std::string(64, 'a'), std::string(65, 'a'), std::string(128, 'b'),
        std::string(129, 'b'), std::string(255, 'c'), std::string(256, 'c'), std::string(1001, 'd'),
        std::string(10001, 'e'), std::string(70000, 'f'), std::string("a\0b", 3),
        "Ёжик 🦔 ‮RTL‬ \u0301", "Иванова Анна Петровна", "  Иванова  ", "\\", "%", "_", "\"", "'", "`",
        "people/", "people/0", "people/-1", "people/abc", "people/9223372036854775807",
        "people/9223372036854775808", "people/1/x", "/people/1", "people//1", "people/ 1", "people/1 ",
        "PEOPLE/1", "regions/1/../2", "organizations/1e3", "municipalities/0x10", "routes/1",
        "campaigns/1", "sessions/1", "accounts/1", "roleGrants/1", "employments/1",
        "2026-13-40", "1990-02-30", "9999-99-99", "{", "{\"a\":", "[[[[[[[[[[", std::string(5000, '('),
        "person = \"people/1\"", "region = regions/1", "status = 1 AND", "a=b OR 1=1",
        "Ivanova@@example..com", "+7 (999) 000-00-00", "ФИО;Дата рождения\nИванова;1990-01-01\n",
        "last_name,first_name\n\"unterminated", "=CMD|' /C calc'!A0", "<script>alert(1)</script>",
        "../../etc/passwd", "${jndi:ldap://x}", "%s%s%s%n", "\r\n\r\nHTTP/1.1 200 OK",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBB", "Bearer x", "c2VjcmV0",
    };
    for (const auto& s : SqlInjectionStrings()) out->push_back(s);
    return out;
  }();
  return *v;
}

const std::vector<std::string>& RequestFuzzer::InvalidUtf8Strings() {
  static const auto* v = new std::vector<std::string>{"\xff\xfe\xfd", "\xc3\x28", "\xc0\xaf", "\xed\xa0\x80",
                                                      "\xe2\x82", "ok\x80"};
  return *v;
}

RequestFuzzer::RequestFuzzer(uint64_t seed, std::vector<std::string> names)
    : seed_(seed), names_(std::move(names)) {
  if (names_.empty()) names_.push_back("regions/1");
  // Invalid UTF-8 in string fields is a planned input: keep protobuf from logging each one.
  google::protobuf::SetLogHandler(nullptr);
}

std::string RequestFuzzer::Garbage(std::mt19937_64& rng) {
  std::string out;
  switch (rng() % 5) {
    case 0: {  // random bytes
      size_t n = rng() % 512;
      for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(rng() & 0xff));
      break;
    }
    case 1:  // a length-delimited field claiming far more bytes than follow
      out = std::string("\x0a\xff\xff\xff\x0f", 5) + "short";
      break;
    case 2:  // nesting deeper than any parser limit
      for (int i = 0; i < 200; ++i) out = std::string("\x0a", 1) + static_cast<char>(std::min<size_t>(out.size(), 127)) + out;
      break;
    case 3:  // a varint that never ends
      out = std::string(16, '\xff');
      break;
    default:  // wrong wire type for field 1, then an end-group tag out of nowhere
      out = std::string("\x0d\x01\x02\x03\x04\x0c", 6);
      break;
  }
  return out;
}

std::string RequestFuzzer::RandomString(std::mt19937_64& rng) const {
  int r = static_cast<int>(rng() % 100);
  if (r < 30) return Pick(names_, rng);
  if (r < 35) {  // a valid name of one collection with another's id, or a neighbour's id
    const std::string& n = Pick(names_, rng);
    auto slash = n.find('/');
    return absl::StrCat(n.substr(0, slash + 1), static_cast<int64_t>(rng() % 1000) - 10);
  }
  if (r < 36 && rng() % 4 == 0) return std::string((1 << 20) + static_cast<int>(rng() % 1000), 'z');  // ~1 MB
  if (r < 45) {  // random code points: controls, NUL, Cyrillic, marks, astral planes
    std::string s;
    size_t n = rng() % 40;
    for (size_t i = 0; i < n; ++i) {
      static const uint32_t kRanges[][2] = {{0, 0x7f}, {0x400, 0x4ff}, {0x300, 0x36f}, {0x2000, 0x206f},
                                            {0xe000, 0xf8ff}, {0x1f300, 0x1f64f}, {0x10000, 0x10ffff}};
      const auto& range = kRanges[rng() % std::size(kRanges)];
      uint32_t cp = range[0] + static_cast<uint32_t>(rng() % (range[1] - range[0] + 1));
      if (cp < 0x80) {
        s.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      } else if (cp < 0x10000) {
        s.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      } else {
        s.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      }
    }
    return s;
  }
  // Invalid UTF-8 is rare in string fields (gRPC refuses such a message before any handler).
  if (r == 45 && rng() % 2 == 0) return Pick(InvalidUtf8Strings(), rng);
  return Pick(HostileStrings(), rng);
}

void RequestFuzzer::SetField(Message* m, const FieldDescriptor* f, std::mt19937_64& rng, int depth) const {
  const Reflection* r = m->GetReflection();
  int count = 1;
  if (f->is_repeated()) {
    int k = static_cast<int>(rng() % 100);
    count = k < 10 ? 0 : k < 85 ? 1 + static_cast<int>(rng() % 4) : k < 97 ? 100 : 3000;
    // Long lists only near the top: nested long lists multiply into floods, not boundaries.
    if (depth > 1 && count > 4) count = 4;
    r->ClearField(m, f);
  }
  for (int i = 0; i < count; ++i) {
    bool rep = f->is_repeated();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string s = RandomString(rng);
        if (f->type() == FieldDescriptor::TYPE_BYTES && Chance(rng, 30)) {
          s = Chance(rng, 50) ? Garbage(rng) : Pick(InvalidUtf8Strings(), rng) + s;  // bytes may be anything
        }
        if (count > 4 && s.size() > 64) s.resize(64);
        rep ? r->AddString(m, f, s) : r->SetString(m, f, s);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        auto v = static_cast<int32_t>(Pick(Ints(), rng));
        rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = Pick(Ints(), rng);
        rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        auto v = static_cast<uint32_t>(Pick(Ints(), rng));
        rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        auto v = static_cast<uint64_t>(Pick(Ints(), rng));
        rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double v = Pick(Doubles(), rng);
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        auto v = static_cast<float>(Pick(Doubles(), rng));
        rep ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool v = rng() % 2;
        rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        int v;
        int k = static_cast<int>(rng() % 10);
        const auto* e = f->enum_type();
        if (k < 6) v = e->value(static_cast<int>(rng() % e->value_count()))->number();
        else if (k < 8) v = e->value(e->value_count() - 1)->number() + 1 + static_cast<int>(rng() % 1000);
        else v = k == 8 ? -1 : std::numeric_limits<int32_t>::max();
        rep ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        if (depth >= kMaxDepth) break;
        Message* child = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
        if (count > 4) {  // elements of a long list stay flat
          FillRandom(child, rng, kMaxDepth);
          break;
        }
        if (f->message_type()->full_name() == "nms.v1.Date" && Chance(rng, 60)) {
          const Descriptor* d = child->GetDescriptor();
          const Reflection* cr = child->GetReflection();
          static const int kYears[] = {0, 1, 1899, 1900, 1960, 1990, 2000, 2024, 2026, 2100, 9999, 10000, -5};
          static const int kMonths[] = {0, 1, 2, 6, 12, 13, -1};
          static const int kDays[] = {0, 1, 28, 29, 30, 31, 32, -1};
          cr->SetInt32(child, d->FindFieldByName("year"), kYears[rng() % std::size(kYears)]);
          cr->SetInt32(child, d->FindFieldByName("month"), kMonths[rng() % std::size(kMonths)]);
          cr->SetInt32(child, d->FindFieldByName("day"), kDays[rng() % std::size(kDays)]);
        } else {
          FillRandom(child, rng, depth + 1);
        }
        break;
      }
    }
  }
}

void RequestFuzzer::FillRandom(Message* m, std::mt19937_64& rng, int depth) const {
  const Descriptor* d = m->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    if (Chance(rng, 55)) SetField(m, d->field(i), rng, depth);
  }
}

void RequestFuzzer::MutateOne(Message* m, std::mt19937_64& rng, int depth) const {
  const Descriptor* d = m->GetDescriptor();
  if (d->field_count() == 0) return;
  const FieldDescriptor* f = d->field(static_cast<int>(rng() % d->field_count()));
  const Reflection* r = m->GetReflection();
  // Descend into a set sub-message half of the time, so deep fields get mutated too.
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < kMaxDepth && Chance(rng, 50)) {
    if (!f->is_repeated() && r->HasField(*m, f)) return MutateOne(r->MutableMessage(m, f), rng, depth + 1);
    if (f->is_repeated() && r->FieldSize(*m, f) > 0) {
      return MutateOne(r->MutableRepeatedMessage(m, f, static_cast<int>(rng() % r->FieldSize(*m, f))), rng, depth + 1);
    }
  }
  SetField(m, f, rng, depth);
}

FuzzCase RequestFuzzer::Make(const RpcMethod& m, const Message* base, uint64_t index) const {
  std::mt19937_64 rng(Mix(seed_ ^ Mix(Fnv(m.key)) ^ Mix(index * 0x2545F4914F6CDD1DULL)));
  const ApiSurface& api = ApiSurface::Get();
  FuzzCase c;
  auto msg = api.NewRequest(m);
  int r = static_cast<int>(rng() % 1000);
  if (r < 50) {
    c.strategy = "garbage bytes";
    c.bytes = Garbage(rng);
  } else if (r < 80) {
    c.strategy = "empty message";
  } else if (r < 400 || base == nullptr) {
    c.strategy = "random fill";
    FillRandom(msg.get(), rng, 0);
  } else if (r < 900) {
    msg->CopyFrom(*base);
    int n = 1 + static_cast<int>(rng() % 3);
    c.strategy = absl::StrCat("valid request, ", n, " field(s) mutated");
    for (int i = 0; i < n; ++i) MutateOne(msg.get(), rng, 0);
  } else if (r < 950) {
    c.strategy = "valid request, every string hostile";
    if (base != nullptr) msg->CopyFrom(*base);
    FillStrings(msg.get(), Pick(HostileStrings(), rng));
  } else if (r < 998) {
    c.strategy = "valid request + unknown and wrong-type fields";
    if (base != nullptr) msg->CopyFrom(*base);
    c.bytes = msg->SerializeAsString();
    c.bytes += std::string("\xa0\x1f\x05", 3);          // field 500, varint
    c.bytes += std::string("\xfa\x3e\x03" "abc", 6);    // field 1007, bytes
    if (rng() % 2) c.bytes += std::string("\x08\x96\x01", 3);  // field 1 again as a varint
  } else {
    c.strategy = "larger than the server's message limit";
    c.bytes = std::string("\x0a\x80\x80\x80\x05", 5) + std::string(10 << 20, 'x');  // field 1, 10 MiB
  }
  if (c.bytes.empty() && c.strategy.find("garbage") == std::string::npos &&
      c.strategy.find("larger") == std::string::npos) {
    c.bytes = msg->SerializeAsString();
  }
  auto check = api.NewRequest(m);
  c.parses = check->ParseFromString(c.bytes);
  return c;
}

int RequestFuzzer::FillStrings(Message* m, const std::string& value, int depth) {
  if (depth > kMaxDepth) return 0;
  const Descriptor* d = m->GetDescriptor();
  const Reflection* r = m->GetReflection();
  int set = 0;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      if (f->is_repeated()) {
        if (r->FieldSize(*m, f) == 0) r->AddString(m, f, value);
        for (int k = 0; k < r->FieldSize(*m, f); ++k) r->SetRepeatedString(m, f, k, value);
      } else {
        r->SetString(m, f, value);
      }
      ++set;
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               f->message_type()->full_name().rfind("google.protobuf.", 0) != 0) {
      if (f->is_repeated()) {
        if (r->FieldSize(*m, f) == 0) r->AddMessage(m, f);
        for (int k = 0; k < r->FieldSize(*m, f); ++k) set += FillStrings(r->MutableRepeatedMessage(m, f, k), value, depth + 1);
      } else {
        set += FillStrings(r->MutableMessage(m, f), value, depth + 1);
      }
    }
  }
  return set;
}

}  // namespace nms::testing
