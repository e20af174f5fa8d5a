//! OneLogin's client-credentials grant: `POST {base_url}/auth/oauth2/v2/token` with HTTP Basic
//! auth, a [`TokenSource`] behind `Auth::onelogin_client_credentials`.

use super::super::error::Error;
use super::super::token::{parse_token_response, AuthContext, Secret, Token, TokenSource};
use super::super::token_request::send_token_request;
use super::super::BoxFuture;

/// OneLogin's client-credentials grant.
pub(crate) struct OneLoginClientCredentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
}

const ONELOGIN_TOKEN_PATH: &str = "/auth/oauth2/v2/token";

impl TokenSource for OneLoginClientCredentials {
    fn fetch<'a>(&'a self, context: AuthContext<'a>) -> BoxFuture<'a, Result<Token, Error>> {
        Box::pin(async move {
            let url = format!("{}{ONELOGIN_TOKEN_PATH}", context.base_url);
            let response = send_token_request(&context, |_| {
                Ok(context
                    .http
                    .post(&url)
                    .basic_auth(&self.client_id, Some(self.client_secret.expose()))
                    .json(&serde_json::json!({ "grant_type": "client_credentials" })))
            })
            .await?;
            parse_token_response(response.status, &response.body)
        })
    }

    fn describe(&self) -> String {
        format!("OneLogin client credentials (client id {})", self.client_id)
    }
}
