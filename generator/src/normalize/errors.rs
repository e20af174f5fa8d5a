//! The typed error bodies of each operation: its 4xx, 5xx and `default` responses that name a
//! schema, ordered the way OpenAPI picks a response (an exact code before its class, `default`
//! last). A vendor config (`[runtime] from_spec = false`) keeps its vendor error body instead.

use crate::ir::{ErrorBodies, ErrorCase, Operation, ResponseBody, StatusMatch};

pub(super) fn error_bodies(operations: &[Operation]) -> Vec<ErrorBodies> {
    operations
        .iter()
        .filter_map(|op| {
            let mut cases: Vec<ErrorCase> = op
                .responses
                .iter()
                .filter_map(|case| {
                    let ResponseBody::Typed { rust_type, .. } = &case.body else {
                        return None;
                    };
                    let (matches, variant) = status_match(&case.status)?;
                    Some(ErrorCase {
                        status: case.status.clone(),
                        matches,
                        variant,
                        rust_type: rust_type.clone(),
                    })
                })
                .collect();
            cases.sort_by_key(|c| c.matches);
            cases.dedup_by_key(|c| c.matches);
            (!cases.is_empty()).then(|| ErrorBodies {
                fn_name: op.method_name.clone(),
                enum_name: op.builder_name.clone(),
                cases,
                gate: op.gate.clone(),
            })
        })
        .collect()
}

/// An error status as a match and a variant name; `None` for a success, a redirect or a status
/// that is not one.
fn status_match(status: &str) -> Option<(StatusMatch, String)> {
    if status == "default" {
        return Some((StatusMatch::Default, "Default".to_owned()));
    }
    let upper = status.to_ascii_uppercase();
    if let Some(class) = upper.strip_suffix("XX") {
        let class: u16 = class.parse().ok().filter(|c| (4..=5).contains(c))?;
        return Some((StatusMatch::Class(class), format!("Status{class}xx")));
    }
    let code: u16 = status.parse().ok().filter(|c| (400..=599).contains(c))?;
    Some((StatusMatch::Exact(code), format!("Status{code}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_statuses_and_their_order() {
        assert_eq!(status_match("200"), None);
        assert_eq!(status_match("302"), None);
        assert_eq!(status_match("2XX"), None);
        assert_eq!(
            status_match("404"),
            Some((StatusMatch::Exact(404), "Status404".into()))
        );
        assert_eq!(
            status_match("5xx"),
            Some((StatusMatch::Class(5), "Status5xx".into()))
        );
        assert_eq!(
            status_match("default"),
            Some((StatusMatch::Default, "Default".into()))
        );
        let mut order = [
            StatusMatch::Default,
            StatusMatch::Class(4),
            StatusMatch::Exact(500),
            StatusMatch::Exact(404),
        ];
        order.sort();
        assert_eq!(
            order,
            [
                StatusMatch::Exact(404),
                StatusMatch::Exact(500),
                StatusMatch::Class(4),
                StatusMatch::Default
            ]
        );
    }
}
