//! PostgreSQL's limit on identifiers and the names it makes for unnamed objects (`makeObjectName`): shared by
//! the parser, which names what the desired SQL leaves unnamed, and the diff, which follows implicit names
//! through renames.

/// PostgreSQL keeps identifiers to `NAMEDATALEN - 1` bytes and truncates longer ones.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// The longest prefix of `name` of at most `max_bytes` bytes that ends on a character boundary
/// (`pg_mbcliplen`).
pub fn truncate(name: &str, max_bytes: usize) -> &str {
    if name.len() <= max_bytes {
        return name;
    }
    let mut end = max_bytes;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `name1[_name2]_label`, shortening the longer of `name1`/`name2` byte by byte until the whole fits in
/// 63 bytes, then clipping each to a character boundary.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = usize::from(name2.is_some()) + label.len() + 1;
    let available = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut name1_bytes = name1.len();
    let mut name2_bytes = name2.map_or(0, str::len);
    while name1_bytes + name2_bytes > available {
        if name1_bytes > name2_bytes {
            name1_bytes -= 1;
        } else {
            name2_bytes -= 1;
        }
    }
    let mut name = truncate(name1, name1_bytes).to_string();
    if let Some(name2) = name2 {
        name.push('_');
        name.push_str(truncate(name2, name2_bytes));
    }
    name.push('_');
    name.push_str(label);
    name
}
