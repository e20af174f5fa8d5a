//! The crypto library that signs: aws-lc-rs (feature `aws-lc-rs`, which the default `rustls`
//! TLS turns on because it is that TLS's own provider) or ring (feature `ring`, which
//! `rustls-ring` turns on), so a build compiles one crypto library, not two. When both are on,
//! aws-lc-rs signs. aws-lc-rs keeps ring's API; the one difference, the RNG argument of ring's
//! EC constructors, is wrapped here.

#[cfg(feature = "aws-lc-rs")]
pub(super) use aws_lc_rs as lib;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
pub(super) use ring as lib;

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "the `okta-oauth` feature signs with aws-lc-rs or ring: enable the `rustls` feature \
     (aws-lc-rs) or `rustls-ring` (ring), or with `native-tls` add `aws-lc-rs` or `ring`"
);

use lib::error::KeyRejected;
use lib::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};

/// A P-256 key pair from an unencrypted PKCS#8 v1 document.
pub(super) fn p256_from_pkcs8(pkcs8: &[u8]) -> Result<EcdsaKeyPair, KeyRejected> {
    #[cfg(feature = "aws-lc-rs")]
    return EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8);
    #[cfg(not(feature = "aws-lc-rs"))]
    return EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_FIXED_SIGNING,
        pkcs8,
        &lib::rand::SystemRandom::new(),
    );
}

/// A P-256 key pair from its private scalar and its uncompressed public point.
pub(super) fn p256_from_scalar_and_point(
    scalar: &[u8],
    point: &[u8],
) -> Result<EcdsaKeyPair, KeyRejected> {
    #[cfg(feature = "aws-lc-rs")]
    return EcdsaKeyPair::from_private_key_and_public_key(
        &ECDSA_P256_SHA256_FIXED_SIGNING,
        scalar,
        point,
    );
    #[cfg(not(feature = "aws-lc-rs"))]
    return EcdsaKeyPair::from_private_key_and_public_key(
        &ECDSA_P256_SHA256_FIXED_SIGNING,
        scalar,
        point,
        &lib::rand::SystemRandom::new(),
    );
}
