//! docs/netbsd-syscalls.md is generated from the system-call table; this
//! test fails when someone changes the table without regenerating it.

#[test]
fn coverage_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/netbsd-syscalls.md");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == personality_netbsd::docs::coverage_markdown(),
        "docs/netbsd-syscalls.md is stale: run `cargo xtask docs` and commit the result"
    );
}
