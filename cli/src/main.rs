//! `cpaas-reseller`: see the crate docs of `cpaas_reseller_cli`.

fn main() -> std::process::ExitCode {
    cpaas_reseller_cli::main()
}
