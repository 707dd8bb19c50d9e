//! The integration tests, one module per behaviour, linked into one binary (a binary per file took most of a
//! cold `cargo test` linking 27 of them on 2 cores).

mod support;

mod arrangements;
mod border_routes;
mod calibration;
mod capacity_building;
mod charts;
mod cli;
mod comparison;
mod conservation;
mod costs;
mod courts;
mod decision_halts;
mod determinism;
mod deterrence;
mod flights;
mod late_filing;
mod onward;
mod policies;
mod queueing_theory;
mod report;
mod robustness;
mod rollout;
mod routing;
mod schema;
mod sessions;
mod shards;
mod shipped_scenarios;
mod streaming;
mod suspensions;
mod transfers;
mod validation;
