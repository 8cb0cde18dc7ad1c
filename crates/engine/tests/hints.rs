//! Directives in the desired SQL on a real PostgreSQL: renames keep the rows, suppressions unblock exactly
//! what they name.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, EngineError, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::{Executor, Row};

async fn session(db: &TestDb) -> Session {
    Session::connect(&DatabaseUrl::parse(db.url()).unwrap()).await.unwrap()
}

#[tokio::test]
async fn renames_keep_every_row() {
    let db = TestDb::postgres().await;
    let mut conn = db.connect().await;
    conn.execute(sqlx::raw_sql(
        "create table user_accounts (id bigserial primary key, username varchar(50) not null, note text);
         create table posts (id int primary key, author_id bigint references user_accounts (id));
         insert into user_accounts (username, note) values ('ada', 'first'), ('grace', null);
         insert into posts values (10, 1), (11, 2);",
    ))
    .await
    .unwrap();
    let desired = Desired::from_sql(
        "-- driftless:renamed from=user_accounts
         create table users (
           id bigserial primary key,
           login text not null, -- driftless:renamed from=username
           note text
         );
         create table posts (id int primary key, author_id bigint references users (id));",
        "schema.sql",
    );
    let mut session = session(&db).await;
    let outcome = session.plan(&desired, &Settings::default()).await.unwrap();
    let kinds: Vec<&str> = outcome.plan.changes.iter().map(|change| change.kind()).collect();
    assert_eq!(
        kinds,
        ["rename_table", "rename_column", "rename_constraint", "rename_sequence", "alter_column"],
        "renamed, the key and the serial sequence following, then the new type; nothing dropped"
    );
    let codes: Vec<&str> = outcome.findings.iter().map(|finding| finding.code).collect();
    assert!(codes.contains(&"BC101") && codes.contains(&"BC102"), "{codes:?}");
    assert!(!outcome.blocked());

    let applied = session.apply(&desired, &Settings::default(), Approval::Policy).await.unwrap();
    assert!(matches!(applied, ApplyOutcome::Applied { .. }), "{applied:?}");
    let rows = sqlx::query(
        "select u.id, u.login, u.note, p.id as post from users u join posts p on p.author_id = u.id order by u.id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let rows: Vec<(i64, String, Option<String>, i32)> =
        rows.iter().map(|r| (r.get("id"), r.get("login"), r.get("note"), r.get("post"))).collect();
    assert_eq!(rows, [(1, "ada".into(), Some("first".into()), 10), (2, "grace".into(), None, 11)]);
    let next: i64 = sqlx::query_scalar("insert into users (login) values ('alan') returning id")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(next, 3, "the serial sequence kept its position");

    let again = session.plan(&desired, &Settings::default()).await.unwrap();
    assert!(again.in_sync(), "the hints stay in the file and do nothing now: {:?}", again.plan.to_sql());
}

#[tokio::test]
async fn an_ambiguous_rename_is_an_error() {
    let db = TestDb::postgres().await;
    db.connect().await.execute("create table users (id int, username text)").await.unwrap();
    let desired = Desired::from_sql(
        "create table users (\n  id int,\n  username text,\n  login text -- @renamed from=username\n);",
        "schema.sql",
    );
    let error = session(&db).await.plan(&desired, &Settings::default()).await.unwrap_err();
    assert!(matches!(error, EngineError::Rename(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "rename hint at line 4: cannot rename column username of public.users to login: username is still declared"
    );
}

#[tokio::test]
async fn nolint_unblocks_only_the_findings_it_names() {
    let db = TestDb::postgres().await;
    db.connect().await.execute("create table users (id int, legacy text); create table old (id int)").await.unwrap();
    let mut session = session(&db).await;
    let plan = |sql: &'static str| Desired::from_sql(sql, "schema.sql");

    // The table's nolint covers its dropped column; the dropped table `old` is another object.
    let outcome = session
        .plan(&plan("-- driftless:nolint DS103\ncreate table users (id int);"), &Settings::default())
        .await
        .unwrap();
    let findings: Vec<(&str, Option<usize>)> =
        outcome.findings.iter().map(|f| (f.code, f.suppressed.map(|s| s.line))).collect();
    assert_eq!(findings, [("DS103", Some(1)), ("DS102", None)]);
    assert!(outcome.blocked());

    let outcome = session
        .plan(
            &plan("create schema public; -- driftless:nolint DS102 DS103\ncreate table users (id int);"),
            &Settings::default(),
        )
        .await
        .unwrap();
    assert!(outcome.findings.iter().all(|f| f.suppressed.is_some()), "{:#?}", outcome.findings);
    assert!(!outcome.blocked());
}
