//! Tests: unit tests per operation, a reference model driven by proptest,
//! and deep-chain stress tests.

mod concurrency;
pub(crate) mod fail_point;
mod invariants;
mod locks;
mod model;
mod object;
mod props;
mod stress;
mod unit;
