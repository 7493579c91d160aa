-- Item calibration of published instruments (issue 18): the long-running operation that fits the
-- item response model to the region's stored answers, and its stored outcome per instrument,
-- competency area and item. The latest successful run replaces the previous rows of the
-- instrument; a failed run leaves them as they were.

-- state = nms.v1.CalibrationOperationState. done/total in percent. The row is the whole state of
-- the work (a worker on any replica claims a pending one or one whose worker stopped beating).
CREATE TABLE diagnostic_calibration_operations (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  region_id BIGINT NOT NULL,
  instrument_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  done BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 100,
  phase VARCHAR(255) NOT NULL DEFAULT '',
  areas_calibrated INT NOT NULL DEFAULT 0,
  items_calibrated INT NOT NULL DEFAULT 0,
  error_message VARCHAR(2000) NOT NULL DEFAULT '',
  account_id BIGINT NULL,
  worker VARCHAR(128) NOT NULL DEFAULT '',
  heartbeat_at TIMESTAMP(6) NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  ended_at TIMESTAMP(6) NULL,
  KEY ix_dco_state (state, id),
  KEY ix_dco_instrument (instrument_id, state),
  CONSTRAINT fk_dco_region FOREIGN KEY (region_id) REFERENCES regions(id),
  CONSTRAINT fk_dco_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- area = nms.v1.CompetencyArea. θ cuts NULL when infinite (every teacher, or none, reaches the band).
CREATE TABLE diagnostic_area_calibrations (
  instrument_id BIGINT NOT NULL,
  area TINYINT NOT NULL,
  ordinal INT NOT NULL,
  operation_id BIGINT NOT NULL,
  calibrated BOOLEAN NOT NULL,
  message VARCHAR(1000) NOT NULL DEFAULT '',
  persons_used INT NOT NULL DEFAULT 0,
  sessions_used INT NOT NULL DEFAULT 0,
  iterations INT NOT NULL DEFAULT 0,
  converged BOOLEAN NOT NULL DEFAULT FALSE,
  bank_size INT NOT NULL DEFAULT 0,
  theta_basic DOUBLE NULL,
  theta_advanced DOUBLE NULL,
  theta_high DOUBLE NULL,
  calibrated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (instrument_id, area),
  CONSTRAINT fk_dac_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id) ON DELETE CASCADE,
  CONSTRAINT fk_dac_operation FOREIGN KEY (operation_id) REFERENCES diagnostic_calibration_operations(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- model = nms.v1.ItemResponseModel. SEs NULL when not estimable.
CREATE TABLE diagnostic_item_calibrations (
  instrument_id BIGINT NOT NULL,
  item_id VARCHAR(64) NOT NULL,
  area TINYINT NOT NULL,
  ordinal INT NOT NULL,
  model TINYINT NOT NULL,
  a DOUBLE NOT NULL,
  b DOUBLE NOT NULL,
  se_a DOUBLE NULL,
  se_b DOUBLE NULL,
  responses INT NOT NULL,
  correct INT NOT NULL,
  fit_chi2 DOUBLE NOT NULL DEFAULT 0,
  fit_df INT NOT NULL DEFAULT 0,
  fit_p DOUBLE NOT NULL DEFAULT 1,
  misfit BOOLEAN NOT NULL DEFAULT FALSE,
  note VARCHAR(1000) NOT NULL DEFAULT '',
  PRIMARY KEY (instrument_id, item_id),
  CONSTRAINT fk_dic_instrument FOREIGN KEY (instrument_id) REFERENCES diagnostic_instruments(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
