//! Static files: the theme's `static/` and, over it, the site's, read once and given
//! fingerprinted names (`style.1b2c3d4e.css`) for stylesheets and scripts. Templates link them
//! through `asset()`; the output copies them. A stage below rendering: it knows nothing of pages.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Diagnostics;
use crate::record::{Digest, digest, digest_bytes};
use crate::source::Bytes;

/// The theme's and the site's static files (the site's override the theme's by path), with the
/// fingerprinted names of the stylesheets and scripts.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    pub files: BTreeMap<String, Bytes>,
    /// `style.css` → `style.1b2c3d4e.css`: names that change when the content does, so that
    /// hosts can cache them for a year.
    pub fingerprinted: BTreeMap<String, String>,
}

impl Assets {
    /// Reads the static folders.
    pub fn load(config: &crate::config::Config) -> Result<Assets, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut files = BTreeMap::new();
        for folder in [
            config.theme_dir().join("static"),
            config.root.join("static"),
        ] {
            copy_static(&folder, &config.root, &mut files, &mut problems);
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let fingerprinted = files
            .iter()
            .filter(|(path, _)| path.ends_with(".css") || path.ends_with(".js"))
            .filter(|(path, _)| !path.ends_with("sw.js"))
            .map(|(path, bytes)| {
                let (stem, extension) = path.rsplit_once('.').expect("filtered on the extension");
                (
                    path.clone(),
                    format!("{stem}.{:08x}.{extension}", digest_bytes(bytes).0 as u32),
                )
            })
            .collect();
        Ok(Assets {
            files,
            fingerprinted,
        })
    }

    /// The digest of what `asset()` answers (the files there are, and the fingerprinted names):
    /// what pages that link an asset depend on.
    pub fn digest(&self) -> Digest {
        digest(&(self.files.keys().collect::<Vec<_>>(), &self.fingerprinted))
    }

    /// The URL path of a static file, fingerprinted when it is a stylesheet or script.
    pub fn url(&self, base_path: &str, path: &str) -> Option<String> {
        let path = path.trim_start_matches('/');
        let name = self
            .fingerprinted
            .get(path)
            .map(String::as_str)
            .or_else(|| self.files.contains_key(path).then_some(path))?;
        Some(format!("{base_path}/{name}"))
    }
}

/// Reads every file under `folder` into `files` (a later folder overrides an earlier one).
fn copy_static(
    folder: &Path,
    root: &Path,
    files: &mut BTreeMap<String, Bytes>,
    problems: &mut Diagnostics,
) {
    if !folder.is_dir() {
        return;
    }
    let (found, walk_problems) = crate::source::walk_site(root, folder, |_| false);
    problems.extend(walk_problems.into_iter().map(|(_, d)| d));
    for path in found {
        let rel = path
            .strip_prefix(folder)
            .expect("walkdir yields paths below its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match crate::source::read_site_file(root, &path) {
            Ok(bytes) => {
                files.insert(rel, Bytes::from(bytes));
            }
            Err(d) => problems.push(d),
        }
    }
}
