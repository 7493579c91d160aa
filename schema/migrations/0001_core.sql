-- Core: territory, organisations, people, accounts, auth sessions, and the cross-cutting
-- tables every service writes in the same transaction (idempotency keys, audit, outbox).

CREATE TABLE regions (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  display_name VARCHAR(255) NOT NULL,
  time_zone VARCHAR(64) NOT NULL DEFAULT 'Europe/Moscow',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE districts (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  display_name VARCHAR(255) NOT NULL,
  base_organization_id BIGINT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_districts_region FOREIGN KEY (region_id) REFERENCES regions(id),
  UNIQUE KEY uq_districts_name (region_id, display_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE municipalities (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  district_id BIGINT NULL,
  display_name VARCHAR(255) NOT NULL,
  external_id VARCHAR(64) NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_mun_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_mun_district FOREIGN KEY (district_id) REFERENCES districts(id),
  UNIQUE KEY uq_mun_external (region_id, external_id),
  KEY ix_mun_district (district_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE organizations (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  municipality_id BIGINT NULL,
  type TINYINT NOT NULL,
  display_name VARCHAR(512) NOT NULL,
  short_name VARCHAR(255) NOT NULL,
  external_id VARCHAR(64) NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_org_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_org_mun FOREIGN KEY (municipality_id) REFERENCES municipalities(id),
  UNIQUE KEY uq_org_external (region_id, external_id),
  KEY ix_org_mun (municipality_id, short_name),
  KEY ix_org_region (region_id, short_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE districts ADD CONSTRAINT fk_districts_base_org FOREIGN KEY (base_organization_id) REFERENCES organizations(id);

-- people.organization_id / municipality_id / region_id denormalise the primary employment so
-- scoped lists are one indexed range scan; the repository keeps them in step with employments.
CREATE TABLE people (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  municipality_id BIGINT NULL,
  organization_id BIGINT NULL,
  external_id VARCHAR(64) NULL,
  last_name VARCHAR(100) NOT NULL,
  first_name VARCHAR(100) NOT NULL,
  middle_name VARCHAR(100) NOT NULL DEFAULT '',
  birth_date DATE NULL,
  email VARCHAR(255) NULL,
  phone VARCHAR(32) NULL,
  position VARCHAR(255) NOT NULL DEFAULT '',
  subjects VARCHAR(1024) NOT NULL DEFAULT '',
  work_start_date DATE NULL,
  qualification_category TINYINT NOT NULL DEFAULT 0,
  education TINYINT NOT NULL DEFAULT 0,
  management_role TINYINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_people_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_people_mun FOREIGN KEY (municipality_id) REFERENCES municipalities(id),
  CONSTRAINT fk_people_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  UNIQUE KEY uq_people_external (region_id, external_id),
  KEY ix_people_org_name (organization_id, last_name, first_name, id),
  KEY ix_people_mun_name (municipality_id, last_name, first_name, id),
  KEY ix_people_region_name (region_id, last_name, first_name, id),
  KEY ix_people_birth (region_id, birth_date),
  KEY ix_people_work_start (region_id, work_start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE person_subjects (
  person_id BIGINT NOT NULL,
  subject VARCHAR(100) NOT NULL,
  PRIMARY KEY (person_id, subject),
  KEY ix_subject (subject, person_id),
  CONSTRAINT fk_ps_person FOREIGN KEY (person_id) REFERENCES people(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE employments (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  person_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  position VARCHAR(255) NOT NULL,
  is_primary BOOLEAN NOT NULL DEFAULT FALSE,
  management_role TINYINT NOT NULL DEFAULT 0,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT fk_emp_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_emp_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  KEY ix_emp_person (person_id, end_date),
  KEY ix_emp_org (organization_id, end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE accounts (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  login VARCHAR(255) NOT NULL,
  person_id BIGINT NULL,
  display_name VARCHAR(255) NOT NULL DEFAULT '',
  password_hash VARCHAR(255) NULL,
  is_service BOOLEAN NOT NULL DEFAULT FALSE,
  cert_subject VARCHAR(512) NULL,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  failed_logins INT NOT NULL DEFAULT 0,
  locked_until TIMESTAMP(6) NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_accounts_login (login),
  UNIQUE KEY uq_accounts_person (person_id),
  UNIQUE KEY uq_accounts_cert (cert_subject),
  CONSTRAINT fk_acc_person FOREIGN KEY (person_id) REFERENCES people(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- scope_kind: 1 region, 2 municipality, 3 organization.
CREATE TABLE role_grants (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  account_id BIGINT NOT NULL,
  role TINYINT NOT NULL,
  scope_kind TINYINT NOT NULL,
  scope_id BIGINT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_grant_acc FOREIGN KEY (account_id) REFERENCES accounts(id),
  UNIQUE KEY uq_grant (account_id, role, scope_kind, scope_id),
  KEY ix_grant_scope (scope_kind, scope_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A sign-in session. Access tokens carry session_id; a revoked session invalidates them.
CREATE TABLE auth_sessions (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  account_id BIGINT NOT NULL,
  refresh_hash BINARY(32) NOT NULL,
  refresh_expires_at TIMESTAMP(6) NOT NULL,
  revoked_at TIMESTAMP(6) NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_sess_acc FOREIGN KEY (account_id) REFERENCES accounts(id),
  UNIQUE KEY uq_refresh (refresh_hash),
  KEY ix_sess_account (account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency: the response of a mutating call, keyed by caller + request_id. Written in the
-- same transaction as the change, so a retry returns the stored response and changes nothing.
CREATE TABLE idempotency_keys (
  account_id BIGINT NOT NULL,
  request_id VARCHAR(128) NOT NULL,
  method VARCHAR(128) NOT NULL,
  request_hash BINARY(32) NOT NULL,
  response LONGBLOB NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (account_id, request_id),
  KEY ix_idem_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only audit trail; before/after are JSON renderings of the resource.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  account_id BIGINT NULL,
  action VARCHAR(128) NOT NULL,
  resource VARCHAR(255) NOT NULL,
  before_json LONGTEXT NULL,
  after_json LONGTEXT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_audit_resource (resource, id),
  KEY ix_audit_account (account_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Transactional outbox feeding the federal change feed.
CREATE TABLE outbox (
  seq BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NULL,
  entity_type VARCHAR(64) NOT NULL,
  resource VARCHAR(255) NOT NULL,
  external_id VARCHAR(128) NOT NULL,
  operation VARCHAR(16) NOT NULL,
  payload_json LONGTEXT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_outbox_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
