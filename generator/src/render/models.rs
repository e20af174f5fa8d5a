//! The provider's `models.rs`: one struct, enum or union per model, the status enums of
//! operations with several success bodies, and the table of typed bodies.

use askama::Template;

use super::doc_lines::doc_lines;
use super::escape::{self, DocLine, DocText, RustCode, RustStr};
use super::{render_err, RenderedFile};
use crate::error::GenError;
use crate::ir::{
    Api, EnumModel, EnumRepr, EnumVariant, Field, FieldInit, Model, ModelKind, Operation, Presence,
    ResponseBody, StructModel, SuccessShape, UnionModel, UnionVariant, UntaggedModel,
};

/// A wire value as an inline code span on one doc line.
fn code_span(value: &str) -> String {
    format!("`{}`", escape::one_line(value).replace('`', "'"))
}

#[derive(Template)]
#[template(path = "models.rs")]
struct Models<'a> {
    title: DocText,
    items: &'a [String],
    /// Files of per-tag gated models (`models/<name>.rs`).
    groups: &'a [super::gates::GateFile],
    helpers: crate::ir::Helpers,
    bodies: Vec<TypedBody<'a>>,
}

/// One typed JSON body of an operation: its request (`status` None) or a response.
struct TypedBody<'a> {
    cfg: RustCode,
    operation_id: RustStr,
    status: Option<RustStr>,
    /// The type's name as a string literal.
    type_name: RustStr,
    rust_type: &'a str,
}

fn typed_bodies(api: &Api) -> Vec<TypedBody<'_>> {
    let mut out = Vec::new();
    for op in &api.operations {
        if let Some(body) = &op.body {
            out.push(TypedBody {
                cfg: super::gates::cfg(&op.gate),
                operation_id: escape::rust_str(&op.operation_id),
                status: None,
                type_name: escape::rust_str(&body.rust_type),
                rust_type: &body.rust_type,
            });
        }
        for case in &op.responses {
            if let ResponseBody::Typed { rust_type, .. } = &case.body {
                out.push(TypedBody {
                    cfg: super::gates::cfg(&op.gate),
                    operation_id: escape::rust_str(&op.operation_id),
                    status: Some(escape::rust_str(&case.status)),
                    type_name: escape::rust_str(rust_type),
                    rust_type,
                });
            }
        }
    }
    out
}

struct StatusView<'a> {
    doc: DocText,
    variant: &'a str,
    rust_type: &'a str,
}

#[derive(Template)]
#[template(path = "status_enum.rs")]
struct StatusEnum<'a> {
    op: &'a Operation,
    operation_id: DocText,
    variants: Vec<StatusView<'a>>,
}

/// The vendor's schema name when the Rust name differs from it (`UserFactorSMS` for
/// `UserFactorSms`): named in the doc and given as `#[doc(alias)]`, so a search for the name in
/// the vendor's docs finds the type. Synthesized names of inline schemas
/// (`UserFactorSupported.enrollment`) are not searchable names and get neither.
fn vendor_name(model: &Model) -> Option<&str> {
    let name = model.spec_name.as_str();
    let searchable =
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (searchable && name != model.rust_name).then_some(name)
}

fn model_doc(model: &Model) -> Vec<DocLine> {
    let vendor = vendor_name(model).map(|name| format!("Schema `{name}` in the vendor's spec."));
    let text = match (&model.description, vendor) {
        (Some(description), Some(vendor)) => format!("{description}\n\n{vendor}"),
        (Some(description), None) => description.clone(),
        (None, Some(vendor)) => vendor,
        (None, None) => format!("`{}`", model.spec_name),
    };
    doc_lines("///", &text)
}

fn model_alias(model: &Model) -> Option<RustStr> {
    vendor_name(model).map(escape::rust_str)
}

fn render_model(model: &Model) -> Result<String, GenError> {
    match &model.kind {
        ModelKind::Struct(s) => render_struct(model, s),
        ModelKind::Enum(e) => render_enum(model, e),
        ModelKind::Union(u) => render_union(model, u),
        ModelKind::Untagged(u) => render_untagged(model, u),
    }
}

struct FieldView<'a> {
    field: &'a Field,
    doc: Vec<DocLine>,
    /// The wire name as a code span for docs and as a string literal.
    wire_doc: DocText,
    wire: RustStr,
    /// `Serialize` leaves the field out when it is `None`.
    skip_none: bool,
    /// The `runtime::Fields` method the `Deserialize` impl reads the field with.
    take: &'static str,
    setter: String,
    /// Normalize decided the discriminator preset expression; its literals are `{:?}`-escaped.
    init: RustCode,
    assign: String,
}

struct CtorArg {
    name: String,
    ty: String,
}

#[derive(Template)]
#[template(path = "model_struct.rs")]
struct StructTemplate<'a> {
    doc: Vec<DocLine>,
    alias: Option<RustStr>,
    name: &'a str,
    name_lit: RustStr,
    s: &'a StructModel,
    fields: Vec<FieldView<'a>>,
    ctor_args: Vec<CtorArg>,
}

fn render_struct(model: &Model, s: &StructModel) -> Result<String, GenError> {
    let mut ctor_args = Vec::new();
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let mut text = f.description.clone().unwrap_or_default();
            let flags: Vec<&str> = [
                (f.read_only, "read-only"),
                (f.write_only, "write-only"),
                (f.nullable, "nullable"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, t)| *t)
            .collect();
            if !flags.is_empty() {
                text.push_str(&format!("\n\nSpec: {}.", flags.join(", ")));
            }
            if f.presence == Presence::OptionalNullable {
                text.push_str(
                    "\n\n`None`: absent; `Some(None)`: an explicit `null` (kept on re-encode).",
                );
            }
            let init = match &f.init {
                FieldInit::Preset(expr) => expr.clone(),
                FieldInit::Argument => {
                    ctor_args.push(CtorArg {
                        name: f.rust_name.clone(),
                        ty: f.setter_arg.clone(),
                    });
                    f.conversion.apply(&f.rust_name)
                }
                FieldInit::Empty => "None".to_owned(),
            };
            let init = if init == f.rust_name {
                init
            } else {
                format!("{}: {init}", f.rust_name)
            };
            let converted = f.conversion.apply("value");
            FieldView {
                field: f,
                doc: doc_lines("///", &text),
                wire_doc: escape::doc_code(&f.wire_name),
                wire: escape::rust_str(&f.wire_name),
                skip_none: f.codec.skip_none,
                take: f.codec.decode.method(),
                setter: f.rust_name.clone(),
                init: escape::code(init),
                assign: f.store(&converted),
            }
        })
        .collect();
    StructTemplate {
        doc: model_doc(model),
        alias: model_alias(model),
        name: &model.rust_name,
        name_lit: escape::rust_str(&model.rust_name),
        s,
        fields,
        ctor_args,
    }
    .render()
    .map_err(render_err("model_struct.rs"))
}

#[derive(Template)]
#[template(path = "model_enum.rs")]
struct EnumTemplate<'a> {
    doc: Vec<DocLine>,
    alias: Option<RustStr>,
    name: &'a str,
    e: &'a EnumModel,
    variants: Vec<VariantView<'a>>,
    is_string: bool,
    raw_type: &'static str,
}

struct VariantView<'a> {
    v: &'a EnumVariant,
    doc: DocText,
    /// The wire value as a Rust literal: a string, or an `i64`.
    value: RustCode,
}

fn render_enum(model: &Model, e: &EnumModel) -> Result<String, GenError> {
    let is_string = e.repr == EnumRepr::String;
    let variants = e
        .variants
        .iter()
        .map(|v| {
            let value = if is_string {
                escape::rust_str_text(&v.value)
            } else {
                // normalize only makes integer enums of integers; anything else is refused
                // here rather than printed as code
                v.value
                    .parse::<i64>()
                    .map(|n| n.to_string())
                    .map_err(|_| GenError::Render {
                        template: "model_enum.rs".to_owned(),
                        message: format!(
                            "{}: integer enum value {} is not an integer",
                            model.rust_name,
                            escape::rust_str_text(&v.value)
                        ),
                    })?
            };
            Ok(VariantView {
                v,
                doc: escape::doc_text(&code_span(&v.value)),
                value: escape::code(value),
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    EnumTemplate {
        doc: model_doc(model),
        alias: model_alias(model),
        name: &model.rust_name,
        e,
        variants,
        is_string,
        raw_type: if is_string { "String" } else { "i64" },
    }
    .render()
    .map_err(render_err("model_enum.rs"))
}

#[derive(Template)]
#[template(path = "model_union.rs")]
struct UnionTemplate<'a> {
    doc: Vec<DocLine>,
    alias: Option<RustStr>,
    name: &'a str,
    u: &'a UnionModel,
    /// The discriminator property as a code span for docs and as a string literal.
    property_doc: DocText,
    property: RustStr,
    variants: Vec<UnionVariantView<'a>>,
    from_impls: Vec<&'a UnionVariant>,
    accessors: Vec<AccessorView<'a>>,
}

/// An accessor for a field every variant shares: one match arm per variant.
struct AccessorView<'a> {
    f: &'a crate::ir::SharedField,
    wire_doc: DocText,
    /// `v.id.as_deref()` and its kin: how a variant's value `v` lends the field.
    read: RustCode,
}

fn accessor_view(f: &crate::ir::SharedField) -> AccessorView<'_> {
    use crate::ir::SharedRead::*;
    let name = &f.rust_name;
    let read = match f.read {
        Direct => format!("Some(&v.{name})"),
        DirectStr => format!("Some(v.{name}.as_str())"),
        Optional => format!("v.{name}.as_ref()"),
        OptionalStr => format!("v.{name}.as_deref()"),
    };
    AccessorView {
        f,
        wire_doc: escape::doc_code(&f.wire_name),
        read: escape::code(read),
    }
}

struct UnionVariantView<'a> {
    v: &'a UnionVariant,
    doc: DocText,
    /// The mapping keys as string literals.
    values: Vec<RustStr>,
}

fn render_union(model: &Model, u: &UnionModel) -> Result<String, GenError> {
    UnionTemplate {
        doc: model_doc(model),
        alias: model_alias(model),
        name: &model.rust_name,
        u,
        property_doc: escape::doc_code(&u.property),
        property: escape::rust_str(&u.property),
        variants: u
            .variants
            .iter()
            .map(|v| {
                let values: Vec<String> = v.values.iter().map(|x| code_span(x)).collect();
                UnionVariantView {
                    v,
                    doc: escape::doc_text(&format!(
                        "{} is {}.",
                        escape::md_code_span(&u.property),
                        values.join(" or ")
                    )),
                    values: v.values.iter().map(|x| escape::rust_str(x)).collect(),
                }
            })
            .collect(),
        from_impls: u.variants.iter().filter(|v| v.from_impl).collect(),
        accessors: u.shared.iter().map(accessor_view).collect(),
    }
    .render()
    .map_err(render_err("model_union.rs"))
}

#[derive(Template)]
#[template(path = "model_untagged.rs")]
struct UntaggedTemplate<'a> {
    doc: Vec<DocLine>,
    alias: Option<RustStr>,
    name: &'a str,
    u: &'a UntaggedModel,
    dispatch: Vec<DispatchView<'a>>,
    /// Every JSON kind has a member: no fallback arm.
    complete: bool,
    /// What the union accepts, as a string literal for the error of any other kind.
    expected: RustStr,
}

struct DispatchView<'a> {
    /// `crate::runtime::JsonKind::<kind>`.
    kind: &'static str,
    kind_doc: &'static str,
    variant: &'a str,
}

fn kind_doc(kind: crate::ir::JsonKind) -> &'static str {
    use crate::ir::JsonKind::*;
    match kind {
        Null => "null",
        Bool => "a boolean",
        Integer => "an integer",
        Number => "a number",
        String => "a string",
        Array => "an array",
        Object => "an object",
    }
}

fn render_untagged(model: &Model, u: &UntaggedModel) -> Result<String, GenError> {
    let mut dispatch = Vec::with_capacity(u.dispatch.len());
    for (kind, index) in &u.dispatch {
        let variant = u.variants.get(*index).ok_or_else(|| GenError::Render {
            template: "model_untagged.rs".to_owned(),
            message: format!("{}: dispatch to a missing variant", model.rust_name),
        })?;
        dispatch.push(DispatchView {
            kind: kind.rust_name(),
            kind_doc: kind_doc(*kind),
            variant: &variant.rust_name,
        });
    }
    let expected: Vec<&str> = dispatch.iter().map(|d| d.kind_doc).collect();
    UntaggedTemplate {
        doc: model_doc(model),
        alias: model_alias(model),
        name: &model.rust_name,
        u,
        complete: dispatch.len() == crate::ir::JsonKind::ALL.len(),
        expected: escape::rust_str(&expected.join(" or ")),
        dispatch,
    }
    .render()
    .map_err(render_err("model_untagged.rs"))
}

/// `src/<module>/models.rs`: every model, then the status enums; with per-tag features the
/// gated ones go to `models/<gate file>.rs`.
pub(super) fn models_file(api: &Api) -> Result<Vec<RenderedFile>, GenError> {
    let module = &api.module;
    let mut items = Vec::new();
    for model in &api.models {
        items.push((&model.gate, render_model(model)?));
    }
    for op in &api.operations {
        if let SuccessShape::ByStatus(variants) = &op.success.shape {
            let view = StatusEnum {
                op,
                operation_id: escape::doc_code(&op.operation_id),
                variants: variants
                    .iter()
                    .map(|v| StatusView {
                        doc: escape::doc_text(&match &v.description {
                            Some(d) => format!("HTTP {}: {d}", v.status),
                            None => format!("HTTP {}", v.status),
                        }),
                        variant: &v.variant,
                        rust_type: &v.rust_type,
                    })
                    .collect(),
            };
            items.push((
                &op.gate,
                view.render().map_err(render_err("status_enum.rs"))?,
            ));
        }
    }
    let (items, groups) = super::gates::split(module, "models", items)?;
    let mut files = Vec::with_capacity(groups.len() + 1);
    for group in &groups {
        files.push(super::gates::gate_file(module, "Models", group)?);
    }
    let text = Models {
        title: escape::doc_text(&api.title),
        items: &items,
        groups: &groups,
        helpers: api.helpers,
        bodies: typed_bodies(api),
    }
    .render()
    .map_err(render_err("models.rs"))?;
    files.insert(
        0,
        RenderedFile::rust_items(format!("src/{module}/models.rs"), "models.rs", text, &items),
    );
    Ok(files)
}
