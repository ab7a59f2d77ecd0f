//! What Typst sees while laying out a report — the template, its data, the fonts — and the
//! fonts themselves, found once per process.

use crate::report::ReportError;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Array, Bytes, Datetime, Dict, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// Typst's embedded fonts first (so "Libertinus Serif" is always the same font), then the
/// system's, found once per process: scanning takes a moment. Each font is read from disk the
/// first time a report needs it and kept: `typst-as-lib` 0.17, used before, read and hashed a
/// system font again every time layout asked for it (a tenth of a 10,000-entry report's time).
pub(super) fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let started = std::time::Instant::now();
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store.extend(typst_kit::fonts::system());
        tracing::debug!(
            "fonts for PDF reports found in {} ms",
            started.elapsed().as_millis()
        );
        store
    })
}

/// What Typst sees while laying out one report: the template, the report's data as
/// `sys.inputs.data`, the avatars' photos as `sys.inputs.photos` (an array of bytes, which
/// `image` reads: no file is needed), and the fonts. No files, no packages, no network.
pub(super) struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl ReportWorld {
    pub(super) fn new(name: &str, template: &str, data: Vec<u8>, photos: &[Bytes]) -> Self {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), Bytes::new(data).into_value());
        let photos: Array = photos.iter().cloned().map(IntoValue::into_value).collect();
        inputs.insert("photos".into(), photos.into_value());
        let path = VirtualPath::new(name).expect("a valid template path");
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        ReportWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, template.to_owned()),
        }
    }

    /// Lays the template out as pages.
    pub(super) fn compile(&self) -> Result<PagedDocument, ReportError> {
        typst::compile::<PagedDocument>(self)
            .output
            .map_err(|diagnostics| diagnostics_error(&diagnostics))
    }
}

/// Typst's errors as one sentence.
pub(super) fn diagnostics_error(diagnostics: &[typst::diag::SourceDiagnostic]) -> ReportError {
    ReportError::Pdf(
        diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}

impl typst::World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
