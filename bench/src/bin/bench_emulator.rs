//! Serves an emulator sized for the benchmarks until its standard input closes, so benchmark
//! scripts in other languages share one server. Prints `BASE_URL USERNAME PASSWORD` on one line.

use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator =
        cpaas_reseller_bench::emulator(cpaas_reseller_bench::REPORT_ROWS_PER_ACCOUNT_DAY)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} {} {}",
        emulator.base_url(),
        emulator.username(),
        emulator.password()
    )?;
    out.flush()?;
    // Block until the parent closes our stdin (or exits).
    for line in std::io::stdin().lock().lines() {
        line?;
    }
    emulator.shutdown();
    Ok(())
}
