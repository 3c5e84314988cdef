//! Passphrases of encrypted stores: taken from the environment (`FIELDBOOK_PASSPHRASE`,
//! and `FIELDBOOK_NEW_PASSPHRASE` for a change) or asked at the terminal without echo; a
//! store is unlocked with them before the library opens it — or with its key remembered in
//! the OS keyring, tried first (`fieldbook keyring remember`). Knows nothing of keys or SQL.

use anyhow::{Context, bail};
use fieldbook_client::{AtRest, ClientError, Protection, at_rest, keyring};
use std::io::IsTerminal;
use std::path::Path;

pub const PASSPHRASE_ENV: &str = "FIELDBOOK_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "FIELDBOOK_NEW_PASSPHRASE";

/// Unlocks the store in `dir` for this process when it is encrypted.
pub fn unlock_if_needed(dir: &Path) -> anyhow::Result<()> {
    if at_rest::at_rest(dir) == AtRest::Plain
        || !dir.join(fieldbook_client::store::STORE_FILE).is_file()
    {
        return Ok(());
    }
    if keyring::unlock(dir)? {
        return Ok(());
    }
    let passphrase = existing(PASSPHRASE_ENV, "passphrase of this store: ")?;
    match at_rest::unlock(dir, &passphrase) {
        // A kill finished a change to a plain store meanwhile: nothing to unlock.
        Err(ClientError::NotEncrypted(_)) => Ok(()),
        r => Ok(r?),
    }
}

/// The protection of a new store: a new passphrase, unless `plain`.
pub fn for_new_store(plain: bool) -> anyhow::Result<Protection> {
    if plain {
        return Ok(Protection::None);
    }
    Ok(Protection::passphrase(&new(PASSPHRASE_ENV)?))
}

/// A passphrase that exists already: from `env`, or asked once at the terminal.
pub fn existing(env: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(env) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "this store is encrypted: give its passphrase in {env}, or run the command in a terminal to type it"
        );
    }
    rpassword::prompt_password(prompt).context("reading the passphrase from the terminal")
}

/// A new passphrase: from `env`, or typed twice at the terminal.
pub fn new(env: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(env) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "a store is encrypted with a passphrase: give it in {env} or run the command in a terminal to type it \
             (at least {} characters; `--no-encryption` makes a plain store anyone with the file can read)",
            at_rest::MIN_PASSPHRASE
        );
    }
    let first = rpassword::prompt_password(format!(
        "new passphrase (at least {} characters; it cannot be recovered): ",
        at_rest::MIN_PASSPHRASE
    ))?;
    let second = rpassword::prompt_password("the same passphrase again: ")?;
    if first != second {
        bail!("the two passphrases differ; nothing was changed");
    }
    Ok(first)
}

/// `fieldbook keyring ...`
#[derive(clap::Subcommand, Debug)]
pub enum KeyringCommand {
    /// Keep the store's key in the OS keyring (asks for the passphrase once).
    Remember,
    /// Delete the store's key from the OS keyring: the passphrase is asked for again.
    Forget,
    /// Whether a keyring answers here and holds this store's key.
    Status,
}

pub fn keyring(dir: &Path, action: &KeyringCommand, json: bool) -> anyhow::Result<()> {
    if !dir.join(fieldbook_client::store::STORE_FILE).is_file() {
        return Err(ClientError::NoStore(dir.to_path_buf()).into());
    }
    if at_rest::at_rest(dir) == AtRest::Plain {
        bail!(
            "this store is not encrypted, so it has no key to remember: `fieldbook encrypt` encrypts it"
        );
    }
    let (remembered, said) = match action {
        KeyringCommand::Remember => {
            unlock_if_needed(dir)?;
            keyring::remember(dir)?;
            (
                true,
                "The key of this store is in the OS keyring: it opens on this computer without its passphrase.",
            )
        }
        KeyringCommand::Forget => {
            if keyring::forget(dir)? {
                (
                    false,
                    "The key of this store left the OS keyring: its passphrase is asked for again.",
                )
            } else {
                (false, "The OS keyring held no key of this store.")
            }
        }
        KeyringCommand::Status => {
            let remembered = keyring::is_remembered(dir);
            (
                remembered,
                match (keyring::available(), remembered) {
                    (false, _) => {
                        "No OS keyring answers here: this store opens with its passphrase."
                    }
                    (true, true) => "The OS keyring holds the key of this store.",
                    (true, false) => {
                        "The OS keyring does not hold the key of this store (`fieldbook keyring remember`)."
                    }
                },
            )
        }
    };
    if json {
        out!(
            "{}",
            serde_json::json!({"keyring": keyring::available(), "remembered": remembered})
        );
    } else {
        out!("{said}");
    }
    Ok(())
}
