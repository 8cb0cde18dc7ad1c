//! Short builders for hand-made models in tests, shared by every crate's tests (enable the `builders`
//! feature from a dev-dependency). Each builds an object with the defaults a plain `CREATE` gets (nullable
//! columns, btree indexes, `NO ACTION` keys, volatile plpgsql functions), and the few properties tests vary
//! are functions of the built value: `keyed_table("users", "bigint", [not_null(column("email", "text"))])`.
//! Tests set anything rarer with struct update syntax: `Column { collation: .., ..column("c", "text") }`.

use crate::*;

/// `schema.name`, or `public.name` when unqualified.
pub fn name(qualified: &str) -> QualifiedName {
    match qualified.split_once('.') {
        Some((schema, name)) => QualifiedName::new(schema, name),
        None => QualifiedName::new("public", qualified),
    }
}

/// An expression whose canonical form is its text.
pub fn expr(sql: &str) -> Expr {
    Expr::new(sql, sql)
}

/// A nullable column without default; `data_type` as the database prints it.
pub fn column(name: &str, data_type: &str) -> Column {
    Column { name: name.into(), data_type: data_type.into(), nullable: true, ..Default::default() }
}

pub fn not_null(column: Column) -> Column {
    Column { nullable: false, ..column }
}

pub fn table(qualified: &str, columns: impl IntoIterator<Item = Column>) -> Table {
    Table { columns: columns.into_iter().collect(), ..Table::new(name(qualified)) }
}

/// A table with a NOT NULL `id` primary key (`{table}_pkey`) of the given type, then the other columns.
pub fn keyed_table(qualified: &str, id_type: &str, columns: impl IntoIterator<Item = Column>) -> Table {
    let mut table = table(qualified, [not_null(column("id", id_type))].into_iter().chain(columns));
    table.primary_key =
        Some(PrimaryKey { comment: None, name: format!("{}_pkey", table.name.name), columns: vec!["id".into()] });
    table
}

pub fn with_foreign_key(mut table: Table, key: ForeignKey) -> Table {
    table.foreign_keys.insert(key);
    table
}

pub fn with_index(mut table: Table, index: Index) -> Table {
    table.indexes.insert(index);
    table
}

/// `columns` referencing `ref_columns` of `ref_table`, with no actions and not deferrable.
pub fn foreign_key(key_name: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        not_valid: false,
        match_full: false,
        comment: None,
        name: key_name.into(),
        columns: columns.iter().map(|&c| c.into()).collect(),
        ref_table: name(ref_table),
        ref_columns: ref_columns.iter().map(|&c| c.into()).collect(),
        on_delete: ReferentialAction::NoAction,
        on_update: ReferentialAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
    }
}

/// A non-unique btree index on plain ascending columns.
pub fn index(index_name: &str, columns: &[&str]) -> Index {
    Index {
        name: index_name.into(),
        unique: false,
        method: "btree".into(),
        parts: columns.iter().map(|c| IndexPart::column(*c)).collect(),
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        storage: Default::default(),
        comment: None,
    }
}

pub fn unique(index: Index) -> Index {
    Index { unique: true, ..index }
}

pub fn view(qualified: &str, query: &str) -> View {
    View {
        options: Default::default(),
        name: name(qualified),
        query: expr(query),
        materialized: false,
        indexes: Default::default(),
        comment: None,
        triggers: Default::default(),
    }
}

/// A volatile plpgsql function without arguments.
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
        sql_body: None,
        parallel: Parallel::Unsafe,
        cost: Function::default_cost("plpgsql"),
        rows: Function::default_rows(returns),
        config: vec![],
        comment: None,
    }
}

/// A `BEFORE INSERT OR UPDATE ... FOR EACH ROW` trigger calling `function`.
pub fn trigger(trigger_name: &str, function: &str) -> Trigger {
    Trigger {
        constraint: None,
        comment: None,
        name: trigger_name.into(),
        timing: TriggerTiming::Before,
        events: vec![TriggerEvent::Insert, TriggerEvent::Update { columns: vec![] }],
        for_each_row: true,
        when: None,
        action: TriggerAction::Function { function: name(function), args: vec![] },
    }
}

pub fn enum_type(qualified: &str, values: &[&str]) -> EnumType {
    EnumType { name: name(qualified), values: values.iter().map(|v| v.to_string()).collect(), comment: None }
}

/// A domain over `base` with no default, NULL allowed and no checks.
pub fn domain(qualified: &str, base: &str) -> Domain {
    Domain {
        name: name(qualified),
        data_type: DataType::new(base),
        collation: None,
        default: None,
        not_null: false,
        checks: NameMap::new(),
        comment: None,
    }
}

/// A PostgreSQL database holding `public` and whatever `build` adds.
pub fn database(build: impl FnOnce(&mut Database)) -> Database {
    let mut db = Database::new(Dialect::Postgres);
    db.schema_mut("public");
    build(&mut db);
    db
}

/// Adds the table to its schema, creating the schema when missing.
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

pub fn add_domain(db: &mut Database, domain: Domain) {
    db.schema_mut(&domain.name.schema.clone()).domains.insert(domain.name.name.clone(), domain);
}

pub fn add_sequence(db: &mut Database, sequence: Sequence) {
    db.schema_mut(&sequence.name.schema.clone()).sequences.insert(sequence.name.name.clone(), sequence);
}
