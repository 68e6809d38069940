//! Prints `python/cpaas_reseller/_native.pyi`: the record classes and the operation methods of
//! both clients expanded from the same tables the extension module expands, the rest from
//! `template.pyi` next to this file.
//!
//! ```sh
//! cargo run -p cpaas-reseller-python --bin gen-pyi            # print the stub
//! cargo run -p cpaas-reseller-python --bin gen-pyi -- --write # write the committed file
//! cargo run -p cpaas-reseller-python --bin gen-pyi -- --check # fail if it is stale
//! ```
//!
//! Attribute and argument types come from the Rust types of the core's fields (through
//! [`Annotation`]), so a field whose type changes changes its stub too.

#[path = "../../tables.rs"]
mod tables;

use chrono::{DateTime, Utc};
use cpaas_reseller::records::{self as core, AccountStatus, ActivityType, NumberType};
use cpaas_reseller::{requests, Decimal, Operation, Secret};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

const TEMPLATE: &str = include_str!("template.pyi");
/// Black's and the stub's line length.
const WIDTH: usize = 100;

/// How a Rust type reads in the stub.
trait Annotation {
    /// As a record attribute or a result.
    fn output() -> String;
    /// As a keyword argument.
    fn input() -> String {
        Self::output()
    }
    /// What the attribute's docstring says about its values.
    fn values() -> Option<String> {
        None
    }
}

macro_rules! plain {
    ($($ty:ty => $py:literal),* $(,)?) => {$(
        impl Annotation for $ty {
            fn output() -> String {
                $py.to_owned()
            }
        }
    )*};
}

plain! {
    () => "None",
    bool => "bool",
    i32 => "int",
    i64 => "int",
    String => "str",
    Secret => "str",
    DateTime<Utc> => "datetime",
}

impl Annotation for Decimal {
    fn output() -> String {
        "Decimal".to_owned()
    }
    /// Exact money in: `Decimal` or `int`, never `float`.
    fn input() -> String {
        "_Money".to_owned()
    }
}

impl<T: Annotation> Annotation for Option<T> {
    fn output() -> String {
        format!("Optional[{}]", T::output())
    }
    fn input() -> String {
        format!("Optional[{}]", T::input())
    }
    fn values() -> Option<String> {
        T::values()
    }
}

impl<T: Annotation> Annotation for Vec<T> {
    fn output() -> String {
        format!("List[{}]", T::output())
    }
    fn input() -> String {
        format!("List[{}]", T::input())
    }
}

/// String enumerations are `str` in Python; the docstring lists the values.
macro_rules! string_enums {
    ($($ty:ident),* $(,)?) => {$(
        impl Annotation for $ty {
            fn output() -> String {
                "str".to_owned()
            }
            fn values() -> Option<String> {
                let known: Vec<String> = $ty::KNOWN
                    .iter()
                    .map(|value| format!("`{}`", value.as_str()))
                    .collect();
                Some(format!("{} or a value this version does not know.", known.join(", ")))
            }
        }
    )*};
}

string_enums!(AccountStatus, NumberType, ActivityType);

/// A record attribute or a keyword argument.
struct Field {
    name: &'static str,
    annotation: String,
    values: Option<String>,
}

/// The field `name` of `R`, typed by the closure that reads it.
fn output_field<R, T: Annotation>(name: &'static str, _read: fn(&R) -> &T) -> Field {
    Field {
        name,
        annotation: T::output(),
        values: T::values(),
    }
}

fn input_field<R, T: Annotation>(name: &'static str, _read: fn(&R) -> &T) -> Field {
    Field {
        name,
        annotation: T::input(),
        values: None,
    }
}

/// The doc comments of a table entry as one paragraph, in reStructuredText (double backticks).
fn doc(lines: &[&str]) -> String {
    let text = lines
        .iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join(" ");
    rst(&text)
}

fn rst(text: &str) -> String {
    text.replace('`', "``")
}

/// `"""text"""` wrapped at [`WIDTH`], each line indented by `indent`.
fn docstring(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let room = WIDTH - indent - 3;
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last().map_or(0, String::len);
        if line > 0 && line + 1 + word.len() > room {
            lines.push(String::new());
        }
        if let Some(last) = lines.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    let body = lines.join(&format!("\n{pad}"));
    let _ = writeln!(out, "{pad}\"\"\"{body}\"\"\"");
}

fn property(out: &mut String, field: &Field) {
    out.push_str("    @property\n");
    let head = format!("    def {}(self) -> {}:", field.name, field.annotation);
    match &field.values {
        Some(values) => {
            out.push_str(&head);
            out.push('\n');
            docstring(out, 8, &rst(values));
        }
        None => {
            let _ = writeln!(out, "{head} ...");
        }
    }
}

fn record_class(out: &mut String, name: &str, doc: &str, fields: &[Field]) {
    let _ = writeln!(out, "class {name}:");
    docstring(out, 4, doc);
    out.push('\n');
    for field in fields {
        property(out, field);
    }
    out.push_str("    @property\n    def raw(self) -> Dict[str, Any]: ...\n");
}

fn list_class(out: &mut String, name: &str, field: &str, item: &str) {
    let _ = writeln!(out, "class {name}:");
    let _ = writeln!(
        out,
        "    @property\n    def {field}(self) -> List[{item}]: ..."
    );
    out.push_str("    @property\n    def raw(self) -> Dict[str, Any]: ...\n");
    out.push_str("    def __len__(self) -> int: ...\n");
    let _ = writeln!(out, "    def __iter__(self) -> Iterator[{item}]: ...");
}

macro_rules! render_records {
    (
        records { $($(#[doc = $rdoc:literal])* $record:ident { $($field:ident),* $(,)? })* }
        lists { $($(#[doc = $ldoc:literal])* $list:ident { $lfield:ident: $item:ident = $wire:literal })* }
    ) => {
        $(
            impl Annotation for core::$record {
                fn output() -> String {
                    stringify!($record).to_owned()
                }
            }
        )*
        $(
            impl Annotation for core::$list {
                fn output() -> String {
                    stringify!($list).to_owned()
                }
            }
        )*

        /// The record classes, a blank line between two.
        fn records() -> String {
            let mut classes: Vec<String> = Vec::new();
            $(
                let mut out = String::new();
                let fields = [$(output_field(stringify!($field), |record: &core::$record| &record.$field)),*];
                record_class(&mut out, stringify!($record), &doc(&[$($rdoc),*]), &fields);
                classes.push(out);
            )*
            $(
                let mut out = String::new();
                list_class(&mut out, stringify!($list), stringify!($lfield), stringify!($item));
                classes.push(out);
            )*
            classes.join("\n")
        }
    };
}

tables::record_classes!(render_records);

/// One operation method: its name, keyword arguments (`= None` for the optional ones) and
/// result.
struct Method {
    name: &'static str,
    required: Vec<Field>,
    optional: Vec<Field>,
    output: String,
}

macro_rules! render_methods {
    ($( $function:ident $request:ident ( $($required:ident),* ; $($optional:ident),* ); )*) => {
        fn methods() -> Vec<Method> {
            vec![$(
                Method {
                    name: stringify!($function),
                    required: vec![$(input_field(stringify!($required), |request: &requests::$request| &request.$required)),*],
                    optional: vec![$(input_field(stringify!($optional), |request: &requests::$request| &request.$optional)),*],
                    output: <<requests::$request as Operation>::Output as Annotation>::output(),
                },
            )*]
        }
    };
}

tables::operation_methods!(render_methods);

/// A method stub formatted as black formats it: on one line if it fits, else the parameters
/// on one line of their own, else one parameter per line.
fn method(out: &mut String, method: &Method, output: &str) {
    let mut params = vec!["self".to_owned()];
    if !method.required.is_empty() || !method.optional.is_empty() {
        params.push("*".to_owned());
    }
    params.extend(
        method
            .required
            .iter()
            .map(|field| format!("{}: {}", field.name, field.annotation)),
    );
    params.extend(
        method
            .optional
            .iter()
            .map(|field| format!("{}: {} = None", field.name, field.annotation)),
    );
    let name = method.name;
    let tail = format!(") -> {output}: ...");
    let one_line = format!("    def {name}({}{tail}", params.join(", "));
    if one_line.len() <= WIDTH {
        let _ = writeln!(out, "{one_line}");
        return;
    }
    let hugged = format!("        {}", params.join(", "));
    if hugged.len() <= WIDTH && tail.len() + 4 <= WIDTH {
        let _ = writeln!(out, "    def {name}(\n{hugged}\n    {tail}");
        return;
    }
    let _ = writeln!(out, "    def {name}(");
    for param in &params {
        let _ = writeln!(out, "        {param},");
    }
    let _ = writeln!(out, "    {tail}");
}

fn client_methods(wrap: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for operation in methods() {
        method(&mut out, &operation, &wrap(&operation.output));
    }
    out
}

/// The whole stub.
fn render() -> String {
    TEMPLATE
        .replace("@RECORDS@\n", &records())
        .replace("@CLIENT@\n", &client_methods(str::to_owned))
        .replace(
            "@ASYNC_CLIENT@\n",
            &client_methods(|output| format!("Coroutine[Any, Any, {output}]")),
        )
}

/// The committed stub.
fn committed() -> PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // bindings/python -> the repository root.
    let root = manifest.ancestors().nth(2).unwrap_or(manifest);
    root.join("python/cpaas_reseller/_native.pyi")
}

fn main() -> ExitCode {
    let stub = render();
    let path = committed();
    let result = match std::env::args().nth(1).as_deref() {
        None => {
            print!("{stub}");
            Ok(())
        }
        Some("--write") => std::fs::write(&path, &stub).map_err(|error| error.to_string()),
        Some("--check") => match std::fs::read_to_string(&path) {
            Ok(text) if text == stub => Ok(()),
            Ok(_) => Err(format!(
                "{} is stale: run `cargo run -p cpaas-reseller-python --bin gen-pyi -- --write`",
                path.display()
            )),
            Err(error) => Err(format!("{}: {error}", path.display())),
        },
        Some(other) => Err(format!(
            "unknown argument {other:?}: expected --write or --check"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen-pyi: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_stub_is_current() -> std::io::Result<()> {
        let committed = std::fs::read_to_string(committed())?;
        assert!(
            committed == render(),
            "python/cpaas_reseller/_native.pyi is stale: run \
             `cargo run -p cpaas-reseller-python --bin gen-pyi -- --write`"
        );
        Ok(())
    }

    #[test]
    fn every_marker_is_replaced() {
        assert!(render().lines().all(|line| !line.starts_with('@')));
    }

    #[test]
    fn no_line_is_longer_than_black_allows() {
        let stub = render();
        let long: Vec<&str> = stub.lines().filter(|line| line.len() > WIDTH).collect();
        assert!(long.is_empty(), "{long:#?}");
    }
}
