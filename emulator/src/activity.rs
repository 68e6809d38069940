//! Chargeable activity, generated from the seed rather than stored, so any date range works
//! and a 200,000-row report costs only the time to print it.
//!
//! # Formula
//! For a request `[StartDate, EndDate)` (start **inclusive**, end **exclusive**) and the
//! accounts `A` in scope (the requested one, or the root and every account under it, ascending
//! by id), with `n = activities_per_account_day`:
//!
//! * every UTC day `D` has `n` slots `i = 0..n` at `D 00:00:00 + floor(i * 86400 / n)` seconds;
//! * a slot whose time `t` satisfies `StartDate <= t < EndDate` yields one row per account in
//!   `A`; rows come ordered by slot time, then account id;
//! * with `day = days since 1970-01-01` of `D`: `ActivityType = TYPES[(day * n + i) mod 6]`
//!   (Euclidean mod) where `TYPES` is [`ACTIVITY_TYPES`];
//! * `Quantity = 1 + splitmix64(seed ^ (account_id * 0x9E3779B97F4A7C15) ^ (day * 0xD1B54A32D192ED03) ^ i) mod 1000`
//!   (wrapping u64 arithmetic; `account_id` and `day` as two's-complement u64), see [`quantity`];
//! * `UnitCost` is fixed per type ([`UNIT_COSTS`], 4 decimal places), `TotalCost = Quantity * UnitCost`
//!   exactly (4 decimal places), `Currency = "GBP"`, `Description = "{ActivityType} usage"`.
//!
//! So a day-aligned range of `d` days over `a` accounts has exactly `d * n * a` rows.
//! [`rows`] and [`summary`] compute the same thing in-process for tests.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::error::{ApiError, ApiResult};

/// Activity types, in the order they cycle.
pub const ACTIVITY_TYPES: [&str; 6] = [
    "SmsOutbound",
    "SmsInbound",
    "MmsOutbound",
    "Voice",
    "InboundNumberRental",
    "Other",
];

/// Unit cost per type, in ten-thousandths of a pound (`350` = `0.0350`), same order as
/// [`ACTIVITY_TYPES`].
pub const UNIT_COSTS: [i64; 6] = [350, 75, 1200, 125, 15_000, 2_500];

/// The most rows one report may hold; a larger request is a 400 asking for a narrower range.
pub const MAX_ROWS: u64 = 2_000_000;

const DAY: i64 = 86_400;

/// The splitmix64 mixer (Steele, Lea, Flood), chosen because every test language can copy it in
/// five lines.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The `Quantity` of one row (see the module docs).
pub fn quantity(seed: u64, account_id: i32, day: i64, slot: u32) -> i64 {
    let key = seed
        ^ (i64::from(account_id) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (day as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)
        ^ u64::from(slot);
    1 + (splitmix64(key) % 1000) as i64
}

/// The type index of slot `slot` on day `day`.
fn type_index(day: i64, per_day: u32, slot: u32) -> usize {
    (day.wrapping_mul(i64::from(per_day)) + i64::from(slot)).rem_euclid(6) as usize
}

/// One generated row, for tests that predict reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRow {
    pub account_id: i32,
    pub activity_date: DateTime<Utc>,
    pub activity_type: &'static str,
    pub quantity: i64,
    pub unit_cost: Decimal,
    pub total_cost: Decimal,
}

/// Calls `f(day, slot, unix_seconds)` for each slot in `[start, end)`, in time order.
fn for_each_slot(per_day: u32, start: i64, end: i64, mut f: impl FnMut(i64, u32, i64)) {
    if per_day == 0 || start >= end {
        return;
    }
    let offsets: Vec<i64> = (0..per_day)
        .map(|i| i64::from(i) * DAY / i64::from(per_day))
        .collect();
    let first = start.div_euclid(DAY);
    let last = (end - 1).div_euclid(DAY);
    for day in first..=last {
        for (slot, offset) in (0u32..).zip(&offsets) {
            let t = day * DAY + offset;
            if t >= start && t < end {
                f(day, slot, t);
            }
        }
    }
}

/// How many slots fall in `[start, end)`, without walking the middle days.
fn slot_count(per_day: u32, start: i64, end: i64) -> u64 {
    if per_day == 0 || start >= end {
        return 0;
    }
    let first = start.div_euclid(DAY);
    let last = (end - 1).div_euclid(DAY);
    let edge = |day: i64| {
        let mut n = 0u64;
        for_each_slot(
            per_day,
            start.max(day * DAY),
            end.min((day + 1) * DAY),
            |_, _, _| n += 1,
        );
        n
    };
    if first == last {
        return edge(first);
    }
    let middle = (last - first - 1) as u64;
    edge(first) + edge(last) + middle.saturating_mul(u64::from(per_day))
}

/// A report request, resolved against the state (accounts checked) and ready to render
/// outside the state lock.
#[derive(Clone, Debug)]
pub(crate) struct Query {
    pub(crate) seed: u64,
    pub(crate) per_day: u32,
    pub(crate) accounts: Vec<i32>,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
}

impl Query {
    pub(crate) fn row_count(&self) -> u64 {
        slot_count(self.per_day, self.start.timestamp(), self.end.timestamp())
            .saturating_mul(self.accounts.len() as u64)
    }

    /// Renders `{"Activities":[...]}` by hand: this is the emulator's one large response, and
    /// writing pre-built fragments keeps 200,000 rows in the tens of milliseconds.
    pub(crate) fn render_json(&self) -> ApiResult<Vec<u8>> {
        let rows = self.row_count();
        if rows > MAX_ROWS {
            return Err(ApiError::argument(format!(
                "The report would hold {rows} rows, more than the emulator's limit of {MAX_ROWS}; narrow the date range."
            )));
        }
        // The unit cost fragment of each type, e.g. `,"UnitCost":0.0350,"TotalCost":`.
        let unit_parts: Vec<String> = UNIT_COSTS
            .iter()
            .map(|u| {
                format!(
                    ",\"UnitCost\":{}.{:04},\"TotalCost\":",
                    u / 10_000,
                    u % 10_000
                )
            })
            .collect();
        let mut out = Vec::with_capacity(32 + rows as usize * 200);
        out.extend_from_slice(b"{\"Activities\":[");
        let mut first_row = true;
        let mut middle = Vec::with_capacity(160);
        let mut day_text = (i64::MIN, String::new());
        for_each_slot(
            self.per_day,
            self.start.timestamp(),
            self.end.timestamp(),
            |day, slot, t| {
                if day_text.0 != day {
                    day_text = (day, day_prefix(day));
                }
                let kind = type_index(day, self.per_day, slot);
                let name = ACTIVITY_TYPES[kind].as_bytes();
                let unit = UNIT_COSTS[kind];
                // Everything between the account id and the quantity is the same for the slot.
                middle.clear();
                middle.extend_from_slice(b",\"ActivityDate\":\"");
                middle.extend_from_slice(day_text.1.as_bytes());
                let seconds = t.rem_euclid(DAY);
                for (i, part) in [seconds / 3600, seconds / 60 % 60, seconds % 60]
                    .into_iter()
                    .enumerate()
                {
                    if i > 0 {
                        middle.push(b':');
                    }
                    middle.extend_from_slice(&[b'0' + (part / 10) as u8, b'0' + (part % 10) as u8]);
                }
                middle.extend_from_slice(b"Z\",\"ActivityType\":\"");
                middle.extend_from_slice(name);
                middle.extend_from_slice(b"\",\"Description\":\"");
                middle.extend_from_slice(name);
                middle.extend_from_slice(b" usage\",\"Quantity\":");
                for &account_id in &self.accounts {
                    let qty = quantity(self.seed, account_id, day, slot);
                    let total = qty * unit;
                    if !first_row {
                        out.push(b',');
                    }
                    first_row = false;
                    out.extend_from_slice(b"{\"AccountId\":");
                    push_int(&mut out, i64::from(account_id));
                    out.extend_from_slice(&middle);
                    push_int(&mut out, qty);
                    out.extend_from_slice(unit_parts[kind].as_bytes());
                    push_int(&mut out, total / 10_000);
                    out.push(b'.');
                    let frac = total % 10_000;
                    out.extend_from_slice(&[
                        b'0' + (frac / 1000) as u8,
                        b'0' + (frac / 100 % 10) as u8,
                        b'0' + (frac / 10 % 10) as u8,
                        b'0' + (frac % 10) as u8,
                    ]);
                    out.extend_from_slice(b",\"Currency\":\"GBP\"}");
                }
            },
        );
        out.extend_from_slice(b"]}");
        Ok(out)
    }
}

/// `YYYY-MM-DDT` of a day counted from 1970-01-01.
fn day_prefix(day: i64) -> String {
    DateTime::from_timestamp(day.saturating_mul(DAY), 0)
        .map(|d| d.format("%Y-%m-%dT").to_string())
        .unwrap_or_default()
}

/// Appends the decimal digits of `n` (the report's integers are all non-negative except ids).
fn push_int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut v = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Every row the emulator would return for `[start, end)` over `accounts` (the formula in the
/// module docs), for tests that predict a report.
pub fn rows(
    seed: u64,
    per_day: u32,
    accounts: &[i32],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<ActivityRow> {
    let mut out = Vec::new();
    for_each_slot(
        per_day,
        start.timestamp(),
        end.timestamp(),
        |day, slot, t| {
            let kind = type_index(day, per_day, slot);
            let unit_cost = Decimal::new(UNIT_COSTS[kind], 4);
            for &account_id in accounts {
                let qty = quantity(seed, account_id, day, slot);
                out.push(ActivityRow {
                    account_id,
                    activity_date: DateTime::from_timestamp(t, 0).unwrap_or(DateTime::UNIX_EPOCH),
                    activity_type: ACTIVITY_TYPES[kind],
                    quantity: qty,
                    unit_cost,
                    total_cost: Decimal::new(qty * UNIT_COSTS[kind], 4),
                });
            }
        },
    );
    out
}

/// Row count and sum of `TotalCost` for `[start, end)` over `accounts`, computed without
/// building the rows.
pub fn summary(
    seed: u64,
    per_day: u32,
    accounts: &[i32],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> (u64, Decimal) {
    let mut count = 0u64;
    let mut total: i128 = 0;
    for_each_slot(
        per_day,
        start.timestamp(),
        end.timestamp(),
        |day, slot, _| {
            let unit = UNIT_COSTS[type_index(day, per_day, slot)];
            for &account_id in accounts {
                count += 1;
                total += i128::from(quantity(seed, account_id, day, slot) * unit);
            }
        },
    );
    let total = Decimal::try_from_i128_with_scale(total, 4).unwrap_or(Decimal::MAX);
    (count, total)
}
