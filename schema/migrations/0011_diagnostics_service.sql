-- DiagnosticsService (issue 4), additive to 0010: who owns a campaign (a municipal methodist
-- manages only campaigns whose whole population lies in their municipality), the launch's
-- per-stratum outcome, and indexes for the lookups the service does.

-- owner_municipality_id: the one municipality all population scopes lie in, NULL = regional.
-- strata_json: JSON array of nms.v1.SampleStratumResult written at launch (stratified samples).
ALTER TABLE diagnostic_campaigns
  ADD COLUMN owner_municipality_id BIGINT NULL AFTER region_id,
  ADD COLUMN strata_json MEDIUMTEXT NULL,
  ADD CONSTRAINT fk_dca_owner_mun FOREIGN KEY (owner_municipality_id) REFERENCES municipalities(id),
  ADD KEY ix_dca_owner (owner_municipality_id, state, id);

-- Participant lists filtered by status / stratum, and a person's campaigns.
ALTER TABLE diagnostic_campaign_participants
  ADD KEY ix_dcp_status (campaign_id, status, person_id),
  ADD KEY ix_dcp_type (campaign_id, organization_type, person_id),
  ADD KEY ix_dcp_person_campaign (person_id, campaign_id);

-- Sessions still in progress when a campaign closes; sessions past their deadline (the sweeper).
ALTER TABLE diagnostic_sessions
  ADD KEY ix_dse_campaign_state (campaign_id, state, id),
  ADD KEY ix_dse_deadline (state, deadline_at);

-- Campaign-restricted reports and exports; the latest FINAL result per person.
ALTER TABLE diagnostic_results
  ADD KEY ix_dre_campaign_status (campaign_id, status, person_id, id),
  ADD KEY ix_dre_status_person (status, person_id, diagnosis_date, id);

-- A teacher's own problem reports.
ALTER TABLE diagnostic_item_problem_reports
  ADD KEY ix_dip_reporter (reporter_person_id, id);
