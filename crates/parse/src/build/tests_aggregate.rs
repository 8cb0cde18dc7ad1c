//! Aggregates as `pg_aggregate` holds them: support functions named relative to the default schema, types as
//! `format_type` prints them.

use crate::{ParseError, ParseOptions, parse_schema};
use driftless_model::*;

fn parse(sql: &str) -> Database {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).unwrap_or_else(|e| panic!("{e}"))
}

fn error(sql: &str) -> ParseError {
    parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).expect_err("the SQL should be refused")
}

fn aggregate(function: &Function) -> &Aggregate {
    match &function.kind {
        FunctionKind::Aggregate(aggregate) => aggregate,
        other => panic!("{} is a {other:?}", function.name),
    }
}

#[test]
fn pg_dump_and_hand_written_forms_read_the_same() {
    let dumped = parse(
        "SELECT pg_catalog.set_config('search_path', '', false);
         CREATE FUNCTION public._group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE
             AS $_$ SELECT CASE WHEN $2 IS NULL THEN $1 ELSE $1 || ', ' || $2 END $_$;
         CREATE AGGREGATE public.group_concat(text) (
             SFUNC = public._group_concat,
             STYPE = text
         );
         ALTER AGGREGATE public.group_concat(text) OWNER TO postgres;
         COMMENT ON AGGREGATE public.group_concat(text) IS 'joined';",
    );
    let written = parse(
        "create function _group_concat(text, text) returns text language sql immutable
             as $_$ SELECT CASE WHEN $2 IS NULL THEN $1 ELSE $1 || ', ' || $2 END $_$;
         create aggregate group_concat(basetype = text, sfunc = _group_concat, stype = text);
         comment on aggregate group_concat(text) is 'joined';",
    );
    let function = &dumped.schemas["public"].functions["group_concat(text)"];
    assert_eq!(function, &written.schemas["public"].functions["group_concat(text)"]);
    assert_eq!(aggregate(function).state_function, "_group_concat");
    assert_eq!(function.comment.as_deref(), Some("joined"));
}

#[test]
fn every_ordinary_option_is_kept() {
    let db = parse(
        r#"create schema app;
           create aggregate app.avg2(numeric) (sfunc = numeric_avg_accum, stype = internal, sspace = 128,
               finalfunc = pg_catalog.numeric_avg, finalfunc_extra, finalfunc_modify = shareable,
               combinefunc = numeric_avg_combine, serialfunc = numeric_avg_serialize,
               deserialfunc = numeric_avg_deserialize, initcond = '{0,0}', parallel = safe);
           create aggregate total(*) (sfunc = int8inc, stype = int8, initcond = 0);
           create aggregate "Odd"(variadic xs "any") (sfunc = app."Step", stype = text[]);"#,
    );
    let avg = &db.schemas["app"].functions["avg2(numeric)"];
    assert_eq!(avg.parallel, Parallel::Safe);
    assert_eq!(
        aggregate(avg),
        &Aggregate {
            state_function: "numeric_avg_accum".into(),
            state_type: "internal".into(),
            state_space: 128,
            final_function: Some("numeric_avg".into()),
            final_extra: true,
            final_modify: FinalModify::Shareable,
            combine_function: Some("numeric_avg_combine".into()),
            serial_function: Some("numeric_avg_serialize".into()),
            deserial_function: Some("numeric_avg_deserialize".into()),
            initial_condition: Some("{0,0}".into()),
        }
    );
    let total = &db.schemas["public"].functions["total()"];
    assert!(total.args.is_empty());
    assert_eq!(aggregate(total).initial_condition.as_deref(), Some("0"));
    let odd = &db.schemas["public"].functions["Odd(\"any\")"];
    assert_eq!(odd.args[0].mode, ArgMode::Variadic);
    assert_eq!(aggregate(odd).state_function, r#"app."Step""#);
    assert_eq!(aggregate(odd).state_type, "text[]");
}

#[test]
fn what_the_model_cannot_hold_is_refused_with_its_line() {
    for (sql, what) in [
        ("create aggregate p(float8 order by float8) (sfunc = f, stype = internal)", "ordered-set"),
        ("create aggregate m(int) (sfunc = f, stype = int, msfunc = f, minvfunc = g, mstype = int)", "moving"),
        ("create aggregate s(int) (sfunc = f, stype = int, sortop = <)", "sort operator"),
    ] {
        let error = error(&format!("create table t (a int);\n{sql};"));
        assert!(matches!(error, ParseError::Unsupported { line: 2, .. }), "{sql}: {error:?}");
        assert!(error.to_string().contains(what), "{sql}: {error}");
    }
    for sql in [
        "create aggregate a(int) (stype = int)",
        "create aggregate a(int) (sfunc = f, stype = int, colour = blue)",
        "create aggregate a(out x int) (sfunc = f, stype = int)",
    ] {
        assert!(parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).is_err(), "{sql}");
    }
}
