-- Young teachers' support (DOMAIN.md §5, indicator 8). The cohort itself is never stored: it
-- is computed from people.birth_date / work_start_date at a reference date with these
-- per-region settings. Mentor and ИОМ measures are not stored either: they are read from
-- mentoring_pairs and routes, so each fact lives once.

-- Per-region rule of the cohort and its support; a region without a row uses the defaults.
-- Contract read by monitoring (indicator 8) and mentoring: region_id, age_limit, years_limit.
CREATE TABLE young_teacher_settings (
  region_id BIGINT PRIMARY KEY,
  age_limit INT NOT NULL DEFAULT 35,
  years_limit INT NOT NULL DEFAULT 3,
  support_target_percent DOUBLE NOT NULL DEFAULT 70,
  alert_window_months INT NOT NULL DEFAULT 6,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_yts_region FOREIGN KEY (region_id) REFERENCES regions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Support measures recorded by schools and methodists: events, clubs («Школа молодого
-- педагога»), competitions («Педагогический дебют»), methodological visits, ...
-- kind = nms.v1.SupportMeasureKind, status = nms.v1.SupportMeasureStatus.
-- Contract read by monitoring (indicator 8): person_id, start_date, end_date, status
-- (2 ACTIVE and 3 COMPLETED count over their dates).
CREATE TABLE support_measures (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  person_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  title VARCHAR(500) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  status TINYINT NOT NULL,
  source VARCHAR(255) NULL,
  organizer_organization_id BIGINT NULL,
  notes TEXT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_sm_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_sm_organizer FOREIGN KEY (organizer_organization_id) REFERENCES organizations(id),
  KEY ix_sm_person (person_id, start_date, id),
  KEY ix_sm_start (start_date, id),
  KEY ix_sm_organizer (organizer_organization_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
