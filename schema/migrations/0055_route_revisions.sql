-- Route revisions (issue 13): a new FINAL diagnosis revises the teacher's open route in place
-- (routes.revision + 1, back to DRAFT for the signatures) or, after a COMPLETED route, starts a
-- new route for the next period (routes.previous_route_id). Each revision keeps what changed
-- and why; items are never deleted by a revision: those no longer needed are SKIPPED and
-- remember the revision (route_items.not_needed_revision), added ones theirs (added_revision).
ALTER TABLE routes
  ADD COLUMN revision INT NOT NULL DEFAULT 1,
  ADD COLUMN previous_route_id BIGINT NULL,
  ADD CONSTRAINT fk_routes_previous FOREIGN KEY (previous_route_id) REFERENCES routes(id);

ALTER TABLE route_items
  ADD COLUMN added_revision INT NOT NULL DEFAULT 1,
  ADD COLUMN not_needed_revision INT NOT NULL DEFAULT 0;

-- kind: nms.v1.RouteRevisionKind; from_status: nms.v1.RouteStatus before the revision.
CREATE TABLE route_revisions (
  route_id BIGINT NOT NULL,
  revision INT NOT NULL,
  kind TINYINT NOT NULL,
  result_id BIGINT NOT NULL,
  previous_result_id BIGINT NULL,
  previous_route_id BIGINT NULL,
  from_status TINYINT NOT NULL,
  comment VARCHAR(4000) NOT NULL DEFAULT '',
  actor_person_id BIGINT NULL,
  actor_account_id BIGINT NULL,
  actor_full_name VARCHAR(400) NOT NULL DEFAULT '',
  items_added INT NOT NULL DEFAULT 0,
  items_kept INT NOT NULL DEFAULT 0,
  items_not_needed INT NOT NULL DEFAULT 0,
  deficits_closed INT NOT NULL DEFAULT 0,
  deficits_new INT NOT NULL DEFAULT 0,
  deficits_remaining INT NOT NULL DEFAULT 0,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (route_id, revision),
  CONSTRAINT fk_rrev_route FOREIGN KEY (route_id) REFERENCES routes(id) ON DELETE CASCADE,
  CONSTRAINT fk_rrev_result FOREIGN KEY (result_id) REFERENCES diagnostic_results(id),
  CONSTRAINT fk_rrev_previous_result FOREIGN KEY (previous_result_id) REFERENCES diagnostic_results(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- kind: nms.v1.RouteChangeKind; ordinal keeps the order the domain gave (items, then deficits).
CREATE TABLE route_revision_changes (
  route_id BIGINT NOT NULL,
  revision INT NOT NULL,
  ordinal INT NOT NULL,
  kind TINYINT NOT NULL,
  item_id BIGINT NULL,
  indicator_code VARCHAR(64) NOT NULL DEFAULT '',
  title VARCHAR(1000) NOT NULL DEFAULT '',
  reason VARCHAR(2000) NOT NULL DEFAULT '',
  PRIMARY KEY (route_id, revision, ordinal),
  CONSTRAINT fk_rrc_revision FOREIGN KEY (route_id, revision) REFERENCES route_revisions(route_id, revision)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
