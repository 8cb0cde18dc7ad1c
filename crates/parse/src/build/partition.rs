//! Partitioned tables: `PARTITION BY`, `PARTITION OF ... FOR VALUES`, and pg_dump's `ALTER TABLE ONLY parent
//! ATTACH PARTITION` and `ALTER INDEX ... ATTACH PARTITION`. Keys and bounds are kept as PostgreSQL prints them
//! (`pg_get_partkeydef`, `pg_get_expr(relpartbound)`). A partition's columns are its parent's: it holds them
//! while the file is read (its constraints and indexes name them), and gives them up at the end.

use super::Builder;
use crate::ParseError;
use crate::ident::fold;
use driftless_model::{PartitionOf, QualifiedName, partition_key_columns, quote_ident, quote_literal};
use sqlparser::ast::{
    Expr as SqlExpr, ForValues, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, PartitionBoundValue,
    UnaryOperator, Value,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::TokenWithSpan;

impl Builder<'_> {
    /// `RANGE (a, b)` as `pg_get_partkeydef` prints it; keys on expressions are refused.
    pub(super) fn partition_key(&self, table: &QualifiedName, by: &SqlExpr) -> Result<String, ParseError> {
        let refused = || {
            self.unsupported(
                "a partition key is RANGE, LIST or HASH over columns; expressions, collations and operator classes \
                 are not supported",
            )
        };
        let SqlExpr::Function(function) = by else { return Err(refused()) };
        let method = function.name.to_string().to_ascii_uppercase();
        if !matches!(method.as_str(), "RANGE" | "LIST" | "HASH") {
            return Err(refused());
        }
        let FunctionArguments::List(list) = &function.args else { return Err(refused()) };
        let mut columns = Vec::new();
        for arg in &list.args {
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(SqlExpr::Identifier(ident))) = arg else {
                return Err(refused());
            };
            let column = fold(ident);
            if self.db.table(table).and_then(|t| t.column(&column)).is_none() {
                return Err(self.invalid(&format!("partition key column {column} is not a column of {table}")));
            }
            columns.push(quote_ident(&column));
        }
        if columns.is_empty() || !list.clauses.is_empty() || list.duplicate_treatment.is_some() {
            return Err(refused());
        }
        Ok(format!("{method} ({})", columns.join(", ")))
    }

    /// Makes `partition` a partition of `parent`, which must be partitioned already.
    pub(super) fn set_partition_of(
        &mut self,
        partition: &QualifiedName,
        parent: &QualifiedName,
        for_values: &ForValues,
    ) -> Result<(), ParseError> {
        let Some(key) = self.db.table(parent).map(|t| t.partition_key.clone()) else {
            return Err(self.invalid(&format!("table {parent} is not declared before this statement")));
        };
        let Some(key) = key else {
            return Err(self.invalid(&format!("table {parent} is not partitioned (it has no PARTITION BY)")));
        };
        if let Some(of) = &self.db.table(partition).and_then(|t| t.partition_of.clone()) {
            return Err(self.invalid(&format!("table {partition} is a partition of {} already", of.parent)));
        }
        let bound = self.partition_bound(parent, &key, for_values)?;
        let partition_of = PartitionOf { parent: parent.clone(), bound };
        if let Some(statement) = self.current.clone() {
            self.partition_statements.push((partition.clone(), statement));
        }
        self.db.table_mut(partition).expect("the partition was looked up before").partition_of = Some(partition_of);
        Ok(())
    }

    /// The bound as `pg_get_expr` prints it: each value as the constant of its key column's type would print
    /// (`integer` bare unless negative, `numeric` bare when it has a point or exponent, `boolean` bare, every
    /// other type quoted), casts dropped. A date or time literal is kept as written: the server prints it in
    /// its own format (and time zone), so it must be written that way, as pg_dump does.
    fn partition_bound(&self, parent: &QualifiedName, key: &str, for_values: &ForValues) -> Result<String, ParseError> {
        let key_types: Vec<String> = partition_key_columns(key)
            .iter()
            .map(|column| {
                self.db.table(parent).and_then(|t| t.column(column)).map_or(String::new(), |c| c.data_type.to_string())
            })
            .collect();
        let value = |index: usize, expr: &SqlExpr| -> Result<String, ParseError> {
            let data_type = key_types.get(index).map_or("", String::as_str);
            self.bound_value(data_type, expr)
        };
        let range = |values: &[PartitionBoundValue]| -> Result<String, ParseError> {
            let printed = values
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    PartitionBoundValue::MinValue => Ok("MINVALUE".to_string()),
                    PartitionBoundValue::MaxValue => Ok("MAXVALUE".to_string()),
                    PartitionBoundValue::Expr(expr) => value(i, expr),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(printed.join(", "))
        };
        let method = key.split(' ').next().unwrap_or_default();
        let mismatch =
            |form: &str| Err(self.invalid(&format!("a {method} partition's bound is not FOR VALUES {form}")));
        Ok(match for_values {
            ForValues::Default if method == "HASH" => {
                return Err(self.invalid("a hash-partitioned table cannot have a default partition"));
            }
            ForValues::Default => "DEFAULT".to_string(),
            ForValues::In(values) if method == "LIST" => {
                let printed = values.iter().map(|v| value(0, v)).collect::<Result<Vec<_>, _>>()?;
                format!("FOR VALUES IN ({})", printed.join(", "))
            }
            ForValues::From { from, to } if method == "RANGE" => {
                if from.len() != key_types.len() || to.len() != key_types.len() {
                    return Err(self.invalid(&format!("a range bound has one value per key column ({key})")));
                }
                format!("FOR VALUES FROM ({}) TO ({})", range(from)?, range(to)?)
            }
            ForValues::With { modulus, remainder } if method == "HASH" => {
                format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})")
            }
            ForValues::In(_) => return mismatch("IN (...)"),
            ForValues::From { .. } => return mismatch("FROM (...) TO (...)"),
            ForValues::With { .. } => return mismatch("WITH (modulus, remainder)"),
        })
    }

    fn bound_value(&self, data_type: &str, expr: &SqlExpr) -> Result<String, ParseError> {
        let text = match expr {
            SqlExpr::Cast { expr, .. } | SqlExpr::Nested(expr) => return self.bound_value(data_type, expr),
            SqlExpr::Value(value) => match &value.value {
                Value::Null => return Ok("NULL".to_string()),
                Value::Boolean(b) => b.to_string(),
                Value::Number(n, _) => n.clone(),
                Value::SingleQuotedString(s) => s.clone(),
                _ => return Err(self.unsupported(&format!("partition bound value {expr} is not supported"))),
            },
            SqlExpr::UnaryOp { op: UnaryOperator::Minus, expr } => match expr.as_ref() {
                SqlExpr::Value(value) if matches!(value.value, Value::Number(..)) => format!("-{}", value.value),
                _ => return Err(self.unsupported(&format!("partition bound value -{expr} is not supported"))),
            },
            _ => {
                return Err(self.unsupported(&format!(
                    "partition bound value {expr} is not supported; write a literal, as the server prints it"
                )));
            }
        };
        let bare = match data_type {
            "integer" => text.parse::<i32>().is_ok_and(|n| n >= 0),
            "numeric" => text.starts_with(|c: char| c.is_ascii_digit()) && text.contains(['.', 'e', 'E']),
            "boolean" => matches!(text.as_str(), "true" | "false"),
            _ => false,
        };
        Ok(if bare { text } else { quote_literal(&text) })
    }

    /// `ALTER TABLE [ONLY] parent ATTACH PARTITION p FOR VALUES ...` (pg_dump's form).
    pub(super) fn attach_partition(
        &mut self,
        parent: &QualifiedName,
        partition: &ObjectName,
        for_values: &ForValues,
    ) -> Result<(), ParseError> {
        let partition = self.qualify(partition)?;
        if self.db.table(&partition).is_none() {
            return Err(self.invalid(&format!("table {partition} is not declared before this statement")));
        }
        self.set_partition_of(&partition, parent, for_values)
    }

    /// `ALTER INDEX parent_idx ATTACH PARTITION p_idx`: the partition's index (or the one backing its key) is
    /// its copy of the parent's, which the parent's declaration already stands for, so it leaves the model.
    pub(super) fn attach_index(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let (parent_index, index) = self.parse_with(tokens, |parser| {
            parser.expect_keywords(&[Keyword::ALTER, Keyword::INDEX])?;
            let parent_index = parser.parse_object_name(false)?;
            parser.expect_keywords(&[Keyword::ATTACH, Keyword::PARTITION])?;
            Ok((parent_index, parser.parse_object_name(false)?))
        })?;
        let parent_index = self.qualify(&parent_index)?;
        let index = self.qualify(&index)?;
        let holder = |name: &QualifiedName| {
            let schema = self.db.schemas.get(&name.schema)?;
            schema.tables.values().find(|t| t.relation_names().any(|n| n == name.name)).map(|t| t.name.clone())
        };
        let Some(parent) = holder(&parent_index) else {
            return Err(self.invalid(&format!("index {parent_index} is not declared before this statement")));
        };
        let Some(table) = holder(&index) else {
            return Err(self.invalid(&format!("index {index} is not declared before this statement")));
        };
        let partition_of = self.db.table(&table).and_then(|t| t.partition_of.as_ref()).map(|of| &of.parent);
        if partition_of != Some(&parent) {
            return Err(self.invalid(&format!("table {table} of index {index} is not a partition of {parent}")));
        }
        let table = self.db.table_mut(&table).expect("the table was looked up before");
        if table.primary_key.as_ref().is_some_and(|key| key.name == index.name) {
            table.primary_key = None;
        }
        table.uniques.remove(&index.name);
        table.indexes.remove(&index.name);
        Ok(())
    }

    /// Once every statement is read, each partition gives up its columns, which must be its parent's: a
    /// column of its own, or one whose type, default or NOT NULL differs, is refused rather than lost.
    pub(super) fn settle_partitions(&mut self) -> Result<(), ParseError> {
        let partitions = std::mem::take(&mut self.partition_statements);
        for (name, statement) in &partitions {
            self.current = Some(statement.clone());
            let table = self.db.table(name).expect("partitions were listed from the model");
            let parent = table.partition_of.as_ref().expect("a listed partition has a parent").parent.clone();
            let parent_columns = self.db.table(&parent).map(|t| t.columns.clone()).unwrap_or_default();
            if let Some(missing) = parent_columns.iter().find(|c| table.column(&c.name).is_none()) {
                return Err(
                    self.invalid(&format!("partition {name} has no column {} of its parent {parent}", missing.name))
                );
            }
            for column in &table.columns {
                let inherited = parent_columns.iter().find(|c| c.name == column.name);
                let differs = inherited.is_none_or(|p| {
                    p.data_type != column.data_type
                        || p.default != column.default
                        || (p.nullable && !column.nullable)
                        || p.collation != column.collation
                });
                if differs {
                    return Err(self.invalid(&format!(
                        "column {} of partition {name} is not its parent's: a partition takes its columns from \
                         {parent}, and columns of its own, or other types, defaults or NOT NULL, are not supported",
                        column.name
                    )));
                }
            }
        }
        for (name, _) in &partitions {
            self.db.table_mut(name).expect("partitions were listed from the model").columns.clear();
        }
        Ok(())
    }
}
