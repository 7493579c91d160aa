-- Refresh-token reuse detection (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): every refresh token a
-- session has rotated away is remembered; presenting one again means it leaked (or the client
-- lost track), so the whole session — the token family — is revoked (AuthRepository::RotateRefresh).
CREATE TABLE auth_refresh_rotated (
  refresh_hash BINARY(32) PRIMARY KEY,
  session_id BIGINT NOT NULL,
  rotated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_rotated_session (session_id),
  CONSTRAINT fk_rotated_session FOREIGN KEY (session_id) REFERENCES auth_sessions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
