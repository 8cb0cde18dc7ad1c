use super::*;
use driftless_model::Column;
use driftless_model::builders::{column, expr, foreign_key, index, name, table};

/// A plan touching every key, with the keys each change maps to.
fn plan() -> Vec<(Change, Vec<SkipKey>)> {
    use SkipKey::*;
    let unique = UniqueConstraint {
        comment: None,
        name: "t_a_key".into(),
        columns: vec!["a".into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
    };
    vec![
        (Change::CreateSchema { name: "s".into(), comment: None }, vec![AddSchema]),
        (Change::DropSchema { name: "old".into() }, vec![DropSchema]),
        (Change::SetComment { target: CommentTarget::Schema { name: "s".into() }, comment: None }, vec![ModifySchema]),
        (Change::CreateTable { table: table("new", []) }, vec![AddTable]),
        (Change::CreateIndex { table: name("new"), index: index("new_idx", &["a"]) }, vec![AddTable]),
        (
            Change::AddForeignKey { table: name("new"), foreign_key: foreign_key("new_fk", &["a"], "other", &["id"]) },
            vec![AddTable],
        ),
        (Change::DropForeignKey { table: name("gone"), name: "gone_fk".into() }, vec![DropTable]),
        (Change::DropTable { name: name("gone") }, vec![DropTable]),
        (Change::RenameTable { from: name("t"), to: "u".into() }, vec![RenameTable]),
        (Change::AddColumn { table: name("t"), column: column("b", "text") }, vec![AddColumn, ModifyTable]),
        (Change::DropColumn { table: name("t"), column: "c".into() }, vec![DropColumn, ModifyTable]),
        (Change::DropColumn { table: name("t"), column: "g".into() }, vec![ModifyColumn, ModifyTable]),
        (
            Change::AddColumn {
                table: name("t"),
                column: Column { generated: Some(Box::new(expr("1"))), ..column("g", "text") },
            },
            vec![ModifyColumn, ModifyTable],
        ),
        (
            Change::AlterColumn {
                table: name("t"),
                from: column("a", "text"),
                to: column("a", "text"),
                changes: vec![],
            },
            vec![ModifyColumn, ModifyTable],
        ),
        (Change::RenameColumn { table: name("t"), from: "x".into(), to: "y".into() }, vec![ModifyColumn, ModifyTable]),
        (Change::RenameConstraint { table: name("t"), from: "x".into(), to: "y".into() }, vec![RenameConstraint]),
        (Change::RenameIndex { table: name("t"), from: "x".into(), to: "y".into() }, vec![ModifyIndex, ModifyTable]),
        (Change::RenameSequence { from: name("s"), to: "u".into() }, vec![]),
        (Change::RenameEnum { from: name("mood"), to: "feeling".into() }, vec![]),
        (Change::RenameEnumValue { name: name("mood"), from: "ok".into(), to: "fine".into() }, vec![]),
        (Change::CreateIndex { table: name("t"), index: index("t_a_idx", &["a"]) }, vec![AddIndex, ModifyTable]),
        (Change::AddUnique { table: name("t"), unique: unique.clone() }, vec![AddIndex, ModifyTable]),
        (Change::DropIndex { table: name("t"), name: "t_old_idx".into() }, vec![DropIndex, ModifyTable]),
        (Change::DropIndex { table: name("t"), name: "t_b_idx".into() }, vec![ModifyIndex, ModifyTable]),
        (Change::CreateIndex { table: name("t"), index: index("t_b_idx", &["a"]) }, vec![ModifyIndex, ModifyTable]),
        (
            Change::AddForeignKey { table: name("t"), foreign_key: foreign_key("t_a_fkey", &["a"], "other", &["id"]) },
            vec![AddForeignKey, ModifyTable],
        ),
        (Change::DropForeignKey { table: name("t"), name: "t_old_fkey".into() }, vec![DropForeignKey, ModifyTable]),
        (Change::DropForeignKey { table: name("t"), name: "t_b_fkey".into() }, vec![ModifyForeignKey, ModifyTable]),
        (
            Change::AddForeignKey { table: name("t"), foreign_key: foreign_key("t_b_fkey", &["a"], "other", &["id"]) },
            vec![ModifyForeignKey, ModifyTable],
        ),
        (Change::DropCheck { table: name("t"), name: "t_check".into() }, vec![ModifyTable]),
        (Change::DropView { name: name("v"), materialized: false }, vec![]),
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
