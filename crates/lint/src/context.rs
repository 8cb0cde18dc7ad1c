//! What the analyzers need to know about the plan as a whole: which relations exist before it runs, which
//! it creates or drops, which columns it adds, which constraints and indexes it adds back.

use driftless_model::{Change, Database, Dialect, OnlineOptions, QualifiedName, Table, relations_created};
use std::collections::BTreeSet;

pub(crate) struct Context<'a> {
    pub online: OnlineOptions,
    current: &'a Database,
    created: BTreeSet<QualifiedName>,
    dropped_tables: BTreeSet<QualifiedName>,
    /// Columns added by this plan (new, or dropped and added again).
    added_columns: BTreeSet<(QualifiedName, String)>,
    /// Columns dropped by this plan.
    dropped_columns: BTreeSet<(QualifiedName, String)>,
    /// Constraint and index names (per table) that this plan adds.
    added_names: BTreeSet<(QualifiedName, String)>,
}

impl<'a> Context<'a> {
    pub fn new(changes: &[Change], current: &'a Database, online: &OnlineOptions) -> Context<'a> {
        let mut context = Context {
            online: *online,
            current,
            created: relations_created(changes),
            dropped_tables: BTreeSet::new(),
            added_columns: BTreeSet::new(),
            dropped_columns: BTreeSet::new(),
            added_names: BTreeSet::new(),
        };
        for change in changes {
            match change {
                Change::DropTable { name } => {
                    context.dropped_tables.insert(name.clone());
                }
                Change::AddColumn { table, column } => {
                    context.added_columns.insert((table.clone(), column.name.to_string()));
                }
                Change::DropColumn { table, column } => {
                    context.dropped_columns.insert((table.clone(), column.clone()));
                }
                Change::AddPrimaryKey { table, key } => context.add_name(table, &key.name),
                Change::AddUnique { table, unique } => context.add_name(table, &unique.name),
                Change::AddForeignKey { table, foreign_key } => context.add_name(table, &foreign_key.name),
                Change::AddCheck { table, check } => context.add_name(table, &check.name),
                Change::CreateIndex { table, index } => context.add_name(table, &index.name),
                _ => {}
            }
        }
        context
    }

    /// The dialect of the database the plan runs on.
    pub fn dialect(&self) -> Dialect {
        self.current.dialect
    }

    fn add_name(&mut self, table: &QualifiedName, name: &str) {
        self.added_names.insert((table.clone(), name.to_string()));
    }

    /// True for a table or materialized view that exists before the plan runs and that the plan does not
    /// create anew: other sessions use it, so its locks and rewrites matter.
    pub fn is_existing(&self, relation: &QualifiedName) -> bool {
        let exists = self.current.table(relation).is_some()
            || self
                .current
                .schemas
                .get(&relation.schema)
                .and_then(|schema| schema.views.get(&relation.name))
                .is_some_and(|view| view.materialized);
        exists && !self.created.contains(relation)
    }

    pub fn current_table(&self, table: &QualifiedName) -> Option<&'a Table> {
        self.current.table(table)
    }

    pub fn is_dropped(&self, table: &QualifiedName) -> bool {
        self.dropped_tables.contains(table)
    }

    /// True when the column gets its values in this plan (added, or dropped and added again).
    pub fn column_is_new(&self, table: &QualifiedName, column: &str) -> bool {
        self.added_columns.contains(&(table.clone(), column.to_string()))
    }

    /// True when the column is dropped and added again (a generated column whose expression changes): its
    /// values are derived, so nothing is lost.
    pub fn column_is_recreated(&self, table: &QualifiedName, column: &str) -> bool {
        let key = (table.clone(), column.to_string());
        self.dropped_columns.contains(&key) && self.added_columns.contains(&key)
    }

    /// True when the plan adds a constraint or index of this name on the table (a dropped one comes back,
    /// changed).
    pub fn is_added_back(&self, table: &QualifiedName, name: &str) -> bool {
        self.added_names.contains(&(table.clone(), name.to_string()))
    }
}
