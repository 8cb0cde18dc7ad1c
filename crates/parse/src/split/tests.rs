use super::*;
use std::path::PathBuf;

fn texts(sql: &str) -> Vec<String> {
    split(sql, Dialect::Postgres).unwrap().into_iter().map(|s| s.sql).collect()
}

#[test]
fn statements_carry_their_first_line() {
    let sql =
        "-- header\n\ncreate table a (id int);\n/* note */ create table b (\n  id int\n);\n\n\ncreate index on b (id)";
    let statements = split(sql, Dialect::Postgres).unwrap();
    let lines: Vec<(usize, &str)> = statements.iter().map(|s| (s.line, s.sql.as_str())).collect();
    assert_eq!(
        lines,
        vec![(3, "create table a (id int);"), (4, "create table b (\n  id int\n);"), (9, "create index on b (id)")]
    );
}

#[test]
fn semicolons_inside_quotes_comments_and_bodies_do_not_split() {
    let cases: &[(&str, usize)] = &[
        ("select 'a;b'; select 2;", 2),
        ("select 'it''s;'; select 2;", 2),
        ("select E'\\';'; select 2;", 2),
        ("select e'\\\\'; select 2;", 2),
        ("select \"a;\"\"b\"; select 2;", 2),
        ("select 1 -- ; comment\n; select 2;", 2),
        ("select /* ; /* nested ; */ still ; */ 1; select 2;", 2),
        ("create function f() returns int as $$ select 1; $$ language sql; select 2;", 2),
        ("create function f() returns int as $body$ select $$;$$; $body$ language sql; select 2;", 2),
        ("select a$1$b from t; select 2;", 2),
        ("select $1; select 2;", 2),
        ("create function f() returns int begin atomic select 1; select case when true then 1 end; end; select 2;", 2),
        ("create or replace procedure p() begin atomic insert into t values (1); end; select 2;", 2),
        ("create rule r as on insert to t do (insert into u values (1); insert into v values (2)); select 2;", 2),
        ("create table t (a int); begin; select 2;", 3),
    ];
    for (sql, count) in cases {
        assert_eq!(texts(sql).len(), *count, "{sql}: {:?}", texts(sql));
    }
}

#[test]
fn backslash_is_not_an_escape_in_standard_strings() {
    assert_eq!(texts(r"select '\'; select 2;"), vec![r"select '\';", "select 2;"]);
}

#[test]
fn unterminated_constructs_are_reported_where_they_start() {
    for (sql, line) in [
        ("select 1;\nselect 'abc", 2),
        ("select 1;\n\nselect $$ abc", 3),
        ("/* open", 1),
        ("select 1;\nselect \"x", 2),
        ("select /* /* */ 1;", 1),
    ] {
        let error = split(sql, Dialect::Postgres).unwrap_err();
        assert!(matches!(error, ParseError::Syntax { line: l, .. } if l == line), "{sql}: {error}");
    }
}

#[test]
fn empty_statements_and_trailing_comments_are_dropped() {
    assert_eq!(texts(";;\n select 1;; -- done\n/* end */"), vec!["select 1;"]);
    assert!(texts("  \n-- nothing\n").is_empty());
}

/// The statement-splitter golden files of ariga/atlas (see `/work/shared/corpus/README.md`).
fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("DRIFTLESS_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    }
    .join("atlas-splitter");
    dir.is_dir().then_some(dir)
}

/// Why a corpus file is not run, or `None` when it is.
fn skip_reason(relative: &str) -> Option<&'static str> {
    if relative.starts_with("lexgroup/") {
        Some("SQLite trigger bodies and MySQL DELIMITER grouping are not PostgreSQL")
    } else if relative.contains("delimiter") {
        Some("MySQL DELIMITER and atlas:delimiter directives are not supported")
    } else if relative.contains("_ms_") {
        Some("SQL Server GO batch separators are not supported")
    } else {
        None
    }
}

fn golden_statements(golden: &str) -> Vec<String> {
    golden.split("\n-- end --\n").map(|s| s.trim_end().to_string()).collect()
}

#[test]
fn atlas_splitter_corpus() {
    let Some(dir) = corpus_dir() else {
        println!("skipped: atlas-splitter corpus not found (set DRIFTLESS_CORPUS_DIR)");
        return;
    };
    let mut passed = 0;
    for group in ["lex", "lexescaped", "lexgroup"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(group)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "sql")) {
            let relative = format!("{group}/{}", path.file_name().unwrap().to_string_lossy());
            if let Some(reason) = skip_reason(&relative) {
                println!("skipped {relative}: {reason}");
                continue;
            }
            let dialect = if relative.ends_with(".my.sql") { Dialect::Mysql } else { Dialect::Postgres };
            let input = std::fs::read_to_string(&path).unwrap();
            let golden = std::fs::read_to_string(path.with_extension("sql.golden")).unwrap();
            let actual: Vec<String> = split(&input, dialect).unwrap().into_iter().map(|s| s.sql).collect();
            assert_eq!(actual, golden_statements(&golden), "{relative}");
            passed += 1;
        }
    }
    assert!(passed >= 9, "only {passed} corpus files ran");
    println!("atlas-splitter corpus: {passed} files passed");
}

#[test]
fn escape_strings_only_escape_with_the_e_prefix() {
    let Some(dir) = corpus_dir() else {
        println!("skipped: atlas-splitter corpus not found");
        return;
    };
    // `'\'` is a whole string in PostgreSQL; read with MySQL's backslash escapes, the file never splits right.
    let input = std::fs::read_to_string(dir.join("lexescaped/2.pg.sql")).unwrap();
    let golden = golden_statements(&std::fs::read_to_string(dir.join("lexescaped/2.pg.sql.golden")).unwrap());
    let as_mysql = split(&input, Dialect::Mysql).map(|s| s.into_iter().map(|s| s.sql).collect::<Vec<_>>());
    assert!(as_mysql.map_or(true, |statements| statements != golden));
}

#[test]
fn mysql_version_comments_that_every_server_runs_are_statements() {
    let sql = "/*M!999999\\- enable the sandbox mode */\n/*!40101 SET NAMES utf8mb4 */;\n-- a note\n\
               create table t (a int) /*!50100 engine=InnoDB */;\n/* plain */";
    let (statements, comments) = split_with_comments(sql, Dialect::Mysql).unwrap();
    let found: Vec<(&str, usize)> = statements.iter().map(|s| (s.sql.as_str(), s.line)).collect();
    assert_eq!(
        found,
        [("/*!40101 SET NAMES utf8mb4 */;", 2), ("create table t (a int) /*!50100 engine=InnoDB */;", 4)]
    );
    assert_eq!(comments.len(), 3, "{comments:?}");
    // PostgreSQL has no version comments
    assert!(split("/*!40101 SET NAMES utf8mb4 */", Dialect::Postgres).unwrap().is_empty());
}

#[test]
fn mysql_version_comments_only_some_servers_run_are_refused() {
    for (sql, why) in [
        ("create table t (a int);\n/*!80016 DEFAULT ENCRYPTION='N' */;", "MySQL 8.0.16 and later but not on MariaDB"),
        ("create table t (a int);\n/*M!100100 SET x = 1 */;", "MariaDB only"),
    ] {
        let error = split(sql, Dialect::Mysql).unwrap_err();
        assert_eq!(error.line(), 2, "{sql}: {error}");
        assert!(error.to_string().contains(why), "{sql}: {error}");
    }
}

#[test]
fn a_trigger_body_is_one_statement() {
    let sql = "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n  UPDATE t SET n = CASE WHEN n > 0 THEN 1 ELSE 0 END;\n  \
               DELETE FROM u;\nEND;\ncreate temp trigger t2 before delete on t begin select 1; end;\ncreate table v (a int);";
    let found: Vec<usize> = split(sql, Dialect::Sqlite).unwrap().iter().map(|s| s.line).collect();
    assert_eq!(found, [1, 5, 6]);
}

#[test]
fn a_mysql_trigger_body_with_compound_statements_is_one_statement() {
    let sql = "create trigger t before insert on t for each row begin\n  if new.n < 0 then set new.n = 0; end if;\n  \
               case when new.n > 9 then set new.n = 9; else begin end; end case;\n  \
               set @x = case when new.n > 1 then 1 end; if new.n = 1 then set new.n = 2; end if;\n  \
               w: while new.n > 5 do set new.n = new.n - 1; end while w;\nend;\ncreate table v (a int);";
    let found: Vec<usize> = split(sql, Dialect::Mysql).unwrap().iter().map(|s| s.line).collect();
    assert_eq!(found, [1, 7]);
}
