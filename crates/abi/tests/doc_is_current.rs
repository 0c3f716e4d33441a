//! docs/native-abi.md is generated from this crate; it must not go stale.

#[test]
fn native_abi_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/native-abi.md");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == abi::docs::render_markdown(),
        "docs/native-abi.md is stale: run `cargo xtask docs` and commit the result"
    );
}
