#include "server/services/monitoring_service.h"

#include <algorithm>

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/proto_enum.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/text.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/monitoring_facts_repository.h"
#include "server/db/monitoring_facts_cache.h"
#include "server/db/monitoring_repository.h"
#include "server/db/route_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/person.h"
#include "server/domain/monitoring/facts.h"
#include "server/domain/monitoring/indicators.h"
#include "server/domain/monitoring/report.h"
#include "server/services/convert.h"
#include "server/services/route_access.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::MonitoringRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;
namespace mon = nms::monitoring;

namespace {

// ---------------------------------------------------------------- conversions

mon::FactRef FactFromProto(const v1::FactReference& f) {
  mon::FactRef out;
  out.fact = static_cast<mon::Fact>(f.fact());
  for (int t : f.organization_types()) out.organization_types.push_back(t);
  std::sort(out.organization_types.begin(), out.organization_types.end());
  out.organization_types.erase(std::unique(out.organization_types.begin(), out.organization_types.end()),
                               out.organization_types.end());
  return out;
}

void FactToProto(const mon::FactRef& f, v1::FactReference* out) {
  out->set_fact(static_cast<v1::MonitoringFact>(f.fact));
  for (int t : f.organization_types) out->add_organization_types(static_cast<v1::OrganizationType>(t));
}

mon::Definition DefinitionFromProto(const v1::IndicatorDefinition& p) {
  mon::Definition d;
  d.code = std::string(absl::StripAsciiWhitespace(p.code()));
  d.ordinal = p.ordinal();
  d.title = std::string(absl::StripAsciiWhitespace(p.title()));
  d.description = p.description();
  d.preset = static_cast<mon::Preset>(p.preset());
  d.numerator = FactFromProto(p.numerator());
  d.denominator = FactFromProto(p.denominator());
  d.value_kind = static_cast<mon::ValueKind>(p.value_kind());
  d.scope_level = static_cast<mon::ScopeLevel>(p.scope_level());
  d.period = static_cast<mon::Period>(p.period());
  d.target_value = p.target_value();
  d.comparison = static_cast<mon::Comparison>(p.comparison());
  d.source_clause = p.source_clause();
  d.denominator_note = p.denominator_note();
  d.enabled = p.enabled();
  return d;
}

void DefinitionToProto(const mon::Definition& d, v1::IndicatorDefinition* out) {
  out->set_code(d.code);
  out->set_ordinal(d.ordinal);
  out->set_title(d.title);
  out->set_description(d.description);
  out->set_preset(static_cast<v1::IndicatorPreset>(d.preset));
  FactToProto(d.numerator, out->mutable_numerator());
  FactToProto(d.denominator, out->mutable_denominator());
  out->set_value_kind(static_cast<v1::IndicatorValueKind>(d.value_kind));
  out->set_scope_level(static_cast<v1::IndicatorScopeLevel>(d.scope_level));
  out->set_period(static_cast<v1::IndicatorPeriod>(d.period));
  out->set_target_value(d.target_value);
  out->set_comparison(static_cast<v1::TargetComparison>(d.comparison));
  out->set_source_clause(d.source_clause);
  out->set_denominator_note(d.denominator_note);
  out->set_enabled(d.enabled);
}

v1::IndicatorDefinition StoredToProto(const db::StoredDefinition& s) {
  v1::IndicatorDefinition out;
  DefinitionToProto(s.def, &out);
  out.set_name(ResourceName("indicatorDefinitions", s.def.id));
  out.set_region(ResourceName("regions", s.region_id));
  out.set_version(s.version);
  out.mutable_create_time()->set_seconds(s.created_unix);
  out.mutable_update_time()->set_seconds(s.updated_unix);
  return out;
}

absl::Status ValidDefinition(const mon::Definition& d) {
  auto errors = mon::ValidateDefinition(d);
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  if (!IsValidUtf8(d.code) || !IsValidUtf8(d.title) || !IsValidUtf8(d.description) ||
      !IsValidUtf8(d.source_clause) || !IsValidUtf8(d.denominator_note)) {
    return absl::InvalidArgumentError("Текстовые поля показателя должны быть в UTF-8");
  }
  if (d.description.size() > 10000) return absl::InvalidArgumentError("Поле description: не длиннее 10000 байт");
  if (d.denominator_note.size() > 1000) return absl::InvalidArgumentError("Поле denominator_note: не длиннее 1000 байт");
  return absl::OkStatus();
}

// Validates a [start, end] pair of proto dates.
absl::Status ValidSpan(const v1::Date& start, const v1::Date& end, absl::string_view prefix, bool start_required) {
  ASSIGN_OR_RETURN(auto s, FromProtoDate(start, absl::StrCat(prefix, ".start_date")));
  ASSIGN_OR_RETURN(auto e, FromProtoDate(end, absl::StrCat(prefix, ".end_date")));
  if (start_required && !s) return absl::InvalidArgumentError(absl::StrCat("Поле ", prefix, ".start_date обязательно"));
  if (s && e && *e < *s) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", prefix, ".end_date: раньше даты начала"));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- scopes

struct ScopeRef {
  mon::Scope scope;
  int64_t region_id = 0;
  std::string name;
  std::string title;
};

absl::StatusOr<ScopeRef> ResolveScope(sql::Connection& c, const std::string& name, absl::string_view field) {
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  ASSIGN_OR_RETURN(AnyName n, ParseAnyName(name, field));
  ScopeRef out;
  out.name = ResourceName(n.collection, n.id);
  out.scope.id = n.id;
  if (n.collection == "regions") {
    out.scope.level = mon::ScopeLevel::kRegion;
  } else if (n.collection == "districts") {
    out.scope.level = mon::ScopeLevel::kDistrict;
  } else if (n.collection == "municipalities") {
    out.scope.level = mon::ScopeLevel::kMunicipality;
  } else if (n.collection == "organizations") {
    out.scope.level = mon::ScopeLevel::kOrganization;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("Поле ", field, ": ожидается regions/…, districts/…, municipalities/… или organizations/…"));
  }
  auto row = Repo::FindScope(c, out.scope.level, n.id);
  if (!row) return absl::NotFoundError(absl::StrCat("Территория или организация ", out.name, " не найдена"));
  out.region_id = row->region_id;
  out.title = row->title;
  return out;
}

// Region -> municipalities, district -> municipalities, municipality -> educational organisations.
std::vector<ScopeRef> Children(sql::Connection& c, const ScopeRef& s) {
  bool orgs = s.scope.level == mon::ScopeLevel::kMunicipality;
  mon::ScopeLevel level = orgs ? mon::ScopeLevel::kOrganization : mon::ScopeLevel::kMunicipality;
  std::vector<ScopeRef> out;
  for (auto& row : Repo::ChildScopes(c, s.scope.level, s.scope.id, s.region_id)) {
    ScopeRef r;
    r.scope = {level, row.id};
    r.region_id = row.region_id;
    r.name = ResourceName(orgs ? "organizations" : "municipalities", row.id);
    r.title = std::move(row.title);
    out.push_back(std::move(r));
  }
  return out;
}

// ---------------------------------------------------------------- computation

struct Computation {
  std::vector<db::StoredDefinition> defs;
  std::shared_ptr<const mon::FactInputs> inputs;  // shared with the facts cache; never modified
  std::vector<db::AttestationRec> attestations;
};

absl::StatusOr<Computation> Load(sql::Connection& c, db::MonitoringFactsCache& facts, int64_t region_id,
                                 const std::vector<std::string>& codes) {
  Computation comp;
  for (auto& d : Repo::ListDefinitions(c, region_id, true)) {
    if (codes.empty() || std::find(codes.begin(), codes.end(), d.def.code) != codes.end()) {
      comp.defs.push_back(std::move(d));
    }
  }
  for (const auto& code : codes) {
    bool found = false;
    for (const auto& d : comp.defs) found = found || d.def.code == code;
    if (!found) return absl::NotFoundError(absl::StrCat("Показатель с кодом «", code.substr(0, 64), "» не найден"));
  }
  ASSIGN_OR_RETURN(comp.inputs, facts.Get(c, region_id));
  comp.attestations = Repo::ListAttestations(c, region_id);
  return comp;
}

std::optional<bool> FindAttestation(const Computation& comp, int64_t def_id, const ScopeRef& s, const mon::DateRange& r) {
  const db::AttestationRec* best = nullptr;
  for (const auto& a : comp.attestations) {
    if (a.definition_id != def_id || a.scope_level != static_cast<int>(s.scope.level) || a.scope_id != s.scope.id) continue;
    if (a.period_end < r.start || a.period_end > r.end) continue;
    if (best == nullptr || best->period_end < a.period_end) best = &a;
  }
  if (best == nullptr) return std::nullopt;
  return best->value;
}

mon::ScopeRows EvaluateScope(const Computation& comp, const mon::FactCounter& counter, const ScopeRef& s,
                             absl::CivilDay ref) {
  mon::ScopeRows out;
  out.scope = s.name;
  out.title = s.title;
  for (const auto& sd : comp.defs) {
    const mon::Definition& d = sd.def;
    mon::ValueRow row;
    row.code = d.code;
    row.title = d.title;
    row.def = d;
    row.period = mon::PeriodRange(d.period, ref);
    if (static_cast<int>(s.scope.level) > static_cast<int>(d.scope_level)) {
      row.eval.status = mon::Status::kNotApplicable;
      row.eval.note = "показатель не рассчитывается на этом уровне";
    } else if (d.value_kind == mon::ValueKind::kBoolean) {
      row.eval = mon::Evaluate(d, 0, 0, FindAttestation(comp, d.id, s, row.period));
    } else {
      int64_t num = counter.Count(s.scope, d.numerator, row.period);
      int64_t den = counter.Count(s.scope, d.denominator, row.period);
      row.eval = mon::Evaluate(d, num, den);
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

void RowToProto(const db::StoredDefinition& sd, const mon::ValueRow& row, v1::IndicatorValue* v) {
  v->set_definition(ResourceName("indicatorDefinitions", sd.def.id));
  v->set_code(row.code);
  v->set_title(row.title);
  v->set_numerator(row.eval.numerator);
  v->set_denominator(row.eval.denominator);
  v->set_value(row.eval.value);
  v->set_value_kind(static_cast<v1::IndicatorValueKind>(row.def.value_kind));
  v->set_target_value(row.def.target_value);
  v->set_comparison(static_cast<v1::TargetComparison>(row.def.comparison));
  v->set_status(static_cast<v1::IndicatorStatus>(row.eval.status));
  v->set_allocated_period_start_date(
      NewProtoDate(row.period.start.year() <= 1900 ? std::nullopt : std::optional(row.period.start)));
  v->set_allocated_period_end_date(NewProtoDate(row.period.end));
  v->set_note(row.eval.note);
}

void ScopeToProto(const Computation& comp, const ScopeRef& s, const mon::ScopeRows& rows, v1::ScopeIndicatorValues* out) {
  out->set_scope(s.name);
  out->set_title(s.title);
  out->set_level(static_cast<v1::IndicatorScopeLevel>(s.scope.level));
  for (size_t i = 0; i < rows.rows.size(); ++i) RowToProto(comp.defs[i], rows.rows[i], out->add_values());
}

struct Computed {
  Computation comp;
  ScopeRef scope;
  std::vector<ScopeRef> children;
  std::vector<mon::ScopeRows> rows;  // scope first, then children
  absl::CivilDay ref;
};

// Shared by ComputeIndicators, the CSV export and the HTML report.
absl::Status ComputeFor(db::ConnectionPool& pool, db::MonitoringFactsCache& facts, const Principal& p, const std::string& scope_name,
                        const v1::Date& ref_date, const std::vector<std::string>& codes, bool children, Computed* out) {
  ASSIGN_OR_RETURN(auto ref, FromProtoDate(ref_date, "reference_date"));
  out->ref = ref.value_or(TodayInRegion());
  return db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    if (scope_name.empty()) return absl::InvalidArgumentError("Поле scope обязательно");
    RETURN_IF_ERROR(CheckAccess(p, Action::kReadIndicators, PlaceByName(c, scope_name, "scope")));
    ASSIGN_OR_RETURN(out->scope, ResolveScope(c, scope_name, "scope"));
    ASSIGN_OR_RETURN(out->comp, Load(c, facts, out->scope.region_id, codes));
    mon::FactCounter counter(*out->comp.inputs, out->ref);
    out->rows.push_back(EvaluateScope(out->comp, counter, out->scope, out->ref));
    if (children) {
      out->children = Children(c, out->scope);
      for (const auto& ch : out->children) out->rows.push_back(EvaluateScope(out->comp, counter, ch, out->ref));
    }
    return absl::OkStatus();
  });
}

std::string FileDate(absl::CivilDay d) {
  return absl::StrCat(d.year(), d.month() < 10 ? "0" : "", d.month(), d.day() < 10 ? "0" : "", d.day());
}

// Person placement, access and region for a fact about `person`.
absl::StatusOr<std::pair<int64_t, Placement>> PersonFor(sql::Connection& c, const Principal& p,
                                                         const std::string& name, absl::string_view field) {
  ASSIGN_OR_RETURN(int64_t id, ParseResourceName(name, "people", field));
  auto place = Dir::PlacePerson(c, id);
  RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
  return std::make_pair(id, *place);
}

// An organisation or person a fact names besides its subject: authorised for record_facts
// (out of scope and missing look alike), then required to be in the fact's region.
absl::StatusOr<int64_t> OrgInRegion(sql::Connection& c, const Principal& p, const std::string& name,
                                    absl::string_view field, int64_t region_id, bool required) {
  ASSIGN_OR_RETURN(int64_t id, required ? ParseResourceName(name, "organizations", field)
                                        : ParseOptionalResourceName(name, "organizations", field));
  if (id == 0) return 0;
  auto place = Dir::PlaceOrganization(c, id);
  RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
  if (place->region_id != region_id) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": организация не найдена в регионе"));
  }
  return id;
}

absl::StatusOr<int64_t> PersonInRegion(sql::Connection& c, const Principal& p, const std::string& name,
                                       absl::string_view field, int64_t region_id) {
  ASSIGN_OR_RETURN(int64_t id, ParseResourceName(name, "people", field));
  auto place = Dir::PlacePerson(c, id);
  RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
  if (place->region_id != region_id) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": человек не найден в регионе"));
  }
  return id;
}

absl::Status ValidCompletion(const v1::TrainingCompletion& t) {
  RETURN_IF_ERROR(RequireText(t.programme_title(), "completion.programme_title"));
  RETURN_IF_ERROR(OptionalText(t.provider_title(), "completion.provider_title"));
  RETURN_IF_ERROR(OptionalText(t.federal_registry_id(), "completion.federal_registry_id", 128));
  RETURN_IF_ERROR(OptionalText(t.certificate_number(), "completion.certificate_number", 128));
  RETURN_IF_ERROR(OptionalText(t.external_id(), "completion.external_id", 128));
  if (t.hours() < 0 || t.hours() > 10000) {
    return absl::InvalidArgumentError("Поле completion.hours: от 0 до 10000 часов");
  }
  RETURN_IF_ERROR(ValidSpan(t.start_date(), t.end_date(), "completion", false));
  if (t.attestation_passed() && t.end_date().year() == 0) {
    return absl::InvalidArgumentError("Поле completion.end_date обязательно, когда итоговая аттестация пройдена");
  }
  if (t.source() < 0 || t.source() > 4) return absl::InvalidArgumentError("Поле completion.source: неизвестный источник");
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------- presets and definitions

grpc::Status MonitoringServiceImpl::ListIndicatorPresets(grpc::ServerContext* ctx, const v1::ListIndicatorPresetsRequest*,
                                                         v1::ListIndicatorPresetsResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/ListIndicatorPresets", [&](const Principal&) {
    for (const auto& preset : mon::Presets()) {
      auto* info = resp->add_presets();
      info->set_preset(static_cast<v1::IndicatorPreset>(preset.preset));
      info->set_title(preset.title);
      info->set_source(preset.source);
      info->set_monitoring_period(static_cast<v1::IndicatorPeriod>(preset.monitoring_period));
      for (const auto& d : preset.definitions) DefinitionToProto(d, info->add_definitions());
    }
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::ApplyIndicatorPreset(grpc::ServerContext* ctx, const v1::ApplyIndicatorPresetRequest* req,
                                                         v1::ApplyIndicatorPresetResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/ApplyIndicatorPreset", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->region(), "regions", "region"));
    const mon::PresetInfo* preset = mon::FindPreset(static_cast<mon::Preset>(req->preset()));
    if (preset == nullptr) return absl::InvalidArgumentError("Поле preset: неизвестный набор показателей");
    bool replace = req->mode() == v1::PRESET_APPLY_MODE_REPLACE;
    if (req->mode() < 0 || req->mode() > 2) return absl::InvalidArgumentError("Поле mode: неизвестный режим");
    return db::IdempotentWrite(pool_, p.account_id, "ApplyIndicatorPreset", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageIndicators, Dir::PlaceRegion(c, region)));
      std::vector<int64_t> ids;
      for (const auto& d : preset->definitions) {
        auto existing = Repo::FindDefinitionByCode(c, region, d.code);
        if (!existing) {
          ids.push_back(Repo::InsertDefinition(c, region, d));
        } else {
          ids.push_back(*existing);
          if (replace) Repo::UpdateDefinition(c, *existing, d);
        }
      }
      if (replace) Repo::SetEnabledExcept(c, region, false, ids);
      for (const auto& sd : Repo::ListDefinitions(c, region, true)) *resp->add_definitions() = StoredToProto(sd);
      db::WriteAudit(c, p.account_id, "ApplyIndicatorPreset", ResourceName("regions", region), nullptr, req);
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::CreateIndicatorDefinition(grpc::ServerContext* ctx,
                                                              const v1::CreateIndicatorDefinitionRequest* req,
                                                              v1::CreateIndicatorDefinitionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/CreateIndicatorDefinition", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->definition().region(), "regions", "definition.region"));
    mon::Definition d = DefinitionFromProto(req->definition());
    RETURN_IF_ERROR(ValidDefinition(d));
    return db::IdempotentWrite(pool_, p.account_id, "CreateIndicatorDefinition", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageIndicators, Dir::PlaceRegion(c, region)));
      if (Repo::FindDefinitionByCode(c, region, d.code)) {
        return absl::AlreadyExistsError(absl::StrCat("Показатель с кодом «", d.code, "» уже есть в регионе"));
      }
      int64_t id = Repo::InsertDefinition(c, region, d);
      ASSIGN_OR_RETURN(auto stored, Repo::GetDefinition(c, id));
      *resp->mutable_definition() = StoredToProto(stored);
      db::WriteAudit(c, p.account_id, "CreateIndicatorDefinition", resp->definition().name(), nullptr, &resp->definition());
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::GetIndicatorDefinition(grpc::ServerContext* ctx,
                                                           const v1::GetIndicatorDefinitionRequest* req,
                                                           v1::GetIndicatorDefinitionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/GetIndicatorDefinition", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "indicatorDefinitions", "name"));
      auto stored = Repo::GetDefinition(c, id);
      absl::StatusOr<Placement> place = stored.ok() ? absl::StatusOr<Placement>(Placement{stored->region_id})
                                                    : absl::StatusOr<Placement>(stored.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadIndicators, place));
      *resp->mutable_definition() = StoredToProto(*stored);
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::ListIndicatorDefinitions(grpc::ServerContext* ctx,
                                                             const v1::ListIndicatorDefinitionsRequest* req,
                                                             v1::ListIndicatorDefinitionsResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/ListIndicatorDefinitions", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      // Filter: `region = "regions/N"` and `enabled = true|false`; without a region the
      // caller's first region is listed.
      int64_t region = p.grants.empty() ? 0 : p.grants.front().region_id;
      std::optional<bool> enabled;
      ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, ParseFilter(req->filter(), {"region", "enabled"}));
      for (const auto& t : terms) {
        if (t.field == "region") {
          RETURN_IF_ERROR(FilterOps(t, {"="}));
          ASSIGN_OR_RETURN(region, FilterName(t, "regions"));
        } else {
          ASSIGN_OR_RETURN(enabled, FilterBool(t));
        }
      }
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadIndicators, Dir::PlaceRegion(c, region)));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      auto defs = Repo::ListDefinitions(c, region, enabled.value_or(false));
      if (enabled.has_value() && !*enabled) {
        defs.erase(std::remove_if(defs.begin(), defs.end(), [](const db::StoredDefinition& d) { return d.def.enabled; }),
                   defs.end());
      }
      const int64_t total = static_cast<int64_t>(defs.size());
      std::string next;
      for (const auto& d : TakePage(std::move(defs), paging, &next)) *resp->add_definitions() = StoredToProto(d);
      resp->set_next_page_token(next);
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::UpdateIndicatorDefinition(grpc::ServerContext* ctx,
                                                              const v1::UpdateIndicatorDefinitionRequest* req,
                                                              v1::UpdateIndicatorDefinitionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/UpdateIndicatorDefinition", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->definition().name(), "indicatorDefinitions", "definition.name"));
    if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
    ASSIGN_OR_RETURN(auto paths,
                     MaskPaths(req->update_mask(), {"code", "ordinal", "title", "description", "numerator", "denominator",
                                                    "value_kind", "scope_level", "period", "target_value", "comparison",
                                                    "source_clause", "denominator_note", "enabled"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateIndicatorDefinition", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto stored = Repo::GetDefinition(c, id, true);
      absl::StatusOr<Placement> place = stored.ok() ? absl::StatusOr<Placement>(Placement{stored->region_id})
                                                    : absl::StatusOr<Placement>(stored.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageIndicators, place));
      v1::IndicatorDefinition before = StoredToProto(*stored);
      mon::Definition in = DefinitionFromProto(req->definition());
      mon::Definition next = stored->def;
      for (const auto& path : paths) {
        if (path == "code") next.code = in.code;
        else if (path == "ordinal") next.ordinal = in.ordinal;
        else if (path == "title") next.title = in.title;
        else if (path == "description") next.description = in.description;
        else if (path == "numerator") next.numerator = in.numerator;
        else if (path == "denominator") next.denominator = in.denominator;
        else if (path == "value_kind") next.value_kind = in.value_kind;
        else if (path == "scope_level") next.scope_level = in.scope_level;
        else if (path == "period") next.period = in.period;
        else if (path == "target_value") next.target_value = in.target_value;
        else if (path == "comparison") next.comparison = in.comparison;
        else if (path == "source_clause") next.source_clause = in.source_clause;
        else if (path == "denominator_note") next.denominator_note = in.denominator_note;
        else if (path == "enabled") next.enabled = in.enabled;
      }
      RETURN_IF_ERROR(ValidDefinition(next));
      RETURN_IF_ERROR(CheckVersion(req->definition().version(), stored->version));
      if (next.code != stored->def.code) {
        auto other = Repo::FindDefinitionByCode(c, stored->region_id, next.code);
        if (other && *other != id) {
          return absl::AlreadyExistsError(absl::StrCat("Показатель с кодом «", next.code, "» уже есть в регионе"));
        }
      }
      Repo::UpdateDefinition(c, id, next);
      ASSIGN_OR_RETURN(auto after, Repo::GetDefinition(c, id));
      *resp->mutable_definition() = StoredToProto(after);
      db::WriteAudit(c, p.account_id, "UpdateIndicatorDefinition", resp->definition().name(), &before,
                     &resp->definition());
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::DeleteIndicatorDefinition(grpc::ServerContext* ctx,
                                                              const v1::DeleteIndicatorDefinitionRequest* req,
                                                              v1::DeleteIndicatorDefinitionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/DeleteIndicatorDefinition", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "indicatorDefinitions", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteIndicatorDefinition", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto stored = Repo::GetDefinition(c, id, true);
      absl::StatusOr<Placement> place = stored.ok() ? absl::StatusOr<Placement>(Placement{stored->region_id})
                                                    : absl::StatusOr<Placement>(stored.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageIndicators, place));
      RETURN_IF_ERROR(CheckVersion(req->version(), stored->version));
      v1::IndicatorDefinition before = StoredToProto(*stored);
      Repo::DeleteDefinition(c, id);
      db::WriteAudit(c, p.account_id, "DeleteIndicatorDefinition", before.name(), &before, nullptr);
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::RecordIndicatorAttestation(grpc::ServerContext* ctx,
                                                               const v1::RecordIndicatorAttestationRequest* req,
                                                               v1::RecordIndicatorAttestationResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/RecordIndicatorAttestation", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->definition(), "indicatorDefinitions", "definition"));
    ASSIGN_OR_RETURN(auto end, FromProtoDate(req->period_end_date(), "period_end_date"));
    if (!end) return absl::InvalidArgumentError("Поле period_end_date обязательно");
    RETURN_IF_ERROR(OptionalText(req->document(), "document"));
    return db::IdempotentWrite(pool_, p.account_id, "RecordIndicatorAttestation", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto stored = Repo::GetDefinition(c, id);
      absl::StatusOr<Placement> place = stored.ok() ? absl::StatusOr<Placement>(Placement{stored->region_id})
                                                    : absl::StatusOr<Placement>(stored.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageIndicators, place));
      if (stored->def.numerator.fact != mon::Fact::kAttestation) {
        return absl::FailedPreconditionError("Показатель считается по данным, а не по отметке «да/нет»");
      }
      ASSIGN_OR_RETURN(ScopeRef scope, ResolveScope(c, req->scope().empty() ? ResourceName("regions", stored->region_id)
                                                                             : req->scope(),
                                                    "scope"));
      if (scope.region_id != stored->region_id) {
        return absl::InvalidArgumentError("Поле scope: территория другого региона");
      }
      Repo::UpsertAttestation(c, {id, static_cast<int>(scope.scope.level), scope.scope.id, *end, req->value()},
                              req->document(), p.account_id);
      mon::ValueRow row;
      row.code = stored->def.code;
      row.title = stored->def.title;
      row.def = stored->def;
      row.period = mon::PeriodRange(stored->def.period, *end);
      row.eval = mon::Evaluate(stored->def, 0, 0, req->value());
      RowToProto(*stored, row, resp->mutable_value());
      db::WriteAudit(c, p.account_id, "RecordIndicatorAttestation", ResourceName("indicatorDefinitions", id), nullptr,
                     req);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- computation and reports

grpc::Status MonitoringServiceImpl::ComputeIndicators(grpc::ServerContext* ctx, const v1::ComputeIndicatorsRequest* req,
                                                      v1::ComputeIndicatorsResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/ComputeIndicators", [&](const Principal& p) -> absl::Status {
    Computed out;
    RETURN_IF_ERROR(ComputeFor(pool_, facts_, p, req->scope(), req->reference_date(), {req->codes().begin(), req->codes().end()},
                               req->include_children(), &out));
    ScopeToProto(out.comp, out.scope, out.rows[0], resp->mutable_scope_values());
    for (size_t i = 0; i < out.children.size(); ++i) {
      ScopeToProto(out.comp, out.children[i], out.rows[i + 1], resp->add_children());
    }
    resp->set_allocated_reference_date(NewProtoDate(out.ref));
    *resp->mutable_compute_time() = ToProtoTime(absl::Now());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::GetIndicatorTimeSeries(grpc::ServerContext* ctx,
                                                           const v1::GetIndicatorTimeSeriesRequest* req,
                                                           v1::GetIndicatorTimeSeriesResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/GetIndicatorTimeSeries", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto from, FromProtoDate(req->from_date(), "from_date"));
    ASSIGN_OR_RETURN(auto to, FromProtoDate(req->to_date(), "to_date"));
    if (!from) return absl::InvalidArgumentError("Поле from_date обязательно");
    absl::CivilDay last = to.value_or(TodayInRegion());
    if (last < *from) return absl::InvalidArgumentError("Поле to_date: раньше from_date");
    auto quarters = mon::QuartersEnding(*from, last);
    if (quarters.size() > 60) return absl::InvalidArgumentError("Поле from_date: не больше 60 кварталов (15 лет)");
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      if (req->scope().empty()) return absl::InvalidArgumentError("Поле scope обязательно");
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadIndicators, PlaceByName(c, req->scope(), "scope")));
      ASSIGN_OR_RETURN(ScopeRef scope, ResolveScope(c, req->scope(), "scope"));
      ASSIGN_OR_RETURN(Computation comp, Load(c, facts_, scope.region_id, {req->codes().begin(), req->codes().end()}));
      for (const auto& sd : comp.defs) {
        auto* s = resp->add_series();
        s->set_definition(ResourceName("indicatorDefinitions", sd.def.id));
        s->set_code(sd.def.code);
        s->set_title(sd.def.title);
      }
      for (const auto& q : quarters) {
        mon::FactCounter counter(*comp.inputs, q.last_day);
        mon::ScopeRows rows = EvaluateScope(comp, counter, scope, q.last_day);
        for (size_t i = 0; i < rows.rows.size(); ++i) {
          auto* point = resp->mutable_series(static_cast<int>(i))->add_points();
          point->set_year(q.year);
          point->set_quarter(q.quarter);
          RowToProto(comp.defs[i], rows.rows[i], point->mutable_value());
        }
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::ExportIndicatorsCsv(grpc::ServerContext* ctx, const v1::ExportIndicatorsCsvRequest* req,
                                                        v1::ExportIndicatorsCsvResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/ExportIndicatorsCsv", [&](const Principal& p) -> absl::Status {
    Computed out;
    RETURN_IF_ERROR(ComputeFor(pool_, facts_, p, req->scope(), req->reference_date(), {}, req->include_children(), &out));
    resp->set_content(mon::RenderCsv(out.rows));
    resp->set_filename(absl::StrCat("indicators_", absl::StrReplaceAll(out.scope.name, {{"/", "-"}}), "_",
                                    FileDate(out.ref), ".csv"));
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::RenderIndicatorReport(grpc::ServerContext* ctx,
                                                          const v1::RenderIndicatorReportRequest* req,
                                                          v1::RenderIndicatorReportResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/RenderIndicatorReport", [&](const Principal& p) -> absl::Status {
    Computed out;
    RETURN_IF_ERROR(ComputeFor(pool_, facts_, p, req->scope(), req->reference_date(), {}, req->include_children(), &out));
    resp->set_html(mon::RenderHtml(absl::StrCat("Мониторинг показателей: ", out.scope.title), out.ref, out.rows));
    resp->set_filename(absl::StrCat("indicators_", absl::StrReplaceAll(out.scope.name, {{"/", "-"}}), "_",
                                    FileDate(out.ref), ".html"));
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- facts

grpc::Status MonitoringServiceImpl::CreateTrainingCompletion(grpc::ServerContext* ctx,
                                                             const v1::CreateTrainingCompletionRequest* req,
                                                             v1::CreateTrainingCompletionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/CreateTrainingCompletion", [&](const Principal& p) -> absl::Status {
    v1::TrainingCompletion t = req->completion();
    if (t.source() == v1::FACT_SOURCE_UNSPECIFIED) t.set_source(v1::FACT_SOURCE_MANUAL);
    if (t.source() == v1::FACT_SOURCE_FEDERAL_IMPORT) {
      return absl::InvalidArgumentError("Поле completion.source: федеральные записи приходят через ImportCompletions");
    }
    RETURN_IF_ERROR(ValidCompletion(t));
    ASSIGN_OR_RETURN(int64_t activity, ParseOptionalResourceName(t.activity(), "activities", "completion.activity"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateTrainingCompletion", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto person, PersonFor(c, p, t.person(), "completion.person"));
      if (!t.external_id().empty() &&
          Repo::FindTrainingCompletionByExternal(c, person.second.region_id, t.source(), t.external_id())) {
        return absl::AlreadyExistsError("Запись об обучении с таким external_id уже есть");
      }
      int64_t id = Repo::InsertTrainingCompletion(c, person.second.region_id, person.first, activity, t);
      ASSIGN_OR_RETURN(*resp->mutable_completion(), Repo::GetTrainingCompletion(c, id));
      db::WriteAudit(c, p.account_id, "CreateTrainingCompletion", resp->completion().name(), nullptr, &resp->completion());
      db::WriteOutbox(c, person.second.region_id, "training_completion", resp->completion().name(), federal::kCreate,
                      resp->completion());
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::GetTrainingCompletion(grpc::ServerContext* ctx,
                                                          const v1::GetTrainingCompletionRequest* req,
                                                          v1::GetTrainingCompletionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/GetTrainingCompletion", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "trainingCompletions", "name"));
      auto t = Repo::GetTrainingCompletion(c, id);
      absl::StatusOr<Placement> place = t.ok() ? Dir::PlacePerson(c, *ParseResourceName(t->person(), "people", "person"))
                                               : absl::StatusOr<Placement>(t.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
      *resp->mutable_completion() = *t;
      return absl::OkStatus();
    });
  });
}

grpc::Status MonitoringServiceImpl::UpdateTrainingCompletion(grpc::ServerContext* ctx,
                                                             const v1::UpdateTrainingCompletionRequest* req,
                                                             v1::UpdateTrainingCompletionResponse* resp) {
  return Run(ctx, authn_, "MonitoringService/UpdateTrainingCompletion", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->completion().name(), "trainingCompletions", "completion.name"));
    if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
    ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(),
                                           {"programme_title", "provider_title", "hours", "federal_registry",
                                            "federal_registry_id", "chosen_from_diagnostics", "quality_management",
                                            "federal_operator", "start_date", "end_date", "attestation_passed",
                                            "certificate_number"}));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateTrainingCompletion", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto current = Repo::GetTrainingCompletion(c, id, true);
      absl::StatusOr<Placement> place =
          current.ok() ? Dir::PlacePerson(c, *ParseResourceName(current->person(), "people", "person"))
                       : absl::StatusOr<Placement>(current.status());
      RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
      v1::TrainingCompletion next = *current;
      const auto& in = req->completion();
      for (const auto& path : paths) {
        if (path == "programme_title") next.set_programme_title(in.programme_title());
        else if (path == "provider_title") next.set_provider_title(in.provider_title());
        else if (path == "hours") next.set_hours(in.hours());
        else if (path == "federal_registry") next.set_federal_registry(in.federal_registry());
        else if (path == "federal_registry_id") next.set_federal_registry_id(in.federal_registry_id());
        else if (path == "chosen_from_diagnostics") next.set_chosen_from_diagnostics(in.chosen_from_diagnostics());
        else if (path == "quality_management") next.set_quality_management(in.quality_management());
        else if (path == "federal_operator") next.set_federal_operator(in.federal_operator());
        else if (path == "start_date") *next.mutable_start_date() = in.start_date();
        else if (path == "end_date") *next.mutable_end_date() = in.end_date();
        else if (path == "attestation_passed") next.set_attestation_passed(in.attestation_passed());
        else if (path == "certificate_number") next.set_certificate_number(in.certificate_number());
      }
      RETURN_IF_ERROR(ValidCompletion(next));
      RETURN_IF_ERROR(CheckVersion(req->completion().version(), current->version()));
      Repo::UpdateTrainingCompletion(c, id, next);
      ASSIGN_OR_RETURN(*resp->mutable_completion(), Repo::GetTrainingCompletion(c, id));
      db::WriteAudit(c, p.account_id, "UpdateTrainingCompletion", resp->completion().name(), &*current,
                     &resp->completion());
      db::WriteOutbox(c, place->region_id, "training_completion", resp->completion().name(), federal::kUpdate,
                      resp->completion());
      return absl::OkStatus();
    });
  });
}

// The remaining fact records share one shape: validate, check the person (or organisation)
// is in the caller's scope, insert, audit, answer with the stored name and version 1.
#define NMS_FACT_WRITE(Method, ...)                                                              \
  return Run(ctx, authn_, "MonitoringService/" #Method, [&](const Principal& p) -> absl::Status { \
    return db::IdempotentWrite(pool_, p.account_id, #Method, req->request_id(), *req, resp,       \
                               [&](sql::Connection& c) -> absl::Status __VA_ARGS__);              \
  })

grpc::Status MonitoringServiceImpl::CreateManagementTeamMembership(grpc::ServerContext* ctx,
                                                                   const v1::CreateManagementTeamMembershipRequest* req,
                                                                   v1::CreateManagementTeamMembershipResponse* resp) {
  NMS_FACT_WRITE(CreateManagementTeamMembership, {
    const auto& m = req->membership();
    if (m.role() != v1::MANAGEMENT_TEAM_ROLE_HEAD && m.role() != v1::MANAGEMENT_TEAM_ROLE_DEPUTY) {
      return absl::InvalidArgumentError("Поле membership.role: руководитель или заместитель");
    }
    RETURN_IF_ERROR(ValidSpan(m.start_date(), m.end_date(), "membership", false));
    ASSIGN_OR_RETURN(auto person, PersonFor(c, p, m.person(), "membership.person"));
    ASSIGN_OR_RETURN(int64_t org, OrgInRegion(c, p, m.organization(), "membership.organization", person.second.region_id, true));
    int64_t id = Repo::InsertManagementMembership(c, person.second.region_id, person.first, org, m);
    *resp->mutable_membership() = m;
    resp->mutable_membership()->set_name(ResourceName("managementTeamMemberships", id));
    resp->mutable_membership()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateManagementTeamMembership", resp->membership().name(), nullptr,
                   &resp->membership());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateCommunityMembership(grpc::ServerContext* ctx,
                                                              const v1::CreateCommunityMembershipRequest* req,
                                                              v1::CreateCommunityMembershipResponse* resp) {
  NMS_FACT_WRITE(CreateCommunityMembership, {
    const auto& m = req->membership();
    RETURN_IF_ERROR(RequireText(m.community_title(), "membership.community_title"));
    RETURN_IF_ERROR(OptionalText(m.member_status(), "membership.member_status", 255));
    if (m.community_kind() < 1 || m.community_kind() > 3) {
      return absl::InvalidArgumentError("Поле membership.community_kind: не задан вид сообщества");
    }
    if (m.level() < 1 || m.level() > 4) return absl::InvalidArgumentError("Поле membership.level: не задан уровень");
    RETURN_IF_ERROR(ValidSpan(m.start_date(), m.end_date(), "membership", false));
    ASSIGN_OR_RETURN(auto person, PersonFor(c, p, m.person(), "membership.person"));
    int64_t id = Repo::InsertCommunityMembership(c, person.second.region_id, person.first, m);
    *resp->mutable_membership() = m;
    resp->mutable_membership()->set_name(ResourceName("communityMemberships", id));
    resp->mutable_membership()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateCommunityMembership", resp->membership().name(), nullptr, &resp->membership());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateExpertActivity(grpc::ServerContext* ctx,
                                                         const v1::CreateExpertActivityRequest* req,
                                                         v1::CreateExpertActivityResponse* resp) {
  NMS_FACT_WRITE(CreateExpertActivity, {
    const auto& e = req->expert_activity();
    if (e.kind() < 1 || e.kind() > 5) return absl::InvalidArgumentError("Поле expert_activity.kind: не задан вид");
    RETURN_IF_ERROR(OptionalText(e.title(), "expert_activity.title"));
    RETURN_IF_ERROR(ValidSpan(e.start_date(), e.end_date(), "expert_activity", true));
    ASSIGN_OR_RETURN(auto person, PersonFor(c, p, e.person(), "expert_activity.person"));
    int64_t id = Repo::InsertExpertActivity(c, person.second.region_id, person.first, e);
    *resp->mutable_expert_activity() = e;
    resp->mutable_expert_activity()->set_name(ResourceName("expertActivities", id));
    resp->mutable_expert_activity()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateExpertActivity", resp->expert_activity().name(), nullptr,
                   &resp->expert_activity());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateInternshipPlatform(grpc::ServerContext* ctx,
                                                             const v1::CreateInternshipPlatformRequest* req,
                                                             v1::CreateInternshipPlatformResponse* resp) {
  NMS_FACT_WRITE(CreateInternshipPlatform, {
    const auto& pl = req->platform();
    RETURN_IF_ERROR(RequireText(pl.title(), "platform.title"));
    RETURN_IF_ERROR(OptionalText(pl.register_number(), "platform.register_number", 128));
    RETURN_IF_ERROR(ValidSpan(pl.start_date(), pl.end_date(), "platform", false));
    ASSIGN_OR_RETURN(int64_t org, ParseResourceName(pl.organization(), "organizations", "platform.organization"));
    auto place = Dir::PlaceOrganization(c, org);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
    int64_t id = Repo::InsertInternshipPlatform(c, place->region_id, org, pl);
    *resp->mutable_platform() = pl;
    resp->mutable_platform()->set_name(ResourceName("internshipPlatforms", id));
    resp->mutable_platform()->set_region(ResourceName("regions", place->region_id));
    resp->mutable_platform()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateInternshipPlatform", resp->platform().name(), nullptr, &resp->platform());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateInternshipParticipant(grpc::ServerContext* ctx,
                                                                const v1::CreateInternshipParticipantRequest* req,
                                                                v1::CreateInternshipParticipantResponse* resp) {
  NMS_FACT_WRITE(CreateInternshipParticipant, {
    const auto& pt = req->participant();
    ASSIGN_OR_RETURN(int64_t platform, ParseResourceName(req->parent(), "internshipPlatforms", "parent"));
    if (pt.role() < 1 || pt.role() > 3) return absl::InvalidArgumentError("Поле participant.role: не задана роль");
    RETURN_IF_ERROR(ValidSpan(pt.start_date(), pt.end_date(), "participant", false));
    auto region = Repo::PlatformRegion(c, platform);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts,
                                region.ok() ? absl::StatusOr<Placement>(Placement{*region})
                                            : absl::StatusOr<Placement>(region.status())));
    ASSIGN_OR_RETURN(int64_t person, PersonInRegion(c, p, pt.person(), "participant.person", *region));
    ASSIGN_OR_RETURN(int64_t org, OrgInRegion(c, p, pt.organization(), "participant.organization", *region, true));
    int64_t id = Repo::InsertInternshipParticipant(c, platform, *region, person, org, pt);
    *resp->mutable_participant() = pt;
    resp->mutable_participant()->set_name(absl::StrCat(req->parent(), "/participants/", id));
    resp->mutable_participant()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateInternshipParticipant", resp->participant().name(), nullptr,
                   &resp->participant());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateRegionalEvent(grpc::ServerContext* ctx,
                                                        const v1::CreateRegionalEventRequest* req,
                                                        v1::CreateRegionalEventResponse* resp) {
  NMS_FACT_WRITE(CreateRegionalEvent, {
    const auto& e = req->event();
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(e.region(), "regions", "event.region"));
    RETURN_IF_ERROR(RequireText(e.title(), "event.title"));
    RETURN_IF_ERROR(OptionalText(e.kind(), "event.kind", 255));
    RETURN_IF_ERROR(ValidSpan(e.start_date(), e.end_date(), "event", true));
    if (e.level() < 0 || e.level() > 4) return absl::InvalidArgumentError("Поле event.level: неизвестный уровень");
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, Dir::PlaceRegion(c, region)));
    ASSIGN_OR_RETURN(int64_t organizer, OrgInRegion(c, p, e.organizer(), "event.organizer", region, false));
    v1::RegionalEvent stored = e;
    if (stored.level() == 0) stored.set_level(v1::COMMUNITY_LEVEL_REGIONAL);
    int64_t id = Repo::InsertRegionalEvent(c, region, organizer, stored);
    *resp->mutable_event() = stored;
    resp->mutable_event()->set_name(ResourceName("regionalEvents", id));
    resp->mutable_event()->set_participant_count(0);
    resp->mutable_event()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateRegionalEvent", resp->event().name(), nullptr, &resp->event());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateRegionalEventParticipant(grpc::ServerContext* ctx,
                                                                   const v1::CreateRegionalEventParticipantRequest* req,
                                                                   v1::CreateRegionalEventParticipantResponse* resp) {
  NMS_FACT_WRITE(CreateRegionalEventParticipant, {
    const auto& pt = req->participant();
    ASSIGN_OR_RETURN(int64_t event, ParseResourceName(req->parent(), "regionalEvents", "parent"));
    if (pt.role() < 0 || pt.role() > 3) return absl::InvalidArgumentError("Поле participant.role: неизвестная роль");
    auto region = Repo::EventRegion(c, event);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts,
                                region.ok() ? absl::StatusOr<Placement>(Placement{*region})
                                            : absl::StatusOr<Placement>(region.status())));
    ASSIGN_OR_RETURN(int64_t person, PersonInRegion(c, p, pt.person(), "participant.person", *region));
    int64_t id = Repo::InsertEventParticipant(c, event, person, pt);
    *resp->mutable_participant() = pt;
    resp->mutable_participant()->set_name(absl::StrCat(req->parent(), "/participants/", id));
    resp->mutable_participant()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateRegionalEventParticipant", resp->participant().name(), nullptr,
                   &resp->participant());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateCnppmStaffMember(grpc::ServerContext* ctx,
                                                           const v1::CreateCnppmStaffMemberRequest* req,
                                                           v1::CreateCnppmStaffMemberResponse* resp) {
  NMS_FACT_WRITE(CreateCnppmStaffMember, {
    const auto& s = req->member();
    RETURN_IF_ERROR(OptionalText(s.position(), "member.position", 255));
    RETURN_IF_ERROR(OptionalText(s.federal_training_title(), "member.federal_training_title"));
    RETURN_IF_ERROR(ValidSpan(s.start_date(), s.end_date(), "member", false));
    ASSIGN_OR_RETURN(auto trained, FromProtoDate(s.federal_training_date(), "member.federal_training_date"));
    (void)trained;
    ASSIGN_OR_RETURN(int64_t org, ParseResourceName(s.organization(), "organizations", "member.organization"));
    auto place = Dir::PlaceOrganization(c, org);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
    ASSIGN_OR_RETURN(int64_t person, PersonInRegion(c, p, s.person(), "member.person", place->region_id));
    ASSIGN_OR_RETURN(auto org_msg, Dir::GetOrganization(c, org));
    if (org_msg.type() != v1::ORGANIZATION_TYPE_CNPPM) {
      return absl::InvalidArgumentError("Поле member.organization: ожидается ЦНППМ");
    }
    int64_t id = Repo::InsertCnppmStaff(c, place->region_id, person, org, s);
    *resp->mutable_member() = s;
    resp->mutable_member()->set_name(ResourceName("cnppmStaffMembers", id));
    resp->mutable_member()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateCnppmStaffMember", resp->member().name(), nullptr, &resp->member());
    return absl::OkStatus();
  });
}

grpc::Status MonitoringServiceImpl::CreateMethodistAssignment(grpc::ServerContext* ctx,
                                                              const v1::CreateMethodistAssignmentRequest* req,
                                                              v1::CreateMethodistAssignmentResponse* resp) {
  NMS_FACT_WRITE(CreateMethodistAssignment, {
    const auto& a = req->assignment();
    if (a.role() < 1 || a.role() > 3) return absl::InvalidArgumentError("Поле assignment.role: не задана роль");
    RETURN_IF_ERROR(ValidSpan(a.start_date(), a.end_date(), "assignment", false));
    ASSIGN_OR_RETURN(int64_t route, ParseOptionalResourceName(a.route(), "routes", "assignment.route"));
    ASSIGN_OR_RETURN(auto teacher, PersonFor(c, p, a.teacher(), "assignment.teacher"));
    // The methodist is often outside the caller's scope (a ЦНППМ methodist for a municipal
    // teacher): any person of the caller's region may be named; another region's is refused.
    ASSIGN_OR_RETURN(int64_t methodist, ParseResourceName(a.methodist(), "people", "assignment.methodist"));
    auto methodist_place = Dir::PlacePerson(c, methodist);
    RETURN_IF_ERROR(CheckRegionAccess(p, Action::kRecordFacts, methodist_place));
    if (route != 0) {
      // The route is the teacher's: read access to it first, then it must be theirs.
      auto head = db::RouteRepository::GetHead(c, route);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, head));
      if (head->person_id != teacher.first) {
        return absl::InvalidArgumentError("Поле assignment.route: маршрут другого педагога");
      }
    }
    if (methodist_place->region_id != teacher.second.region_id) {
      return absl::InvalidArgumentError("Поле assignment.methodist: человек не найден в регионе");
    }
    if (methodist == teacher.first) {
      return absl::InvalidArgumentError("Поле assignment.methodist: методист не может быть закреплён за собой");
    }
    int64_t id = Repo::InsertMethodistAssignment(c, teacher.second.region_id, methodist, teacher.first, route, a);
    *resp->mutable_assignment() = a;
    resp->mutable_assignment()->set_name(ResourceName("methodistAssignments", id));
    resp->mutable_assignment()->set_version(1);
    db::WriteAudit(c, p.account_id, "CreateMethodistAssignment", resp->assignment().name(), nullptr,
                   &resp->assignment());
    return absl::OkStatus();
  });
}

#undef NMS_FACT_WRITE

// ---------------------------------------------------------------- generic get / list / delete

namespace {

using google::protobuf::Message;

absl::StatusOr<Placement> PlaceFact(sql::Connection& c, const db::FactTable& t, const absl::StatusOr<db::FactRow>& row) {
  if (!row.ok()) return row.status();
  switch (t.place_kind) {
    case 'p': {
      auto place = Dir::PlacePerson(c, row->place_id);
      // Participants of platforms and events are regional records: created and listed at the
      // parent's region (see CreateInternshipParticipant, ListFact), so they are read, changed
      // and deleted there too, not by whoever reaches the participant's person.
      if (place.ok() && t.parent_collection != nullptr) return Placement{place->region_id};
      return place;
    }
    case 'o': return Dir::PlaceOrganization(c, row->place_id);
    default: return Placement{row->place_id};
  }
}

std::string StrField(const Message& m, const char* name) {
  const auto* f = m.GetDescriptor()->FindFieldByName(name);
  return f == nullptr ? std::string() : m.GetReflection()->GetString(m, f);
}

int64_t IntField(const Message& m, const char* name) {
  const auto* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr) return 0;
  return f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT32 ? m.GetReflection()->GetInt32(m, f)
                                                                          : m.GetReflection()->GetInt64(m, f);
}

absl::Status GetFact(db::ConnectionPool& pool, const Principal& p, const db::FactTable& t, const Message& req,
                     Message* resp) {
  return db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, db::ParseFactName(t, StrField(req, "name"), "name"));
    Message* item = resp->GetReflection()->MutableMessage(resp, resp->GetDescriptor()->field(0));
    auto row = db::ReadFact(c, t, id, item);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, PlaceFact(c, t, row)));
    return absl::OkStatus();
  });
}

absl::Status ListFact(db::ConnectionPool& pool, const Principal& p, const db::FactTable& t, const Message& req,
                      Message* resp) {
  return db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    int64_t parent = 0;
    if (t.parent_collection != nullptr) {
      ASSIGN_OR_RETURN(parent, ParseResourceName(StrField(req, "parent"), t.parent_collection, "parent"));
      auto region = std::string(t.parent_collection) == "internshipPlatforms" ? Repo::PlatformRegion(c, parent)
                                                                              : Repo::EventRegion(c, parent);
      RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts,
                                  region.ok() ? absl::StatusOr<Placement>(Placement{*region})
                                              : absl::StatusOr<Placement>(region.status())));
    }
    ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kRecordFacts, "", "filter"));
    ASSIGN_OR_RETURN(PageRequest paging, Paging(req, {KeyPart::kNumber}));
    const auto* items = resp->GetDescriptor()->field(0);
    std::vector<std::unique_ptr<Message>> out;
    std::string next;
    int64_t total = 0;
    RETURN_IF_ERROR(db::ListFacts(c, t, scope, StrField(req, "filter"), parent, paging, items->message_type(), &out,
                                  &next, &total));
    for (auto& m : out) resp->GetReflection()->AddMessage(resp, items)->CopyFrom(*m);
    const auto* d = resp->GetDescriptor();
    resp->GetReflection()->SetString(resp, d->FindFieldByName("next_page_token"), next);
    resp->GetReflection()->SetInt64(resp, d->FindFieldByName("total_size"), total);
    return absl::OkStatus();
  });
}

absl::Status DeleteFactRecord(db::ConnectionPool& pool, const Principal& p, const db::FactTable& t, const char* method,
                              const Message& req, Message* resp) {
  ASSIGN_OR_RETURN(int64_t id, db::ParseFactName(t, StrField(req, "name"), "name"));
  return db::IdempotentWrite(pool, p.account_id, method, StrField(req, "request_id"), req, resp,
                             [&](sql::Connection& c) -> absl::Status {
    const auto* item_type = v1::TrainingCompletion::descriptor()->file()->pool()->FindMessageTypeByName(
        absl::StrCat("nms.v1.", std::string(method).substr(6)));
    std::unique_ptr<Message> before(
        item_type ? google::protobuf::MessageFactory::generated_factory()->GetPrototype(item_type)->New() : nullptr);
    v1::TrainingCompletion scratch;
    Message* target = before ? before.get() : &scratch;
    auto row = db::ReadFact(c, t, id, target, true);
    auto place = PlaceFact(c, t, row);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, place));
    RETURN_IF_ERROR(CheckVersion(IntField(req, "version"), row->version));
    db::DeleteFact(c, t, id);
    std::string name = StrField(*target, "name");
    db::WriteAudit(c, p.account_id, method, name, target, nullptr);
    if (&t == &db::TrainingCompletionsTable()) {
      db::WriteOutbox(c, place->region_id, "training_completion", name, federal::kDelete, *target);
    }
    return absl::OkStatus();
  });
}

// Field rules shared by every fact kind on update: texts are UTF-8 and bounded (titles
// required), enums are set and known, hours are sane, dates are real and ordered.
// `path` is the request field holding `m`, so messages name the field the caller sent
// ("training_completion.title").
absl::Status ValidateFactFields(const Message& m, absl::string_view path) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  std::optional<absl::CivilDay> start, end;
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (f->is_repeated()) continue;
    std::string name(f->name());
    if (name == "name" || name == "version" || name == "participant_count") continue;
    const std::string shown = absl::StrCat(path, ".", name);
    switch (f->cpp_type()) {
      case google::protobuf::FieldDescriptor::CPPTYPE_STRING: {
        const std::string v = r->GetString(m, f);
        bool required = name == "title" && d->name() != "ExpertActivity";
        required = required || name == "community_title" || name == "programme_title";
        if (required) RETURN_IF_ERROR(RequireText(v, shown));
        else RETURN_IF_ERROR(OptionalText(v, shown));
        break;
      }
      case google::protobuf::FieldDescriptor::CPPTYPE_ENUM: {
        int v = r->GetEnumValue(m, f);
        bool optional_enum = name == "source" || (d->name() == "RegionalEvent" && name == "level") ||
                             (d->name() == "RegionalEventParticipant" && name == "role");
        RETURN_IF_ERROR(CheckEnum(v, f->enum_type(), shown, optional_enum ? EnumUse::kOptional : EnumUse::kRequired));
        break;
      }
      case google::protobuf::FieldDescriptor::CPPTYPE_INT32:
        if (r->GetInt32(m, f) < 0 || r->GetInt32(m, f) > 10000) {
          return absl::InvalidArgumentError(absl::StrCat("Поле ", shown, ": от 0 до 10000"));
        }
        break;
      case google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE:
        if (f->message_type() == v1::Date::descriptor()) {
          ASSIGN_OR_RETURN(auto day, FromProtoDate(static_cast<const v1::Date&>(r->GetMessage(m, f)), shown));
          if (name == "start_date") start = day;
          if (name == "end_date") end = day;
        }
        break;
      default:
        break;
    }
  }
  if (start && end && *end < *start) return absl::InvalidArgumentError(absl::StrCat("Поле ", path, ".end_date: раньше даты начала"));
  if (!start && (d->name() == "RegionalEvent" || d->name() == "ExpertActivity")) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", path, ".start_date обязательно"));
  }
  return absl::OkStatus();
}

absl::Status UpdateFactRecord(db::ConnectionPool& pool, const Principal& p, const db::FactTable& t, const char* method,
                              const Message& req, Message* resp) {
  const auto* item_field = req.GetDescriptor()->field(0);
  const Message& in = req.GetReflection()->GetMessage(req, item_field);
  ASSIGN_OR_RETURN(int64_t id, db::ParseFactName(t, StrField(in, "name"), absl::StrCat(item_field->name(), ".name").c_str()));
  const auto& mask = static_cast<const google::protobuf::FieldMask&>(
      req.GetReflection()->GetMessage(req, req.GetDescriptor()->FindFieldByName("update_mask")));
  if (mask.paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
  std::vector<std::string> allowed = db::UpdatableFields(t);
  std::vector<std::string> paths(mask.paths().begin(), mask.paths().end());
  for (const auto& path : paths) {
    if (std::find(allowed.begin(), allowed.end(), path) == allowed.end()) {
      return absl::InvalidArgumentError(absl::StrCat("Поле update_mask: нельзя изменить ", path.substr(0, 64),
                                                     "; можно: ", absl::StrJoin(allowed, ", ")));
    }
  }
  return db::IdempotentWrite(pool, p.account_id, method, StrField(req, "request_id"), req, resp,
                             [&](sql::Connection& c) -> absl::Status {
    std::unique_ptr<Message> current(in.New());
    auto row = db::ReadFact(c, t, id, current.get(), true);
    RETURN_IF_ERROR(CheckAccess(p, Action::kRecordFacts, PlaceFact(c, t, row)));
    std::unique_ptr<Message> next(current->New());
    next->CopyFrom(*current);
    google::protobuf::util::FieldMaskUtil::MergeOptions opts;
    opts.set_replace_message_fields(true);
    opts.set_replace_repeated_fields(true);
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(in, mask, opts, next.get());
    RETURN_IF_ERROR(ValidateFactFields(*next, item_field->name()));
    RETURN_IF_ERROR(CheckVersion(IntField(in, "version"), row->version));
    db::UpdateFact(c, t, id, *next, paths);
    Message* out = resp->GetReflection()->MutableMessage(resp, resp->GetDescriptor()->field(0));
    RETURN_IF_ERROR(db::ReadFact(c, t, id, out).status());
    db::WriteAudit(c, p.account_id, method, StrField(*out, "name"), current.get(), out);
    return absl::OkStatus();
  });
}

}  // namespace

#define NMS_FACT_UPDATE(Item, TableFn)                                                                           \
  grpc::Status MonitoringServiceImpl::Update##Item(grpc::ServerContext* ctx, const v1::Update##Item##Request* req, \
                                                   v1::Update##Item##Response* resp) {                          \
    return Run(ctx, authn_, "MonitoringService/Update" #Item, [&](const Principal& p) {                         \
      return UpdateFactRecord(pool_, p, db::TableFn(), "Update" #Item, *req, resp);                             \
    });                                                                                                          \
  }
NMS_FACT_UPDATE(ManagementTeamMembership, ManagementMembershipsTable)
NMS_FACT_UPDATE(CommunityMembership, CommunityMembershipsTable)
NMS_FACT_UPDATE(ExpertActivity, ExpertActivitiesTable)
NMS_FACT_UPDATE(InternshipPlatform, InternshipPlatformsTable)
NMS_FACT_UPDATE(InternshipParticipant, InternshipParticipantsTable)
NMS_FACT_UPDATE(RegionalEvent, RegionalEventsTable)
NMS_FACT_UPDATE(RegionalEventParticipant, EventParticipantsTable)
NMS_FACT_UPDATE(CnppmStaffMember, CnppmStaffTable)
NMS_FACT_UPDATE(MethodistAssignment, MethodistAssignmentsTable)
#undef NMS_FACT_UPDATE

#define NMS_FACT_READS(Item, Plural, TableFn)                                                                   \
  grpc::Status MonitoringServiceImpl::List##Plural(grpc::ServerContext* ctx, const v1::List##Plural##Request* req, \
                                                   v1::List##Plural##Response* resp) {                          \
    return Run(ctx, authn_, "MonitoringService/List" #Plural,                                                    \
               [&](const Principal& p) { return ListFact(pool_, p, db::TableFn(), *req, resp); });               \
  }                                                                                                              \
  grpc::Status MonitoringServiceImpl::Delete##Item(grpc::ServerContext* ctx, const v1::Delete##Item##Request* req,  \
                                                   v1::Delete##Item##Response* resp) {                          \
    return Run(ctx, authn_, "MonitoringService/Delete" #Item, [&](const Principal& p) {                         \
      return DeleteFactRecord(pool_, p, db::TableFn(), "Delete" #Item, *req, resp);                             \
    });                                                                                                          \
  }
#define NMS_FACT_GET(Item, TableFn)                                                                              \
  grpc::Status MonitoringServiceImpl::Get##Item(grpc::ServerContext* ctx, const v1::Get##Item##Request* req,    \
                                                v1::Get##Item##Response* resp) {                                \
    return Run(ctx, authn_, "MonitoringService/Get" #Item,                                                       \
               [&](const Principal& p) { return GetFact(pool_, p, db::TableFn(), *req, resp); });                \
  }

NMS_FACT_READS(TrainingCompletion, TrainingCompletions, TrainingCompletionsTable)
NMS_FACT_READS(ManagementTeamMembership, ManagementTeamMemberships, ManagementMembershipsTable)
NMS_FACT_READS(CommunityMembership, CommunityMemberships, CommunityMembershipsTable)
NMS_FACT_READS(ExpertActivity, ExpertActivities, ExpertActivitiesTable)
NMS_FACT_READS(InternshipPlatform, InternshipPlatforms, InternshipPlatformsTable)
NMS_FACT_READS(InternshipParticipant, InternshipParticipants, InternshipParticipantsTable)
NMS_FACT_READS(RegionalEvent, RegionalEvents, RegionalEventsTable)
NMS_FACT_READS(RegionalEventParticipant, RegionalEventParticipants, EventParticipantsTable)
NMS_FACT_READS(CnppmStaffMember, CnppmStaffMembers, CnppmStaffTable)
NMS_FACT_READS(MethodistAssignment, MethodistAssignments, MethodistAssignmentsTable)
NMS_FACT_GET(ManagementTeamMembership, ManagementMembershipsTable)
NMS_FACT_GET(CommunityMembership, CommunityMembershipsTable)
NMS_FACT_GET(ExpertActivity, ExpertActivitiesTable)
NMS_FACT_GET(InternshipPlatform, InternshipPlatformsTable)
NMS_FACT_GET(InternshipParticipant, InternshipParticipantsTable)
NMS_FACT_GET(RegionalEvent, RegionalEventsTable)
NMS_FACT_GET(RegionalEventParticipant, EventParticipantsTable)
NMS_FACT_GET(CnppmStaffMember, CnppmStaffTable)
NMS_FACT_GET(MethodistAssignment, MethodistAssignmentsTable)

#undef NMS_FACT_READS
#undef NMS_FACT_GET

}  // namespace nms::services
