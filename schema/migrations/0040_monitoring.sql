-- Monitoring of the effectiveness indicators (DOMAIN.md §6, §8): per-region indicator
-- definitions, yes/no attestations, and the facts no other area records.

CREATE TABLE indicator_definitions (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  code VARCHAR(64) NOT NULL,
  ordinal INT NOT NULL DEFAULT 0,
  title VARCHAR(1000) NOT NULL,
  description TEXT NOT NULL,
  preset TINYINT NOT NULL DEFAULT 0,
  numerator_fact TINYINT NOT NULL,
  numerator_types VARCHAR(64) NOT NULL DEFAULT '',
  denominator_fact TINYINT NOT NULL,
  denominator_types VARCHAR(64) NOT NULL DEFAULT '',
  value_kind TINYINT NOT NULL,
  scope_level TINYINT NOT NULL,
  period TINYINT NOT NULL,
  target_value DOUBLE NOT NULL,
  comparison TINYINT NOT NULL,
  source_clause VARCHAR(1000) NOT NULL DEFAULT '',
  denominator_note VARCHAR(1000) NOT NULL DEFAULT '',
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_inddef_region FOREIGN KEY (region_id) REFERENCES regions(id),
  UNIQUE KEY uq_inddef_code (region_id, code),
  KEY ix_inddef_order (region_id, enabled, ordinal)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE indicator_attestations (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  definition_id BIGINT NOT NULL,
  scope_level TINYINT NOT NULL,
  scope_id BIGINT NOT NULL,
  period_end_date DATE NOT NULL,
  value BOOLEAN NOT NULL,
  document VARCHAR(1000) NOT NULL DEFAULT '',
  account_id BIGINT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_indatt_def FOREIGN KEY (definition_id) REFERENCES indicator_definitions(id) ON DELETE CASCADE,
  UNIQUE KEY uq_indatt (definition_id, scope_level, scope_id, period_end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE training_completions (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  activity_id BIGINT NULL,
  programme_title VARCHAR(1000) NOT NULL,
  provider_title VARCHAR(1000) NOT NULL DEFAULT '',
  hours INT NOT NULL DEFAULT 0,
  federal_registry BOOLEAN NOT NULL DEFAULT FALSE,
  federal_registry_id VARCHAR(128) NULL,
  chosen_from_diagnostics BOOLEAN NOT NULL DEFAULT FALSE,
  route_item VARCHAR(255) NULL,
  quality_management BOOLEAN NOT NULL DEFAULT FALSE,
  federal_operator BOOLEAN NOT NULL DEFAULT FALSE,
  start_date DATE NULL,
  end_date DATE NULL,
  attestation_passed BOOLEAN NOT NULL DEFAULT FALSE,
  certificate_number VARCHAR(128) NOT NULL DEFAULT '',
  source TINYINT NOT NULL DEFAULT 1,
  external_id VARCHAR(128) NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_tc_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_tc_person FOREIGN KEY (person_id) REFERENCES people(id),
  UNIQUE KEY uq_tc_external (region_id, source, external_id),
  KEY ix_tc_person (person_id, end_date),
  KEY ix_tc_region (region_id, end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE management_team_memberships (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  role TINYINT NOT NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  employment_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_mtm_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_mtm_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  KEY ix_mtm_region (region_id, end_date),
  KEY ix_mtm_org (organization_id, end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE community_memberships (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  community_title VARCHAR(1000) NOT NULL,
  activity_id BIGINT NULL,
  community_kind TINYINT NOT NULL,
  level TINYINT NOT NULL,
  networked BOOLEAN NOT NULL DEFAULT FALSE,
  member_status VARCHAR(255) NOT NULL DEFAULT '',
  start_date DATE NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_cm_person FOREIGN KEY (person_id) REFERENCES people(id),
  KEY ix_cm_region (region_id, end_date),
  KEY ix_cm_person (person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE expert_activities (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  title VARCHAR(1000) NOT NULL DEFAULT '',
  start_date DATE NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_ea_person FOREIGN KEY (person_id) REFERENCES people(id),
  KEY ix_ea_region (region_id, end_date),
  KEY ix_ea_person (person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE internship_platforms (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  title VARCHAR(1000) NOT NULL,
  register_number VARCHAR(128) NOT NULL DEFAULT '',
  start_date DATE NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_ip_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  KEY ix_ip_region (region_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE internship_participants (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  platform_id BIGINT NOT NULL,
  region_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  role TINYINT NOT NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_ipp_platform FOREIGN KEY (platform_id) REFERENCES internship_platforms(id) ON DELETE CASCADE,
  CONSTRAINT fk_ipp_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_ipp_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  KEY ix_ipp_region (region_id),
  KEY ix_ipp_platform (platform_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE regional_events (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  title VARCHAR(1000) NOT NULL,
  kind VARCHAR(255) NOT NULL DEFAULT '',
  level TINYINT NOT NULL DEFAULT 1,
  organizer_id BIGINT NULL,
  activity_id BIGINT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_re_region FOREIGN KEY (region_id) REFERENCES regions(id),
  KEY ix_re_region (region_id, start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE regional_event_participants (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  event_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  role TINYINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_rep_event FOREIGN KEY (event_id) REFERENCES regional_events(id) ON DELETE CASCADE,
  CONSTRAINT fk_rep_person FOREIGN KEY (person_id) REFERENCES people(id),
  UNIQUE KEY uq_rep (event_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE cnppm_staff (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  position VARCHAR(255) NOT NULL DEFAULT '',
  start_date DATE NULL,
  end_date DATE NULL,
  federally_trained BOOLEAN NOT NULL DEFAULT FALSE,
  federal_training_date DATE NULL,
  federal_training_title VARCHAR(1000) NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_cs_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_cs_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  KEY ix_cs_region (region_id, end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE methodist_assignments (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  methodist_person_id BIGINT NOT NULL,
  teacher_person_id BIGINT NOT NULL,
  role TINYINT NOT NULL,
  route_id BIGINT NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_ma_methodist FOREIGN KEY (methodist_person_id) REFERENCES people(id),
  CONSTRAINT fk_ma_teacher FOREIGN KEY (teacher_person_id) REFERENCES people(id),
  KEY ix_ma_region (region_id, end_date),
  KEY ix_ma_methodist (methodist_person_id),
  KEY ix_ma_teacher (teacher_person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
