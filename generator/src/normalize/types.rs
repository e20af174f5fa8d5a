//! Rust spellings of spec types, decided once after all models exist (boxing needs the whole
//! model graph).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{
    Conversion, Field, FieldInit, Helpers, Model, ModelKind, Operation, Presence, ResponseBody,
    TypeRef,
};

/// The Rust type for a spec type. Integers are `i64` and numbers `f64` whatever their
/// `format`: the wire is not the spec, and a narrower type would fail on values the vendor
/// really sends. Date-times stay `String` so they re-encode byte-for-byte.
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Integer { .. } => "i64".to_owned(),
        TypeRef::Number { .. } => "f64".to_owned(),
        TypeRef::String { .. } => "String".to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
        TypeRef::Map(value) => format!("std::collections::BTreeMap<String, {}>", rust_type(value)),
        TypeRef::OneOrMany(item) => format!("OneOrMany<{}>", rust_type(item)),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Null => "()".to_owned(),
        TypeRef::Model(name) => name.clone(),
    }
}

/// Setter/argument type and its conversion into the stored type: strings take
/// `impl Into<String>` so `&str` and `String` both work.
pub fn argument(ty: &TypeRef, stored: &str) -> (String, Conversion) {
    match ty {
        TypeRef::String { .. } => ("impl Into<String>".to_owned(), Conversion::Into),
        _ => (stored.to_owned(), Conversion::None),
    }
}

/// The argument type of a request body: a model is taken as `impl Into<Model>`, so the
/// struct of one union variant (`From<UserFactorSms> for UserFactor`) goes in as it is.
pub fn body_argument(ty: &TypeRef, stored: &str) -> (String, Conversion) {
    match ty {
        TypeRef::Model(_) => (format!("impl Into<{stored}>"), Conversion::Into),
        _ => argument(ty, stored),
    }
}

/// Fills every field's Rust type strings, boxing fields that close a cycle of direct
/// (non-collection) references, which Rust could not size otherwise. Returns the support items
/// the models use.
pub fn finalize(models: &mut [Model]) -> Helpers {
    let cyclic = cyclic_edges(models);
    let mut helpers = Helpers::default();
    for model in models.iter_mut() {
        if let ModelKind::Untagged(u) = &mut model.kind {
            for variant in &mut u.variants {
                let plain = rust_type(&variant.ty);
                let cycle = matches!(&variant.ty, TypeRef::Model(target) if cyclic.contains(&(model.rust_name.clone(), target.clone())));
                variant.rust_type = if cycle {
                    format!("Box<{plain}>")
                } else {
                    plain
                };
                helpers.one_or_many |= uses_one_or_many(&variant.ty);
            }
        }
        if let ModelKind::Struct(s) = &mut model.kind {
            s.extra_rust_type = rust_type(&s.extra_ty);
            helpers.one_or_many |= uses_one_or_many(&s.extra_ty);
            for field in &mut s.fields {
                field.boxed = matches!(&field.ty, TypeRef::Model(target) if cyclic.contains(&(model.rust_name.clone(), target.clone())));
                field.presence = presence(field);
                field.codec = field.presence.codec();
                // a discriminator preset replaces this later (discriminators::fill_defaults)
                field.init = if field.presence == Presence::Required {
                    FieldInit::Argument
                } else {
                    FieldInit::Empty
                };
                fill_field(field);
                helpers.one_or_many |= uses_one_or_many(&field.ty);
            }
        }
    }
    helpers
}

/// Whether an operation's parameters, body or responses name `OneOrMany` themselves.
pub fn operation_uses_one_or_many(op: &Operation) -> bool {
    let bodies = op.responses.iter().filter_map(|r| match &r.body {
        ResponseBody::Typed { ty, .. } => Some(ty),
        _ => None,
    });
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.as_ref().map(|b| &b.ty))
        .chain(bodies)
        .any(uses_one_or_many)
}

fn uses_one_or_many(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::OneOrMany(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => uses_one_or_many(inner),
        _ => false,
    }
}

/// Absent and `null` are told apart only where the spec says `nullable: true` (there a `null`
/// means something, e.g. "no challenge"); a free-form JSON field keeps an explicit `null` as
/// `Value::Null` so it re-encodes as received.
fn presence(field: &Field) -> Presence {
    match (field.required, field.nullable) {
        // `Option<()>` of `enum: [null]` the same way: absent is `None`, `null` is `Some(())`
        _ if matches!(field.ty, TypeRef::Json | TypeRef::Null) && !field.required => {
            Presence::OptionalJson
        }
        (true, false) => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, false) => Presence::Optional,
        (false, true) => Presence::OptionalNullable,
    }
}

fn fill_field(field: &mut Field) {
    let plain = rust_type(&field.ty);
    let inner = if field.boxed {
        format!("Box<{plain}>")
    } else {
        plain.clone()
    };
    let (arg, convert) = if field.boxed {
        (plain, Conversion::Boxed)
    } else {
        argument(&field.ty, &inner)
    };
    field.rust_type = match field.presence {
        Presence::Required => inner.clone(),
        Presence::OptionalNullable => format!("Option<Option<{inner}>>"),
        _ => format!("Option<{inner}>"),
    };
    field.inner_rust_type = inner;
    field.setter_arg = arg;
    field.conversion = convert;
}

/// Edges (from, to) between models in the same strongly connected component of the
/// direct-reference graph.
fn cyclic_edges(models: &[Model]) -> BTreeSet<(String, String)> {
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for model in models {
        let edges = graph.entry(model.rust_name.as_str()).or_default();
        match &model.kind {
            ModelKind::Struct(s) => {
                for field in &s.fields {
                    if let TypeRef::Model(target) = &field.ty {
                        edges.push(target.as_str());
                    }
                }
            }
            ModelKind::Union(u) => edges.extend(u.variants.iter().map(|v| v.rust_type.as_str())),
            ModelKind::Untagged(u) => {
                for variant in &u.variants {
                    if let TypeRef::Model(target) = &variant.ty {
                        edges.push(target.as_str());
                    }
                }
            }
            ModelKind::Enum(_) => {}
        }
    }
    let component = strongly_connected(&graph);
    let mut out = BTreeSet::new();
    for (from, targets) in &graph {
        for to in targets {
            let same = component.contains_key(from) && component.get(from) == component.get(to);
            if same {
                out.insert(((*from).to_owned(), (*to).to_owned()));
            }
        }
    }
    out
}

/// Tarjan's algorithm, iterative so deep schema graphs cannot overflow the stack.
fn strongly_connected<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>) -> BTreeMap<&'a str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component: BTreeMap<&str, usize> = BTreeMap::new();
    let mut next = 0usize;
    let mut components = 0usize;
    let empty: Vec<&str> = Vec::new();
    for &root in graph.keys() {
        if index.contains_key(root) {
            continue;
        }
        let mut work: Vec<(&str, usize)> = vec![(root, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index.insert(node, next);
                low.insert(node, next);
                next += 1;
                stack.push(node);
                on_stack.insert(node);
            }
            let targets = graph.get(node).unwrap_or(&empty);
            if let Some(&target) = targets.get(edge) {
                work.push((node, edge + 1));
                if !index.contains_key(target) {
                    work.push((target, 0));
                } else if on_stack.contains(target) {
                    let t = index[target];
                    let l = low.entry(node).or_insert(t);
                    *l = (*l).min(t);
                }
                continue;
            }
            // all edges done: propagate low-link to the parent, pop a finished component
            if low.get(node) == index.get(node) {
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component.insert(member, components);
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                let child_low = low.get(node).copied().unwrap_or(usize::MAX);
                if let Some(l) = low.get_mut(parent) {
                    *l = (*l).min(child_low);
                }
            }
        }
    }
    // a single node is only cyclic with a self-edge
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for c in component.values() {
        *sizes.entry(*c).or_default() += 1;
    }
    component
        .into_iter()
        .filter(|(node, c)| sizes[c] > 1 || graph.get(node).is_some_and(|t| t.contains(node)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{StructModel, UnionModel, UnionVariant};

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire_name: name.into(),
            rust_name: name.into(),
            ty,
            rust_type: String::new(),
            inner_rust_type: String::new(),
            setter_arg: String::new(),
            conversion: Conversion::None,
            boxed: false,
            required,
            nullable: false,
            presence: Presence::Required,
            init: FieldInit::Empty,
            codec: Default::default(),
            read_only: false,
            write_only: false,
            description: None,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> Model {
        Model {
            gate: Default::default(),
            spec_name: name.into(),
            rust_name: name.into(),
            description: None,
            kind: ModelKind::Struct(StructModel {
                fields,
                extra_ty: TypeRef::Json,
                extra_rust_type: String::new(),
                all_optional: false,
                from_one_of: false,
                discriminator_default: None,
            }),
        }
    }

    fn fields(model: &Model) -> &[Field] {
        match &model.kind {
            ModelKind::Struct(s) => &s.fields,
            _ => &[],
        }
    }

    #[test]
    fn recursion_is_boxed_only_on_the_cycle() {
        let model = |n: &str| TypeRef::Model(n.into());
        let mut models = vec![
            strukt(
                "Node",
                vec![
                    field("next", model("Node"), false),
                    field("kids", TypeRef::Array(Box::new(model("Node"))), false),
                ],
            ),
            strukt(
                "A",
                vec![
                    field("b", model("B"), true),
                    field("leaf", model("Leaf"), false),
                ],
            ),
            strukt("B", vec![field("a", model("A"), false)]),
            strukt(
                "Leaf",
                vec![field("s", TypeRef::String { format: None }, true)],
            ),
            Model {
                gate: Default::default(),
                spec_name: "U".into(),
                rust_name: "U".into(),
                description: None,
                kind: ModelKind::Union(UnionModel {
                    property: "t".into(),
                    variants: vec![UnionVariant {
                        values: vec!["x".into()],
                        rust_name: "X".into(),
                        rust_type: "Leaf".into(),
                        from_impl: true,
                    }],
                    unknown_variant: "Unknown".into(),
                    shared: Vec::new(),
                }),
            },
        ];
        finalize(&mut models);
        assert_eq!(fields(&models[0])[0].rust_type, "Option<Box<Node>>");
        assert_eq!(fields(&models[0])[1].rust_type, "Option<Vec<Node>>");
        assert_eq!(fields(&models[1])[0].rust_type, "Box<B>");
        assert_eq!(fields(&models[1])[0].conversion, Conversion::Boxed);
        assert_eq!(fields(&models[1])[1].rust_type, "Option<Leaf>");
        assert_eq!(fields(&models[2])[0].rust_type, "Option<Box<A>>");
        assert_eq!(fields(&models[3])[0].rust_type, "String");
        assert_eq!(fields(&models[3])[0].setter_arg, "impl Into<String>");
    }
}
