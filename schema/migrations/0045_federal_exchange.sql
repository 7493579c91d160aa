-- Federal exchange (DOMAIN.md §7): the federal registry of programmes (ФР ДПП) as imported,
-- import runs for the status report, and an index for reading the outbox in order by region.

CREATE TABLE federal_programmes (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  external_id VARCHAR(128) NOT NULL,
  title VARCHAR(1000) NOT NULL,
  hours INT NOT NULL DEFAULT 0,
  provider_title VARCHAR(1000) NOT NULL DEFAULT '',
  provider_inn VARCHAR(12) NOT NULL DEFAULT '',
  competencies TEXT NOT NULL,
  areas VARCHAR(64) NOT NULL DEFAULT '',
  indicator_codes TEXT NOT NULL,
  annotation TEXT NOT NULL,
  url VARCHAR(2000) NOT NULL DEFAULT '',
  active BOOLEAN NOT NULL DEFAULT TRUE,
  modify_time TIMESTAMP(6) NULL,
  content_hash CHAR(64) NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT fk_fp_region FOREIGN KEY (region_id) REFERENCES regions(id),
  UNIQUE KEY uq_fp_external (region_id, external_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE federal_import_runs (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  record_count INT NOT NULL,
  rejected_count INT NOT NULL,
  account_id BIGINT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_fir_region (region_id, kind, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
