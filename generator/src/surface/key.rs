//! The typed key of one surface item: which provider, which kind of public item, and the
//! vendor names that identify it. `API.md` holds its text form ([`SurfaceKey`]'s `Display`),
//! and [`SurfaceKey::parse`] reads that text back, so the change report classifies by kind
//! instead of re-splitting strings.

use std::cmp::Ordering;
use std::fmt;

use crate::ir::ParamLocation;

/// One public item of a provider module, in the vendor's terms.
#[derive(Debug, Clone)]
pub struct SurfaceKey {
    /// The provider module (`okta`).
    pub module: String,
    pub item: Item,
}

/// The kinds of public item; each names its operation or model by the spec's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `op <operationId>`: a client method and its builder.
    Operation(String),
    /// `op <operationId> param <location> <wire name>`.
    Param {
        op: String,
        location: ParamLocation,
        name: String,
    },
    /// `op <operationId> body`.
    Body(String),
    /// `op <operationId> response <status>`.
    Response { op: String, status: String },
    /// `op <operationId> returns`: what `send()` returns.
    Returns(String),
    /// `op <operationId> pages`: the operation pages with `Link: rel="next"`.
    Pages(String),
    /// `op <operationId> features`: the Cargo features that compile it (per-tag features).
    OpFeatures(String),
    /// `model <schema>`: a struct, enum or union.
    Model(String),
    /// `model <schema> field <wire name>`.
    Field { model: String, name: String },
    /// `model <schema> value <wire value>`: an enum value.
    EnumValue { model: String, value: String },
    /// `model <schema> maps <discriminator value>`: a union mapping.
    UnionMapping { model: String, value: String },
    /// `model <schema> features`: the Cargo features that compile it (per-tag features).
    ModelFeatures(String),
    /// Text read back from an `API.md` that fits none of the shapes above (a hand edit, or
    /// spec names with spaces that make the text ambiguous): the whole key, compared as text.
    Other(String),
}

impl SurfaceKey {
    pub fn new(module: &str, item: Item) -> Self {
        Self {
            module: module.to_owned(),
            item,
        }
    }

    /// The operation or model an item belongs to (`None` for operations and models).
    pub fn parent(&self) -> Option<SurfaceKey> {
        let item = match &self.item {
            Item::Param { op, .. }
            | Item::Body(op)
            | Item::Response { op, .. }
            | Item::Returns(op)
            | Item::Pages(op)
            | Item::OpFeatures(op) => Item::Operation(op.clone()),
            Item::Field { model, .. }
            | Item::EnumValue { model, .. }
            | Item::UnionMapping { model, .. }
            | Item::ModelFeatures(model) => Item::Model(model.clone()),
            Item::Operation(_) | Item::Model(_) | Item::Other(_) => return None,
        };
        Some(SurfaceKey::new(&self.module, item))
    }

    /// Reads the text form back (the inverse of `Display` for names without spaces).
    pub fn parse(text: &str) -> Self {
        let words: Vec<&str> = text.splitn(6, ' ').collect();
        let own = |s: &&str| (*s).to_owned();
        let item = match words.as_slice() {
            [_, "op", op] => Some(Item::Operation(own(op))),
            [_, "op", op, "param", location, name] => {
                location_of(location).map(|location| Item::Param {
                    op: own(op),
                    location,
                    name: own(name),
                })
            }
            [_, "op", op, "body"] => Some(Item::Body(own(op))),
            [_, "op", op, "response", status] => Some(Item::Response {
                op: own(op),
                status: own(status),
            }),
            [_, "op", op, "returns"] => Some(Item::Returns(own(op))),
            [_, "op", op, "pages"] => Some(Item::Pages(own(op))),
            [_, "op", op, "features"] => Some(Item::OpFeatures(own(op))),
            [_, "model", model] => Some(Item::Model(own(model))),
            [_, "model", model, "features"] => Some(Item::ModelFeatures(own(model))),
            [_, "model", model, kind, rest @ ..] if !rest.is_empty() => {
                let (model, value) = (own(model), rest.join(" "));
                match *kind {
                    "field" => Some(Item::Field { model, name: value }),
                    "value" => Some(Item::EnumValue { model, value }),
                    "maps" => Some(Item::UnionMapping { model, value }),
                    _ => None,
                }
            }
            _ => None,
        };
        let module = words.first().copied().unwrap_or_default();
        let item = item.unwrap_or_else(|| Item::Other(text.to_owned()));
        SurfaceKey::new(module, item)
    }
}

fn location_of(text: &str) -> Option<ParamLocation> {
    [
        ParamLocation::Path,
        ParamLocation::Query,
        ParamLocation::Header,
        ParamLocation::Cookie,
    ]
    .into_iter()
    .find(|l| l.as_str() == text)
}

impl fmt::Display for SurfaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let module = &self.module;
        match &self.item {
            Item::Operation(op) => write!(f, "{module} op {op}"),
            Item::Param { op, location, name } => {
                write!(f, "{module} op {op} param {} {name}", location.as_str())
            }
            Item::Body(op) => write!(f, "{module} op {op} body"),
            Item::Response { op, status } => write!(f, "{module} op {op} response {status}"),
            Item::Returns(op) => write!(f, "{module} op {op} returns"),
            Item::Pages(op) => write!(f, "{module} op {op} pages"),
            Item::OpFeatures(op) => write!(f, "{module} op {op} features"),
            Item::Model(model) => write!(f, "{module} model {model}"),
            Item::Field { model, name } => write!(f, "{module} model {model} field {name}"),
            Item::EnumValue { model, value } => write!(f, "{module} model {model} value {value}"),
            Item::UnionMapping { model, value } => {
                write!(f, "{module} model {model} maps {value}")
            }
            Item::ModelFeatures(model) => write!(f, "{module} model {model} features"),
            Item::Other(text) => f.write_str(text),
        }
    }
}

// Keys compare by their text, so `API.md` (sorted) and the reports list items in the same
// order as before the keys were typed, and a key read back from `API.md` equals the one it
// was written from.
impl PartialEq for SurfaceKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SurfaceKey {}

impl PartialOrd for SurfaceKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SurfaceKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.to_string().cmp(&other.to_string())
    }
}
