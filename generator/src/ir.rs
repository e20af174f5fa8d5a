//! The intermediate representation: everything the templates need, already decided.
//!
//! Names are final Rust identifiers, types are final Rust type strings, and the spec facts they
//! came from (wire names, operationIds, statuses) sit beside them, so later consumers (the API
//! surface report, mocks) read the same decisions instead of re-deriving them.

/// One provider's API, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    /// Rust module (and Cargo feature) name.
    pub module: String,
    pub spec_title: String,
    pub spec_version: String,
    /// Vendor HTTP facts for the runtime (request-id and rate-limit headers, error format).
    pub runtime: crate::config::RuntimeFacts,
    pub operations: Vec<Operation>,
    pub models: Vec<Model>,
    /// Non-fatal findings (spec bugs handled deliberately), each naming a JSON pointer.
    pub warnings: Vec<Warning>,
    /// Hand-written modules added to the provider module, in name order.
    pub extensions: Vec<Extension>,
    /// Support items the models module needs (emitted only when some model uses them).
    pub helpers: Helpers,
    /// Auth helpers and the default server from the spec, when the config asks for them.
    pub spec_runtime: Option<SpecRuntime>,
    /// The Cargo features per tag (or group of tags), when the config asks for them
    /// (`[features] per_tag`); empty otherwise, and every item is compiled with the module.
    pub tag_features: Vec<TagFeature>,
}

impl Api {
    /// Every place the API exposes an untyped value: parameters, request and response bodies,
    /// struct fields and untagged union members. A struct's catch-all map of any JSON is the
    /// default, not a position of the spec; a declared `additionalProperties` of another type
    /// is. Each one has exactly one JSON-fallback warning (`cargo xtask corpus` and
    /// `generator/tests/shapes.rs` hold that).
    pub fn untyped_positions(&self) -> usize {
        let mut count = 0;
        for op in &self.operations {
            count += op
                .params
                .iter()
                .map(|p| p.ty.untyped_positions())
                .sum::<usize>();
            count += op.body.as_ref().map_or(0, |b| b.ty.untyped_positions());
            for case in &op.responses {
                count += match &case.body {
                    ResponseBody::Empty => 0,
                    ResponseBody::Untyped => 1,
                    ResponseBody::Typed { ty, .. } => ty.untyped_positions(),
                };
            }
        }
        for model in &self.models {
            count += match &model.kind {
                ModelKind::Struct(s) => {
                    let extra = if s.extra_ty == TypeRef::Json {
                        0
                    } else {
                        s.extra_ty.untyped_positions()
                    };
                    extra
                        + s.fields
                            .iter()
                            .map(|f| f.ty.untyped_positions())
                            .sum::<usize>()
                }
                ModelKind::Untagged(u) => u.variants.iter().map(|v| v.ty.untyped_positions()).sum(),
                _ => 0,
            };
        }
        count
    }
}

// Cargo features per tag: which feature compiles which item
mod gate;
pub use gate::{Gate, TagFeature};

mod spec_runtime;
pub use spec_runtime::{
    ApiKeyIn, AuthKind, AuthOption, ErrorBodies, ErrorCase, Server, ServerVariable, SpecRuntime,
    StatusMatch,
};

/// A hand-written module copied into the provider module (see `ProviderConfig::extensions`).
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    pub module: String,
    /// Compiled when every one of these holds: one gate per generated item it uses.
    pub gates: Vec<Gate>,
    /// Where it came from, as written in the provider config (named in the copy's header).
    pub origin: String,
    pub source: String,
}

/// How a paginated operation finds its next page.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust type of one item of a page.
    pub item_type: String,
}

/// Generic items the models module defines for its own fields, decided from the models.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Helpers {
    /// `OneOrMany<T>`: a node the spec says is one `T` and the wire sends as an array too.
    pub one_or_many: bool,
}

pub use crate::error::{Warning, WarningEffect, WarningKind};

// operation parameters: location, style, encoding
mod param;
pub use param::{Param, ParamEncoding, ParamLocation, ParamStyle, ValueKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// snake_case method name on the client.
    pub method_name: String,
    /// UpperCamel name of the request builder struct.
    pub builder_name: String,
    pub http_method: HttpMethod,
    /// Path template as written in the spec (`/api/v1/users/{userId}/factors`).
    pub path: String,
    /// The path split into literal text and parameter references, in order.
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// Parameters in the order of the method signature: required (positional) first, then optional.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<ResponseCase>,
    pub success: Success,
    /// `Some` when the operation pages with `Link: rel="next"` (from the provider config).
    pub pagination: Option<Pagination>,
    /// The Cargo features that compile the operation (its tags' features).
    pub gate: Gate,
    /// Security requirements as `scheme: scopes`, for docs.
    pub security: Vec<SecurityRequirement>,
    /// Schemes the spec declares but this operation does not accept (Okta's
    /// `listSupportedSecurityQuestions` takes an API token only), for docs; in spec order.
    pub refused_security: Vec<SecurityRequirement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    pub scheme: String,
    pub scopes: Vec<String>,
    /// How a caller provides this scheme with the crate, from the provider config's
    /// `[auth.schemes]`, when it says.
    pub usage: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub rust_type: String,
    /// What the client method or the `.body()` setter takes (`impl Into<UserFactor>`, so a
    /// variant's struct such as `UserFactorSms` is accepted as it is).
    pub arg_type: String,
    /// How that argument becomes `rust_type`.
    pub conversion: Conversion,
    pub required: bool,
    pub content_type: String,
    pub description: Option<String>,
}

/// One documented response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub description: Option<String>,
    pub body: ResponseBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No `content` at all (a 204).
    Empty,
    /// `content` with a media type but no schema: the body is kept as raw JSON.
    Untyped,
    Typed {
        ty: TypeRef,
        rust_type: String,
    },
}

/// What `send()` returns on success.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The Rust return type (`UserFactor`, `()`, `VerifyFactorResponse`).
    pub rust_type: String,
    pub shape: SuccessShape,
    /// The first declared 2xx status (200 when none is declared): what a test double answers
    /// a single-shape success with.
    pub status: u16,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SuccessShape {
    /// No 2xx body (204, or no 2xx response declared): nothing to decode.
    Empty,
    /// One 2xx status (or several with the same body type): decode into `rust_type`.
    Single,
    /// Several 2xx statuses with different bodies: an enum named `rust_type`.
    ByStatus(Vec<StatusVariant>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub status: u16,
    pub variant: String,
    pub rust_type: String,
    pub description: Option<String>,
}

/// How a method argument is turned into the stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// Stored as given.
    None,
    /// `impl Into<String>` arguments: `.into()`.
    Into,
    /// Recursive fields: `Box::new(..)`.
    Boxed,
}

impl Conversion {
    /// The Rust expression converting the variable `var`.
    pub fn apply(self, var: &str) -> String {
        match self {
            Self::None => var.to_owned(),
            Self::Into => format!("{var}.into()"),
            Self::Boxed => format!("Box::new({var})"),
        }
    }
}

/// A type as the spec describes it, independent of Rust spelling.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    Bool,
    Integer {
        format: Option<String>,
    },
    Number {
        format: Option<String>,
    },
    /// Strings, including date-times (kept as the wire text, so they re-encode byte-for-byte).
    String {
        format: Option<String>,
    },
    Array(Box<TypeRef>),
    /// A JSON object with values of one type.
    Map(Box<TypeRef>),
    /// One value or an array of them (`anyOf: [T, {type: array, items: T}]`), kept as sent.
    OneOrMany(Box<TypeRef>),
    /// Any JSON value (the schema allows anything).
    Json,
    /// Only `null` (`enum: [null]`): Rust's `()`, which decodes and encodes `null`.
    Null,
    /// A generated model, by Rust type name.
    Model(String),
}

impl TypeRef {
    /// How many `serde_json::Value` positions the type has: `Value` itself, or inside an
    /// array, map or one-or-many (so 0 or 1).
    pub fn untyped_positions(&self) -> usize {
        match self {
            TypeRef::Json => 1,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OneOrMany(inner) => {
                inner.untyped_positions()
            }
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The schema's name in the spec (`components/schemas/<name>`), or the synthesized path
    /// of an inline schema (`UserFactorSupported.enrollment`).
    pub spec_name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub kind: ModelKind,
    /// The Cargo features that compile the model: those of every operation that reaches it.
    pub gate: Gate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    Struct(StructModel),
    Enum(EnumModel),
    Union(UnionModel),
    /// `oneOf`/`anyOf` without a discriminator whose members differ in JSON kind.
    Untagged(UntaggedModel),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructModel {
    pub fields: Vec<Field>,
    /// Spec type of the values in the flattened map of extra properties.
    pub extra_ty: TypeRef,
    /// Type of the values in the flattened map that keeps properties the spec does not list
    /// (`additionalProperties`, or unknown fields kept for lossless round trips).
    pub extra_rust_type: String,
    /// True when every field is optional, so the struct derives `Default`.
    pub all_optional: bool,
    /// Built from a `oneOf` without discriminator: members merged, every field optional.
    pub from_one_of: bool,
    /// (field, initial value) when the struct is a union variant for one discriminator value.
    pub discriminator_default: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    /// The field's full Rust type (`Option<String>`, `Vec<UserFactor>`, `Box<Node>`).
    pub rust_type: String,
    /// The type inside the `Option`, for setters (`String`).
    pub inner_rust_type: String,
    /// Setter argument type (`impl Into<String>` or the inner type).
    pub setter_arg: String,
    /// How the setter argument becomes `inner_rust_type`.
    pub conversion: Conversion,
    /// Held in a `Box` because the type is recursive through this field.
    pub boxed: bool,
    /// Must be present to construct a value (required, not readOnly/writeOnly).
    pub required: bool,
    pub nullable: bool,
    /// How absence and `null` are told apart on the wire.
    pub presence: Presence,
    /// What `new` sets the field to: the one place that decides which fields are arguments
    /// of the struct's constructor (render, the API surface and the change report read it).
    pub init: FieldInit,
    /// How the field is written and read (derived from `presence`).
    pub codec: FieldCodec,
    pub read_only: bool,
    pub write_only: bool,
    pub description: Option<String>,
}

impl Field {
    /// Whether the field is a positional argument of the struct's `new`.
    pub fn is_constructor_arg(&self) -> bool {
        self.init == FieldInit::Argument
    }

    /// Whether the Rust type wraps the value in `Option`.
    pub fn is_option(&self) -> bool {
        !self.required || self.nullable
    }

    /// The Rust expression storing the (inner-typed) expression `value` in this field.
    pub fn store(&self, value: &str) -> String {
        match self.presence {
            Presence::Required => value.to_owned(),
            Presence::OptionalNullable => format!("Some(Some({value}))"),
            _ => format!("Some({value})"),
        }
    }
}

/// What the generated `new` of a struct sets a field to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FieldInit {
    /// A positional argument of `new` (required, not nullable): adding such a field breaks
    /// every caller of `new`.
    Argument,
    /// A fixed expression: the discriminator value of a union variant, already stored (e.g.
    /// `Some("sms".to_owned())`).
    Preset(String),
    /// `None` (the field's type is an `Option`).
    #[default]
    Empty,
}

/// How a field is encoded and decoded; each keeps the semantics of the serde attributes it
/// replaced (`skip_serializing_if = "Option::is_none"`, `default`, `deserialize_with`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldCodec {
    /// Left out of the JSON object when `None` (instead of written as `null`).
    pub skip_none: bool,
    pub decode: Decode,
}

/// How a field is read from the JSON object: the `runtime::Fields` method named by
/// [`Decode::method`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decode {
    /// Absent is a `missing field` error.
    #[default]
    Required,
    /// Absent and `null` both read as `None`.
    Optional,
    /// Absent is `None`, a present `null` is `Some(None)` / `Some(Value::Null)`.
    Present,
}

impl Decode {
    pub fn method(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Present => "present",
        }
    }
}

impl Presence {
    /// The codec that keeps this presence's absent / `null` distinction on a round trip.
    pub fn codec(self) -> FieldCodec {
        let (skip_none, decode) = match self {
            Self::Required => (false, Decode::Required),
            // `None` is written as `null`; absent and `null` read as `None`
            Self::RequiredNullable => (false, Decode::Optional),
            Self::Optional => (true, Decode::Optional),
            Self::OptionalNullable | Self::OptionalJson => (true, Decode::Present),
        };
        FieldCodec { skip_none, decode }
    }
}

/// How a field's Rust type represents "absent" and "null".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presence {
    /// Required, not nullable: `T`.
    #[default]
    Required,
    /// `Option<T>`: absent is `None` and is not written. An explicit `null` is accepted on
    /// decode (the wire sends nulls the spec does not declare) and reads as absent.
    Optional,
    /// Required and nullable: `Option<T>`, `None` is written as `null`.
    RequiredNullable,
    /// Optional and nullable: `Option<Option<T>>`. `None` is absent, `Some(None)` is an
    /// explicit `null`; both re-encode as received.
    OptionalNullable,
    /// Optional field of any JSON (`Option<serde_json::Value>`): an explicit `null` decodes to
    /// `Some(Value::Null)`, so it re-encodes as received. Also an optional `enum: [null]` field
    /// (`Option<()>`: `null` is `Some(())`).
    OptionalJson,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumModel {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// Name of the fallback variant that keeps values the spec does not list.
    pub unknown_variant: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    /// The wire value: the string itself, or the integer's decimal text.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionModel {
    /// The discriminator property (`factorType`).
    pub property: String,
    pub variants: Vec<UnionVariant>,
    pub unknown_variant: String,
    /// Fields every variant's struct declares alike (same wire name, Rust name, type and
    /// presence): one accessor each on the union, so reading a factor's `id` is one call.
    pub shared: Vec<SharedField>,
}

/// An accessor on a tagged union for a field all its variants share.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedField {
    pub wire_name: String,
    /// The field's name in each variant, and the accessor's.
    pub rust_name: String,
    /// What the accessor returns (`Option<&str>`, `Option<&UserFactorStatus>`); `None` for
    /// the unknown variant.
    pub return_type: String,
    pub read: SharedRead,
}

/// How an accessor borrows the field from a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedRead {
    /// `T` held directly: `Some(&v.f)`.
    Direct,
    /// `String` held directly: `Some(v.f.as_str())`.
    DirectStr,
    /// `Option<T>`: `v.f.as_ref()`.
    Optional,
    /// `Option<String>`: `v.f.as_deref()`.
    OptionalStr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Discriminator values that select this variant (one, or several sharing a schema).
    pub values: Vec<String>,
    pub rust_name: String,
    /// The struct the variant holds.
    pub rust_type: String,
    /// `From<rust_type>` is generated (only when no other variant holds the same type).
    pub from_impl: bool,
}

/// The JSON kinds a decoder tells apart before it picks a member of an untagged union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum JsonKind {
    Null,
    Bool,
    /// A number without fraction or exponent.
    Integer,
    /// Any other number.
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    pub const ALL: [JsonKind; 7] = [
        JsonKind::Null,
        JsonKind::Bool,
        JsonKind::Integer,
        JsonKind::Number,
        JsonKind::String,
        JsonKind::Array,
        JsonKind::Object,
    ];

    /// The runtime's name of the kind (`crate::runtime::JsonKind::<name>`).
    pub fn rust_name(self) -> &'static str {
        match self {
            JsonKind::Null => "Null",
            JsonKind::Bool => "Bool",
            JsonKind::Integer => "Integer",
            JsonKind::Number => "Number",
            JsonKind::String => "String",
            JsonKind::Array => "Array",
            JsonKind::Object => "Object",
        }
    }
}

/// An untagged union: the decoder looks at the JSON kind of the value (null, bool, integer,
/// number, string, array, object) and decodes it as the one member that takes that kind.
/// Normalize decides, per kind, which member that is (the first member in the spec's order
/// that accepts it), so decoding never guesses and never tries twice.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedModel {
    pub variants: Vec<UntaggedVariant>,
    /// For each JSON kind some member accepts: the index of that member in `variants`.
    pub dispatch: Vec<(JsonKind, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Filled by `types::finalize`.
    pub rust_type: String,
}
