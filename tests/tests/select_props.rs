//! The `fields=` parser and resolver never panic, whatever the input, and
//! what parses prints back to an expression that parses to the same tree.

use pale_core::Audience;
use pale_core::Resource;
use pale_core::select::Plan;
use pale_core::select::Selection;
use pale_tests::fixtures::Album;
use proptest::prelude::*;

fn fragment() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("title".to_owned()),
            Just("tracks".to_owned()),
            Just("artist".to_owned()),
            Just("*".to_owned()),
            Just(",".to_owned()),
            Just("(".to_owned()),
            Just(")".to_owned()),
            Just(" ".to_owned()),
            "[a-z_]{1,8}",
            any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsing_and_resolving_never_panic(text in fragment()) {
        if let Ok(selection) = Selection::parse(&text) {
            for audience in Audience::ALL {
                let _ = Plan::resolve(&selection, <Album as Resource>::META, audience);
            }
            let shown = selection.to_string();
            prop_assert_eq!(Selection::parse(&shown).unwrap(), selection);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,200}") {
        let _ = Selection::parse(&text);
    }
}
