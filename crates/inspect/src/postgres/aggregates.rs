//! Ordinary aggregates with their `pg_aggregate` row. Ordered-set and hypothetical-set aggregates, moving
//! aggregates and those with a sort operator are not read: the model does not hold them (the parser refuses
//! them), so they are never planned.

use super::objects::{function_args, parallel, routine_argument_columns};
use super::{Catalog, left_join_comment, not_owned_by_extension};
use crate::InspectError;
use driftless_model::{Aggregate, Database, FinalModify, Function, QualifiedName};
use sqlx::Row;

/// A support function as `{schema, name}`, null when the aggregate has none.
macro_rules! support_function {
    ($column:literal) => {
        concat!(
            "(select array[fn.nspname::text, f.proname::text] from pg_proc f
             join pg_namespace fn on fn.oid = f.pronamespace where f.oid = a.",
            $column,
            ")"
        )
    };
}

const AGGREGATES: &str = concat!(
    "select n.nspname::text as schema, p.proname::text as name, ",
    routine_argument_columns!(),
    ", p.proparallel::text as parallel,
        format_type(a.aggtranstype, null) as state_type, a.aggtransspace as state_space,
        a.agginitval as initial_condition, a.aggfinalextra as final_extra, a.aggfinalmodify::text as final_modify, ",
    support_function!("aggtransfn"),
    " as state_function, ",
    support_function!("aggfinalfn"),
    " as final_function, ",
    support_function!("aggcombinefn"),
    " as combine_function, ",
    support_function!("aggserialfn"),
    " as serial_function, ",
    support_function!("aggdeserialfn"),
    " as deserial_function,
        dsc.description as comment
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_aggregate a on a.aggfnoid = p.oid",
    left_join_comment!("pg_proc", "p.oid", "0"),
    "where n.nspname = any($1) and p.prokind = 'a' and a.aggkind = 'n' and a.aggmtransfn::oid = 0
        and a.aggsortop = 0 and ",
    not_owned_by_extension!("pg_proc", "p.oid")
);

pub(super) async fn read_aggregates(
    catalog: &mut Catalog<'_>,
    default_schema: &str,
    database: &mut Database,
) -> Result<(), InspectError> {
    catalog
        .for_each_row("aggregates", AGGREGATES, |row| {
            let name = QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?);
            let support = |column: &str| -> Result<Option<String>, InspectError> {
                Ok(match row.try_get::<Option<Vec<String>>, _>(column)?.as_deref() {
                    Some([schema, function]) => Some(Aggregate::support_function(schema, function, default_schema)),
                    _ => None,
                })
            };
            let aggregate = Aggregate {
                state_function: support("state_function")?.unwrap_or_default(),
                state_type: row.try_get("state_type")?,
                state_space: row.try_get("state_space")?,
                final_function: support("final_function")?,
                final_extra: row.try_get("final_extra")?,
                final_modify: match row.try_get::<String, _>("final_modify")?.as_str() {
                    "s" => FinalModify::Shareable,
                    "w" => FinalModify::ReadWrite,
                    _ => FinalModify::ReadOnly,
                },
                combine_function: support("combine_function")?,
                serial_function: support("serial_function")?,
                deserial_function: support("deserial_function")?,
                initial_condition: row.try_get("initial_condition")?,
            };
            let arg_types: Vec<String> = row.try_get("arg_types")?;
            // aggregates take no defaults
            let no_defaults = vec![None; arg_types.len()];
            let args = function_args(arg_types, row.try_get("arg_modes")?, row.try_get("arg_names")?, no_defaults)
                .map_err(|problem| InspectError::Catalog(format!("aggregate {name}: {problem}")))?;
            let mut function =
                Function::aggregate(name, args, aggregate, parallel(&row.try_get::<String, _>("parallel")?));
            function.comment = row.try_get("comment")?;
            database.schema_mut(&function.name.schema).functions.insert(function.signature(), function);
            Ok(())
        })
        .await
}
