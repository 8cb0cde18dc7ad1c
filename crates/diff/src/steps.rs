//! The phases a migration runs in. Every change is pushed into the phase it belongs to and `into_changes`
//! concatenates the phases in execution order, so the ordering rules live here, in one place:
//!
//! 1. Tear down what depends on objects that change or go away: triggers, policies, views (dependents first), foreign keys,
//!    indexes, then primary key/unique/check constraints, then partitions that leave their parent (or change their
//!    bound). A foreign key is dropped before the table, column or key it involves; a view before the columns it
//!    reads change. A dropped table whose name (or the name of one of its indexes) is taken by a new object goes
//!    here too, to free the name.
//! 2. Build up, dependencies first: schemas, extensions, types, domains (over types and other domains), sequences,
//!    functions (defaults and checks may call them), tables (a partitioned table before its partitions), columns,
//!    constraints, sequence ownership, indexes, partitions attached (their columns and their parent's are in place),
//!    replica identities (the index one names exists),
//!    functions whose SQL body or signature names a new table, aggregates (after every function), foreign keys
//!    (every table exists by then, so cycles just work), views in reference order, triggers (after their
//!    functions and views), policies and then row-level security switched on or off, comments, SQLite's header
//!    values.
//! 3. Remove what is no longer declared, dependents first: columns, tables (partitions before their parent, whose
//!    drop would take them along), sequences, functions, domains (dependents first, before the types they are over),
//!    types, extensions, schemas last.

use driftless_model::Change;

#[derive(Debug, Default)]
pub(crate) struct Steps {
    pub drop_triggers: Vec<Change>,
    pub drop_policies: Vec<Change>,
    pub drop_views: Vec<Change>,
    pub drop_foreign_keys: Vec<Change>,
    pub drop_indexes: Vec<Change>,
    pub drop_constraints: Vec<Change>,
    pub detach_partitions: Vec<Change>,
    pub drop_tables_freeing_names: Vec<Change>,

    pub create_schemas: Vec<Change>,
    pub extensions: Vec<Change>,
    pub types: Vec<Change>,
    pub domains: Vec<Change>,
    pub sequences: Vec<Change>,
    pub functions: Vec<Change>,
    pub create_tables: Vec<Change>,
    pub columns: Vec<Change>,
    pub add_constraints: Vec<Change>,
    pub sequence_owners: Vec<Change>,
    pub create_indexes: Vec<Change>,
    pub attach_partitions: Vec<Change>,
    pub replica_identities: Vec<Change>,
    pub table_dependent_functions: Vec<Change>,
    pub aggregates: Vec<Change>,
    pub add_foreign_keys: Vec<Change>,
    pub create_views: Vec<Change>,
    pub create_triggers: Vec<Change>,
    pub policies: Vec<Change>,
    pub comments: Vec<Change>,
    pub header_values: Vec<Change>,

    pub drop_columns: Vec<Change>,
    pub drop_tables: Vec<Change>,
    pub drop_sequences: Vec<Change>,
    pub drop_functions: Vec<Change>,
    pub drop_domains: Vec<Change>,
    pub drop_types: Vec<Change>,
    pub drop_extensions: Vec<Change>,
    pub drop_schemas: Vec<Change>,
}

impl Steps {
    pub fn into_changes(self) -> Vec<Change> {
        [
            self.drop_triggers,
            self.drop_policies,
            self.drop_views,
            self.drop_foreign_keys,
            self.drop_indexes,
            self.drop_constraints,
            self.detach_partitions,
            self.drop_tables_freeing_names,
            self.create_schemas,
            self.extensions,
            self.types,
            self.domains,
            self.sequences,
            self.functions,
            self.create_tables,
            self.columns,
            self.add_constraints,
            self.sequence_owners,
            self.create_indexes,
            self.attach_partitions,
            self.replica_identities,
            self.table_dependent_functions,
            self.aggregates,
            self.add_foreign_keys,
            self.create_views,
            self.create_triggers,
            self.policies,
            self.comments,
            self.header_values,
            self.drop_columns,
            self.drop_tables,
            self.drop_sequences,
            self.drop_functions,
            self.drop_domains,
            self.drop_types,
            self.drop_extensions,
            self.drop_schemas,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}
