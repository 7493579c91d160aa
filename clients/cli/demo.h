#pragma once
// The demo region is loaded in stages: the directory (demo.cc) and then one stage per area,
// each in its own file (demo_<area>.cc), run in this order after the directory commits:
// diagnostics -> routes -> mentoring -> young teachers -> monitoring facts -> practices -> events. A stage reads what earlier stages
// wrote from the database, is deterministic for the seed, and does nothing when its data is
// already there, so `./nms up` can run again on the same database.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "server/db/pool.h"

namespace nms::cli {

// What the directory stage created; ids of the people behind the printed demo sign-ins.
struct DemoWorld {
  int64_t region_id = 0;
  int64_t cnppm_org_id = 0;             // the ЦНППМ organisation
  int64_t first_municipality_id = 0;    // scope of mun@demo.nms
  int64_t first_school_id = 0;          // scope of school@demo.nms and teacher@demo.nms
  int64_t teacher_person_id = 0;        // teacher@demo.nms
  int64_t school_admin_person_id = 0;   // school@demo.nms
  int64_t municipal_methodist_person_id = 0;  // mun@demo.nms
  int64_t regional_methodist_person_id = 0;   // metodist@demo.nms
  int64_t regional_admin_person_id = 0;       // admin@demo.nms
  int64_t regional_admin_account_id = 0;      // audit records of demo writes name this account
  absl::CivilDay today;
  uint64_t seed = 1;
  // Routes: every n-th generated route is walked to its status (signatures, items carried out);
  // the others stay drafts, as right after a bulk generation. 1 for the demo; the full-size
  // load walks a sample (one route costs tens of statements).
  int walk_every_nth_route = 1;
};

// A lot per (seed, id, purpose): stable whatever else the region holds, so a stage's choice for
// one person or organisation does not move when others are added.
uint64_t DemoLot(uint64_t seed, int64_t id, uint64_t purpose);

absl::Status SeedDemoDiagnostics(db::ConnectionPool& pool, const DemoWorld& world);
absl::Status SeedDemoRoutes(db::ConnectionPool& pool, const DemoWorld& world);
absl::Status SeedDemoMentoring(db::ConnectionPool& pool, const DemoWorld& world);
absl::Status SeedDemoYoungTeachers(db::ConnectionPool& pool, const DemoWorld& world);
absl::Status SeedDemoMonitoring(db::ConnectionPool& pool, const DemoWorld& world);
absl::Status SeedDemoPractices(db::ConnectionPool& pool, const DemoWorld& world);
absl::Status SeedDemoEvents(db::ConnectionPool& pool, const DemoWorld& world);

}  // namespace nms::cli
