//! The README's Rust quick start, run against the offline emulator instead of the service:
//! create an account, allocate credit to it with a reference, and handle each kind of failure.
//!
//! `cargo run -p cpaas-reseller --example quickstart`
//!
//! Against the real service, drop the emulator and build the client from
//! `CPAAS_RESELLER_USERNAME` / `CPAAS_RESELLER_PASSWORD` with the default base URL.

use cpaas_reseller::requests::{AllocateCredit, CreateAccount, GetCreditBalance};
use cpaas_reseller::{Client, Decimal, Error};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let client = Client::builder()
        .credentials(emulator.username(), emulator.password())
        .base_url(emulator.base_url())
        .build()?;

    let account = client
        .create_account(&CreateAccount {
            account_name: "Acme Ltd".into(),
            country_code: Some("GB".into()),
            ..Default::default()
        })
        .await?;
    println!(
        "created account {} ({:?})",
        account.account_id, account.account_name
    );

    let allocation = AllocateCredit {
        account_id: account.account_id,
        amount: Decimal::new(25000, 2), // 250.00, exact
        reference: Some("po-2026-0042".into()),
    };
    match client.allocate_credit(&allocation).await {
        Ok(done) => println!("balance now {:?}", done.balance_after),
        Err(error) if error.outcome_unknown() => eprintln!("reconcile po-2026-0042: {error}"),
        Err(Error::BadRequest(e)) => eprintln!("rejected: {:?} {:?}", e.error_type, e.message),
        Err(other) => return Err(other.into()),
    }

    // Local validation: nothing is sent, and the error names the vendor field.
    let invalid = AllocateCredit {
        amount: Decimal::ZERO,
        ..allocation
    };
    match client.allocate_credit(&invalid).await {
        Err(Error::Validation(e)) => println!("refused before sending: {e}"),
        other => return Err(format!("a zero amount must fail validation, got {other:?}").into()),
    }

    let balance = client
        .get_credit_balance(&GetCreditBalance {
            account_id: account.account_id,
        })
        .await?;
    println!(
        "{} {} on account {}",
        balance.balance,
        balance.currency.as_deref().unwrap_or("(no currency)"),
        balance.account_id
    );
    Ok(())
}
