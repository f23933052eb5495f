-- Safe recipe: NOT VALID first (short lock), then VALIDATE, which lets writes continue.
SET lock_timeout = '2s';
ALTER TABLE events ADD CONSTRAINT events_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE events VALIDATE CONSTRAINT events_user_fk;
