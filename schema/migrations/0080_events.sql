-- The calendar of methodological events (issue 16 §3). An event is placed by its level: region
-- only (regional), the organiser's municipality (municipal), the organiser organisation (school);
-- scope_municipality_id / scope_organization_id hold that placement so scope checks and lists
-- need no join. status = nms.v1.EventStatus, level = EventLevel (= CommunityLevel), kind = EventKind.
CREATE TABLE events (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  level TINYINT NOT NULL,
  kind TINYINT NOT NULL,
  organizer_id BIGINT NOT NULL,
  municipality_id BIGINT NULL,          -- the organiser's municipality
  scope_municipality_id BIGINT NULL,    -- municipal and school events
  scope_organization_id BIGINT NULL,    -- school events
  title VARCHAR(300) NOT NULL,
  description TEXT NOT NULL,
  start_at TIMESTAMP(6) NOT NULL,
  end_at TIMESTAMP(6) NOT NULL,
  place VARCHAR(500) NOT NULL DEFAULT '',
  link VARCHAR(2000) NOT NULL DEFAULT '',
  capacity INT NOT NULL DEFAULT 0,
  status TINYINT NOT NULL,
  cancel_reason VARCHAR(2000) NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_ev_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_ev_org FOREIGN KEY (organizer_id) REFERENCES organizations(id),
  KEY ix_ev_region (region_id, status, start_at),
  KEY ix_ev_scope_mun (scope_municipality_id, start_at),
  KEY ix_ev_scope_org (scope_organization_id, start_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The competency areas (nms.v1.CompetencyArea) and indicator codes an event addresses.
CREATE TABLE event_areas (
  event_id BIGINT NOT NULL,
  area TINYINT NOT NULL,
  PRIMARY KEY (event_id, area),
  KEY ix_eva_area (area, event_id),
  CONSTRAINT fk_eva_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE event_indicators (
  event_id BIGINT NOT NULL,
  ordinal INT NOT NULL,
  code VARCHAR(32) NOT NULL,
  PRIMARY KEY (event_id, ordinal),
  KEY ix_evi_code (code, event_id),
  CONSTRAINT fk_evi_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One registration per person and event (a withdrawn one is taken again in place).
-- status = nms.v1.EventRegistrationStatus. route_item_id: the ИОМ item of the event, closed by
-- attendance.
CREATE TABLE event_registrations (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  event_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  status TINYINT NOT NULL,
  route_item_id BIGINT NULL,
  marked_by BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_evr (event_id, person_id),
  KEY ix_evr_person (person_id),
  CONSTRAINT fk_evr_event FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE,
  CONSTRAINT fk_evr_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_evr_item FOREIGN KEY (route_item_id) REFERENCES route_items(id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A held calendar event is also a monitoring fact (regional_events and its participants, the
-- attended): the row is derived and kept in step by the calendar, so nothing is entered twice.
-- Rows entered by hand keep calendar_event_id NULL.
ALTER TABLE regional_events ADD COLUMN calendar_event_id BIGINT NULL,
  ADD UNIQUE KEY uq_re_calendar (calendar_event_id),
  ADD CONSTRAINT fk_re_calendar FOREIGN KEY (calendar_event_id) REFERENCES events(id) ON DELETE SET NULL;
