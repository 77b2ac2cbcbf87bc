//! `karvan new page|service|agency` and `karvan init`: files to start from, in every language,
//! with placeholders (`TODO: ...`) and comments saying what goes where. Nothing is overwritten:
//! when one of the files exists, nothing is written.

use std::path::{Path, PathBuf};

use crate::config::{Config, Overrides};
use crate::error::{Diagnostic, Diagnostics};

mod theme {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// What to start.
#[derive(Debug, clap::Subcommand)]
pub enum NewArgs {
    /// A page in every language, with the same key: `karvan new page stay/register`.
    Page {
        /// The page's path under content/<language>/, e.g. stay/register (or a section:
        /// stay/_index).
        path: String,
        /// The site's folder, holding site.toml.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// A government service: content/services/<id>.toml, every language in one file.
    Service {
        /// The service's id, used in its address and in @service/<id> links (e.g. work-permit).
        id: String,
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// A state agency: content/agencies/<id>.toml, every language in one file.
    Agency {
        /// The agency's id, used in its address and in @agency/<id> links (e.g. migration-service).
        id: String,
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

/// A new site.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create (or an empty one).
    pub dir: PathBuf,
    /// The site's languages, the default one first: az,en,ru.
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        default_value = "az,en,ru"
    )]
    pub languages: Vec<String>,
}

impl NewArgs {
    pub fn run(&self) -> u8 {
        finish(
            self.files()
                .and_then(|(root, files)| write_new(&root, &files)),
        )
    }

    /// The files to write, relative to the site's folder.
    pub fn files(&self) -> Result<(PathBuf, Vec<(String, String)>), Diagnostics> {
        let today = crate::catalog::Date::today();
        match self {
            NewArgs::Page { path, root } => {
                let config = Config::load(root, &Overrides::default())?;
                Ok((root.clone(), page_files(&config, path, today)?))
            }
            NewArgs::Service { id, root } => {
                let config = Config::load(root, &Overrides::default())?;
                check_id(id)?;
                let agencies = ids(&root.join("content/agencies"));
                Ok((
                    root.clone(),
                    vec![(
                        format!("content/services/{id}.toml"),
                        service_file(&config, id, &agencies, today),
                    )],
                ))
            }
            NewArgs::Agency { id, root } => {
                let config = Config::load(root, &Overrides::default())?;
                check_id(id)?;
                Ok((
                    root.clone(),
                    vec![(
                        format!("content/agencies/{id}.toml"),
                        agency_file(&config, id, today),
                    )],
                ))
            }
        }
    }
}

impl InitArgs {
    pub fn run(&self) -> u8 {
        finish(init(&self.dir, &self.languages).map(|mut written| {
            written.push_str(&format!(
                "\nnext: cd {} && karvan serve   (then fill in the TODOs of site.toml and content/)\n",
                self.dir.display()
            ));
            written
        }))
    }
}

/// Prints what was written, or why nothing was; the exit code.
fn finish(result: Result<String, Diagnostics>) -> u8 {
    match result {
        Ok(written) => {
            eprint!("{written}");
            0
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            1
        }
    }
}

/// Writes `files` under `root`, none if one of them exists. Returns the list of what it wrote.
pub fn write_new(root: &Path, files: &[(String, String)]) -> Result<String, Diagnostics> {
    let existing: Vec<Diagnostic> = files
        .iter()
        .filter(|(path, _)| root.join(path).exists())
        .map(|(path, _)| {
            Diagnostic::error(format!("{path} exists already; nothing was written"))
                .in_file(path)
                .with_help("choose another name, or edit the file that is there")
        })
        .collect();
    if !existing.is_empty() {
        return Err(Diagnostics(existing));
    }
    let mut written = String::new();
    for (path, text) in files {
        let file = root.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| crate::error::io_error(parent, "create this folder", &e))?;
        }
        std::fs::write(&file, text)
            .map_err(|e| crate::error::io_error(Path::new(path), "write this file", &e))?;
        written.push_str(&format!("created {path}\n"));
    }
    Ok(written)
}

/// An id is a URL segment: lower-case letters, digits and hyphens.
fn check_id(id: &str) -> Result<(), Diagnostic> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::error(format!("`{id}` cannot be an id"))
            .with_help("use lower-case Latin letters, digits and hyphens, e.g. work-permit"))
    }
}

/// The file stems of the .toml files in `dir`, sorted.
fn ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    ids.sort();
    ids
}

/// A TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The page at `path` in every language.
fn page_files(
    config: &Config,
    path: &str,
    today: crate::catalog::Date,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let rel = path.trim_matches('/');
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    let bad = rel.is_empty()
        || rel
            .split('/')
            .any(|part| crate::config::check_url_segment(part).is_err() || part.starts_with('.'));
    if bad {
        return Err(Diagnostic::error(format!("`{path}` cannot be a page's path"))
            .with_help("give the path under content/<language>/ without spaces, e.g. stay/register or stay/_index for a section"));
    }
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let section = stem == "_index";
    let slug = if section {
        rel.rsplit('/').nth(1).unwrap_or("")
    } else {
        stem
    };
    let mut files = Vec::new();
    for language in &config.languages {
        let code = &language.code;
        let name = &language.name;
        let mut text = String::from("+++\n");
        text.push_str(&format!(
            "# The title in {name}: shown as the heading, in the browser's tab and in lists.\ntitle = {}\n",
            quoted(&format!("TODO: the title in {name}"))
        ));
        text.push_str(&format!(
            "# One sentence in {name}: shown under the title in lists and by search engines.\ndescription = {}\n",
            quoted(&format!("TODO: one sentence about the page in {name}"))
        ));
        if !slug.is_empty() {
            text.push_str(&format!(
                "# The last part of the address, /{code}/.../{slug}/: translate it (lower-case letters, digits, hyphens).\nslug = {}\n",
                quoted(slug)
            ));
        }
        text.push_str(&format!(
            "# The same key in every language makes these files translations of each other: keep it.\nkey = {}\n",
            quoted(rel)
        ));
        text.push_str(&format!(
            "# The day the text was last changed (YYYY-MM-DD); readers see it.\nupdated = {today}\n"
        ));
        text.push_str(
            "# Drafts are not published: change to false when the page is ready.\ndraft = true\n",
        );
        text.push_str("+++\n\n");
        text.push_str(&format!(
            "TODO: the text of the page in {name}, in Markdown. Link to other pages by their file:\n[the registration page](@/stay/register.md).\n"
        ));
        files.push((format!("content/{code}/{rel}.md"), text));
    }
    Ok(files)
}

/// A table with a text in every language: `{ az = "TODO: ...", en = "TODO: ..." }`.
fn per_language(config: &Config, what: &str) -> String {
    let cells: Vec<String> = config
        .languages
        .iter()
        .map(|l| {
            format!(
                "{} = {}",
                toml_key(&l.code),
                quoted(&format!("TODO: {what} in {}", l.name))
            )
        })
        .collect();
    format!("{{ {} }}", cells.join(", "))
}

fn toml_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        quoted(key)
    }
}

fn service_file(
    config: &Config,
    id: &str,
    agencies: &[String],
    today: crate::catalog::Date,
) -> String {
    let agencies = if agencies.is_empty() {
        "none yet: create one with `karvan new agency <id>`".to_string()
    } else {
        agencies.join(", ")
    };
    format!(
        r#"# A government service: every fact once, every text in each language. Replace each TODO.
# The fields that may be added (who, deadline, fees, documents, channels, steps, legal_basis)
# are described in docs/services.md.

# The id: part of the address (/{default}/.../{id}/) and of links to it, @service/{id}. Keep it.
id = {id_quoted}
# The id of the agency responsible (a file of content/agencies/): {agencies}.
agency = "TODO-agency-id"
# The name of the service.
title = {title}
# One sentence: what the service gives. Shown under the title and by search engines.
summary = {summary}

# Where the facts come from: the official page or act. Add a [[sources]] table for each.
[[sources]]
url = "https://TODO.example.az/the-official-page"
# The day you read the source (YYYY-MM-DD).
checked = {today}

# When an editor last checked every fact against the sources, and when to check again.
[review]
last_checked = {today}
"#,
        default = config.default_language,
        id_quoted = quoted(id),
        title = per_language(config, "the name of the service"),
        summary = per_language(config, "one sentence about the service"),
    )
}

fn agency_file(config: &Config, id: &str, today: crate::catalog::Date) -> String {
    format!(
        r#"# A state agency: every fact once, every text in each language. Replace each TODO.
# Phones, offices and their hours may be added: see docs/services.md.

# The id: part of the address and of links to it, @agency/{id}. Keep it.
id = {id_quoted}
# The agency's name.
name = {name}
# The official website.
website = "https://TODO.example.az/"

# Where the facts come from. Add a [[sources]] table for each page you used.
[[sources]]
url = "https://TODO.example.az/contacts"
# The day you read the source (YYYY-MM-DD).
checked = {today}

# When an editor last checked every fact against the sources.
[review]
last_checked = {today}
"#,
        id_quoted = quoted(id),
        name = per_language(config, "the name of the agency"),
    )
}

/// Languages in their own names, for site.toml; others get a TODO.
fn own_name(code: &str) -> Option<&'static str> {
    let base = code.split(['-', '_']).next().unwrap_or(code);
    Some(match base {
        "az" => "Azərbaycanca",
        "en" => "English",
        "ru" => "Русский",
        "tr" => "Türkçe",
        "uk" => "Українська",
        "ka" => "ქართული",
        "hy" => "Հայերեն",
        "fa" => "فارسی",
        "ar" => "العربية",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "zh" => "中文",
        "uz" => "Oʻzbekcha",
        "kk" => "Қазақша",
        _ => return None,
    })
}

/// Writes a new site into `dir`: site.toml, a home per language, UI string files, the default
/// theme. `dir` must not exist, or be empty.
pub fn init(dir: &Path, languages: &[String]) -> Result<String, Diagnostics> {
    let is_empty = std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none());
    if dir.exists() && !is_empty {
        return Err(Diagnostic::error(format!(
            "{} is not empty; nothing was written",
            dir.display()
        ))
        .with_help("give the name of a new folder, e.g. karvan init my-site")
        .into());
    }
    let mut codes: Vec<&str> = Vec::new();
    for code in languages.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if code.parse::<unic_langid::LanguageIdentifier>().is_err() || code.contains('_') {
            return Err(Diagnostic::error(format!("`{code}` is not a language tag"))
                .with_help("give BCP 47 tags separated by commas, e.g. --languages az,en,ru")
                .into());
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let Some(&default) = codes.first() else {
        return Err(Diagnostic::error("no languages given")
            .with_help("give them separated by commas, the default first: --languages az,en,ru")
            .into());
    };
    let mut site = format!(
        r#"# The site's settings. Every key is described in karvan's README (site.toml).

# The address the site is published at.
base_url = "https://TODO.example.org/"
# The language of the originals; pages missing in another language are shown in it, with a notice.
default_language = {default}
theme = "default"
"#,
        default = quoted(default)
    );
    for code in &codes {
        let name = own_name(code);
        site.push_str(&format!(
            r#"
[[languages]]                     # the order is the order of the language switcher
code = {code_q}
# The language in its own name, as the switcher shows it.
name = {name}
# The site's name in this language.
title = {title}
"#,
            code_q = quoted(code),
            name = quoted(name.unwrap_or("TODO: the language in its own name")),
            title = quoted(&format!(
                "TODO: the site's name in {}",
                name.unwrap_or(code)
            )),
        ));
    }
    site.push_str(
        r#"
[fallback]
pages = true                      # untranslated pages appear in every language, with a notice

[gaps]
# Translation gaps are warnings; list here those that must fail every build:
# untranslated, no-original, stale, missing-strings, incomplete-plurals, service-texts,
# unused-strings, overdue-reviews.
errors = []
"#,
    );
    let mut files = vec![("site.toml".to_string(), site)];
    for code in &codes {
        let name = own_name(code).unwrap_or(code);
        files.push((
            format!("content/{code}/_index.md"),
            format!(
                "+++\n# The home page's title in {name}.\ntitle = {}\n# One sentence about the site in {name}, for search engines.\ndescription = {}\n+++\n\nTODO: a few words of welcome in {name}, in Markdown.\n",
                quoted(&format!("TODO: the home page's title in {name}")),
                quoted(&format!("TODO: one sentence about the site in {name}")),
            ),
        ));
        files.push((
            format!("i18n/{code}.ftl"),
            format!(
                "# The site's own UI strings in {name} (Project Fluent), overriding the theme's key by key:\n# see themes/default/i18n/ for the keys.\n"
            ),
        ));
    }
    for (path, bytes) in theme::THEME {
        let text = String::from_utf8_lossy(bytes).into_owned();
        files.push((format!("themes/default/{path}"), text));
    }
    // The theme's binary files (if any) are written as they are.
    let binary: Vec<(&str, &[u8])> = theme::THEME
        .iter()
        .filter(|(_, b)| std::str::from_utf8(b).is_err())
        .map(|(p, b)| (*p, *b))
        .collect();
    files.retain(|(path, _)| {
        !binary
            .iter()
            .any(|(p, _)| path == &format!("themes/default/{p}"))
    });
    std::fs::create_dir_all(dir)
        .map_err(|e| crate::error::io_error(dir, "create this folder", &e))?;
    let mut written = write_new(dir, &files)?;
    for (path, bytes) in binary {
        let file = dir.join("themes/default").join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| crate::error::io_error(parent, "create this folder", &e))?;
        }
        std::fs::write(&file, bytes)
            .map_err(|e| crate::error::io_error(&file, "write this file", &e))?;
        written.push_str(&format!("created themes/default/{path}\n"));
    }
    Ok(written)
}
