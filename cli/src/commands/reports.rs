//! `reports chargeable --from --to [--account] [--summary]`.

use super::date;
use crate::args::ReportsCommand;
use crate::context::Ctx;
use crate::exit::CliError;
use crate::output;
use cpaas_reseller::records::ActivityReport;
use cpaas_reseller::requests::GetChargeableActivity;
use cpaas_reseller::Decimal;
use serde_json::{Map, Value};

/// Table columns of report rows.
pub const COLUMNS: &[&str] = &[
    "AccountId",
    "ActivityDate",
    "ActivityType",
    "Quantity",
    "UnitCost",
    "TotalCost",
    "Currency",
];

/// Table columns of the summary.
pub const SUMMARY_COLUMNS: &[&str] = &["ActivityType", "Rows", "Quantity", "TotalCost", "Currency"];

pub async fn run(ctx: &Ctx, command: ReportsCommand) -> Result<(), CliError> {
    let ReportsCommand::Chargeable {
        from,
        to,
        account,
        summary,
    } = command;
    let request = GetChargeableActivity {
        start_date: date("--from", &from)?,
        end_date: date("--to", &to)?,
        account_id: account,
    };
    let report = ctx.client.get_chargeable_activity(&request).await?;
    if summary {
        output::objects(&summarize(&report), SUMMARY_COLUMNS, ctx.format)?;
    } else {
        output::list(&report, "Activities", COLUMNS, ctx.format)?;
    }
    Ok(())
}

/// One line per (activity type, currency), in order of first appearance, then a `TOTAL` line
/// per currency. Sums are exact decimals.
pub fn summarize(report: &ActivityReport) -> Vec<Map<String, Value>> {
    struct Line {
        kind: String,
        currency: String,
        rows: u64,
        quantity: i64,
        total: Decimal,
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut totals: Vec<Line> = Vec::new();
    for activity in &report.activities {
        let kind = activity.activity_type.as_str();
        let currency = activity.currency.as_deref().unwrap_or("");
        for (bucket, key) in [(&mut lines, kind), (&mut totals, "TOTAL")] {
            let at = match bucket
                .iter()
                .position(|l| l.kind == key && l.currency == currency)
            {
                Some(at) => at,
                None => {
                    bucket.push(Line {
                        kind: key.to_owned(),
                        currency: currency.to_owned(),
                        rows: 0,
                        quantity: 0,
                        total: Decimal::ZERO,
                    });
                    bucket.len() - 1
                }
            };
            let line = &mut bucket[at];
            line.rows += 1;
            line.quantity = line.quantity.saturating_add(activity.quantity);
            line.total += activity.total_cost;
        }
    }
    lines
        .into_iter()
        .chain(totals)
        .map(|line| {
            let mut map = Map::new();
            map.insert("ActivityType".to_owned(), Value::String(line.kind));
            map.insert("Rows".to_owned(), Value::from(line.rows));
            map.insert("Quantity".to_owned(), Value::from(line.quantity));
            map.insert(
                "TotalCost".to_owned(),
                Value::String(line.total.to_string()),
            );
            map.insert("Currency".to_owned(), Value::String(line.currency));
            map
        })
        .collect()
}
