//! Client settings from the environment, under the variable names each vendor's own SDKs read,
//! so a service configured for Okta's or OneLogin's SDKs needs nothing new. The lookup is a
//! parameter: tests pass a map, never touching the process environment.

use super::super::auth::Auth;
use super::super::error::Error;

/// Which vendor's variable names to read (from the provider config's `[runtime] env`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvVendor {
    /// `OKTA_CLIENT_ORGURL`, then `OKTA_CLIENT_TOKEN` (API token), or for a service app
    /// `OKTA_CLIENT_CLIENTID`, `OKTA_CLIENT_SCOPES` (space or comma separated) and
    /// `OKTA_CLIENT_PRIVATEKEY` (PEM text, or the path of a PEM file).
    Okta,
    /// `ONELOGIN_CLIENT_ID`, `ONELOGIN_CLIENT_SECRET`, and `ONELOGIN_API_URL` or
    /// `ONELOGIN_SUBDOMAIN` (`https://<subdomain>.onelogin.com`).
    OneLogin,
}

/// The base URL and auth the environment describes for `vendor`; an error names the missing
/// variable. `var` returns a variable's value (an empty value counts as unset).
pub fn settings_from_env(
    vendor: EnvVendor,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Auth), Error> {
    let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let need = |name: &str, what: &str| {
        get(name).ok_or_else(|| Error::invalid_input(format!("{name} is not set ({what})")))
    };
    match vendor {
        EnvVendor::Okta => {
            let org = need(
                "OKTA_CLIENT_ORGURL",
                "the org URL, e.g. https://acme.okta.com",
            )?;
            if let Some(token) = get("OKTA_CLIENT_TOKEN") {
                return Ok((org, Auth::ssws(token)));
            }
            let Some(client_id) = get("OKTA_CLIENT_CLIENTID") else {
                return Err(Error::invalid_input(
                    "neither OKTA_CLIENT_TOKEN (an API token) nor OKTA_CLIENT_CLIENTID (a service \
                     app, with OKTA_CLIENT_SCOPES and OKTA_CLIENT_PRIVATEKEY) is set"
                        .to_owned(),
                ));
            };
            let scopes = need("OKTA_CLIENT_SCOPES", "the service app's scopes")?;
            let key = need(
                "OKTA_CLIENT_PRIVATEKEY",
                "PEM text or the path of a PEM file",
            )?;
            Ok((org, okta_service_app(client_id, &scopes, &key)?))
        }
        EnvVendor::OneLogin => {
            let id = need("ONELOGIN_CLIENT_ID", "the API credential's client id")?;
            let secret = need("ONELOGIN_CLIENT_SECRET", "the API credential's secret")?;
            let base = match (get("ONELOGIN_API_URL"), get("ONELOGIN_SUBDOMAIN")) {
                (Some(url), _) => url,
                (None, Some(subdomain)) => onelogin_url(&subdomain)?,
                (None, None) => {
                    return Err(Error::invalid_input(
                        "neither ONELOGIN_API_URL nor ONELOGIN_SUBDOMAIN is set".to_owned(),
                    ))
                }
            };
            Ok((base, Auth::onelogin_client_credentials(id, secret)))
        }
    }
}

/// `https://<subdomain>.onelogin.com`, for a subdomain that is one DNS label.
fn onelogin_url(subdomain: &str) -> Result<String, Error> {
    let label = subdomain.trim();
    let valid = label.len() <= 63
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-');
    if valid {
        Ok(format!("https://{label}.onelogin.com"))
    } else {
        Err(Error::invalid_input(format!(
            "ONELOGIN_SUBDOMAIN `{label}` is not a subdomain (letters, digits and `-`)"
        )))
    }
}

#[cfg(feature = "okta-oauth")]
fn okta_service_app(client_id: String, scopes: &str, key: &str) -> Result<Auth, Error> {
    use super::okta_oauth::PrivateKey;
    let pem = if key.trim_start().starts_with("-----BEGIN") {
        key.as_bytes().to_vec()
    } else {
        std::fs::read(key.trim()).map_err(|e| {
            Error::invalid_input(format!(
                "OKTA_CLIENT_PRIVATEKEY is neither PEM text nor a readable file: {e}"
            ))
        })?
    };
    let scopes: Vec<String> = scopes
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(Auth::okta_private_key(client_id, scopes, PrivateKey::from_pem(pem)?).into())
}

#[cfg(not(feature = "okta-oauth"))]
fn okta_service_app(_client_id: String, _scopes: &str, _key: &str) -> Result<Auth, Error> {
    Err(Error::invalid_input(
        "OKTA_CLIENT_CLIENTID is set: a service app (private_key_jwt) needs the `okta-oauth` feature"
            .to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn error(vendor: EnvVendor, pairs: &[(&str, &str)]) -> String {
        match settings_from_env(vendor, &env(pairs)) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn okta_reads_the_names_oktas_sdks_read() {
        let (url, auth) = settings_from_env(
            EnvVendor::Okta,
            &env(&[
                ("OKTA_CLIENT_ORGURL", "https://acme.okta.com"),
                ("OKTA_CLIENT_TOKEN", "00abc"),
            ]),
        )
        .expect("settings");
        assert_eq!(url, "https://acme.okta.com");
        assert!(
            !format!("{auth:?}").contains("00abc"),
            "the token stays redacted"
        );
        assert!(error(EnvVendor::Okta, &[]).contains("OKTA_CLIENT_ORGURL is not set"));
        let neither = error(
            EnvVendor::Okta,
            &[("OKTA_CLIENT_ORGURL", "https://a.okta.com")],
        );
        assert!(neither.contains("OKTA_CLIENT_TOKEN") && neither.contains("OKTA_CLIENT_CLIENTID"));
        let service = error(
            EnvVendor::Okta,
            &[
                ("OKTA_CLIENT_ORGURL", "https://a.okta.com"),
                ("OKTA_CLIENT_CLIENTID", "0oa1"),
                ("OKTA_CLIENT_SCOPES", "okta.users.read"),
            ],
        );
        assert!(
            service.contains("OKTA_CLIENT_PRIVATEKEY is not set"),
            "{service}"
        );
        // an empty value is unset
        assert!(error(EnvVendor::Okta, &[("OKTA_CLIENT_ORGURL", " ")]).contains("ORGURL"));
    }

    #[test]
    fn onelogin_reads_subdomain_or_api_url() {
        let creds = [
            ("ONELOGIN_CLIENT_ID", "id"),
            ("ONELOGIN_CLIENT_SECRET", "s3cret"),
        ];
        let with = |extra: (&str, &str)| {
            let mut pairs = creds.to_vec();
            pairs.push(extra);
            settings_from_env(EnvVendor::OneLogin, &env(&pairs)).map(|(url, _)| url)
        };
        assert_eq!(
            with(("ONELOGIN_SUBDOMAIN", "acme")).expect("url"),
            "https://acme.onelogin.com"
        );
        assert_eq!(
            with(("ONELOGIN_API_URL", "https://api.eu.onelogin.com")).expect("url"),
            "https://api.eu.onelogin.com"
        );
        assert!(with(("ONELOGIN_SUBDOMAIN", "evil.com/x")).is_err());
        assert!(error(EnvVendor::OneLogin, &creds).contains("ONELOGIN_SUBDOMAIN"));
        assert!(error(EnvVendor::OneLogin, &[]).contains("ONELOGIN_CLIENT_ID is not set"));
    }

    #[cfg(feature = "okta-oauth")]
    #[test]
    fn an_okta_service_app_key_is_pem_text_or_a_path() {
        let base = [
            ("OKTA_CLIENT_ORGURL", "https://a.okta.com"),
            ("OKTA_CLIENT_CLIENTID", "0oa1"),
            ("OKTA_CLIENT_SCOPES", "okta.users.read okta.users.manage"),
        ];
        let mut missing = base.to_vec();
        missing.push(("OKTA_CLIENT_PRIVATEKEY", "/no/such/key.pem"));
        let message = error(EnvVendor::Okta, &missing);
        assert!(
            message.contains("neither PEM text nor a readable file"),
            "{message}"
        );
        let mut garbage = base.to_vec();
        garbage.push((
            "OKTA_CLIENT_PRIVATEKEY",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ));
        assert!(settings_from_env(EnvVendor::Okta, &env(&garbage)).is_err());
    }
}
