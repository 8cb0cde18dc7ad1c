//! `schema_hash`: the model streamed into SHA-256 by a serializer of its own, never rendered (rendering the
//! whole schema as DDL cost a fifth of a plan's time and 60 MiB at 5,000 tables).
//!
//! Two models must hash alike exactly when they are equal, and expressions are equal by their canonical
//! form while they serialize their text too (`inspect --format json` shows it): an expression is hashed by
//! its canonical form alone, so that reformatting the desired SQL leaves the hash, and the approvals bound to
//! it, alone. Everything else is hashed as it serializes, each value framed (lengths, option and element
//! markers, field and variant names) so that different models never write the same bytes.

use driftless_model::Database;
use serde::Serialize;
use serde::ser;
use sha2::{Digest, Sha256};
use std::fmt;

/// A stable hash of a schema: two models hash alike exactly when they are equal.
pub fn schema_hash(db: &Database) -> String {
    let mut hasher = Hasher(Sha256::new());
    db.serialize(&mut hasher).expect("hashing a model cannot fail");
    hex::encode(hasher.0.finalize())[..16].to_string()
}

/// The struct name and field serde gives `driftless_model::Expr`'s text: the field equality ignores.
const EXPR: &str = "Expr";
const EXPR_TEXT: &str = "sql";

struct Hasher(Sha256);

impl Hasher {
    fn bytes(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn marker(&mut self, marker: u8) {
        self.0.update([marker]);
    }
}

/// Frames an element, entry or field: `MORE` before each, `END` after the last.
const MORE: u8 = 1;
const END: u8 = 0;

/// A sequence, map or struct being hashed; `skipped` names a field left out (an expression's text).
struct Compound<'a> {
    hasher: &'a mut Hasher,
    skipped: Option<&'static str>,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        self.hasher.marker(MORE);
        value.serialize(&mut *self.hasher)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), fmt::Error> {
        if self.skipped == Some(key) {
            return Ok(());
        }
        self.hasher.marker(MORE);
        self.hasher.bytes(key.as_bytes());
        value.serialize(&mut *self.hasher)
    }

    fn end(self) -> Result<(), fmt::Error> {
        self.hasher.marker(END);
        Ok(())
    }
}

macro_rules! integers {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, value: $type) -> Result<(), fmt::Error> {
            self.0.update(value.to_le_bytes());
            Ok(())
        })*
    };
}

impl<'a> ser::Serializer for &'a mut Hasher {
    type Ok = ();
    type Error = fmt::Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_u8: u8,
        serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32, serialize_f64: f64);

    fn serialize_bool(self, value: bool) -> Result<(), fmt::Error> {
        self.serialize_u8(value.into())
    }

    fn serialize_char(self, value: char) -> Result<(), fmt::Error> {
        self.serialize_u32(value.into())
    }

    fn serialize_str(self, value: &str) -> Result<(), fmt::Error> {
        self.bytes(value.as_bytes());
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), fmt::Error> {
        self.bytes(value);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), fmt::Error> {
        self.marker(END);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), fmt::Error> {
        self.marker(MORE);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), fmt::Error> {
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), fmt::Error> {
        Ok(())
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), fmt::Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), fmt::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), fmt::Error> {
        self.serialize_str(variant)?;
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, fmt::Error> {
        Ok(Compound { hasher: self, skipped: None })
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, fmt::Error> {
        Ok(Compound { hasher: self, skipped: None })
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, fmt::Error> {
        Ok(Compound { hasher: self, skipped: None })
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, fmt::Error> {
        self.serialize_str(variant)?;
        Ok(Compound { hasher: self, skipped: None })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, fmt::Error> {
        Ok(Compound { hasher: self, skipped: None })
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a>, fmt::Error> {
        Ok(Compound { hasher: self, skipped: (name == EXPR).then_some(EXPR_TEXT) })
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, fmt::Error> {
        self.serialize_str(variant)?;
        Ok(Compound { hasher: self, skipped: None })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

/// A key and its value are framed as one element.
impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), fmt::Error> {
        self.element(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), fmt::Error> {
        value.serialize(&mut *self.hasher)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), fmt::Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = fmt::Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), fmt::Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), fmt::Error> {
        Compound::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_model::builders::{add_table, column, table};
    use driftless_model::{Check, Dialect, Expr};
    use driftless_parse::{ParseOptions, parse_schema};
    use proptest::prelude::*;

    fn parsed(sql: &str) -> Database {
        parse_schema(sql, &ParseOptions::new(Dialect::Postgres)).unwrap()
    }

    #[test]
    fn reformatting_the_sql_leaves_the_hash() {
        let written = parsed(
            "create table t (a int default 1+1 check (a>0), b text default 'x');
             create view v as select a from t where b = 'y';",
        );
        let reformatted = parsed(
            "CREATE TABLE t (
                 a INT DEFAULT (1 + 1) CHECK ( a > 0 ),
                 b TEXT DEFAULT 'x'
             );
             CREATE VIEW v AS SELECT a FROM t WHERE (b = 'y');",
        );
        assert_eq!(written, reformatted);
        assert_eq!(schema_hash(&written), schema_hash(&reformatted));
        let other = parsed("create table t (a int default 2 check (a>0), b text default 'x');");
        assert_ne!(schema_hash(&written), schema_hash(&other));
    }

    /// Up to two columns named `a` or `b` with an optional default, and an optional check, each expression
    /// one of two canonical forms: few enough that two drawn shapes are often equal.
    type Shape = (Vec<(&'static str, Option<usize>)>, Option<usize>);

    fn shape() -> impl Strategy<Value = Shape> {
        let column = (prop::sample::select(vec!["a", "b"]), prop::option::of(0..2usize));
        (prop::collection::vec(column, 0..=2), prop::option::of(0..2usize))
    }

    /// The model of a shape, each expression written with or without spaces and parentheses as `spaced` says.
    fn model((columns, check): &Shape, spaced: [bool; 3]) -> Database {
        let expr = |canonical: usize, spaced: bool| {
            let canonical = ["0", "1 + 1"][canonical];
            let sql = if spaced { format!("( {canonical} )") } else { canonical.replace(' ', "") };
            Expr::new(sql, canonical)
        };
        let columns = columns.iter().zip(spaced).map(|(&(name, default), spaced)| driftless_model::Column {
            default: default.map(|canonical| Box::new(expr(canonical, spaced))),
            ..column(name, "int")
        });
        let mut t = table("t", columns);
        t.checks.extend(check.map(|canonical| Check {
            not_valid: false,
            comment: None,
            name: "t_check".into(),
            expr: expr(canonical, spaced[2]),
            no_inherit: false,
        }));
        let mut db = Database::new(Dialect::Postgres);
        add_table(&mut db, t);
        db
    }

    proptest! {
        #[test]
        fn models_hash_alike_exactly_when_they_are_equal(
            a in shape(),
            b in shape(),
            same_shape: bool,
            spaced_a: [bool; 3],
            spaced_b: [bool; 3],
        ) {
            let (a, b) = (model(&a, spaced_a), model(if same_shape { &a } else { &b }, spaced_b));
            prop_assert_eq!(a == b, schema_hash(&a) == schema_hash(&b));
        }
    }
}
