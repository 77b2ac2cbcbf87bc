//! Invalid fixture sites: each `tests/fixtures/invalid-*` holds `expected-errors.txt`, the exact
//! text the build must report (file, line, column, the line, the hint). Run with
//! `KARVAN_BLESS=1` to rewrite the expectations after a deliberate change, then review the diff.

mod common;

use std::fs;

fn assert_errors(name: &str) {
    let actual = common::errors(name);
    let expected_file = common::repo()
        .join("tests/fixtures")
        .join(name)
        .join("expected-errors.txt");
    if std::env::var_os("KARVAN_BLESS").is_some() {
        fs::write(&expected_file, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_file).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with KARVAN_BLESS=1",
            expected_file.display()
        )
    });
    assert_eq!(actual, expected, "the errors of {name} changed");
}

#[test]
fn bad_toml_in_front_matter_names_the_line() {
    assert_errors("invalid-toml");
}

#[test]
fn unknown_front_matter_key_is_an_error() {
    assert_errors("invalid-unknown-key");
}

#[test]
fn broken_internal_link_and_missing_anchor_are_errors() {
    assert_errors("invalid-broken-link");
}

#[test]
fn fluent_syntax_error_names_file_line_and_column() {
    assert_errors("invalid-fluent");
}

#[test]
fn template_render_error_names_template_line_and_page() {
    assert_errors("invalid-template");
}

#[test]
fn template_syntax_error_names_template_line_and_column() {
    assert_errors("invalid-template-syntax");
}

#[test]
fn unknown_components_filters_functions_and_templates_are_reported_together_before_rendering() {
    assert_errors("invalid-template-unknown");
}

#[test]
fn a_render_error_in_a_component_names_the_component_and_its_caller() {
    assert_errors("invalid-template-component");
}

#[test]
fn two_pages_on_one_url_are_an_error() {
    assert_errors("invalid-duplicate-url");
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    assert_errors("invalid-not-utf8");
}

#[test]
fn config_errors_are_reported_together() {
    assert_errors("invalid-config");
}

#[test]
fn refuses_to_write_into_the_site_root_or_a_foreign_folder() {
    let site = common::fixture("translations");
    let mut options = common::options(site.path());
    options.output = Some(site.path().to_path_buf());
    let err = karvan::build(&options).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "error: refusing to write the site into {}: it is the site's own folder\n  = help: write to a folder of its own, e.g. --output public\n",
            site.path().display()
        )
    );

    let foreign = tempfile::tempdir().unwrap();
    fs::write(foreign.path().join("notes.txt"), "keep me").unwrap();
    options.output = Some(foreign.path().to_path_buf());
    let err = karvan::build(&options).unwrap_err().to_string();
    assert!(
        err.contains("it is not empty and was not written by karvan"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(foreign.path().join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = common::fixture("translations");
    let options = common::options(site.path());
    karvan::build(&options).unwrap();
    let out = site.path().join("public");
    let before = fs::read(out.join("en/stay/register/index.html")).unwrap();
    fs::write(
        site.path().join("content/en/stay/register.md"),
        "+++\ntitle = \"Broken\nslug = 1\n+++\n",
    )
    .unwrap();
    assert!(karvan::build(&options).is_err());
    assert_eq!(
        fs::read(out.join("en/stay/register/index.html")).unwrap(),
        before
    );
}

#[test]
fn service_and_agency_files_report_every_problem_with_its_place() {
    assert_errors("invalid-services");
}

#[test]
fn a_template_extending_a_missing_template_is_located() {
    assert_errors("invalid-template-extends");
}

#[test]
fn the_toml_mistakes_editors_make_get_plain_help() {
    assert_errors("invalid-editor-toml");
}

#[test]
fn a_missing_image_names_the_page_the_line_and_where_to_put_it() {
    assert_errors("invalid-missing-image");
}
