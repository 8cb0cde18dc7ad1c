//! Indexes of tables and materialized views that do not back a key, and exclusion constraints (whose keys
//! are their index's).

use super::tables::{Columns, deferrable};
use super::{Catalog, Relations, ServerFeatures, collation_name, expr, left_join_comment, with_relations_in_scope};
use crate::InspectError;
use driftless_model::{
    CompactString, Database, Exclusion, ExclusionElement, Index, IndexKey, IndexPart, StorageParameters,
};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::postgres::types::Oid;
use std::collections::HashMap;

/// Operator classes that are not the default for their type, by oid, named as an index definition prints
/// them (qualified only when the search_path does not reach them). A key with a default operator class
/// prints none.
const OPERATOR_CLASSES: &str = "select oc.oid,
        case when pg_opclass_is_visible(oc.oid) then oc.opcname::text else n.nspname || '.' || oc.opcname end
            as name
    from pg_opclass oc
    join pg_namespace n on n.oid = oc.opcnamespace
    where not oc.opcdefault";

/// Collations by oid, named as a column or index definition prints them.
const COLLATIONS: &str = concat!(
    "select co.oid, ",
    collation_name!("co", "n"),
    " as name
    from pg_collation co
    join pg_namespace n on n.oid = co.collnamespace"
);

/// One row per index, its keys as the catalog's per-key vectors (`indkey` holds the key columns then the
/// included ones, 0 for an expression; `indoption`, `indclass` and `indcollation` cover the keys only),
/// sliced with `[:]` so that they start at 1 like other arrays rather than at 0.
/// Expression keys have no column to name them: their text comes from `pg_get_indexdef`, asked for only for
/// indexes that have one, since it costs a catalog lookup per call. A partition's index attached to its parent's
/// is the parent's index there, and left out. The index of an exclusion constraint comes with the constraint's
/// name and operators, and becomes the constraint.
macro_rules! indexes_query {
    ($nulls_not_distinct:literal) => {
        with_relations_in_scope!(
            "select i.indrelid as table_oid, r.relkind::text as relation_kind,
                ic.relname::text as name, i.indisunique as is_unique, am.amname::text as method,
                i.indnkeyatts::int2 as key_count, (i.indkey::int2[])[:] as columns,
                (i.indoption::int2[])[:] as options, (i.indclass::oid[])[:] as operator_classes,
                (i.indcollation::oid[])[:] as collations,
                case when 0 = any(i.indkey::int2[]) then array(
                    select pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts) k order by k
                ) end as key_definitions,
                case when 0 = any(i.indkey::int2[]) then pg_get_indexdef(i.indexrelid, 0, true) end as definition,
                pg_get_expr(i.indpred, i.indrelid) as predicate,
                coalesce(ic.reloptions, '{}') as storage,
                ",
            $nulls_not_distinct,
            " as nulls_not_distinct,
                dsc.description as comment,
                xc.conname::text as exclusion_name,
                case when xc.oid is not null then array(
                    select case when pg_operator_is_visible(o.oid) then o.oprname::text
                        else 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')' end
                    from unnest(xc.conexclop) with ordinality x(operator, position)
                    join pg_operator o on o.oid = x.operator
                    join pg_namespace opn on opn.oid = o.oprnamespace
                    order by x.position
                ) end as exclusion_operators,
                coalesce(xc.condeferrable, false) as deferrable, coalesce(xc.condeferred, false) as deferred,
                xdsc.description as exclusion_comment
            from rel r
            join pg_index i on i.indrelid = r.oid
            join pg_class ic on ic.oid = i.indexrelid
            join pg_am am on am.oid = ic.relam
            left join pg_constraint xc
                on xc.conindid = i.indexrelid and xc.conrelid = i.indrelid and xc.contype = 'x'
            left join pg_description xdsc
                on xdsc.objoid = xc.oid and xdsc.classoid = 'pg_constraint'::regclass and xdsc.objsubid = 0",
            left_join_comment!("pg_class", "i.indexrelid", "0"),
            "where r.relkind in ('r', 'p', 'm')
              and not exists (select from pg_inherits ih where ih.inhrelid = i.indexrelid)
              and not exists (
                  select from pg_constraint c
                  where c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u')
              )"
        )
    };
}
const INDEXES: &str = indexes_query!("false");
const INDEXES_PG15: &str = indexes_query!("i.indnullsnotdistinct");

/// `pg_index.indoption` bits (PostgreSQL's `INDOPTION_DESC` and `INDOPTION_NULLS_FIRST`).
const INDOPTION_DESC: i16 = 0x01;
const INDOPTION_NULLS_FIRST: i16 = 0x02;

/// Names of catalog objects by oid, read once per inspection.
type Names = HashMap<Oid, String>;

async fn read_names(catalog: &mut Catalog<'_>, family: &'static str, sql: &'static str) -> Result<Names, InspectError> {
    let mut names = Names::new();
    catalog
        .for_each_row(family, sql, |row| {
            names.insert(row.try_get("oid")?, row.try_get("name")?);
            Ok(())
        })
        .await?;
    Ok(names)
}

pub(super) async fn read_indexes(
    catalog: &mut Catalog<'_>,
    features: ServerFeatures,
    relations: &Relations,
    columns: &Columns,
    database: &mut Database,
) -> Result<(), InspectError> {
    let operator_classes = read_names(catalog, "operator classes", OPERATOR_CLASSES).await?;
    let collations = read_names(catalog, "collations", COLLATIONS).await?;
    let keys = KeyNames { columns, operator_classes: &operator_classes, collations: &collations };
    let sql = if features.nulls_not_distinct { INDEXES_PG15 } else { INDEXES };
    catalog
        .for_each_row("indexes", sql, |row| {
            let table: Oid = row.try_get("table_oid")?;
            let (parts, include) = keys.parts(table, &row)?;
            if let Some(name) = row.try_get::<Option<String>, _>("exclusion_name")? {
                let operators: Vec<String> =
                    row.try_get::<Option<Vec<String>>, _>("exclusion_operators")?.unwrap_or_default();
                if operators.len() != parts.len() {
                    return Err(InspectError::Catalog(format!(
                        "exclusion constraint {name} has {} operators for {} keys",
                        operators.len(),
                        parts.len()
                    )));
                }
                let exclusion = Exclusion {
                    comment: row.try_get("exclusion_comment")?,
                    name,
                    method: row.try_get::<String, _>("method")?.into(),
                    elements: parts
                        .into_iter()
                        .zip(operators)
                        .map(|(part, operator)| ExclusionElement { part, operator })
                        .collect(),
                    include,
                    predicate: row.try_get::<Option<String>, _>("predicate")?.map(expr),
                    deferrable: deferrable(row.try_get("deferrable")?, row.try_get("deferred")?),
                };
                relations.table(table, database)?.exclusions.insert(exclusion);
                return Ok(());
            }
            let index = Index {
                name: row.try_get("name")?,
                unique: row.try_get("is_unique")?,
                method: row.try_get("method")?,
                parts,
                include,
                predicate: row.try_get::<Option<String>, _>("predicate")?.map(expr),
                nulls_not_distinct: row.try_get("nulls_not_distinct")?,
                storage: StorageParameters::new(row.try_get("storage")?),
                comment: row.try_get("comment")?,
            };
            let indexes = if row.try_get::<String, _>("relation_kind")? == "m" {
                &mut relations.view(table, database)?.indexes
            } else {
                &mut relations.table(table, database)?.indexes
            };
            indexes.insert(index);
            Ok(())
        })
        .await
}

/// What an index row's numbers resolve to.
struct KeyNames<'a> {
    columns: &'a Columns,
    operator_classes: &'a Names,
    collations: &'a Names,
}

impl KeyNames<'_> {
    /// The key parts and the included columns of an index row.
    fn parts(&self, table: Oid, row: &PgRow) -> Result<(Vec<IndexPart>, Vec<CompactString>), InspectError> {
        let name = || row.try_get::<String, _>("name").unwrap_or_default();
        let key_count = usize::try_from(row.try_get::<i16, _>("key_count")?).unwrap_or_default();
        let columns: Vec<i16> = row.try_get("columns")?;
        let options: Vec<i16> = row.try_get("options")?;
        let operator_classes: Vec<Oid> = row.try_get("operator_classes")?;
        let collations: Vec<Oid> = row.try_get("collations")?;
        let definitions: Option<Vec<String>> = row.try_get("key_definitions")?;
        let definition: Option<String> = row.try_get("definition")?;
        if columns.len() < key_count || [options.len(), operator_classes.len(), collations.len()] != [key_count; 3] {
            return Err(InspectError::Catalog(format!("index {} has key vectors of different lengths", name())));
        }
        let mut parts = Vec::with_capacity(key_count);
        for position in 0..key_count {
            let (key, collation) = match columns[position] {
                0 => {
                    let Some(text) = definitions.as_ref().and_then(|d| d.get(position)) else {
                        return Err(InspectError::Catalog(format!("index {} has no expression text", name())));
                    };
                    // An expression's own collation is not in the catalog; the index definition prints
                    // `COLLATE` after the key exactly when the index's collation differs from it.
                    let explicit = definition.as_deref().is_some_and(|d| d.contains(&format!("{text} COLLATE ")));
                    let collation = explicit.then(|| self.collation(collations[position])).transpose()?.flatten();
                    (IndexKey::Expression(expr(text.clone())), collation)
                }
                number => {
                    let column = self.columns.get(table, number)?;
                    let collation = collations[position];
                    let collation = if collation == column.collation { None } else { self.collation(collation)? };
                    (IndexKey::Column(column.name.clone()), collation)
                }
            };
            let descending = options[position] & INDOPTION_DESC != 0;
            let nulls_first = options[position] & INDOPTION_NULLS_FIRST != 0;
            parts.push(IndexPart {
                key,
                descending,
                // NULLS FIRST is the default for descending keys and NULLS LAST for ascending ones.
                nulls_first: (nulls_first != descending).then_some(nulls_first),
                collation,
                opclass: self.operator_classes.get(&operator_classes[position]).cloned(),
            });
        }
        let include = self.columns.names(table, &columns[key_count..])?;
        Ok((parts, include))
    }

    /// The name of a key's collation; none for oid 0 (a type without collation).
    fn collation(&self, oid: Oid) -> Result<Option<String>, InspectError> {
        if oid.0 == 0 {
            return Ok(None);
        }
        match self.collations.get(&oid) {
            Some(name) => Ok(Some(name.clone())),
            None => Err(InspectError::Catalog(format!("no collation of oid {}", oid.0))),
        }
    }
}
