//! Finding the composition a cover covers, from what the artist typed.
//!
//! Titles are typed loosely ("Hallelujah (Live)", "jolene", "Dont Stop Me
//! Now"), so exact lookup is not enough; a full-text index would be too
//! much for a catalogue this size. The score is the **Sørensen–Dice
//! coefficient on character bigrams**:
//!
//! 1. *Normalize*: lowercase; every character that is not a letter or a
//!    digit separates words (so punctuation and apostrophes vanish).
//! 2. *Bigrams*: each word is padded with a space on both sides and cut
//!    into overlapping pairs (`" j"`, `"jo"`, … `"e "`), so one-letter
//!    words count and word boundaries matter. Bigrams are a multiset.
//! 3. *Dice*: `2·|A ∩ B| / (|A| + |B|)`, in `[0, 1]`; identical normalized
//!    texts score exactly 1, texts with no bigram in common 0.
//!
//! Dice on bigrams tolerates typos, missing punctuation and extra words
//! ("(Live)") while staying cheap and explainable; token-set Jaccard
//! would score "Jolene" and "Jolene Jolene" the same.
//!
//! A candidate's score is the title's similarity, or, when the caller also
//! names people (`artist`, `writers`), `0.8 × title + 0.2 × people`, where
//! `people` is the best similarity between any name given and any of the
//! composition's writers. Titles dominate because they are what the artist
//! is sure of; names break ties between songs of the same title.
//!
//! Ranking puts compositions whose normalized title **equals** the query's
//! first, then orders by score (higher first), then title and id, so an
//! exact title is never outranked by a near title with a matching writer.
//! Compositions whose title similarity is below [`MIN_TITLE_SIMILARITY`]
//! are not candidates at all.

use std::collections::HashMap;

use super::{Candidate, Composition, MatchQuery};

/// Title similarity below which a composition is not offered.
pub const MIN_TITLE_SIMILARITY: f64 = 0.3;

/// How many candidates are offered at most.
pub const MAX_CANDIDATES: usize = 10;

/// The weight of the title in a score when people are named too.
const TITLE_WEIGHT: f64 = 0.8;

/// Lowercase words of letters and digits.
pub fn normalize(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The multiset of padded character bigrams of `text`'s words.
fn bigrams(text: &str) -> HashMap<(char, char), u32> {
    let mut counts = HashMap::new();
    for word in normalize(text).split(' ').filter(|w| !w.is_empty()) {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for pair in padded.windows(2) {
            *counts.entry((pair[0], pair[1])).or_insert(0) += 1;
        }
    }
    counts
}

/// The Sørensen–Dice coefficient of two texts' bigrams, in `[0, 1]`.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (bigrams(a), bigrams(b));
    let total: u32 = a.values().sum::<u32>() + b.values().sum::<u32>();
    if total == 0 {
        return 0.0;
    }
    let common: u32 = a
        .iter()
        .map(|(pair, n)| (*n).min(b.get(pair).copied().unwrap_or(0)))
        .sum();
    f64::from(2 * common) / f64::from(total)
}

/// How well one composition matches a query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// The normalized titles are equal.
    pub exact_title: bool,
    /// The title's similarity alone.
    pub title: f64,
    /// The combined score in `[0, 1]`.
    pub score: f64,
}

/// Scores a composition (`title`, `writers`) against a query title and
/// the people the caller named (empty when none).
pub fn score(query_title: &str, names: &[&str], title: &str, writers: &[String]) -> Score {
    let exact_title = {
        let q = normalize(query_title);
        !q.is_empty() && q == normalize(title)
    };
    let title_similarity = similarity(query_title, title);
    let score = if names.is_empty() {
        title_similarity
    } else {
        let people = names
            .iter()
            .flat_map(|name| writers.iter().map(move |w| similarity(name, w)))
            .fold(0.0, f64::max);
        TITLE_WEIGHT * title_similarity + (1.0 - TITLE_WEIGHT) * people
    };
    Score {
        exact_title,
        title: title_similarity,
        score,
    }
}

/// Whether a score makes a composition a candidate.
pub fn is_candidate(score: &Score) -> bool {
    score.exact_title || score.title >= MIN_TITLE_SIMILARITY
}

/// Orders two scored candidates: exact titles first, then higher scores.
pub fn rank(a: &Score, b: &Score) -> std::cmp::Ordering {
    b.exact_title
        .cmp(&a.exact_title)
        .then(b.score.total_cmp(&a.score))
}

/// The candidates among `compositions` for `query`, best first, at most
/// [`MAX_CANDIDATES`]: what every engine answers once it has read the
/// catalogue (the catalogue is small, thousands at most, and scoring in
/// Rust keeps the score documented in one place; a large catalogue would
/// first narrow by a trigram index).
pub(crate) fn candidates(query: &MatchQuery, compositions: Vec<Composition>) -> Vec<Candidate> {
    let names: Vec<&str> = query
        .artist
        .iter()
        .chain(&query.writers)
        .map(String::as_str)
        .filter(|name| !name.trim().is_empty())
        .collect();
    let mut scored: Vec<(Score, Composition)> = compositions
        .into_iter()
        .map(|c| (score(&query.title, &names, &c.title, &c.writers), c))
        .filter(|(score, _)| is_candidate(score))
        .collect();
    scored.sort_by(|(a, ca), (b, cb)| {
        rank(a, b)
            .then_with(|| ca.title.cmp(&cb.title))
            .then(ca.id.cmp(&cb.id))
    });
    scored
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|(score, composition)| Candidate {
            composition,
            score: score.score,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_keeps_letters_and_digits() {
        assert_eq!(normalize("  Don't Stop Me   Now!"), "don t stop me now");
        assert_eq!(normalize("Hallelujah (Live, 1994)"), "hallelujah live 1994");
        assert_eq!(normalize("Édith—Piaf"), "édith piaf");
        assert_eq!(normalize("?!"), "");
    }

    #[test]
    fn dice_on_bigrams() {
        // Identical after normalizing.
        assert_eq!(similarity("Jolene", "JOLENE!"), 1.0);
        // Nothing in common, and empty texts.
        assert_eq!(similarity("abc", "xyz"), 0.0);
        assert_eq!(similarity("", ""), 0.0);
        // " a", "ab", "b " vs " a", "ac", "c ": one shared, six in all → 2/6.
        assert!((similarity("ab", "ac") - 1.0 / 3.0).abs() < 1e-12);
        // Symmetric and bounded.
        for (a, b) in [("Hallelujah", "Halleluja"), ("Yesterday", "Yesterdays")] {
            let s = similarity(a, b);
            assert!((0.0..=1.0).contains(&s));
            assert_eq!(s, similarity(b, a));
            assert!(s > 0.8, "{a} {b} {s}");
        }
    }

    #[test]
    fn exact_titles_rank_first_even_against_matching_writers() {
        let writers_cohen = vec!["Leonard Cohen".to_owned()];
        let writers_other = vec!["Someone Else".to_owned()];
        let exact = score(
            "Hallelujah",
            &["Someone Else"],
            "Hallelujah",
            &writers_cohen,
        );
        let near = score(
            "Hallelujah",
            &["Someone Else"],
            "Hallelujah Song",
            &writers_other,
        );
        assert!(exact.exact_title && !near.exact_title);
        assert!(near.score > exact.score, "the case the rank rule is for");
        assert_eq!(rank(&exact, &near), std::cmp::Ordering::Less);
    }

    #[test]
    fn typos_are_candidates_strangers_are_not() {
        let none: &[&str] = &[];
        assert!(is_candidate(&score("Halelujah", none, "Hallelujah", &[])));
        assert!(!is_candidate(&score("Jolene", none, "Yesterday", &[])));
    }
}
