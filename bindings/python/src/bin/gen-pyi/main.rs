//! Prints `python/cpaas_reseller/_native.pyi`: the record classes and both clients' methods
//! expanded from the core's tables (`cpaas_reseller::for_each_record!`, `for_each_operation!`
//! joined with `for_each_request!`, `for_each_string_enum!`), as the extension module expands
//! them, the rest from `template.pyi` next to this file.
//!
//! ```sh
//! cargo run -p cpaas-reseller-python --bin gen-pyi            # print the stub
//! cargo run -p cpaas-reseller-python --bin gen-pyi -- --write # write the committed file
//! cargo run -p cpaas-reseller-python --bin gen-pyi -- --check # fail if it is stale
//! ```
//!
//! Attribute and argument types come from the core types in the tables (through
//! [`Annotation`]), docstrings from the tables' doc comments.

#[path = "../../tables.rs"]
mod tables;

use chrono::{DateTime, Utc};
use cpaas_reseller::{Decimal, Secret};
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
    /// What an attribute's docstring says about its values.
    fn values() -> Option<&'static str> {
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
    fn values() -> Option<&'static str> {
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
    ($( $(#[doc = $doc:literal])* $name:ident { $($variant:ident,)* } )*) => {$(
        impl Annotation for cpaas_reseller::records::$name {
            fn output() -> String {
                "str".to_owned()
            }
            fn values() -> Option<&'static str> {
                Some(concat!(
                    $("`", stringify!($variant), "`, ",)*
                    "or a value this version does not know."
                ))
            }
        }
    )*};
}

cpaas_reseller::for_each_string_enum!(string_enums);

/// The doc comments of a table row as one paragraph, in reStructuredText (double backticks).
fn doc(lines: &[&str]) -> String {
    let text = lines.iter().map(|line| line.trim()).collect::<Vec<_>>();
    text.join(" ").replace('`', "``")
}

/// `"""text"""` wrapped at [`WIDTH`], each line indented by `indent`.
fn docstring(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let room = WIDTH - indent - 3;
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let length = lines.last().map_or(0, String::len);
        if length > 0 && length + 1 + word.len() > room {
            lines.push(String::new());
        }
        if let Some(line) = lines.last_mut() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    let _ = writeln!(out, "{pad}\"\"\"{}\"\"\"", lines.join(&format!("\n{pad}")));
}

/// A method of a class: formatted as black formats it (on one line if it fits, else the
/// parameters on one line of their own, else one per line), then its docstring or `...`.
struct Def {
    name: &'static str,
    /// After `self`.
    params: Vec<String>,
    output: String,
    doc: String,
    property: bool,
}

impl Def {
    fn property(name: &'static str, output: String, doc: String) -> Self {
        Self {
            name,
            params: Vec::new(),
            output,
            doc,
            property: true,
        }
    }

    fn write(&self, out: &mut String) {
        if self.property {
            out.push_str("    @property\n");
        }
        let name = self.name;
        let params: Vec<&str> = std::iter::once("self")
            .chain(self.params.iter().map(String::as_str))
            .collect();
        let body = if self.doc.is_empty() { " ..." } else { "" };
        let tail = format!(") -> {}:{body}", self.output);
        let one_line = format!("    def {name}({}{tail}", params.join(", "));
        let hugged = format!("        {}", params.join(", "));
        if one_line.len() <= WIDTH {
            let _ = writeln!(out, "{one_line}");
        } else if hugged.len() <= WIDTH {
            let _ = writeln!(out, "    def {name}(\n{hugged}\n    {tail}");
        } else {
            let _ = writeln!(out, "    def {name}(");
            for param in &params {
                let _ = writeln!(out, "        {param},");
            }
            let _ = writeln!(out, "    {tail}");
        }
        if !self.doc.is_empty() {
            docstring(out, 8, &self.doc);
        }
    }
}

/// A record attribute: its docstring is the field's docs and, for an enumeration, its values.
fn attribute<T: Annotation>(name: &'static str, docs: &[&str]) -> Def {
    let text = [
        doc(docs),
        T::values().map(|values| doc(&[values])).unwrap_or_default(),
    ];
    let text: Vec<String> = text.into_iter().filter(|part| !part.is_empty()).collect();
    Def::property(name, T::output(), text.join(" "))
}

fn record_class(name: &str, doc: &str, attributes: &[Def]) -> String {
    let mut out = format!("class {name}:\n");
    docstring(&mut out, 4, doc);
    out.push('\n');
    for attribute in attributes {
        attribute.write(&mut out);
    }
    out.push_str("    @property\n    def raw(self) -> Dict[str, Any]: ...\n");
    out
}

fn list_class(name: &str, doc: &str, field: &str, item: &str) -> String {
    let mut out = format!("class {name}:\n");
    docstring(&mut out, 4, doc);
    out.push('\n');
    let _ = writeln!(
        out,
        "    @property\n    def {field}(self) -> List[{item}]: ..."
    );
    out.push_str("    @property\n    def raw(self) -> Dict[str, Any]: ...\n");
    out.push_str("    def __len__(self) -> int: ...\n");
    let _ = writeln!(out, "    def __iter__(self) -> Iterator[{item}]: ...");
    out
}

macro_rules! records {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident $record:ident {
            $( $(#[doc = $fdoc:literal])* $wire:literal $presence:ident $field:ident : $ty:ty [$($key:tt)*], )*
        }
    )*) => {
        $(
            impl Annotation for cpaas_reseller::records::$record {
                fn output() -> String {
                    stringify!($record).to_owned()
                }
            }
        )*

        /// The record classes, a blank line between two.
        fn records() -> String {
            let classes: Vec<String> = vec![$(
                records!(@$kind $record [$($doc),*] { $( $field: $ty [$($key)*] [$($fdoc),*], )* }),
            )*];
            classes.join("\n")
        }
    };
    (@record $record:ident [$($doc:literal),*] { $( $field:ident : $ty:ty [$($key:tt)*] [$($fdoc:literal),*], )* }) => {
        record_class(
            stringify!($record),
            &doc(&[$($doc),*]),
            &[$(attribute::<$ty>(stringify!($field), &[$($fdoc),*])),*],
        )
    };
    (@list $record:ident [$($doc:literal),*] { $field:ident : $ty:ty [list record $item:ident] [$($fdoc:literal),*], }) => {
        list_class(stringify!($record), &doc(&[$($doc),*]), stringify!($field), stringify!($item))
    };
}

cpaas_reseller::for_each_record!(records);

/// One operation method: keyword-only arguments (required ones first, optional ones `= None`),
/// the result type and the operation's docs.
struct Operation {
    name: &'static str,
    params: Vec<String>,
    output: String,
    doc: String,
}

macro_rules! operation {
    (
        $operations:ident
        $(#[doc = $doc:literal])*
        $function:ident $method:ident -> $output:ty [$($key:tt)*]
        required { $( $(#[doc = $rdoc:literal])* $rwire:literal $required:ident : $rty:ty [$($rkey:tt)*], )* }
        optional { $( $(#[doc = $odoc:literal])* $owire:literal $optional:ident : $oty:ty [$($okey:tt)*], )* }
    ) => {
        let mut params: Vec<String> = Vec::new();
        $(params.push(format!("{}: {}", stringify!($required), <$rty as Annotation>::input()));)*
        $(params.push(format!("{}: {} = None", stringify!($optional), <$oty as Annotation>::input()));)*
        if !params.is_empty() {
            params.insert(0, "*".to_owned());
        }
        $operations.push(Operation {
            name: stringify!($function),
            params,
            output: <$output as Annotation>::output(),
            doc: doc(&[$($doc),*]),
        });
    };
}

fn operations() -> Vec<Operation> {
    let mut operations = Vec::new();
    tables::for_each_method!(operation { operations });
    operations
}

/// The methods both clients have; `result` wraps a result type (a coroutine for the async one).
fn client_methods(result: impl Fn(&str) -> String) -> String {
    const BULK_DOC: &str = "Runs ``method`` (``\"allocate_credit\"`` or ``\"AllocateCredit\"``) \
        once per item (a dict of its keyword arguments), at most ``concurrency`` at a time; \
        outcomes in input order. With ``journal`` (a file path) every item's fate is recorded \
        durably and the same call can be repeated after a crash: items applied are reported \
        ``already_applied``. With ``reconcile`` (default) items are first looked up on the \
        service (credit by Reference, users by Username, accounts by AccountName under their \
        parent). ``settle``: seconds a request may still be applied after its sender stopped \
        waiting (default: ``timeout``).";
    const INIT_DOC: &str = "Every option may be left out: the credentials, base URL, proxy and extra CA \
        fall back to ``CPAAS_RESELLER_USERNAME``, ``_PASSWORD``, ``_BASE_URL``, ``_PROXY``, \
        ``_PROXY_USERNAME``, ``_PROXY_PASSWORD`` and ``_ROOT_CERTIFICATES`` (a PEM file); the proxy \
        otherwise to ``HTTPS_PROXY`` / ``NO_PROXY``. Trust: the system's store plus \
        ``root_certificates_pem``. Times are in seconds.";
    let params = |params: &[&str]| params.iter().map(|param| (*param).to_owned()).collect();
    let mut defs = vec![
        Def {
            name: "__init__",
            params: params(&[
                "username: Optional[str] = None",
                "password: Optional[str] = None",
                "*",
                "base_url: Optional[str] = None",
                "timeout: float = 130.0",
                "connect_timeout: float = 10.0",
                "max_retries: int = 2",
                "initial_backoff: float = 0.2",
                "max_backoff: float = 10.0",
                "max_elapsed: float = 300.0",
                "jitter: bool = True",
                "user_agent_suffix: Optional[str] = None",
                "proxy: Optional[str] = None",
                "proxy_username: Optional[str] = None",
                "proxy_password: Optional[str] = None",
                "root_certificates_pem: Optional[Sequence[Union[str, bytes]]] = None",
                "max_body_size: int = 67108864",
            ]),
            output: "None".to_owned(),
            doc: INIT_DOC.to_owned(),
            property: false,
        },
        Def::property("base_url", "str".to_owned(), String::new()),
        Def::property("username", "str".to_owned(), String::new()),
        Def {
            name: "call",
            params: params(&["method: str", "body: Optional[Dict[str, Any]] = None"]),
            output: result("Any"),
            doc: String::new(),
            property: false,
        },
        Def {
            name: "bulk",
            params: params(&[
                "method: str",
                "items: _BulkItems",
                "*",
                "concurrency: int = 16",
                "on_progress: _OnProgress = None",
                "journal: Union[str, os.PathLike[str], None] = None",
                "reconcile: bool = True",
                "settle: Optional[float] = None",
            ]),
            output: result("List[BulkOutcome]"),
            doc: BULK_DOC.to_owned(),
            property: false,
        },
    ];
    defs.extend(operations().into_iter().map(|operation| Def {
        name: operation.name,
        params: operation.params,
        output: result(&operation.output),
        doc: operation.doc,
        property: false,
    }));
    let mut out = String::new();
    for def in &defs {
        def.write(&mut out);
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

    #[test]
    fn every_operation_is_a_method_of_both_clients() {
        let stub = render();
        for operation in cpaas_reseller::OPERATIONS {
            let def = format!("    def {}(", operation.function);
            assert_eq!(stub.matches(&def).count(), 2, "{}", operation.function);
        }
    }
}
