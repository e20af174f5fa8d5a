//! The one `$ref` resolver: every component kind goes through [`resolve`], so chains
//! (`$ref` to a component that is itself a `$ref`) are followed the same way everywhere and a
//! cycle is an error naming its members, never an endless loop or a stack overflow.
//!
//! Resolution is a loop, not recursion: a chain of any length costs heap, not stack.

use indexmap::{IndexMap, IndexSet};
use openapiv3::{
    Callback, Components, Example, Header, Link, Parameter, ReferenceOr, RequestBody, Response,
    Schema, SecurityScheme,
};

use crate::error::{pointer_push, GenError};
use crate::load::LoadedSpec;

/// A kind of reusable component: where it lives under `#/components/` and what a message
/// calls it.
pub trait Component: Sized {
    const SECTION: &'static str;
    const NOUN: &'static str;
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $field:ident, $section:literal, $noun:literal) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            const NOUN: &'static str = $noun;
            fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Schema, schemas, "schemas", "schema");
component!(Parameter, parameters, "parameters", "parameter");
component!(RequestBody, request_bodies, "requestBodies", "request body");
component!(Response, responses, "responses", "response");
component!(Header, headers, "headers", "header");
component!(Example, examples, "examples", "example");
component!(
    SecurityScheme,
    security_schemes,
    "securitySchemes",
    "security scheme"
);
component!(Link, links, "links", "link");
component!(Callback, callbacks, "callbacks", "callback");

/// A component reached through one or more `$ref`s.
pub struct Resolved<'s, T> {
    pub item: &'s T,
    /// JSON pointer of the definition (the last link of the chain).
    pub pointer: String,
    /// The component's name under its section.
    pub name: String,
}

/// An inline node as it is, or the component its `$ref` (chain) ends at, with the pointer of
/// wherever the definition really is.
pub fn item<'s, T: Component>(
    spec: &'s LoadedSpec,
    node: &'s ReferenceOr<T>,
    at: &str,
) -> Result<(&'s T, String), GenError> {
    match node {
        ReferenceOr::Item(item) => Ok((item, at.to_owned())),
        ReferenceOr::Reference { reference } => {
            resolve::<T>(spec, reference, at).map(|r| (r.item, r.pointer))
        }
    }
}

/// Follows `reference` (written at pointer `at`) through any chain of component `$ref`s.
pub fn resolve<'s, T: Component>(
    spec: &'s LoadedSpec,
    reference: &str,
    at: &str,
) -> Result<Resolved<'s, T>, GenError> {
    let table = spec.api.components.as_ref().map(T::table);
    let error = |message: String| GenError::spec(&spec.path, at, message);
    let mut reference = reference;
    // pointers of the components passed so far, in order, to name a cycle's members
    let mut chain: IndexSet<String> = IndexSet::new();
    loop {
        let name = component_name::<T>(reference).map_err(error)?;
        let pointer = pointer_push(&format!("/components/{}", T::SECTION), &name);
        if let Some(start) = chain.get_index_of(&pointer) {
            let members: Vec<&str> = chain.iter().skip(start).map(String::as_str).collect();
            return Err(error(cycle_message(&members)));
        }
        match table.and_then(|t| t.get(&name)) {
            Some(ReferenceOr::Item(item)) => {
                return Ok(Resolved {
                    item,
                    pointer,
                    name,
                })
            }
            Some(ReferenceOr::Reference { reference: next }) => {
                chain.insert(pointer);
                reference = next;
            }
            None => {
                return Err(error(format!(
                    "dangling $ref `{reference}`: no such {}",
                    T::NOUN
                )))
            }
        }
    }
}

/// The component name a local reference names, RFC 6901 escapes undone.
fn component_name<T: Component>(reference: &str) -> Result<String, String> {
    let prefix = format!("#/components/{}/", T::SECTION);
    let Some(rest) = reference.strip_prefix(&prefix) else {
        return Err(format!(
            "unsupported $ref `{reference}`: a {} must refer to {prefix}<name>",
            T::NOUN
        ));
    };
    if rest.is_empty() || rest.contains('/') {
        return Err(format!(
            "unsupported $ref `{reference}`: only a whole component ({prefix}<name>) can be referred to"
        ));
    }
    Ok(rest.replace("~1", "/").replace("~0", "~"))
}

/// One line however long the cycle: a cycle of hundreds of components names its first and
/// last members and how many lie between.
fn cycle_message(members: &[&str]) -> String {
    const SHOWN: usize = 3;
    let closing = members.first().copied().unwrap_or_default();
    let listed = if members.len() <= 2 * SHOWN {
        members.join(" -> ")
    } else {
        format!(
            "{} -> ... ({} more) ... -> {}",
            members[..SHOWN].join(" -> "),
            members.len() - 2 * SHOWN,
            members[members.len() - SHOWN..].join(" -> ")
        )
    };
    format!(
        "$ref cycle of {} component(s): {listed} -> {closing}",
        members.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cycles_stay_on_one_short_line() {
        let names: Vec<String> = (0..100)
            .map(|i| format!("/components/parameters/P{i}"))
            .collect();
        let members: Vec<&str> = names.iter().map(String::as_str).collect();
        let message = cycle_message(&members);
        assert!(message.len() < 400, "{message}");
        assert!(message.contains("(94 more)"), "{message}");
        assert!(message.ends_with("/components/parameters/P99 -> /components/parameters/P0"));
    }

    #[test]
    fn names_are_unescaped_and_nested_pointers_refused() {
        assert_eq!(
            component_name::<Schema>("#/components/schemas/a~1b~0c").as_deref(),
            Ok("a/b~c")
        );
        assert!(component_name::<Schema>("#/components/schemas/A/properties/b").is_err());
        assert!(component_name::<Parameter>("#/components/schemas/A").is_err());
        assert!(component_name::<Schema>("other.yaml#/components/schemas/A").is_err());
    }
}
