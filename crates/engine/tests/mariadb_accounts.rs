//! MariaDB accounts set up the way Debian sets up `root@localhost`: `IDENTIFIED VIA unix_socket OR
//! mysql_native_password USING PASSWORD(...)`. Over TCP the server cannot use the socket plugin and goes on to
//! the password; Driftless must get through that chain as the `mysql` client does.

use driftless_engine::{ApplyOutcome, Approval, DatabaseUrl, Desired, Session, Settings};
use driftless_testkit::TestDb;
use sqlx::{Connection, Executor, MySqlConnection};
use url::Url;

#[tokio::test]
async fn an_account_with_unix_socket_or_a_password_connects_over_tcp_with_the_password() {
    let db = TestDb::mysql().await;
    let mut admin = db.connect_mysql().await;
    // unique per test database; `localhost` as Debian's account (TCP from 127.0.0.1 resolves to it)
    let user = format!("u{}", &db.name()[db.name().len() - 12..]);
    let password = "pw'with\\quotes";
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "CREATE USER '{user}'@'localhost' IDENTIFIED VIA unix_socket \
             OR mysql_native_password USING PASSWORD('pw''with\\\\quotes')"
        )))
        .await
        .unwrap();
    admin.execute(sqlx::AssertSqlSafe(format!("GRANT ALL ON {}.* TO '{user}'@'localhost'", db.name()))).await.unwrap();

    let mut url = Url::parse(db.url()).unwrap();
    url.set_username(&user).unwrap();
    url.set_password(Some(password)).unwrap();
    let result = async {
        // the account that authenticated is the socket-or-password one, not another that matched the host
        let mut conn = MySqlConnection::connect(url.as_str()).await.map_err(|e| format!("sqlx connect: {e}"))?;
        let who: String = sqlx::query_scalar("SELECT CAST(CURRENT_USER() AS CHAR)")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        check(who == format!("{user}@localhost"), format!("authenticated as {who}"))?;

        let desired = Desired::from_sql("create table t (id int primary key);", "s.sql");
        let mut session =
            Session::connect(&DatabaseUrl::parse(url.as_str()).unwrap()).await.map_err(|e| e.to_string())?;
        let outcome =
            session.apply(&desired, &Settings::default(), Approval::Policy).await.map_err(|e| e.to_string())?;
        check(matches!(outcome, ApplyOutcome::Applied { .. }), format!("{outcome:?}"))?;
        let replan = session.plan(&desired, &Settings::default()).await.map_err(|e| e.to_string())?;
        check(replan.in_sync(), replan.plan.to_sql())
    }
    .await;
    // accounts are server-wide: removed before the verdict, also when it failed
    admin.execute(sqlx::AssertSqlSafe(format!("DROP USER '{user}'@'localhost'"))).await.unwrap();
    result.unwrap();
}

fn check(holds: bool, otherwise: String) -> Result<(), String> {
    if holds { Ok(()) } else { Err(otherwise) }
}
