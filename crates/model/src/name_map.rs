use litemap::LiteMap;
use serde::{Deserialize, Serialize};
use std::ops::{Deref, DerefMut};

/// The constraints, indexes or triggers of one table, by name, in name order: a flat sorted vector
/// (`litemap`) with the few `BTreeMap` methods it lacks. A table has a few of each, and a `BTreeMap` allocates
/// a node for eleven entries: for 5,000 tables that was about 30 MiB of each model.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NameMap<V>(LiteMap<String, V>);

/// Printed as a map, like the `BTreeMap` it replaces.
impl<V: std::fmt::Debug> std::fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl<V> NameMap<V> {
    pub fn new() -> Self {
        NameMap(LiteMap::new_vec())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Releases spare capacity: a vector grown by inserting holds at least four entries.
    pub fn shrink_to_fit(&mut self) {
        let mut entries = std::mem::take(&mut self.0).into_tuple_vec();
        entries.shrink_to_fit();
        // already sorted and free of duplicates: they come out of a map
        self.0 = LiteMap::from_sorted_store_unchecked(entries);
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, value)| value)
    }

    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.0.into_iter().map(|(_, value)| value)
    }
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap::new()
    }
}

impl<V> Deref for NameMap<V> {
    type Target = LiteMap<String, V>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<V> DerefMut for NameMap<V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<V> std::ops::Index<&str> for NameMap<V> {
    type Output = V;

    fn index(&self, name: &str) -> &V {
        self.0.get(name).unwrap_or_else(|| panic!("no entry named {name}"))
    }
}

impl<V> FromIterator<(String, V)> for NameMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        NameMap(entries.into_iter().collect())
    }
}

impl<V> IntoIterator for NameMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, V> IntoIterator for &'a NameMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&'a (String, V)) -> (&'a String, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.as_slice().iter().map(|(name, value)| (name, value))
    }
}

impl<V> Extend<(String, V)> for NameMap<V> {
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, entries: I) {
        self.0.extend(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_in_name_order_and_serialize_as_a_map() {
        let mut map = NameMap::new();
        map.insert("b".to_string(), 2);
        map.insert("a".to_string(), 1);
        assert_eq!(map.insert("b".to_string(), 3), Some(2));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(map["b"], 3);
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":1,"b":3}"#);
        let back: NameMap<i32> = serde_json::from_str(r#"{"b":3,"a":1}"#).unwrap();
        assert_eq!(back, map);
        map.shrink_to_fit();
        assert_eq!(map.iter().collect::<Vec<_>>(), [(&"a".to_string(), &1), (&"b".to_string(), &3)]);
    }
}
