//! Compile-fail and compile-pass tests of the derives: every mistake a user
//! is likely to make, with the exact error it gets (ARCHITECTURE.md,
//! decision 12). See
//! `ui/README.md` to add a case or regenerate the expected output.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/fail/*.rs");
    t.pass("tests/ui/*/pass/*.rs");
}
