use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, Serializer};

/// What a [`NameMap`] finds its entries by.
pub trait Named {
    fn name(&self) -> &String;
}

/// The constraints, indexes or triggers of one table, by name, in name order: a vector sorted by each entry's
/// own name. A table has a few of each; a `BTreeMap` allocated a node for eleven entries and a map of names
/// held every name twice (as key and in the entry), together about 35 MiB of each model at 5,000 tables.
/// Serialized as a map from name to entry.
#[derive(Clone, PartialEq, Eq)]
pub struct NameMap<V>(Vec<V>);

/// Printed as a map, like the `BTreeMap` it replaces.
impl<V: Named + std::fmt::Debug> std::fmt::Debug for NameMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> NameMap<V> {
    pub fn new() -> Self {
        NameMap(Vec::new())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn clear(&mut self) {
        self.0.clear()
    }

    /// Releases spare capacity: a vector grown by inserting holds at least four entries.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.0.iter()
    }

    pub fn values_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.0.iter_mut()
    }

    pub fn into_values(self) -> std::vec::IntoIter<V> {
        self.0.into_iter()
    }

    /// Keeps the entries `keep` accepts, in their order (so still sorted by name).
    pub fn retain(&mut self, keep: impl FnMut(&V) -> bool) {
        self.0.retain(keep)
    }
}

impl<V: Named> NameMap<V> {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|entry| entry.name().as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.position(name).ok().map(|at| &self.0[at])
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.position(name).ok().map(|at| &mut self.0[at])
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Adds `entry` under its name; returns the entry it replaces.
    pub fn insert(&mut self, entry: V) -> Option<V> {
        match self.position(entry.name()) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at], entry)),
            Err(at) => {
                self.0.insert(at, entry);
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<V> {
        self.position(name).ok().map(|at| self.0.remove(at))
    }

    /// The entry named `name`, made by `make` (which must give it that name) when there is none.
    pub fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.position(name) {
            Ok(at) => at,
            Err(at) => {
                let entry = make();
                debug_assert_eq!(entry.name(), name);
                self.0.insert(at, entry);
                at
            }
        };
        &mut self.0[at]
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + Clone {
        self.0.iter().map(Named::name)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &V)> + Clone {
        self.0.iter().map(|entry| (entry.name(), entry))
    }
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap::new()
    }
}

impl<V: Named> std::ops::Index<&str> for NameMap<V> {
    type Output = V;

    fn index(&self, name: &str) -> &V {
        self.get(name).unwrap_or_else(|| panic!("no entry named {name}"))
    }
}

impl<V: Named> FromIterator<V> for NameMap<V> {
    fn from_iter<I: IntoIterator<Item = V>>(entries: I) -> Self {
        let mut map = NameMap::new();
        map.extend(entries);
        map
    }
}

impl<V: Named> Extend<V> for NameMap<V> {
    fn extend<I: IntoIterator<Item = V>>(&mut self, entries: I) {
        for entry in entries {
            self.insert(entry);
        }
    }
}

impl<V> IntoIterator for NameMap<V> {
    type Item = V;
    type IntoIter = std::vec::IntoIter<V>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, V: Named> IntoIterator for &'a NameMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, V>, fn(&'a V) -> (&'a String, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|entry| (entry.name(), entry))
    }
}

impl<V: Named + Serialize> Serialize for NameMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Named + Deserialize<'de>> Deserialize<'de> for NameMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = std::collections::BTreeMap::<String, V>::deserialize(deserializer)?;
        let mut map = NameMap(Vec::with_capacity(entries.len()));
        for (name, entry) in entries {
            if *entry.name() != name {
                return Err(D::Error::custom(format!("entry {name} is named {}", entry.name())));
            }
            // in name order, as they come out of the map
            map.0.push(entry);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Entry {
        name: String,
        value: i32,
    }

    impl Named for Entry {
        fn name(&self) -> &String {
            &self.name
        }
    }

    fn entry(name: &str, value: i32) -> Entry {
        Entry { name: name.into(), value }
    }

    #[test]
    fn entries_stay_in_name_order_and_serialize_as_a_map() {
        let mut map = NameMap::new();
        map.insert(entry("b", 2));
        map.insert(entry("a", 1));
        assert_eq!(map.insert(entry("b", 3)), Some(entry("b", 2)));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(map["b"].value, 3);
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":{"name":"a","value":1},"b":{"name":"b","value":3}}"#);
        let back: NameMap<Entry> =
            serde_json::from_str(r#"{"b":{"name":"b","value":3},"a":{"name":"a","value":1}}"#).unwrap();
        assert_eq!(back, map);
        assert_eq!(map.remove("a"), Some(entry("a", 1)));
        assert_eq!(map.get_or_insert_with("c", || entry("c", 4)).value, 4);
        assert_eq!(map.get_or_insert_with("c", || entry("c", 5)).value, 4);
        assert_eq!(map.values().map(|e| e.value).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn an_entry_filed_under_another_name_is_refused() {
        let error = serde_json::from_str::<NameMap<Entry>>(r#"{"a":{"name":"b","value":1}}"#).unwrap_err();
        assert!(error.to_string().contains("entry a is named b"), "{error}");
    }
}
