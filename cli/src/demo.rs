//! `cpaas-reseller demo`: a whole provisioning story, through the same client a real run uses.
//!
//! Without a base URL it starts the emulator in-process, so the story needs nothing but the
//! binary. With `CPAAS_RESELLER_BASE_URL` (or `--base-url`) and credentials it runs against that
//! service instead; a non-local one must be confirmed with `--yes`, because the story creates
//! an account and users and allocates credit and a number there.

use crate::args::{DemoArgs, Global};
use crate::commands::reports;
use crate::context;
use crate::credentials::{self, Settings};
use crate::exit::CliError;
use crate::output;
use chrono::{Duration, Utc};
use cpaas_reseller::records::{NumberType, Role};
use cpaas_reseller::requests::*;
use cpaas_reseller::{Client, Decimal, Secret};
use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use std::io::Write;

/// Credit the story allocates.
const DEMO_CREDIT: Decimal = Decimal::from_parts(10_000, 0, 0, false, 2);

pub async fn run(global: &Global, args: DemoArgs) -> Result<(), CliError> {
    let configured = credentials::base_url(global.base_url.as_deref(), global.config.as_deref())?;
    // Kept alive until the story ends; dropping it stops the server.
    let mut embedded = None;
    let client = match configured {
        None => {
            let emulator = Emulator::start(EmulatorConfig::default()).map_err(|e| {
                CliError::Other(format!("could not start the embedded emulator: {e}"))
            })?;
            say(&format!(
                "No {} set: running against the embedded emulator at {}\n\
                 (user {}; the same client code path as a real run, only the URL differs).\n",
                credentials::ENV_BASE_URL,
                emulator.base_url(),
                emulator.username()
            ));
            let settings = Settings {
                username: emulator.username().to_owned(),
                password: Secret::new(emulator.password()),
                base_url: Some(emulator.base_url()),
            };
            let client = context::build_client(&settings, global)?;
            embedded = Some(emulator);
            client
        }
        Some(_) => {
            let settings =
                credentials::resolve(global.base_url.as_deref(), global.config.as_deref())?;
            let client = context::build_client(&settings, global)?;
            if !is_local(client.base_url()) && !args.yes {
                return Err(CliError::Usage(format!(
                    "{} is not a local emulator: the demo would create an account and users and \
                     allocate {DEMO_CREDIT} credit and an inbound number there. Add --yes to go ahead.",
                    client.base_url()
                )));
            }
            say(&format!(
                "Running the provisioning story against {}\n",
                client.base_url()
            ));
            client
        }
    };
    let result = story(&client).await;
    drop(embedded);
    result
}

/// The story: every step prints what it calls and what came back.
async fn story(client: &Client) -> Result<(), CliError> {
    let stamp = Utc::now().format("%Y%m%d-%H%M%S").to_string();

    step(1, "GetRoles", "List the predefined roles");
    let roles = client.get_roles(&GetRoles {}).await?.roles;
    let names: Vec<String> = roles
        .iter()
        .map(|r| format!("{} ({})", r.role_name.as_deref().unwrap_or("?"), r.role_id))
        .collect();
    result(&format!("{} roles: {}", roles.len(), names.join(", ")));

    step(2, "CreateAccount", "Create the customer account");
    let account = client
        .create_account(&CreateAccount {
            account_name: format!("Demo Customer {stamp}"),
            contact_email_address: Some("ops@demo-customer.example.com".to_owned()),
            country_code: Some("GB".to_owned()),
            time_zone: Some("Europe/London".to_owned()),
            notes: Some("Created by cpaas-reseller demo".to_owned()),
            ..CreateAccount::default()
        })
        .await?;
    let account_id = account.account_id;
    result(&format!(
        "AccountId {account_id} \"{}\", status {}, parent {}",
        account.account_name.as_deref().unwrap_or(""),
        account.status.as_ref().map_or("?", |s| s.as_str()),
        account
            .parent_account_id
            .map_or("-".to_owned(), |p| p.to_string()),
    ));

    step(3, "AddUserToAccount", "Add two portal users");
    let suffix = account_id.to_string();
    let mut users = Vec::new();
    for (index, (who, first, last)) in [("admin", "Ada", "Admin"), ("billing", "Bill", "Ledger")]
        .iter()
        .enumerate()
    {
        let username = format!("demo.{who}.{suffix}");
        let created = client
            .add_user_to_account(&AddUserToAccount {
                account_id,
                username: username.clone(),
                password: generated_password(),
                firstname: (*first).to_owned(),
                last_name: (*last).to_owned(),
                email_address: format!("{who}@demo-customer.example.com"),
                mobile_phone_number: format!(
                    "+4477009{:05}",
                    account_id.rem_euclid(10_000) * 10 + index as i32
                ),
                landline_phone_number: format!(
                    "+4420794{:05}",
                    account_id.rem_euclid(10_000) * 10 + index as i32
                ),
                notes: None,
                change_password_at_next_logon: Some(true),
            })
            .await?;
        let user_id = created.user_id;
        result(&format!(
            "{username}: UserId {} (random password, to be changed at first logon)",
            user_id.map_or("not returned".to_owned(), |id| id.to_string())
        ));
        users.push((username, user_id));
    }

    step(
        4,
        "AssignRoleToUser / AssignRoleToAccount",
        "Give the users and the account roles",
    );
    let wanted = [("Administrator", 0usize), ("Billing", 1usize)];
    for (role_name, user_index) in wanted {
        let (Some(role), Some((username, Some(user_id)))) =
            (find_role(&roles, role_name), users.get(user_index))
        else {
            result(&format!(
                "skipped {role_name}: role or user id not available"
            ));
            continue;
        };
        client
            .assign_role_to_user(&AssignRoleToUser {
                user_id: *user_id,
                role_id: role.role_id,
            })
            .await?;
        result(&format!(
            "{username} is now {role_name} (RoleId {})",
            role.role_id
        ));
    }
    if let Some(role) = find_role(&roles, "Messaging").or_else(|| roles.last()) {
        client
            .assign_role_to_account(&AssignRoleToAccount {
                account_id,
                role_id: role.role_id,
            })
            .await?;
        result(&format!(
            "account {account_id} has {} (RoleId {}) for every user",
            role.role_name.as_deref().unwrap_or("?"),
            role.role_id
        ));
    }
    let listed = client.get_users(&GetUsers { account_id }).await?.users;
    for user in &listed {
        result(&format!(
            "GetUsers: {} RoleIds {:?}",
            user.username.as_deref().unwrap_or("?"),
            user.role_ids
        ));
    }

    step(5, "AllocateCredit", "Allocate opening credit");
    let reference = format!("demo-{account_id}-opening");
    let allocation = client
        .allocate_credit(&AllocateCredit {
            account_id,
            amount: DEMO_CREDIT,
            reference: Some(reference.clone()),
        })
        .await
        .inspect_err(|error| {
            if error.outcome_unknown() {
                eprintln!(
                    "The allocation may have been applied: look for Reference {reference} in \
                     `cpaas-reseller credit history --account {account_id}` before retrying."
                );
            }
        })?;
    let balance = client
        .get_credit_balance(&GetCreditBalance { account_id })
        .await?;
    result(&format!(
        "AllocationId {} of {} (Reference {}); balance now {} {}",
        allocation.allocation_id,
        allocation.amount,
        allocation.reference.as_deref().unwrap_or("-"),
        balance.balance,
        balance.currency.as_deref().unwrap_or(""),
    ));

    step(
        6,
        "GetAvailableInboundNumbers / AllocateInboundNumber",
        "Allocate an inbound number",
    );
    let available = client
        .get_available_inbound_numbers(&GetAvailableInboundNumbers {
            country_code: Some("GB".to_owned()),
            number_type: Some(NumberType::LongCode),
        })
        .await?
        .numbers;
    match available.first() {
        Some(candidate) => {
            let number = client
                .allocate_inbound_number(&AllocateInboundNumber {
                    account_id,
                    number: candidate.number.clone(),
                })
                .await?;
            result(&format!(
                "{} available; allocated {} ({}, {} a month) to account {account_id}",
                available.len(),
                number.number,
                number.number_type.as_ref().map_or("?", |t| t.as_str()),
                number
                    .monthly_cost
                    .map_or("?".to_owned(), |c| c.to_string()),
            ));
        }
        None => result("no GB long code available: skipped"),
    }

    step(
        7,
        "GetChargeableActivity",
        "Report chargeable activity, last 7 full days, all accounts",
    );
    let end = Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or_else(Utc::now, |midnight| midnight.and_utc());
    let start = end - Duration::days(7);
    let report = client
        .get_chargeable_activity(&GetChargeableActivity {
            start_date: start,
            end_date: end,
            account_id: None,
        })
        .await?;
    result(&format!(
        "{} rows from {} to {}:",
        report.activities.len(),
        start.format("%Y-%m-%d"),
        end.format("%Y-%m-%d")
    ));
    let lines = reports::summarize(&report);
    let headers: Vec<String> = reports::SUMMARY_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let cells: Vec<Vec<String>> = lines
        .iter()
        .map(|line| {
            reports::SUMMARY_COLUMNS
                .iter()
                .map(|c| line.get(*c).map(output::cell).unwrap_or_default())
                .collect()
        })
        .collect();
    let mut table = Vec::new();
    output::write_table(&mut table, Some(&headers), &cells)?;
    for line in String::from_utf8_lossy(&table).lines() {
        say(&format!("     {line}"));
    }

    say(&format!(
        "\nDone. Customer account {account_id} is provisioned. Try:\n  \
         cpaas-reseller accounts get {account_id}\n  \
         cpaas-reseller credit history --account {account_id}\n  \
         cpaas-reseller numbers list --account {account_id}"
    ));
    Ok(())
}

fn find_role<'a>(roles: &'a [Role], name: &str) -> Option<&'a Role> {
    roles.iter().find(|r| {
        r.role_name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// 16 random letters and digits, with at least one of each (the service's password rule).
fn generated_password() -> Secret {
    let mut password: String = (0..14).map(|_| fastrand::alphanumeric()).collect();
    password.push(fastrand::lowercase());
    password.push(fastrand::digit(10));
    Secret::new(password)
}

fn is_local(base_url: &str) -> bool {
    let host = base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?']).next())
        .unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn step(number: u32, method: &str, what: &str) {
    say(&format!("{number}. {what} [{method}]"));
}

fn result(text: &str) {
    say(&format!("   -> {text}"));
}

/// A line on stdout; a closed pipe is not worth a panic.
fn say(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_hosts_and_passwords() {
        assert!(is_local("http://127.0.0.1:8080/WebApi/ResellerServices"));
        assert!(is_local("http://localhost/x"));
        assert!(is_local("http://[::1]:9/x"));
        assert!(!is_local(
            "https://services-cpaas.dotdigital.com/WebApi/ResellerServices"
        ));
        assert!(!is_local("https://127.0.0.1.example.com/x"));
        for _ in 0..50 {
            let p = generated_password();
            let p = p.expose();
            assert!(
                p.len() > 8
                    && p.chars().any(|c| c.is_ascii_digit())
                    && p.chars().any(|c| c.is_ascii_alphabetic())
            );
        }
        assert_eq!(DEMO_CREDIT.to_string(), "100.00");
    }
}
