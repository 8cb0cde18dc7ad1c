//! PostgreSQL inspection from `pg_catalog`, normalized as docs/normalization.md describes.
//!
//! Every object family is read by one query over all requested schemas (`nspname = ANY($1)`), so the number
//! of statements is the same for 2 tables or 5,000: `BEGIN`, the `search_path` setting, the family queries
//! (schemas, extensions, relations, identity sequences, columns, constraints, operator classes, collations,
//! indexes, triggers, policies, sequences, enums, domains, functions, aggregates) and `COMMIT`. `information_schema` is avoided on
//! purpose: its views are several times slower on large catalogs and hide PostgreSQL-specific details the
//! model needs.
//!
//! The queries return catalog numbers (table oids, column numbers, operator class and collation oids) rather
//! than joining names in per key: the names are resolved here from rows already read, which at 5,000 tables
//! makes the constraint and index queries three times faster. Rows are decoded as they arrive.

mod aggregates;
mod domains;
mod indexes;
mod leftovers;
mod literals;
mod objects;
mod policies;
mod tables;

pub use leftovers::{Leftover, leftovers_postgres};
pub use literals::literal_output_forms;

use crate::InspectError;
use driftless_model::{Database, Dialect, Expr, QualifiedName, SequenceOptions, Server, Table, View};
use driftless_parse::canon;
use futures_util::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::postgres::types::Oid;
use sqlx::{Connection, PgConnection, Row};
use std::collections::HashMap;

/// Inspects the given schemas (those that exist) and the extensions installed in them.
/// `default_schema` is the one whose names are printed unqualified, as the parser does for the desired side.
///
/// The connection must not be inside a transaction: inspection runs in a read-only transaction of its own.
pub async fn inspect_postgres(
    conn: &mut PgConnection,
    schemas: &[String],
    default_schema: &str,
) -> Result<Database, InspectError> {
    let features = ServerFeatures::of(conn);
    let version = conn.server_version_num().map(|version| version.to_string());
    // One snapshot for all queries, so that the families agree with each other while other sessions run DDL.
    // The search_path is set for this transaction only: it is restored on commit, and also when an error or a
    // dropped future ends the transaction early. With standard_conforming_strings on (for this transaction
    // too), the catalog prints literals as the plan renders them ('a\b', not E'a\\b').
    let mut tx = conn.begin_with("begin isolation level repeatable read read only").await?;
    sqlx::query(
        "select set_config('search_path', quote_ident($1), true), \
         set_config('standard_conforming_strings', 'on', true)",
    )
    .bind(default_schema)
    .execute(&mut *tx)
    .await?;

    let mut database = Database::new(Dialect::Postgres);
    database.server = Server { default_schema: default_schema.to_string(), version };
    let catalog = &mut Catalog { conn: &mut tx, schemas };
    objects::read_schemas(catalog, &mut database).await?;
    objects::read_extensions(catalog, &mut database).await?;
    let relations = tables::read_relations(catalog, &mut database).await?;
    let columns = tables::read_columns(catalog, &relations, &mut database).await?;
    tables::read_constraints(catalog, features, &relations, &columns, &mut database).await?;
    indexes::read_indexes(catalog, features, &relations, &columns, &mut database).await?;
    tables::read_triggers(catalog, &relations, &mut database).await?;
    policies::read_policies(catalog, &relations, &mut database).await?;
    objects::read_sequences(catalog, &mut database).await?;
    objects::read_enums(catalog, &mut database).await?;
    domains::read_domains(catalog, default_schema, &mut database).await?;
    objects::read_functions(catalog, features, &mut database).await?;
    aggregates::read_aggregates(catalog, default_schema, &mut database).await?;

    tx.commit().await?;
    database.shrink_to_fit();
    Ok(database)
}

/// What the server's version offers beyond PostgreSQL 12, the oldest version supported.
#[derive(Debug, Clone, Copy)]
struct ServerFeatures {
    /// `UNIQUE NULLS NOT DISTINCT` and `pg_index.indnullsnotdistinct` (PostgreSQL 15).
    nulls_not_distinct: bool,
    /// SQL-standard routine bodies, `pg_proc.prosqlbody` (PostgreSQL 14).
    sql_bodies: bool,
}

impl ServerFeatures {
    fn of(conn: &PgConnection) -> Self {
        let version = conn.server_version_num().unwrap_or_default();
        ServerFeatures { nulls_not_distinct: version >= 150_000, sql_bodies: version >= 140_000 }
    }
}

/// The connection and the schemas every family query is filtered by.
struct Catalog<'c> {
    conn: &'c mut PgConnection,
    schemas: &'c [String],
}

impl Catalog<'_> {
    /// Runs one family query (`$1` is the array of requested schema names) and hands each row to `each` as it
    /// arrives, so that decoding overlaps the server producing the rest.
    async fn for_each_row(
        &mut self,
        family: &'static str,
        sql: &'static str,
        mut each: impl FnMut(PgRow) -> Result<(), InspectError>,
    ) -> Result<(), InspectError> {
        let mut rows = sqlx::query(sql).bind(self.schemas).fetch(&mut *self.conn);
        while let Some(row) = rows.try_next().await.map_err(|source| InspectError::Query { family, source })? {
            each(row)?;
        }
        Ok(())
    }
}

/// The tables, views and materialized views read, by oid: what the other families' rows point at.
#[derive(Default)]
struct Relations(HashMap<Oid, QualifiedName>);

impl Relations {
    fn name(&self, oid: Oid) -> Result<&QualifiedName, InspectError> {
        // all queries run in one snapshot, so a row pointing at no relation read is a bug, not a race
        self.0.get(&oid).ok_or_else(|| InspectError::Catalog(format!("no relation read for oid {}", oid.0)))
    }

    fn table<'d>(&self, oid: Oid, database: &'d mut Database) -> Result<&'d mut Table, InspectError> {
        let name = self.name(oid)?;
        database.table_mut(name).ok_or_else(|| InspectError::Catalog(format!("no table {name} for a catalog row")))
    }

    fn view<'d>(&self, oid: Oid, database: &'d mut Database) -> Result<&'d mut View, InspectError> {
        let name = self.name(oid)?;
        database
            .schemas
            .get_mut(&name.schema)
            .and_then(|schema| schema.views.get_mut(&name.name))
            .ok_or_else(|| InspectError::Catalog(format!("no view {name} for a catalog row")))
    }
}

/// A sequence's parameters from a row with `pg_sequence`'s columns under the model's names.
fn sequence_options(row: &PgRow) -> Result<SequenceOptions, InspectError> {
    Ok(SequenceOptions {
        data_type: row.try_get("data_type")?,
        start: row.try_get("start")?,
        increment: row.try_get("increment")?,
        min_value: row.try_get("min_value")?,
        max_value: row.try_get("max_value")?,
        cache: row.try_get("cache")?,
        cycle: row.try_get("cycle")?,
    })
}

/// An expression as the database printed it, with its canonical form.
fn expr(sql: String) -> Expr {
    let canonical = canon::expr(&sql);
    Expr::new(sql, canonical)
}

/// SQL joining an object's comment as `dsc.description` (`$catalog`: the object's catalog, `$oid`: its oid,
/// `$subid`: the column number for a column, else 0). A join, because `obj_description` and
/// `col_description` are SQL functions whose per-row call costs several times more on large catalogs.
macro_rules! left_join_comment {
    ($catalog:literal, $oid:literal, $subid:literal) => {
        concat!(
            " left join pg_description dsc on dsc.objoid = ",
            $oid,
            " and dsc.classoid = '",
            $catalog,
            "'::regclass and dsc.objsubid = ",
            $subid,
            " "
        )
    };
}
use left_join_comment;

/// SQL excluding objects owned by an extension (`$catalog`: the object's catalog, `$oid`: its oid).
macro_rules! not_owned_by_extension {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "not exists (select from pg_depend d where d.classid = '",
            $catalog,
            "'::regclass and d.objid = ",
            $oid,
            " and d.deptype = 'e')"
        )
    };
}
use not_owned_by_extension;

/// SQL that starts a query with `rel`: the tables (partitions among them), views and materialized views of the
/// requested schemas, less relations owned by an extension (the extension creates them, not the schema).
macro_rules! with_relations_in_scope {
    ($($sql:tt)+) => {
        concat!(
            "with rel as (
                select c.oid, n.nspname, c.relname, c.relkind, c.relispartition
                from pg_class c
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = any($1)
                  and c.relkind in ('r', 'p', 'v', 'm')
                  and ", $crate::postgres::not_owned_by_extension!("pg_class", "c.oid"), "
            ) ",
            $($sql)+
        )
    };
}
use with_relations_in_scope;

/// SQL printing a collation's name (`$coll`: a `pg_collation` alias, `$ns`: its `pg_namespace`), qualified
/// only when the search_path (the default schema and `pg_catalog`) does not reach it.
macro_rules! collation_name {
    ($coll:literal, $ns:literal) => {
        concat!(
            "case when pg_collation_is_visible(",
            $coll,
            ".oid) then ",
            $coll,
            ".collname::text else ",
            $ns,
            ".nspname || '.' || ",
            $coll,
            ".collname end"
        )
    };
}
use collation_name;
