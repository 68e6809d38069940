//! The README's option table ("Configuration, trust and proxies") against the code, both ways:
//! every name in it exists (Rust builder methods, Python constructor keywords, the uniffi
//! `ClientConfig` fields as Kotlin/Swift name them, the CLI's flags, the core's environment
//! variables), and every option of each language appears in it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::CommandFactory;
use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The table's rows, each as its cells' backticked names.
fn table() -> Vec<Vec<BTreeSet<String>>> {
    let readme = read("README.md");
    let start = readme
        .find("<!-- options-table:start")
        .expect("table start marker");
    let end = readme
        .find("<!-- options-table:end")
        .expect("table end marker");
    readme[start..end]
        .lines()
        .filter(|line| line.starts_with('|') && !line.starts_with("|---"))
        .skip(1)
        .map(|line| {
            line.trim_matches('|')
                .split('|')
                .map(|cell| {
                    cell.split('`')
                        .skip(1)
                        .step_by(2)
                        .map(|name| name.trim_end_matches("()").to_owned())
                        .collect()
                })
                .collect()
        })
        .collect()
}

fn column(rows: &[Vec<BTreeSet<String>>], index: usize) -> BTreeSet<String> {
    rows.iter()
        .flat_map(|row| row[index].iter().cloned())
        .collect()
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn every_option_is_in_the_table_and_every_name_in_the_code() {
    let rows = table();
    assert!(rows.len() >= 10, "{rows:?}");
    assert!(rows.iter().all(|row| row.len() == 7), "seven columns");

    // Rust: public builder methods of the core.
    let rust = format!(
        "{}{}",
        read("core/src/client.rs"),
        read("core/src/config.rs")
    );
    for name in column(&rows, 1) {
        assert!(
            rust.contains(&format!("pub fn {name}(")),
            "Rust: no ClientBuilder::{name}"
        );
    }

    // Python: the constructor's keywords, both ways.
    let python = read("bindings/python/src/options.rs");
    let signature = python
        .split("#[pyo3(signature = (")
        .nth(1)
        .and_then(|rest| rest.split("))]").next())
        .expect("the constructor's signature");
    let keywords: BTreeSet<String> = signature
        .split(',')
        .map(|part| part.split('=').next().unwrap().trim().to_owned())
        .filter(|name| name != "*")
        .collect();
    assert_eq!(column(&rows, 2), keywords, "Python keywords vs the table");

    // Kotlin and Swift: the uniffi record's fields in camelCase, both ways.
    let uniffi = read("bindings/uniffi/src/config.rs");
    let record = uniffi
        .split("pub struct ClientConfig {")
        .nth(1)
        .and_then(|rest| rest.split("\n}").next())
        .expect("ClientConfig");
    let fields: BTreeSet<String> = record
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub "))
        .filter_map(|rest| rest.split(':').next())
        .map(camel)
        .collect();
    assert_eq!(column(&rows, 3), fields, "Kotlin fields vs the table");
    assert_eq!(column(&rows, 4), fields, "Swift fields vs the table");

    // CLI: global long flags, both ways (the client options and the two Global ones).
    let command = cpaas_reseller_cli::args::Cli::command();
    let flags: BTreeSet<String> = command
        .get_arguments()
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect();
    let table_flags = column(&rows, 5);
    for flag in &table_flags {
        assert!(flags.contains(flag), "CLI: no {flag}");
    }
    for flag in [
        "--connect-timeout",
        "--max-retries",
        "--initial-backoff",
        "--max-backoff",
        "--max-elapsed",
        "--no-jitter",
        "--user-agent-suffix",
        "--proxy",
        "--root-certificates",
        "--max-body-size",
        "--base-url",
        "--timeout",
    ] {
        assert!(table_flags.contains(flag), "the table lacks {flag}");
    }
    let options_flags = read("cli/src/options.rs").matches("#[arg(long").count();
    assert_eq!(
        options_flags + 2,
        12,
        "a new CLI option: add it to the table and here"
    );

    // Environment: the core's list, both ways.
    let variables: BTreeSet<String> = cpaas_reseller::config::ENV_VARIABLES
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    assert_eq!(
        column(&rows, 6),
        variables,
        "environment variables vs the table"
    );
}
