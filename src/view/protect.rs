//! File ▸ Protect with a passphrase… (Change passphrase…, Remove passphrase…), File ▸ Lock, and
//! the unlock screen: their state (`ui::protect` draws them, `app::protect` does the work).

use crate::store::cipher::Passphrase;
use std::path::PathBuf;

/// The shortest passphrase Rapport accepts.
pub const MIN_LENGTH: usize = 8;

/// What the passphrase dialog does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassphraseAction {
    Protect,
    Change,
    Remove,
}

/// The passphrase dialog: what it does, what was typed, and why it was refused.
#[derive(Debug, Clone)]
pub struct PassphraseDialog {
    pub action: PassphraseAction,
    pub current: String,
    pub new: String,
    pub repeat: String,
    /// Keep the passphrase in the system keychain, so Rapport opens without asking.
    pub remember: bool,
    pub error: Option<String>,
}

/// What a filled-in dialog asks for: the current passphrase (to change or remove it) and the
/// new one (none to remove it).
#[derive(Debug)]
pub struct PassphraseChange {
    pub current: Option<Passphrase>,
    pub new: Option<Passphrase>,
}

impl PassphraseDialog {
    pub fn new(action: PassphraseAction, remembered: bool) -> Self {
        Self {
            action,
            current: String::new(),
            new: String::new(),
            repeat: String::new(),
            remember: remembered,
            error: None,
        }
    }

    /// What was typed, or the sentence saying what is missing.
    pub fn change(&self) -> Result<PassphraseChange, String> {
        let current = match self.action {
            PassphraseAction::Protect => None,
            _ => Some(
                Passphrase::new(self.current.clone())
                    .ok_or("Type the current passphrase first.")?,
            ),
        };
        if self.action == PassphraseAction::Remove {
            return Ok(PassphraseChange { current, new: None });
        }
        if self.new.chars().count() < MIN_LENGTH {
            return Err(format!(
                "Use at least {MIN_LENGTH} characters; a few words you will remember are best."
            ));
        }
        if self.new != self.repeat {
            return Err("The two new passphrases differ; type them again.".to_owned());
        }
        Ok(PassphraseChange {
            current,
            new: Passphrase::new(self.new.clone()),
        })
    }

    /// Wipes what was typed (the dialog stays open after a refusal).
    pub fn clear_typed(&mut self) {
        for text in [&mut self.current, &mut self.new, &mut self.repeat] {
            zeroize::Zeroize::zeroize(text);
        }
    }
}

/// The screen a protected file opens on: its passphrase, asked patiently.
#[derive(Debug, Clone)]
pub struct UnlockScreen {
    pub path: PathBuf,
    pub passphrase: String,
    pub remember: bool,
    /// Why the last try did not open it.
    pub error: Option<String>,
    /// Tries that failed, shown from the second on.
    pub failed: u32,
}

impl UnlockScreen {
    pub fn new(path: PathBuf, error: Option<String>) -> Self {
        Self {
            path,
            passphrase: String::new(),
            remember: false,
            failed: u32::from(error.is_some()),
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_passphrase_is_long_enough_and_typed_twice_alike() {
        let mut dialog = PassphraseDialog::new(PassphraseAction::Protect, false);
        dialog.new = "short".into();
        dialog.repeat = "short".into();
        assert!(dialog.change().unwrap_err().contains("at least 8"));
        dialog.new = "tea at five".into();
        dialog.repeat = "tea at six".into();
        assert!(dialog.change().unwrap_err().contains("differ"));
        dialog.repeat = "tea at five".into();
        let change = dialog.change().unwrap();
        assert!(change.current.is_none());
        assert_eq!(change.new.unwrap().as_str(), "tea at five");
        dialog.clear_typed();
        assert!(dialog.new.is_empty() && dialog.repeat.is_empty());
    }

    #[test]
    fn changing_or_removing_needs_the_current_one() {
        let mut dialog = PassphraseDialog::new(PassphraseAction::Remove, true);
        assert!(dialog.change().unwrap_err().contains("current"));
        dialog.current = "tea at five".into();
        let change = dialog.change().unwrap();
        assert!(change.new.is_none());
        assert_eq!(change.current.unwrap().as_str(), "tea at five");
    }
}
