//! Serves an emulator in the foreground until Ctrl-C, printing where it is:
//! `cargo run -p cpaas-reseller-emulator --example serve [PORT]`.

use cpaas_reseller_emulator::{Emulator, EmulatorConfig};

fn main() -> std::io::Result<()> {
    let port = std::env::args()
        .nth(1)
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(0);
    let emulator = Emulator::start(EmulatorConfig {
        addr: ([127, 0, 0, 1], port).into(),
        ..Default::default()
    })?;
    println!("base_url    {}", emulator.base_url());
    println!("control_url {}", emulator.control_url());
    println!("username    {}", emulator.username());
    println!("password    {}", emulator.password());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(tokio::signal::ctrl_c())?;
    emulator.shutdown();
    Ok(())
}
