//! How one column changes: in place (`AlterColumn` with its steps in the order they must run), or by
//! dropping and adding it again when PostgreSQL cannot alter it in place (a column that becomes generated,
//! or whose generation expression changes: `SET EXPRESSION` only exists from PostgreSQL 17; the values are
//! derived, so nothing is lost).

use driftless_model::{Column, ColumnChange, DataType, Identity, SequenceOptions};

pub(crate) enum ColumnPlan {
    Alter(Vec<ColumnChange>),
    Recreate,
}

/// The plan for a column present on both sides, `None` when only its comment (or nothing) differs.
/// `default_already_set` is true when a `RecreateEnum` sets the desired default while converting the column.
pub(crate) fn plan_column(from: &Column, to: &Column, default_already_set: bool) -> Option<ColumnPlan> {
    if to.generated.is_some() && (from.generated != to.generated || from.generated_virtual != to.generated_virtual) {
        return Some(ColumnPlan::Recreate);
    }
    let type_changes = from.data_type != to.data_type;
    let default_changes = !default_already_set && from.default != to.default;
    // A type change cannot cast a default bound to the old type, so the default is dropped first and set
    // again after.
    let default_rebinds = !default_already_set && type_changes && from.default.is_some();

    let drop_default = from.default.is_some() && (default_rebinds || (default_changes && to.default.is_none()));
    let set_default = default_changes || default_rebinds;

    let mut changes = Vec::new();
    if drop_default {
        changes.push(ColumnChange::DropDefault);
    }
    if from.identity.is_some() && to.identity.is_none() {
        changes.push(ColumnChange::DropIdentity);
    }
    if from.generated.is_some() && to.generated.is_none() {
        changes.push(ColumnChange::DropGenerated);
    }
    if type_changes {
        changes.push(ColumnChange::Type {
            from: from.data_type.clone(),
            to: to.data_type.clone(),
            explicit_cast: needs_explicit_cast(&from.data_type, &to.data_type),
        });
    } else if from.collation != to.collation {
        changes.push(ColumnChange::Collation {
            from: from.collation.as_deref().map(Into::into),
            to: to.collation.as_deref().map(Into::into),
        });
    }
    match (from.nullable, to.nullable) {
        (false, true) => changes.push(ColumnChange::DropNotNull),
        (true, false) => changes.push(ColumnChange::SetNotNull),
        _ => {}
    }
    if let (true, Some(default)) = (set_default, &to.default) {
        changes.push(ColumnChange::SetDefault { default: (**default).clone() });
    }
    match (&from.identity, &to.identity) {
        (None, Some(identity)) => changes.push(ColumnChange::AddIdentity { identity: identity.as_ref().clone() }),
        (Some(old), Some(new)) => {
            let after_type_change = retyped_identity(old, to.data_type.as_str());
            if after_type_change != **new {
                changes.push(ColumnChange::AlterIdentity { from: after_type_change, to: new.as_ref().clone() });
            }
        }
        _ => {}
    }
    (!changes.is_empty()).then_some(ColumnPlan::Alter(changes))
}

/// The identity as PostgreSQL leaves it after the column's type changes: the sequence takes the new type,
/// and bounds that were the old type's defaults become the new type's.
fn retyped_identity(identity: &Identity, column_type: &str) -> Identity {
    let old = &identity.sequence;
    if old.data_type == column_type || !matches!(column_type, "smallint" | "integer" | "bigint") {
        return identity.clone();
    }
    let old_defaults = SequenceOptions::postgres_defaults(&old.data_type, old.increment);
    let new_defaults = SequenceOptions::postgres_defaults(column_type, old.increment);
    let sequence = SequenceOptions {
        data_type: column_type.into(),
        min_value: if old.min_value == old_defaults.min_value { new_defaults.min_value } else { old.min_value },
        max_value: if old.max_value == old_defaults.max_value { new_defaults.max_value } else { old.max_value },
        start: if old.start == old_defaults.start { new_defaults.start } else { old.start },
        ..old.clone()
    };
    Identity { always: identity.always, sequence }
}

/// Groups of types PostgreSQL converts between with assignment casts, which `ALTER COLUMN ... TYPE` uses
/// when no `USING` is given.
const ASSIGNMENT_CAST_FAMILIES: &[&[&str]] = &[
    &["smallint", "integer", "bigint", "numeric", "real", "double precision"],
    &["text", "character varying", "character", "\"char\"", "name", "bpchar", "citext"],
    &["date", "timestamp without time zone", "timestamp with time zone"],
    &["time without time zone", "time with time zone"],
    &["bit", "bit varying"],
    &["json", "jsonb"],
];

/// True when converting `from` to `to` likely needs `USING column::to`: the types are in no common
/// assignment-cast family (e.g. `text` to `integer`, `integer` to `boolean`, `text` to an enum). Anything
/// converts to a string type through its output function, so those never need one. MySQL's unsigned types
/// are types of their own, in no family.
pub(crate) fn needs_explicit_cast(from: &DataType, to: &DataType) -> bool {
    let (from_base, to_base) = (from.base_name(), to.base_name());
    let signed = |data_type: &DataType| !data_type.is_unsigned();
    if !to.is_array() && to.is_postgres_string() {
        return false;
    }
    if from.is_array() != to.is_array() {
        return true;
    }
    if from_base == to_base && from.is_unsigned() == to.is_unsigned() && from.is_zerofill() == to.is_zerofill() {
        return false;
    }
    !(signed(from)
        && signed(to)
        && ASSIGNMENT_CAST_FAMILIES
            .iter()
            .any(|family| family.contains(&from_base.as_ref()) && family.contains(&to_base.as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_casts_only_across_families() {
        for (from, to, expected) in [
            ("text", "integer", true),
            ("integer", "bigint", false),
            ("integer", "numeric(10,2)", false),
            ("character varying(10)", "character varying(20)", false),
            ("character varying(10)", "text", false),
            ("integer", "text", false),
            ("integer", "boolean", true),
            ("text", "mood", true),
            ("mood", "text", false),
            ("timestamp(3) without time zone", "timestamp with time zone", false),
            ("integer[]", "bigint[]", false),
            ("integer", "integer[]", true),
            ("text[]", "integer[]", true),
            ("json", "jsonb", false),
            ("uuid", "uuid", false),
            ("smallint(6)", "bigint(20)", false),
            ("smallint(5) unsigned", "bigint(20)", true),
            ("int(10) unsigned", "int(11)", true),
            ("int(10) unsigned", "int(11) unsigned", false),
            ("decimal(5,0) unsigned zerofill", "decimal(5,0) unsigned", true),
        ] {
            assert_eq!(needs_explicit_cast(&from.into(), &to.into()), expected, "{from} -> {to}");
        }
    }

    #[test]
    fn identity_bounds_follow_a_type_change() {
        let identity = Identity { always: true, sequence: SequenceOptions::postgres_defaults("integer", 1) };
        let retyped = retyped_identity(&identity, "bigint");
        assert_eq!(retyped.sequence, SequenceOptions::postgres_defaults("bigint", 1));
    }
}
