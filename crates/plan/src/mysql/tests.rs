use super::*;
use driftless_model::builders::{add_table, column, expr, foreign_key, index, table, unique};
use driftless_model::mysql::{TableOptions, auto_increment};
use driftless_model::{ColumnChange, Dialect, Expr, IndexPart, PrimaryKey, ReferentialAction};

fn users() -> QualifiedName {
    QualifiedName::new("app", "users")
}

fn sql(changes: &[Change], current: &Database) -> Vec<String> {
    render(changes, current).unwrap().into_iter().map(|(_, statement)| statement.sql).collect()
}

#[test]
fn changes_render_as_mysql_statements() {
    let mut table = table(
        "app.users",
        [
            Column { nullable: false, identity: Some(Box::new(auto_increment())), ..column("id", "int(11)") },
            Column {
                collation: Some("utf8mb4_bin".into()),
                comment: Some("it's".into()),
                ..column("key", "varchar(10)")
            },
            Column {
                default: Some(Box::new(Expr::new("current_timestamp() ON UPDATE current_timestamp()", ""))),
                ..column("at", "datetime")
            },
        ],
    );
    table.primary_key = Some(PrimaryKey { comment: None, name: "PRIMARY".into(), columns: vec!["id".into()] });
    table.mysql =
        Some(TableOptions { engine: "InnoDB".into(), collation: "utf8mb4_general_ci".into(), ..Default::default() });
    let index = unique(index("users_key", &["key"]));
    let changes = vec![
        Change::CreateTable { table: table.clone() },
        Change::CreateIndex { table: users(), index: index.clone() },
        Change::AddForeignKey {
            table: users(),
            foreign_key: ForeignKey {
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::Restrict,
                ..foreign_key("users_ibfk_1", &["id"], "app.accounts", &["id"])
            },
        },
    ];
    assert_eq!(
        sql(&changes, &Database::new(Dialect::Mysql)),
        [
            "CREATE TABLE app.users (\n  id int(11) NOT NULL AUTO_INCREMENT,\n  \
             `key` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin COMMENT 'it''s',\n  \
             at datetime DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n  PRIMARY KEY (id),\n  \
             UNIQUE INDEX users_key (`key`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
            "ALTER TABLE app.users ADD CONSTRAINT users_ibfk_1 FOREIGN KEY (id) REFERENCES app.accounts (id) \
             ON DELETE CASCADE ON UPDATE RESTRICT",
        ]
    );
}

#[test]
fn a_column_changes_by_modify_with_its_whole_definition() {
    let mut current = Database::new(Dialect::Mysql);
    add_table(&mut current, table("app.users", [column("name", "varchar(10)")]));
    let to = Column { nullable: false, default: Some(Box::new(expr("'x'"))), ..column("name", "varchar(20)") };
    let changes = vec![
        Change::AlterColumn {
            table: users(),
            from: column("name", "varchar(10)"),
            to: to.clone(),
            changes: vec![ColumnChange::SetNotNull],
        },
        Change::CreateIndex {
            table: users(),
            index: Index {
                parts: vec![IndexPart {
                    key: IndexKey::Expression(Expr::new("`name`(5)", "name(5)")),
                    ..IndexPart::column("")
                }],
                ..index("name", &[])
            },
        },
        Change::SetComment {
            target: CommentTarget::Column { table: users(), column: "name".into() },
            comment: Some("n".into()),
        },
        Change::DropIndex { table: users(), name: "old".into() },
    ];
    assert_eq!(
        sql(&changes, &current),
        [
            "ALTER TABLE app.users MODIFY COLUMN name varchar(20) NOT NULL DEFAULT 'x'",
            "ALTER TABLE app.users ADD INDEX name (`name`(5))",
            "ALTER TABLE app.users DROP INDEX old",
        ]
    );
}

#[test]
fn a_change_mysql_has_no_statement_for_stops_the_plan() {
    let sequence = driftless_model::Sequence {
        name: QualifiedName::new("app", "ids"),
        options: driftless_model::SequenceOptions::postgres_defaults("bigint", 1),
        owned_by: None,
        comment: None,
    };
    let changes = vec![Change::DropTable { name: users() }, Change::CreateSequence { sequence }];
    let error = plan(changes, &Database::new(Dialect::Mysql)).unwrap_err();
    let PlanError::Unsupported { change, dialect } = &error else { panic!("not Unsupported: {error}") };
    assert_eq!((change.kind(), *dialect), ("create_sequence", Dialect::Mysql));
    assert_eq!(error.to_string(), "no MySQL statement for create_sequence (sequence app.ids)");
}
