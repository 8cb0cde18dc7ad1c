//! Manifest loading: any text gets an answer (a manifest or an error), never a panic or a stack overflow,
//! and an error never quotes a value of the manifest, since a value may be a password. Values are looked
//! for as password-like words (letters and digits, both, 8 or more); keys, `apiVersion`, `kind` and
//! `metadata` may be named.
#![no_main]

use driftless_api::Manifest;
use libfuzzer_sys::fuzz_target;
use serde_yaml_ng::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Err(error) = Manifest::from_yaml(&text) else { return };
    let message = error.to_string();
    let Ok(document) = serde_yaml_ng::from_str::<Value>(&text) else { return };
    let (mut values, mut named) = (Vec::new(), Vec::new());
    collect(&document, true, &mut values, &mut named);
    for value in values.iter().filter(|value| password_like(value)) {
        if !named.iter().any(|name| name.contains(value.as_str())) {
            assert!(!message.contains(value.as_str()), "the error quotes the value {value:?}: {message}");
        }
    }
});

/// Splits the scalars of `value` into values and what an error may name (keys, and everything under the
/// top-level fields that identify the resource).
fn collect(value: &Value, top: bool, values: &mut Vec<String>, named: &mut Vec<String>) {
    match value {
        Value::Mapping(mapping) => {
            for (key, child) in mapping {
                let mut key_words = Vec::new();
                collect(key, false, &mut key_words, named);
                named.append(&mut key_words);
                if top && matches!(key.as_str(), Some("apiVersion" | "kind" | "metadata")) {
                    let mut identifying = Vec::new();
                    collect(child, false, &mut identifying, named);
                    named.append(&mut identifying);
                } else {
                    collect(child, false, values, named);
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| collect(item, false, values, named)),
        Value::Tagged(tagged) => collect(&tagged.value, top, values, named),
        Value::String(text) => values.push(text.clone()),
        Value::Number(number) => values.push(number.to_string()),
        Value::Bool(_) | Value::Null => {}
    }
}

fn password_like(value: &str) -> bool {
    value.len() >= 8
        && value.chars().all(|c| c.is_ascii_alphanumeric())
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic())
}
