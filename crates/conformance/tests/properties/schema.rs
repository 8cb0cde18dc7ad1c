//! The generator of the property test: structured schema seeds (shrinkable values with no SQL in them), their
//! resolution into a valid schema for one dialect, and its rendering as desired SQL in that dialect's syntax.
//!
//! A pair (A, B) is two seeds plus, per table, view and enum slot, a mask saying which parts B takes from its
//! own seed instead of A's: the mask shrinks towards "everything from A", so a minimal reproducer keeps only
//! the differences that matter.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Mysql,
    Sqlite,
}

const TABLE_SLOTS: usize = 6;
const COLUMN_SLOTS: usize = 6;
const VIEW_SLOTS: usize = 2;
const ENUM_SLOTS: usize = 2;

/// Pieces of hostile string literals: quotes, backslashes, dollar quotes, comment markers, statement
/// separators, unicode, control characters, and a rename hint that only a comment may carry.
const TOKENS: &[&str] = &[
    "a",
    "Z",
    " ",
    "'",
    "''",
    "\\",
    "\\'",
    "\"",
    "$$",
    "$1$",
    "--",
    "-- driftless:renamed from=c0",
    ";",
    "/*",
    "*/",
    "é",
    "日本",
    "😀",
    "%",
    "_",
    "\n",
    "\t",
    "E'",
    "\\n",
    "`",
    "0",
];

/// A string literal's value, as token indexes (shrinks to fewer and plainer tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lit(pub Vec<u8>);

impl Lit {
    pub fn raw(&self) -> String {
        self.0.iter().map(|&t| TOKENS[t as usize % TOKENS.len()]).collect()
    }

    /// The value for a comment or an enum label in `dialect`.
    pub fn value(&self, dialect: Dialect) -> String {
        let mut value = self.raw();
        if dialect == Dialect::Mysql {
            // MySQL and MariaDB print their catalog in utf8mb3, so a 4-byte character (😀) is refused
            // (`refuse_outside_utf8mb3`, tested by crates/engine/tests/mysql_literals.rs)
            value.retain(|c| c.len_utf8() < 4);
        }
        value
    }

    /// The value for a string literal inside an expression (a default, a check, a view's filter).
    /// (Adjacent quotes and a backslash before a quote, which PostgreSQL and SQLite misread here until
    /// 54b4e11, are generated again.)
    pub fn expr_value(&self, dialect: Dialect) -> String {
        self.value(dialect)
    }
}

fn lit() -> impl Strategy<Value = Lit> {
    vec(0..TOKENS.len() as u8, 0..5).prop_map(Lit)
}

#[derive(Debug, Clone)]
pub struct DefaultSeed {
    pub n: i16,
    pub lit: Lit,
    pub flag: bool,
    /// An expression default (`current_timestamp`, `gen_random_uuid()`) where the type has one.
    pub expr: bool,
}

#[derive(Debug, Clone)]
pub struct ColumnSeed {
    pub ty: u8,
    pub nullable: bool,
    pub default: Option<DefaultSeed>,
    pub comment: Option<Lit>,
}

#[derive(Debug, Clone)]
pub struct UniqueSeed {
    pub cols: Vec<u8>,
    pub named: bool,
}

#[derive(Debug, Clone)]
pub struct CheckSeed {
    pub col: u8,
    pub kind: u8,
    pub n: i16,
    pub lit: Lit,
    pub named: bool,
}

#[derive(Debug, Clone)]
pub struct IndexSeed {
    pub cols: Vec<u8>,
    pub unique: bool,
    pub desc: bool,
    pub named: bool,
}

#[derive(Debug, Clone)]
pub struct FkSeed {
    pub target: u8,
    pub cols: Vec<u8>,
    pub action: u8,
}

#[derive(Debug, Clone)]
pub struct TableSeed {
    pub columns: Vec<Option<ColumnSeed>>,
    pub pk: Option<Vec<u8>>,
    pub uniques: Vec<UniqueSeed>,
    pub checks: Vec<CheckSeed>,
    pub indexes: Vec<IndexSeed>,
    pub fks: Vec<FkSeed>,
    pub comment: Option<Lit>,
}

#[derive(Debug, Clone)]
pub struct ViewSeed {
    pub table: u8,
    pub cols: Vec<u8>,
    pub filter: Option<(u8, i16, Lit)>,
}

#[derive(Debug, Clone)]
pub struct SchemaSeed {
    pub tables: Vec<Option<TableSeed>>,
    pub views: Vec<Option<ViewSeed>>,
    pub enums: Vec<Option<Vec<Lit>>>,
}

/// Two schemas; B's parts come from A's seed unless the mask bit is set.
#[derive(Debug, Clone)]
pub struct PairSeed {
    pub a: SchemaSeed,
    pub b: SchemaSeed,
    /// Per table slot: [present, pk, uniques, checks, indexes, fks, comment, then 4 bits per column slot:
    /// present/type, nullability, default, comment].
    pub table_masks: Vec<Vec<bool>>,
    pub view_masks: Vec<bool>,
    pub enum_masks: Vec<bool>,
}

fn col_idx() -> impl Strategy<Value = u8> {
    0..COLUMN_SLOTS as u8
}

fn column() -> impl Strategy<Value = ColumnSeed> {
    let default = (any::<i16>(), lit(), any::<bool>(), proptest::bool::weighted(0.2))
        .prop_map(|(n, lit, flag, expr)| DefaultSeed { n, lit, flag, expr });
    (any::<u8>(), any::<bool>(), option::weighted(0.5, default), option::weighted(0.2, lit()))
        .prop_map(|(ty, nullable, default, comment)| ColumnSeed { ty, nullable, default, comment })
}

fn table() -> impl Strategy<Value = TableSeed> {
    let uniques = vec((vec(col_idx(), 1..3), any::<bool>()).prop_map(|(cols, named)| UniqueSeed { cols, named }), 0..3);
    let checks =
        vec(
            (col_idx(), any::<u8>(), any::<i16>(), lit(), any::<bool>())
                .prop_map(|(col, kind, n, lit, named)| CheckSeed { col, kind, n, lit, named }),
            0..3,
        );
    let indexes = vec(
        (vec(col_idx(), 1..3), proptest::bool::weighted(0.3), proptest::bool::weighted(0.2), any::<bool>())
            .prop_map(|(cols, unique, desc, named)| IndexSeed { cols, unique, desc, named }),
        0..3,
    );
    let fks = vec(
        (0..TABLE_SLOTS as u8, vec(col_idx(), 1..3), any::<u8>()).prop_map(|(target, cols, action)| FkSeed {
            target,
            cols,
            action,
        }),
        0..3,
    );
    (
        vec(option::weighted(0.75, column()), 1..=COLUMN_SLOTS),
        option::weighted(0.7, vec(col_idx(), 1..3)),
        uniques,
        checks,
        indexes,
        fks,
        option::weighted(0.2, lit()),
    )
        .prop_map(|(columns, pk, uniques, checks, indexes, fks, comment)| TableSeed {
            columns,
            pk,
            uniques,
            checks,
            indexes,
            fks,
            comment,
        })
}

fn schema() -> impl Strategy<Value = SchemaSeed> {
    let view = (0..TABLE_SLOTS as u8, vec(col_idx(), 0..4), option::weighted(0.5, (col_idx(), any::<i16>(), lit())))
        .prop_map(|(table, cols, filter)| ViewSeed { table, cols, filter });
    (
        vec(option::weighted(0.7, table()), 1..=TABLE_SLOTS),
        vec(option::weighted(0.4, view), 0..=VIEW_SLOTS),
        vec(option::weighted(0.5, vec(lit(), 1..4)), 0..=ENUM_SLOTS),
    )
        .prop_map(|(tables, views, enums)| SchemaSeed { tables, views, enums })
}

pub fn pair() -> impl Strategy<Value = PairSeed> {
    (
        schema(),
        schema(),
        vec(vec(proptest::bool::weighted(0.25), 7 + 4 * COLUMN_SLOTS), TABLE_SLOTS),
        vec(proptest::bool::weighted(0.4), VIEW_SLOTS),
        vec(proptest::bool::weighted(0.4), ENUM_SLOTS),
    )
        .prop_map(|(a, b, table_masks, view_masks, enum_masks)| PairSeed {
            a,
            b,
            table_masks,
            view_masks,
            enum_masks,
        })
}

fn bit(mask: &[bool], i: usize) -> bool {
    mask.get(i).copied().unwrap_or(false)
}

fn slot<T: Clone>(items: &[Option<T>], i: usize) -> Option<T> {
    items.get(i).cloned().flatten()
}

impl PairSeed {
    /// B: A's seed with the masked parts taken from B's own seed.
    pub fn b_seed(&self) -> SchemaSeed {
        let (a, b) = (&self.a, &self.b);
        let mut tables = Vec::new();
        for i in 0..TABLE_SLOTS {
            let mask = self.table_masks.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let (ta, tb) = (slot(&a.tables, i), slot(&b.tables, i));
            let table = if bit(mask, 0) { tb } else { ta.map(|ta| mix_table(&ta, tb, mask)) };
            tables.push(table);
        }
        let views = (0..VIEW_SLOTS)
            .map(|i| if bit(&self.view_masks, i) { slot(&b.views, i) } else { slot(&a.views, i) })
            .collect();
        let enums = (0..ENUM_SLOTS)
            .map(|i| if bit(&self.enum_masks, i) { slot(&b.enums, i) } else { slot(&a.enums, i) })
            .collect();
        SchemaSeed { tables, views, enums }
    }
}

/// A's table with the masked parts from B's table (when B has one at that slot).
fn mix_table(a: &TableSeed, b: Option<TableSeed>, mask: &[bool]) -> TableSeed {
    let Some(b) = b else { return a.clone() };
    let pick = |i: usize| bit(mask, i);
    let mut columns = Vec::new();
    for j in 0..COLUMN_SLOTS {
        let base = 7 + 4 * j;
        let (ca, cb) = (slot(&a.columns, j), slot(&b.columns, j));
        let column = match (ca, cb) {
            (_, cb) if pick(base) => cb,
            (Some(mut ca), Some(cb)) => {
                if pick(base + 1) {
                    ca.nullable = cb.nullable;
                }
                if pick(base + 2) {
                    ca.default = cb.default.clone();
                }
                if pick(base + 3) {
                    ca.comment = cb.comment.clone();
                }
                Some(ca)
            }
            (ca, _) => ca,
        };
        columns.push(column);
    }
    TableSeed {
        columns,
        pk: if pick(1) { b.pk.clone() } else { a.pk.clone() },
        uniques: if pick(2) { b.uniques.clone() } else { a.uniques.clone() },
        checks: if pick(3) { b.checks.clone() } else { a.checks.clone() },
        indexes: if pick(4) { b.indexes.clone() } else { a.indexes.clone() },
        fks: if pick(5) { b.fks.clone() } else { a.fks.clone() },
        comment: if pick(6) { b.comment.clone() } else { a.comment.clone() },
    }
}

// ---------------------------------------------------------------------------------------------------------
// Resolution: a valid schema for one dialect.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Int,
    BigInt,
    SmallInt,
    Text,
    Varchar(u8),
    Bool,
    Decimal,
    Double,
    Real,
    Date,
    Timestamp,
    TimestampTz,
    Datetime,
    Uuid,
    Jsonb,
    Bytea,
    Blob,
    Numeric,
    Enum(usize),
}

impl Ty {
    fn is_numeric(&self) -> bool {
        matches!(self, Ty::Int | Ty::BigInt | Ty::SmallInt | Ty::Decimal | Ty::Double | Ty::Real | Ty::Numeric)
    }

    fn is_string(&self) -> bool {
        matches!(self, Ty::Text | Ty::Varchar(_))
    }

    /// MySQL cannot index it without a prefix length.
    fn unindexable_on_mysql(&self) -> bool {
        matches!(self, Ty::Text | Ty::Blob)
    }
}

fn types(dialect: Dialect) -> Vec<Ty> {
    use Ty::*;
    match dialect {
        Dialect::Postgres => vec![
            Int,
            BigInt,
            SmallInt,
            Text,
            Varchar(20),
            Varchar(100),
            Bool,
            Decimal,
            Double,
            Real,
            Date,
            Timestamp,
            TimestampTz,
            Uuid,
            Jsonb,
            Bytea,
            Enum(0),
            Enum(1),
        ],
        Dialect::Mysql => vec![
            Int,
            BigInt,
            SmallInt,
            Text,
            Varchar(20),
            Varchar(100),
            Bool,
            Decimal,
            Double,
            Date,
            Datetime,
            Timestamp,
        ],
        Dialect::Sqlite => vec![Int, Text, Varchar(20), Real, Blob, Numeric, Bool, Date],
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub ty: Ty,
    pub nullable: bool,
    pub default: Option<DefaultSeed>,
    pub comment: Option<Lit>,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub name: Option<String>,
    pub col: usize,
    pub kind: u8,
    pub n: i16,
    pub lit: Lit,
}

#[derive(Debug, Clone)]
pub struct Index {
    pub name: Option<String>,
    pub cols: Vec<usize>,
    pub unique: bool,
    pub desc: bool,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub cols: Vec<usize>,
    pub target: usize,
    pub target_cols: Vec<usize>,
    pub action: &'static str,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub slot: usize,
    pub name: String,
    pub columns: Vec<Column>,
    pub pk: Option<Vec<usize>>,
    pub uniques: Vec<(Option<String>, Vec<usize>)>,
    pub checks: Vec<Check>,
    pub indexes: Vec<Index>,
    pub fks: Vec<ForeignKey>,
    pub comment: Option<Lit>,
}

#[derive(Debug, Clone)]
pub struct View {
    pub name: String,
    pub table: usize,
    pub cols: Vec<usize>,
    pub filter: Option<(usize, i16, Lit)>,
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub dialect: Dialect,
    pub enums: Vec<Option<Vec<String>>>,
    /// Indexed by slot.
    pub tables: Vec<Option<Table>>,
    pub views: Vec<View>,
}

/// Distinct column positions (into `table.columns`) of the present slots named by `slots`.
fn positions(slots: &[u8], present: &[Option<usize>]) -> Vec<usize> {
    let mut out = Vec::new();
    for &s in slots {
        if let Some(Some(p)) = present.get(s as usize) {
            if !out.contains(p) {
                out.push(*p);
            }
        }
    }
    out
}

pub fn resolve(seed: &SchemaSeed, dialect: Dialect) -> Schema {
    let enums: Vec<Option<Vec<String>>> = (0..ENUM_SLOTS)
        .map(|i| {
            if dialect != Dialect::Postgres {
                return None;
            }
            slot(&seed.enums, i).map(|labels| {
                let mut out: Vec<String> = Vec::new();
                for label in labels {
                    let value = label.value(dialect);
                    let value = if value.is_empty() { "e".to_string() } else { value };
                    if !out.contains(&value) {
                        out.push(value);
                    }
                }
                out
            })
        })
        .collect();
    let all_types = types(dialect);
    let mut tables: Vec<Option<Table>> = Vec::new();
    for (i, table_seed) in (0..TABLE_SLOTS).map(|i| (i, slot(&seed.tables, i))) {
        let Some(ts) = table_seed else {
            tables.push(None);
            continue;
        };
        let name = format!("t{i}");
        let mut columns = Vec::new();
        let mut present: Vec<Option<usize>> = vec![None; COLUMN_SLOTS];
        for (j, c) in ts.columns.iter().enumerate() {
            let Some(c) = c else { continue };
            let mut ty = all_types[c.ty as usize % all_types.len()].clone();
            if let Ty::Enum(k) = ty {
                if enums.get(k).cloned().flatten().is_none() {
                    ty = Ty::Text;
                }
            }
            present[j] = Some(columns.len());
            columns.push(Column {
                name: format!("c{j}"),
                ty,
                nullable: c.nullable,
                default: c.default.clone(),
                comment: c.comment.clone(),
            });
        }
        if columns.is_empty() {
            present[0] = Some(0);
            columns.push(Column { name: "c0".into(), ty: Ty::Int, nullable: true, default: None, comment: None });
        }
        let indexable = |cols: &[Column], p: &usize| !(dialect == Dialect::Mysql && cols[*p].ty.unindexable_on_mysql());
        let pk = ts
            .pk
            .as_ref()
            .map(|s| positions(s, &present))
            .map(|p| p.into_iter().filter(|p| indexable(&columns, p)).collect::<Vec<_>>());
        let pk = pk.filter(|p| !p.is_empty());
        let mut uniques: Vec<(Option<String>, Vec<usize>)> = Vec::new();
        for (k, u) in ts.uniques.iter().enumerate() {
            let cols: Vec<usize> =
                positions(&u.cols, &present).into_iter().filter(|p| indexable(&columns, p)).collect();
            if cols.is_empty() || uniques.iter().any(|(_, c)| *c == cols) {
                continue;
            }
            uniques.push((u.named.then(|| format!("{name}_u{k}")), cols));
        }
        let checks = ts
            .checks
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let col = (*present.get(c.col as usize)?)?;
                Some(Check {
                    name: c.named.then(|| format!("{name}_ck{k}")),
                    col,
                    kind: c.kind,
                    n: c.n,
                    lit: c.lit.clone(),
                })
            })
            .collect();
        let indexes = ts
            .indexes
            .iter()
            .enumerate()
            .filter_map(|(k, ix)| {
                let cols: Vec<usize> =
                    positions(&ix.cols, &present).into_iter().filter(|p| indexable(&columns, p)).collect();
                if cols.is_empty() {
                    return None;
                }
                // PostgreSQL and SQLite need a name on CREATE INDEX only on SQLite; MySQL's inline KEY may omit it
                let named = ix.named || dialect == Dialect::Sqlite;
                Some(Index { name: named.then(|| format!("{name}_i{k}")), cols, unique: ix.unique, desc: ix.desc })
            })
            .collect();
        let mut table = Table {
            slot: i,
            name,
            columns,
            pk,
            uniques,
            checks,
            indexes,
            fks: Vec::new(),
            comment: if dialect == Dialect::Sqlite { None } else { ts.comment.clone() },
        };
        // foreign keys to earlier tables first, then to itself; each source column takes the referenced type
        let mut locked: BTreeSet<usize> = BTreeSet::new();
        let mut ordered: Vec<&FkSeed> = ts.fks.iter().filter(|f| (f.target as usize) < i).collect();
        ordered.extend(ts.fks.iter().filter(|f| f.target as usize == i));
        for fk in ordered {
            let target = fk.target as usize;
            let (target_cols, target_types) = if target == i {
                let Some(pk) = &table.pk else { continue };
                (pk.clone(), pk.iter().map(|&p| table.columns[p].ty.clone()).collect::<Vec<_>>())
            } else {
                let Some(Some(t)) = tables.get(target) else { continue };
                let Some(pk) = &t.pk else { continue };
                (pk.clone(), pk.iter().map(|&p| t.columns[p].ty.clone()).collect::<Vec<_>>())
            };
            let cols: Vec<usize> = positions(&fk.cols, &present);
            if cols.len() < target_cols.len() {
                continue;
            }
            let cols: Vec<usize> = cols[..target_cols.len()].to_vec();
            if target == i && cols.iter().any(|c| target_cols.contains(c)) {
                continue;
            }
            if cols.iter().zip(&target_types).any(|(c, t)| locked.contains(c) && table.columns[*c].ty != *t) {
                continue;
            }
            if table.fks.iter().any(|f| f.cols == cols && f.target == target) {
                continue;
            }
            for (c, t) in cols.iter().zip(&target_types) {
                table.columns[*c].ty = t.clone();
                locked.insert(*c);
            }
            let nullable =
                cols.iter().all(|c| table.columns[*c].nullable && !table.pk.as_ref().is_some_and(|p| p.contains(c)));
            // MariaDB refuses a CHECK on a column its foreign key cascades to or sets NULL (error 1901)
            let checked = dialect == Dialect::Mysql && table.checks.iter().any(|check| cols.contains(&check.col));
            let action = match fk.action % 5 {
                0 => "no action",
                1 if !checked => "cascade",
                2 => "restrict",
                3 if nullable && !checked => "set null",
                _ => "",
            };
            table.fks.push(ForeignKey { cols, target, target_cols, action });
        }
        tables.push(Some(table));
    }
    let views = (0..VIEW_SLOTS)
        .filter_map(|k| {
            let v = slot(&seed.views, k)?;
            let t = tables.get(v.table as usize)?.as_ref()?;
            let present: Vec<Option<usize>> =
                (0..COLUMN_SLOTS).map(|j| t.columns.iter().position(|c| c.name == format!("c{j}"))).collect();
            let mut cols = positions(&v.cols, &present);
            if cols.is_empty() {
                cols = (0..t.columns.len()).collect();
            }
            let filter = v.filter.as_ref().and_then(|(c, n, l)| Some(((*present.get(*c as usize)?)?, *n, l.clone())));
            Some(View { name: format!("v{k}"), table: v.table as usize, cols, filter })
        })
        .collect();
    Schema { dialect, enums, tables, views }
}

// ---------------------------------------------------------------------------------------------------------
// Rendering.

impl Schema {
    /// A string literal in this dialect: MySQL doubles backslashes and quotes, PostgreSQL and SQLite quotes.
    fn lit(&self, value: &str) -> String {
        let escaped = match self.dialect {
            Dialect::Mysql => value.replace('\\', "\\\\").replace('\'', "''"),
            Dialect::Postgres | Dialect::Sqlite => value.replace('\'', "''"),
        };
        format!("'{escaped}'")
    }

    fn ty(&self, ty: &Ty) -> String {
        let d = self.dialect;
        match ty {
            Ty::Int => if d == Dialect::Sqlite { "integer" } else { "int" }.into(),
            Ty::BigInt => "bigint".into(),
            Ty::SmallInt => "smallint".into(),
            Ty::Text => "text".into(),
            Ty::Varchar(n) => format!("varchar({n})"),
            Ty::Bool => "boolean".into(),
            Ty::Decimal => "decimal(10,2)".into(),
            Ty::Double => if d == Dialect::Postgres { "double precision" } else { "double" }.into(),
            Ty::Real => "real".into(),
            Ty::Date => "date".into(),
            Ty::Timestamp => "timestamp".into(),
            Ty::TimestampTz => "timestamptz".into(),
            Ty::Datetime => "datetime".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Jsonb => "jsonb".into(),
            Ty::Bytea => "bytea".into(),
            Ty::Blob => "blob".into(),
            Ty::Numeric => "numeric".into(),
            Ty::Enum(k) => format!("e{k}"),
        }
    }

    fn default_sql(&self, ty: &Ty, d: &DefaultSeed) -> Option<String> {
        let n = d.n;
        let value = d.lit.expr_value(self.dialect);
        Some(match ty {
            Ty::Int | Ty::BigInt | Ty::SmallInt => n.to_string(),
            Ty::Decimal | Ty::Numeric => format!("{n}.25"),
            Ty::Double | Ty::Real => format!("{n}.5"),
            Ty::Bool => if d.flag { "true" } else { "false" }.into(),
            Ty::Text => self.lit(&value),
            Ty::Varchar(len) => self.lit(&value.chars().take(*len as usize).collect::<String>()),
            Ty::Date => format!("'2024-01-{:02}'", 1 + n.unsigned_abs() % 28),
            Ty::Timestamp | Ty::TimestampTz | Ty::Datetime if d.expr => "current_timestamp".into(),
            Ty::Timestamp | Ty::TimestampTz | Ty::Datetime => {
                format!("'2024-01-02 03:04:{:02}'", n.unsigned_abs() % 60)
            }
            Ty::Uuid if d.expr => "gen_random_uuid()".into(),
            Ty::Uuid => format!("'00000000-0000-0000-0000-{:012x}'", n.unsigned_abs()),
            Ty::Jsonb => {
                let json: String = value
                    .chars()
                    .map(|c| match c {
                        '"' => "\\\"".to_string(),
                        '\\' => "\\\\".to_string(),
                        '\n' => "\\n".to_string(),
                        '\t' => "\\t".to_string(),
                        c => c.to_string(),
                    })
                    .collect();
                format!("{}::jsonb", self.lit(&format!("{{\"k\": \"{json}\"}}")))
            }
            Ty::Bytea => self.lit(&format!("\\x{:04x}", n as u16)),
            Ty::Blob => format!("x'{:04x}'", n as u16),
            Ty::Enum(k) => {
                let labels = self.enums.get(*k)?.as_ref()?;
                let label = &labels[n.unsigned_abs() as usize % labels.len()];
                self.lit(label)
            }
        })
    }

    fn check_sql(&self, table: &Table, check: &Check) -> String {
        let column = &table.columns[check.col];
        let c = &column.name;
        if column.ty.is_numeric() {
            match check.kind % 2 {
                0 => format!("{c} >= {}", check.n),
                _ => format!("{c} <> {}", check.n),
            }
        } else if column.ty.is_string() {
            match check.kind % 2 {
                0 => format!("{c} <> {}", self.lit(&check.lit.expr_value(self.dialect))),
                _ => {
                    let length = if self.dialect == Dialect::Mysql { "char_length" } else { "length" };
                    format!("{length}({c}) <= {}", check.n.unsigned_abs() % 200 + 1)
                }
            }
        } else {
            format!("{c} is not null")
        }
    }

    fn filter_sql(&self, table: &Table, (col, n, lit): &(usize, i16, Lit)) -> String {
        let column = &table.columns[*col];
        let c = &column.name;
        if column.ty.is_numeric() {
            format!("{c} > {n}")
        } else if column.ty.is_string() {
            format!("{c} <> {}", self.lit(&lit.expr_value(self.dialect)))
        } else {
            format!("{c} is not null")
        }
    }

    fn cols(table: &Table, cols: &[usize]) -> String {
        cols.iter().map(|&c| table.columns[c].name.as_str()).collect::<Vec<_>>().join(", ")
    }

    pub fn to_sql(&self) -> String {
        let mut sql = String::new();
        for (k, labels) in self.enums.iter().enumerate() {
            if let Some(labels) = labels {
                let labels: Vec<String> = labels.iter().map(|l| self.lit(l)).collect();
                writeln!(sql, "create type e{k} as enum ({});", labels.join(", ")).unwrap();
            }
        }
        for table in self.tables.iter().flatten() {
            let mut parts = Vec::new();
            for column in &table.columns {
                let mut part = format!("{} {}", column.name, self.ty(&column.ty));
                if !column.nullable {
                    part.push_str(" not null");
                }
                if let Some(default) = column.default.as_ref().and_then(|d| self.default_sql(&column.ty, d)) {
                    write!(part, " default {default}").unwrap();
                }
                if let (Dialect::Mysql, Some(comment)) = (self.dialect, &column.comment) {
                    write!(part, " comment {}", self.lit(&comment.value(self.dialect))).unwrap();
                }
                parts.push(part);
            }
            if let Some(pk) = &table.pk {
                parts.push(format!("primary key ({})", Self::cols(table, pk)));
            }
            for (name, cols) in &table.uniques {
                let name = name.as_ref().map(|n| format!("constraint {n} ")).unwrap_or_default();
                parts.push(format!("{name}unique ({})", Self::cols(table, cols)));
            }
            for check in &table.checks {
                let name = check.name.as_ref().map(|n| format!("constraint {n} ")).unwrap_or_default();
                parts.push(format!("{name}check ({})", self.check_sql(table, check)));
            }
            for (k, fk) in table.fks.iter().enumerate() {
                let target = if fk.target == table.slot { table } else { self.tables[fk.target].as_ref().unwrap() };
                let action = if fk.action.is_empty() { String::new() } else { format!(" on delete {}", fk.action) };
                parts.push(format!(
                    "constraint {}_fk{k} foreign key ({}) references {} ({}){action}",
                    table.name,
                    Self::cols(table, &fk.cols),
                    target.name,
                    Self::cols(target, &fk.target_cols)
                ));
            }
            if self.dialect == Dialect::Mysql {
                for index in table.indexes.iter().filter(|i| i.name.is_none()) {
                    let unique = if index.unique { "unique " } else { "" };
                    parts.push(format!("{unique}key ({})", self.index_cols(table, index)));
                }
            }
            write!(sql, "create table {} (\n  {}\n)", table.name, parts.join(",\n  ")).unwrap();
            if let (Dialect::Mysql, Some(comment)) = (self.dialect, &table.comment) {
                write!(sql, " comment={}", self.lit(&comment.value(self.dialect))).unwrap();
            }
            sql.push_str(";\n");
            for index in &table.indexes {
                if self.dialect == Dialect::Mysql && index.name.is_none() {
                    continue;
                }
                let unique = if index.unique { "unique " } else { "" };
                let name = index.name.as_ref().map(|n| format!("{n} ")).unwrap_or_default();
                writeln!(sql, "create {unique}index {name}on {} ({});", table.name, self.index_cols(table, index))
                    .unwrap();
            }
            if self.dialect == Dialect::Postgres {
                if let Some(comment) = &table.comment {
                    writeln!(sql, "comment on table {} is {};", table.name, self.lit(&comment.value(self.dialect)))
                        .unwrap();
                }
                for column in &table.columns {
                    if let Some(comment) = &column.comment {
                        writeln!(
                            sql,
                            "comment on column {}.{} is {};",
                            table.name,
                            column.name,
                            self.lit(&comment.value(self.dialect))
                        )
                        .unwrap();
                    }
                }
            }
        }
        for view in &self.views {
            let table = self.tables[view.table].as_ref().unwrap();
            let filter =
                view.filter.as_ref().map(|f| format!(" where {}", self.filter_sql(table, f))).unwrap_or_default();
            writeln!(
                sql,
                "create view {} as select {} from {}{filter};",
                view.name,
                Self::cols(table, &view.cols),
                table.name
            )
            .unwrap();
        }
        sql
    }

    fn index_cols(&self, table: &Table, index: &Index) -> String {
        index
            .cols
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let desc = if index.desc && i == 0 { " desc" } else { "" };
                format!("{}{desc}", table.columns[c].name)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A and B of a pair in one dialect.
pub fn resolve_pair(seed: &PairSeed, dialect: Dialect) -> (Schema, Schema) {
    (resolve(&seed.a, dialect), resolve(&seed.b_seed(), dialect))
}
