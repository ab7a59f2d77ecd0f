pub mod paged;
pub fn run_window(_p: std::path::PathBuf) -> anyhow::Result<()> { Ok(()) }
