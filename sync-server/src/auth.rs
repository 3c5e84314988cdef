//! Credentials: argon2 password hashes (PHC strings, so the cost travels with each hash)
//! and device tokens (32 random bytes, hex; the server keeps only their SHA-256).
//!
//! Knows nothing of storage or HTTP.

use crate::error::{Result, ServerError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How passwords are hashed.
#[derive(Clone, Debug)]
pub struct Passwords {
    params: Params,
}

impl Default for Passwords {
    fn default() -> Self {
        Passwords::standard()
    }
}

impl Passwords {
    /// argon2id with the crate's recommended parameters (19 MiB, 2 passes): about 30 ms
    /// per hash or verification on a laptop core.
    pub fn standard() -> Passwords {
        Passwords {
            params: Params::default(),
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes a password into a PHC string.
    pub fn hash(&self, password: &str) -> Result<String> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).map_err(|e| ServerError::Hash(e.to_string()))?;
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServerError::Hash(e.to_string()))
    }
}

/// Whether `password` matches a stored PHC hash (its own parameters are used).
pub fn verify(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of a verification on a user that does not exist, so a wrong user name
/// and a wrong password take as long.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| {
        Passwords::standard()
            .hash("no such user")
            .unwrap_or_default()
    });
    let _ = verify(hash, password);
}

/// A new device token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the server stores of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_with_their_own_cost() {
        let fast = Passwords::standard().hash("open sesame").unwrap();
        assert!(fast.starts_with("$argon2id$"));
        assert!(verify(&fast, "open sesame"));
        assert!(!verify(&fast, "open sesame!"));
        assert!(!verify("not a hash", "open sesame"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }
}
