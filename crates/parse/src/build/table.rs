//! CREATE TABLE and ALTER TABLE: columns (serial, identity, generated), and constraints with the names
//! PostgreSQL chooses for them.

use super::index::implicit_name_addition;
use super::{Builder, PendingForeignKey, expression};
use crate::ident::{fold, fold_column, fold_parts};
use crate::names::{choose_name, name_addition};
use crate::types::format_type;
use crate::{ParseError, canon};
use driftless_model::{
    Check, Column, CompactString, Deferrable, Exclusion, ExclusionElement, ForeignKey, Identity, IndexKey, IndexPart,
    PrimaryKey, QualifiedName, ReferentialAction, ReplicaIdentity, Sequence, SequenceOptions, Table, UniqueConstraint,
    quote_ident,
};
use sqlparser::ast::{
    AlterColumnOperation, AlterTable, AlterTableOperation, ColumnDef, ColumnOption, ConstraintCharacteristics,
    ConstraintReferenceMatchKind, CreateTable, CreateTableOptions, DeferrableInitial, ExcludeConstraint,
    ExcludeConstraintOperator, Expr as SqlExpr, ForeignKeyConstraint, GeneratedAs, IndexColumn, NullsDistinctOption,
    ObjectName, ReferentialAction as SqlAction, ReplicaIdentity as SqlReplicaIdentity, TableConstraint,
};
use sqlparser::tokenizer::Location;

/// A constraint as declared, before it gets its name.
enum ConstraintSpec {
    PrimaryKey { name: Option<String>, columns: Vec<CompactString> },
    Unique { name: Option<String>, columns: Vec<CompactString>, nulls_not_distinct: bool, deferrable: Deferrable },
    ForeignKey { name: Option<String>, foreign_key: ForeignKey },
    Check { name: Option<String>, expr: Box<SqlExpr>, no_inherit: bool, not_valid: bool },
    Exclusion(Box<ExcludeConstraint>),
}

impl Builder<'_> {
    pub(super) fn create_table(&mut self, create: CreateTable) -> Result<(), ParseError> {
        let name = self.qualify(&create.name)?;
        let refused = [
            (create.temporary, "temporary tables are not part of a schema"),
            (create.query.is_some(), "CREATE TABLE ... AS is not supported; declare the columns"),
            (create.like.is_some(), "CREATE TABLE ... LIKE is not supported; declare the columns"),
            (create.inherits.is_some(), "table inheritance is not supported"),
            (
                create.partition_of.is_some() && !create.columns.is_empty(),
                "column options of a partition (`PARTITION OF ... (column WITH OPTIONS ...)`) are not supported",
            ),
        ];
        if let Some((_, reason)) = refused.iter().find(|(refused, _)| *refused) {
            return Err(self.unsupported(reason));
        }
        if self.relation_taken(&name.schema, &name.name) {
            return if create.if_not_exists {
                Ok(())
            } else {
                Err(self.invalid(&format!("relation {name} is declared twice")))
            };
        }
        let storage = match &create.table_options {
            CreateTableOptions::None => Default::default(),
            CreateTableOptions::With(options) => {
                super::storage::table_parameters(options).map_err(|message| self.unsupported(&message))?
            }
            other => return Err(self.unsupported(&format!("`{other}` is not a PostgreSQL table option"))),
        };
        self.claim_new_relation(&name)?;
        self.schema_mut(&name.schema)
            .tables
            .insert(name.name.clone(), Table { storage, unlogged: create.unlogged, ..Table::new(name.clone()) });
        if let (Some(parent), Some(for_values)) = (&create.partition_of, &create.for_values) {
            let parent = self.qualify(parent)?;
            self.set_partition_of(&name, &parent, for_values)?;
            // the partition's columns are its parent's (given up once the file is read)
            let columns = self.table(&parent).columns.clone();
            self.table_mut(&name).columns = columns;
        }

        let mut constraints: Vec<(Location, ConstraintSpec)> = Vec::new();
        for column in &create.columns {
            let position = crate::depth::span(column).start;
            for spec in self.add_column(&name, column)? {
                constraints.push((position, spec));
            }
        }
        for constraint in &create.constraints {
            constraints.push((crate::depth::span(constraint).start, self.table_constraint(constraint)?));
        }
        // PostgreSQL names constraints in the order they are written, columns and table constraints interleaved
        constraints.sort_by_key(|(position, _)| (position.line, position.column));
        self.add_constraints(&name, constraints.into_iter().map(|(_, spec)| spec).collect(), true)?;
        if let Some(by) = &create.partition_by {
            let key = self.partition_key(&name, by)?;
            self.table_mut(&name).partition_key = Some(key);
        }
        Ok(())
    }

    pub(super) fn alter_table(&mut self, alter: AlterTable) -> Result<(), ParseError> {
        let name = self.qualify(&alter.name)?;
        if self.db.table(&name).is_none() {
            return if alter.if_exists {
                Ok(())
            } else {
                Err(self.invalid(&format!("table {name} is not declared before this statement")))
            };
        }
        for operation in alter.operations {
            match operation {
                AlterTableOperation::AddColumn { if_not_exists, column_def, .. } => {
                    let column_name = fold(&column_def.name);
                    if self.table(&name).column(&column_name).is_some() {
                        if if_not_exists {
                            continue;
                        }
                        return Err(self.invalid(&format!("column {column_name} of {name} is declared twice")));
                    }
                    let specs = self.add_column(&name, &column_def)?;
                    self.add_constraints(&name, specs, false)?;
                }
                AlterTableOperation::AddConstraint {
                    constraint:
                        constraint @ (TableConstraint::PrimaryKeyUsingIndex(_) | TableConstraint::UniqueUsingIndex(_)),
                    ..
                } => {
                    let spec = self.constraint_using_index(&name, &constraint)?;
                    self.add_constraints(&name, vec![spec], false)?;
                }
                AlterTableOperation::AddConstraint { constraint, not_valid } => {
                    let mut spec = self.table_constraint(&constraint)?;
                    if not_valid {
                        match &mut spec {
                            ConstraintSpec::Check { not_valid, .. } => *not_valid = true,
                            ConstraintSpec::ForeignKey { foreign_key, .. } => foreign_key.not_valid = true,
                            _ => return Err(self.invalid("only CHECK and FOREIGN KEY constraints can be NOT VALID")),
                        }
                    }
                    self.add_constraints(&name, vec![spec], false)?;
                }
                AlterTableOperation::ValidateConstraint { name: constraint } => {
                    let constraint = fold(&constraint);
                    let table = self.table_mut(&name);
                    let not_valid = match table.checks.get_mut(&constraint) {
                        Some(check) => Some(&mut check.not_valid),
                        None => table.foreign_keys.get_mut(&constraint).map(|key| &mut key.not_valid),
                    };
                    match not_valid {
                        Some(not_valid) => *not_valid = false,
                        None => {
                            return Err(self.invalid(&format!(
                                "check or foreign key {constraint} of {name} is not declared before this statement"
                            )));
                        }
                    }
                }
                AlterTableOperation::AlterColumn { column_name, op } => self.alter_column(&name, &column_name, op)?,
                AlterTableOperation::AttachPartitionOf { partition, for_values } => {
                    self.attach_partition(&name, &partition, &for_values)?;
                }
                AlterTableOperation::OwnerTo { .. } => {}
                AlterTableOperation::ReplicaIdentity { identity } => {
                    let table = self.table(&name);
                    let identity = match identity {
                        SqlReplicaIdentity::Default => ReplicaIdentity::Default,
                        SqlReplicaIdentity::Full => ReplicaIdentity::Full,
                        SqlReplicaIdentity::Nothing => ReplicaIdentity::Nothing,
                        SqlReplicaIdentity::Index(index) => {
                            let index = fold(&index);
                            let unique_index = table.primary_key.as_ref().is_some_and(|key| key.name == index)
                                || table.uniques.contains_key(&index)
                                || table.indexes.get(&index).is_some_and(|found| found.unique);
                            if !unique_index {
                                return Err(self.invalid(&format!(
                                    "replica identity index {index} is not a unique index of {name} declared before \
                                     this statement"
                                )));
                            }
                            ReplicaIdentity::Index(index)
                        }
                    };
                    self.table_mut(&name).replica_identity = identity;
                }
                AlterTableOperation::EnableRowLevelSecurity
                | AlterTableOperation::DisableRowLevelSecurity
                | AlterTableOperation::ForceRowLevelSecurity
                | AlterTableOperation::NoForceRowLevelSecurity => self.switch_row_security(&name, &operation),
                other => {
                    return Err(self.unsupported(&format!(
                        "ALTER TABLE ... {other} is not supported; declare the table as it should be"
                    )));
                }
            }
        }
        Ok(())
    }

    fn alter_column(
        &mut self,
        table: &QualifiedName,
        column: &sqlparser::ast::Ident,
        op: AlterColumnOperation,
    ) -> Result<(), ParseError> {
        let column_name = fold(column);
        if self.table(table).column(&column_name).is_none() {
            return Err(self.invalid(&format!("column {column_name} of {table} does not exist")));
        }
        match op {
            AlterColumnOperation::SetNotNull => self.column_mut(table, &column_name).nullable = false,
            AlterColumnOperation::DropNotNull => self.column_mut(table, &column_name).nullable = true,
            AlterColumnOperation::SetDefault { value } => {
                let column = self.column_mut(table, &column_name);
                column.default = default_value(&value, column.data_type.as_str());
            }
            AlterColumnOperation::DropDefault => self.column_mut(table, &column_name).default = None,
            AlterColumnOperation::SetDataType { data_type, .. } => {
                let data_type = format_type(&data_type, &self.options.default_schema);
                if data_type.serial {
                    return Err(self.invalid("serial is not a type a column can be changed to"));
                }
                self.column_mut(table, &column_name).data_type = data_type.name.into();
            }
            AlterColumnOperation::AddGenerated { generated_as, sequence_options } => {
                let always = !matches!(generated_as, Some(GeneratedAs::ByDefault));
                let data_type = self.table(table).column(&column_name).map(|c| c.data_type.clone()).unwrap_or_default();
                let identity =
                    self.identity(table, &column_name, data_type.as_str(), always, sequence_options.as_deref())?;
                let column = self.column_mut(table, &column_name);
                column.identity = Some(Box::new(identity));
                column.nullable = false;
            }
            AlterColumnOperation::GenericOptions { .. } => {
                return Err(self.unsupported("ALTER COLUMN ... OPTIONS is not supported"));
            }
        }
        Ok(())
    }

    fn table(&self, name: &QualifiedName) -> &Table {
        self.db.table(name).expect("the table was looked up before")
    }

    pub(super) fn table_mut(&mut self, name: &QualifiedName) -> &mut Table {
        self.db.table_mut(name).expect("the table was looked up before")
    }

    fn column_mut(&mut self, table: &QualifiedName, column: &str) -> &mut Column {
        self.table_mut(table).column_mut(column).expect("the column was looked up before")
    }

    /// Adds a column (and, for serial, its sequence); returns the constraints declared on it.
    fn add_column(&mut self, table: &QualifiedName, def: &ColumnDef) -> Result<Vec<ConstraintSpec>, ParseError> {
        let name = fold(&def.name);
        if self.table(table).column(&name).is_some() {
            return Err(self.invalid(&format!("column {name} of {table} is declared twice")));
        }
        let data_type = format_type(&def.data_type, &self.options.default_schema);
        let mut column = Column {
            name: name.as_str().into(),
            data_type: data_type.name.as_str().into(),
            nullable: true,
            ..Default::default()
        };
        let mut constraints = Vec::new();
        let mut identity = None;
        for option in &def.options {
            let constraint_name = option.name.as_ref().map(fold);
            match &option.option {
                ColumnOption::Null => column.nullable = true,
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Default(value) => column.default = default_value(value, &data_type.name),
                ColumnOption::Collation(collation) => column.collation = collation_name(collation).map(Into::into),
                ColumnOption::PrimaryKey(pk) => {
                    self.refuse_deferrable_key(pk.characteristics.as_ref())?;
                    constraints.push(ConstraintSpec::PrimaryKey {
                        name: constraint_name.or(pk.name.as_ref().map(fold)),
                        columns: vec![name.as_str().into()],
                    })
                }
                ColumnOption::Unique(unique) => constraints.push(ConstraintSpec::Unique {
                    name: constraint_name.or(unique.name.as_ref().map(fold)),
                    columns: vec![name.as_str().into()],
                    nulls_not_distinct: unique.nulls_distinct == NullsDistinctOption::NotDistinct,
                    deferrable: self.deferrable(unique.characteristics.as_ref())?,
                }),
                ColumnOption::ForeignKey(fk) => {
                    let foreign_key = self.declared_foreign_key(vec![name.as_str().into()], fk)?;
                    let name = constraint_name.or(fk.name.as_ref().map(fold));
                    constraints.push(ConstraintSpec::ForeignKey { name, foreign_key })
                }
                ColumnOption::Check(check) if check.enforced == Some(false) => {
                    return Err(self.unsupported("NOT ENFORCED constraints are not supported"));
                }
                ColumnOption::Check(check) => constraints.push(ConstraintSpec::Check {
                    name: constraint_name.or(check.name.as_ref().map(fold)),
                    expr: check.expr.clone(),
                    no_inherit: check.no_inherit,
                    not_valid: false,
                }),
                ColumnOption::Generated { generation_expr: Some(generated), .. } => {
                    column.generated = Some(Box::new(expression(&generated.to_string())));
                }
                ColumnOption::Generated { generated_as, sequence_options, generation_expr: None, .. } => {
                    identity = Some((matches!(generated_as, GeneratedAs::Always), sequence_options.clone()));
                }
                other => return Err(self.unsupported(&format!("column option `{other}` is not supported"))),
            }
        }
        if data_type.serial {
            if column.default.is_some() || identity.is_some() {
                return Err(self.invalid(&format!("serial column {name} cannot have a default or identity")));
            }
            let sequence = self.serial_sequence(table, &name, &data_type.name);
            column.default = Some(Box::new(self.nextval(&sequence)));
            column.nullable = false;
        }
        if let Some((always, options)) = identity {
            column.identity =
                Some(Box::new(self.identity(table, &name, &data_type.name, always, options.as_deref())?));
            column.nullable = false;
        }
        self.table_mut(table).columns.push(column);
        Ok(constraints)
    }

    /// The sequence behind a serial column, named `<table>_<column>_seq` (numbered when taken).
    fn serial_sequence(&mut self, table: &QualifiedName, column: &str, data_type: &str) -> QualifiedName {
        let sequence_name =
            choose_name(&table.name, Some(column), "seq", |candidate| self.relation_taken(&table.schema, candidate));
        self.claim_relation(&table.schema, &sequence_name);
        let name = QualifiedName::new(table.schema.clone(), sequence_name);
        let sequence = Sequence {
            name: name.clone(),
            options: SequenceOptions::postgres_defaults(data_type, 1),
            owned_by: Some((table.name.clone(), column.to_string())),
            comment: None,
        };
        self.schema_mut(&table.schema).sequences.insert(name.name.clone(), sequence);
        name
    }

    /// An identity column's sequence options, every default filled; its sequence takes a relation name.
    fn identity(
        &mut self,
        table: &QualifiedName,
        column: &str,
        data_type: &str,
        always: bool,
        options: Option<&[sqlparser::ast::SequenceOptions]>,
    ) -> Result<Identity, ParseError> {
        if !matches!(data_type, "smallint" | "integer" | "bigint") {
            return Err(self.invalid(&format!("identity column {column} must be smallint, integer or bigint")));
        }
        let sequence = self.sequence_options(data_type, options.unwrap_or_default())?;
        let sequence_name =
            choose_name(&table.name, Some(column), "seq", |candidate| self.relation_taken(&table.schema, candidate));
        self.claim_relation(&table.schema, &sequence_name);
        Ok(Identity { always, sequence })
    }

    fn table_constraint(&self, constraint: &TableConstraint) -> Result<ConstraintSpec, ParseError> {
        Ok(match constraint {
            TableConstraint::PrimaryKey(pk) => {
                self.refuse_deferrable_key(pk.characteristics.as_ref())?;
                ConstraintSpec::PrimaryKey { name: pk.name.as_ref().map(fold), columns: self.key_columns(&pk.columns)? }
            }
            TableConstraint::Unique(unique) => ConstraintSpec::Unique {
                name: unique.name.as_ref().map(fold),
                columns: self.key_columns(&unique.columns)?,
                nulls_not_distinct: unique.nulls_distinct == NullsDistinctOption::NotDistinct,
                deferrable: self.deferrable(unique.characteristics.as_ref())?,
            },
            TableConstraint::ForeignKey(fk) => {
                let columns = fk.columns.iter().map(fold_column).collect();
                ConstraintSpec::ForeignKey {
                    name: fk.name.as_ref().map(fold),
                    foreign_key: self.declared_foreign_key(columns, fk)?,
                }
            }
            TableConstraint::Check(check) if check.enforced == Some(false) => {
                return Err(self.unsupported("NOT ENFORCED constraints are not supported"));
            }
            TableConstraint::Check(check) => ConstraintSpec::Check {
                name: check.name.as_ref().map(fold),
                expr: check.expr.clone(),
                no_inherit: check.no_inherit,
                not_valid: false,
            },
            TableConstraint::Exclude(exclude) => ConstraintSpec::Exclusion(Box::new(exclude.clone())),
            other => return Err(self.unsupported(&format!("constraint `{other}` is not supported"))),
        })
    }

    /// The columns of a PRIMARY KEY or UNIQUE constraint, which PostgreSQL allows to be plain columns only.
    fn key_columns(&self, columns: &[IndexColumn]) -> Result<Vec<CompactString>, ParseError> {
        columns
            .iter()
            .map(|c| match &c.column.expr {
                SqlExpr::Identifier(ident) if c.operator_class.is_none() => Ok(fold_column(ident)),
                other => Err(self.invalid(&format!("`{other}` is not a column; constraints take plain columns"))),
            })
            .collect()
    }

    /// `ADD [CONSTRAINT c] PRIMARY KEY | UNIQUE USING INDEX i`: the index becomes the constraint's (renamed to
    /// it, as PostgreSQL does), so it leaves the table's indexes. PostgreSQL takes only a unique btree index on
    /// plain columns in their default order, without predicate.
    fn constraint_using_index(
        &mut self,
        table: &QualifiedName,
        constraint: &TableConstraint,
    ) -> Result<ConstraintSpec, ParseError> {
        let (using, primary) = match constraint {
            TableConstraint::PrimaryKeyUsingIndex(using) => (using, true),
            TableConstraint::UniqueUsingIndex(using) => (using, false),
            _ => unreachable!("only USING INDEX constraints come here"),
        };
        let index_name = fold(&using.index_name);
        let Some(index) = self.table(table).indexes.get(&index_name).cloned() else {
            return Err(self.invalid(&format!("index {index_name} of {table} is not declared before this statement")));
        };
        let columns: Option<Vec<CompactString>> = index
            .parts
            .iter()
            .map(|part| match &part.key {
                IndexKey::Column(column) if *part == IndexPart::column(column.clone()) => Some(column.clone()),
                _ => None,
            })
            .collect();
        let backs_a_key =
            index.unique && index.method == "btree" && index.predicate.is_none() && index.include.is_empty();
        let Some(columns) = columns.filter(|_| backs_a_key) else {
            return Err(self.invalid(&format!(
                "index {index_name} cannot back a constraint: PostgreSQL takes a unique btree index on plain columns \
                 in their default order, without WHERE or INCLUDE"
            )));
        };
        if index.comment.is_some() || !index.storage.is_empty() {
            return Err(self.unsupported(&format!(
                "index {index_name} has a comment or storage parameters, which a constraint's index does not hold \
                 in the model; declare the constraint instead"
            )));
        }
        self.table_mut(table).indexes.remove(&index_name);
        if let Some(names) = self.relation_names.get_mut(&table.schema) {
            names.remove(&index_name);
        }
        let name = Some(using.name.as_ref().map_or(index_name, fold));
        Ok(if primary {
            self.refuse_deferrable_key(using.characteristics.as_ref())?;
            ConstraintSpec::PrimaryKey { name, columns }
        } else {
            ConstraintSpec::Unique {
                name,
                columns,
                nulls_not_distinct: index.nulls_not_distinct,
                deferrable: self.deferrable(using.characteristics.as_ref())?,
            }
        })
    }

    /// A foreign key as declared: its referenced table and columns, actions, match type and deferrability.
    fn declared_foreign_key(
        &self,
        columns: Vec<CompactString>,
        declared: &ForeignKeyConstraint,
    ) -> Result<ForeignKey, ParseError> {
        let match_full = match declared.match_kind {
            None | Some(ConstraintReferenceMatchKind::Simple) => false,
            Some(ConstraintReferenceMatchKind::Full) => true,
            Some(ConstraintReferenceMatchKind::Partial) => {
                return Err(self.unsupported("MATCH PARTIAL is not implemented by PostgreSQL"));
            }
        };
        Ok(ForeignKey {
            on_delete: action(declared.on_delete),
            on_update: action(declared.on_update),
            deferrable: self.deferrable(declared.characteristics.as_ref())?,
            match_full,
            ..self.foreign_key(columns, &declared.foreign_table, &declared.referred_columns)?
        })
    }

    /// `DEFERRABLE` and `INITIALLY` of a constraint; `NOT ENFORCED` (PostgreSQL 18) is not modelled.
    fn deferrable(&self, characteristics: Option<&ConstraintCharacteristics>) -> Result<Deferrable, ParseError> {
        let Some(characteristics) = characteristics else {
            return Ok(Deferrable::NotDeferrable);
        };
        if characteristics.enforced == Some(false) {
            return Err(self.unsupported("NOT ENFORCED constraints are not supported"));
        }
        Ok(match (characteristics.deferrable, characteristics.initially) {
            (_, Some(DeferrableInitial::Deferred)) => Deferrable::InitiallyDeferred,
            (Some(true), _) => Deferrable::InitiallyImmediate,
            _ => Deferrable::NotDeferrable,
        })
    }

    /// The model's primary keys are never deferrable.
    fn refuse_deferrable_key(&self, characteristics: Option<&ConstraintCharacteristics>) -> Result<(), ParseError> {
        if self.deferrable(characteristics)? == Deferrable::NotDeferrable {
            Ok(())
        } else {
            Err(self.unsupported("a DEFERRABLE primary key is not supported"))
        }
    }

    fn foreign_key(
        &self,
        columns: Vec<CompactString>,
        ref_table: &ObjectName,
        ref_columns: &[sqlparser::ast::Ident],
    ) -> Result<ForeignKey, ParseError> {
        Ok(ForeignKey {
            not_valid: false,
            match_full: false,
            comment: None,
            name: String::new(),
            columns,
            ref_table: self.qualify(ref_table)?,
            ref_columns: ref_columns.iter().map(fold_column).collect(),
            on_delete: ReferentialAction::NoAction,
            on_update: ReferentialAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        })
    }

    /// Names and adds constraints the way PostgreSQL does for one statement: CHECKs first (they are created
    /// with the table), then the primary key, unique and exclusion constraints (their indexes; in CREATE TABLE
    /// a unique constraint identical to the key or to an earlier one is dropped), then foreign keys.
    fn add_constraints(
        &mut self,
        table: &QualifiedName,
        specs: Vec<ConstraintSpec>,
        deduplicate: bool,
    ) -> Result<(), ParseError> {
        let (mut checks, mut keys, mut uniques, mut foreign_keys) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for spec in specs {
            match spec {
                ConstraintSpec::Check { .. } => checks.push(spec),
                ConstraintSpec::PrimaryKey { .. } => keys.push(spec),
                ConstraintSpec::Unique { .. } | ConstraintSpec::Exclusion(_) => uniques.push(spec),
                ConstraintSpec::ForeignKey { .. } => foreign_keys.push(spec),
            }
        }
        let index_backed = if deduplicate {
            merge_alike(keys.into_iter().chain(uniques).collect())
        } else {
            keys.into_iter().chain(uniques).collect()
        };
        for spec in checks.into_iter().chain(index_backed).chain(foreign_keys) {
            match spec {
                ConstraintSpec::Check { name, expr, no_inherit, not_valid } => {
                    self.add_check(table, name, &expr, no_inherit, not_valid)?;
                }
                ConstraintSpec::PrimaryKey { name, columns } => self.add_primary_key(table, name, columns)?,
                ConstraintSpec::Unique { name, columns, nulls_not_distinct, deferrable } => {
                    self.add_unique(table, name, columns, nulls_not_distinct, deferrable)?;
                }
                ConstraintSpec::ForeignKey { name, foreign_key } => self.add_foreign_key(table, name, foreign_key)?,
                ConstraintSpec::Exclusion(exclude) => self.add_exclusion(table, &exclude)?,
            }
        }
        Ok(())
    }

    fn check_columns_exist(&self, table: &QualifiedName, columns: &[CompactString]) -> Result<(), ParseError> {
        let existing = self.table(table);
        match columns.iter().find(|c| existing.column(c).is_none()) {
            Some(missing) => Err(self.invalid(&format!("column {missing} of {table} does not exist"))),
            None => Ok(()),
        }
    }

    /// An explicit name for a CHECK or foreign key, which must be unique on its table.
    fn claim_table_constraint_name(&mut self, table: &QualifiedName, name: &str) -> Result<(), ParseError> {
        if self.table(table).relation_names().any(|n| n == name) {
            return Err(self.invalid(&format!("constraint {name} of {table} is declared twice")));
        }
        self.claim_constraint(&table.schema, name);
        Ok(())
    }

    /// An implicit constraint name: `<table>_<addition>_<label>`, avoiding every constraint name in the schema.
    fn implicit_constraint_name(&mut self, table: &QualifiedName, addition: Option<&str>, label: &str) -> String {
        let name = choose_name(&table.name, addition, label, |c| self.constraint_taken(&table.schema, c));
        self.claim_constraint(&table.schema, &name);
        name
    }

    /// A name for a constraint backed by an index: explicit, or implicit avoiding relation and constraint names.
    fn index_constraint_name(
        &mut self,
        table: &QualifiedName,
        name: Option<String>,
        addition: Option<&str>,
        label: &str,
    ) -> Result<String, ParseError> {
        let name = match name {
            Some(name) => {
                if self.relation_taken(&table.schema, &name) || self.constraint_taken(&table.schema, &name) {
                    return Err(self.invalid(&format!("relation or constraint {name} is declared twice")));
                }
                name
            }
            None => choose_name(&table.name, addition, label, |c| {
                self.relation_taken(&table.schema, c) || self.constraint_taken(&table.schema, c)
            }),
        };
        self.claim_relation(&table.schema, &name);
        self.claim_constraint(&table.schema, &name);
        Ok(name)
    }

    fn add_check(
        &mut self,
        table: &QualifiedName,
        name: Option<String>,
        expr: &SqlExpr,
        no_inherit: bool,
        not_valid: bool,
    ) -> Result<(), ParseError> {
        let name = match name {
            Some(name) => {
                self.claim_table_constraint_name(table, &name)?;
                name
            }
            None => {
                // named after the column when it references exactly one, as PostgreSQL does
                let columns = referenced_columns(expr, self.table(table));
                let column = if columns.len() == 1 { columns.first().cloned() } else { None };
                self.implicit_constraint_name(table, column.as_deref(), "check")
            }
        };
        let check =
            Check { not_valid, comment: None, name: name.clone(), expr: expression(&expr.to_string()), no_inherit };
        self.table_mut(table).checks.insert(check);
        Ok(())
    }

    fn add_primary_key(
        &mut self,
        table: &QualifiedName,
        name: Option<String>,
        columns: Vec<CompactString>,
    ) -> Result<(), ParseError> {
        self.check_columns_exist(table, &columns)?;
        if self.table(table).primary_key.is_some() {
            return Err(self.invalid(&format!("table {table} declares more than one primary key")));
        }
        let name = self.index_constraint_name(table, name, None, "pkey")?;
        let existing = self.table_mut(table);
        for column in &columns {
            existing.column_mut(column).expect("columns were checked").nullable = false;
        }
        existing.primary_key = Some(PrimaryKey { comment: None, name, columns });
        Ok(())
    }

    fn add_unique(
        &mut self,
        table: &QualifiedName,
        name: Option<String>,
        columns: Vec<CompactString>,
        nulls_not_distinct: bool,
        deferrable: Deferrable,
    ) -> Result<(), ParseError> {
        self.check_columns_exist(table, &columns)?;
        let addition = name_addition(&columns);
        let name = self.index_constraint_name(table, name, addition.as_deref(), "key")?;
        let unique = UniqueConstraint { comment: None, name: name.clone(), columns, nulls_not_distinct, deferrable };
        self.table_mut(table).uniques.insert(unique);
        Ok(())
    }

    fn add_exclusion(&mut self, table: &QualifiedName, exclude: &ExcludeConstraint) -> Result<(), ParseError> {
        let method = exclude.index_method.as_ref().map_or_else(|| "btree".into(), fold);
        let mut elements = Vec::with_capacity(exclude.elements.len());
        for element in &exclude.elements {
            let part = self.index_part(table, &method, &element.column)?;
            let operator = exclusion_operator(&element.operator)
                .ok_or_else(|| self.invalid(&format!("`{}` is not an operator", element.operator)))?;
            elements.push(ExclusionElement { part, operator });
        }
        let include = exclude.include.iter().map(fold_column).collect::<Vec<_>>();
        self.check_columns_exist(table, &include)?;
        let keys: Vec<IndexColumn> = exclude.elements.iter().map(|element| element.column.clone()).collect();
        let addition = implicit_name_addition(&keys, &exclude.include);
        let name = self.index_constraint_name(table, exclude.name.as_ref().map(fold), addition.as_deref(), "excl")?;
        let exclusion = Exclusion {
            comment: None,
            name,
            method: method.into(),
            elements,
            include,
            predicate: exclude.where_clause.as_ref().map(|predicate| expression(&predicate.to_string())),
            deferrable: self.deferrable(exclude.characteristics.as_ref())?,
        };
        self.table_mut(table).exclusions.insert(exclusion);
        Ok(())
    }

    fn add_foreign_key(
        &mut self,
        table: &QualifiedName,
        name: Option<String>,
        foreign_key: ForeignKey,
    ) -> Result<(), ParseError> {
        self.check_columns_exist(table, &foreign_key.columns)?;
        let name = match name {
            Some(name) => {
                self.claim_table_constraint_name(table, &name)?;
                name
            }
            None => {
                let addition = name_addition(&foreign_key.columns);
                self.implicit_constraint_name(table, addition.as_deref(), "fkey")
            }
        };
        self.table_mut(table).foreign_keys.insert(ForeignKey { name: name.clone(), ..foreign_key });
        let statement = self.current.clone().expect("a statement is being folded");
        self.pending_foreign_keys.push(PendingForeignKey { table: table.clone(), name, statement });
        Ok(())
    }

    /// Checks a foreign key's referenced table and fills in its referenced columns when they were left to the
    /// primary key.
    pub(super) fn resolve_foreign_key(&mut self, table: &QualifiedName, name: &str) -> Result<(), ParseError> {
        let foreign_key = self.table(table).foreign_keys[name].clone();
        let Some(referenced) = self.db.table(&foreign_key.ref_table) else {
            return Err(self
                .invalid(&format!("foreign key {name} references {}, which is not declared", foreign_key.ref_table)));
        };
        let ref_columns = if foreign_key.ref_columns.is_empty() {
            match &referenced.primary_key {
                Some(pk) => pk.columns.clone(),
                None => {
                    return Err(self.invalid(&format!(
                        "foreign key {name} references {} without columns, and it has no primary key",
                        foreign_key.ref_table
                    )));
                }
            }
        } else {
            foreign_key.ref_columns.clone()
        };
        if let Some(missing) = ref_columns.iter().find(|c| referenced.column(c).is_none()) {
            return Err(self.invalid(&format!("column {missing} of {} does not exist", foreign_key.ref_table)));
        }
        if ref_columns.len() != foreign_key.columns.len() {
            return Err(self
                .invalid(&format!("foreign key {name} has a different number of referencing and referenced columns")));
        }
        self.table_mut(table).foreign_keys.get_mut(name).expect("the foreign key exists").ref_columns = ref_columns;
        Ok(())
    }
}

/// A column default; `DEFAULT NULL` is no default at all (PostgreSQL stores none). PostgreSQL coerces a
/// default to the column's type, which for a bare string constant decides how it prints (`'24 hours'` on an
/// interval column is stored as `'24:00:00'::interval`), so such a constant is compared as cast to that type.
/// The primary key and unique constraints of a CREATE TABLE as PostgreSQL builds them: constraints alike
/// (same columns, NULLS NOT DISTINCT and deferrability) share one index, so only the first is kept, the
/// primary key before the others, and when it was written without a name it takes the name of the first
/// duplicate that has one (`c1 int primary key, constraint u unique (c1)` is the primary key `u`).
fn merge_alike(specs: Vec<ConstraintSpec>) -> Vec<ConstraintSpec> {
    fn alike(spec: &ConstraintSpec) -> Option<(&[CompactString], bool, Deferrable)> {
        match spec {
            ConstraintSpec::PrimaryKey { columns, .. } => Some((columns, false, Deferrable::NotDeferrable)),
            ConstraintSpec::Unique { columns, nulls_not_distinct, deferrable, .. } => {
                Some((columns, *nulls_not_distinct, *deferrable))
            }
            ConstraintSpec::ForeignKey { .. } | ConstraintSpec::Check { .. } | ConstraintSpec::Exclusion(_) => None,
        }
    }
    fn name_of(spec: &mut ConstraintSpec) -> Option<&mut Option<String>> {
        match spec {
            ConstraintSpec::PrimaryKey { name, .. }
            | ConstraintSpec::Unique { name, .. }
            | ConstraintSpec::ForeignKey { name, .. }
            | ConstraintSpec::Check { name, .. } => Some(name),
            ConstraintSpec::Exclusion(_) => None,
        }
    }
    let mut kept: Vec<ConstraintSpec> = Vec::new();
    for mut spec in specs {
        match kept.iter().position(|prior| alike(prior).is_some() && alike(prior) == alike(&spec)) {
            Some(prior) => {
                if let (Some(kept_name @ None), Some(name)) = (name_of(&mut kept[prior]), name_of(&mut spec)) {
                    *kept_name = name.take();
                }
            }
            None => kept.push(spec),
        }
    }
    kept
}

pub(super) fn default_value(value: &SqlExpr, data_type: &str) -> Option<Box<driftless_model::Expr>> {
    let sql = renderable_default(value);
    let is_string = matches!(value, SqlExpr::Value(v) if matches!(v.value, sqlparser::ast::Value::SingleQuotedString(_)
        | sqlparser::ast::Value::EscapedStringLiteral(_) | sqlparser::ast::Value::DollarQuotedString(_)));
    let canonical = if is_string { canon::expr(&format!("{sql}::{data_type}")) } else { canon::expr(&sql) };
    (canonical != "NULL").then(|| Box::new(driftless_model::Expr::new(sql, canonical)))
}

/// The default's text, parenthesized unless it is a simple term: a column's `DEFAULT` takes only PostgreSQL's
/// restricted expression form, so `DEFAULT now() AT TIME ZONE 'utc'` must be rendered with parentheses.
fn renderable_default(value: &SqlExpr) -> String {
    let simple = matches!(
        value,
        SqlExpr::Value(_)
            | SqlExpr::Function(_)
            | SqlExpr::Cast { .. }
            | SqlExpr::Nested(_)
            | SqlExpr::TypedString(_)
            | SqlExpr::Identifier(_)
            | SqlExpr::Array(_)
            | SqlExpr::Interval(_)
            | SqlExpr::UnaryOp { .. }
    );
    if simple { value.to_string() } else { format!("({value})") }
}

fn collation_name(collation: &ObjectName) -> Option<String> {
    fold_parts(collation).pop().filter(|name| name != "default")
}

fn action(action: Option<SqlAction>) -> ReferentialAction {
    match action {
        None | Some(SqlAction::NoAction) => ReferentialAction::NoAction,
        Some(SqlAction::Restrict) => ReferentialAction::Restrict,
        Some(SqlAction::Cascade) => ReferentialAction::Cascade,
        Some(SqlAction::SetNull) => ReferentialAction::SetNull,
        Some(SqlAction::SetDefault) => ReferentialAction::SetDefault,
    }
}

/// An exclusion operator as `pg_get_constraintdef` prints one: bare, also when written
/// `OPERATOR(pg_catalog.&&)`; `None` for a token that is no operator.
fn exclusion_operator(operator: &ExcludeConstraintOperator) -> Option<String> {
    const OPERATOR_CHARACTERS: &str = "+-*/<>=~!@#%^&|`?";
    let is_operator = |text: &str| !text.is_empty() && text.chars().all(|c| OPERATOR_CHARACTERS.contains(c));
    match operator {
        ExcludeConstraintOperator::Token(token) => is_operator(token).then(|| token.clone()),
        ExcludeConstraintOperator::PGOperator(parts) => match parts.as_slice() {
            [operator] => is_operator(operator).then(|| operator.clone()),
            [schema, operator] if schema == "pg_catalog" => is_operator(operator).then(|| operator.clone()),
            [schema, operator] => {
                is_operator(operator).then(|| format!("OPERATOR({}.{operator})", quote_ident(schema)))
            }
            _ => None,
        },
    }
}

/// The table's columns an expression mentions, each once, in order of first mention.
fn referenced_columns(expr: &SqlExpr, table: &Table) -> Vec<String> {
    let mut found = Vec::new();
    let mut probe = expr.clone();
    collect_columns(&mut probe, table, &mut found);
    found
}

fn collect_columns(expr: &mut SqlExpr, table: &Table, found: &mut Vec<String>) {
    let name = match expr {
        SqlExpr::Identifier(ident) => Some(fold(ident)),
        SqlExpr::CompoundIdentifier(parts) => parts.last().map(fold),
        _ => None,
    };
    if let Some(name) = name {
        if table.column(&name).is_some() && !found.contains(&name) {
            found.push(name);
        }
        return;
    }
    for child in crate::canon::expr_children(expr) {
        if let crate::canon::Child::Expr(e) = child {
            collect_columns(e, table, found);
        }
    }
}
