//! What the runtime of a provider takes from the spec itself when its config does not bring a
//! vendor's own (`[runtime] from_spec`): one auth helper per supported security scheme and the
//! default server. Decided once in `normalize/security.rs` and `normalize/servers.rs`.

/// The spec-derived runtime items of one provider.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpecRuntime {
    /// One helper per supported scheme of `components/securitySchemes`, in spec order.
    pub auth: Vec<AuthOption>,
    /// `servers[0]`, when it is absolute.
    pub server: Option<Server>,
    /// One entry per operation with a typed error response, in operation order.
    pub errors: Vec<ErrorBodies>,
}

/// A security scheme the generated crate offers a helper for.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthOption {
    /// The scheme's name in `components/securitySchemes`.
    pub scheme: String,
    /// The helper's Rust name in `<module>::auth`.
    pub fn_name: String,
    pub description: Option<String>,
    pub kind: AuthKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// `type: apiKey`.
    ApiKey { location: ApiKeyIn, name: String },
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: http, scheme: bearer`.
    Bearer,
    /// `type: oauth2` with a `clientCredentials` flow.
    ClientCredentials {
        /// As the spec writes it: absolute, or relative to the base URL (resolved at run time).
        token_url: String,
        /// The scopes the selected operations require of this scheme, sorted.
        scopes: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyIn {
    Header,
    Query,
    Cookie,
}

impl ApiKeyIn {
    /// The runtime's `ApiKeyLocation` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Header => "Header",
            Self::Query => "Query",
            Self::Cookie => "Cookie",
        }
    }
}

/// The spec's first server.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, `{name}` for each variable, trailing `/` removed.
    pub url: String,
    /// The URL with every variable at its default: the crate's `DEFAULT_BASE_URL`.
    pub default_url: String,
    pub description: Option<String>,
    /// In order of first use in the template.
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// As the template names it.
    pub name: String,
    /// The argument of `server_url`.
    pub arg_name: String,
    pub default: String,
    /// The values the spec allows (empty: any).
    pub values: Vec<String>,
    pub description: Option<String>,
}

/// The typed error bodies of one operation: its 4xx, 5xx and `default` responses that name a
/// schema, in match order (exact codes, then classes, then `default`).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBodies {
    /// The client method (and the decoding function in `<module>::errors`).
    pub fn_name: String,
    /// The enum of the bodies in `<module>::errors` (the builder's name: unique among types).
    pub enum_name: String,
    pub cases: Vec<ErrorCase>,
    /// The operation's gate: the enum and its function exist when the method does.
    pub gate: super::Gate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    /// As the spec writes it (`404`, `4XX`, `default`).
    pub status: String,
    pub matches: StatusMatch,
    /// `Status404`, `Status4xx`, `Default`.
    pub variant: String,
    /// The body's Rust type, as the models module names it.
    pub rust_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Exact(u16),
    /// `4XX` is `Class(4)`.
    Class(u16),
    Default,
}
