//! Password hashing: argon2id with the OWASP-recommended parameters (19 MiB, 2 passes, 1 lane),
//! off the async threads because each hash takes tens of milliseconds of CPU.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

use crate::error::{ApiError, ApiResult};

fn argon2() -> ApiResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| ApiError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> ApiResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Ok(argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| ApiError::Internal(format!("hashing: {e}")))?
        .to_string())
}

fn verify_now(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

pub async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?
}

/// Checks a password against a stored hash. With `None` (no such user) it still does the work
/// of one verification, so response time does not tell which emails exist.
pub async fn verify(password: String, hash: Option<String>) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_now(&password, &h),
        None => {
            let _ = hash_now(&password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(format!("verification task: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_now("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_now("correct horse", &h));
        assert!(!verify_now("wrong horse", &h));
        assert!(!verify_now("correct horse", "not a hash"));
    }
}
