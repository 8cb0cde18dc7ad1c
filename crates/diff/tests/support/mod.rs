//! Small builders for hand-made models, and a one-line summary of each change to assert orderings on.
//! Shared with the plan crate's tests, which use only some of them.
#![allow(dead_code)]

use driftless_model::*;

pub fn name(qualified: &str) -> QualifiedName {
    match qualified.split_once('.') {
        Some((schema, name)) => QualifiedName::new(schema, name),
        None => QualifiedName::new("public", qualified),
    }
}

pub fn expr(sql: &str) -> Expr {
    Expr::new(sql, sql)
}

pub fn column(name: &str, data_type: &str) -> Column {
    Column { name: name.into(), data_type: data_type.into(), nullable: true, ..Default::default() }
}

pub fn not_null(column: Column) -> Column {
    Column { nullable: false, ..column }
}

pub fn table(qualified: &str, columns: Vec<Column>) -> Table {
    Table { columns, ..Table::new(name(qualified)) }
}

/// A table with a NOT NULL `id` primary key of the given type, then the other columns.
pub fn keyed_table(qualified: &str, id_type: &str, mut columns: Vec<Column>) -> Table {
    let table_name = name(qualified);
    columns.insert(0, not_null(column("id", id_type)));
    let key = PrimaryKey { name: format!("{}_pkey", table_name.name), columns: vec!["id".into()] };
    Table { columns, primary_key: Some(key), ..Table::new(table_name) }
}

pub fn foreign_key(key_name: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: key_name.into(),
        columns: columns.iter().map(|&c| c.into()).collect(),
        ref_table: name(ref_table),
        ref_columns: ref_columns.iter().map(|&c| c.into()).collect(),
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
    }
}

pub fn with_foreign_key(mut table: Table, key: ForeignKey) -> Table {
    table.foreign_keys.insert(key);
    table
}

pub fn index(index_name: &str, columns: &[&str]) -> Index {
    Index {
        name: index_name.into(),
        unique: false,
        method: "btree".into(),
        parts: columns.iter().map(|c| IndexPart::column(*c)).collect(),
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        comment: None,
    }
}

pub fn view(qualified: &str, query: &str) -> View {
    View { name: name(qualified), query: expr(query), materialized: false, indexes: Default::default(), comment: None }
}

pub fn function(qualified: &str, returns: &str, body: &str) -> Function {
    Function {
        name: name(qualified),
        kind: FunctionKind::Function,
        args: vec![],
        returns: returns.into(),
        language: "plpgsql".into(),
        body: body.into(),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        cost: Function::default_cost("plpgsql"),
        rows: Function::default_rows(returns),
        config: vec![],
        comment: None,
    }
}

pub fn trigger(trigger_name: &str, function: &str) -> Trigger {
    Trigger {
        name: trigger_name.into(),
        timing: TriggerTiming::Before,
        events: vec![TriggerEvent::Insert, TriggerEvent::Update { columns: vec![] }],
        for_each_row: true,
        when: None,
        function: name(function),
        args: vec![],
    }
}

pub fn enum_type(qualified: &str, values: &[&str]) -> EnumType {
    EnumType { name: name(qualified), values: values.iter().map(|v| v.to_string()).collect(), comment: None }
}

/// A PostgreSQL database holding `public` and whatever `build` adds.
pub fn database(build: impl FnOnce(&mut Database)) -> Database {
    let mut db = Database::new(Dialect::Postgres);
    db.schema_mut("public");
    build(&mut db);
    db
}

pub fn add_table(db: &mut Database, table: Table) {
    db.schema_mut(&table.name.schema.clone()).tables.insert(table.name.name.clone(), table);
}

pub fn add_view(db: &mut Database, view: View) {
    db.schema_mut(&view.name.schema.clone()).views.insert(view.name.name.clone(), view);
}

pub fn add_function(db: &mut Database, function: Function) {
    db.schema_mut(&function.name.schema.clone()).functions.insert(function.signature(), function);
}

pub fn add_enum(db: &mut Database, enum_type: EnumType) {
    db.schema_mut(&enum_type.name.schema.clone()).enums.insert(enum_type.name.name.clone(), enum_type);
}

pub fn add_sequence(db: &mut Database, sequence: Sequence) {
    db.schema_mut(&sequence.name.schema.clone()).sequences.insert(sequence.name.name.clone(), sequence);
}

/// `kind target`, e.g. `add_foreign_key public.orders.orders_user_id_fkey`.
pub fn summary(change: &Change) -> String {
    let target = match change {
        Change::CreateSchema { name, .. } | Change::DropSchema { name } => name.clone(),
        Change::CreateExtension { extension } => extension.name.clone(),
        Change::DropExtension { name } | Change::SetExtensionSchema { name, .. } => name.clone(),
        Change::CreateEnum { enum_type } => enum_type.name.to_string(),
        Change::RecreateEnum { to, .. } => to.name.to_string(),
        Change::AddEnumValue { name, value, .. } | Change::RenameEnumValue { name, from: value, .. } => {
            format!("{name}.{value}")
        }
        Change::CreateSequence { sequence } => sequence.name.to_string(),
        Change::CreateTable { table } => table.name.to_string(),
        Change::CreateView { view } => view.name.to_string(),
        Change::CreateFunction { function } | Change::DropFunction { function } => function.name.to_string(),
        Change::ReplaceFunction { to, .. } => to.name.to_string(),
        Change::DropEnum { name }
        | Change::DropSequence { name }
        | Change::AlterSequence { name, .. }
        | Change::SetSequenceOwner { name, .. }
        | Change::DropTable { name }
        | Change::DropView { name, .. } => name.to_string(),
        Change::RenameTable { from, .. } | Change::RenameSequence { from, .. } | Change::RenameEnum { from, .. } => {
            from.to_string()
        }
        Change::RenameConstraint { table, from, .. } | Change::RenameIndex { table, from, .. } => {
            format!("{table}.{from}")
        }
        Change::AddColumn { table, column } => format!("{table}.{}", column.name),
        Change::AlterColumn { table, to, .. } => format!("{table}.{}", to.name),
        Change::DropColumn { table, column } | Change::RenameColumn { table, from: column, .. } => {
            format!("{table}.{column}")
        }
        Change::AddPrimaryKey { table, key } => format!("{table}.{}", key.name),
        Change::AddUnique { table, unique } => format!("{table}.{}", unique.name),
        Change::AddForeignKey { table, foreign_key } => format!("{table}.{}", foreign_key.name),
        Change::AddCheck { table, check } => format!("{table}.{}", check.name),
        Change::CreateIndex { table, index } => format!("{table}.{}", index.name),
        Change::CreateTrigger { table, trigger } => format!("{table}.{}", trigger.name),
        Change::DropPrimaryKey { table, name }
        | Change::DropUnique { table, name }
        | Change::DropForeignKey { table, name }
        | Change::DropCheck { table, name }
        | Change::DropIndex { table, name }
        | Change::DropTrigger { table, name } => format!("{table}.{name}"),
        Change::SetComment { target, .. } => format!("{target:?}"),
    };
    format!("{} {target}", change.kind())
}
