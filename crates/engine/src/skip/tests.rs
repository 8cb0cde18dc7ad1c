use super::*;
use driftless_model::{Column, Expr, ForeignKey, IndexKey, IndexPart, Table};

fn t(name: &str) -> QualifiedName {
    QualifiedName::new("public", name)
}

fn column(name: &str) -> Column {
    Column { name: name.into(), data_type: "text".into(), nullable: true, ..Default::default() }
}

fn index(name: &str) -> Index {
    Index {
        name: name.into(),
        unique: false,
        method: "btree".into(),
        parts: vec![IndexPart {
            key: IndexKey::Column("a".into()),
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
        }],
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        comment: None,
    }
}

fn foreign_key(name: &str) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        columns: vec!["a".into()],
        ref_table: t("other"),
        ref_columns: vec!["id".into()],
        on_delete: Default::default(),
        on_update: Default::default(),
        deferrable: Default::default(),
    }
}

/// A plan touching every key, with the keys each change maps to.
fn plan() -> Vec<(Change, Vec<SkipKey>)> {
    use SkipKey::*;
    let unique = UniqueConstraint {
        name: "t_a_key".into(),
        columns: vec!["a".into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
    };
    vec![
        (Change::CreateSchema { name: "s".into(), comment: None }, vec![AddSchema]),
        (Change::DropSchema { name: "old".into() }, vec![DropSchema]),
        (Change::SetComment { target: CommentTarget::Schema { name: "s".into() }, comment: None }, vec![ModifySchema]),
        (Change::CreateTable { table: Table::new(t("new")) }, vec![AddTable]),
        (Change::CreateIndex { table: t("new"), index: index("new_idx") }, vec![AddTable]),
        (Change::AddForeignKey { table: t("new"), foreign_key: foreign_key("new_fk") }, vec![AddTable]),
        (Change::DropForeignKey { table: t("gone"), name: "gone_fk".into() }, vec![DropTable]),
        (Change::DropTable { name: t("gone") }, vec![DropTable]),
        (Change::RenameTable { from: t("t"), to: "u".into() }, vec![RenameTable]),
        (Change::AddColumn { table: t("t"), column: column("b") }, vec![AddColumn, ModifyTable]),
        (Change::DropColumn { table: t("t"), column: "c".into() }, vec![DropColumn, ModifyTable]),
        (Change::DropColumn { table: t("t"), column: "g".into() }, vec![ModifyColumn, ModifyTable]),
        (
            Change::AddColumn {
                table: t("t"),
                column: Column { generated: Some(Box::new(Expr::new("1", "1"))), ..column("g") },
            },
            vec![ModifyColumn, ModifyTable],
        ),
        (
            Change::AlterColumn { table: t("t"), from: column("a"), to: column("a"), changes: vec![] },
            vec![ModifyColumn, ModifyTable],
        ),
        (Change::RenameColumn { table: t("t"), from: "x".into(), to: "y".into() }, vec![ModifyColumn, ModifyTable]),
        (Change::RenameConstraint { table: t("t"), from: "x".into(), to: "y".into() }, vec![RenameConstraint]),
        (Change::RenameIndex { table: t("t"), from: "x".into(), to: "y".into() }, vec![ModifyIndex, ModifyTable]),
        (Change::RenameSequence { from: t("s"), to: "u".into() }, vec![]),
        (Change::RenameEnum { from: t("mood"), to: "feeling".into() }, vec![]),
        (Change::RenameEnumValue { name: t("mood"), from: "ok".into(), to: "fine".into() }, vec![]),
        (Change::CreateIndex { table: t("t"), index: index("t_a_idx") }, vec![AddIndex, ModifyTable]),
        (Change::AddUnique { table: t("t"), unique: unique.clone() }, vec![AddIndex, ModifyTable]),
        (Change::DropIndex { table: t("t"), name: "t_old_idx".into() }, vec![DropIndex, ModifyTable]),
        (Change::DropIndex { table: t("t"), name: "t_b_idx".into() }, vec![ModifyIndex, ModifyTable]),
        (Change::CreateIndex { table: t("t"), index: index("t_b_idx") }, vec![ModifyIndex, ModifyTable]),
        (
            Change::AddForeignKey { table: t("t"), foreign_key: foreign_key("t_a_fkey") },
            vec![AddForeignKey, ModifyTable],
        ),
        (Change::DropForeignKey { table: t("t"), name: "t_old_fkey".into() }, vec![DropForeignKey, ModifyTable]),
        (Change::DropForeignKey { table: t("t"), name: "t_b_fkey".into() }, vec![ModifyForeignKey, ModifyTable]),
        (
            Change::AddForeignKey { table: t("t"), foreign_key: foreign_key("t_b_fkey") },
            vec![ModifyForeignKey, ModifyTable],
        ),
        (Change::DropCheck { table: t("t"), name: "t_check".into() }, vec![ModifyTable]),
        (Change::DropView { name: t("v"), materialized: false }, vec![]),
    ]
}

#[test]
fn every_change_maps_to_its_atlas_keys() {
    let (changes, expected): (Vec<Change>, Vec<Vec<SkipKey>>) = plan().into_iter().unzip();
    let shape = Shape::of(&changes);
    for (change, expected) in changes.iter().zip(expected) {
        assert_eq!(shape.keys(change), expected, "{change:?}");
    }
}

#[test]
fn skipped_changes_are_left_out_in_order() {
    let changes: Vec<Change> = plan().into_iter().map(|(change, _)| change).collect();
    let (kept, skipped) = apply_skip(changes.clone(), &BTreeSet::from([SkipKey::DropTable, SkipKey::ModifyIndex]));
    assert_eq!(
        skipped.iter().map(Change::kind).collect::<Vec<_>>(),
        ["drop_foreign_key", "drop_table", "rename_index", "drop_index", "create_index"]
    );
    assert_eq!(kept.len() + skipped.len(), changes.len());
    let (kept, skipped) = apply_skip(changes.clone(), &BTreeSet::new());
    assert_eq!((kept.len(), skipped.len()), (changes.len(), 0));
}

#[test]
fn keys_round_trip_through_their_names() {
    for key in SkipKey::ALL {
        assert_eq!(SkipKey::from_name(key.name()), Some(key));
    }
}
