//! A desired schema written the way pg_dump writes it (session preamble, an empty `search_path`, qualified
//! names, `OWNED BY`, `setval`): built from an empty database it converges, and loaded by psql first it plans
//! empty.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Session, Settings};
use driftless_testkit::TestDb;

const DUMP: &str = r#"
--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);

ALTER TYPE public.mood OWNER TO postgres;

CREATE SEQUENCE public.actor_actor_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

SET default_tablespace = '';

SET default_table_access_method = heap;

CREATE TABLE public.actor (
    actor_id integer DEFAULT nextval('public.actor_actor_id_seq'::regclass) NOT NULL,
    name text NOT NULL,
    mood public.mood DEFAULT 'happy'::public.mood NOT NULL,
    last_update timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.actor OWNER TO postgres;

ALTER SEQUENCE public.actor_actor_id_seq OWNED BY public.actor.actor_id;

COMMENT ON TABLE public.actor IS 'who acts';

CREATE VIEW public.actor_names AS
 SELECT actor.actor_id,
    actor.name
   FROM public.actor;

SELECT pg_catalog.setval('public.actor_actor_id_seq', 200, true);

ALTER TABLE ONLY public.actor
    ADD CONSTRAINT actor_pkey PRIMARY KEY (actor_id);

CREATE INDEX idx_actor_name ON public.actor USING btree (name);

--
-- PostgreSQL database dump complete
--
"#;

fn desired() -> Desired {
    Desired::from_sql(DUMP, "dump.sql")
}

async fn session(db: &TestDb) -> Session {
    Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap()
}

#[tokio::test]
async fn a_pg_dump_file_builds_an_empty_database_and_replans_empty() {
    let db = TestDb::postgres().await;
    let mut session = session(&db).await;
    let parsed = session.parse(&desired()).unwrap();
    assert_eq!(parsed.not_managed.sequence_values, 1);
    assert_eq!(parsed.not_managed.ownership, 2);

    let applied = session.apply(&desired(), &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::Applied { .. }), "{applied:?}");
    let again = session.plan(&desired(), &Settings::default()).await.unwrap();
    assert!(again.in_sync(), "{:?}", again.plan.to_sql());
}

#[tokio::test]
async fn a_pg_dump_file_loaded_by_psql_plans_empty() {
    let db = TestDb::postgres().await;
    let psql = std::process::Command::new("psql")
        .args([db.url(), "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "-c", DUMP])
        .output()
        .expect("psql runs");
    assert!(psql.status.success(), "{}", String::from_utf8_lossy(&psql.stderr));
    let outcome = session(&db).await.plan(&desired(), &Settings::default()).await.unwrap();
    assert!(outcome.in_sync(), "{:?}", outcome.plan.to_sql());
}
