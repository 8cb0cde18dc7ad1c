//! Names as PostgreSQL prints them for a connection whose current schema is `schema`: a name in that
//! schema is visible, so `pg_get_expr` and `pg_get_viewdef` print it unqualified. pg_dump qualifies every
//! name, so a canonical form read from a dump drops those qualifiers to compare equal to the live one.

use sqlparser::ast::{
    DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, ObjectNamePart, Value,
    visit_expressions_mut, visit_relations_mut,
};
use std::ops::ControlFlow;

/// The canonical expression (or query, when `query`) with `schema.` qualifiers dropped from relations,
/// functions, `schema.table.column` references and `'schema.name'::regclass` literals.
pub fn relative_to(canonical: &str, schema: &str, query: bool) -> String {
    if !canonical.contains(schema) {
        return canonical.to_string();
    }
    // normalized again after the change, since printing a reparsed canonical form is not canonical itself
    if query {
        let Some(mut parsed) = super::parse_query(canonical) else { return canonical.to_string() };
        unqualify(&mut parsed, schema);
        super::normalize_query(&mut parsed);
        super::parens::parenthesize_query(&mut parsed);
        parsed.to_string()
    } else {
        let Some(mut parsed) = super::parse_expr(canonical) else { return canonical.to_string() };
        unqualify(&mut parsed, schema);
        super::normalize_expr(&mut parsed);
        super::parens::parenthesize_expr(&mut parsed);
        parsed.to_string()
    }
}

fn unqualify<V: sqlparser::ast::VisitMut>(node: &mut V, schema: &str) {
    let _ = visit_relations_mut(node, |name| {
        strip_name(name, schema);
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(node, |expr| {
        match expr {
            Expr::CompoundIdentifier(parts) if parts.len() == 3 && parts[0].value == schema => {
                parts.remove(0);
            }
            Expr::Function(function) => {
                strip_name(&mut function.name, schema);
                // the canonical `nextval('seq')` has lost its `::regclass`
                if matches!(function.name.to_string().as_str(), "nextval" | "currval")
                    && let FunctionArguments::List(list) = &mut function.args
                    && let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(literal))) = list.args.first_mut()
                {
                    strip_literal(literal, schema);
                }
            }
            Expr::Cast { expr: literal, data_type, .. } if is_regclass(data_type) => strip_literal(literal, schema),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn strip_name(name: &mut ObjectName, schema: &str) {
    if name.0.len() == 2 && matches!(&name.0[0], ObjectNamePart::Identifier(ident) if ident.value == schema) {
        name.0.remove(0);
    }
}

fn is_regclass(data_type: &DataType) -> bool {
    match data_type {
        DataType::Regclass => true,
        DataType::Custom(name, modifiers) => modifiers.is_empty() && name.to_string().eq_ignore_ascii_case("regclass"),
        _ => false,
    }
}

/// `'schema.name'` naming a relation, as `regclass` prints it.
fn strip_literal(literal: &mut Expr, schema: &str) {
    if let Expr::Value(value) = literal
        && let Value::SingleQuotedString(text) = &mut value.value
        && let Some(rest) = text.strip_prefix(&format!("{}.", crate::ident::quote_if_needed(schema)))
    {
        *text = rest.to_string();
    }
}
