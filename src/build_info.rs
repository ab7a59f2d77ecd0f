//! What build this is, for the About box and `--version`.

/// The crate version from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The short git commit the binary was built from ("unknown" outside a git checkout).
pub const GIT_HASH: &str = env!("RAPPORT_GIT_HASH");
/// The date of that commit.
pub const COMMIT_DATE: &str = env!("RAPPORT_COMMIT_DATE");
/// "debug" or "release".
pub const PROFILE: &str = env!("RAPPORT_BUILD_PROFILE");

/// One line describing this build.
pub fn describe() -> String {
    format!("Rapport {VERSION} ({GIT_HASH}, {COMMIT_DATE}, {PROFILE} build)")
}
