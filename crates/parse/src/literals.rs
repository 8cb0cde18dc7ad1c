//! String values stored so that sqlparser prints them exactly, on the dialects with standard strings
//! (PostgreSQL, SQLite).

use sqlparser::ast::{Statement, Value, ValueWithSpan, VisitMut, VisitorMut};
use std::ops::ControlFlow;

/// sqlparser prints a string value between quotes, doubling a quote only when it is neither after a
/// backslash nor next to another quote: `a''b` would print as the literal of `a'b`, and `a\'b` as an
/// unterminated one. Stored with every quote doubled (so every quote is one of a pair), a value prints as
/// exactly the standard string that holds it. Only the statements whose expressions are printed into the
/// model are rewritten; the others read their string values as they are.
pub(crate) fn double_quotes_for_printing(statement: &mut Statement) {
    if matches!(
        statement,
        Statement::CreateTable(_)
            | Statement::AlterTable(_)
            | Statement::CreateIndex(_)
            | Statement::CreateView(_)
            | Statement::CreateTrigger(_)
            | Statement::CreatePolicy(_)
    ) {
        let _ = statement.visit(&mut DoubleQuotes);
    }
}

struct DoubleQuotes;

impl VisitorMut for DoubleQuotes {
    type Break = ();

    fn post_visit_value(&mut self, value: &mut ValueWithSpan) -> ControlFlow<()> {
        if let Value::SingleQuotedString(text) = &mut value.value {
            *text = text.replace('\'', "''");
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    #[test]
    fn quotes_next_to_quotes_or_backslashes_print_as_written() {
        for sql in [
            r"CREATE TABLE t (a TEXT DEFAULT 'a''''b', b TEXT DEFAULT 'a\''b', c TEXT CHECK (c <> '\'''))",
            r"CREATE VIEW v AS SELECT 'x\''' AS a, '''' AS b",
        ] {
            let mut statement = Parser::parse_sql(&PostgreSqlDialect {}, sql).unwrap().remove(0);
            double_quotes_for_printing(&mut statement);
            assert_eq!(statement.to_string(), sql);
        }
    }
}
