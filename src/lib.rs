//! Rapport: a desktop memory for the people a small business depends on.
//!
//! Data flows one way (see ARCHITECTURE.md): `model` → `store` → `insight`/`demo` → `view` →
//! `ui` → `app`. `store`, `insight` and `demo` never touch egui; `ui` never touches SQL and
//! never names `app`: it draws the `view` and pushes its `Command`s, which `app` applies.

pub mod app;
pub mod build_info;
pub mod cli;
pub mod credentials;
pub mod demo;
pub mod desktop;
pub mod files;
pub mod import;
pub mod insight;
pub mod model;
pub mod remind;
pub mod report;
pub mod safety;
pub mod store;
pub mod ui;
pub mod view;

/// mimalloc for every binary built on Rapport (the app, tests, benchmarks): big imports and PDF
/// reports allocate millions of small objects, and the system allocator spent a tenth of a
/// report's time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
