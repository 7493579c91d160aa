-- Diagnostics of professional deficits (issue 4): versioned competency frameworks, instruments,
-- campaigns with drawn participants, resumable sessions, scored results with deficits, and
-- item problem reports. Enum columns hold the nms.v1 enum values.
-- Contract for other areas: "framework_version" everywhere is diagnostic_frameworks.id (each
-- version of a framework is its own row/resource "frameworks/{id}").

CREATE TABLE diagnostic_frameworks (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  title VARCHAR(512) NOT NULL,
  revision INT NOT NULL,
  based_on_id BIGINT NULL,
  state TINYINT NOT NULL,
  overall_basic DOUBLE NOT NULL,
  overall_advanced DOUBLE NOT NULL,
  overall_high DOUBLE NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  published_at TIMESTAMP(6) NULL,
  CONSTRAINT fk_dfw_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_dfw_based_on FOREIGN KEY (based_on_id) REFERENCES diagnostic_frameworks(id),
  UNIQUE KEY uq_dfw_revision (region_id, revision),
  KEY ix_dfw_state (region_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Level bands per area: score >= high_min -> высокий, >= advanced_min -> повышенный,
-- >= basic_min -> базовый, else недостаточный.
CREATE TABLE diagnostic_framework_areas (
  framework_id BIGINT NOT NULL,
  area TINYINT NOT NULL,
  ordinal INT NOT NULL DEFAULT 0,
  title VARCHAR(255) NOT NULL,
  description TEXT NULL,
  basic_min DOUBLE NOT NULL,
  advanced_min DOUBLE NOT NULL,
  high_min DOUBLE NOT NULL,
  PRIMARY KEY (framework_id, area),
  CONSTRAINT fk_dfa_framework FOREIGN KEY (framework_id) REFERENCES diagnostic_frameworks(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Indicators of a framework version; codes are stable across versions.
CREATE TABLE competency_indicators (
  framework_version BIGINT NOT NULL,
  code VARCHAR(64) NOT NULL,
  area TINYINT NOT NULL,
  ordinal INT NOT NULL DEFAULT 0,
  title VARCHAR(512) NOT NULL,
  description TEXT NULL,
  basic_min DOUBLE NULL,
  PRIMARY KEY (framework_version, code),
  KEY ix_ci_area (framework_version, area, code),
  CONSTRAINT fk_ci_framework FOREIGN KEY (framework_version) REFERENCES diagnostic_frameworks(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE diagnostic_instruments (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  framework_id BIGINT NOT NULL,
  title VARCHAR(512) NOT NULL,
  purpose TEXT NULL,
  positions VARCHAR(1024) NOT NULL DEFAULT '',
  subjects VARCHAR(1024) NOT NULL DEFAULT '',
  state TINYINT NOT NULL,
  external_id VARCHAR(64) NULL,
  max_score DOUBLE NOT NULL DEFAULT 0,
  item_count INT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_din_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_din_framework FOREIGN KEY (framework_id) REFERENCES diagnostic_frameworks(id),
  KEY ix_din_region (region_id, state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE diagnostic_instrument_blocks (
  instrument_id BIGINT NOT NULL,
  block_id VARCHAR(64) NOT NULL,
  ordinal INT NOT NULL,
  title VARCHAR(512) NOT NULL DEFAULT '',
  instructions TEXT NULL,
  kind TINYINT NOT NULL,
  suggested_minutes INT NOT NULL DEFAULT 0,
  PRIMARY KEY (instrument_id, block_id),
  CONSTRAINT fk_dib_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- body_json is the proto3 JSON of nms.v1.InstrumentItem (options, answer key, scale).
CREATE TABLE diagnostic_instrument_items (
  instrument_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  block_id VARCHAR(64) NOT NULL,
  ordinal INT NOT NULL,
  kind TINYINT NOT NULL,
  max_score DOUBLE NOT NULL,
  required BOOLEAN NOT NULL DEFAULT FALSE,
  body_json MEDIUMTEXT NOT NULL,
  PRIMARY KEY (instrument_id, item_id),
  KEY ix_dii_order (instrument_id, ordinal),
  CONSTRAINT fk_dii_block FOREIGN KEY (instrument_id, block_id) REFERENCES diagnostic_instrument_blocks(instrument_id, block_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE diagnostic_item_indicators (
  instrument_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  indicator_code VARCHAR(64) NOT NULL,
  weight DOUBLE NOT NULL,
  PRIMARY KEY (instrument_id, item_id, indicator_code),
  KEY ix_dit_indicator (instrument_id, indicator_code),
  CONSTRAINT fk_dit_item FOREIGN KEY (instrument_id, item_id) REFERENCES diagnostic_instrument_items(instrument_id, item_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- population_json is the proto3 JSON of nms.v1.CampaignPopulation.
CREATE TABLE diagnostic_campaigns (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  title VARCHAR(512) NOT NULL,
  instrument_id BIGINT NOT NULL,
  framework_id BIGINT NOT NULL,
  wave_kind TINYINT NOT NULL DEFAULT 0,
  purpose TEXT NULL,
  voluntary BOOLEAN NOT NULL DEFAULT TRUE,
  population_json MEDIUMTEXT NOT NULL,
  open_time TIMESTAMP(6) NULL,
  close_time TIMESTAMP(6) NULL,
  time_limit_seconds INT NOT NULL DEFAULT 0,
  allow_retake BOOLEAN NOT NULL DEFAULT FALSE,
  max_attempts INT NOT NULL DEFAULT 0,
  state TINYINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  launched_at TIMESTAMP(6) NULL,
  closed_at TIMESTAMP(6) NULL,
  CONSTRAINT fk_dca_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_dca_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id),
  CONSTRAINT fk_dca_framework FOREIGN KEY (framework_id) REFERENCES diagnostic_frameworks(id),
  KEY ix_dca_region (region_id, state, id),
  KEY ix_dca_instrument (instrument_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status = nms.v1.ParticipantStatus; organization_type = stratum (nms.v1.OrganizationType).
CREATE TABLE diagnostic_campaign_participants (
  campaign_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  organization_id BIGINT NULL,
  municipality_id BIGINT NULL,
  organization_type TINYINT NOT NULL DEFAULT 0,
  status TINYINT NOT NULL DEFAULT 1,
  attempts INT NOT NULL DEFAULT 0,
  retakes_granted INT NOT NULL DEFAULT 0,
  last_session_id BIGINT NULL,
  last_result_id BIGINT NULL,
  PRIMARY KEY (campaign_id, person_id),
  KEY ix_dcp_person (person_id),
  KEY ix_dcp_org (campaign_id, organization_id),
  CONSTRAINT fk_dcp_campaign FOREIGN KEY (campaign_id) REFERENCES diagnostic_campaigns(id) ON DELETE CASCADE,
  CONSTRAINT fk_dcp_person FOREIGN KEY (person_id) REFERENCES people(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- state = nms.v1.SessionState. deadline_at = min(started_at + limit, campaign close) or NULL.
CREATE TABLE diagnostic_sessions (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  campaign_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  instrument_id BIGINT NOT NULL,
  attempt INT NOT NULL,
  state TINYINT NOT NULL,
  current_item_id VARCHAR(64) NOT NULL DEFAULT '',
  answered_count INT NOT NULL DEFAULT 0,
  started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  deadline_at TIMESTAMP(6) NULL,
  submitted_at TIMESTAMP(6) NULL,
  result_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_dse_attempt (campaign_id, person_id, attempt),
  KEY ix_dse_person (person_id, id),
  CONSTRAINT fk_dse_campaign FOREIGN KEY (campaign_id) REFERENCES diagnostic_campaigns(id),
  CONSTRAINT fk_dse_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_dse_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One durable answer per (session, item); selected_options is '|'-joined option ids.
CREATE TABLE diagnostic_answers (
  session_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  selected_options VARCHAR(1024) NOT NULL DEFAULT '',
  answer_text TEXT NULL,
  likert_value INT NULL,
  saved_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (session_id, item_id),
  CONSTRAINT fk_dan_session FOREIGN KEY (session_id) REFERENCES diagnostic_sessions(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Expert scores of EXTERNAL_SCORE items.
CREATE TABLE diagnostic_external_scores (
  session_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  score DOUBLE NOT NULL,
  comment TEXT NULL,
  scored_by_account_id BIGINT NULL,
  scored_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (session_id, item_id),
  CONSTRAINT fk_des_session FOREIGN KEY (session_id) REFERENCES diagnostic_sessions(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A scored competency profile. source = nms.v1.DiagnosticResultSource, status =
-- nms.v1.DiagnosticResultStatus, overall_level = nms.v1.CompetencyLevel. framework_version =
-- diagnostic_frameworks.id the result was banded with (never rewritten). region/municipality/
-- organization are the person's placement when the result was produced (for reports).
CREATE TABLE diagnostic_results (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  person_id BIGINT NOT NULL,
  region_id BIGINT NOT NULL,
  municipality_id BIGINT NULL,
  organization_id BIGINT NULL,
  campaign_id BIGINT NULL,
  session_id BIGINT NULL,
  instrument_id BIGINT NULL,
  framework_version BIGINT NOT NULL,
  source TINYINT NOT NULL,
  status TINYINT NOT NULL,
  overall_score DOUBLE NOT NULL,
  overall_level TINYINT NOT NULL,
  diagnosis_date DATE NOT NULL,
  external_id VARCHAR(128) NULL,
  external_source VARCHAR(255) NULL,
  content_hash VARCHAR(64) NOT NULL DEFAULT '',
  submitted_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_dre_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_dre_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_dre_campaign FOREIGN KEY (campaign_id) REFERENCES diagnostic_campaigns(id),
  CONSTRAINT fk_dre_session FOREIGN KEY (session_id) REFERENCES diagnostic_sessions(id),
  CONSTRAINT fk_dre_framework FOREIGN KEY (framework_version) REFERENCES diagnostic_frameworks(id),
  UNIQUE KEY uq_dre_session (session_id),
  UNIQUE KEY uq_dre_external (region_id, external_id),
  KEY ix_dre_person (person_id, status, diagnosis_date, id),
  KEY ix_dre_campaign (campaign_id, person_id),
  KEY ix_dre_org (organization_id, status, diagnosis_date),
  KEY ix_dre_mun (municipality_id, status, diagnosis_date),
  KEY ix_dre_region (region_id, status, diagnosis_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE diagnostic_sessions ADD CONSTRAINT fk_dse_result FOREIGN KEY (result_id) REFERENCES diagnostic_results(id);

CREATE TABLE diagnostic_result_areas (
  result_id BIGINT NOT NULL,
  area TINYINT NOT NULL,
  score DOUBLE NOT NULL,
  level TINYINT NOT NULL,
  PRIMARY KEY (result_id, area),
  CONSTRAINT fk_dra_result FOREIGN KEY (result_id) REFERENCES diagnostic_results(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE diagnostic_result_indicators (
  result_id BIGINT NOT NULL,
  indicator_code VARCHAR(64) NOT NULL,
  area TINYINT NOT NULL,
  score DOUBLE NOT NULL,
  level TINYINT NOT NULL,
  deficit BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (result_id, indicator_code),
  CONSTRAINT fk_dri_result FOREIGN KEY (result_id) REFERENCES diagnostic_results(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Deficits of a result; severity_rank 1 = most severe (largest gap below the threshold).
CREATE TABLE diagnostic_deficits (
  result_id BIGINT NOT NULL,
  indicator_code VARCHAR(64) NOT NULL,
  area TINYINT NOT NULL,
  score DOUBLE NOT NULL,
  threshold DOUBLE NOT NULL,
  gap DOUBLE NOT NULL,
  severity_rank INT NOT NULL,
  PRIMARY KEY (result_id, indicator_code),
  KEY ix_dde_rank (result_id, severity_rank),
  KEY ix_dde_code (indicator_code),
  CONSTRAINT fk_dde_result FOREIGN KEY (result_id) REFERENCES diagnostic_results(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status = nms.v1.ItemProblemStatus, category = nms.v1.ItemProblemCategory.
CREATE TABLE diagnostic_item_problem_reports (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  instrument_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  session_id BIGINT NOT NULL,
  reporter_person_id BIGINT NOT NULL,
  category TINYINT NOT NULL,
  report_text TEXT NOT NULL,
  status TINYINT NOT NULL,
  resolution_comment TEXT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_dip_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id),
  CONSTRAINT fk_dip_session FOREIGN KEY (session_id) REFERENCES diagnostic_sessions(id),
  CONSTRAINT fk_dip_reporter FOREIGN KEY (reporter_person_id) REFERENCES people(id),
  KEY ix_dip_region (region_id, status, id),
  KEY ix_dip_instrument (instrument_id, item_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
