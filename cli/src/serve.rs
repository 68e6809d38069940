//! `cpaas-reseller emulator`: serves the offline emulator in the foreground until Ctrl-C, for
//! trying the CLI or any language's client without an account at the vendor.

use crate::args::EmulatorArgs;
use crate::credentials::{ENV_BASE_URL, ENV_PASSWORD, ENV_USERNAME};
use crate::exit::CliError;
use crate::interrupt::Interrupts;
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

pub async fn run(args: EmulatorArgs) -> Result<(), CliError> {
    let config = EmulatorConfig {
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)),
        username: args.username,
        password: args.password,
        empty: args.empty,
        ..EmulatorConfig::default()
    };
    let mut interrupts = Interrupts::listen()
        .map_err(|e| CliError::Other(format!("cannot listen for Ctrl-C: {e}")))?;
    let emulator = Emulator::start(config).map_err(|e| {
        CliError::Other(format!(
            "could not start the emulator on port {}: {e}",
            args.port
        ))
    })?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Emulator listening (state in memory{}).\n\
         \x20 base URL:  {base}\n\
         \x20 also:      {alt}\n\
         \x20 control:   {control}\n\
         \x20 username:  {user}\n\
         \x20 password:  {password}\n\
         Use it from another shell:\n\
         \x20 export {ENV_BASE_URL}={base}\n\
         \x20 export {ENV_USERNAME}={user}\n\
         \x20 export {ENV_PASSWORD}='{password}'\n\
         \x20 cpaas-reseller accounts list\n\
         Press Ctrl-C to stop.",
        if emulator.config().empty {
            ", empty"
        } else {
            ""
        },
        base = emulator.base_url(),
        alt = emulator.alt_base_url(),
        control = emulator.control_url(),
        user = emulator.username(),
        password = emulator.password(),
    );
    let _ = out.flush();
    drop(out);
    interrupts.next().await;
    eprintln!("Stopping the emulator.");
    tokio::task::spawn_blocking(move || emulator.shutdown())
        .await
        .map_err(|e| CliError::Other(e.to_string()))?;
    Ok(())
}
