//! The same oracle on MySQL/MariaDB: every database is a fresh one on the local server
//! (`TestDb::mysql`), and the independent catalog dump is the server's own `SHOW CREATE TABLE` and
//! `SHOW CREATE VIEW` texts rather than the `information_schema` rows `driftless-inspect` reads. Each text is
//! compared line by line, sorted (column order aside), without the `AUTO_INCREMENT=n` counter.

use crate::Backend;
use driftless_testkit::TestDb;
use sqlx::{AssertSqlSafe, Executor, MySqlConnection, Row};

/// A throwaway MySQL database.
pub struct MysqlDb(TestDb);

impl Backend for MysqlDb {
    const NAME: &'static str = "MariaDB";

    async fn fresh() -> Self {
        MysqlDb(TestDb::mysql().await)
    }

    fn url(&self) -> String {
        self.0.url().to_string()
    }

    async fn run_sql(&self, sql: &str) -> Result<(), sqlx::Error> {
        // MySQL answers an empty text with "Query was empty"; an empty schema is nothing to run
        if sql.trim().is_empty() {
            return Ok(());
        }
        self.0.connect_mysql().await.execute(sqlx::raw_sql(AssertSqlSafe(sql.to_string()))).await.map(drop)
    }

    async fn dump(&self) -> Result<Vec<String>, sqlx::Error> {
        catalog_dump(&mut self.0.connect_mysql().await).await
    }
}

/// One line per line of each table's and view's `SHOW CREATE` text, prefixed with the object's name, sorted.
/// One query per object: this is a test oracle, not the inspector.
pub async fn catalog_dump(conn: &mut MySqlConnection) -> Result<Vec<String>, sqlx::Error> {
    let objects: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_TYPE AS CHAR) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE()",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut lines = Vec::new();
    for (name, kind) in objects {
        let keyword = if kind == "VIEW" { "VIEW" } else { "TABLE" };
        let row = conn
            .fetch_one(sqlx::raw_sql(AssertSqlSafe(format!("SHOW CREATE {keyword} `{}`", name.replace('`', "``")))))
            .await?;
        let text: String = row.try_get(1)?;
        for line in text.lines() {
            let line = line.trim().trim_end_matches(',');
            let line = strip_auto_increment(line);
            let line = strip_definer(&line);
            lines.push(format!("{keyword} {name}: {line}"));
        }
    }
    let triggers: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(EVENT_OBJECT_TABLE AS CHAR), CAST(ACTION_TIMING AS CHAR), \
         CAST(EVENT_MANIPULATION AS CHAR), CAST(ACTION_STATEMENT AS CHAR) FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = DATABASE()",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name, table, timing, event, statement) in triggers {
        let statement = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        lines.push(format!("TRIGGER {name}: {timing} {event} ON {table} {statement}"));
    }
    lines.sort();
    Ok(lines)
}

/// ` AUTO_INCREMENT=12` in the table options: the counter, not the schema.
fn strip_auto_increment(line: &str) -> String {
    match line.find(" AUTO_INCREMENT=") {
        Some(start) => {
            let rest = &line[start + " AUTO_INCREMENT=".len()..];
            let end = rest.find(' ').unwrap_or(rest.len());
            format!("{}{}", &line[..start], &rest[end..])
        }
        None => line.to_string(),
    }
}

/// A view's `DEFINER=user@host` and `ALGORITHM`/`SQL SECURITY` clauses are who made it, not what it is.
fn strip_definer(line: &str) -> String {
    match (line.find(" VIEW "), line.starts_with("CREATE ")) {
        (Some(start), true) => format!("CREATE{}", &line[start..]),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_definers_are_left_out() {
        assert_eq!(
            strip_auto_increment(") ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4"),
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
        );
        assert_eq!(
            strip_definer(
                "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1"
            ),
            "CREATE VIEW `v` AS select 1"
        );
    }
}
