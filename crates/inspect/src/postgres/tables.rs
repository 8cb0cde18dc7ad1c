//! Tables and views with what hangs off them: columns, constraints and triggers (indexes in `indexes.rs`).

use super::{
    Catalog, Relations, ServerFeatures, collation_name, expr, left_join_comment, sequence_options,
    with_relations_in_scope,
};
use crate::InspectError;
use driftless_model::{
    Check, Column, CompactString, ConstraintTrigger, DataType, Database, Deferrable, Expr, ForeignKey, Identity,
    PartitionOf, PrimaryKey, QualifiedName, ReferentialAction, ReplicaIdentity, RowSecurity, SequenceOptions,
    StorageParameters, Table, Trigger, TriggerAction, TriggerEvent, TriggerTiming, UniqueConstraint, View,
};
use driftless_parse::canon;
use sqlx::Row;
use sqlx::postgres::types::Oid;
use std::collections::HashMap;

const RELATIONS: &str = with_relations_in_scope!(
    "select r.oid, r.nspname::text as schema, r.relname::text as name, r.relkind::text as kind,
        dsc.description as comment,
        case when r.relkind in ('v', 'm') then pg_get_viewdef(r.oid, true) end as definition,
        case when r.relkind = 'p' then pg_get_partkeydef(r.oid) end as partition_key,
        case when r.relispartition then pg_get_expr(c.relpartbound, r.oid) end as partition_bound,
        pn.nspname::text as parent_schema, p.relname::text as parent_name,
        c.relrowsecurity as row_security, c.relforcerowsecurity as force_row_security,
        coalesce(c.reloptions, '{}') as storage, c.relpersistence = 'u' as unlogged,
        c.relreplident::text as replica_identity,
        case when c.relreplident = 'i' then (
            select ic.relname::text from pg_index i join pg_class ic on ic.oid = i.indexrelid
            where i.indrelid = r.oid and i.indisreplident
        ) end as replica_index
    from rel r
    join pg_class c on c.oid = r.oid
    left join pg_inherits ih on r.relispartition and ih.inhrelid = r.oid
    left join pg_class p on p.oid = ih.inhparent
    left join pg_namespace pn on pn.oid = p.relnamespace",
    left_join_comment!("pg_class", "r.oid", "0")
);

pub(super) async fn read_relations(
    catalog: &mut Catalog<'_>,
    database: &mut Database,
) -> Result<Relations, InspectError> {
    let mut relations = Relations::default();
    catalog
        .for_each_row("relations", RELATIONS, |row| {
            let name = QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?);
            let kind: String = row.try_get("kind")?;
            let comment: Option<String> = row.try_get("comment")?;
            let schema = database.schema_mut(&name.schema);
            match kind.as_str() {
                "r" | "p" => {
                    let partition_of = match row.try_get::<Option<String>, _>("partition_bound")? {
                        Some(bound) => Some(PartitionOf {
                            parent: QualifiedName::new(
                                row.try_get::<String, _>("parent_schema")?,
                                row.try_get::<String, _>("parent_name")?,
                            ),
                            bound,
                        }),
                        None => None,
                    };
                    let partition_key = row.try_get("partition_key")?;
                    let row_security = RowSecurity {
                        enabled: row.try_get("row_security")?,
                        forced: row.try_get("force_row_security")?,
                    };
                    let storage = StorageParameters::new(row.try_get("storage")?);
                    let table = Table {
                        comment,
                        partition_key,
                        partition_of,
                        row_security,
                        storage,
                        unlogged: row.try_get("unlogged")?,
                        replica_identity: match (
                            row.try_get::<String, _>("replica_identity")?.as_str(),
                            row.try_get::<Option<String>, _>("replica_index")?,
                        ) {
                            ("f", _) => ReplicaIdentity::Full,
                            ("n", _) => ReplicaIdentity::Nothing,
                            // an index dropped since leaves no identity to use: PostgreSQL then records none
                            ("i", Some(index)) => ReplicaIdentity::Index(index),
                            ("i", None) => ReplicaIdentity::Nothing,
                            _ => ReplicaIdentity::Default,
                        },
                        ..Table::new(name.clone())
                    };
                    schema.tables.insert(name.name.clone(), table);
                }
                "v" | "m" => {
                    let definition: String = row.try_get("definition")?;
                    let view = View {
                        options: StorageParameters::new(row.try_get("storage")?),
                        query: view_query(&definition),
                        materialized: kind == "m",
                        indexes: Default::default(),
                        triggers: Default::default(),
                        comment,
                        name: name.clone(),
                    };
                    schema.views.insert(view.name.name.clone(), view);
                }
                other => {
                    return Err(InspectError::Catalog(format!("relation {name} has unexpected relkind {other}")));
                }
            }
            relations.0.insert(row.try_get("oid")?, name);
            Ok(())
        })
        .await?;
    Ok(relations)
}

/// `pg_get_viewdef` ends the query with `;` and indents it; the model holds the query alone.
fn view_query(definition: &str) -> Expr {
    let sql = definition.trim().trim_end_matches(';').trim_end().to_string();
    let canonical = canon::query(&sql);
    Expr::new(sql, canonical)
}

/// The sequences of identity columns, found through their internal dependency on the column (`deptype 'i'`).
/// A query of its own: joined into the column query, the lookup ran once per column, identity or not. An
/// identity sequence always lives in its table's schema.
const IDENTITY_SEQUENCES: &str = "select d.refobjid as table_oid, d.refobjsubid::int2 as column_number,
        format_type(s.seqtypid, null) as data_type,
        s.seqstart as start, s.seqincrement as increment, s.seqmin as min_value, s.seqmax as max_value,
        s.seqcache as cache, s.seqcycle as cycle
    from pg_sequence s
    join pg_class c on c.oid = s.seqrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.seqrelid and d.objsubid = 0
    where n.nspname = any($1) and d.refclassid = 'pg_class'::regclass and d.deptype = 'i'";

async fn read_identity_sequences(
    catalog: &mut Catalog<'_>,
) -> Result<HashMap<(Oid, i16), SequenceOptions>, InspectError> {
    let mut sequences = HashMap::new();
    catalog
        .for_each_row("identity sequences", IDENTITY_SEQUENCES, |row| {
            let options = sequence_options(&row)?;
            sequences.insert((row.try_get("table_oid")?, row.try_get("column_number")?), options);
            Ok(())
        })
        .await?;
    Ok(sequences)
}

/// Columns of tables and materialized views (whose indexes name them), in no particular order: they are put
/// in `attnum` order here, which spares the server a sort of every column before it sends the first row.
const COLUMNS: &str = with_relations_in_scope!(
    "select a.attrelid as table_oid, r.relkind::text as relation_kind, r.relispartition as is_partition,
        a.attnum as number,
        a.attname::text as name,
        format_type(a.atttypid, a.atttypmod) as data_type,
        a.attnotnull as not_null,
        case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default_expr,
        case when a.attgenerated = 's' then pg_get_expr(ad.adbin, ad.adrelid) end as generated_expr,
        a.attidentity::text as identity,
        a.attcollation as collation_oid,
        ",
    collation_name!("co", "cn"),
    " as collation,
        dsc.description as comment
    from rel r
    join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
    join pg_type t on t.oid = a.atttypid
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum",
    left_join_comment!("pg_class", "a.attrelid", "a.attnum"),
    "left join (pg_collation co join pg_namespace cn on cn.oid = co.collnamespace)
        on co.oid = a.attcollation and a.attcollation <> t.typcollation
    where r.relkind in ('r', 'p', 'm')"
);

/// `DEFAULT NULL` is no default: PostgreSQL still stores it (as `NULL::character varying` on a varchar column),
/// while the parser, like the column's behaviour, treats it as none.
fn is_null(default: &Expr) -> bool {
    default.canonical.eq_ignore_ascii_case("null")
}

/// A column as constraint and index keys point at it: by table oid and column number.
pub(super) struct Attribute {
    pub(super) number: i16,
    pub(super) name: CompactString,
    pub(super) collation: Oid,
}

/// The columns of the tables and materialized views read, by table oid, in `attnum` order.
#[derive(Default)]
pub(super) struct Columns(HashMap<Oid, Vec<Attribute>>);

impl Columns {
    pub(super) fn get(&self, table: Oid, number: i16) -> Result<&Attribute, InspectError> {
        self.0
            .get(&table)
            .and_then(|attributes| {
                // in `attnum` order once read
                let at = attributes.binary_search_by_key(&number, |a| a.number).ok()?;
                attributes.get(at)
            })
            .ok_or_else(|| InspectError::Catalog(format!("no column {number} read for the table of oid {}", table.0)))
    }

    /// The names of the given columns of a table, in the order given.
    pub(super) fn names(&self, table: Oid, numbers: &[i16]) -> Result<Vec<CompactString>, InspectError> {
        numbers.iter().map(|&number| Ok(self.get(table, number)?.name.clone())).collect()
    }
}

pub(super) async fn read_columns(
    catalog: &mut Catalog<'_>,
    relations: &Relations,
    database: &mut Database,
) -> Result<Columns, InspectError> {
    let mut identity_sequences = read_identity_sequences(catalog).await?;
    let mut table_columns: HashMap<Oid, Vec<(i16, Column)>> = HashMap::new();
    let mut columns = Columns::default();
    catalog
        .for_each_row("columns", COLUMNS, |row| {
            let table: Oid = row.try_get("table_oid")?;
            let number: i16 = row.try_get("number")?;
            let name: CompactString = row.try_get("name")?;
            let attribute = Attribute { number, name: name.clone(), collation: row.try_get("collation_oid")? };
            columns.0.entry(table).or_default().push(attribute);
            // a partition's columns are its parent's; they are named (by keys and indexes) but not modelled
            if row.try_get::<String, _>("relation_kind")? == "m" || row.try_get::<bool, _>("is_partition")? {
                return Ok(());
            }
            let identity = match row.try_get::<String, _>("identity")?.as_str() {
                "" => None,
                kind @ ("a" | "d") => {
                    let sequence = identity_sequences.remove(&(table, number)).ok_or_else(|| {
                        InspectError::Catalog(format!("identity column {name} has no identity sequence"))
                    })?;
                    Some(Box::new(Identity { always: kind == "a", sequence }))
                }
                other => return Err(InspectError::Catalog(format!("unknown attidentity {other}"))),
            };
            let column = Column {
                name,
                data_type: DataType::new(row.try_get::<CompactString, _>("data_type")?),
                nullable: !row.try_get::<bool, _>("not_null")?,
                default: row
                    .try_get::<Option<String>, _>("default_expr")?
                    .map(expr)
                    .filter(|d| !is_null(d))
                    .map(Box::new),
                identity,
                generated: row.try_get::<Option<String>, _>("generated_expr")?.map(|sql| Box::new(expr(sql))),
                // PostgreSQL before 18 stores every generated column; only those are read
                generated_virtual: false,
                collation: row.try_get("collation")?,
                comment: row.try_get("comment")?,
            };
            table_columns.entry(table).or_default().push((number, column));
            Ok(())
        })
        .await?;
    for attributes in columns.0.values_mut() {
        attributes.sort_unstable_by_key(|a| a.number);
    }
    for (oid, mut numbered) in table_columns {
        numbered.sort_unstable_by_key(|(number, _)| *number);
        let table = relations.table(oid, database)?;
        // not collected in place: that would keep the larger allocation of the numbered columns
        table.columns = Vec::with_capacity(numbered.len());
        table.columns.extend(numbered.into_iter().map(|(_, column)| column));
    }
    Ok(columns)
}

/// Primary key, unique, foreign key and check constraints, and the names of NOT NULL constraints (PostgreSQL
/// 18 keeps them here; older servers have no such rows). Exclusion constraints are read with their indexes
/// (`indexes.rs`); constraint triggers have no place in the model and are left out. Key columns come as numbers, named from the columns read; a foreign
/// key to a table outside the requested schemas names the table and its columns itself. Copies the server makes
/// of a partitioned table's constraints (on its partitions, and towards each partition of a referenced one) are
/// left out: the parent's constraint stands for them.
macro_rules! constraints_query {
    ($nulls_not_distinct:literal) => {
        with_relations_in_scope!(
            "select c.conrelid as table_oid, c.conname::text as name, c.contype::text as kind,
                coalesce(c.conkey, '{}') as column_numbers,
                c.confrelid as ref_table_oid, coalesce(c.confkey, '{}') as ref_column_numbers,
                case when c.contype = 'f' and fr.oid is null then fn.nspname::text end as ref_schema,
                case when c.contype = 'f' and fr.oid is null then f.relname::text end as ref_table,
                case when c.contype = 'f' and fr.oid is null then array(
                    select a.attname::text
                    from unnest(c.confkey) with ordinality k(attnum, position)
                    join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
                    order by k.position
                ) end as ref_columns,
                c.confupdtype::text as on_update, c.confdeltype::text as on_delete,
                c.confmatchtype = 'f' as match_full, not c.convalidated as not_valid,
                c.condeferrable as deferrable, c.condeferred as deferred,
                pg_get_expr(c.conbin, c.conrelid) as check_expr, c.connoinherit as no_inherit,
                coalesce(",
            $nulls_not_distinct,
            ", false) as nulls_not_distinct,
                dsc.description as comment
            from rel r
            join pg_constraint c on c.conrelid = r.oid
            left join (pg_class f join pg_namespace fn on fn.oid = f.relnamespace) on f.oid = c.confrelid
            left join rel fr on fr.oid = c.confrelid
            left join pg_index i on i.indexrelid = c.conindid and c.contype = 'u'",
            left_join_comment!("pg_constraint", "c.oid", "0"),
            "where r.relkind in ('r', 'p') and c.contype in ('p', 'u', 'f', 'c', 'n')
              and c.conparentid = 0 and (c.conislocal or not r.relispartition)"
        )
    };
}
const CONSTRAINTS: &str = constraints_query!("null::bool");
const CONSTRAINTS_PG15: &str = constraints_query!("i.indnullsnotdistinct");

pub(super) async fn read_constraints(
    catalog: &mut Catalog<'_>,
    features: ServerFeatures,
    relations: &Relations,
    columns: &Columns,
    database: &mut Database,
) -> Result<(), InspectError> {
    let sql = if features.nulls_not_distinct { CONSTRAINTS_PG15 } else { CONSTRAINTS };
    catalog
        .for_each_row("constraints", sql, |row| {
            let table_oid: Oid = row.try_get("table_oid")?;
            let name: String = row.try_get("name")?;
            let kind: String = row.try_get("kind")?;
            let deferrable = deferrable(row.try_get("deferrable")?, row.try_get("deferred")?);
            let comment: Option<String> = row.try_get("comment")?;
            let key_columns = || columns.names(table_oid, &row.try_get::<Vec<i16>, _>("column_numbers")?);
            let table = relations.table(table_oid, database)?;
            match kind.as_str() {
                "p" => table.primary_key = Some(PrimaryKey { comment, name, columns: key_columns()? }),
                "u" => {
                    let nulls_not_distinct = row.try_get("nulls_not_distinct")?;
                    let unique = UniqueConstraint {
                        comment,
                        name: name.clone(),
                        columns: key_columns()?,
                        nulls_not_distinct,
                        deferrable,
                    };
                    table.uniques.insert(unique);
                }
                "f" => {
                    let (ref_table, ref_columns) = match row.try_get::<Option<String>, _>("ref_table")? {
                        Some(ref_table) => (
                            QualifiedName::new(row.try_get::<String, _>("ref_schema")?, ref_table),
                            row.try_get("ref_columns")?,
                        ),
                        None => {
                            let ref_oid: Oid = row.try_get("ref_table_oid")?;
                            let numbers: Vec<i16> = row.try_get("ref_column_numbers")?;
                            (relations.name(ref_oid)?.clone(), columns.names(ref_oid, &numbers)?)
                        }
                    };
                    let foreign_key = ForeignKey {
                        comment,
                        name: name.clone(),
                        columns: key_columns()?,
                        ref_table,
                        ref_columns,
                        on_delete: referential_action(&row.try_get::<String, _>("on_delete")?)?,
                        on_update: referential_action(&row.try_get::<String, _>("on_update")?)?,
                        deferrable,
                        match_full: row.try_get("match_full")?,
                        not_valid: row.try_get("not_valid")?,
                    };
                    table.foreign_keys.insert(foreign_key);
                }
                "n" => {
                    let [column] = <[_; 1]>::try_from(key_columns()?).map_err(|columns| {
                        InspectError::Catalog(format!("NOT NULL constraint {name} is on {} columns", columns.len()))
                    })?;
                    table.not_null_names.0.insert(column, name);
                }
                "c" => {
                    let check = Check {
                        not_valid: row.try_get("not_valid")?,
                        comment,
                        name: name.clone(),
                        expr: expr(row.try_get("check_expr")?),
                        no_inherit: row.try_get("no_inherit")?,
                    };
                    table.checks.insert(check);
                }
                other => {
                    return Err(InspectError::Catalog(format!("constraint {name} has unexpected contype {other}")));
                }
            }
            Ok(())
        })
        .await
}

pub(super) fn deferrable(deferrable: bool, initially_deferred: bool) -> Deferrable {
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

/// Triggers of tables; the WHEN condition is only printable through `pg_get_triggerdef`, because it refers to
/// both OLD and NEW, which `pg_get_expr` cannot resolve against a single relation. The clones of a
/// partitioned table's triggers on its partitions (`tgparentid`) are the parent's trigger, and left out.
const TRIGGERS: &str = with_relations_in_scope!(
    "select t.tgrelid as table_oid, r.relkind::text as relation_kind, t.tgname::text as name,
        t.tgtype as type_bits,
        array(
            select a.attname::text
            from unnest(t.tgattr::int2[]) with ordinality k(attnum, position)
            join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = k.attnum
            order by k.position
        ) as update_columns,
        case when t.tgqual is not null then pg_get_triggerdef(t.oid, true) end as definition,
        fn.nspname::text as function_schema, f.proname::text as function_name,
        t.tgnargs as arg_count, t.tgargs as args, dsc.description as comment,
        t.tgconstraint <> 0 as is_constraint, t.tgdeferrable as deferrable, t.tginitdeferred as deferred,
        cn.nspname::text as from_schema, cr.relname::text as from_table
    from rel r
    join pg_trigger t on t.tgrelid = r.oid
    join pg_proc f on f.oid = t.tgfoid
    join pg_namespace fn on fn.oid = f.pronamespace
    left join (pg_class cr join pg_namespace cn on cn.oid = cr.relnamespace) on cr.oid = t.tgconstrrelid",
    left_join_comment!("pg_trigger", "t.oid", "0"),
    "where r.relkind in ('r', 'p', 'v') and not t.tgisinternal and t.tgparentid = 0"
);

/// `pg_trigger.tgtype` bits (PostgreSQL's `TRIGGER_TYPE_*`).
const TRIGGER_TYPE_ROW: i16 = 1 << 0;
const TRIGGER_TYPE_BEFORE: i16 = 1 << 1;
const TRIGGER_TYPE_INSERT: i16 = 1 << 2;
const TRIGGER_TYPE_DELETE: i16 = 1 << 3;
const TRIGGER_TYPE_UPDATE: i16 = 1 << 4;
const TRIGGER_TYPE_TRUNCATE: i16 = 1 << 5;
const TRIGGER_TYPE_INSTEAD: i16 = 1 << 6;

pub(super) async fn read_triggers(
    catalog: &mut Catalog<'_>,
    relations: &Relations,
    database: &mut Database,
) -> Result<(), InspectError> {
    catalog
        .for_each_row("triggers", TRIGGERS, |row| {
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
            let constraint = if row.try_get("is_constraint")? {
                let from = match row.try_get::<Option<String>, _>("from_table")? {
                    Some(table) => Some(QualifiedName::new(row.try_get::<String, _>("from_schema")?, table)),
                    None => None,
                };
                Some(ConstraintTrigger {
                    deferrable: deferrable(row.try_get("deferrable")?, row.try_get("deferred")?),
                    from,
                })
            } else {
                None
            };
            let trigger = Trigger {
                constraint,
                comment: row.try_get("comment")?,
                timing,
                events,
                for_each_row: bits & TRIGGER_TYPE_ROW != 0,
                when,
                action: TriggerAction::Function {
                    function: QualifiedName::new(
                        row.try_get::<String, _>("function_schema")?,
                        row.try_get::<String, _>("function_name")?,
                    ),
                    args: trigger_args(&row.try_get::<Vec<u8>, _>("args")?, arg_count),
                },
                name: name.clone(),
            };
            let owner: Oid = row.try_get("table_oid")?;
            let triggers = if row.try_get::<String, _>("relation_kind")? == "v" {
                &mut relations.view(owner, database)?.triggers
            } else {
                &mut relations.table(owner, database)?.triggers
            };
            triggers.insert(trigger);
            Ok(())
        })
        .await
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
