-- Works teachers hand in for the externally scored items of a diagnostic session (issue 13 §6):
-- a written answer (answer_text), a file (file_*: the bytes live here, with the same durability
-- as answers; at most 5 MB, checked by the server) or a link (link_url). One work per
-- (session, item); a new hand-in replaces it and bumps version. kind = nms.v1.ExpertWorkKind.
CREATE TABLE diagnostic_expert_works (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  session_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  kind TINYINT NOT NULL,
  answer_text MEDIUMTEXT NULL,
  file_name VARCHAR(1024) NULL,
  content_type VARCHAR(128) NULL,
  file_size INT NOT NULL DEFAULT 0,
  file_content MEDIUMBLOB NULL,
  link_url VARCHAR(2048) NULL,
  version BIGINT NOT NULL DEFAULT 1,
  submitted_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_dew_item (session_id, item_id),
  KEY ix_dew_submitted (submitted_at, id),
  CONSTRAINT fk_dew_session FOREIGN KEY (session_id) REFERENCES diagnostic_sessions(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
