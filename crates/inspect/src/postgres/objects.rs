//! Schemas and the objects that live in a schema beside tables: sequences, enum types and functions; and
//! extensions.

use super::{Catalog, ServerFeatures, expr, left_join_comment, not_owned_by_extension, sequence_options};
use crate::InspectError;
use driftless_model::{
    ArgMode, Database, EnumType, Expr, Extension, Function, FunctionArg, FunctionKind, Parallel, QualifiedName,
    Sequence, Volatility,
};
use driftless_parse::canon;
use sqlx::Row;

/// `initdb` comments the `public` schema itself; that comment is PostgreSQL's, not the user's, so it reads as
/// no comment (otherwise every desired schema that leaves `public` uncommented would plan to erase it).
const SCHEMAS: &str = concat!(
    "select n.nspname::text as name,
        nullif(dsc.description, case n.nspname when 'public' then 'standard public schema' end) as comment
    from pg_namespace n",
    left_join_comment!("pg_namespace", "n.oid", "0"),
    "where n.nspname = any($1)"
);

pub(super) async fn read_schemas(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    catalog
        .for_each_row("schemas", SCHEMAS, |row| {
            let name: String = row.try_get("name")?;
            database.schema_mut(&name).comment = row.try_get("comment")?;
            Ok(())
        })
        .await
}

/// Extensions installed into one of the requested schemas. The others, `plpgsql` in `pg_catalog` among them,
/// belong to schemas outside management and are never touched.
const EXTENSIONS: &str = "select e.extname::text as name, n.nspname::text as schema
    from pg_extension e
    join pg_namespace n on n.oid = e.extnamespace
    where n.nspname = any($1)";

pub(super) async fn read_extensions(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    catalog
        .for_each_row("extensions", EXTENSIONS, |row| {
            let extension = Extension { name: row.try_get("name")?, schema: row.try_get("schema")? };
            database.extensions.insert(extension.name.clone(), extension);
            Ok(())
        })
        .await
}

/// Standalone and serial sequences. Identity sequences (internal dependency, `deptype 'i'`) belong to their
/// column; a serial's sequence is owned by its column through an automatic dependency (`deptype 'a'`).
const SEQUENCES: &str = concat!(
    "select n.nspname::text as schema, c.relname::text as name,
        format_type(s.seqtypid, null) as data_type,
        s.seqstart as start, s.seqincrement as increment, s.seqmin as min_value, s.seqmax as max_value,
        s.seqcache as cache, s.seqcycle as cycle,
        owner.relname::text as owner_table, owner_column.attname::text as owner_column,
        dsc.description as comment
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_sequence s on s.seqrelid = c.oid",
    left_join_comment!("pg_class", "c.oid", "0"),
    "
    left join (
        pg_depend od
        join pg_class owner on owner.oid = od.refobjid
        join pg_attribute owner_column on owner_column.attrelid = od.refobjid and owner_column.attnum = od.refobjsubid
    ) on od.classid = 'pg_class'::regclass and od.objid = c.oid
        and od.refclassid = 'pg_class'::regclass and od.refobjsubid > 0 and od.deptype = 'a'
    where n.nspname = any($1) and c.relkind = 'S'
      and not exists (
          select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'i'
      )
      and ",
    not_owned_by_extension!("pg_class", "c.oid")
);

pub(super) async fn read_sequences(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    catalog
        .for_each_row("sequences", SEQUENCES, |row| {
            let owner_table: Option<String> = row.try_get("owner_table")?;
            let owner_column: Option<String> = row.try_get("owner_column")?;
            let sequence = Sequence {
                name: QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?),
                options: sequence_options(&row)?,
                owned_by: owner_table.zip(owner_column),
                comment: row.try_get("comment")?,
            };
            database.schema_mut(&sequence.name.schema).sequences.insert(sequence.name.name.clone(), sequence);
            Ok(())
        })
        .await
}

const ENUMS: &str = concat!(
    "select n.nspname::text as schema, t.typname::text as name,
        array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as labels,
        dsc.description as comment
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace",
    left_join_comment!("pg_type", "t.oid", "0"),
    "where n.nspname = any($1) and t.typtype = 'e' and ",
    not_owned_by_extension!("pg_type", "t.oid")
);

pub(super) async fn read_enums(catalog: &mut Catalog<'_>, database: &mut Database) -> Result<(), InspectError> {
    catalog
        .for_each_row("enums", ENUMS, |row| {
            let enum_type = EnumType {
                name: QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?),
                values: row.try_get("labels")?,
                comment: row.try_get("comment")?,
            };
            database.schema_mut(&enum_type.name.schema).enums.insert(enum_type.name.name.clone(), enum_type);
            Ok(())
        })
        .await
}

/// The argument arrays of a `pg_proc` row `p`, for [`function_args`].
macro_rules! routine_argument_columns {
    () => {
        "array(
            select format_type(a.type_oid, null)
            from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality a(type_oid, position)
            order by a.position
        ) as arg_types,
        coalesce(p.proargmodes::text[], '{}') as arg_modes,
        coalesce(p.proargnames, '{}') as arg_names"
    };
}
pub(super) use routine_argument_columns;

/// Functions and procedures (aggregates are read with their `pg_aggregate` row; window functions are not read). Argument arrays run over all arguments:
/// `proallargtypes`, `proargmodes` and `proargnames` are null when every argument is a plain IN argument
/// (then `proargtypes` lists them), and `pg_get_function_arg_default` takes a position among all arguments.
/// `$sql_body` prints a SQL-standard body, null for the others.
macro_rules! functions_query {
    ($sql_body:literal) => {
        concat!(
            "select n.nspname::text as schema, p.proname::text as name, p.prokind::text as kind,
",
            routine_argument_columns!(),
            ",
        array(
            select pg_get_function_arg_default(p.oid, position)
            from generate_series(1, coalesce(array_length(p.proallargtypes, 1), p.pronargs)) position
            order by position
        ) as arg_defaults,
        coalesce(pg_get_function_result(p.oid), '') as returns,
        l.lanname::text as language, p.prosrc as body, ",
            $sql_body,
            " as sql_body,
        p.provolatile::text as volatility, p.proisstrict as strict, p.prosecdef as security_definer,
        p.proleakproof as leakproof, p.proparallel::text as parallel, p.procost as cost, p.prorows as rows,
        coalesce(p.proconfig, '{}') as config,
        dsc.description as comment
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang",
            left_join_comment!("pg_proc", "p.oid", "0"),
            "where n.nspname = any($1) and p.prokind in ('f', 'p') and ",
            not_owned_by_extension!("pg_proc", "p.oid")
        )
    };
}
const FUNCTIONS: &str = functions_query!("null::text");
const FUNCTIONS_PG14: &str =
    functions_query!("case when p.prosqlbody is not null then pg_get_function_sqlbody(p.oid) end");

/// A `proconfig` entry with its name in lower case: PostgreSQL stores known settings in their own case
/// (`TimeZone=UTC`) and the parser cannot know them all.
fn setting(entry: &str) -> String {
    match entry.split_once('=') {
        Some((name, value)) => format!("{}={value}", name.to_lowercase()),
        None => entry.to_string(),
    }
}

pub(super) async fn read_functions(
    catalog: &mut Catalog<'_>,
    features: ServerFeatures,
    database: &mut Database,
) -> Result<(), InspectError> {
    let sql = if features.sql_bodies { FUNCTIONS_PG14 } else { FUNCTIONS };
    catalog
        .for_each_row("functions", sql, |row| {
            let name = QualifiedName::new(row.try_get::<String, _>("schema")?, row.try_get::<String, _>("name")?);
            let function = Function {
                kind: match row.try_get::<String, _>("kind")?.as_str() {
                    "p" => FunctionKind::Procedure,
                    _ => FunctionKind::Function,
                },
                args: function_args(
                    row.try_get("arg_types")?,
                    row.try_get("arg_modes")?,
                    row.try_get("arg_names")?,
                    row.try_get("arg_defaults")?,
                )
                .map_err(|problem| InspectError::Catalog(format!("function {name}: {problem}")))?,
                returns: row.try_get("returns")?,
                language: row.try_get("language")?,
                body: row.try_get("body")?,
                sql_body: row
                    .try_get::<Option<String>, _>("sql_body")?
                    .map(|sql_body| Expr::new(&sql_body, canon::routine_body(&sql_body))),
                volatility: match row.try_get::<String, _>("volatility")?.as_str() {
                    "i" => Volatility::Immutable,
                    "s" => Volatility::Stable,
                    _ => Volatility::Volatile,
                },
                strict: row.try_get("strict")?,
                security_definer: row.try_get("security_definer")?,
                leakproof: row.try_get("leakproof")?,
                parallel: parallel(&row.try_get::<String, _>("parallel")?),
                cost: row.try_get::<f32, _>("cost")?.to_string(),
                rows: row.try_get::<f32, _>("rows")?.to_string(),
                config: row.try_get::<Vec<String>, _>("config")?.iter().map(|entry| setting(entry)).collect(),
                comment: row.try_get("comment")?,
                name,
            };
            database.schema_mut(&function.name.schema).functions.insert(function.signature(), function);
            Ok(())
        })
        .await
}

/// `proparallel`.
pub(super) fn parallel(code: &str) -> Parallel {
    match code {
        "s" => Parallel::Safe,
        "r" => Parallel::Restricted,
        _ => Parallel::Unsafe,
    }
}

/// Zips the per-argument arrays. `modes` and `names` are empty when the catalog leaves them out (all IN,
/// no names); an empty name is an unnamed argument. The columns of `RETURNS TABLE` (mode `t`) are left out:
/// the model keeps them in the return type, as `pg_get_function_result` prints them.
pub(super) fn function_args(
    types: Vec<String>,
    modes: Vec<String>,
    names: Vec<String>,
    defaults: Vec<Option<String>>,
) -> Result<Vec<FunctionArg>, String> {
    let count = types.len();
    if (!modes.is_empty() && modes.len() != count) || (!names.is_empty() && names.len() != count) {
        return Err(format!("{count} argument types but {} modes and {} names", modes.len(), names.len()));
    }
    let mut args = Vec::with_capacity(count);
    for (position, ((data_type, default), name)) in
        types.into_iter().zip(defaults).zip(names.into_iter().map(Some).chain(std::iter::repeat(None))).enumerate()
    {
        let mode = match modes.get(position).map(String::as_str) {
            None | Some("i") => ArgMode::In,
            Some("o") => ArgMode::Out,
            Some("b") => ArgMode::InOut,
            Some("v") => ArgMode::Variadic,
            Some("t") => continue,
            Some(other) => return Err(format!("unknown argument mode {other}")),
        };
        args.push(FunctionArg {
            name: name.filter(|name| !name.is_empty()),
            data_type,
            mode,
            default: default.map(expr),
        });
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn plain_in_arguments_come_without_modes_or_names() {
        let args = function_args(strings(&["integer", "text"]), vec![], vec![], vec![None, None]).unwrap();
        assert_eq!(args.len(), 2);
        assert!(args.iter().all(|a| a.mode == ArgMode::In && a.name.is_none()));
    }

    #[test]
    fn table_columns_are_not_arguments() {
        let args = function_args(
            strings(&["integer", "integer", "text"]),
            strings(&["i", "t", "t"]),
            strings(&["n", "a", "b"]),
            vec![None, None, None],
        )
        .unwrap();
        assert_eq!(args.len(), 1);
        assert_eq!(args[0].name.as_deref(), Some("n"));
    }

    #[test]
    fn mismatched_arrays_are_reported() {
        assert!(function_args(strings(&["integer"]), strings(&["i", "o"]), vec![], vec![None]).is_err());
    }
}
