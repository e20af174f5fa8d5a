//! A downstream team's own code on top of `idp-mfa`: enroll a user's phone for SMS codes and
//! confirm it with the first code they receive.

use idp_mfa::onelogin::{self, OtpDevice, VerifyMfaFactorRequest};
use idp_mfa::Error;

/// Why enrollment did not complete.
#[derive(Debug)]
pub enum EnrollError {
    /// OneLogin refused the code (or the enrollment); `code` is its status code.
    Rejected {
        code: Option<String>,
        message: Option<String>,
    },
    /// OneLogin answered the enrollment without a device.
    NoDevice,
    /// Anything else: transport, timeouts, rate limits that outlasted the retries.
    Client(Error),
}

impl From<Error> for EnrollError {
    fn from(error: Error) -> Self {
        match error.vendor() {
            Some(vendor) if matches!(error.status(), Some(400..=499)) => Self::Rejected {
                code: vendor.code(),
                message: vendor.message(),
            },
            _ => Self::Client(error),
        }
    }
}

/// Enrolls `phone` as an SMS device of `user_id` (factor `sms_factor_id`), then verifies it
/// with `code`. Returns the new device id.
pub async fn enroll_sms_and_verify(
    client: &onelogin::Client,
    user_id: i64,
    sms_factor_id: i64,
    phone: &str,
    code: &str,
) -> Result<i64, EnrollError> {
    let enrolled = client
        .enroll_mfa_factor(user_id)
        .body(
            OtpDevice::new("SMS", phone)
                .factor_id(sms_factor_id)
                .verified(false),
        )
        .send()
        .await?;
    let device_id = enrolled
        .data
        .into_iter()
        .flatten()
        .find_map(|device| device.id)
        .ok_or(EnrollError::NoDevice)?;
    client
        .verify_mfa_factor(user_id, device_id.to_string())
        .body(VerifyMfaFactorRequest::new().otp_token(code))
        .send()
        .await?;
    Ok(device_id)
}

pub mod okta_factors {
    //! The same team's Okta side: a client from the environment its Okta SDK configuration
    //! already sets, named as this service, and factor reads that need no match over the 13
    //! factor types.

    use std::time::Duration;

    use idp_mfa::okta::{self, UserFactorSms, UserFactorSmsProfile, UserFactorStatus};
    use idp_mfa::{CallOptions, Error};

    /// `OKTA_CLIENT_ORGURL` and `OKTA_CLIENT_TOKEN` (or a service app's variables), with this
    /// service's name after the SDK's in `User-Agent`.
    pub fn client_from_env() -> Result<okta::Client, Error> {
        okta::Client::builder_from_env()?
            .app_name(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
    }

    /// The ids of a user's active factors. A page that needs more than 5 s is an error here,
    /// whatever the client's own timeout: this runs on a login path.
    pub async fn active_factor_ids(
        client: &okta::Client,
        user_id: &str,
    ) -> Result<Vec<String>, Error> {
        let factors = client
            .list_factors(user_id)
            .options(CallOptions::new().timeout(Duration::from_secs(5)))
            .send()
            .await?;
        Ok(factors
            .iter()
            .filter(|factor| factor.status() == Some(&UserFactorStatus::Active))
            .filter_map(|factor| factor.id().map(str::to_owned))
            .collect())
    }

    /// Why an SMS enrollment did not happen now.
    #[derive(Debug)]
    pub enum NotEnrolled {
        /// Okta throttled the call: try again after this long.
        Later(Duration),
        Failed(Error),
    }

    /// Enrolls `phone` for SMS on behalf of the end user at `end_user_ip` (forwarded, as Okta
    /// asks for calls made for an end user). Returns the new factor's id.
    pub async fn enroll_sms(
        client: &okta::Client,
        user_id: &str,
        phone: &str,
        end_user_ip: &str,
    ) -> Result<Option<String>, NotEnrolled> {
        let sms = UserFactorSms::new().profile(UserFactorSmsProfile::new().phone_number(phone));
        match client
            .enroll_factor(user_id, sms)
            .header("X-Forwarded-For", end_user_ip)
            .send()
            .await
        {
            Ok(factor) => Ok(factor.id().map(str::to_owned)),
            Err(error) => Err(match error.retry_after() {
                Some(wait) if error.status() == Some(429) => NotEnrolled::Later(wait),
                _ => NotEnrolled::Failed(error),
            }),
        }
    }
}
