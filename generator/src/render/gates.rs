//! Per-tag features as `#[cfg]` attributes: the one place a [`Gate`] becomes code. Feature
//! names are Cargo names checked by normalize; they still reach the code as string literals.

use super::escape::{self, RustCode};
use crate::ir::Gate;

/// The `cfg` predicate of a gate (`feature = "a"`, `any(feature = "a", feature = "b")`), or
/// `None` for an open gate.
fn predicate(gate: &Gate) -> Option<String> {
    let terms: Vec<String> = gate
        .any_of
        .iter()
        .map(|f| format!("feature = {}", escape::rust_str_text(f)))
        .collect();
    match terms.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => Some(format!("any({})", terms.join(", "))),
    }
}

/// `#[cfg(..)]` and a line break for an item behind `gate`; nothing for an open gate.
pub(super) fn cfg(gate: &Gate) -> RustCode {
    cfg_all(std::slice::from_ref(gate))
}

/// `#[cfg(..)]` for an item that needs every one of `gates` (an extension that uses items
/// of several tags).
pub(super) fn cfg_all(gates: &[Gate]) -> RustCode {
    let terms: Vec<String> = gates.iter().filter_map(predicate).collect();
    escape::code(match terms.as_slice() {
        [] => String::new(),
        [one] => format!("#[cfg({one})]\n"),
        _ => format!("#[cfg(all({}))]\n", terms.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(features: &[&str]) -> Gate {
        Gate::new(features.iter().map(|f| (*f).to_owned()))
    }

    #[test]
    fn open_one_several_and_combined_gates() {
        assert_eq!(cfg(&Gate::default()).0.as_str(), "");
        assert_eq!(
            cfg(&gate(&["okta-a"])).0.as_str(),
            "#[cfg(feature = \"okta-a\")]\n"
        );
        assert_eq!(
            cfg(&gate(&["okta-b", "okta-a"])).0.as_str(),
            "#[cfg(any(feature = \"okta-a\", feature = \"okta-b\"))]\n"
        );
        assert_eq!(
            cfg_all(&[
                gate(&["okta-a"]),
                Gate::default(),
                gate(&["okta-b", "okta-c"])
            ])
            .0
            .as_str(),
            "#[cfg(all(feature = \"okta-a\", any(feature = \"okta-b\", feature = \"okta-c\")))]\n"
        );
    }
}
