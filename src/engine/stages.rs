//! The stages' outputs a session keeps, and which of them a change touches.

use super::*;

/// Every stage's output.
pub(super) struct Stages {
    pub(super) config: Arc<Config>,
    /// Shared with the last good build until a change touches it.
    pub(super) content: Arc<Content>,
    pub(super) content_warnings: Diagnostics,
    pub(super) catalog: Arc<Catalog>,
    pub(super) catalog_warnings: Diagnostics,
    pub(super) catalog_digest: Digest,
    pub(super) locales: Arc<Locales>,
    pub(super) strings: Arc<UiStrings>,
    pub(super) assets: Arc<Assets>,
    /// The images pages show, with their copies.
    pub(super) images: Arc<Images>,
    pub(super) templates: Arc<Templates>,
    pub(super) used_keys: Vec<KeyUse>,
}

/// What the stages after `site` made.
pub(super) struct Built {
    pub(super) site: Arc<Site>,
    pub(super) bodies: Bodies,
    pub(super) warnings: Diagnostics,
}

/// Which stages a set of changed paths touches.
#[derive(Debug, Default)]
pub(super) struct Touched {
    pub(super) everything: bool,
    pub(super) content: Vec<PathBuf>,
    pub(super) catalog: bool,
    pub(super) strings: bool,
    pub(super) assets: bool,
    pub(super) templates: bool,
}

impl Touched {
    /// Nothing a build reads changed.
    pub(super) fn is_nothing(&self) -> bool {
        !self.everything
            && self.content.is_empty()
            && !self.catalog
            && !self.strings
            && !self.assets
            && !self.templates
    }

    /// Only UI strings or templates changed: the site and its bodies stay as they are.
    pub(super) fn is_interface_only(&self) -> bool {
        !self.everything
            && self.content.is_empty()
            && !self.catalog
            && !self.assets
            && (self.strings || self.templates)
    }

    pub(super) fn of(config: &Config, paths: &BTreeSet<PathBuf>) -> Touched {
        let root = &config.root;
        let content = config.content_dir();
        let theme = config.theme_dir();
        let mut touched = Touched::default();
        for path in paths {
            let path = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            let under = |folder: &Path, name: &str| path.starts_with(folder.join(name));
            if path == root.join(crate::config::CONFIG_FILE)
                || path == *root
                || path == content
                || path == root.join("themes")
                || path == theme
            {
                touched.everything = true;
            } else if under(&content, "services") || under(&content, "agencies") {
                touched.catalog = true;
            } else if path.starts_with(&content) {
                touched.content.push(path);
            } else if under(root, "i18n") || under(&theme, "i18n") {
                touched.strings = true;
            } else if under(root, "templates") || under(&theme, "templates") {
                touched.templates = true;
            } else if under(root, "static") || under(&theme, "static") {
                touched.assets = true;
            }
        }
        touched
    }
}

pub(super) fn lap(report: &mut Report, clock: &mut Instant, stage: &'static str) {
    report.stages.push((stage, clock.elapsed()));
    *clock = Instant::now();
}

/// The section folders of the default language: the topics services may be listed under.
pub(super) fn topics(config: &Config, content: &Content) -> BTreeSet<String> {
    content
        .pages()
        .filter(|p| p.kind == PageKind::Section && !p.dir.is_empty())
        .filter(|p| p.lang == config.default_lang())
        .map(|p| p.dir.clone())
        .collect()
}

pub(super) fn load_catalog(
    config: &Config,
    content: &Content,
    options: &Options,
) -> Result<(Arc<Catalog>, Diagnostics, Digest), Diagnostics> {
    let (catalog, warnings) = catalog::load(
        config,
        &topics(config, content),
        options.today.unwrap_or_else(Date::today),
    )?;
    let digest = catalog.digest();
    Ok((Arc::new(catalog), warnings, digest))
}

/// The images the pages of `content` show, prepared (see [`crate::images`]); those of
/// `previous` whose bytes are unchanged are taken as they are.
pub(super) fn prepare_images(
    config: &Config,
    content: &Content,
    assets: &Assets,
    previous: &Images,
) -> Result<Arc<Images>, Diagnostics> {
    let wanted = content.pages().flat_map(|p| p.images.iter().cloned());
    let site_static = config.root.join("static");
    let theme_static = config.theme_dir().join("static");
    let shown = |path: &str| {
        let folder = if site_static.join(path).is_file() {
            &site_static
        } else {
            &theme_static
        };
        crate::source::display_path(&config.root, &folder.join(path))
            .display()
            .to_string()
    };
    let images = Images::prepare(
        &assets.files,
        wanted,
        previous,
        &crate::images::Cache::under(&config.root),
        shown,
    )?;
    Ok(Arc::new(images))
}

pub(super) fn load_templates(
    config: &Config,
) -> Result<(Arc<Templates>, Vec<KeyUse>), Diagnostics> {
    let (templates, used_keys) = Templates::load(config)?;
    Ok((Arc::new(templates), used_keys))
}

impl Stages {
    /// Every stage up to the site. `once`: for a build that will not be updated, whose pages'
    /// bodies are set aside until rendered (see [`crate::content::Page::shelve_body`]).
    pub(super) fn load(
        options: &Options,
        once: bool,
        report: &mut Report,
    ) -> Result<Stages, Diagnostics> {
        let mut clock = Instant::now();
        let overrides = Overrides {
            base_url: options.base_url.clone(),
        };
        let config = Arc::new(Config::load(&options.root, &overrides)?);
        lap(report, &mut clock, "config");
        let (content, content_warnings) = crate::content::discover(&config, options.drafts, once)?;
        let content = Arc::new(content);
        lap(report, &mut clock, "content");
        let (catalog, catalog_warnings, catalog_digest) = load_catalog(&config, &content, options)?;
        let locales = Arc::new(Locales::load(&config)?);
        lap(report, &mut clock, "catalog");
        let strings = Arc::new(UiStrings::load(&config, &locales)?);
        let assets = Arc::new(Assets::load(&config)?);
        let (templates, used_keys) = load_templates(&config)?;
        lap(report, &mut clock, "templates");
        let images = prepare_images(&config, &content, &assets, &Images::default())?;
        report.images_encoded = images.encoded;
        lap(report, &mut clock, "images");
        Ok(Stages {
            config,
            content,
            content_warnings,
            catalog,
            catalog_warnings,
            catalog_digest,
            locales,
            strings,
            assets,
            images,
            templates,
            used_keys,
        })
    }

    /// The stages after `touched` changed; those not touched are shared with `self`.
    pub(super) fn reload(
        &self,
        options: &Options,
        touched: &Touched,
        report: &mut Report,
    ) -> Result<Stages, Diagnostics> {
        let mut clock = Instant::now();
        let config = Arc::clone(&self.config);
        let mut content = Arc::clone(&self.content);
        let mut content_warnings = self.content_warnings.clone();
        if !touched.content.is_empty() {
            Arc::make_mut(&mut content).update(&config, &touched.content);
            content_warnings = content.problems(&config);
            if content_warnings.has_errors() {
                return Err(content_warnings);
            }
        }
        lap(report, &mut clock, "content");
        // Topics come from the sections: a new or removed section is checked against the
        // services too.
        let topics_changed = !touched.content.is_empty()
            && topics(&config, &content) != topics(&config, &self.content);
        let (catalog, catalog_warnings, catalog_digest) = if touched.catalog || topics_changed {
            load_catalog(&config, &content, options)?
        } else {
            (
                Arc::clone(&self.catalog),
                self.catalog_warnings.clone(),
                self.catalog_digest,
            )
        };
        lap(report, &mut clock, "catalog");
        let strings = if touched.strings {
            Arc::new(UiStrings::load(&config, &self.locales)?)
        } else {
            Arc::clone(&self.strings)
        };
        let assets = if touched.assets {
            Arc::new(Assets::load(&config)?)
        } else {
            Arc::clone(&self.assets)
        };
        let (templates, used_keys) = if touched.templates {
            load_templates(&config)?
        } else {
            (Arc::clone(&self.templates), self.used_keys.clone())
        };
        lap(report, &mut clock, "templates");
        let images = if touched.assets || !touched.content.is_empty() {
            let images = prepare_images(&config, &content, &assets, &self.images)?;
            report.images_encoded = images.encoded;
            images
        } else {
            Arc::clone(&self.images)
        };
        lap(report, &mut clock, "images");
        Ok(Stages {
            config,
            content,
            content_warnings,
            catalog,
            catalog_warnings,
            catalog_digest,
            locales: Arc::clone(&self.locales),
            strings,
            assets,
            images,
            templates,
            used_keys,
        })
    }

    /// The warnings of the stages: content, catalog, and the strings' `report`.
    pub(super) fn warnings(&self, strings: Diagnostics) -> Diagnostics {
        let mut warnings = self.content_warnings.clone();
        warnings.extend(self.catalog_warnings.0.iter().cloned());
        warnings.extend(strings.0);
        warnings
    }

    /// The site model, the checks between the stages, and the Markdown bodies (reusing
    /// `previous` where they still hold).
    pub(super) fn build(
        &self,
        previous: &Bodies,
        report: &mut Report,
    ) -> Result<(Built, usize), Diagnostics> {
        let mut clock = Instant::now();
        let (site, warnings) = self.site(report, &mut clock)?;
        let site = Arc::new(site);
        let (bodies, rendered) = render::bodies(&site, &self.images, previous)?;
        lap(report, &mut clock, "markdown");
        Ok((
            Built {
                site,
                bodies,
                warnings,
            },
            rendered,
        ))
    }

    /// The site model and the checks between the stages; their warnings.
    pub(super) fn site(
        &self,
        report: &mut Report,
        clock: &mut Instant,
    ) -> Result<(Site, Diagnostics), Diagnostics> {
        let mut site = Site::new(
            Arc::clone(&self.config),
            &self.content,
            Arc::clone(&self.catalog),
            Arc::clone(&self.locales),
        )?;
        site.reserved_ids = Arc::new(self.templates.fixed_ids());
        lap(report, clock, "site");
        let string_report = self.strings.check(&self.used_keys);
        if string_report.has_errors() {
            return Err(string_report);
        }
        let mut warnings = self.warnings(string_report);
        render::check_templates(&site, &self.templates)?;
        warnings.extend(crate::images::check_pages(&site, &self.images)?.0);
        Ok((site, warnings))
    }
}
