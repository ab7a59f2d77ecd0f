//! `rapport remind install` / `uninstall`: start the reminder companion when the user logs in.
//! Linux: an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/rapport-remind.desktop`; macOS:
//! a LaunchAgent, `~/Library/LaunchAgents/app.rapport.remind.plist` (RunAtLoad); Windows: a
//! `rapport-remind.cmd` in the Startup folder. Each runs this binary, by its absolute path, as
//! `rapport --db <absolute database path> remind`. The entries' words are made on every
//! platform (and tested here); only where they go depends on the one it is built for.

use crate::store::Location;
use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};

/// The autostart entry on this platform, and its words for `exe` and `db`.
fn entry(exe: &Path, db: &Path) -> Result<(PathBuf, String)> {
    let base = directories::BaseDirs::new().context("Could not find your home folder.")?;
    let (folder, name, text) = if cfg!(target_os = "macos") {
        (
            base.home_dir().join("Library/LaunchAgents"),
            "app.rapport.remind.plist",
            launch_agent(exe, db),
        )
    } else if cfg!(windows) {
        (
            // config_dir is %APPDATA% (Roaming) on Windows.
            base.config_dir()
                .join(r"Microsoft\Windows\Start Menu\Programs\Startup"),
            "rapport-remind.cmd",
            startup_cmd(exe, db),
        )
    } else {
        // config_dir is $XDG_CONFIG_HOME, or ~/.config without it.
        (
            base.config_dir().join("autostart"),
            "rapport-remind.desktop",
            desktop_entry(exe, db),
        )
    };
    Ok((folder.join(name), text))
}

/// `rapport remind install`: writes the autostart entry for the database at `location` and
/// starts the companion now unless one is running.
pub fn install(location: &Location) -> Result<String> {
    let db = super::local_database(location)?;
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .context("Could not find the rapport binary's path.")?;
    let (path, text) = entry(&exe, &db)?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("Could not make the folder {}.", folder.display()))?;
    }
    crate::files::write_atomically(&path, text.as_bytes())?;
    let now = if super::companion_running(&db) {
        "they were already running"
    } else {
        start_detached(&exe, &db)?;
        "they are running now"
    };
    let paused = paused_at_login(&db);
    Ok(format!(
        "Wrote {}, which starts reminders for {} when you log in; {now}.{paused}",
        path.display(),
        db.display()
    ))
}

/// A line for a file protected with a passphrase the keychain does not keep: started at
/// login, the companion finds no `RAPPORT_PASSPHRASE` and pauses (see `locked`).
fn paused_at_login(db: &Path) -> String {
    if !crate::store::cipher::is_protected(db) || crate::credentials::saved_passphrase(db).is_some()
    {
        return String::new();
    }
    format!(
        "\nAt login they will be paused: {} is protected with a passphrase this computer does not keep. Open Rapport and tick 'Remember it on this computer' to have them.",
        db.display()
    )
}

/// `rapport remind uninstall`: removes the autostart entry (a companion running now keeps
/// running until it is stopped or the user logs out).
pub fn uninstall() -> Result<String> {
    let (path, _) = entry(Path::new("rapport"), Path::new("rapport.sqlite3"))?;
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(format!(
            "Removed {}: reminders no longer start when you log in.",
            path.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(format!(
            "Reminders were not set to start when you log in (there is no {}).",
            path.display()
        )),
        Err(e) => Err(e).with_context(|| format!("Could not remove {}.", path.display())),
    }
}

/// Starts `exe --db db remind` on its own, not tied to this terminal.
fn start_detached(exe: &Path, db: &Path) -> Result<()> {
    let mut command = std::process::Command::new(exe);
    command
        .arg("--db")
        .arg(db)
        .arg("remind")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command
        .spawn()
        .context("Could not start the reminders in the background.")?;
    Ok(())
}

/// The XDG autostart entry (freedesktop Desktop Entry, `Exec` quoted as the spec says).
pub fn desktop_entry(exe: &Path, db: &Path) -> String {
    let exec = [
        exe.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
        "remind".as_ref(),
    ]
    .iter()
    .map(|arg| exec_quote(&arg.to_string_lossy()))
    .collect::<Vec<_>>()
    .join(" ");
    format!(
        "[Desktop Entry]\nType=Application\nName=Rapport reminders\n\
         Comment=Reminds you of follow-ups as they come due, with Rapport closed\n\
         Exec={exec}\nTerminal=false\nNoDisplay=true\nX-GNOME-Autostart-enabled=true\n"
    )
}

/// One `Exec` argument: quoted when it holds a space or a reserved character, with `"`, `` ` ``,
/// `$` and `\` escaped inside the quotes, then `\` and `%` escaped for the desktop file.
fn exec_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@=".contains(c));
    let quoted = if plain {
        arg.to_owned()
    } else {
        let mut out = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    };
    quoted.replace('\\', "\\\\").replace('%', "%%")
}

/// The macOS LaunchAgent: run once at login (`RunAtLoad`), not kept alive.
pub fn launch_agent(exe: &Path, db: &Path) -> String {
    let args = [
        &*exe.to_string_lossy(),
        "--db",
        &db.to_string_lossy(),
        "remind",
    ]
    .iter()
    .map(|arg| format!("    <string>{}</string>\n", xml_escape(arg)))
    .collect::<String>();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>app.rapport.remind</string>\n\
         \x20 <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n\
         \x20 <key>RunAtLoad</key>\n  <true/>\n</dict>\n</plist>\n"
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The Windows Startup folder's script: `start` returns at once and leaves no console behind
/// (`%` doubled, as cmd reads it).
pub fn startup_cmd(exe: &Path, db: &Path) -> String {
    let quote = |path: &Path| format!("\"{}\"", path.display().to_string().replace('%', "%%"));
    format!(
        "@echo off\r\nstart \"\" {} --db {} remind\r\n",
        quote(exe),
        quote(db)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remind_autostart_entries_run_this_binary_on_the_database() {
        let exe = Path::new("/opt/Rapport app/rapport");
        let db = Path::new("/home/ana/100% data/rapport.sqlite3");
        let desktop = desktop_entry(exe, db);
        assert!(
            desktop.contains(
                "Exec=\"/opt/Rapport app/rapport\" --db \"/home/ana/100%% data/rapport.sqlite3\" remind\n"
            ),
            "{desktop}"
        );
        assert!(desktop.contains("NoDisplay=true\nX-GNOME-Autostart-enabled=true\n"));
        assert_eq!(exec_quote("a\"b$c"), r#""a\\"b\\$c""#);
        assert_eq!(exec_quote("/usr/bin/rapport"), "/usr/bin/rapport");
        let plist = launch_agent(exe, Path::new("/Users/ana/R&D.sqlite3"));
        assert!(
            plist.contains("<string>/Users/ana/R&amp;D.sqlite3</string>"),
            "{plist}"
        );
        assert!(plist.contains("<key>RunAtLoad</key>\n  <true/>"), "{plist}");
        let cmd = startup_cmd(
            Path::new(r"C:\Program Files\Rapport\rapport.exe"),
            Path::new(r"C:\Users\ana\rapport.sqlite3"),
        );
        assert_eq!(
            cmd,
            "@echo off\r\nstart \"\" \"C:\\Program Files\\Rapport\\rapport.exe\" --db \"C:\\Users\\ana\\rapport.sqlite3\" remind\r\n"
        );
    }
}
