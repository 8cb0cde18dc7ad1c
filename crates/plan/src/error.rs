use driftless_model::{Change, CommentTarget, Dialect, ObjectRef};

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The dialect has no statement for the change: an object kind it does not have (a sequence reaching
    /// MySQL), or an alteration it cannot make (SQLite renames no index). Planning stops rather than borrow
    /// another dialect's SQL, which the database would reject halfway through the apply.
    #[error("no {} statement for {} ({})", dialect_name(*.dialect), .change.kind(), object_label(.change))]
    Unsupported { change: Box<Change>, dialect: Dialect },
    /// The dialect has the object but no statement that makes the change without losing data (a domain's base
    /// type, while columns use it): planning stops before anything is applied.
    #[error("{reason} ({})", object_label(.change))]
    Refused { change: Box<Change>, reason: String },
}

impl PlanError {
    pub(crate) fn unsupported(change: &Change, dialect: Dialect) -> Self {
        PlanError::Unsupported { change: Box::new(change.clone()), dialect }
    }
}

fn dialect_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "PostgreSQL",
        Dialect::Mysql => "MySQL",
        Dialect::Sqlite => "SQLite",
    }
}

/// The object the change is about as a user names it: `sequence app.ids`, `index users_email on app.users`.
fn object_label(change: &Change) -> String {
    // a comment's object names an index by its schema alone
    if let Change::SetComment { target: CommentTarget::Index { schema, name }, .. } = change {
        return format!("index {name} in {schema}");
    }
    match change.object() {
        ObjectRef::Schema(name) => format!("schema {name}"),
        ObjectRef::Extension(name) => format!("extension {name}"),
        ObjectRef::Relation(name) => format!("relation {name}"),
        ObjectRef::Column(table, column) => format!("column {column} of {table}"),
        ObjectRef::Constraint(table, name) => format!("constraint {name} on {table}"),
        ObjectRef::Index(table, name) => format!("index {name} on {table}"),
        ObjectRef::Trigger(table, name) => format!("trigger {name} on {table}"),
        ObjectRef::Policy(table, name) => format!("policy {name} on {table}"),
        ObjectRef::Sequence(name) => format!("sequence {name}"),
        ObjectRef::Type(name) => format!("type {name}"),
        ObjectRef::Function(schema, signature) => format!("function {schema}.{signature}"),
    }
}
