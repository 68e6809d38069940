//! The core's operation table joined with its request table, for `client.rs` (the pyo3 methods)
//! and `gen-pyi` (their stubs): a Python method needs the operation's snake_case name and the
//! request's fields as keyword arguments, which the core keeps in two tables keyed by the
//! vendor method. Plain `macro_rules!`, no pyo3, so the generator binary shares it.

/// Defines `request_fields!`, one arm per request of `cpaas_reseller::for_each_request!`:
/// `request_fields!(Method, callback { prefix } { row })` calls `callback! { prefix row
/// required { ... } optional { ... } }` with that request's two field groups as the core's
/// table writes them.
/// `$d` is a `$` token, so the generated macro can have metavariables of its own.
macro_rules! define_request_fields {
    ($d:tt $(
        $(#[doc = $doc:literal])*
        $request:ident as $facade:ident {
            required { $($required:tt)* }
            optional { $($optional:tt)* }
        }
    )*) => {
        macro_rules! request_fields {
            $(
                ($request, $d callback:ident { $d($d prefix:tt)* } { $d($d row:tt)* }) => {
                    $d callback! {
                        $d($d prefix)*
                        $d($d row)*
                        required { $($required)* }
                        optional { $($optional)* }
                    }
                };
            )*
        }
    };
}

cpaas_reseller::for_each_request!(define_request_fields { $ });

// Not redundant, whatever clippy says: `join_operations!` expands in other modules and names it
// by this path.
#[allow(clippy::single_component_path_imports)]
pub(crate) use request_fields;

/// The join: `for_each_operation!` calls it with its rows; for each it asks `request_fields!`
/// for the request's fields.
macro_rules! join_operations {
    (
        { $callback:ident $prefix:tt }
        $(
            $(#[doc = $doc:literal])*
            $area:ident $method:ident => $function:ident -> $output:ty [$($key:tt)*],
            $kind:ident, $status:ident;
        )*
    ) => {
        $(
            $crate::tables::request_fields!(
                $method,
                $callback $prefix { $(#[doc = $doc])* $function $method -> $output [$($key)*] }
            );
        )*
    };
}

/// `for_each_method!(callback { prefix })` calls `callback! { prefix <row> }` once per operation
/// of `cpaas_reseller::for_each_operation!`, in catalogue order, each row matching
///
/// ```text
/// $(#[doc = $doc:literal])*
/// $function:ident $method:ident -> $output:ty [$($output_key:tt)*]
/// required { $( $(#[doc = $rdoc:literal])* $rwire:literal $required:ident : $rty:ty [$($rkey:tt)*], )* }
/// optional { $( $(#[doc = $odoc:literal])* $owire:literal $optional:ident : $oty:ty [$($okey:tt)*], )* }
/// ```
///
/// The callback is called once per row (not once with every row), so it expands to items or
/// statements: a `#[pymethods]` block per method (`client.rs`), a `push` per stub (`gen-pyi`).
macro_rules! for_each_method {
    ($callback:ident $({ $($prefix:tt)* })?) => {
        cpaas_reseller::for_each_operation!(crate::tables::join_operations {
            { $callback { $($($prefix)*)? } }
        });
    };
}

pub(crate) use {for_each_method, join_operations};
