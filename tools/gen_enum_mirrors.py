#!/usr/bin/env python3
"""Writes server/mapping/enum_mirrors.cc: a static_assert for every enumerator of a domain enum
that mirrors an nms.v1 proto enum, so the hand-written domain values and the wire values can never
drift apart (services and repositories convert between them with static_cast).

  python3 tools/gen_enum_mirrors.py          # rewrite the file
  python3 tools/gen_enum_mirrors.py --check  # fail if the file is stale or a mirror has an
                                             # enumerator the proto enum lacks (run by ./nms test)
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "server/mapping/enum_mirrors.cc"

# (domain header, C++ enum, proto enum, {domain enumerator: proto suffix} overrides,
#  domain-only enumerators with the reason they have no wire value)
MIRRORS = [
    ("access/principal.h", "access::Role", "Role", {}, {}),
    ("diagnostics/instrument.h", "diagnostics::BlockKind", "InstrumentBlockKind", {}, {}),
    ("diagnostics/instrument.h", "diagnostics::InstrumentState", "InstrumentState", {}, {}),
    ("diagnostics/item_scoring.h", "diagnostics::ChoiceScoring", "MultipleChoiceScoring", {}, {}),
    ("diagnostics/item_scoring.h", "diagnostics::ItemKind", "InstrumentItemKind", {}, {}),
    ("diagnostics/scoring.h", "diagnostics::Level", "CompetencyLevel", {}, {}),
    ("diagnostics/session_rules.h", "diagnostics::CampaignState", "CampaignState", {}, {}),
    ("diagnostics/session_rules.h", "diagnostics::ParticipantStatus", "ParticipantStatus", {}, {}),
    ("diagnostics/session_rules.h", "diagnostics::SessionState", "SessionState", {}, {}),
    ("events/rules.h", "events::Level", "EventLevel", {}, {}),
    ("events/rules.h", "events::RegStatus", "EventRegistrationStatus", {}, {}),
    ("events/rules.h", "events::Status", "EventStatus", {}, {}),
    ("inbox/inbox.h", "inbox::Kind", "InboxEntryKind", {}, {}),
    ("inbox/inbox.h", "inbox::Sort", "InboxSort", {"kUrgent": "UNSPECIFIED"}, {}),
    ("inbox/notifications.h", "inbox::NotificationKind", "NotificationKind", {}, {}),
    ("mentoring/auto_requests.h", "mentoring::RequestSource", "MenteeRequestSource", {}, {}),
    ("mentoring/lifecycle.h", "mentoring::Outcome", "MentoringOutcome", {}, {}),
    ("mentoring/lifecycle.h", "mentoring::PairStatus", "MentoringPairStatus", {}, {}),
    ("mentoring/lifecycle.h", "mentoring::RequestStatus", "MenteeRequestStatus", {}, {}),
    ("mentoring/lifecycle.h", "mentoring::Side", "PairSide", {}, {}),
    ("mentoring/matching.h", "mentoring::Distance", "PairDistance", {}, {}),
    ("mentoring/matching.h", "mentoring::UnmatchedReason", "UnmatchedReason", {}, {}),
    ("mentoring/scope_overlap.h", "mentoring::ScopeKind", "IndicatorScopeLevel", {}, {}),
    ("monitoring/indicators.h", "monitoring::Comparison", "TargetComparison", {}, {}),
    ("monitoring/indicators.h", "monitoring::Fact", "MonitoringFact", {}, {}),
    ("monitoring/indicators.h", "monitoring::Period", "IndicatorPeriod", {}, {}),
    ("monitoring/indicators.h", "monitoring::Preset", "IndicatorPreset", {}, {}),
    ("monitoring/indicators.h", "monitoring::ScopeLevel", "IndicatorScopeLevel", {}, {}),
    ("monitoring/indicators.h", "monitoring::Status", "IndicatorStatus", {}, {}),
    ("monitoring/indicators.h", "monitoring::ValueKind", "IndicatorValueKind", {}, {}),
    ("route/generation.h", "route::ActivityKind", "ActivityKind",
     {"kFurtherTraining": "FURTHER_TRAINING_PROGRAMME", "kRetraining": "RETRAINING_PROGRAMME"},
     {"kMethodologicalMaterials": "template rows of section 2 and 3, stored as items, not catalogue activities",
      "kMentoringWithMentor": "template rows of section 2 and 3, stored as items, not catalogue activities",
      "kMentoringAsMentor": "template rows of section 2 and 3, stored as items, not catalogue activities"}),
    ("route/generation.h", "route::MentoringRole", "RouteMentoringRole", {"kNone": "UNSPECIFIED"}, {}),
    ("route/generation.h", "route::Section", "RouteSection", {}, {}),
    ("route/items.h", "route::EvidenceKind", "RouteItemEvidenceKind", {}, {}),
    ("route/lifecycle.h", "route::Enrolment", "EnrolmentStatus", {"kNone": "UNSPECIFIED"}, {}),
    ("route/lifecycle.h", "route::ItemStatus", "RouteItemStatus", {}, {}),
    ("route/lifecycle.h", "route::SignatureKind", "RouteSignatureKind", {}, {}),
    ("route/lifecycle.h", "route::Status", "RouteStatus", {}, {}),
    ("route/lifecycle.h", "route::Transition", "RouteTransition", {}, {}),
    ("route/revision.h", "route::ChangeKind", "RouteChangeKind", {}, {}),
    ("route/revision.h", "route::RevisionMode", "RouteRevisionKind", {"kInPlace": "REVISION"}, {}),
    ("young/support.h", "young::AlertKind", "YoungTeacherAlertKind", {}, {}),
    ("young/support.h", "young::MeasureKind", "SupportMeasureKind", {}, {}),
    ("young/support.h", "young::MeasureStatus", "SupportMeasureStatus", {}, {}),
]


def upper_snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).upper()


def proto_enums():
    enums = {}
    for f in sorted((ROOT / "proto/nms/v1").glob("*.proto")):
        for m in re.finditer(r"^enum (\w+) \{(.*?)^\}", f.read_text(encoding="utf-8"), re.S | re.M):
            enums[m.group(1)] = (f.name, {v.group(1): int(v.group(2)) for v in
                                          re.finditer(r"^\s*([A-Z0-9_]+)\s*=\s*(\d+);", m.group(2), re.M)})
    return enums


def domain_enumerators(header: str, name: str):
    text = (ROOT / "server/domain" / header).read_text(encoding="utf-8")
    m = re.search(r"enum class " + re.escape(name) + r"\b[^{]*\{(.*?)\};", text, re.S)
    if not m:
        raise SystemExit(f"enum {name} not found in server/domain/{header}")
    body = re.sub(r"//[^\n]*", "", m.group(1))
    return [p.strip().split("=")[0].strip() for p in body.split(",") if p.strip()]


def generate():
    protos = proto_enums()
    problems = []
    headers = sorted({h for h, *_ in MIRRORS})
    protos_used = sorted({protos[p][0] for _, _, p, _, _ in MIRRORS if p in protos})
    lines = ["// Generated by tools/gen_enum_mirrors.py; do not edit. `./nms test` fails when it is stale.",
             "// Every domain enum that mirrors an nms.v1 enum has each value checked here at compile time,",
             "// so a static_cast between them can never silently mean something else.", ""]
    lines += [f'#include "nms/v1/{p.replace(".proto", ".pb.h")}"' for p in protos_used]
    lines += [f'#include "server/domain/{h}"' for h in headers]
    lines += ["", "namespace nms::mapping {", "namespace {", "namespace v1 = ::nms::v1;", ""]
    for header, cpp, proto, overrides, domain_only in MIRRORS:
        if proto not in protos:
            problems.append(f"proto enum {proto} (mirror of {cpp}) does not exist")
            continue
        _, values = protos[proto]
        prefix = upper_snake(proto) + "_"
        lines.append(f"// {cpp} <-> nms.v1.{proto}")
        for e in domain_enumerators(header, cpp.split("::")[1]):
            if e in domain_only:
                lines.append(f"// {e}: no wire value ({domain_only[e]})")
                continue
            suffix = overrides.get(e, upper_snake(e[1:]))
            wire = prefix + suffix
            if wire not in values:
                problems.append(f"{cpp}::{e} has no counterpart {wire} in nms.v1.{proto}")
                continue
            lines.append(f"static_assert(static_cast<int>({cpp}::{e}) == v1::{wire});")
        lines.append("")
    lines += ["}  // namespace", "}  // namespace nms::mapping", ""]
    return "\n".join(lines), problems


def main() -> int:
    text, problems = generate()
    for p in problems:
        print(p)
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python3 tools/gen_enum_mirrors.py")
            return 1
        print(f"enum mirrors: {len(MIRRORS)} enums checked")
        return 1 if problems else 0
    OUT.write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
