//! Shared by the integration tests.

/// The `elf` crate's test image writer, shared rather than duplicated.
#[path = "../../../elf/tests/support/image_builder.rs"]
pub mod image_builder;
pub mod samples;
