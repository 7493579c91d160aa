-- Adaptive mode of a campaign (issue 18): the campaign's switch and stop rule, and the items an
-- adaptive session administered in order (the server's choice is stored when made, so a resumed
-- session on any device continues with the same item).
ALTER TABLE diagnostic_campaigns
  ADD COLUMN adaptive BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN adaptive_target_se DOUBLE NOT NULL DEFAULT 0,
  ADD COLUMN adaptive_max_items INT NOT NULL DEFAULT 0;

-- area = nms.v1.CompetencyArea of the item's calibrated bank.
CREATE TABLE diagnostic_adaptive_steps (
  session_id BIGINT NOT NULL,
  step INT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  area TINYINT NOT NULL,
  chosen_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (session_id, step),
  UNIQUE KEY uq_das_item (session_id, item_id),
  CONSTRAINT fk_das_session FOREIGN KEY (session_id) REFERENCES diagnostic_sessions(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
