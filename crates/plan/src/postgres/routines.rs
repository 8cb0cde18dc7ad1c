//! Functions, procedures and triggers.

use super::comment_if_any;
use driftless_model::{
    Aggregate, ArgMode, CommentTarget, Deferrable, FinalModify, Function, FunctionKind, Parallel, QualifiedName,
    Trigger, TriggerAction, TriggerEvent, TriggerTiming, Volatility, quote_ident, quote_literal,
};

fn kind_keyword(kind: &FunctionKind) -> &'static str {
    match kind {
        FunctionKind::Function => "FUNCTION",
        FunctionKind::Procedure => "PROCEDURE",
        FunctionKind::Aggregate(_) => "AGGREGATE",
    }
}

/// `FUNCTION name(types)`, the way DROP and COMMENT ON name a routine; an aggregate without arguments is `(*)`.
pub(super) fn routine_reference(kind: &FunctionKind, name: &QualifiedName, arg_types: &[impl AsRef<str>]) -> String {
    let types: Vec<&str> = arg_types.iter().map(AsRef::as_ref).collect();
    let types = match kind {
        FunctionKind::Aggregate(_) if types.is_empty() => "*".to_string(),
        _ => types.join(", "),
    };
    format!("{} {}({types})", kind_keyword(kind), name.quoted())
}

/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE|AGGREGATE` from the model's fields, then its comment when created.
pub(super) fn create_function(function: &Function, replace: bool) -> Vec<String> {
    let or_replace = if replace { "OR REPLACE " } else { "" };
    let args: Vec<String> = function
        .args
        .iter()
        .map(|arg| {
            let mode = match arg.mode {
                ArgMode::In => "",
                ArgMode::Out => "OUT ",
                ArgMode::InOut => "INOUT ",
                ArgMode::Variadic => "VARIADIC ",
            };
            let name = arg.name.as_ref().map(|name| format!("{} ", quote_ident(name))).unwrap_or_default();
            let default = arg.default.as_ref().map(|default| format!(" DEFAULT {default}")).unwrap_or_default();
            format!("{mode}{name}{}{default}", arg.data_type)
        })
        .collect();
    let head = routine_reference(&function.kind, &function.name, &args);
    let mut sql = format!("CREATE {or_replace}{head}");
    if let FunctionKind::Aggregate(aggregate) = &function.kind {
        sql.push_str(&aggregate_options(aggregate, function.parallel));
        return with_comment_if_created(sql, function, replace);
    }
    if function.kind == FunctionKind::Function {
        sql.push_str(&format!("\n RETURNS {}", function.returns));
    }
    sql.push_str(&format!("\n LANGUAGE {}", quote_ident(&function.language)));
    if function.kind == FunctionKind::Function {
        match function.volatility {
            Volatility::Immutable => sql.push_str(" IMMUTABLE"),
            Volatility::Stable => sql.push_str(" STABLE"),
            Volatility::Volatile => {}
        }
        if function.strict {
            sql.push_str(" STRICT");
        }
    }
    if function.security_definer {
        sql.push_str(" SECURITY DEFINER");
    }
    if function.leakproof {
        sql.push_str(" LEAKPROOF");
    }
    match function.parallel {
        Parallel::Unsafe => {}
        Parallel::Restricted => sql.push_str(" PARALLEL RESTRICTED"),
        Parallel::Safe => sql.push_str(" PARALLEL SAFE"),
    }
    if function.cost != Function::default_cost(&function.language) {
        sql.push_str(&format!(" COST {}", function.cost));
    }
    if function.rows != Function::default_rows(&function.returns) {
        sql.push_str(&format!(" ROWS {}", function.rows));
    }
    for setting in &function.config {
        let (name, value) = setting.split_once('=').unwrap_or((setting, ""));
        let items: Vec<String> = if Function::quotes_list_items(name) {
            // PostgreSQL quotes the items again as it stores them, and rejects `""` as an identifier
            identifier_items(value).iter().map(|item| quote_literal(item)).collect()
        } else {
            value.split(", ").map(quote_literal).collect()
        };
        sql.push_str(&format!("\nSET {} = {}", quote_ident(name), items.join(", ")));
    }
    match &function.sql_body {
        Some(sql_body) => sql.push_str(&format!("\n{}", sql_body.sql)),
        None => {
            let tag = dollar_tag(&function.body);
            sql.push_str(&format!("\nAS {tag}{}{tag}", function.body));
        }
    }
    with_comment_if_created(sql, function, replace)
}

fn with_comment_if_created(sql: String, function: &Function, replace: bool) -> Vec<String> {
    let mut statements = vec![sql];
    if !replace {
        statements.extend(comment_if_any(&CommentTarget::function(function), function.comment.as_deref()));
    }
    statements
}

/// ` (SFUNC = ..., STYPE = ..., ...)`: the options that differ from the defaults, in the order pg_dump writes.
fn aggregate_options(aggregate: &Aggregate, parallel: Parallel) -> String {
    let mut options =
        vec![format!("SFUNC = {}", aggregate.state_function), format!("STYPE = {}", aggregate.state_type)];
    if aggregate.state_space != 0 {
        options.push(format!("SSPACE = {}", aggregate.state_space));
    }
    if let Some(initial) = &aggregate.initial_condition {
        options.push(format!("INITCOND = {}", quote_literal(initial)));
    }
    if let Some(final_function) = &aggregate.final_function {
        options.push(format!("FINALFUNC = {final_function}"));
    }
    if aggregate.final_extra {
        options.push("FINALFUNC_EXTRA".to_string());
    }
    match aggregate.final_modify {
        FinalModify::ReadOnly => {}
        FinalModify::Shareable => options.push("FINALFUNC_MODIFY = SHAREABLE".to_string()),
        FinalModify::ReadWrite => options.push("FINALFUNC_MODIFY = READ_WRITE".to_string()),
    }
    let functions = [
        ("COMBINEFUNC", &aggregate.combine_function),
        ("SERIALFUNC", &aggregate.serial_function),
        ("DESERIALFUNC", &aggregate.deserial_function),
    ];
    for (option, function) in functions {
        if let Some(function) = function {
            options.push(format!("{option} = {function}"));
        }
    }
    match parallel {
        Parallel::Unsafe => {}
        Parallel::Restricted => options.push("PARALLEL = RESTRICTED".to_string()),
        Parallel::Safe => options.push("PARALLEL = SAFE".to_string()),
    }
    format!(" (\n    {}\n)", options.join(",\n    "))
}

/// The items of a stored list of identifiers (`public, "$user", ""`), unquoted.
fn identifier_items(value: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = value.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                items.last_mut().expect("never empty").push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => items.push(String::new()),
            ' ' if !quoted => {}
            c => items.last_mut().expect("never empty").push(c),
        }
    }
    items
}

/// A dollar-quote tag that cannot end the body early: `$function$`, numbered when the body contains it.
/// The check runs on body plus tag, so a body ending in a prefix of the tag is caught too.
fn dollar_tag(body: &str) -> String {
    (0..)
        .map(|n| if n == 0 { "$function$".to_string() } else { format!("$function{n}$") })
        .find(|tag| format!("{body}{tag}").find(tag.as_str()) == Some(body.len()))
        .expect("some numbered tag is absent from any finite body")
}

pub(super) fn drop_function(function: &Function) -> String {
    // Output arguments are not part of the signature that identifies a function.
    let arg_types: Vec<&str> =
        function.args.iter().filter(|arg| arg.mode != ArgMode::Out).map(|arg| arg.data_type.as_str()).collect();
    format!("DROP {}", routine_reference(&function.kind, &function.name, &arg_types))
}

/// `CREATE TRIGGER ... EXECUTE FUNCTION`; `None` for a trigger with a body, which PostgreSQL has not (`plan`
/// refuses one before rendering).
pub(super) fn create_trigger(table: &QualifiedName, trigger: &Trigger) -> Option<String> {
    let TriggerAction::Function { function, args } = &trigger.action else {
        return None;
    };
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<String> = trigger
        .events
        .iter()
        .map(|event| match event {
            TriggerEvent::Insert => "INSERT".to_string(),
            TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE".to_string(),
            TriggerEvent::Update { columns } => {
                format!("UPDATE OF {}", super::tables::column_list(columns))
            }
            TriggerEvent::Delete => "DELETE".to_string(),
            TriggerEvent::Truncate => "TRUNCATE".to_string(),
        })
        .collect();
    let level = if trigger.for_each_row { "ROW" } else { "STATEMENT" };
    let when = trigger.when.as_ref().map(|when| format!(" WHEN ({when})")).unwrap_or_default();
    let args: Vec<String> = args.iter().map(|arg| quote_literal(arg)).collect();
    let (kind, constraint) = match &trigger.constraint {
        None => ("TRIGGER", String::new()),
        Some(constraint) => {
            let from = constraint.from.as_ref().map(|from| format!(" FROM {}", from.quoted())).unwrap_or_default();
            let deferrable = match constraint.deferrable {
                Deferrable::NotDeferrable => " NOT DEFERRABLE",
                Deferrable::InitiallyImmediate => " DEFERRABLE",
                Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
            };
            ("CONSTRAINT TRIGGER", format!("{from}{deferrable}"))
        }
    };
    Some(format!(
        "CREATE {kind} {} {timing} {} ON {}{constraint} FOR EACH {level}{when} EXECUTE FUNCTION {}({})",
        quote_ident(&trigger.name),
        events.join(" OR "),
        table.quoted(),
        function.quoted(),
        args.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::identifier_items;

    #[test]
    fn stored_identifier_lists_are_unquoted_item_by_item() {
        assert_eq!(identifier_items(r#"public, "$user""#), vec!["public", "$user"]);
        assert_eq!(identifier_items(r#""""#), vec![""]);
        assert_eq!(identifier_items(r#""a, ""b""", c"#), vec![r#"a, "b""#, "c"]);
    }
}
