//! Every decision in `docs/DECISIONS.md` names its test, and every test it names exists: a
//! vector case (`group/name`, `*` for a prefix), a file, or a test function (Rust, or Python
//! under `python/tests` and `tests/sdk_clients`).

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_below(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_below(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

/// Every case name of the conformance data.
fn case_names() -> Vec<String> {
    let mut files = Vec::new();
    files_below(&root().join("tests/vectors"), "json", &mut files);
    files.push(root().join("tests/sdk/cases.json"));
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable vectors");
        let data: serde_json::Value = serde_json::from_str(&text).expect("vectors are JSON");
        for case in data["cases"].as_array().into_iter().flatten() {
            if let Some(name) = case["name"].as_str() {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// The text of every Rust file of the workspace and every Python test, to look functions
/// up in.
fn rust_sources() -> String {
    let mut files = Vec::new();
    for dir in ["src", "tests", "crates"] {
        files_below(&root().join(dir), "rs", &mut files);
    }
    for dir in ["python/tests", "tests/sdk_clients"] {
        files_below(&root().join(dir), "py", &mut files);
    }
    files
        .iter()
        .filter_map(|file| std::fs::read_to_string(file).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The backticked names of each decision's `**Test:**` paragraph, by decision heading.
fn cited_tests(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for section in text.split("\n## ").skip(1) {
        let heading = section.lines().next().unwrap_or_default().to_owned();
        let Some(start) = section.find("**Test") else {
            out.push((heading, Vec::new()));
            continue;
        };
        let paragraph = section[start..].split("\n\n").next().unwrap_or_default();
        let names = paragraph
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        out.push((heading, names));
    }
    out
}

fn resolves(name: &str, cases: &[String], sources: &str) -> bool {
    if name.contains('.') && !name.contains(' ') && root().join(name).exists() {
        return true;
    }
    if let Some(prefix) = name.strip_suffix('*') {
        return cases.iter().any(|case| case.starts_with(prefix));
    }
    if name.contains('/') {
        return cases.iter().any(|case| case == name);
    }
    let function = name.rsplit("::").next().unwrap_or(name);
    sources.contains(&format!("fn {function}(")) || sources.contains(&format!("def {function}("))
}

#[test]
fn every_decision_names_tests_that_exist() {
    let text = std::fs::read_to_string(root().join("docs/DECISIONS.md")).expect("DECISIONS.md");
    let cases = case_names();
    let sources = rust_sources();
    let mut problems = Vec::new();
    let decisions = cited_tests(&text);
    assert!(
        decisions.len() >= 18,
        "only {} decisions read",
        decisions.len()
    );
    for (heading, names) in decisions {
        if names.is_empty() {
            problems.push(format!("{heading}: names no test"));
        }
        for name in names {
            if !resolves(&name, &cases, &sources) {
                problems.push(format!("{heading}: `{name}` is no case, file or test"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
