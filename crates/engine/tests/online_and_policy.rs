//! Lint findings with row counts, online PostgreSQL plans, recovery from a failed online step, and the skip
//! policy, on a real PostgreSQL.

use driftless_engine::{
    ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Outcome, Session, Settings, SkipKey,
};
use driftless_model::OnlineOptions;
use driftless_testkit::TestDb;
use sqlx::{Executor, PgConnection};

async fn session(db: &TestDb) -> Session {
    Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap()
}

async fn run(conn: &mut PgConnection, sql: &'static str) {
    conn.execute(sqlx::raw_sql(sql)).await.unwrap();
}

fn online() -> Settings {
    Settings {
        online: OnlineOptions { concurrent_create: true, concurrent_drop: true, validate_separately: true },
        ..Settings::default()
    }
}

fn finding<'a>(outcome: &'a Outcome, code: &str) -> &'a driftless_engine::Finding {
    outcome.findings.iter().find(|f| f.code == code).unwrap_or_else(|| panic!("no {code} in {:#?}", outcome.findings))
}

#[tokio::test]
async fn data_dependent_findings_count_the_rows_in_the_way() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(
        &mut conn,
        "create table users (id int primary key, email text, name varchar(50), age bigint);
         insert into users values (1, 'a@x', 'short', 1), (2, 'a@x', 'a much longer name than ten', 2),
                                  (3, null, 'x', 3000000000), (4, 'b@x', null, 4), (5, 'b@x', null, 5);",
    )
    .await;
    let desired = Desired::from_sql(
        "create table users (id int primary key, email text not null unique, name varchar(10), age integer,
                             code text not null);",
        "s.sql",
    );
    let outcome = session(&db).await.plan(&desired, &Settings::default()).await.unwrap();

    assert_eq!(finding(&outcome, "MF101").violations, Some(4), "two pairs of rows share an email");
    assert_eq!(finding(&outcome, "MF104").violations, Some(1), "one NULL email");
    assert_eq!(finding(&outcome, "MF103").violations, Some(5), "every row lacks the new NOT NULL column");
    let narrowing: Vec<Option<u64>> =
        outcome.findings.iter().filter(|f| f.code == "MF105").map(|f| f.violations).collect();
    assert_eq!(narrowing, [Some(1), Some(1)], "one name too long, one age out of integer range");
    assert!(
        finding(&outcome, "MF104").message.ends_with("(1 row in the way now)"),
        "{}",
        finding(&outcome, "MF104").message
    );
    let mf104 = finding(&outcome, "MF104");
    let statement = &outcome.plan.statements[mf104.statement.unwrap()];
    assert_eq!(statement.change, mf104.change, "a finding points at its change's statement");
}

#[tokio::test]
async fn online_plans_apply_and_replan_empty() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(
        &mut conn,
        "create table orgs (id int primary key);
         create table users (id int, email text, org_id int, age int);
         create index users_age_idx on users (age);
         insert into orgs values (1); insert into users values (1, 'a@x', 1, 30);",
    )
    .await;
    let desired = Desired::from_sql(
        "create table orgs (id int primary key);
         create table users (id int primary key, email text not null unique, org_id int references orgs,
                             age int check (age > 0));
         create index users_org_idx on users (org_id);",
        "s.sql",
    );
    let mut session = session(&db).await;
    let outcome = session.plan(&desired, &online()).await.unwrap();
    let sql = outcome.plan.to_sql();
    for expected in [
        "CREATE INDEX CONCURRENTLY users_org_idx ON public.users (org_id)",
        "DROP INDEX CONCURRENTLY public.users_age_idx",
        "CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON public.users (id)",
        "ALTER TABLE public.users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey",
        "ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key",
        "ALTER TABLE public.users ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs (id) NOT VALID",
        "ALTER TABLE public.users VALIDATE CONSTRAINT users_org_id_fkey",
        "ALTER TABLE public.users ADD CONSTRAINT driftless_email_not_null CHECK (email IS NOT NULL) NOT VALID",
        "ALTER TABLE public.users DROP CONSTRAINT driftless_email_not_null",
    ] {
        assert!(sql.contains(expected), "missing {expected} in\n{sql}");
    }
    let alone: Vec<&str> =
        outcome.plan.statements.iter().filter(|s| !s.transactional).map(|s| s.sql.as_str()).collect();
    assert!(alone.iter().all(|sql| sql.contains("CONCURRENTLY") || sql.contains("VALIDATE")), "{alone:?}");
    assert!(!outcome.findings.iter().any(|f| ["PG101", "PG102", "PG303", "PG305", "PG306"].contains(&f.code)));

    let applied = session.apply(&desired, &online(), Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::Applied { .. }), "{applied:?}");
    let replan = session.plan(&desired, &online()).await.unwrap();
    assert!(replan.in_sync(), "re-plan after an online apply:\n{}", replan.plan.to_sql());
    assert!(session.plan(&desired, &Settings::default()).await.unwrap().in_sync());
}

async fn invalid_indexes(conn: &mut PgConnection) -> i64 {
    sqlx::query_scalar("select count(*) from pg_index where not indisvalid").fetch_one(conn).await.unwrap()
}

#[tokio::test]
async fn a_failed_concurrent_build_is_dropped_and_rebuilt() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table users (id int, email text); insert into users values (1, 'a@x'), (2, 'a@x');").await;
    let desired = Desired::from_sql(
        "create table users (id int, email text); create unique index users_email_idx on users (email);",
        "s.sql",
    );
    let mut session = session(&db).await;

    // the counted duplicates make the plan certain to fail: it is refused unless forced
    let err = session.apply(&desired, &online(), Approval::Policy).await.unwrap_err();
    assert!(matches!(err, EngineError::WillFail { rows: 2, .. }), "{err}");
    assert_eq!(invalid_indexes(&mut conn).await, 0, "nothing ran");
    let forced = Settings { force: true, ..online() };
    let err = session.apply(&desired, &forced, Approval::Policy).await.unwrap_err();
    assert!(matches!(err, EngineError::Apply(_)), "{err}");
    assert!(err.to_string().contains("CREATE UNIQUE INDEX CONCURRENTLY"), "{err}");
    assert_eq!(invalid_indexes(&mut conn).await, 1, "the failed build leaves an invalid index");

    run(&mut conn, "delete from users where id = 2").await;
    let outcome = session.plan(&desired, &online()).await.unwrap();
    let sql = outcome.plan.to_sql();
    assert!(
        sql.starts_with(
            "DROP INDEX CONCURRENTLY public.users_email_idx;\nCREATE UNIQUE INDEX CONCURRENTLY users_email_idx"
        ),
        "{sql}"
    );
    assert!(outcome.findings.iter().all(|f| f.change != 0), "a repair is no finding: {:?}", outcome.findings);
    assert_eq!(finding(&outcome, "MF101").violations, Some(0), "the duplicates are gone");
    assert!(matches!(
        session.apply(&desired, &online(), Approval::Policy).await.unwrap(),
        ApplyOutcome::Applied { .. }
    ));
    assert_eq!(invalid_indexes(&mut conn).await, 0);
    assert!(session.plan(&desired, &online()).await.unwrap().in_sync());
}

#[tokio::test]
async fn a_failed_validation_is_redone() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table t (id int, qty int); insert into t values (1, -1);").await;
    let desired = Desired::from_sql("create table t (id int, qty int check (qty >= 0));", "s.sql");
    let mut session = session(&db).await;

    let err = session.apply(&desired, &online(), Approval::Policy).await.unwrap_err().to_string();
    assert!(err.contains("VALIDATE CONSTRAINT t_qty_check"), "{err}");
    assert!(err.contains("statement 1 had been committed"), "the NOT VALID constraint stays: {err}");

    run(&mut conn, "update t set qty = 0").await;
    // the NOT VALID check is validated in place: the rows are checked without a moment unchecked
    let sql = session.plan(&desired, &online()).await.unwrap().plan.to_sql();
    assert_eq!(sql, "ALTER TABLE public.t VALIDATE CONSTRAINT t_qty_check;\n");
    assert!(matches!(
        session.apply(&desired, &online(), Approval::Policy).await.unwrap(),
        ApplyOutcome::Applied { .. }
    ));
    let validated: bool = sqlx::query_scalar("select convalidated from pg_constraint where conname = 't_qty_check'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(validated);
    assert!(session.plan(&desired, &online()).await.unwrap().in_sync());
}

#[tokio::test]
async fn skipped_drops_leave_the_table_in_place() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    run(&mut conn, "create table keep (id int primary key); create table legacy (id int references keep (id), x int);")
        .await;
    let desired = Desired::from_sql("create table keep (id int primary key, note text);", "s.sql");
    let settings = Settings { skip: [SkipKey::DropTable].into(), ..Settings::default() };

    let outcome = session(&db).await.apply(&desired, &settings, Approval::Policy).await.unwrap();
    let ApplyOutcome::Applied { outcome, .. } = outcome else { panic!("{outcome:?}") };
    assert_eq!(outcome.skipped.iter().map(|c| c.kind()).collect::<Vec<_>>(), ["drop_table"]);
    assert!(!outcome.blocked(), "skipped drops are not linted");
    let legacy: bool =
        sqlx::query_scalar("select to_regclass('legacy') is not null").fetch_one(&mut conn).await.unwrap();
    assert!(legacy);
    let replan = session(&db).await.plan(&desired, &settings).await.unwrap();
    assert!(replan.in_sync() && replan.skipped.len() == 1, "{replan:?}");
}
