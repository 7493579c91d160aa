#include "server/domain/route/items.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/common/text.h"
#include "server/domain/directory/person.h"

namespace nms::route {

using access::Role;

namespace {

bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

absl::Status NotIn(Status s, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("Нельзя ", what, ": маршрут в статусе «", StatusTitle(s), "»"));
}

}  // namespace

absl::Status CheckItemCreate(Status route) {
  if (route == Status::kDraft || route == Status::kInProgress) return absl::OkStatus();
  if (route == Status::kAgreed || route == Status::kApproved) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Нельзя добавить пункт: маршрут в статусе «", StatusTitle(route),
        "»; верните его на доработку, чтобы изменить содержание"));
  }
  return NotIn(route, "добавить пункт");
}

absl::Status CheckItemDelete(Status route, ItemStatus item) {
  if (route == Status::kDraft && item != ItemStatus::kPlanned) {
    return absl::FailedPreconditionError(
        "Нельзя удалить пункт, который уже выполнялся или был пропущен: он остаётся в истории маршрута");
  }
  if (route == Status::kDraft) return absl::OkStatus();
  if (route == Status::kInProgress) {
    return absl::FailedPreconditionError(
        "Нельзя удалить пункт выполняемого маршрута: отметьте его пропущенным с указанием причины");
  }
  return NotIn(route, "удалить пункт");
}

absl::Status NormalizeTemplateDetails(Section section, const ActivityKind* activity_kind, TemplateDetails& d) {
  for (auto [value, field, max] : {std::tuple<const std::string*, const char*, size_t>{&d.experience_topic, "item.experience_topic", 1000},
                                   {&d.experience_event, "item.experience_event", 1000},
                                   {&d.product_title, "item.product_title", 1000},
                                   {&d.product_placement, "item.product_placement", 1000},
                                   {&d.mentee_position, "item.mentee_position", 255}}) {
    if (auto st = OptionalText(*value, field, max); !st.ok()) return st;
  }
  auto only = [](absl::string_view field, const char* what, const char* where) {
    return absl::InvalidArgumentError(absl::StrCat("Поле item.", field, ": ", what, " указывается только для пунктов ",
                                                   where));
  };
  const char* k21 = "раздела 2.1 «Представление личного опыта»";
  const char* k22 = "раздела 2.2 «Разработка собственных методических материалов»";
  if (section != Section::kExperiencePresentation) {
    if (!Blank(d.experience_topic)) return only("experience_topic", "тема", k21);
    if (!Blank(d.experience_event)) return only("experience_event", "мероприятие, на котором представлен опыт,", k21);
  }
  if (section != Section::kMethodologicalMaterials) {
    if (!Blank(d.product_title)) return only("product_title", "наименование продукта", k22);
    if (!Blank(d.product_placement)) return only("product_placement", "место размещения продукта", k22);
  }
  if (section != Section::kMentoring) {
    if (d.mentoring_role != MentoringRole::kNone) {
      return only("mentoring_role", "вид работы (с наставником / в качестве наставника)", "раздела 3 «Наставничество»");
    }
    if (!Blank(d.mentee_position)) return only("mentee_position", "должность подопечного", "раздела 3 «Наставничество»");
    return absl::OkStatus();
  }
  const int role = static_cast<int>(d.mentoring_role);
  if (role < 0 || role > 2) return absl::InvalidArgumentError("Поле item.mentoring_role: неизвестный вид работы");
  MentoringRole from_activity = activity_kind ? MentoringRoleOf(*activity_kind) : MentoringRole::kNone;
  if (d.mentoring_role == MentoringRole::kNone) {
    d.mentoring_role = from_activity != MentoringRole::kNone ? from_activity : MentoringRole::kWithMentor;
  }
  if (from_activity != MentoringRole::kNone && d.mentoring_role != from_activity) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Поле item.mentoring_role: мероприятие каталога — ",
        from_activity == MentoringRole::kAsMentor ? "работа в качестве наставника" : "работа с наставником",
        "; выберите тот же вид работы или другое мероприятие"));
  }
  if (d.mentoring_role == MentoringRole::kWithMentor && !Blank(d.mentee_position)) {
    return absl::InvalidArgumentError(
        "Поле item.mentee_position: должность подопечного указывается только для работы в качестве наставника");
  }
  return absl::OkStatus();
}

void DropOtherSectionsDetails(Section section, const std::vector<std::string>& keep, TemplateDetails& d) {
  auto drop = [&](const char* field, std::string& value) {
    if (std::find(keep.begin(), keep.end(), field) == keep.end()) value.clear();
  };
  if (section != Section::kExperiencePresentation) {
    drop("experience_topic", d.experience_topic);
    drop("experience_event", d.experience_event);
  }
  if (section != Section::kMethodologicalMaterials) {
    drop("product_title", d.product_title);
    drop("product_placement", d.product_placement);
  }
  if (section != Section::kMentoring) {
    drop("mentee_position", d.mentee_position);
    if (std::find(keep.begin(), keep.end(), "mentoring_role") == keep.end()) d.mentoring_role = MentoringRole::kNone;
  }
}

absl::Status CheckItemFieldEdit(Status route, ItemField field, absl::string_view field_name) {
  if (route == Status::kDraft) return absl::OkStatus();
  if (route == Status::kInProgress && field != ItemField::kContent) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("Поле ", field_name, " нельзя изменить: маршрут в статусе «",
                                                    StatusTitle(route), "»"));
}

absl::Status CheckCarryOut(Status route, absl::string_view what) {
  if (route == Status::kInProgress) return absl::OkStatus();
  return NotIn(route, absl::StrCat(what, " (маршрут должен выполняться)"));
}

absl::Status CheckItemStatusChange(Status route, ItemStatus from, ItemStatus to, absl::string_view skip_reason) {
  if (static_cast<int>(to) < 1 || static_cast<int>(to) > 4) {
    return absl::InvalidArgumentError("Поле status: укажите статус пункта");
  }
  if (auto st = CheckCarryOut(route, "менять статус пункта"); !st.ok()) return st;
  if (to == ItemStatus::kSkipped && Blank(skip_reason)) {
    return absl::InvalidArgumentError("Поле skip_reason: для пропуска пункта укажите причину");
  }
  if (from == to && to != ItemStatus::kSkipped) {
    return absl::FailedPreconditionError("Пункт уже в этом статусе");
  }
  return absl::OkStatus();
}

absl::Status CheckCompletable(const std::vector<ItemClosure>& items) {
  if (items.empty()) return absl::FailedPreconditionError("В маршруте нет ни одного пункта");
  int open = 0;
  for (const auto& i : items) {
    if (i.status == ItemStatus::kDone) continue;
    if (i.status == ItemStatus::kSkipped && !Blank(i.skip_reason)) continue;
    ++open;
  }
  if (open > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Маршрут нельзя завершить: не закрыто пунктов — ", open,
        " (каждый пункт должен быть выполнен или пропущен с причиной)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEvidence(const Evidence& e) {
  switch (e.kind) {
    case EvidenceKind::kCertificate:
      if (Blank(e.certificate_number)) {
        return absl::InvalidArgumentError("Поле evidence.certificate_number: укажите номер удостоверения");
      }
      break;
    case EvidenceKind::kLink:
      if (Blank(e.url)) return absl::InvalidArgumentError("Поле evidence.url: укажите ссылку");
      break;
    case EvidenceKind::kFile:
      if (Blank(e.file_ref)) return absl::InvalidArgumentError("Поле evidence.file_ref: укажите файл");
      break;
    case EvidenceKind::kOther:
      if (Blank(e.description)) return absl::InvalidArgumentError("Поле evidence.description: опишите подтверждение");
      break;
    default:
      return absl::InvalidArgumentError("Поле evidence.kind: укажите вид подтверждения");
  }
  if (auto st = OptionalText(e.certificate_number, "evidence.certificate_number", 255); !st.ok()) return st;
  if (auto st = OptionalText(e.url, "evidence.url", 2000); !st.ok()) return st;
  if (auto st = OptionalText(e.file_ref, "evidence.file_ref", 1000); !st.ok()) return st;
  if (auto st = OptionalText(e.description, "evidence.description", 2000); !st.ok()) return st;
  if (!e.url.empty()) {
    bool scheme = absl::StartsWithIgnoreCase(e.url, "https://") || absl::StartsWithIgnoreCase(e.url, "http://");
    bool spaces = e.url.find_first_of(" \t\r\n") != std::string::npos;
    if (!scheme || spaces || e.url.size() < 11) {
      return absl::InvalidArgumentError("Поле evidence.url: ожидается ссылка вида https://…");
    }
  }
  for (const std::string* s : {&e.certificate_number, &e.file_ref}) {
    if (s->find_first_of("\r\n") != std::string::npos) {
      return absl::InvalidArgumentError("Поля evidence: номер и файл пишутся в одну строку");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateReflection(const std::string& text) {
  return RequireText(text, "reflective_report", 20000);
}

absl::StatusOr<Enrolment> NextEnrolment(Enrolment cur, Enrolment target, absl::string_view comment) {
  bool ok = false;
  switch (target) {
    case Enrolment::kApplied:
      ok = cur == Enrolment::kNone || cur == Enrolment::kWithdrawn || cur == Enrolment::kRejected;
      break;
    case Enrolment::kApproved: ok = cur == Enrolment::kApplied; break;
    case Enrolment::kRejected:
      if (Blank(comment)) return absl::InvalidArgumentError("Поле comment: укажите причину отказа");
      ok = cur == Enrolment::kApplied;
      break;
    case Enrolment::kEnrolled: ok = cur == Enrolment::kApproved; break;
    case Enrolment::kWithdrawn: ok = cur == Enrolment::kApplied || cur == Enrolment::kApproved; break;
    default: return absl::InvalidArgumentError("Неизвестный шаг зачисления");
  }
  if (!ok) {
    if (target == Enrolment::kWithdrawn && cur == Enrolment::kEnrolled) {
      return absl::FailedPreconditionError("Отозвать заявку можно только до зачисления");
    }
    return absl::FailedPreconditionError("Этот шаг зачисления недоступен в текущем состоянии заявки");
  }
  return target;
}

bool EnrolmentRoleMay(const Actor& a, Enrolment target) {
  switch (target) {
    case Enrolment::kApplied:
    case Enrolment::kWithdrawn: return a.is_route_teacher;
    case Enrolment::kApproved:
    case Enrolment::kRejected: return a.role == Role::kSchoolAdmin && !a.is_route_teacher;
    case Enrolment::kEnrolled:
      return a.role == Role::kRegionalMethodist || a.role == Role::kRegionalAdmin ||
             a.role == Role::kMunicipalMethodist || a.role == Role::kSchoolAdmin;
    default: return false;
  }
}

absl::Status CheckEnrolmentContext(Status route, Section section, ItemStatus item) {
  if (section != Section::kFurtherTraining) {
    return absl::FailedPreconditionError("Зачисление оформляется только для программ раздела 1.1 (ДПП ПК)");
  }
  if (route != Status::kAgreed && route != Status::kApproved && route != Status::kInProgress) {
    return NotIn(route, "оформлять зачисление");
  }
  if (item == ItemStatus::kDone || item == ItemStatus::kSkipped) {
    return absl::FailedPreconditionError("Пункт уже закрыт: зачисление не требуется");
  }
  return absl::OkStatus();
}

ItemStatus ItemStatusAfterEnrolment(Status route, ItemStatus item) {
  return route == Status::kInProgress && item == ItemStatus::kPlanned ? ItemStatus::kInProgress : item;
}

ItemStatus ItemStatusOnRouteStart(Enrolment enrolment, ItemStatus item) {
  return enrolment == Enrolment::kEnrolled && item == ItemStatus::kPlanned ? ItemStatus::kInProgress : item;
}

}  // namespace nms::route
