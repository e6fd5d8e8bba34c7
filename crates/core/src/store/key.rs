//! Encryption at rest: the database file is SQLCipher (AES-256, an HMAC on every page) under a
//! random [`DbKey`] that lives in the OS keyring, never on disk beside the file.
//!
//! The key is given to SQLCipher *raw* (`x'<key><salt>'`): no PBKDF2 on every open, which would
//! cost more than the whole open of a large database. The salt is part of the key, and SQLCipher
//! writes it as the file's first 16 bytes; that is how a file the key does not open (another
//! key) is told apart from a damaged one (a page that fails its HMAC under the right key).

use std::fmt;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use rand::RngCore;
use rusqlite::Connection;
use zeroize::Zeroizing;

use super::backup;
use crate::error::{CoreError, Result};

const KEY_LEN: usize = 32;
/// The recovery code's check: the first bytes of the key's SHA-256.
const CHECK_LEN: usize = 2;
const SALT_LEN: usize = 16;
/// What every unencrypted SQLite file starts with.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The key of an encrypted database: 32 random key bytes and the file's 16-byte salt. Its
/// `Debug` is redacted and its memory wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey(Zeroizing<[u8; KEY_LEN + SALT_LEN]>);

impl DbKey {
    /// A new random key (from the operating system's CSPRNG via `rand`'s thread generator).
    pub fn generate() -> DbKey {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN + SALT_LEN]);
        rand::rng().fill_bytes(bytes.as_mut());
        DbKey(bytes)
    }

    /// The key as kept in the keyring: 96 lowercase hex digits.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_slice()))
    }

    /// Reads a key written by [`DbKey::to_hex`].
    pub fn from_hex(hex: &str) -> Result<DbKey> {
        let bad = || CoreError::invalid("database key", "not a Channel Desk database key");
        let digits = hex.trim().as_bytes();
        if digits.len() != 2 * (KEY_LEN + SALT_LEN) {
            return Err(bad());
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN + SALT_LEN]);
        hex::decode_to_slice(digits, bytes.as_mut()).map_err(|_| bad())?;
        Ok(DbKey(bytes))
    }

    /// The key as a person keeps it to open the database (and its backups) on another computer
    /// or after the keyring lost it: its 48 bytes and a 2-byte check, in base32, in groups of
    /// five (`ABCDE-FGHIJ-…`, 16 groups). The check catches a mistyped or missing character.
    pub fn recovery_code(&self) -> Zeroizing<String> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_LEN + SALT_LEN + CHECK_LEN));
        bytes.extend_from_slice(self.0.as_slice());
        bytes.extend_from_slice(&recovery_check(self.0.as_slice()));
        let plain = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&bytes));
        let mut grouped = Zeroizing::new(String::with_capacity(plain.len() + plain.len() / 5));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 5 == 0 {
                grouped.push('-');
            }
            grouped.push(c);
        }
        grouped
    }

    /// Reads a recovery code as a person types it: any case, with or without its dashes and
    /// spaces, 0/1/8 read as O/I/B (base32 has none of them).
    pub fn from_recovery_code(text: &str) -> Result<DbKey> {
        let bad = |why: &str| CoreError::invalid("recovery key", why.to_string());
        let cleaned = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| match c.to_ascii_uppercase() {
                    '0' => 'O',
                    '1' => 'I',
                    '8' => 'B',
                    c => c,
                })
                .collect::<String>(),
        );
        let bytes = Zeroizing::new(
            data_encoding::BASE32_NOPAD
                .decode(cleaned.as_bytes())
                .map_err(|_| bad("not a Channel Desk recovery key: it has letters A–Z and digits 2–7, 80 of them"))?,
        );
        if bytes.len() != KEY_LEN + SALT_LEN + CHECK_LEN {
            return Err(bad(&format!(
                "{} characters long; a recovery key has 80 (16 groups of 5)",
                cleaned.len()
            )));
        }
        let (key, check) = bytes.split_at(KEY_LEN + SALT_LEN);
        if check != recovery_check(key) {
            return Err(bad(
                "a character is wrong or missing: check it against the one kept",
            ));
        }
        let mut out = Zeroizing::new([0u8; KEY_LEN + SALT_LEN]);
        out.copy_from_slice(key);
        Ok(DbKey(out))
    }

    fn salt(&self) -> &[u8] {
        &self.0[KEY_LEN..]
    }

    /// The value of `PRAGMA key` / `ATTACH … KEY`: a raw key with its salt.
    pub(crate) fn sql_value(&self) -> Zeroizing<String> {
        let hex = self.to_hex();
        let mut value = Zeroizing::new(String::with_capacity(hex.len() + 3));
        value.push_str("x'");
        value.push_str(&hex);
        value.push('\'');
        value
    }

    /// Applies the key to a new connection; must be its first statement.
    pub(crate) fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        // SQLCipher logs a failed page HMAC to stderr by default, which would garble the
        // CLI's one-line error for a wrong key; the error itself is what callers report.
        conn.pragma_update(None, "cipher_log_level", "NONE")?;
        conn.pragma_update(None, "key", self.sql_value().as_str())
    }
}

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

fn recovery_check(key: &[u8]) -> [u8; CHECK_LEN] {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key);
    [digest[0], digest[1]]
}

/// The first `n` bytes of `path` (fewer when it is shorter; none when it does not exist).
fn head(path: &Path, n: u64) -> Result<Vec<u8>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    file.by_ref().take(n).read_to_end(&mut out)?;
    Ok(out)
}

/// Whether `path` is an unencrypted SQLite database.
pub fn is_plain_database(path: &Path) -> Result<bool> {
    Ok(head(path, 16)? == PLAIN_HEADER)
}

/// Whether `path` looks like an encrypted database: a whole first page (4 KiB) of what
/// SQLCipher writes, a random salt and ciphertext, in which nearly all 256 byte values occur.
/// A file overwritten with text or zeros, or cut shorter than a page, does not: it is damaged.
pub fn looks_encrypted(path: &Path) -> Result<bool> {
    let page = head(path, 4096)?;
    if page.len() < 4096 || page.starts_with(PLAIN_HEADER) {
        return Ok(false);
    }
    let mut seen = [false; 256];
    for b in &page {
        seen[usize::from(*b)] = true;
    }
    // Random bytes show about 256 values in 4,096; English text about 60.
    Ok(seen.iter().filter(|s| **s).count() >= 200)
}

/// Whether `key` was the key `path` was encrypted with (its salt heads the file). False for a
/// plain file, or one whose first bytes are damaged.
pub(crate) fn salt_matches(path: &Path, key: &DbKey) -> bool {
    head(path, 16).is_ok_and(|head| head == key.salt())
}

/// Whether `path` is encrypted under another key than `key`, as far as can be told: it looks
/// encrypted, but its salt is not `key`'s.
pub(crate) fn another_key(path: &Path, key: &DbKey) -> bool {
    !salt_matches(path, key) && matches!(looks_encrypted(path), Ok(true))
}

/// The error for a file SQLCipher could not read with `key`: encrypted under another key, or
/// damaged.
pub(crate) fn unreadable(path: &Path, key: Option<&DbKey>, detail: String) -> CoreError {
    let shown = path.display().to_string();
    match key {
        Some(key) if another_key(path, key) => CoreError::WrongKey { path: shown },
        _ => CoreError::Corrupt {
            path: shown,
            detail,
        },
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Encrypts the plain database at `path` in place, under `key`, keeping everything.
///
/// The plain file is first made self-contained (its WAL checkpointed into it and removed), then
/// exported whole (`sqlcipher_export`, which copies the schema, rows, FTS shadow tables and
/// sequences) into a sibling temporary file, synced, and renamed over the original. A crash
/// before the rename leaves the plain database as it was (the next open does it again); after,
/// the complete encrypted one.
pub(crate) fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<()> {
    let (dir, name) = backup::folder_and_name(path);
    let tmp = backup::temporary(&dir, &format!("{name}.encrypting"));
    // A leftover of a crash: never more than a half-written copy.
    remove_if_present(&[tmp.clone(), sibling(&tmp, "-journal")])?;
    let target = tmp
        .to_str()
        .ok_or_else(|| CoreError::invalid("database", "the database path is not valid UTF-8"))?;
    let exported = (|| -> Result<()> {
        let plain = Connection::open(path)?;
        plain.busy_timeout(std::time::Duration::from_secs(5))?;
        // Everything in the main file, no WAL left beside it that would outlive the rename.
        plain.pragma_update(None, "journal_mode", "DELETE")?;
        let version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
        plain.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            [target, key.sql_value().as_str()],
        )?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        plain.pragma_update(Some("encrypted"), "user_version", version)?;
        plain.execute("DETACH DATABASE encrypted", [])?;
        Ok(())
    })();
    if let Err(e) = exported {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    backup::sync_path(&tmp)?;
    fs::rename(&tmp, path)?;
    remove_if_present(&[sibling(path, "-wal"), sibling(path, "-shm")])?;
    backup::sync_path(&dir)
}

fn remove_if_present(paths: &[PathBuf]) -> Result<()> {
    for path in paths {
        match fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_code_gives_the_key_back_however_it_is_typed() {
        let key = DbKey::generate();
        let code = key.recovery_code();
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 16, "{}", code.as_str());
        assert!(groups.iter().all(|g| g.len() == 5
            && g.chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))));
        assert_eq!(DbKey::from_recovery_code(&code).unwrap(), key);
        let typed = code.to_lowercase().replace('-', " ").replace('o', "0");
        assert_eq!(DbKey::from_recovery_code(&typed).unwrap(), key, "{typed}");
        assert_eq!(
            DbKey::from_recovery_code(&format!("  {}\n", code.as_str())).unwrap(),
            key
        );
    }

    #[test]
    fn a_mistyped_or_short_recovery_code_is_refused_saying_so() {
        let code = DbKey::generate().recovery_code();
        // One character changed: the check catches it.
        let first = code.chars().next().unwrap();
        let other = if first == 'A' { 'B' } else { 'A' };
        let typo = format!("{other}{}", &code[1..]);
        let err = DbKey::from_recovery_code(&typo).unwrap_err();
        assert_eq!(
            err.to_string(),
            "recovery key: a character is wrong or missing: check it against the one kept"
        );
        let short = &code[..code.len() - 6];
        assert!(DbKey::from_recovery_code(short).is_err());
        let err = DbKey::from_recovery_code("hello world").unwrap_err();
        assert!(err.to_string().starts_with("recovery key: "), "{err}");
        assert!(DbKey::from_recovery_code("").is_err());
    }
}
