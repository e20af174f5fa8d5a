//! One upstream file through the pipeline into a standalone crate, and what the report counts of
//! its API: `Value` sites, models shared between tags, differences from the project slice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use mfa_codegen::ir::{Api, ModelKind, ResponseBody, TypeRef};
use mfa_codegen::write::{self, Mode};
use mfa_codegen::{GenError, ProviderConfig};

use super::{check, Args, Generated, TagSharing};

pub(super) fn generate_one(
    root: &Path,
    config: &ProviderConfig,
    file: &Path,
    spec: &str,
    args: &Args,
) -> Result<Box<Generated>, GenError> {
    let mut config = config.clone();
    if args.all_operations {
        config.select = Default::default();
    }
    // Extensions are hand-written against the project's API (`okta::push` names
    // `VerifyFactorResponse`): `build_provider` leaves one out, with a warning, when the
    // release lacks a type it imports (Okta 5.1.0, 2.16.0), as `generate` does.
    let started = Instant::now();
    let run = mfa_codegen::build_provider(&config, file)?;
    let files = mfa_codegen::generate_standalone(
        &config,
        std::slice::from_ref(&run.api),
        "cargo xtask conformance",
        &mut mfa_codegen::Formatter::plain(),
    )?;
    let generate_ms = started.elapsed().as_millis();
    let lines = files.iter().map(|f| f.text.lines().count()).sum();
    let slug = format!(
        "{}{}",
        spec.replace(['/', '.'], "_"),
        if args.all_operations { "-all" } else { "" }
    );
    let dir = root.join("target/conformance").join(slug);
    write::sync(&files, &dir, Mode::Write)?;
    let check = if args.no_check {
        None
    } else {
        Some(check::clippy(root, &dir)?)
    };
    let tags = if args.all_operations {
        Some(tag_sharing(&config, file)?)
    } else {
        None
    };
    Ok(Box::new(Generated {
        operations: run.api.operations.len(),
        models: run.api.models.len(),
        generate_ms,
        lines,
        check,
        value_sites: value_sites(&run.api),
        warnings: run.api.warnings,
        same_api: None,
        tags,
        extensions: !run.api.extensions.is_empty(),
    }))
}

pub(super) fn surface_differences(
    project: &[mfa_codegen::surface::SurfaceLine],
    config: &ProviderConfig,
    file: &Path,
) -> Result<Vec<String>, GenError> {
    let theirs = mfa_codegen::build_provider(config, file)?;
    let changes = mfa_codegen::api_diff::diff(project, &mfa_codegen::surface::surface(&theirs.api));
    Ok(changes
        .iter()
        .map(|c| {
            format!(
                "{} `{}`: specs/ {:?}, upstream {:?}",
                c.action(),
                c.key,
                c.old,
                c.new
            )
        })
        .collect())
}

/// Normalizes each tag on its own (as a module per tag would) and counts the models two or
/// more tags reach.
fn tag_sharing(config: &ProviderConfig, file: &Path) -> Result<TagSharing, GenError> {
    let started = Instant::now();
    let (loaded, _) = mfa_codegen::load_patched(config, file)?;
    let mut tags: BTreeSet<String> = BTreeSet::new();
    for (_, item) in loaded.api.paths.iter() {
        if let Some(item) = item.as_item() {
            for (_, op) in item.iter() {
                tags.extend(op.tags.iter().cloned());
            }
        }
    }
    let mut reached: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_tag_total = 0;
    for tag in &tags {
        let mut one = config.clone();
        one.select = mfa_codegen::config::Select {
            tags: vec![tag.clone()],
            operations: Vec::new(),
        };
        let api = mfa_codegen::normalize::normalize(&loaded, &one)?;
        per_tag_total += api.models.len();
        for model in api.models {
            *reached.entry(model.spec_name).or_default() += 1;
        }
    }
    Ok(TagSharing {
        tags: tags.len(),
        models: reached.len(),
        shared: reached.values().filter(|n| **n > 1).count(),
        per_tag_total,
        millis: started.elapsed().as_millis(),
    })
}

fn has_json(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OneOrMany(inner) => has_json(inner),
        _ => false,
    }
}

/// Places a caller meets `serde_json::Value`: fields, parameters, request and response bodies
/// (not the `additional_properties` catch-all every struct has).
fn value_sites(api: &Api) -> usize {
    let fields: usize = api
        .models
        .iter()
        .map(|m| match &m.kind {
            ModelKind::Struct(s) => s.fields.iter().filter(|f| has_json(&f.ty)).count(),
            _ => 0,
        })
        .sum();
    let operations: usize = api
        .operations
        .iter()
        .map(|op| {
            op.params.iter().filter(|p| has_json(&p.ty)).count()
                + op.body.iter().filter(|b| has_json(&b.ty)).count()
                + op.responses
                    .iter()
                    .filter(|r| match &r.body {
                        ResponseBody::Untyped => true,
                        ResponseBody::Typed { ty, .. } => has_json(ty),
                        ResponseBody::Empty => false,
                    })
                    .count()
        })
        .sum();
    fields + operations
}
