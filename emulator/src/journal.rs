//! The request journal: every call on a vendor path, as tests need to inspect it.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Entries kept; older ones are dropped so a long-running emulator stays bounded.
/// [`crate::Emulator::calls`] keeps counting past it.
pub const JOURNAL_CAPACITY: usize = 100_000;

/// One vendor-path call. `status` is 0 when no complete response was sent (a dropped
/// connection, or a client that went away first). `applied` is true when the operation ran
/// against the state and succeeded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub seq: u64,
    pub method: String,
    pub http_method: String,
    pub path: String,
    /// Request headers, names lower-case; the `Authorization` value is `<redacted>`.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
    pub time: DateTime<Utc>,
    pub applied: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: VecDeque<JournalEntry>,
    counts: HashMap<String, usize>,
    next_seq: u64,
}

impl Journal {
    /// Sequence numbers start at 1 and count calls as they arrive.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    pub(crate) fn record(&mut self, entry: JournalEntry) {
        *self.counts.entry(entry.method.clone()).or_default() += 1;
        if self.entries.len() >= JOURNAL_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> Vec<JournalEntry> {
        let mut all: Vec<JournalEntry> = self.entries.iter().cloned().collect();
        all.sort_by_key(|e| e.seq);
        all
    }

    pub(crate) fn calls(&self, method: &str) -> usize {
        self.counts.get(method).copied().unwrap_or(0)
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.counts.clear();
    }

    pub(crate) fn reset(&mut self) {
        *self = Journal::default();
    }
}
