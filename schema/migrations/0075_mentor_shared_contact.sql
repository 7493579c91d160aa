-- How mentees may reach a mentor, as the mentor chooses to share it (phone, e-mail, hours);
-- shown on the mentor's proposed and active pairs.
ALTER TABLE mentor_profiles ADD COLUMN shared_contact VARCHAR(600) NOT NULL DEFAULT '' AFTER note;
