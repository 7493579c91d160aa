-- Individual educational routes, ИОМ (issue 4, DOMAIN.md §3): the activity catalogue, per-region
-- route settings, routes with their items, evidence, signatures and status history, and the
-- long-running bulk generation operations. Enum columns hold the nms.v1 enum values.
-- Contract for other areas (MonitoringRepository::LoadFacts): routes.person_id, routes.status
-- (nms.v1.RouteStatus), routes.result_id (diagnostic_results.id or NULL), routes.created_at,
-- routes.completed_at.
-- federal_programmes (0045) may be created after this file on a fresh database, so activities
-- keep its id without a foreign key; the repository joins it at run time.

CREATE TABLE activities (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  event_kind TINYINT NOT NULL DEFAULT 0,
  title VARCHAR(1000) NOT NULL,
  description TEXT NULL,
  hours INT NOT NULL DEFAULT 0,
  format TINYINT NOT NULL DEFAULT 0,
  learning_form TINYINT NOT NULL DEFAULT 0,
  provider_organization_id BIGINT NULL,
  provider_title VARCHAR(1000) NOT NULL DEFAULT '',
  federal_registry_id VARCHAR(128) NULL,
  -- '\n'-joined position codes / subjects; empty = any.
  positions VARCHAR(2000) NOT NULL DEFAULT '',
  subjects VARCHAR(2000) NOT NULL DEFAULT '',
  start_date DATE NULL,
  end_date DATE NULL,
  url VARCHAR(2000) NOT NULL DEFAULT '',
  active BOOLEAN NOT NULL DEFAULT TRUE,
  federal BOOLEAN NOT NULL DEFAULT FALSE,
  federal_programme_id BIGINT NULL,
  federal_programme_version BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_act_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_act_provider FOREIGN KEY (provider_organization_id) REFERENCES organizations(id),
  UNIQUE KEY uq_act_federal (federal_programme_id),
  KEY ix_act_region (region_id, active, id),
  KEY ix_act_registry (region_id, federal_registry_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_indicators (
  activity_id BIGINT NOT NULL,
  indicator_code VARCHAR(64) NOT NULL,
  PRIMARY KEY (activity_id, indicator_code),
  KEY ix_ai_code (indicator_code, activity_id),
  CONSTRAINT fk_ai_activity FOREIGN KEY (activity_id) REFERENCES activities(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE activity_areas (
  activity_id BIGINT NOT NULL,
  area TINYINT NOT NULL,
  PRIMARY KEY (activity_id, area),
  KEY ix_aa_area (area, activity_id),
  CONSTRAINT fk_aa_activity FOREIGN KEY (activity_id) REFERENCES activities(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A region without a row uses the column defaults (both signatures and approval required).
CREATE TABLE route_settings (
  region_id BIGINT PRIMARY KEY,
  teacher_signature_required BOOLEAN NOT NULL DEFAULT TRUE,
  school_signature_required BOOLEAN NOT NULL DEFAULT TRUE,
  approval_required BOOLEAN NOT NULL DEFAULT TRUE,
  approver_title VARCHAR(255) NOT NULL DEFAULT 'Директор ЦНППМ',
  default_goal VARCHAR(2000) NOT NULL DEFAULT '',
  default_horizon_months INT NOT NULL DEFAULT 12,
  default_max_items_per_deficit INT NOT NULL DEFAULT 2,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_rs_region FOREIGN KEY (region_id) REFERENCES regions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bulk generation: the state of the work lives here, so any replica can resume it after a
-- restart (cursor_person_id is the last teacher whose batch committed).
CREATE TABLE route_operations (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  state TINYINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  scope VARCHAR(255) NOT NULL DEFAULT '',
  options_blob BLOB NOT NULL,
  account_id BIGINT NULL,
  actor_person_id BIGINT NULL,
  start_date DATE NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  done BIGINT NOT NULL DEFAULT 0,
  phase VARCHAR(255) NOT NULL DEFAULT '',
  cursor_person_id BIGINT NOT NULL DEFAULT 0,
  routes_created BIGINT NOT NULL DEFAULT 0,
  skipped_existing BIGINT NOT NULL DEFAULT 0,
  skipped_without_diagnosis BIGINT NOT NULL DEFAULT 0,
  error_count BIGINT NOT NULL DEFAULT 0,
  error_message VARCHAR(2000) NOT NULL DEFAULT '',
  worker VARCHAR(128) NOT NULL DEFAULT '',
  heartbeat_at TIMESTAMP(6) NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  ended_at TIMESTAMP(6) NULL,
  CONSTRAINT fk_rop_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_rop_campaign FOREIGN KEY (campaign_id) REFERENCES diagnostic_campaigns(id),
  KEY ix_rop_state (state, heartbeat_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE route_operation_errors (
  operation_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  message VARCHAR(1000) NOT NULL,
  PRIMARY KEY (operation_id, person_id),
  CONSTRAINT fk_roe_operation FOREIGN KEY (operation_id) REFERENCES route_operations(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per ИОМ. The header columns snapshot the teacher and the diagnosis at generation
-- (the printed document must not change when the teacher moves). open_person_id makes "at
-- most one open route (draft … in progress) per teacher" a database invariant.
CREATE TABLE routes (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  person_id BIGINT NOT NULL,
  region_id BIGINT NOT NULL,
  result_id BIGINT NULL,
  campaign_id BIGINT NULL,
  operation_id BIGINT NULL,
  status TINYINT NOT NULL,
  goal VARCHAR(4000) NOT NULL DEFAULT '',
  notes TEXT NULL,
  full_name VARCHAR(400) NOT NULL DEFAULT '',
  municipality_id BIGINT NULL,
  municipality_title VARCHAR(255) NOT NULL DEFAULT '',
  organization_id BIGINT NULL,
  organization_title VARCHAR(512) NOT NULL DEFAULT '',
  position VARCHAR(255) NOT NULL DEFAULT '',
  subject VARCHAR(1024) NOT NULL DEFAULT '',
  diagnosis_date DATE NULL,
  overall_level TINYINT NOT NULL DEFAULT 0,
  deficit_count INT NOT NULL DEFAULT 0,
  methodist_person_id BIGINT NULL,
  methodist_role TINYINT NOT NULL DEFAULT 0,
  revision_comment VARCHAR(4000) NOT NULL DEFAULT '',
  planned_start_date DATE NULL,
  planned_end_date DATE NULL,
  generated BOOLEAN NOT NULL DEFAULT FALSE,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  started_at TIMESTAMP(6) NULL,
  completed_at TIMESTAMP(6) NULL,
  open_person_id BIGINT AS (IF(status IN (1, 2, 3, 4), person_id, NULL)) PERSISTENT,
  CONSTRAINT fk_routes_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_routes_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_routes_result FOREIGN KEY (result_id) REFERENCES diagnostic_results(id),
  CONSTRAINT fk_routes_campaign FOREIGN KEY (campaign_id) REFERENCES diagnostic_campaigns(id),
  CONSTRAINT fk_routes_methodist FOREIGN KEY (methodist_person_id) REFERENCES people(id),
  UNIQUE KEY uq_routes_open (open_person_id),
  KEY ix_routes_person (person_id, status),
  KEY ix_routes_region (region_id, status, id),
  KEY ix_routes_methodist (methodist_person_id, status),
  KEY ix_routes_campaign (campaign_id, person_id),
  KEY ix_routes_operation (operation_id, person_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE route_signatures (
  route_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  person_id BIGINT NULL,
  full_name VARCHAR(400) NOT NULL DEFAULT '',
  position_title VARCHAR(1000) NOT NULL DEFAULT '',
  signed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (route_id, kind),
  CONSTRAINT fk_rsig_route FOREIGN KEY (route_id) REFERENCES routes(id) ON DELETE CASCADE,
  CONSTRAINT fk_rsig_person FOREIGN KEY (person_id) REFERENCES people(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- closes_codes: '\n'-joined indicator codes of the route's deficits the item closes.
-- mentoring_pair_id: mentoring_pairs.id (MentoringService; no foreign key across areas).
CREATE TABLE route_items (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  route_id BIGINT NOT NULL,
  section TINYINT NOT NULL,
  position INT NOT NULL,
  activity_id BIGINT NULL,
  title VARCHAR(1000) NOT NULL,
  form VARCHAR(1000) NOT NULL DEFAULT '',
  hours INT NOT NULL DEFAULT 0,
  deadline DATE NULL,
  closes_codes VARCHAR(4000) NOT NULL DEFAULT '',
  reason TEXT NULL,
  status TINYINT NOT NULL DEFAULT 1,
  skip_reason VARCHAR(2000) NOT NULL DEFAULT '',
  reflective_report TEXT NULL,
  reflection_at TIMESTAMP(6) NULL,
  community_status VARCHAR(255) NOT NULL DEFAULT '',
  mentoring_pair_id BIGINT NULL,
  enrolment_status TINYINT NOT NULL DEFAULT 0,
  enrol_applied_at TIMESTAMP(6) NULL,
  enrol_decided_by BIGINT NULL,
  enrol_decided_at TIMESTAMP(6) NULL,
  enrol_comment VARCHAR(2000) NOT NULL DEFAULT '',
  enrolled_at TIMESTAMP(6) NULL,
  withdrawn_at TIMESTAMP(6) NULL,
  done_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_ri_route FOREIGN KEY (route_id) REFERENCES routes(id) ON DELETE CASCADE,
  CONSTRAINT fk_ri_activity FOREIGN KEY (activity_id) REFERENCES activities(id),
  CONSTRAINT fk_ri_decider FOREIGN KEY (enrol_decided_by) REFERENCES people(id),
  KEY ix_ri_route (route_id, section, position),
  KEY ix_ri_activity (activity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE route_item_evidence (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  item_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  certificate_number VARCHAR(255) NOT NULL DEFAULT '',
  url VARCHAR(2000) NOT NULL DEFAULT '',
  file_ref VARCHAR(1000) NOT NULL DEFAULT '',
  description VARCHAR(2000) NOT NULL DEFAULT '',
  added_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_rie_item FOREIGN KEY (item_id) REFERENCES route_items(id) ON DELETE CASCADE,
  KEY ix_rie_item (item_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only history of a route's lifecycle (who, in which role, when, why).
CREATE TABLE route_status_changes (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  route_id BIGINT NOT NULL,
  transition TINYINT NOT NULL,
  from_status TINYINT NOT NULL DEFAULT 0,
  to_status TINYINT NOT NULL,
  actor_person_id BIGINT NULL,
  actor_account_id BIGINT NULL,
  actor_full_name VARCHAR(400) NOT NULL DEFAULT '',
  actor_role TINYINT NOT NULL DEFAULT 0,
  comment VARCHAR(4000) NOT NULL DEFAULT '',
  route_version BIGINT NOT NULL,
  changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_rsc_route FOREIGN KEY (route_id) REFERENCES routes(id) ON DELETE CASCADE,
  KEY ix_rsc_route (route_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
