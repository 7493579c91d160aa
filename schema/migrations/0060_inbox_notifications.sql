-- The task inbox and people's notifications (issue 12 §1, issue 13 §7).

-- Weeks an active mentoring pair may go without a meeting before the inbox lists it.
ALTER TABLE mentoring_settings ADD COLUMN meeting_gap_weeks INT NOT NULL DEFAULT 4;

-- One notification to one person. kind = nms.v1.NotificationKind; subject is the resource it
-- concerns ("routes/12"); title and body are final Russian texts (names, never ids), written in
-- the transaction of their event. dedup_key makes a repeated reminder of the same campaign on
-- the same day one notification, not a flood.
CREATE TABLE notifications (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  person_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  title VARCHAR(255) NOT NULL,
  body VARCHAR(4000) NOT NULL,
  subject VARCHAR(128) NOT NULL DEFAULT '',
  sender_person_id BIGINT NULL,
  sender_name VARCHAR(400) NOT NULL DEFAULT '',
  dedup_key VARCHAR(191) NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  read_at TIMESTAMP(6) NULL,
  CONSTRAINT fk_ntf_person FOREIGN KEY (person_id) REFERENCES people(id),
  CONSTRAINT fk_ntf_sender FOREIGN KEY (sender_person_id) REFERENCES people(id),
  UNIQUE KEY uq_ntf_dedup (person_id, dedup_key),
  KEY ix_ntf_person (person_id, id),
  KEY ix_ntf_unread (person_id, read_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Inbox lists: overdue items by deadline, pending enrolments by state.
ALTER TABLE route_items ADD KEY ix_ri_deadline (status, deadline), ADD KEY ix_ri_enrolment (enrolment_status);
