//! The `# Example` section of each operation's rustdoc: a `no_run` doctest calling it, so the
//! docs show a call that is known to compile.

use crate::ir::{Operation, TypeRef};

/// Doc text (Markdown) with one example call of `op`. Scalar arguments get placeholder
/// literals; anything else (models, lists, the body) becomes a parameter of the hidden
/// wrapper function, so the example compiles without inventing values.
pub(super) fn example_section(op: &Operation, crate_ident: &str, module: &str) -> String {
    let mut inputs = vec![format!("client: {crate_ident}::{module}::Client")];
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        match &p.ty {
            // doc-comment code: a literal escaped like any other (no line break, no hazard)
            TypeRef::String { .. } => args.push(super::escape::rust_str_text(&p.wire_name)),
            TypeRef::Integer { .. } => args.push("42".to_owned()),
            TypeRef::Bool => args.push("true".to_owned()),
            _ => {
                inputs.push(format!("{}: {}", p.rust_name, p.rust_type));
                args.push(p.rust_name.clone());
            }
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        inputs.push(format!("body: {}", body.rust_type));
        args.push("body".to_owned());
    }
    [
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!("# use {crate_ident}::{module}::*;"),
        format!(
            "# async fn example({}) -> Result<(), {crate_ident}::Error> {{",
            inputs.join(", ")
        ),
        format!(
            "let response = client.{}({}).send().await?;",
            op.method_name,
            args.join(", ")
        ),
        "# let _ = response;".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ]
    .join("\n")
}
