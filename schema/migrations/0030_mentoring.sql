-- Mentoring (issue 5, DOMAIN.md §4): per-region eligibility settings, mentor profiles, mentee
-- requests (manual and automatic), matching constraints and proposals, pairs with their plan,
-- meetings and feedback, and the schools' mentoring programmes. Enum columns hold the nms.v1
-- enum values; '|'-joined columns hold short lists (subjects, indicator codes, enum values).
-- A person's place (organisation, municipality) is always read from `people`, never copied here.
-- Contract for other areas (monitoring, young teachers): mentoring_pairs.mentee_person_id (NULL
-- for organisation pairs), mentor_person_id, mentor_organization_id / mentee_organization_id
-- (set only for organisation-to-organisation pairs), status (nms.v1.MentoringPairStatus,
-- 2 = ACTIVE), started_at / ended_at (dates); mentoring_programmes.organization_id, status
-- (nms.v1.MentoringProgrammeStatus, 1 = ACTIVE).

CREATE TABLE mentoring_settings (
  region_id BIGINT PRIMARY KEY,
  min_experience_years INT NOT NULL DEFAULT 3,
  min_qualification_category TINYINT NOT NULL DEFAULT 0,
  require_diagnostics BOOLEAN NOT NULL DEFAULT FALSE,
  min_diagnostic_level TINYINT NOT NULL DEFAULT 2,
  default_capacity INT NOT NULL DEFAULT 3,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mset_region FOREIGN KEY (region_id) REFERENCES regions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One profile per mentor: a person, or an organisation's management team (менторство).
-- eligibility_json is the proto3 JSON of nms.v1.MentorEligibility.
CREATE TABLE mentor_profiles (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  mentor_person_id BIGINT NULL,
  mentor_organization_id BIGINT NULL,
  nomination TINYINT NOT NULL,
  status TINYINT NOT NULL,
  eligible BOOLEAN NOT NULL DEFAULT FALSE,
  eligibility_json TEXT NOT NULL,
  subjects VARCHAR(1024) NOT NULL DEFAULT '',
  strong_areas VARCHAR(64) NOT NULL DEFAULT '',
  strong_indicator_codes VARCHAR(2048) NOT NULL DEFAULT '',
  capacity INT NOT NULL,
  accepting BOOLEAN NOT NULL DEFAULT TRUE,
  available_from DATE NULL,
  available_until DATE NULL,
  availability_note VARCHAR(1000) NOT NULL DEFAULT '',
  pair_types VARCHAR(64) NOT NULL DEFAULT '',
  note TEXT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mpr_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_mpr_person FOREIGN KEY (mentor_person_id) REFERENCES people(id),
  CONSTRAINT fk_mpr_org FOREIGN KEY (mentor_organization_id) REFERENCES organizations(id),
  UNIQUE KEY uq_mpr_person (mentor_person_id),
  UNIQUE KEY uq_mpr_org (mentor_organization_id),
  KEY ix_mpr_region (region_id, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- auto_key ("young:{person}", "route:{routes/r/items/i}") is set while an automatic request is
-- OPEN or PROPOSED, so concurrent SyncAutoRequests runs cannot create the same request twice.
CREATE TABLE mentee_requests (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  mentee_person_id BIGINT NULL,
  mentee_organization_id BIGINT NULL,
  source TINYINT NOT NULL,
  route_item VARCHAR(128) NULL,
  auto_key VARCHAR(160) NULL,
  pair_type TINYINT NOT NULL DEFAULT 0,
  subjects VARCHAR(1024) NOT NULL DEFAULT '',
  areas VARCHAR(64) NOT NULL DEFAULT '',
  deficit_indicator_codes VARCHAR(2048) NOT NULL DEFAULT '',
  status TINYINT NOT NULL,
  pair_id BIGINT NULL,
  note TEXT NULL,
  cancel_reason VARCHAR(1000) NOT NULL DEFAULT '',
  created_by_account_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mrq_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_mrq_person FOREIGN KEY (mentee_person_id) REFERENCES people(id),
  CONSTRAINT fk_mrq_org FOREIGN KEY (mentee_organization_id) REFERENCES organizations(id),
  UNIQUE KEY uq_mrq_auto (auto_key),
  KEY ix_mrq_person (mentee_person_id, status),
  KEY ix_mrq_org (mentee_organization_id, status),
  KEY ix_mrq_region (region_id, status, id),
  KEY ix_mrq_route_item (route_item)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A school's mentoring programme (целевая модель наставничества).
CREATE TABLE mentoring_programmes (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  title VARCHAR(512) NOT NULL,
  coordinator_person_id BIGINT NULL,
  adoption_document VARCHAR(512) NOT NULL DEFAULT '',
  adoption_date DATE NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  pair_types VARCHAR(64) NOT NULL DEFAULT '',
  status TINYINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mpg_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_mpg_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  CONSTRAINT fk_mpg_coordinator FOREIGN KEY (coordinator_person_id) REFERENCES people(id),
  KEY ix_mpg_org (organization_id, status),
  KEY ix_mpg_region (region_id, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A pin or a forbidden pair. mentee_key is "people/{id}" or "organizations/{id}"; scope the
-- resource name of the territory whose methodist set it.
CREATE TABLE matching_constraints (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  mentor_profile_id BIGINT NOT NULL,
  mentee_person_id BIGINT NULL,
  mentee_organization_id BIGINT NULL,
  mentee_key VARCHAR(64) NOT NULL,
  scope VARCHAR(64) NOT NULL,
  reason VARCHAR(1000) NOT NULL DEFAULT '',
  created_by_person_id BIGINT NULL,
  created_by_account_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mco_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_mco_profile FOREIGN KEY (mentor_profile_id) REFERENCES mentor_profiles(id) ON DELETE CASCADE,
  CONSTRAINT fk_mco_person FOREIGN KEY (mentee_person_id) REFERENCES people(id),
  CONSTRAINT fk_mco_org FOREIGN KEY (mentee_organization_id) REFERENCES organizations(id),
  UNIQUE KEY uq_mco_pair (mentor_profile_id, mentee_key, scope),
  KEY ix_mco_region (region_id, id),
  KEY ix_mco_person (mentee_person_id),
  KEY ix_mco_org (mentee_organization_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A matching run. scope_* place the scope in the territory (for superseding overlapping
-- proposals); options_json is the proto3 JSON of nms.v1.MatchingOptions.
CREATE TABLE matching_proposals (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  scope VARCHAR(64) NOT NULL,
  scope_district_id BIGINT NULL,
  scope_municipality_id BIGINT NULL,
  scope_organization_id BIGINT NULL,
  options_json TEXT NOT NULL,
  state TINYINT NOT NULL,
  mentees INT NOT NULL DEFAULT 0,
  mentors INT NOT NULL DEFAULT 0,
  candidate_edges BIGINT NOT NULL DEFAULT 0,
  matched INT NOT NULL DEFAULT 0,
  total_cost BIGINT NOT NULL DEFAULT 0,
  compute_millis BIGINT NOT NULL DEFAULT 0,
  created_by_person_id BIGINT NULL,
  created_by_account_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mpp_region FOREIGN KEY (region_id) REFERENCES regions(id),
  KEY ix_mpp_region (region_id, state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Pairs of a proposal, idx from 0. explanation is the serialized nms.v1.PairExplanation.
-- released_pair_id: a PROPOSED pair nobody accepted that this pair replaces when applied.
CREATE TABLE matching_proposal_pairs (
  proposal_id BIGINT NOT NULL,
  idx INT NOT NULL,
  mentor_profile_id BIGINT NOT NULL,
  mentee_request_id BIGINT NOT NULL,
  pair_type TINYINT NOT NULL,
  cost BIGINT NOT NULL,
  pinned BOOLEAN NOT NULL DEFAULT FALSE,
  kept_pair_id BIGINT NULL,
  released_pair_id BIGINT NULL,
  explanation BLOB NULL,
  PRIMARY KEY (proposal_id, idx),
  KEY ix_mppa_request (mentee_request_id),
  CONSTRAINT fk_mppa_proposal FOREIGN KEY (proposal_id) REFERENCES matching_proposals(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE matching_proposal_unmatched (
  proposal_id BIGINT NOT NULL,
  idx INT NOT NULL,
  mentee_request_id BIGINT NOT NULL,
  reason TINYINT NOT NULL,
  detail VARCHAR(1000) NOT NULL DEFAULT '',
  PRIMARY KEY (proposal_id, idx),
  CONSTRAINT fk_mppu_proposal FOREIGN KEY (proposal_id) REFERENCES matching_proposals(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A mentoring pair. Person pairs: mentor_person_id + mentee_person_id; organisation pairs
-- (management mentoring): mentor_organization_id + mentee_organization_id. explanation is the
-- serialized nms.v1.PairExplanation of the matching that proposed it.
CREATE TABLE mentoring_pairs (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  mentor_profile_id BIGINT NOT NULL,
  mentor_person_id BIGINT NULL,
  mentor_organization_id BIGINT NULL,
  mentee_person_id BIGINT NULL,
  mentee_organization_id BIGINT NULL,
  mentee_request_id BIGINT NULL,
  pair_type TINYINT NOT NULL,
  indicator_codes VARCHAR(2048) NOT NULL DEFAULT '',
  subjects VARCHAR(1024) NOT NULL DEFAULT '',
  status TINYINT NOT NULL,
  mentor_accepted_at TIMESTAMP(6) NULL,
  mentee_accepted_at TIMESTAMP(6) NULL,
  close_reason VARCHAR(1000) NOT NULL DEFAULT '',
  outcome TINYINT NOT NULL DEFAULT 0,
  outcome_comment TEXT NULL,
  started_at DATE NULL,
  planned_end_date DATE NULL,
  ended_at DATE NULL,
  programme_id BIGINT NULL,
  route_item VARCHAR(128) NULL,
  proposal_id BIGINT NULL,
  explanation BLOB NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mpa_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_mpa_profile FOREIGN KEY (mentor_profile_id) REFERENCES mentor_profiles(id),
  CONSTRAINT fk_mpa_mentor_person FOREIGN KEY (mentor_person_id) REFERENCES people(id),
  CONSTRAINT fk_mpa_mentor_org FOREIGN KEY (mentor_organization_id) REFERENCES organizations(id),
  CONSTRAINT fk_mpa_mentee_person FOREIGN KEY (mentee_person_id) REFERENCES people(id),
  CONSTRAINT fk_mpa_mentee_org FOREIGN KEY (mentee_organization_id) REFERENCES organizations(id),
  CONSTRAINT fk_mpa_request FOREIGN KEY (mentee_request_id) REFERENCES mentee_requests(id),
  CONSTRAINT fk_mpa_programme FOREIGN KEY (programme_id) REFERENCES mentoring_programmes(id),
  CONSTRAINT fk_mpa_proposal FOREIGN KEY (proposal_id) REFERENCES matching_proposals(id),
  KEY ix_mpa_profile (mentor_profile_id, status),
  KEY ix_mpa_mentor_person (mentor_person_id, status),
  KEY ix_mpa_mentee_person (mentee_person_id, status),
  KEY ix_mpa_mentee_org (mentee_organization_id, status),
  KEY ix_mpa_mentor_org (mentor_organization_id, status),
  KEY ix_mpa_region (region_id, status, id),
  KEY ix_mpa_programme (programme_id, status),
  KEY ix_mpa_route_item (route_item)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE mentee_requests ADD CONSTRAINT fk_mrq_pair FOREIGN KEY (pair_id) REFERENCES mentoring_pairs(id);

-- The plan of a pair: its goals, in order.
CREATE TABLE mentoring_pair_goals (
  pair_id BIGINT NOT NULL,
  goal_id VARCHAR(32) NOT NULL,
  ordinal INT NOT NULL,
  title VARCHAR(1000) NOT NULL,
  indicator_codes VARCHAR(2048) NOT NULL DEFAULT '',
  due_date DATE NULL,
  status TINYINT NOT NULL,
  PRIMARY KEY (pair_id, goal_id),
  KEY ix_mpg_order (pair_id, ordinal),
  CONSTRAINT fk_mgo_pair FOREIGN KEY (pair_id) REFERENCES mentoring_pairs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE mentoring_meetings (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  pair_id BIGINT NOT NULL,
  meeting_date DATE NOT NULL,
  topic VARCHAR(1000) NOT NULL,
  notes TEXT NULL,
  duration_minutes INT NOT NULL DEFAULT 0,
  format TINYINT NOT NULL DEFAULT 0,
  held BOOLEAN NOT NULL DEFAULT FALSE,
  created_by_account_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mme_pair FOREIGN KEY (pair_id) REFERENCES mentoring_pairs(id),
  KEY ix_mme_pair (pair_id, meeting_date, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE mentoring_feedback (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  pair_id BIGINT NOT NULL,
  side TINYINT NOT NULL,
  author_person_id BIGINT NULL,
  rating TINYINT NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mfb_pair FOREIGN KEY (pair_id) REFERENCES mentoring_pairs(id),
  CONSTRAINT fk_mfb_author FOREIGN KEY (author_person_id) REFERENCES people(id),
  KEY ix_mfb_pair (pair_id, side, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
