-- +goose Up
-- Sign-in: the last TOTP time step a user signed in with, so that a code
-- is accepted only once (replay protection across all nodes).
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Expired sessions are removed by expiry time.
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Deactivating a user ends all of the user's sessions, whichever code path
-- (CLI, API, a later admin UI) flips the flag; reactivating does not bring
-- them back.
-- +goose StatementBegin
CREATE FUNCTION users_end_sessions() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM sessions WHERE user_id = NEW.id;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER users_deactivated_sessions AFTER UPDATE OF active ON users
    FOR EACH ROW WHEN (OLD.active AND NOT NEW.active) EXECUTE FUNCTION users_end_sessions();

-- +goose Down
DROP TRIGGER users_deactivated_sessions ON users;
DROP FUNCTION users_end_sessions();
DROP INDEX sessions_expires;
ALTER TABLE users DROP COLUMN totp_last_step;
