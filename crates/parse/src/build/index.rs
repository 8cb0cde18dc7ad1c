//! CREATE INDEX on tables and materialized views.

use super::{Builder, expression, storage};
use crate::ParseError;
use crate::canon::derived_name;
use crate::ident::{fold, fold_column, fold_parts};
use crate::names::{choose_name, index_column_names, name_addition};
use crate::types::catalog_type_name;
use driftless_model::{DataType, Index, IndexKey, IndexPart, QualifiedName};
use sqlparser::ast::{CreateIndex, Expr as SqlExpr, Ident, IndexColumn, IndexType, OrderBySort};

impl Builder<'_> {
    pub(super) fn create_index(&mut self, create: CreateIndex) -> Result<(), ParseError> {
        if create.r#async {
            return Err(self.unsupported("CREATE INDEX ASYNC is not PostgreSQL"));
        }
        let table = self.qualify(&create.table_name)?;
        let on_materialized_view =
            self.db.schemas.get(&table.schema).and_then(|s| s.views.get(&table.name)).is_some_and(|v| v.materialized);
        if self.db.table(&table).is_none() && !on_materialized_view {
            return Err(self.invalid(&format!("table {table} is not declared before this statement")));
        }
        let method = match &create.using {
            None => "btree".to_string(),
            // a name, folded as names are (a quoted one keeps its quotes out)
            Some(IndexType::Custom(name)) => fold(name),
            Some(known) => known.to_string().to_lowercase(),
        };
        let parts = create
            .columns
            .iter()
            .map(|column| self.index_part(&table, &method, column))
            .collect::<Result<Vec<_>, _>>()?;
        let name = match &create.name {
            Some(name) => {
                let name = fold_parts(name).pop().unwrap_or_default();
                if self.relation_taken(&table.schema, &name) {
                    return if create.if_not_exists {
                        Ok(())
                    } else {
                        Err(self.invalid(&format!("relation {}.{name} is declared twice", table.schema)))
                    };
                }
                name
            }
            None => {
                let addition = implicit_name_addition(&create.columns, &create.include);
                choose_name(&table.name, addition.as_deref(), "idx", |c| self.relation_taken(&table.schema, c))
            }
        };
        let storage = storage::index_parameters(&create.with).map_err(|message| self.unsupported(&message))?;
        self.claim_relation(&table.schema, &name);
        let index = Index {
            name: name.clone(),
            unique: create.unique,
            method: method.into(),
            parts,
            include: create.include.iter().map(fold_column).collect(),
            predicate: create.predicate.as_ref().map(|p| expression(&p.to_string())),
            nulls_not_distinct: create.nulls_distinct == Some(false),
            storage,
            comment: None,
        };
        let schema = self.schema_mut(&table.schema);
        match schema.tables.get_mut(&table.name) {
            Some(existing) => existing.indexes.insert(index),
            None => schema.views.get_mut(&table.name).expect("checked above").indexes.insert(index),
        };
        Ok(())
    }

    /// One key: a plain column (also when written `(column)`), or an expression; the collation only when it
    /// is not the column's, the operator class only when it is not the type's default.
    pub(super) fn index_part(
        &self,
        table: &QualifiedName,
        method: &str,
        column: &IndexColumn,
    ) -> Result<IndexPart, ParseError> {
        let mut expr = &column.column.expr;
        let mut collation: Option<String> = None;
        loop {
            match expr {
                SqlExpr::Nested(inner) => expr = inner,
                SqlExpr::Collate { expr: inner, collation: name } if collation.is_none() => {
                    collation = fold_parts(name).pop();
                    expr = inner;
                }
                _ => break,
            }
        }
        let column_type_and_collation = match expr {
            SqlExpr::Identifier(ident) => {
                let name = fold(ident);
                match self.db.table(table).map(|t| t.column(&name)) {
                    Some(Some(c)) => Some((c.data_type.clone(), c.collation.clone())),
                    Some(None) => return Err(self.invalid(&format!("column {name} of {table} does not exist"))),
                    // columns of a materialized view are not known without running its query
                    None => Some((DataType::default(), None)),
                }
            }
            _ => None,
        };
        let key = match (expr, &column_type_and_collation) {
            (SqlExpr::Identifier(ident), Some(_)) => IndexKey::Column(fold_column(ident)),
            _ => IndexKey::Expression(expression(&expr.to_string())),
        };
        let (column_type, column_collation) = column_type_and_collation.unwrap_or_default();
        let descending = matches!(column.column.options.sort, Some(OrderBySort::Desc));
        let nulls_first = column.column.options.nulls_first.filter(|first| *first != descending);
        let opclass = column
            .operator_class
            .as_ref()
            .and_then(|name| fold_parts(name).pop())
            .filter(|opclass| !is_default_opclass(opclass, method, &column_type));
        Ok(IndexPart {
            key,
            descending,
            nulls_first,
            collation: collation.filter(|c| Some(c.as_str()) != column_collation.as_deref() && c != "default"),
            opclass,
        })
    }
}

/// What an implicit index name takes from the keys: their columns, or names derived from their expressions,
/// then the INCLUDE columns (`users_email_name_idx`).
pub(super) fn implicit_name_addition(keys: &[IndexColumn], include: &[Ident]) -> Option<String> {
    let key_names: Vec<Option<String>> = keys
        .iter()
        .map(|c| match &c.column.expr {
            SqlExpr::Identifier(ident) => Some(fold(ident)),
            expr => derived_name(expr),
        })
        .chain(include.iter().map(|i| Some(fold(i))))
        .collect();
    name_addition(&index_column_names(&key_names))
}

/// Whether an operator class is the one PostgreSQL picks for the type and method anyway (then it is not
/// stored): `<type>_ops` for the column's type (`text_ops` for `varchar` too, which borrows text's), and the
/// GIN defaults for arrays, jsonb and tsvector.
fn is_default_opclass(opclass: &str, method: &str, column_type: &DataType) -> bool {
    if column_type.as_str().is_empty() {
        return false;
    }
    let is_array = column_type.is_array();
    let catalog_name = catalog_type_name(column_type);
    match method {
        "gin" => {
            (is_array && opclass == "array_ops")
                || (column_type == "jsonb" && opclass == "jsonb_ops")
                || (column_type == "tsvector" && opclass == "tsvector_ops")
        }
        "btree" | "hash" if !is_array => {
            opclass == format!("{catalog_name}_ops") || (catalog_name == "varchar" && opclass == "text_ops")
        }
        "btree" | "hash" => opclass == "array_ops",
        _ => opclass == format!("{catalog_name}_ops"),
    }
}
