//! Tables and views with what hangs off them: columns, constraints, indexes and triggers.

use super::{Catalog, ServerFeatures, collation_name, expr, left_join_comment, with_relations_in_scope};
use crate::InspectError;
use driftless_model::{
    Check, Column, Database, Deferrable, Expr, ForeignKey, Identity, Index, IndexKey, IndexPart, PrimaryKey,
    QualifiedName, ReferentialAction, SequenceOptions, Table, Trigger, TriggerEvent, TriggerTiming, UniqueConstraint,
    View,
};
use driftless_parse::canon;
use sqlx::Row;
use sqlx::postgres::PgRow;

const RELATIONS: &str = with_relations_in_scope!(
    "select r.nspname::text as schema, r.relname::text as name, r.relkind::text as kind,
        dsc.description as comment,
        case when r.relkind in ('v', 'm') then pg_get_viewdef(r.oid, true) end as definition
    from rel r",
    left_join_comment!("pg_class", "r.oid", "0")
);

pub(super) async fn read_relations(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    for row in catalog.fetch("relations", RELATIONS).await? {
        let name = QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?);
        let kind: String = row.try_get("kind")?;
        let comment: Option<String> = row.try_get("comment")?;
        let schema = database.schema_mut(&name.schema);
        match kind.as_str() {
            "r" | "p" => {
                schema.tables.insert(name.name.clone(), Table { comment, ..Table::new(name) });
            }
            "v" | "m" => {
                let definition: String = row.try_get("definition")?;
                let view = View {
                    query: view_query(&definition),
                    materialized: kind == "m",
                    indexes: Default::default(),
                    comment,
                    name,
                };
                schema.views.insert(view.name.name.clone(), view);
            }
            other => return Err(InspectError::Catalog(format!("relation {name} has unexpected relkind {other}"))),
        }
    }
    Ok(())
}

/// `pg_get_viewdef` ends the query with `;` and indents it; the model holds the query alone.
fn view_query(definition: &str) -> Expr {
    let sql = definition.trim().trim_end_matches(';').trim_end().to_string();
    let canonical = canon::query(&sql);
    Expr::new(sql, canonical)
}

/// Columns in `attnum` order. The identity sequence joins through its internal dependency on the column
/// (`deptype 'i'`), looked up only for identity columns: the condition on `attidentity` inside the lateral
/// subquery lets the planner skip the lookup for every other column.
const COLUMNS: &str = with_relations_in_scope!(
    "select r.nspname::text as schema, r.relname::text as table_name, a.attname::text as name,
        format_type(a.atttypid, a.atttypmod) as data_type,
        a.attnotnull as not_null,
        case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default_expr,
        case when a.attgenerated = 's' then pg_get_expr(ad.adbin, ad.adrelid) end as generated_expr,
        a.attidentity::text as identity,
        ",
    collation_name!("co", "cn"),
    " as collation,
        dsc.description as comment,
        format_type(s.seqtypid, null) as identity_type,
        s.seqstart as identity_start, s.seqincrement as identity_increment,
        s.seqmin as identity_min, s.seqmax as identity_max,
        s.seqcache as identity_cache, s.seqcycle as identity_cycle
    from rel r
    join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
    join pg_type t on t.oid = a.atttypid
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum",
    left_join_comment!("pg_class", "a.attrelid", "a.attnum"),
    "left join (pg_collation co join pg_namespace cn on cn.oid = co.collnamespace)
        on co.oid = a.attcollation and a.attcollation <> t.typcollation
    left join lateral (
        select s.*
        from pg_depend id
        join pg_sequence s on s.seqrelid = id.objid
        where a.attidentity <> ''
          and id.classid = 'pg_class'::regclass and id.refclassid = 'pg_class'::regclass
          and id.refobjid = a.attrelid and id.refobjsubid = a.attnum and id.deptype = 'i'
    ) s on true
    where r.relkind in ('r', 'p')
    order by r.oid, a.attnum"
);

/// `DEFAULT NULL` is no default: PostgreSQL still stores it (as `NULL::character varying` on a varchar column),
/// while the parser, like the column's behaviour, treats it as none.
fn is_null(default: &Expr) -> bool {
    default.canonical.eq_ignore_ascii_case("null")
}

pub(super) async fn read_columns(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    for row in catalog.fetch("columns", COLUMNS).await? {
        let column = Column {
            name: row.try_get("name")?,
            data_type: row.try_get("data_type")?,
            nullable: !row.try_get::<bool, _>("not_null")?,
            default: row.try_get::<Option<String>, _>("default_expr")?.map(expr).filter(|d| !is_null(d)),
            identity: column_identity(&row)?,
            generated: row.try_get::<Option<String>, _>("generated_expr")?.map(expr),
            // PostgreSQL before 18 stores every generated column; only those are read
            generated_virtual: false,
            collation: row.try_get("collation")?,
            comment: row.try_get("comment")?,
        };
        table_of(&row, database)?.columns.push(column);
    }
    Ok(())
}

fn column_identity(row: &PgRow) -> Result<Option<Identity>, InspectError> {
    let always = match row.try_get::<String, _>("identity")?.as_str() {
        "" => return Ok(None),
        "a" => true,
        "d" => false,
        other => return Err(InspectError::Catalog(format!("unknown attidentity {other}"))),
    };
    let Some(data_type) = row.try_get::<Option<String>, _>("identity_type")? else {
        let column: String = row.try_get("name")?;
        return Err(InspectError::Catalog(format!("identity column {column} has no identity sequence")));
    };
    let sequence = SequenceOptions {
        data_type,
        start: row.try_get("identity_start")?,
        increment: row.try_get("identity_increment")?,
        min_value: row.try_get("identity_min")?,
        max_value: row.try_get("identity_max")?,
        cache: row.try_get("identity_cache")?,
        cycle: row.try_get("identity_cycle")?,
    };
    Ok(Some(Identity { always, sequence }))
}

/// Primary key, unique, foreign key and check constraints. Exclusion constraints and constraint triggers have
/// no place in the model and are left out.
macro_rules! constraints_query {
    ($nulls_not_distinct:literal) => {
        with_relations_in_scope!(
            "select r.nspname::text as schema, r.relname::text as table_name, c.conname::text as name,
                c.contype::text as kind, coalesce(key.columns, '{}') as columns,
                fn.nspname::text as ref_schema, f.relname::text as ref_table,
                coalesce(ref.columns, '{}') as ref_columns,
                c.confupdtype::text as on_update, c.confdeltype::text as on_delete,
                c.condeferrable as deferrable, c.condeferred as deferred,
                pg_get_expr(c.conbin, c.conrelid) as check_expr, c.connoinherit as no_inherit,
                coalesce(",
            $nulls_not_distinct,
            ", false) as nulls_not_distinct
            from rel r
            join pg_constraint c on c.conrelid = r.oid
            cross join lateral (
                select array_agg(a.attname::text order by k.position) as columns
                from unnest(c.conkey) with ordinality k(attnum, position)
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
            ) key
            cross join lateral (
                select array_agg(a.attname::text order by k.position) as columns
                from unnest(c.confkey) with ordinality k(attnum, position)
                join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
            ) ref
            left join (pg_class f join pg_namespace fn on fn.oid = f.relnamespace) on f.oid = c.confrelid
            left join pg_index i on i.indexrelid = c.conindid and c.contype = 'u'
            where r.relkind in ('r', 'p') and c.contype in ('p', 'u', 'f', 'c')"
        )
    };
}
const CONSTRAINTS: &str = constraints_query!("null::bool");
const CONSTRAINTS_PG15: &str = constraints_query!("i.indnullsnotdistinct");

pub(super) async fn read_constraints(
    catalog: &mut Catalog<'_>,
    features: ServerFeatures,
    database: &mut Database,
) -> Result<(), InspectError> {
    let sql = if features.nulls_not_distinct { CONSTRAINTS_PG15 } else { CONSTRAINTS };
    for row in catalog.fetch("constraints", sql).await? {
        let name: String = row.try_get("name")?;
        let columns: Vec<String> = row.try_get("columns")?;
        let deferrable = deferrable(row.try_get("deferrable")?, row.try_get("deferred")?);
        let table = table_of(&row, database)?;
        match row.try_get::<String, _>("kind")?.as_str() {
            "p" => table.primary_key = Some(PrimaryKey { name, columns }),
            "u" => {
                let nulls_not_distinct = row.try_get("nulls_not_distinct")?;
                let unique = UniqueConstraint { name: name.clone(), columns, nulls_not_distinct, deferrable };
                table.uniques.insert(name, unique);
            }
            "f" => {
                let foreign_key = ForeignKey {
                    name: name.clone(),
                    columns,
                    ref_table: QualifiedName::new(
                        row.try_get::<String, _>("ref_schema")?,
                        row.try_get::<String, _>("ref_table")?,
                    ),
                    ref_columns: row.try_get("ref_columns")?,
                    on_delete: referential_action(&row.try_get::<String, _>("on_delete")?)?,
                    on_update: referential_action(&row.try_get::<String, _>("on_update")?)?,
                    deferrable,
                };
                table.foreign_keys.insert(name, foreign_key);
            }
            "c" => {
                let check = Check {
                    name: name.clone(),
                    expr: expr(row.try_get("check_expr")?),
                    no_inherit: row.try_get("no_inherit")?,
                };
                table.checks.insert(name, check);
            }
            other => return Err(InspectError::Catalog(format!("constraint {name} has unexpected contype {other}"))),
        }
    }
    Ok(())
}

fn deferrable(deferrable: bool, initially_deferred: bool) -> Deferrable {
    match (deferrable, initially_deferred) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    }
}

/// `pg_constraint.confupdtype`/`confdeltype` codes.
fn referential_action(code: &str) -> Result<ReferentialAction, InspectError> {
    Ok(match code {
        "a" => ReferentialAction::NoAction,
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        other => return Err(InspectError::Catalog(format!("unknown referential action code {other}"))),
    })
}

/// Indexes of tables and materialized views that do not back a constraint, one row per index with per-key
/// arrays (`pg_index.indkey`, `indoption`, `indclass` and `indcollation` are 0-based vectors, key positions
/// 1-based). A column key's collation is reported when it differs from the column's. An expression key's
/// natural collation (the expression's own) is not in the catalog; PostgreSQL prints `COLLATE` after the key in
/// the whole index definition exactly when the index's collation differs from it, so that text decides.
/// `idx` is materialized so that the indexes backing constraints are dropped before the per-key work, which
/// the planner would otherwise do first for every index.
macro_rules! indexes_query {
    ($nulls_not_distinct:literal) => {
        with_relations_in_scope!(
            ", idx as materialized (
                select r.nspname, r.relname, r.relkind, i.*
                from rel r
                join pg_index i on i.indrelid = r.oid
                where r.relkind in ('r', 'p', 'm')
                  and not exists (
                      select from pg_constraint c
                      where c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u', 'x')
                  )
            )
            select i.nspname::text as schema, i.relname::text as table_name, i.relkind::text as relation_kind,
                ic.relname::text as name, i.indisunique as is_unique, am.amname::text as method,
                keys.columns as key_columns, keys.definitions as key_definitions, keys.options as key_options,
                keys.opclasses as key_opclasses, keys.collations as key_collations,
                coalesce(included.columns, '{}') as include,
                pg_get_expr(i.indpred, i.indrelid) as predicate,
                ",
            $nulls_not_distinct,
            " as nulls_not_distinct,
                dsc.description as comment
            from idx i
            join pg_class ic on ic.oid = i.indexrelid
            join pg_am am on am.oid = ic.relam
            cross join lateral (
                select
                    array_agg(a.attname::text order by k) as columns,
                    array_agg(pg_get_indexdef(i.indexrelid, k, true) order by k) as definitions,
                    array_agg(i.indoption[k - 1] order by k) as options,
                    array_agg(
                        case
                            when oc.opcdefault then null
                            when pg_opclass_is_visible(oc.oid) then oc.opcname::text
                            else ocn.nspname || '.' || oc.opcname
                        end
                        order by k
                    ) as opclasses,
                    array_agg(
                        case
                            when i.indcollation[k - 1] = 0 then null
                            when a.attnum is not null and i.indcollation[k - 1] = a.attcollation then null
                            when a.attnum is null and strpos(
                                pg_get_indexdef(i.indexrelid, 0, true),
                                pg_get_indexdef(i.indexrelid, k, true) || ' COLLATE '
                            ) = 0 then null
                            else ",
            collation_name!("co", "con"),
            "
                        end
                        order by k
                    ) as collations
                from generate_series(1, i.indnkeyatts) k
                left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k - 1]
                join pg_opclass oc on oc.oid = i.indclass[k - 1]
                join pg_namespace ocn on ocn.oid = oc.opcnamespace
                left join (pg_collation co join pg_namespace con on con.oid = co.collnamespace)
                    on co.oid = i.indcollation[k - 1]
            ) keys
            cross join lateral (
                select array_agg(a.attname::text order by k) as columns
                from generate_series(i.indnkeyatts + 1, i.indnatts) k
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k - 1]
            ) included",
            left_join_comment!("pg_class", "i.indexrelid", "0")
        )
    };
}
const INDEXES: &str = indexes_query!("false");
const INDEXES_PG15: &str = indexes_query!("i.indnullsnotdistinct");

/// `pg_index.indoption` bits (PostgreSQL's `INDOPTION_DESC` and `INDOPTION_NULLS_FIRST`).
const INDOPTION_DESC: i16 = 0x01;
const INDOPTION_NULLS_FIRST: i16 = 0x02;

pub(super) async fn read_indexes(
    catalog: &mut Catalog<'_>,
    features: ServerFeatures,
    database: &mut Database,
) -> Result<(), InspectError> {
    let sql = if features.nulls_not_distinct { INDEXES_PG15 } else { INDEXES };
    for row in catalog.fetch("indexes", sql).await? {
        let index = Index {
            name: row.try_get("name")?,
            unique: row.try_get("is_unique")?,
            method: row.try_get("method")?,
            parts: index_parts(&row)?,
            include: row.try_get("include")?,
            predicate: row.try_get::<Option<String>, _>("predicate")?.map(expr),
            nulls_not_distinct: row.try_get("nulls_not_distinct")?,
            comment: row.try_get("comment")?,
        };
        let indexes = if row.try_get::<String, _>("relation_kind")? == "m" {
            &mut view_of(&row, database)?.indexes
        } else {
            &mut table_of(&row, database)?.indexes
        };
        indexes.insert(index.name.clone(), index);
    }
    Ok(())
}

fn index_parts(row: &PgRow) -> Result<Vec<IndexPart>, InspectError> {
    let columns: Vec<Option<String>> = row.try_get("key_columns")?;
    let definitions: Vec<String> = row.try_get("key_definitions")?;
    let options: Vec<i16> = row.try_get("key_options")?;
    let opclasses: Vec<Option<String>> = row.try_get("key_opclasses")?;
    let collations: Vec<Option<String>> = row.try_get("key_collations")?;
    if [definitions.len(), options.len(), opclasses.len(), collations.len()].iter().any(|&n| n != columns.len()) {
        let name: String = row.try_get("name")?;
        return Err(InspectError::Catalog(format!("index {name} has key arrays of different lengths")));
    }
    let parts = columns.into_iter().zip(definitions).zip(options).zip(opclasses).zip(collations);
    Ok(parts
        .map(|((((column, definition), option), opclass), collation)| {
            let descending = option & INDOPTION_DESC != 0;
            let nulls_first = option & INDOPTION_NULLS_FIRST != 0;
            IndexPart {
                key: match column {
                    Some(column) => IndexKey::Column(column),
                    None => IndexKey::Expression(expr(definition)),
                },
                descending,
                // NULLS FIRST is the default for descending keys and NULLS LAST for ascending ones.
                nulls_first: (nulls_first != descending).then_some(nulls_first),
                collation,
                opclass,
            }
        })
        .collect())
}

/// Triggers of tables; the WHEN condition is only printable through `pg_get_triggerdef`, because it refers to
/// both OLD and NEW, which `pg_get_expr` cannot resolve against a single relation.
const TRIGGERS: &str = with_relations_in_scope!(
    "select r.nspname::text as schema, r.relname::text as table_name, t.tgname::text as name,
        t.tgtype as type_bits,
        array(
            select a.attname::text
            from unnest(t.tgattr::int2[]) with ordinality k(attnum, position)
            join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = k.attnum
            order by k.position
        ) as update_columns,
        case when t.tgqual is not null then pg_get_triggerdef(t.oid, true) end as definition,
        fn.nspname::text as function_schema, f.proname::text as function_name,
        t.tgnargs as arg_count, t.tgargs as args
    from rel r
    join pg_trigger t on t.tgrelid = r.oid
    join pg_proc f on f.oid = t.tgfoid
    join pg_namespace fn on fn.oid = f.pronamespace
    where r.relkind in ('r', 'p') and not t.tgisinternal"
);

/// `pg_trigger.tgtype` bits (PostgreSQL's `TRIGGER_TYPE_*`).
const TRIGGER_TYPE_ROW: i16 = 1 << 0;
const TRIGGER_TYPE_BEFORE: i16 = 1 << 1;
const TRIGGER_TYPE_INSERT: i16 = 1 << 2;
const TRIGGER_TYPE_DELETE: i16 = 1 << 3;
const TRIGGER_TYPE_UPDATE: i16 = 1 << 4;
const TRIGGER_TYPE_TRUNCATE: i16 = 1 << 5;
const TRIGGER_TYPE_INSTEAD: i16 = 1 << 6;

pub(super) async fn read_triggers(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    for row in catalog.fetch("triggers", TRIGGERS).await? {
        let name: String = row.try_get("name")?;
        let bits: i16 = row.try_get("type_bits")?;
        let timing = if bits & TRIGGER_TYPE_INSTEAD != 0 {
            TriggerTiming::InsteadOf
        } else if bits & TRIGGER_TYPE_BEFORE != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let mut events = Vec::new();
        if bits & TRIGGER_TYPE_INSERT != 0 {
            events.push(TriggerEvent::Insert);
        }
        if bits & TRIGGER_TYPE_UPDATE != 0 {
            events.push(TriggerEvent::Update { columns: row.try_get("update_columns")? });
        }
        if bits & TRIGGER_TYPE_DELETE != 0 {
            events.push(TriggerEvent::Delete);
        }
        if bits & TRIGGER_TYPE_TRUNCATE != 0 {
            events.push(TriggerEvent::Truncate);
        }
        let when = match row.try_get::<Option<String>, _>("definition")? {
            Some(definition) => Some(expr(trigger_condition(&definition).ok_or_else(|| {
                InspectError::Catalog(format!("no WHEN condition found in the definition of trigger {name}"))
            })?)),
            None => None,
        };
        let arg_count: i16 = row.try_get("arg_count")?;
        let trigger = Trigger {
            timing,
            events,
            for_each_row: bits & TRIGGER_TYPE_ROW != 0,
            when,
            function: QualifiedName::new(
                row.try_get::<String, _>("function_schema")?,
                row.try_get::<String, _>("function_name")?,
            ),
            args: trigger_args(&row.try_get::<Vec<u8>, _>("args")?, arg_count),
            name: name.clone(),
        };
        table_of(&row, database)?.triggers.insert(name, trigger);
    }
    Ok(())
}

/// The condition inside `WHEN (...)` of a `pg_get_triggerdef` text, which always prints it right after
/// `FOR EACH ROW`/`FOR EACH STATEMENT` and right before `EXECUTE FUNCTION`.
fn trigger_condition(definition: &str) -> Option<String> {
    let start = ["FOR EACH ROW WHEN (", "FOR EACH STATEMENT WHEN ("]
        .iter()
        .find_map(|marker| definition.find(marker).map(|at| at + marker.len()))?;
    let length = definition[start..].find(") EXECUTE FUNCTION ")?;
    Some(definition[start..start + length].to_string())
}

/// `tgargs` holds each argument followed by a NUL byte.
fn trigger_args(bytes: &[u8], count: i16) -> Vec<String> {
    bytes
        .split(|&byte| byte == 0)
        .take(usize::try_from(count).unwrap_or_default())
        .map(|arg| String::from_utf8_lossy(arg).into_owned())
        .collect()
}

fn relation_name(row: &PgRow) -> Result<QualifiedName, InspectError> {
    Ok(QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("table_name")?))
}

/// The table a row belongs to. All queries run in one snapshot, so a missing table is a bug, not a race.
fn table_of<'d>(row: &PgRow, database: &'d mut Database) -> Result<&'d mut Table, InspectError> {
    let name = relation_name(row)?;
    database.table_mut(&name).ok_or_else(|| InspectError::Catalog(format!("no table {name} for a catalog row")))
}

fn view_of<'d>(row: &PgRow, database: &'d mut Database) -> Result<&'d mut View, InspectError> {
    let name = relation_name(row)?;
    database
        .schemas
        .get_mut(&name.schema)
        .and_then(|schema| schema.views.get_mut(&name.name))
        .ok_or_else(|| InspectError::Catalog(format!("no view {name} for a catalog row")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_conditions_are_cut_out_of_the_definition() {
        let definition = "CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW \
                          WHEN (old.name IS DISTINCT FROM new.name) EXECUTE FUNCTION touch('a')";
        assert_eq!(trigger_condition(definition).as_deref(), Some("old.name IS DISTINCT FROM new.name"));
        assert_eq!(trigger_condition("CREATE TRIGGER t AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"), None);
    }

    #[test]
    fn trigger_arguments_split_on_nul() {
        assert_eq!(trigger_args(b"a\0b c\0", 2), vec!["a", "b c"]);
        assert_eq!(trigger_args(b"\0", 1), vec![""]);
        assert!(trigger_args(b"", 0).is_empty());
    }
}
