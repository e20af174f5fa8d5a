//! The runtime's public items in the surface, so a runtime API change is classified like a
//! generated one: `runtime item <Name>` for each type, function, trait or constant the runtime
//! exports, and `runtime item <Name> fn <method>` for each public inherent method. The values
//! are the signatures as tokens, with the `cfg` that gates the item, so a retype, a removal or
//! a new feature gate shows in the diff of `API.md`.

use std::collections::BTreeSet;

use quote::ToTokens;

use super::{Item, SurfaceLine};

/// The module name the runtime's lines carry.
pub const MODULE: &str = "runtime";

/// Every public item of the runtime copy (`sources`: file name and text), sorted.
pub fn lines(sources: &[(&str, &str)]) -> Vec<SurfaceLine> {
    let exported = exported_names(sources);
    let mut out = Vec::new();
    for (name, text) in sources {
        let Ok(file) = syn::parse_file(text) else {
            continue; // the runtime compiles; a file that does not parse is not ours to judge
        };
        // everything in the public `mock` module is reachable as it is
        let public_module = name.starts_with("mock");
        collect(&file.items, &exported, public_module, &mut out);
    }
    out.sort();
    out.dedup_by(|a, b| a.key == b.key);
    out
}

/// The names `mod.rs` re-exports (`pub use x::{A, B as C}`): a `pub` item elsewhere is public
/// only through one of these (or a public module).
fn exported_names(sources: &[(&str, &str)]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Some((_, root)) = sources.iter().find(|(name, _)| *name == "mod.rs") else {
        return names;
    };
    let Ok(file) = syn::parse_file(root) else {
        return names;
    };
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            // a `#[doc(hidden)]` re-export is for generated code, not a promise to users
            if matches!(u.vis, syn::Visibility::Public(_)) && !is_hidden(&u.attrs) {
                use_names(&u.tree, &mut names);
            }
        }
    }
    names
}

fn use_names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => use_names(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            // the item is defined under its own name; the surface names it so
            out.insert(r.ident.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

fn collect(
    items: &[syn::Item],
    exported: &BTreeSet<String>,
    public_module: bool,
    out: &mut Vec<SurfaceLine>,
) {
    let visible = |vis: &syn::Visibility, name: &str| {
        matches!(vis, syn::Visibility::Public(_)) && (public_module || exported.contains(name))
    };
    let mut types: BTreeSet<String> = BTreeSet::new();
    for item in items {
        if is_test(item_attrs(item)) || is_hidden(item_attrs(item)) {
            continue;
        }
        let (name, value) = match item {
            syn::Item::Struct(s) if visible(&s.vis, &s.ident.to_string()) => {
                let fields: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                    .map(|f| {
                        let name = f
                            .ident
                            .as_ref()
                            .map(|i| format!("{i}: "))
                            .unwrap_or_default();
                        format!("{name}{}", tokens(&f.ty))
                    })
                    .collect();
                let head = format!("struct{}", tokens(&s.generics));
                (s.ident.to_string(), join(head, &fields))
            }
            syn::Item::Enum(e) if visible(&e.vis, &e.ident.to_string()) => {
                let variants: Vec<String> = e
                    .variants
                    .iter()
                    .map(|v| format!("{}{}", v.ident, tokens(&v.fields)))
                    .collect();
                (
                    e.ident.to_string(),
                    join(format!("enum{}", tokens(&e.generics)), &variants),
                )
            }
            syn::Item::Fn(f) if visible(&f.vis, &f.sig.ident.to_string()) => {
                (f.sig.ident.to_string(), tokens(&f.sig))
            }
            syn::Item::Trait(t) if visible(&t.vis, &t.ident.to_string()) => {
                let methods: Vec<String> = t
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::TraitItem::Fn(f) => Some(tokens(&f.sig)),
                        _ => None,
                    })
                    .collect();
                (t.ident.to_string(), join("trait".to_owned(), &methods))
            }
            syn::Item::Type(t) if visible(&t.vis, &t.ident.to_string()) => {
                (t.ident.to_string(), format!("type = {}", tokens(&t.ty)))
            }
            syn::Item::Const(c) if visible(&c.vis, &c.ident.to_string()) => {
                (c.ident.to_string(), format!("const: {}", tokens(&c.ty)))
            }
            _ => continue,
        };
        types.insert(name.clone());
        out.push(SurfaceLine::new(
            MODULE,
            Item::Other(format!("{MODULE} item {name}")),
            gated(item_attrs(item), value),
        ));
    }
    // public inherent methods of the public types above
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || is_test(&block.attrs) {
            continue;
        }
        let syn::Type::Path(path) = block.self_ty.as_ref() else {
            continue;
        };
        let Some(owner) = path.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        if !types.contains(&owner) {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let key = format!("{MODULE} item {owner} fn {}", f.sig.ident);
            let attrs: Vec<syn::Attribute> = block.attrs.iter().chain(&f.attrs).cloned().collect();
            out.push(SurfaceLine::new(
                MODULE,
                Item::Other(key),
                gated(&attrs, tokens(&f.sig)),
            ));
        }
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        _ => &[],
    }
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("doc") && tokens(&a.meta) == "doc(hidden)")
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && tokens(&a.meta).contains("test"))
}

/// `value` with the item's `cfg` in front (`[cfg(feature = "mock")] struct ...`).
fn gated(attrs: &[syn::Attribute], value: String) -> String {
    let cfgs: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| format!("[{}] ", tokens(&a.meta)))
        .collect();
    format!("{}{value}", cfgs.concat())
}

fn join(head: String, parts: &[String]) -> String {
    if parts.is_empty() {
        head
    } else {
        format!("{head} {{ {} }}", parts.join(", "))
    }
}

/// Tokens as compact text: `impl Into<String>`, `&self`, `Option<Duration>`.
fn tokens(node: &impl ToTokens) -> String {
    let raw = node.to_token_stream().to_string();
    let mut text = raw;
    for (from, to) in [
        (" ,", ","),
        (" ;", ";"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("( ", "("),
        (" (", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        (" :: ", "::"),
        (":: ", "::"),
        (" :", ":"),
        ("& ", "&"),
        ("' ", "'"),
        (" .", "."),
        ("# ", "#"),
        // a trailing comma left by a signature that rustfmt wrapped
        (",)", ")"),
    ] {
        while text.contains(from) {
            text = text.replace(from, to);
        }
    }
    // `->` and `=>` lost their spaces to the rules above
    text.replace(")->", ") ->")
        .replace("->", " -> ")
        .replace("  ", " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOD: &str =
        "pub use a::{Client, Hidden as Renamed}; #[doc(hidden)] pub use a::Internal2; mod a;";
    const A: &str = r#"
        pub struct Client { pub base: String, secret: String }
        pub(crate) struct Internal;
        pub struct NotExported;
        impl Client {
            pub fn timeout(mut self, t: impl Into<Option<Duration>>) -> Self { self }
            #[cfg(feature = "mock")]
            pub fn mock(&self) -> u8 { 0 }
            fn private(&self) {}
        }
        pub struct Hidden;
        pub struct Internal2;
        #[cfg(test)]
        mod tests { pub struct Client; }
    "#;

    fn keys_and_values() -> Vec<(String, String)> {
        lines(&[("mod.rs", MOD), ("a.rs", A)])
            .into_iter()
            .map(|l| (l.key.to_string(), l.value))
            .collect()
    }

    #[test]
    fn exported_public_items_and_their_public_methods_are_listed() {
        assert_eq!(
            keys_and_values(),
            [
                (
                    "runtime item Client".to_owned(),
                    "struct { base: String }".to_owned()
                ),
                (
                    "runtime item Client fn mock".to_owned(),
                    "[cfg(feature = \"mock\")] fn mock(&self) -> u8".to_owned()
                ),
                (
                    "runtime item Client fn timeout".to_owned(),
                    "fn timeout(mut self, t: impl Into<Option<Duration>>) -> Self".to_owned()
                ),
                ("runtime item Hidden".to_owned(), "struct".to_owned()),
            ]
        );
    }
}
