//! Cargo features per tag in the IR: which feature compiles which item, decided once in
//! `normalize/features.rs` and read by render (the `#[cfg]`s), the Cargo.toml and the API
//! surface.

/// The features under which an item is compiled: any one of them. Empty: the item is always
/// compiled with its provider module (the config asks for no per-tag features, or the item
/// belongs to no tag).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gate {
    /// Sorted, without duplicates.
    pub any_of: Vec<String>,
}

impl Gate {
    pub fn new(features: impl IntoIterator<Item = String>) -> Self {
        let mut any_of: Vec<String> = features.into_iter().collect();
        any_of.sort();
        any_of.dedup();
        Self { any_of }
    }

    pub fn is_open(&self) -> bool {
        self.any_of.is_empty()
    }

    /// The gate's features as the API surface writes them (`okta-a | okta-b`).
    pub fn describe(&self) -> String {
        self.any_of.join(" | ")
    }
}

/// One Cargo feature of a provider's per-tag features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeature {
    /// `<module>-<tag in kebab case>` (or `<module>-<group>`).
    pub name: String,
    /// The spec tags it compiles, in the config's (or the spec's) order.
    pub tags: Vec<String>,
    /// How many operations it compiles.
    pub operations: usize,
}
