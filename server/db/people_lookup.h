#pragma once
// Small reads about a region or a person that several services need in passing.

#include <cstdint>
#include <string>

#include <cppconn/connection.h>

namespace nms::db {

// The region's time zone; "Europe/Moscow" when the region is unknown.
std::string RegionTimeZone(sql::Connection& c, int64_t region_id);
// "Фамилия Имя Отчество" of a person; empty when unknown.
std::string PersonFullName(sql::Connection& c, int64_t person_id);
// Locks the person's row: serialises writers that decide by what the person already has.
void LockPerson(sql::Connection& c, int64_t person_id);

}  // namespace nms::db
