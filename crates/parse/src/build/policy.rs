//! Row-level security: `CREATE POLICY`, `ALTER TABLE ... ENABLE|DISABLE|[NO] FORCE ROW LEVEL SECURITY`, as
//! `pg_policy` and `pg_class` keep them.

use super::Builder;
use crate::ParseError;
use crate::ident::fold;
use driftless_model::{Policy, PolicyCommand, QualifiedName};
use sqlparser::ast::{AlterTableOperation, CreatePolicy, CreatePolicyCommand, CreatePolicyType, Owner};

impl Builder<'_> {
    pub(super) fn create_policy(&mut self, create: CreatePolicy) -> Result<(), ParseError> {
        let table = self.qualify(&create.table_name)?;
        if self.db.table(&table).is_none() {
            return Err(self.invalid(&format!("table {table} is not declared before this statement")));
        }
        let mut roles = Vec::new();
        for owner in create.to.unwrap_or_default() {
            match owner {
                Owner::Ident(role) => roles.push(fold(&role)),
                // the server stores the role these stand for when the policy is created
                other => {
                    return Err(self.unsupported(&format!(
                        "a policy for {other} names whoever creates it; name the role instead"
                    )));
                }
            }
        }
        // PUBLIC among others stands alone: PostgreSQL ignores the others (with a warning)
        if roles.is_empty() || roles.iter().any(|role| role == "public") {
            roles = vec!["public".into()];
        }
        roles.sort();
        roles.dedup();
        let expression = |expr: Option<sqlparser::ast::Expr>| expr.map(|e| super::expression(&e.to_string()));
        let policy = Policy {
            name: fold(&create.name),
            permissive: create.policy_type != Some(CreatePolicyType::Restrictive),
            command: match create.command {
                None | Some(CreatePolicyCommand::All) => PolicyCommand::All,
                Some(CreatePolicyCommand::Select) => PolicyCommand::Select,
                Some(CreatePolicyCommand::Insert) => PolicyCommand::Insert,
                Some(CreatePolicyCommand::Update) => PolicyCommand::Update,
                Some(CreatePolicyCommand::Delete) => PolicyCommand::Delete,
            },
            roles,
            using: expression(create.using),
            with_check: expression(create.with_check),
            comment: None,
        };
        if policy.command == PolicyCommand::Insert && policy.using.is_some() {
            return Err(self.invalid("an INSERT policy takes only WITH CHECK"));
        }
        if matches!(policy.command, PolicyCommand::Select | PolicyCommand::Delete) && policy.with_check.is_some() {
            return Err(self.invalid("a SELECT or DELETE policy takes only USING"));
        }
        let policies = &mut self.table_mut(&table).policies;
        if policies.contains_key(&policy.name) {
            return Err(self.invalid(&format!("policy {} on {table} is declared twice", policy.name)));
        }
        policies.insert(policy);
        Ok(())
    }

    /// `ENABLE`, `DISABLE`, `FORCE` or `NO FORCE ROW LEVEL SECURITY`; other operations change nothing here.
    pub(super) fn switch_row_security(&mut self, table: &QualifiedName, operation: &AlterTableOperation) {
        let security = &mut self.table_mut(table).row_security;
        match operation {
            AlterTableOperation::EnableRowLevelSecurity => security.enabled = true,
            AlterTableOperation::DisableRowLevelSecurity => security.enabled = false,
            AlterTableOperation::ForceRowLevelSecurity => security.forced = true,
            AlterTableOperation::NoForceRowLevelSecurity => security.forced = false,
            _ => {}
        }
    }
}
