//! Records build information for the About box: the git commit and the build date. Works
//! without git (a tarball, a vendored build): the hash is then "unknown".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn main() {
    let hash = git(&["rev-parse", "--short=10", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
    let commit_date = git(&["log", "-1", "--format=%cs"]).unwrap_or_else(|| "unknown".to_owned());
    println!(
        "cargo:rustc-env=RAPPORT_GIT_HASH={hash}{}",
        if dirty { "-modified" } else { "" }
    );
    println!("cargo:rustc-env=RAPPORT_COMMIT_DATE={commit_date}");
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".to_owned());
    println!("cargo:rustc-env=RAPPORT_BUILD_PROFILE={profile}");
    // Rebuild the info when HEAD moves, but only if there is a git checkout to watch.
    if std::path::Path::new(".git/HEAD").exists() {
        println!("cargo:rerun-if-changed=.git/HEAD");
        println!("cargo:rerun-if-changed=.git/index");
    }
    println!("cargo:rerun-if-changed=build.rs");
    windows_resources();
}

/// On Windows, embeds the icon and version information in the .exe (Explorer shows them);
/// on other targets this does nothing.
#[cfg(windows)]
fn windows_resources() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    println!("cargo:rerun-if-changed=assets/icon.ico");
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icon.ico")
        .set("ProductName", "Rapport")
        .set("FileDescription", "Rapport: customer relationships");
    if let Err(e) = res.compile() {
        println!("cargo:warning=could not embed the Windows icon: {e}");
    }
}

#[cfg(not(windows))]
fn windows_resources() {}
