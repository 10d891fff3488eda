-- Every transaction that changes the catalogue, its accounts or its sales
-- says so on the `licensing_changes` channel, whoever made it (an
-- instance, a migration, an operator in psql). PostgreSQL delivers a
-- notification only when its transaction commits, and once per
-- transaction however many statements raised it (identical notifications
-- are folded). Instances that keep a read cache listen for it
-- (`shared_cache`); nothing listens otherwise, and a notification nobody
-- listens for costs next to nothing.
CREATE FUNCTION licensing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('licensing_changes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER artists_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER accounts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER compositions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON compositions
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER composition_writers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON composition_writers
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER publishers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON publishers
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER albums_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER tracks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER licenses_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON licenses
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER sales_reports_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sales_reports
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER sales_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
