-- Each annotator has a suggestion layer of their own, suggestion:NAME,
-- which the built-in recommender fills from their work: they read and
-- write it, no other annotator reads it (nobody is shown what another
-- decided), reviewers read it. Members keep their own switch of the
-- recommender in the settings (domain.suggest.learn:NAME); everyone
-- reads the settings, only the administrator changes the others.
CREATE OR REPLACE VIEW readable_layers AS
	SELECT id FROM layers WHERE name = current_user OR name = 'suggestion'
		OR name = 'suggestion:' || current_user OR qalam.is_reviewer();
CREATE OR REPLACE VIEW writable_layers AS
	SELECT id FROM layers WHERE (name = current_user AND kind = 'annotator')
		OR (name = 'suggestion:' || current_user AND kind = 'suggestion')
		OR (name = 'gold' AND qalam.is_reviewer());
DROP POLICY layers_add ON layers;
CREATE POLICY layers_add ON layers FOR INSERT WITH CHECK (
	(name = current_user AND kind = 'annotator')
	OR (name = 'suggestion:' || current_user AND kind = 'suggestion')
	OR (name = 'gold' AND kind = 'gold' AND qalam.is_reviewer()));

ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY settings_read ON settings FOR SELECT USING (true);
CREATE POLICY settings_own ON settings FOR ALL
	USING (key = 'domain.suggest.learn:' || current_user)
	WITH CHECK (key = 'domain.suggest.learn:' || current_user);
DO $$
DECLARE r text;
BEGIN
	FOR r IN SELECT role FROM qalam.members LOOP
		EXECUTE format('GRANT INSERT, UPDATE, DELETE ON qalam.settings TO %I', r);
	END LOOP;
END $$;
