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
