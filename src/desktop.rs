//! `rapport install-desktop`: puts Rapport in the Linux application menu (freedesktop
//! `.desktop` file and icon in the user's folders), so it starts with a double-click.

use anyhow::{Context as _, Result, bail};

const DESKTOP_FILE: &str = include_str!("../assets/rapport.desktop");
const ICON: &[u8] = include_bytes!("../assets/icon.png");

/// The launcher text with `Exec` pointing at this binary.
pub fn desktop_entry(exe: &std::path::Path) -> String {
    DESKTOP_FILE
        .lines()
        .map(|line| {
            if line.starts_with("Exec=") {
                format!("Exec=\"{}\"", exe.display())
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Installs the launcher and icon for the current user.
pub fn install() -> Result<String> {
    if !cfg!(target_os = "linux") {
        bail!(
            "install-desktop is for Linux; on Windows and macOS see the README for a double-clickable app."
        );
    }
    let base = directories::BaseDirs::new().context("Could not find your home folder.")?;
    let data = base.data_dir();
    let exe = std::env::current_exe().context("Could not find the rapport binary's path.")?;
    let apps = data.join("applications");
    let icons = data.join("icons/hicolor/256x256/apps");
    std::fs::create_dir_all(&apps)?;
    std::fs::create_dir_all(&icons)?;
    let launcher = apps.join("rapport.desktop");
    crate::files::write_atomically(&launcher, desktop_entry(&exe).as_bytes())?;
    crate::files::write_atomically(&icons.join("rapport.png"), ICON)?;
    Ok(format!(
        "Rapport is in your application menu ({}). It starts {}.",
        launcher.display(),
        exe.display()
    ))
}
