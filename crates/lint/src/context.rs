//! What the analyzers need to know about the plan as a whole: which relations exist before it runs, which
//! it creates or drops, which columns it adds, which constraints and indexes it adds back.

use driftless_model::{
    Change, ColumnChange, Database, Dialect, Domain, DomainCheck, OnlineOptions, QualifiedName, Table,
    relations_created,
};
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
    /// Columns whose type this plan changes.
    retyped_columns: BTreeSet<(QualifiedName, String)>,
    /// Constraint and index names (per table) that this plan adds.
    added_names: BTreeSet<(QualifiedName, String)>,
    /// Policy names (per table) that this plan creates.
    added_policies: BTreeSet<(QualifiedName, String)>,
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
            retyped_columns: BTreeSet::new(),
            added_names: BTreeSet::new(),
            added_policies: BTreeSet::new(),
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
                Change::AlterColumn { table, to, changes, .. }
                    if changes.iter().any(|step| matches!(step, ColumnChange::Type { .. })) =>
                {
                    context.retyped_columns.insert((table.clone(), to.name.to_string()));
                }
                Change::AddPrimaryKey { table, key } => context.add_name(table, &key.name),
                Change::AddUnique { table, unique } => context.add_name(table, &unique.name),
                Change::AddForeignKey { table, foreign_key } => context.add_name(table, &foreign_key.name),
                Change::AddCheck { table, check } => context.add_name(table, &check.name),
                Change::AddExclusion { table, exclusion } => context.add_name(table, &exclusion.name),
                Change::CreateIndex { table, index } => context.add_name(table, &index.name),
                Change::CreatePolicy { table, policy } => {
                    context.added_policies.insert((table.clone(), policy.name.clone()));
                }
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

    /// True when the plan drops the column or changes its type.
    pub fn column_loses_type(&self, table: &QualifiedName, column: &str) -> bool {
        let key = (table.clone(), column.to_string());
        self.dropped_columns.contains(&key) || self.retyped_columns.contains(&key)
    }

    /// True when the column is dropped and added again (a generated column whose expression changes): its
    /// values are derived, so nothing is lost.
    pub fn column_is_recreated(&self, table: &QualifiedName, column: &str) -> bool {
        let key = (table.clone(), column.to_string());
        self.dropped_columns.contains(&key) && self.added_columns.contains(&key)
    }

    /// The columns of live tables whose type is the domain, a domain over it (at any depth) or an array of
    /// either: `(table, column, array)`. Tables that this plan drops are left out.
    pub fn columns_of_domain(&self, domain: &QualifiedName) -> Vec<(QualifiedName, String, bool)> {
        let default_schema = &self.current.server.default_schema;
        let domains: Vec<&Domain> = self.current.schemas.values().flat_map(|schema| schema.domains.values()).collect();
        let mut family = vec![domain.clone()];
        // each pass adds the domains over one found so far; a chain is never longer than the domains
        for _ in 0..domains.len() {
            let over: Vec<QualifiedName> = domains
                .iter()
                .filter(|d| !family.contains(&d.name))
                .filter(|d| d.data_type.user_type(default_schema).is_some_and(|base| family.contains(&base)))
                .map(|d| d.name.clone())
                .collect();
            if over.is_empty() {
                break;
            }
            family.extend(over);
        }
        let mut columns = Vec::new();
        for table in self.current.schemas.values().flat_map(|schema| schema.tables.values()) {
            if self.dropped_tables.contains(&table.name) {
                continue;
            }
            for column in &table.columns {
                if column.data_type.user_type(default_schema).is_some_and(|base| family.contains(&base)) {
                    columns.push((table.name.clone(), column.name.to_string(), column.data_type.is_array()));
                }
            }
        }
        columns
    }

    /// A check of a live domain.
    pub fn current_domain_check(&self, domain: &QualifiedName, check: &str) -> Option<&'a DomainCheck> {
        self.current.schemas.get(&domain.schema)?.domains.get(&domain.name)?.checks.get(check)
    }

    /// True when the plan adds a constraint or index of this name on the table (a dropped one comes back,
    /// changed).
    pub fn is_added_back(&self, table: &QualifiedName, name: &str) -> bool {
        self.added_names.contains(&(table.clone(), name.to_string()))
    }

    /// True when the plan creates a policy of this name on the table (a dropped one comes back, changed).
    pub fn policy_is_added_back(&self, table: &QualifiedName, name: &str) -> bool {
        self.added_policies.contains(&(table.clone(), name.to_string()))
    }
}
