-- The bank of effective pedagogical practices (issue 16 §1). A practice is placed at its
-- author's organisation (region, municipality, organisation copied at creation so scope checks
-- and territory search need no join). status = nms.v1.PracticeStatus, level = PracticeLevel.
-- links: the http(s) addresses joined by newlines (an address never holds one).
CREATE TABLE practices (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  municipality_id BIGINT NULL,
  organization_id BIGINT NOT NULL,
  author_id BIGINT NOT NULL,
  title VARCHAR(300) NOT NULL,
  description TEXT NOT NULL,
  links TEXT NOT NULL,
  level TINYINT NOT NULL,
  subject VARCHAR(200) NOT NULL DEFAULT '',
  status TINYINT NOT NULL,
  return_comment VARCHAR(4000) NOT NULL DEFAULT '',
  score_percent INT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  published_at TIMESTAMP(6) NULL,
  CONSTRAINT fk_pr_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_pr_mun FOREIGN KEY (municipality_id) REFERENCES municipalities(id),
  CONSTRAINT fk_pr_org FOREIGN KEY (organization_id) REFERENCES organizations(id),
  CONSTRAINT fk_pr_author FOREIGN KEY (author_id) REFERENCES people(id),
  KEY ix_pr_region (region_id, status, updated_at),
  KEY ix_pr_org (organization_id, status),
  KEY ix_pr_author (author_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The competency areas (nms.v1.CompetencyArea) and indicator codes a practice addresses: the
-- search by deficit.
CREATE TABLE practice_areas (
  practice_id BIGINT NOT NULL,
  area TINYINT NOT NULL,
  PRIMARY KEY (practice_id, area),
  KEY ix_pra_area (area, practice_id),
  CONSTRAINT fk_pra_practice FOREIGN KEY (practice_id) REFERENCES practices(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE practice_indicators (
  practice_id BIGINT NOT NULL,
  ordinal INT NOT NULL,
  code VARCHAR(32) NOT NULL,
  PRIMARY KEY (practice_id, ordinal),
  KEY ix_pri_code (code, practice_id),
  CONSTRAINT fk_pri_practice FOREIGN KEY (practice_id) REFERENCES practices(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One review per reviewer. scores: "code=score" joined by ";" in rubric order (the rubric lives
-- in server/domain/practices).
CREATE TABLE practice_reviews (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  practice_id BIGINT NOT NULL,
  reviewer_id BIGINT NOT NULL,
  scores VARCHAR(1000) NOT NULL,
  total_score INT NOT NULL,
  max_total_score INT NOT NULL,
  recommend BOOLEAN NOT NULL,
  comment VARCHAR(4000) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_prr_reviewer (practice_id, reviewer_id),
  CONSTRAINT fk_prr_practice FOREIGN KEY (practice_id) REFERENCES practices(id) ON DELETE CASCADE,
  CONSTRAINT fk_prr_reviewer FOREIGN KEY (reviewer_id) REFERENCES people(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
