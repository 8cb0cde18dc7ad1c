//! CREATE [OR REPLACE] [MATERIALIZED] VIEW.

use super::{Builder, storage};
use crate::ParseError;
use crate::canon;
use crate::ident::fold;
use driftless_model::{Expr, View};
use sqlparser::ast::{CreateTableOptions, CreateView, Query, SelectItem, SetExpr};

impl Builder<'_> {
    pub(super) fn create_view(&mut self, create: CreateView) -> Result<(), ParseError> {
        if create.temporary {
            return Err(self.unsupported("temporary views are not part of a schema"));
        }
        let refused = [
            (create.or_alter, "CREATE OR ALTER VIEW is not PostgreSQL"),
            (create.secure, "SECURE views are not PostgreSQL"),
            (!create.cluster_by.is_empty(), "CLUSTER BY is not PostgreSQL"),
            (create.comment.is_some(), "a view's COMMENT = is not PostgreSQL; use COMMENT ON VIEW"),
            (create.with_no_schema_binding, "WITH NO SCHEMA BINDING is not PostgreSQL"),
            (create.copy_grants, "COPY GRANTS is not PostgreSQL"),
            (create.to.is_some(), "CREATE VIEW ... TO is not PostgreSQL"),
            (create.params.is_some(), "ALGORITHM, DEFINER and SQL SECURITY are not PostgreSQL"),
        ];
        if let Some((_, reason)) = refused.iter().find(|(refused, _)| *refused) {
            return Err(self.unsupported(reason));
        }
        let options = match &create.options {
            CreateTableOptions::None => Default::default(),
            CreateTableOptions::With(options) => {
                storage::table_parameters(options).map_err(|message| self.unsupported(&message))?
            }
            other => return Err(self.unsupported(&format!("`{other}` is not a PostgreSQL view option"))),
        };
        let name = self.qualify(&create.name)?;
        let mut query = *create.query;
        if !create.columns.is_empty() {
            let columns: Vec<String> = create.columns.iter().map(|c| fold(&c.name)).collect();
            self.name_output_columns(&mut query, &columns)?;
        }
        let sql = query.to_string();
        let view = View {
            name: name.clone(),
            query: Expr::new(&sql, canon::query(&sql)),
            materialized: create.materialized,
            indexes: Default::default(),
            triggers: Default::default(),
            comment: None,
            options,
        };
        let existing = self.db.schemas.get(&name.schema).and_then(|s| s.views.get(&name.name));
        match existing {
            Some(existing) if create.or_replace && existing.materialized == create.materialized => {
                let comment = existing.comment.clone();
                self.schema_mut(&name.schema).views.insert(name.name.clone(), View { comment, ..view });
                return Ok(());
            }
            _ if self.relation_taken(&name.schema, &name.name) => {
                return if create.if_not_exists {
                    Ok(())
                } else {
                    Err(self.invalid(&format!("relation {name} is declared twice")))
                };
            }
            _ => {}
        }
        self.claim_new_relation(&name)?;
        self.schema_mut(&name.schema).views.insert(name.name.clone(), view);
        Ok(())
    }

    /// `CREATE VIEW v (a, b) AS SELECT x, y ...` is stored as `SELECT x AS a, y AS b ...`, which is how
    /// PostgreSQL prints it back.
    fn name_output_columns(&self, query: &mut Query, columns: &[String]) -> Result<(), ParseError> {
        let mut body = query.body.as_mut();
        // the output columns of a set operation are those of its first branch
        while let SetExpr::SetOperation { left, .. } = body {
            body = left.as_mut();
        }
        let SetExpr::Select(select) = body else {
            return Err(self.unsupported("a view column list needs a SELECT to name the columns of"));
        };
        if columns.len() > select.projection.len() {
            return Err(self.invalid("the view names more columns than its query has"));
        }
        for (item, column) in select.projection.iter_mut().zip(columns) {
            let expr = match std::mem::replace(item, SelectItem::Wildcard(Default::default())) {
                SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => expr,
                _ => return Err(self.unsupported("a view column list cannot name the columns of `*`")),
            };
            *item = SelectItem::ExprWithAlias { expr, alias: crate::ident::printable(column) };
        }
        Ok(())
    }
}
