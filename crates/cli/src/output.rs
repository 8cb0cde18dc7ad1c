//! Renders plans for people (text, Markdown) and for tools (JSON, documented in docs/cli.md).

use driftless_engine::{Outcome, Severity};
use serde_json::json;
use std::fmt::Write;
use std::io::IsTerminal;

/// ANSI styling, on only when stdout is a terminal and NO_COLOR is unset.
#[derive(Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn detect() -> Style {
        Style { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
}

/// The plan for a terminal: statements grouped under the change they come from, each change's findings
/// under its SQL, then a summary.
pub fn text(outcome: &Outcome, database: &str, style: Style) -> String {
    let mut out = String::new();
    let plan = &outcome.plan;
    if outcome.in_sync() {
        let _ = writeln!(out, "{} {}", style.green("In sync:"), style.dim(&visible(database)));
        out.push_str(&left_alone_note(outcome));
        return out;
    }
    let database = visible(database);
    let _ = writeln!(
        out,
        "{} {} · {} · {} {}",
        style.bold("Plan"),
        plan.hash(),
        counted(plan.changes.len(), "change"),
        counted(plan.statements.len(), "statement"),
        style.dim(&format!("({database})"))
    );
    for (index, change) in plan.changes.iter().enumerate() {
        let statements: Vec<_> = plan.statements.iter().filter(|statement| statement.change == index).collect();
        let has_findings = outcome.findings.iter().any(|finding| finding.change == index);
        if statements.is_empty() && !has_findings {
            continue;
        }
        let _ = writeln!(out, "\n  {}", style.dim(&format!("-- {}", change.kind())));
        if statements.is_empty() {
            // SQLite folds several changes of a table into one rebuild, listed under the last of them
            let _ = writeln!(out, "  {}", style.dim("-- done by the table rebuild below"));
        }
        for statement in statements {
            if !statement.transactional {
                let _ = writeln!(out, "  {}", style.dim("-- runs alone, outside a transaction"));
            }
            for line in statement.sql.lines() {
                let _ = writeln!(out, "  {}", visible(line));
            }
            if !statement.sql.trim_end().ends_with(';') {
                out.pop();
                out.push_str(";\n");
            }
        }
        for finding in outcome.findings.iter().filter(|finding| finding.change == index) {
            if let Some(suppressed) = finding.suppressed {
                let note = format!("(driftless:nolint, line {})", suppressed.line);
                let _ = writeln!(
                    out,
                    "  {} {} {} {}",
                    style.dim("suppressed"),
                    style.bold(finding.code),
                    visible(&finding.message),
                    style.dim(&note)
                );
                continue;
            }
            let label = match finding.severity {
                Severity::Error => style.red("error"),
                Severity::Warning => style.yellow("warning"),
            };
            let _ = writeln!(out, "  {label} {} {}", style.bold(finding.code), visible(&finding.message));
            let _ = writeln!(out, "      {}", style.dim(&format!("fix: {}", visible(finding.suggestion))));
        }
    }
    if !outcome.findings.is_empty() {
        let suppressed = outcome.findings.iter().filter(|f| f.suppressed.is_some()).count();
        let errors = unsuppressed_errors(outcome);
        let warnings = outcome.findings.len() - errors - suppressed;
        let _ =
            write!(out, "\n{}: {}, {}", style.bold("Findings"), counted(errors, "error"), counted(warnings, "warning"));
        if suppressed > 0 {
            let _ = write!(out, ", {suppressed} suppressed");
        }
        out.push('\n');
    }
    out.push_str(&left_alone_note(outcome));
    if outcome.blocked() {
        let errors = unsuppressed_errors(outcome);
        let _ = writeln!(out, "\n{}", style.red(&format!("Blocked by the lint policy: {}.", counted(errors, "error"))));
    }
    out
}

/// Findings of error severity that no `nolint` suppresses: the ones that block.
fn unsuppressed_errors(outcome: &Outcome) -> usize {
    outcome.findings.iter().filter(|f| f.severity == Severity::Error && f.suppressed.is_none()).count()
}

/// What the plan leaves alone, a line each: `2 changes skipped by policy.diff.skip: drop_table, drop_column`,
/// `3 statements accepted and not managed: 2 OWNER TO, 1 setval`; or nothing.
fn left_alone_note(outcome: &Outcome) -> String {
    let mut note = String::new();
    if !outcome.skipped.is_empty() {
        let kinds: Vec<&str> = outcome.skipped.iter().map(|change| change.kind()).collect();
        let _ = writeln!(note, "{} skipped by policy.diff.skip: {}", counted(kinds.len(), "change"), kinds.join(", "));
    }
    if let Some(not_managed) = outcome.not_managed.describe() {
        note.push_str(&not_managed);
        note.push('\n');
    }
    note
}

/// The plan as stable JSON for tools and CI.
pub fn json(outcome: &Outcome, database: &str, applied: Option<usize>) -> String {
    let mut value = json!({
        "format_version": 1,
        "database": database,
        "dialect": outcome.dialect,
        "in_sync": outcome.in_sync(),
        "blocked": outcome.blocked(),
        "plan_hash": outcome.plan.hash(),
        "statements": outcome.plan.statements,
        "changes": outcome.plan.changes,
        "findings": outcome.findings,
        "skipped": outcome.skipped,
        "not_managed": {
            "ownership": outcome.not_managed.ownership,
            "sequence_values": outcome.not_managed.sequence_values,
            "extension_comments": outcome.not_managed.extension_comments,
            "privileges": outcome.not_managed.privileges,
        },
    });
    if let Some(applied) = applied {
        value["applied_statements"] = json!(applied);
    }
    serde_json::to_string_pretty(&value).expect("plans serialize") + "\n"
}

/// The plan as a Markdown pull-request comment.
pub fn markdown(outcome: &Outcome, database: &str) -> String {
    let mut out = String::new();
    if outcome.in_sync() {
        let _ =
            writeln!(out, "### Driftless: in sync\n\n{} already matches the desired schema.", inline_code(database));
        out.push_str(&left_alone_note(outcome));
        return out;
    }
    let plan = &outcome.plan;
    let verdict = match outcome.verdict() {
        ready if outcome.will_fail().is_none() && !outcome.blocked() => ready,
        stop => format!("**{stop}**"),
    };
    let _ = writeln!(out, "### Driftless plan `{}`\n", plan.hash());
    let _ = writeln!(
        out,
        "{}, {} against {}: {verdict}.\n",
        counted(plan.changes.len(), "change"),
        counted(plan.statements.len(), "statement"),
        inline_code(database)
    );
    let mut sql = String::new();
    for statement in &plan.statements {
        if !statement.transactional {
            sql.push_str("-- runs alone, outside a transaction\n");
        }
        sql.push_str(&visible(statement.sql.trim_end_matches(';')));
        sql.push_str(";\n");
    }
    // a fence longer than any run of backticks in the SQL: a literal holding ``` cannot close it
    let fence = "`".repeat(longest_backtick_run(&sql).max(2) + 1);
    let _ = write!(out, "{fence}sql\n{sql}{fence}\n");
    let note = left_alone_note(outcome);
    if !note.is_empty() {
        out.push('\n');
        out.push_str(&note);
    }
    if !outcome.findings.is_empty() {
        out.push_str("\n| Severity | Code | Change | Finding | Fix |\n|---|---|---|---|---|\n");
        for finding in &outcome.findings {
            let severity = match (finding.suppressed, finding.severity) {
                (Some(suppressed), _) => format!("🔕 suppressed (line {})", suppressed.line),
                (None, Severity::Error) => "❌ error".to_string(),
                (None, Severity::Warning) => "⚠️ warning".to_string(),
            };
            let _ = writeln!(
                out,
                "| {severity} | `{}` | {} | {} | {} |",
                finding.code,
                plan.changes[finding.change].kind(),
                escape_cell(&finding.message),
                escape_cell(finding.suggestion)
            );
        }
    }
    out
}

/// Control characters (escape sequences, carriage returns, bidirectional overrides) as visible `\u{..}`
/// escapes, so that names and SQL cannot move a terminal's cursor, recolour it or reorder what a reviewer
/// reads. Newlines and tabs stay.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hidden = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
        if hidden {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `text` as a Markdown code span, whatever backticks it holds; HTML is not interpreted inside one.
fn inline_code(text: &str) -> String {
    let text = visible(text).replace('\n', " ");
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// `1 change`, `3 changes`.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Text for a Markdown table cell: no cell break, no line break, and no HTML (a `<!--` would hide the rest of
/// the comment, a tag could forge content).
fn escape_cell(text: &str) -> String {
    visible(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace('\n', " ")
}
