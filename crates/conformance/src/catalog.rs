//! A catalog-level dump written independently of `driftless-inspect`, so that the oracle does not trust the
//! code under test: one sorted line per column, constraint, index, view, sequence, type, function, trigger,
//! comment and extension, printed by PostgreSQL's own functions. Column order is left out (PostgreSQL cannot
//! reorder columns, so a migrated table may legitimately differ from a fresh one there), a stored
//! `DEFAULT NULL` reads as no default, which is what it means, and the NOT NULL constraints of PostgreSQL 18
//! are printed without their names, which the model does not manage (a partition created `PARTITION OF` its
//! parent takes the parent's names, one attached takes its own).

use sqlx::PgConnection;

const DUMP: &str = r#"
with rels as (
  select c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions, c.relreplident, n.nspname
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname <> all ($1) and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)
select line from (
  select format('schema %s comment=%s', n.nspname, obj_description(n.oid, 'pg_namespace')) as line
  from pg_namespace n where n.nspname <> all ($1) and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
  union all
  select format('relation %s.%s kind=%s persistence=%s options=%s replica_identity=%s comment=%s', r.nspname,
    r.relname, r.relkind, r.relpersistence, r.reloptions, r.relreplident, obj_description(r.oid, 'pg_class'))
  from rels r where r.relkind in ('r', 'v', 'm', 'p')
  union all
  select format('column %s.%s.%s %s notnull=%s default=%s identity=%s generated=%s collation=%s comment=%s',
    r.nspname, r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
    nullif(regexp_replace(pg_get_expr(d.adbin, d.adrelid), '^NULL(::.*)?$', ''), ''), a.attidentity, a.attgenerated,
    case when a.attcollation <> t.typcollation then a.attcollation::regcollation::text end,
    col_description(r.oid, a.attnum))
  from rels r join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where r.relkind in ('r', 'v', 'm', 'p')
  union all
  select format('constraint %s.%s %s %s comment=%s', r.nspname, r.relname,
    case when con.contype <> 'n' then con.conname end, pg_get_constraintdef(con.oid),
    obj_description(con.oid, 'pg_constraint'))
  from rels r join pg_constraint con on con.conrelid = r.oid
  union all
  select format('index %s comment=%s replica_identity=%s', pg_get_indexdef(r.oid), obj_description(r.oid, 'pg_class'),
    (select x.indisreplident from pg_index x where x.indexrelid = r.oid))
  from rels r where r.relkind in ('i', 'I')
  union all
  select format('view %s.%s %s', r.nspname, r.relname, pg_get_viewdef(r.oid, true))
  from rels r where r.relkind in ('v', 'm')
  union all
  select format('sequence %s.%s %s start=%s inc=%s min=%s max=%s cache=%s cycle=%s owned=%s comment=%s',
    r.nspname, r.relname, format_type(s.seqtypid, null), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
    s.seqcache, s.seqcycle,
    (select format('%s.%s', dc.relname, da.attname) from pg_depend dep
       join pg_class dc on dc.oid = dep.refobjid
       join pg_attribute da on da.attrelid = dep.refobjid and da.attnum = dep.refobjsubid
       where dep.classid = 'pg_class'::regclass and dep.objid = r.oid and dep.deptype in ('a', 'i')),
    obj_description(r.oid, 'pg_class'))
  from rels r join pg_sequence s on s.seqrelid = r.oid
  union all
  select format('enum %s.%s %s comment=%s', n.nspname, t.typname,
    (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid),
    obj_description(t.oid, 'pg_type'))
  from pg_type t join pg_namespace n on n.oid = t.typnamespace
  where t.typtype = 'e' and n.nspname <> all ($1)
  union all
  select format('function %s comment=%s', pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc'))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname <> all ($1) and p.prokind in ('f', 'p')
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  union all
  select format('aggregate %s %s parallel=%s comment=%s', p.oid::regprocedure,
    row(a.aggkind, a.aggnumdirectargs, a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
      a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify,
      a.aggmfinalmodify, a.aggsortop, format_type(a.aggtranstype, null), a.aggtransspace,
      format_type(a.aggmtranstype, null), a.aggmtransspace, a.agginitval, a.aggminitval),
    p.proparallel, obj_description(p.oid, 'pg_proc'))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_aggregate a on a.aggfnoid = p.oid
  where n.nspname <> all ($1)
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  union all
  select format('policy %s.%s %s permissive=%s roles=%s cmd=%s using=%s check=%s comment=%s', pol.schemaname,
    pol.tablename, pol.policyname, pol.permissive, (select array_agg(r order by r) from unnest(pol.roles) r),
    pol.cmd, pol.qual, pol.with_check,
    (select obj_description(p.oid, 'pg_policy') from pg_policy p join pg_class c on c.oid = p.polrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = pol.schemaname and c.relname = pol.tablename and p.polname = pol.policyname))
  from pg_policies pol where pol.schemaname <> all ($1)
  union all
  select format('row security %s.%s enabled=%s forced=%s', r.nspname, r.relname, c.relrowsecurity,
    c.relforcerowsecurity)
  from rels r join pg_class c on c.oid = r.oid where c.relrowsecurity or c.relforcerowsecurity
  union all
  select format('trigger %s comment=%s', pg_get_triggerdef(tg.oid, true), obj_description(tg.oid, 'pg_trigger'))
  from pg_trigger tg join rels r on r.oid = tg.tgrelid where not tg.tgisinternal
  union all
  select format('extension %s schema=%s', e.extname, n.nspname)
  from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql'
) dump
order by line
"#;

const SYSTEM_SCHEMAS: [&str; 2] = ["pg_catalog", "information_schema"];

/// The sorted dump lines of every user schema of the connected database.
pub async fn catalog_dump(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    let system: Vec<String> = SYSTEM_SCHEMAS.iter().map(|s| s.to_string()).collect();
    sqlx::query_scalar(DUMP).bind(system).fetch_all(conn).await
}

/// Lines only in `left` (prefixed `-`) and only in `right` (prefixed `+`).
pub fn difference(left: &[String], right: &[String]) -> Vec<String> {
    let only_left = left.iter().filter(|l| !right.contains(l)).map(|l| format!("- {l}"));
    let only_right = right.iter().filter(|r| !left.contains(r)).map(|r| format!("+ {r}"));
    only_left.chain(only_right).collect()
}
