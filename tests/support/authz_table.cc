#include "tests/support/authz_table.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nms/v1/auth.grpc.pb.h"

namespace nms::testing {

using access::Action;
using access::Placement;
using access::Role;
using access::ScopeKind;

namespace {

constexpr int64_t kGhostId = 999999901;

std::optional<Action> ActionByName(absl::string_view name) {
  for (int i = 0; i < static_cast<int>(Action::kCount_); ++i) {
    if (access::ActionName(static_cast<Action>(i)) == name) return static_cast<Action>(i);
  }
  return std::nullopt;
}

std::optional<Level> LevelByName(absl::string_view name) {
  if (name == "person") return Level::kPerson;
  if (name == "organization") return Level::kOrganization;
  if (name == "municipality") return Level::kMunicipality;
  if (name == "region") return Level::kRegion;
  if (name == "any") return Level::kAny;
  if (name == "-") return Level::kNone;
  return std::nullopt;
}

Placement PlacementAt(Level level, const Place& p) {
  switch (level) {
    case Level::kPerson: return Placement{p.region, p.municipality, p.organization, p.person};
    case Level::kOrganization: return Placement{p.region, p.municipality, p.organization, 0};
    case Level::kMunicipality: return Placement{p.region, p.municipality, 0, 0};
    case Level::kRegion: return Placement{p.region, 0, 0, 0};
    default: return Placement{};
  }
}

// Replaces every number of a resource name: "a/5/b/7" -> "a/<id>/b/<id>" (a missing child of a
// missing parent: a readable parent would rightly tell its reader which children it has).
std::string WithIds(const std::string& name, int64_t id) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    if (!absl::ascii_isdigit(name[i])) {
      out += name[i++];
      continue;
    }
    while (i < name.size() && absl::ascii_isdigit(name[i])) ++i;
    absl::StrAppend(&out, id);
  }
  return out;
}

}  // namespace

bool MatrixRow::HasRule(const std::string& r) const {
  return std::find(rules.begin(), rules.end(), r) != rules.end();
}

bool MatrixRow::MayNameOutside(const std::string& field_path) const { return HasRule("outside=" + field_path); }

std::set<std::string> MatrixRow::Selectors() const {
  std::set<std::string> out;
  for (const auto& r : rules) {
    if (absl::StartsWith(r, "selector=")) out.insert(r.substr(9));
  }
  return out;
}

std::string FieldAt::Path() const {
  std::string out;
  for (const auto& [f, index] : steps) absl::StrAppend(&out, out.empty() ? "" : ".", f->name());
  return out;
}

std::string FieldAt::Label() const {
  std::string out;
  for (const auto& [f, index] : steps) {
    absl::StrAppend(&out, out.empty() ? "" : ".", f->name());
    if (index >= 0) absl::StrAppend(&out, "[", index, "]");
  }
  return out;
}

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// "people/5", "routes/3/items/4", "regions/1/routeSettings", anywhere in the value (filters).
bool NamesResource(const std::string& value) {
  static const std::regex re("(^|[^A-Za-z0-9])[a-z][A-Za-z]*/[0-9]+");
  return std::regex_search(value, re);
}

void CollectNames(const Message& m, FieldAt* prefix, std::vector<FieldAt>* out) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const bool message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!message && f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) continue;
    const int n = f->is_repeated() ? r->FieldSize(m, f) : (message ? (r->HasField(m, f) ? 1 : 0) : 1);
    for (int k = 0; k < n; ++k) {
      prefix->steps.emplace_back(f, f->is_repeated() ? k : -1);
      if (message) {
        CollectNames(f->is_repeated() ? r->GetRepeatedMessage(m, f, k) : r->GetMessage(m, f), prefix, out);
      } else if (NamesResource(f->is_repeated() ? r->GetRepeatedString(m, f, k) : r->GetString(m, f))) {
        out->push_back(*prefix);
      }
      prefix->steps.pop_back();
    }
  }
}

}  // namespace

std::string GhostOf(const std::string& value) { return WithIds(value, kGhostId); }

int SpoilAllButNames(Message* m, const std::set<std::string>& keep) {
  const auto* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  if (d->full_name() == "google.protobuf.FieldMask") {
    r->AddString(m, d->FindFieldByName("paths"), "zz_no_such_field");
    return 1;
  }
  if (d->full_name() == "nms.v1.Date") {
    r->SetInt32(m, d->FindFieldByName("month"), 13);
    return 1;
  }
  if (d->full_name().rfind("google.protobuf.", 0) == 0) return 0;
  static const std::set<std::string> kLeft = {"request_id", "page_token", "filter", "etag"};
  int n = 0;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (keep.count(f->name())) continue;
    if (f->is_repeated()) {
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        for (int k = 0; k < r->FieldSize(*m, f); ++k) n += SpoilAllButNames(r->MutableRepeatedMessage(m, f, k));
      }
      continue;
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_ENUM:
        if (f->real_containing_oneof() != nullptr && !r->HasField(*m, f)) break;  // would unset its sibling
        r->SetEnumValue(m, f, 9999);
        ++n;
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        if (f->name() == "page_size") {
          r->SetInt32(m, f, -1);
          ++n;
        }
        break;
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string value = r->GetString(*m, f);
        if (value.empty() || kLeft.count(f->name()) || NamesResource(value) ||
            f->type() == FieldDescriptor::TYPE_BYTES) {
          break;
        }
        r->SetString(m, f, std::string(40000, 'x'));
        ++n;
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        // A mask is spoiled even where the request leaves it out; other messages where present.
        if (r->HasField(*m, f) || f->message_type()->full_name() == "google.protobuf.FieldMask") {
          n += SpoilAllButNames(r->MutableMessage(m, f));
        }
        break;
      default:
        break;
    }
  }
  return n;
}

namespace {

void CollectDocumented(const google::protobuf::Descriptor* d, const std::string& prefix, int depth,
                       std::set<const google::protobuf::Descriptor*>* path, std::vector<std::string>* out) {
  static const std::regex names_resource("\"[a-z][A-Za-z]*/\\{");
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string at = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const auto* type = f->message_type();
      if (depth >= 4 || path->count(type) || absl::StartsWith(type->full_name(), "google.")) continue;
      path->insert(type);
      CollectDocumented(type, at, depth + 1, path, out);
      path->erase(type);
      continue;
    }
    if (f->type() != FieldDescriptor::TYPE_STRING || f->name() == "filter") continue;
    google::protobuf::SourceLocation loc;
    if (!f->GetSourceLocation(&loc)) continue;
    const std::string doc = absl::AsciiStrToLower(loc.leading_comments + loc.trailing_comments);
    if (!std::regex_search(doc, names_resource) || absl::StrContains(doc, "output only")) continue;
    out->push_back(at);
  }
}

}  // namespace

std::vector<std::string> DocumentedNameFields(const google::protobuf::Descriptor* request) {
  std::vector<std::string> out;
  std::set<const google::protobuf::Descriptor*> path = {request};
  CollectDocumented(request, "", 0, &path, &out);
  // A Create call's resource gets its name from the server (AIP-133): "<resource>.name" there
  // names nothing the caller chooses.
  if (absl::StartsWith(request->name(), "Create")) {
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const std::string& p) {
                               return std::count(p.begin(), p.end(), '.') == 1 && absl::EndsWith(p, ".name");
                             }),
              out.end());
  }
  return out;
}

std::vector<FieldAt> ResourceNameFields(const Message& m) {
  std::vector<FieldAt> out;
  FieldAt prefix;
  CollectNames(m, &prefix, &out);
  return out;
}

std::string ValueAt(const Message& m, const FieldAt& at) {
  const Message* cur = &m;
  for (size_t i = 0; i < at.steps.size(); ++i) {
    const auto& [f, index] = at.steps[i];
    const auto* r = cur->GetReflection();
    if (f->containing_type() != cur->GetDescriptor()) return "";
    if (f->is_repeated() && index >= r->FieldSize(*cur, f)) return "";
    if (i + 1 == at.steps.size()) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) return "";
      return f->is_repeated() ? r->GetRepeatedString(*cur, f, index) : r->GetString(*cur, f);
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return "";
    cur = f->is_repeated() ? &r->GetRepeatedMessage(*cur, f, index) : &r->GetMessage(*cur, f);
  }
  return "";
}

void SetValueAt(Message* m, const FieldAt& at, const std::string& value) {
  Message* cur = m;
  for (size_t i = 0; i < at.steps.size(); ++i) {
    const auto& [f, index] = at.steps[i];
    const auto* r = cur->GetReflection();
    if (i + 1 == at.steps.size()) {
      if (f->is_repeated()) {
        r->SetRepeatedString(cur, f, index, value);
      } else {
        r->SetString(cur, f, value);
      }
      return;
    }
    cur = f->is_repeated() ? r->MutableRepeatedMessage(cur, f, index) : r->MutableMessage(cur, f);
  }
}

const MatrixRow* MatrixTable::Find(const std::string& method) const {
  for (const auto& r : rows) {
    if (r.method == method) return &r;
  }
  return nullptr;
}

std::string DefaultMatrixPath() { return NMS_SOURCE_DIR "/tests/integration/authz_matrix.txt"; }

absl::StatusOr<MatrixTable> LoadMatrixTable(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  MatrixTable t;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    absl::string_view v = absl::StripAsciiWhitespace(line);
    if (v.empty() || v[0] == '#') continue;
    std::vector<std::string> cols;
    for (absl::string_view c : absl::StrSplit(v, '|')) cols.emplace_back(absl::StripAsciiWhitespace(c));
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": ", why));
    };
    if (absl::StartsWith(cols[0], "object ")) {
      if (cols.size() < 4) return bad("object lines: object name | Service/Method | request | path [| as=person]");
      ObjectSpec o;
      o.line = n;
      o.name = std::string(absl::StripAsciiWhitespace(cols[0].substr(7)));
      o.method = cols[1];
      o.request = cols[2];
      o.path = cols[3];
      if (cols.size() > 4) {
        if (!absl::StartsWith(cols[4], "as=")) return bad("the fifth column of an object is as=admin|methodist|person|peer");
        o.as = cols[4].substr(3);
        if (o.as != "admin" && o.as != "methodist" && o.as != "person" && o.as != "peer") {
          return bad(absl::StrCat("unknown creator ", cols[4]));
        }
      }
      if (t.objects.count(o.name)) return bad(absl::StrCat("object ", o.name, " declared twice"));
      t.objects[o.name] = o;
      continue;
    }
    if (cols.size() < 3) return bad("rows: Service/Method | action | level | request [| rules]");
    MatrixRow r;
    r.line = n;
    r.method = cols[0];
    r.action_name = cols[1];
    if (r.action_name != "public" && r.action_name != "self") {
      r.action = ActionByName(r.action_name);
      if (!r.action) return bad(absl::StrCat("unknown action ", r.action_name, " (see policy.cc)"));
    }
    auto level = LevelByName(cols[2]);
    if (!level) return bad(absl::StrCat("unknown level ", cols[2]));
    r.level = *level;
    if (r.action && r.level == Level::kNone) return bad("an action needs a level");
    if (cols.size() > 3) r.request = cols[3];
    if (cols.size() > 4) {
      for (absl::string_view rule : absl::StrSplit(cols[4], ',', absl::SkipWhitespace())) {
        r.rules.emplace_back(absl::StripAsciiWhitespace(rule));
        static const std::set<std::string> kRules = {"own-organization", "own-municipality", "own-person",
                                                     "peer-side", "region-member", "teacher-self", "fresh",
                                                     "fresh-session", "own-account", "hidden"};
        static const std::set<std::string> kActors = {"self", "peer", "teacher", "school_admin",
                                                      "municipal_methodist", "regional_methodist",
                                                      "regional_admin", "federal_sync"};
        const std::string& added = r.rules.back();
        if (absl::StartsWith(added, "outside=") || absl::StartsWith(added, "per-record=") ||
            absl::StartsWith(added, "ignored=") || absl::StartsWith(added, "selector=") ||
            absl::StartsWith(added, "unprobed=")) {
          if (added.back() == '=') {
            return bad("outside=, per-record= and ignored= name a field path, e.g. outside=item.activity");
          }
        } else if (absl::StartsWith(added, "only=")) {
          for (absl::string_view who : absl::StrSplit(absl::string_view(added).substr(5), '+')) {
            if (!kActors.count(std::string(who))) return bad(absl::StrCat("unknown actor ", who, " in ", added));
          }
        } else if (!kRules.count(added)) {
          return bad(absl::StrCat("unknown rule ", added));
        }
      }
    }
    if (t.Find(r.method) != nullptr) return bad(absl::StrCat(r.method, " has two rows"));
    t.rows.push_back(std::move(r));
  }
  return t;
}

std::vector<std::string> Placeholders(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex re("\\{([a-z_]+)\\}");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    std::string key = (*it)[1];
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  }
  return out;
}

namespace {

// The `only=a+b` rule of a row: the handler lets only these actors through, whatever the read
// gate says. An actor is a role whose grant covers the target, `self` (the target person) or
// `peer` (the target's colleague, the other party of the target's objects).
std::optional<bool> OnlyActors(const MatrixRow& row, const RoleCase& caller, const Place& target) {
  const access::Principal& p = caller.principal;
  for (const auto& rule : row.rules) {
    if (!absl::StartsWith(rule, "only=")) continue;
    for (absl::string_view who : absl::StrSplit(absl::string_view(rule).substr(5), '+')) {
      if (who == "self" && p.person_id != 0 && p.person_id == target.person) return true;
      if (who == "peer" && p.person_id != 0 && p.person_id == target.peer) return true;
      for (const auto& g : p.grants) {
        if (access::RoleName(g.role) == who && access::Covers(g, p, PlacementAt(Level::kPerson, target))) return true;
      }
    }
    return false;
  }
  return std::nullopt;
}

bool GateAllows(const MatrixRow& row, const RoleCase& caller, const Place& target) {
  const access::Principal& p = caller.principal;
  if (row.HasRule("region-member") && access::MemberOfRegion(p, target.region, *row.action)) return true;
  if (row.HasRule("own-organization") && caller.own_organization != 0 &&
      caller.own_organization == target.organization) {
    return true;
  }
  if (row.HasRule("own-municipality") && !p.grants.empty() &&
      p.grants.front().scope_kind == ScopeKind::kOrganization && caller.in.organization == p.grants.front().scope_id &&
      caller.in.municipality == target.municipality) {
    return true;
  }
  if (row.HasRule("own-person") && p.person_id != 0 && p.person_id == target.person) return true;
  if (row.HasRule("peer-side") && p.person_id != 0 && p.person_id == target.peer) return true;
  if (row.HasRule("teacher-self") && p.HasRole(Role::kTeacher)) return true;
  if (row.level == Level::kAny) return access::WidestGrantFor(p, *row.action) != nullptr;
  return access::Authorize(p, *row.action, PlacementAt(row.level, target)).ok();
}

}  // namespace

bool PolicyAllows(const MatrixRow& row, const RoleCase& caller, const Place& target) {
  if (!row.action) return true;  // public and self
  if (!GateAllows(row, caller, target)) return false;
  return OnlyActors(row, caller, target).value_or(true);
}

bool RegionWideFor(const MatrixRow& row, const access::Principal& p) {
  for (const auto& g : p.grants) {
    if (g.scope_kind != ScopeKind::kRegion || g.role == Role::kTeacher) continue;
    // Region-wide callers may learn existence through any action they hold region-wide (a
    // handler may check reading the target before the row's own action).
    (void)row;
    return true;
  }
  return false;
}

MatrixDriver::MatrixDriver(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel)
    : table_(table), world_(world), channel_(std::move(channel)) {}

std::string MatrixDriver::Token(const std::string& login) {
  auto it = tokens_.find(login);
  if (it != tokens_.end()) return it->second;
  auto stub = nms::v1::AuthService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  nms::v1::SignInRequest req;
  req.set_login(login);
  req.set_password("Passw0rd!");
  nms::v1::SignInResponse resp;
  auto st = stub->SignIn(&ctx, req, &resp);
  std::string token = st.ok() ? resp.tokens().access_token() : "";
  if (st.ok()) tokens_[login] = token;
  return token;
}

std::string MatrixDriver::Value(const std::string& key, const Place& p) {
  if (key == "region") return absl::StrCat("regions/", p.region);
  if (key == "municipality") return absl::StrCat("municipalities/", p.municipality);
  if (key == "organization") return absl::StrCat("organizations/", p.organization);
  if (key == "person") return absl::StrCat("people/", p.person);
  if (key == "district") return absl::StrCat("districts/", p.district);
  if (key == "cnppm") return absl::StrCat("organizations/", p.cnppm);
  if (key == "account") return absl::StrCat("accounts/", p.account);
  if (key == "methodist") return absl::StrCat("people/", p.methodist_person);
  if (key == "peer") return absl::StrCat("people/", p.peer);
  // A window around now, for campaigns and the like (Unix seconds).
  if (key == "unix_past") return absl::StrCat(absl::ToUnixSeconds(absl::Now() - absl::Hours(1)));
  if (key == "unix_future") return absl::StrCat(absl::ToUnixSeconds(absl::Now() + absl::Hours(72)));
  if (key == "unix_future_end") return absl::StrCat(absl::ToUnixSeconds(absl::Now() + absl::Hours(74)));
  if (key == "uniq") return absl::StrCat("u", ++uniq_, "x", absl::ToUnixMicros(absl::Now()) % 100000000);
  return "";
}

MatrixDriver::Expansion MatrixDriver::Expand(const std::string& text, const Place& place, bool fresh) {
  Expansion out;
  out.text = text;
  for (const auto& key : Placeholders(text)) {
    std::string value;
    if (table_.objects.count(key)) {
      Expansion obj = Resolve(key, place, fresh);
      if (obj.outcome != Outcome::kOk) return obj;
      value = obj.text;
    } else if (key == "uniq") {
      // Each occurrence of {uniq} in one request gets the same value.
      value = Value(key, place);
    } else {
      value = Value(key, place);
      if (value.empty()) {
        out.outcome = Outcome::kFailed;
        out.problem = absl::StrCat("unknown placeholder {", key, "}");
        return out;
      }
    }
    absl::StrReplaceAll({{absl::StrCat("{", key, "}"), value}}, &out.text);
  }
  return out;
}

MatrixDriver::Expansion MatrixDriver::ExpandGhost(const std::string& text, const Place& like) {
  // Real names first (objects must exist to be imitated), then every id swapped for a missing one.
  Expansion real = Expand(text, like);
  if (real.outcome != Outcome::kOk) return real;
  Expansion out;
  out.text = text;
  int64_t n = 0;
  for (const auto& key : Placeholders(text)) {
    std::string value;
    if (key == "uniq") {
      value = Value(key, like);
    } else if (table_.objects.count(key)) {
      value = WithIds(Resolve(key, like, false).text, kGhostId + 50 + n++);
    } else {
      value = WithIds(Value(key, like), kGhostId + n++);
    }
    absl::StrReplaceAll({{absl::StrCat("{", key, "}"), value}}, &out.text);
  }
  return out;
}

MatrixDriver::Expansion MatrixDriver::Resolve(const std::string& object, const Place& place, bool fresh) {
  const ObjectSpec& spec = table_.objects.at(object);
  // Objects are shared by the places that would create the same thing (an organisation's
  // programme, a region's framework): the key is the creator's request for this place, with
  // {uniq} held and objects it depends on named by their own keys.
  std::string login = spec.as == "person"      ? place.login
                      : spec.as == "peer"      ? place.peer_login
                      : spec.as == "methodist" ? world_.region_methodist.at(place.region)
                                               : world_.region_admin.at(place.region);
  std::string key = absl::StrCat(spec.method, "|", login, "|", KeyOf(spec.request, place));
  if (!fresh) {
    auto it = objects_.find(key);
    if (it != objects_.end()) return it->second;
  }
  Expansion out;
  const ApiSurface& api = ApiSurface::Get();
  const RpcMethod* m = api.Find(spec.method);
  if (m == nullptr) {
    out.outcome = Outcome::kFailed;
    out.problem = absl::StrCat("object ", object, " (line ", spec.line, "): no method ", spec.method);
    return objects_[key] = out;
  }
  Expansion req = Expand(spec.request, place, fresh);
  if (req.outcome != Outcome::kOk) return objects_[key] = req;
  auto msg = api.ParseRequest(*m, req.text);
  if (!msg.ok()) {
    out.outcome = Outcome::kFailed;
    out.problem = absl::StrCat("object ", object, " (line ", spec.line, "): ", msg.status().message());
    return objects_[key] = out;
  }
  CallOptions options;
  options.bearer_token = Token(login);
  CallResult r = Call(*channel_, *m, **msg, options);
  if (r.status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    out.outcome = Outcome::kUnimplemented;
    out.problem = absl::StrCat("object ", object, ": ", spec.method, " not implemented yet");
    return objects_[key] = out;
  }
  std::string name;
  if (r.status.ok() && !r.responses.empty()) {
    auto resp = api.NewResponse(*m);
    if (resp->ParseFromString(r.responses[0])) name = FieldPathValue(*resp, spec.path);
  }
  if (name.empty()) {
    out.outcome = Outcome::kFailed;
    out.problem = absl::StrCat("object ", object, " (line ", spec.line, ") for ", place.label, ": ", spec.method,
                               " as ", login, " -> ", r.status.error_code(), " ", r.status.error_message(),
                               r.status.ok() ? absl::StrCat(" (no ", spec.path, " in the response)") : "");
    return objects_[key] = out;
  }
  out.text = name;
  return objects_[key] = out;
}

std::string MatrixDriver::KeyOf(const std::string& text, const Place& place) {
  std::string out = text;
  for (const auto& key : Placeholders(text)) {
    std::string value;
    if (key == "uniq" || key == "unix_past" || key == "unix_future" || key == "unix_future_end") {
      value = "*";
    } else if (table_.objects.count(key)) {
      value = absl::StrCat("[", KeyOf(table_.objects.at(key).request, place), "]");
    } else {
      value = Value(key, place);
    }
    absl::StrReplaceAll({{absl::StrCat("{", key, "}"), value}}, &out);
  }
  return out;
}

std::vector<std::string> MatrixDriver::PrepareObjects() {
  std::vector<std::string> problems;
  for (const auto& place : world_.places) {
    for (const auto& [name, spec] : table_.objects) {
      Expansion e = Resolve(name, place, false);
      if (e.outcome == Outcome::kFailed) problems.push_back(e.problem);
    }
  }
  return problems;
}

std::unique_ptr<google::protobuf::Message> MatrixDriver::Request(const MatrixRow& row, const Place& place, bool ghost,
                                                                 Expansion* how) {
  *how = ghost ? ExpandGhost(row.request, place) : Expand(row.request, place, row.HasRule("fresh"));
  if (how->outcome != Outcome::kOk) return nullptr;
  const RpcMethod* m = ApiSurface::Get().Find(row.method);
  auto msg = ApiSurface::Get().ParseRequest(*m, how->text);
  if (!msg.ok()) {
    how->outcome = Outcome::kFailed;
    how->problem = absl::StrCat("line ", row.line, ": ", msg.status().message());
    return nullptr;
  }
  return std::move(*msg);
}

}  // namespace nms::testing
