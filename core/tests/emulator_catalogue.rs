//! The emulator keeps its own method table (it shares no types with the client it checks); this
//! test is what keeps the two in step: the same vendor methods, in the same order, with the same
//! `mutating` flags, so a method renamed, added or reclassified on one side only fails here.

use std::collections::BTreeMap;

use cpaas_reseller::OPERATIONS;
use cpaas_reseller_emulator::methods;

#[test]
fn the_emulator_serves_exactly_the_catalogue() {
    let core: BTreeMap<_, _> = OPERATIONS
        .iter()
        .map(|op| (op.method, op.mutating))
        .collect();
    let emulator: BTreeMap<_, _> = methods().map(|m| (m.name, m.mutating)).collect();
    assert_eq!(core.len(), OPERATIONS.len(), "core names are unique");
    assert_eq!(
        emulator.len(),
        methods().count(),
        "emulator names are unique"
    );
    let only_core: Vec<_> = core.keys().filter(|m| !emulator.contains_key(*m)).collect();
    let only_emulator: Vec<_> = emulator.keys().filter(|m| !core.contains_key(*m)).collect();
    assert!(
        only_core.is_empty() && only_emulator.is_empty(),
        "only in the core: {only_core:?}; only in the emulator: {only_emulator:?}"
    );
    let differ: Vec<_> = core
        .iter()
        .filter(|(m, mutating)| emulator.get(*m) != Some(*mutating))
        .map(|(m, mutating)| format!("{m} (core mutating = {mutating})"))
        .collect();
    assert!(differ.is_empty(), "mutating flags differ: {differ:?}");
    let core_order: Vec<_> = OPERATIONS.iter().map(|op| op.method).collect();
    let emulator_order: Vec<_> = methods().map(|m| m.name).collect();
    assert_eq!(
        core_order, emulator_order,
        "both tables in the contract's order"
    );
}
