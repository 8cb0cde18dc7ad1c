//! Expressions and view queries compared the way the live side prints them: names in the connection's
//! default schema unqualified (see `canon::relative_to`).

use super::Builder;
use crate::canon::relative_to;
use driftless_model::{Expr, IndexKey, IndexPart};

impl Builder<'_> {
    pub(super) fn unqualify_default_schema(&mut self) {
        let schema = self.options.default_schema.clone();
        let expression = |expr: &mut Expr| expr.canonical = relative_to(&expr.canonical, &schema, false).into();
        let key = |part: &mut IndexPart| {
            if let IndexKey::Expression(e) = &mut part.key {
                expression(e);
            }
        };
        for each in self.db.schemas.values_mut() {
            for table in each.tables.values_mut() {
                for column in &mut table.columns {
                    column.default.iter_mut().chain(column.generated.iter_mut()).for_each(|e| expression(e));
                }
                table.checks.values_mut().for_each(|check| expression(&mut check.expr));
                for index in table.indexes.values_mut() {
                    index.predicate.iter_mut().for_each(expression);
                    index.parts.iter_mut().for_each(|part| key(part));
                }
                for exclusion in table.exclusions.values_mut() {
                    exclusion.predicate.iter_mut().for_each(expression);
                    exclusion.elements.iter_mut().for_each(|element| key(&mut element.part));
                }
            }
            for domain in each.domains.values_mut() {
                domain.default.iter_mut().for_each(expression);
                domain.checks.values_mut().for_each(|check| expression(&mut check.expr));
            }
            for view in each.views.values_mut() {
                view.query.canonical = relative_to(&view.query.canonical, &schema, true).into();
            }
        }
    }
}
