-- Hotline on PostgreSQL: one role per service owning its own schema and nothing else, an
-- auditor role that reads the KPI views only, and an ops role that reads everything (for
-- pg_dump) and writes nothing. Run once per database as a superuser; running it again
-- changes nothing:
--   psql "$SUPERUSER_URL" -v ON_ERROR_STOP=1 -f deploy/postgres/init.sql
-- Then give each service HOTLINE_<SERVICE>_DATABASE_URL with its own role
-- (…?user=hotline_intake&password=…); passwords are set from secrets, never here.
-- The kpi service grants SELECT on its views to hotline_auditor each time it starts (the
-- views are remade in the county's zone), so the auditor sees them and no table.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['hotline_intake', 'hotline_dispatch', 'hotline_supervision', 'hotline_survey', 'hotline_kpi',
                             'hotline_auditor', 'hotline_ops'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', r);
        END IF;
    END LOOP;
    -- Nobody but these roles connects; nobody may create schemas or temporary tables.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    FOREACH r IN ARRAY ARRAY['hotline_intake', 'hotline_dispatch', 'hotline_supervision', 'hotline_survey', 'hotline_kpi',
                             'hotline_auditor', 'hotline_ops'] LOOP
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), r);
    END LOOP;
END $$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- Each service's schema, owned by its role: its migrations create its tables there.
DO $$
DECLARE
    s text;
BEGIN
    FOREACH s IN ARRAY ARRAY['intake', 'dispatch', 'supervision', 'survey', 'kpi'] LOOP
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', s);
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', s, 'hotline_' || s);
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
    END LOOP;
END $$;

-- The auditor may look into kpi's schema (to reach the views kpi grants it) and nowhere else.
GRANT USAGE ON SCHEMA kpi TO hotline_auditor;

-- Backups: read everything, write nothing (PostgreSQL 14+).
GRANT pg_read_all_data TO hotline_ops;
